// SPDX-License-Identifier: Apache-2.0
#include "sensor/sensor.h"

#include <algorithm>
#include <unordered_map>

#include "core/organisation.h"
#include "detect/indicators/indicator.h"
#include "ingest/log_source.h"

namespace dv::sensor {
namespace {

// The Sigma rule set with no rules, for an engine that matches indicators only.
std::shared_ptr<const sigma::RuleSet> NoRules() {
  sigma::RuleSetReport report;
  return sigma::RuleSet::Load({}, sigma::RuleSetOptions{}, report);
}

}  // namespace

Sensor::Sensor(HubClient& hub, SensorOptions options)
    : hub_(hub), options_(std::move(options)), sightings_(SightingOptions{}) {}

Sensor::~Sensor() = default;

Result<std::unique_ptr<Sensor>> Sensor::Create(HubClient& hub, SensorOptions options) {
  if (options.collections.empty()) return Error::InvalidArgument("sensor: no collection to pull indicators from");
  if (options.sightings_collection.empty()) options.sightings_collection = options.collections.front();
  if (options.state_dir.empty()) return Error::InvalidArgument("sensor: no state folder");
  std::error_code ec;
  std::filesystem::create_directories(options.state_dir, ec);
  if (ec) return Error::Io("sensor state folder '" + options.state_dir.string() + "': " + ec.message());

  std::unique_ptr<Sensor> sensor(new Sensor(hub, std::move(options)));
  const SensorOptions& opts = sensor->options_;
  if (!opts.org_code.empty()) {
    Organisation organisation;
    organisation.code = opts.org_code;
    sensor->identity_id_ = organisation.StixId();
  }
  SightingOptions sighting_options;
  sighting_options.identity_id = sensor->identity_id_;
  sighting_options.counts_only = opts.counts_only;
  sighting_options.tlp = opts.tlp;
  sensor->sightings_ = SightingAggregator(sighting_options);

  auto state = LoadPullState(opts.state_dir);
  if (!state.ok()) return state.error().WithContext("sensor state");
  sensor->pull_state_ = std::move(state).value();
  auto cache = LoadIndicatorCache(opts.state_dir);
  if (!cache.ok()) return cache.error().WithContext("sensor indicator cache");
  sensor->cache_ = std::move(cache).value();

  sensor->no_rules_ = NoRules();
  if (opts.rule_paths.empty()) {
    sensor->rules_ = sensor->no_rules_;
  } else {
    sigma::RuleSetReport report;
    sensor->rules_ = sigma::RuleSet::Load(opts.rule_paths, sigma::RuleSetOptions{}, report);
    if (report.detection_rules == 0 && report.errors() > 0) {
      return Error::InvalidArgument("sensor: none of the Sigma rules could be used (" +
                                    std::to_string(report.errors()) + " problems; see `dannevirke sigma check`)");
    }
  }
  if (opts.archive) {
    auto archive = EventArchive::Open(opts.state_dir / "archive", opts.archive_options);
    if (!archive.ok()) return archive.error();
    sensor->archive_.emplace(std::move(archive).value());
  }
  DV_TRY(sensor->RebuildEngine());
  return sensor;
}

Status Sensor::RebuildEngine() {
  auto fields = FieldTable::Default();
  if (!fields.ok()) return fields.error();
  LoadReport report;
  auto indicators = ParseIndicators(cache_.ToJsonArray(), "hub", LoadOptions{}, &report);
  if (!indicators.ok()) return indicators.error().WithContext("sensor: cached indicators");
  auto index = IndicatorIndex::Build(std::move(indicators).value(), *fields, &report);
  if (!index.ok()) return index.error().WithContext("sensor: indicator index");
  auto shared_index = std::make_shared<const IndicatorIndex>(std::move(index).value());
  stats_.indicators = shared_index->size();
  stats_.indicators_matchable = shared_index->matchable();
  stats_.indicators_unsupported = report.unsupported + report.rejected;
  auto engine = detect::Engine::Build(rules_, std::move(shared_index));
  if (!engine.ok()) return engine.error().WithContext("sensor: engine");
  engine_ = std::move(engine).value();
  stream_ = std::make_unique<detect::EngineStream>(engine_);
  return Ok();
}

Result<PullOutcome> Sensor::Pull() {
  PullOutcome outcome;
  std::vector<std::string> added;
  std::vector<std::string> failures;
  for (const auto& collection : options_.collections) {
    ObjectsQuery query;
    query.collection_id = collection;
    query.added_after = pull_state_.AddedAfter(collection);
    query.types = {"indicator"};
    query.limit = options_.page_limit;
    PullState advanced = pull_state_;
    std::vector<std::string> received;
    bool failed = false;
    for (;;) {
      auto page = hub_.GetObjects(query);
      if (!page.ok()) {
        failures.push_back(page.error().message());
        failed = true;
        break;
      }
      outcome.received += page->objects.size();
      std::move(page->objects.begin(), page->objects.end(), std::back_inserter(received));
      if (!page->date_added_last.empty()) (void)advanced.Advance(collection, page->date_added_last);
      if (!page->more) break;
      query.next = page->next;
    }
    if (failed) continue;
    const MergeOutcome merged = cache_.Merge(received);
    added.insert(added.end(), merged.added.begin(), merged.added.end());
    outcome.removed += merged.removed.size();
    pull_state_ = std::move(advanced);
  }
  ++stats_.pulls;
  stats_.objects_received += outcome.received;
  outcome.added = added.size();
  if (outcome.added > 0 || outcome.removed > 0) {
    DV_TRY(RebuildEngine());
    outcome.rebuilt = true;
    DV_TRY(SaveIndicatorCache(options_.state_dir, cache_));
  }
  DV_TRY(SavePullState(options_.state_dir, pull_state_));
  if (!added.empty() && archive_) {
    auto hits = RetroHunt(added);
    if (!hits.ok()) return hits.error();
    outcome.retro_hits = *hits;
  }
  if (!failures.empty()) {
    std::string message = "pulling indicators: " + failures.front();
    for (std::size_t failure_idx = 1; failure_idx < failures.size(); ++failure_idx) {
      message += "; " + failures[failure_idx];
    }
    // The other collections were pulled; the caller decides whether to go on.
    return Error::Io(message);
  }
  return outcome;
}

Result<std::uint64_t> Sensor::RetroHunt(const std::vector<std::string>& indicator_ids) {
  auto fields = FieldTable::Default();
  if (!fields.ok()) return fields.error();
  LoadReport report;
  auto indicators = ParseIndicators(cache_.ToJsonArray(indicator_ids), "hub", LoadOptions{}, &report);
  if (!indicators.ok()) return indicators.error().WithContext("retro-hunt");
  auto index = IndicatorIndex::Build(std::move(indicators).value(), *fields, &report);
  if (!index.ok()) return index.error().WithContext("retro-hunt");
  if (index->matchable() == 0) return std::uint64_t{0};
  auto shared_index = std::make_shared<const IndicatorIndex>(std::move(index).value());
  std::unordered_map<std::string, Timestamp> valid_until;
  for (std::size_t indicator_idx = 0; indicator_idx < shared_index->size(); ++indicator_idx) {
    const Indicator& indicator = shared_index->indicator(static_cast<std::uint32_t>(indicator_idx));
    if (indicator.valid_until) valid_until.emplace(indicator.id, *indicator.valid_until);
  }
  auto engine = detect::Engine::Build(no_rules_, shared_index);
  if (!engine.ok()) return engine.error().WithContext("retro-hunt");
  detect::EngineStream stream(*engine);

  ++stats_.retro_hunts;
  std::uint64_t hits = 0;
  std::vector<std::string> seen_in_event;
  // Past events are searched regardless of valid_from: an indicator is
  // usually published after the first attacks it describes. valid_until is
  // still respected.
  auto scanned = archive_->Scan([&](Event& event) {
    const std::optional<Timestamp> event_time = event.time;
    event.time.reset();
    seen_in_event.clear();
    (void)stream.Process(
        event,
        [&](const detect::Alert& alert) {
          if (alert.kind != detect::AlertKind::kIndicator) return;
          if (const auto until = valid_until.find(alert.rule_id);
              until != valid_until.end() && event_time && !(*event_time < until->second)) {
            return;
          }
          detect::Alert dated = alert;
          dated.time = event_time;
          const auto before = seen_in_event.size();
          Record(dated, event_time, true, seen_in_event);
          if (seen_in_event.size() > before) ++hits;
        },
        [](detect::BaseMatch&&) {});
  });
  if (!scanned.ok()) return scanned.error().WithContext("retro-hunt");
  stats_.retro_events_searched += scanned->events;
  stats_.retro_hits += hits;
  return hits;
}

void Sensor::Record(const detect::Alert& alert, std::optional<Timestamp> event_time, bool retro,
                    std::vector<std::string>& seen_in_event) {
  if (alert.kind != detect::AlertKind::kIndicator) {
    ++stats_.sigma_alerts;
    if (options_.on_alert) options_.on_alert(alert, retro);
    return;
  }
  // One event counts once per indicator, however many of its fields matched.
  if (std::find(seen_in_event.begin(), seen_in_event.end(), alert.rule_id) != seen_in_event.end()) return;
  seen_in_event.push_back(alert.rule_id);
  sightings_.Add(alert.rule_id, event_time.value_or(Timestamp::Now()));
  if (!retro) ++stats_.indicator_hits;
  if (options_.on_alert) options_.on_alert(alert, retro);
}

void Sensor::ProcessEvent(const Event& event) {
  ++stats_.events;
  if (archive_) {
    if (archive_->Append(event, Timestamp::Now()).ok()) ++stats_.archived;
  }
  scratch_.CopyFrom(event);
  scratch_.time = event.time;
  scratch_.origin = event.origin;
  std::vector<std::string> seen_in_event;
  (void)stream_->Process(
      scratch_, [&](const detect::Alert& alert) { Record(alert, event.time, false, seen_in_event); },
      [](detect::BaseMatch&&) {});
}

Status Sensor::ScanLogs(std::span<const std::string> paths) {
  LogSource source;
  const Status read = source.Read(paths, [&](const Event& event) { ProcessEvent(event); });
  stats_.bad_records += source.stats().bad_records();
  if (archive_) DV_TRY(archive_->Flush());
  return read;
}

Result<std::size_t> Sensor::Publish() {
  auto pending = sightings_.TakePending(Timestamp::Now());
  if (!pending.ok()) return pending.error();
  if (pending->empty()) return std::size_t{0};
  std::vector<std::string> texts;
  texts.reserve(pending->size());
  for (const auto& object : *pending) texts.push_back(object.canonical_json);
  auto status = hub_.PostObjects(options_.sightings_collection, texts);
  if (!status.ok()) {
    sightings_.Restore(*pending);
    return status.error().WithContext("posting " + std::to_string(texts.size()) + " sightings");
  }
  stats_.sightings_posted += static_cast<std::uint64_t>(status->success);
  stats_.sightings_refused += static_cast<std::uint64_t>(status->failure);
  if (status->failure > 0) {
    std::string message =
        "the hub refused " + std::to_string(status->failure) + " of " + std::to_string(status->total) + " sightings";
    for (const auto& failure : status->failures) message += "; " + failure;
    return Error::InvalidArgument(message);
  }
  return static_cast<std::size_t>(status->success);
}

Status Sensor::Maintain() {
  if (!archive_) return Ok();
  auto pruned = archive_->Prune(Timestamp::Now());
  if (!pruned.ok()) return pruned.error();
  stats_.archive_segments_pruned += *pruned;
  sightings_.Forget(Timestamp(Timestamp::Now().unix_ms() - 48 * SightingAggregator::kHourMs));
  return Ok();
}

}  // namespace dv::sensor
