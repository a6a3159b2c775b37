// SPDX-License-Identifier: Apache-2.0
#include "sensor/sensor.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "core/organisation.h"
#include "detect/indicators/indicator.h"
#include "ingest/log_source.h"
#include "sigma/value_matcher.h"
#include "stix/pattern.h"

namespace dv::sensor {
namespace {

using Json = nlohmann::json;

// The Sigma rule set with no rules, for an engine that matches indicators only.
std::shared_ptr<const sigma::RuleSet> NoRules() {
  sigma::RuleSetReport report;
  return sigma::RuleSet::Load({}, sigma::RuleSetOptions{}, report);
}

// What an alert of this rule carries as rule_id (detect/engine.cpp).
std::string RuleKey(const sigma::Rule& rule) { return rule.id.empty() ? rule.title : rule.id; }

// Exact values: every comparison is =, IN or ISSUBSET (an address range),
// not negated. Anything else (LIKE, MATCHES, <, >, !=, EXISTS, …) can ask
// questions about any text in the member's logs.
bool ExactValuesOnly(const StixComparisonExpression& expr) {
  if (expr.kind != StixComparisonExpression::Kind::kComparison) {
    return std::all_of(expr.operands.begin(), expr.operands.end(),
                       [](const StixComparisonExpression& operand) { return ExactValuesOnly(operand); });
  }
  const StixOperator op = expr.comparison.op;
  return !expr.comparison.negated &&
         (op == StixOperator::kEqual || op == StixOperator::kIn || op == StixOperator::kIsSubset);
}

bool ExactValuesOnly(const StixObservationExpression& expr) {
  if (expr.kind == StixObservationExpression::Kind::kObservation) return ExactValuesOnly(expr.comparison);
  return std::all_of(expr.operands.begin(), expr.operands.end(),
                     [](const StixObservationExpression& operand) { return ExactValuesOnly(operand); });
}

// Unparsable patterns count as exact: the index refuses and reports them.
bool IsExactValueIndicator(const Indicator& indicator) {
  if (indicator.plain) return true;
  auto pattern = ParseStixPattern(indicator.pattern);
  return !pattern.ok() || ExactValuesOnly(pattern->root);
}

std::string IdentityOf(const std::string& org_code) {
  Organisation organisation;
  organisation.code = org_code;
  return organisation.StixId();
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

  for (const auto& code : options.trusted_publishers) {
    if (!IsValidOrgCode(code)) {
      return Error::InvalidArgument("sensor: trusted publisher '" + code + "' is not an organisation code");
    }
  }
  std::unique_ptr<Sensor> sensor(new Sensor(hub, std::move(options)));
  const SensorOptions& opts = sensor->options_;
  if (!opts.org_code.empty()) sensor->identity_id_ = IdentityOf(opts.org_code);
  for (const auto& code : {opts.coordinator_org, opts.org_code}) {
    if (code.empty()) continue;
    sensor->full_detail_ids_.insert(IdentityOf(code));
    sensor->trusted_ids_.insert(IdentityOf(code));
  }
  for (const auto& code : opts.trusted_publishers) sensor->trusted_ids_.insert(IdentityOf(code));
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
    for (const auto& path : opts.rule_paths) {
      sigma::LoadedDocuments one = sigma::LoadRuleTree(path, opts.budget);
      std::move(one.rules.begin(), one.rules.end(), std::back_inserter(sensor->local_rules_.rules));
      std::move(one.problems.begin(), one.problems.end(), std::back_inserter(sensor->local_rules_.problems));
    }
    sigma::RuleSetReport report;
    sensor->rules_ = sigma::RuleSet::Build(sensor->local_rules_, sensor->RuleOptions(), report);
    sensor->local_rules_.problems.clear();  // reported once, here
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

sigma::RuleSetOptions Sensor::RuleOptions() const {
  sigma::RuleSetOptions rule_options;
  rule_options.budget = options_.budget;
  return rule_options;
}

bool Sensor::MayRun(const std::string& indicator_id, const std::string& created_by_ref) {
  if (!trusted_ids_.contains(created_by_ref)) return false;
  if (!full_detail_ids_.contains(created_by_ref)) reduced_.insert(indicator_id);
  return true;
}

void Sensor::Notice(const std::string& key, const std::string& message) {
  if (!noticed_.insert(key).second) return;
  if (options_.on_notice) options_.on_notice(message);
}

Result<std::vector<Indicator>> Sensor::ActiveStixIndicators(const std::vector<std::string>& only,
                                                            std::size_t* values_dropped,
                                                            std::size_t* indicators_dropped, std::size_t* untrusted,
                                                            LoadReport* report) {
  const std::string array = cache_.ToJsonArray(
      [&](const std::string& id, const std::string& pattern_type) { return pattern_type != "sigma" && Active(id); },
      only);
  auto indicators = ParseIndicators(array, "hub", LoadOptions{}, report);
  if (!indicators.ok()) return indicators;
  std::erase_if(*indicators, [&](const Indicator& indicator) {
    if (IsExactValueIndicator(indicator)) return false;
    const std::string publisher = cache_.Publisher(indicator.id);
    if (MayRun(indicator.id, publisher)) return false;
    ++*untrusted;
    Notice("untrusted|" + indicator.id, indicator.id +
                                            ": indicator skipped: it is not an exact value and its publisher (" +
                                            (publisher.empty() ? std::string("none named") : publisher) +
                                            ") is not trusted by this member (--trust-publisher)");
    return true;
  });
  if (!options_.warning_lists) return indicators;
  std::vector<Indicator> kept;
  kept.reserve(indicators->size());
  for (auto& indicator : *indicators) {
    if (indicator.plain || indicator.pattern.empty()) {
      kept.push_back(std::move(indicator));
      continue;
    }
    auto filtered = FilterPattern(indicator.pattern, *options_.warning_lists);
    if (!filtered.ok()) {  // the index reports the pattern
      kept.push_back(std::move(indicator));
      continue;
    }
    for (const auto& benign : filtered->dropped) {
      ++*values_dropped;
      Notice("warning-list|" + indicator.id + "|" + benign.value, indicator.id + " value " + benign.value +
                                                                      " is on warning list " + benign.hit.list + " (" +
                                                                      benign.hit.description + "): it will not alert");
    }
    if (filtered->all_benign) {
      ++*indicators_dropped;
      Notice("warning-list|" + indicator.id,
             indicator.id + ": every value is on a warning list: it leaves the active set");
      continue;
    }
    if (filtered->changed) indicator.pattern = filtered->pattern;
    kept.push_back(std::move(indicator));
  }
  return kept;
}

sigma::LoadedDocuments Sensor::ActiveSigmaDocuments(const std::vector<std::string>& only,
                                                    std::unordered_map<std::string, std::string>& owner,
                                                    std::size_t* failed, std::size_t* untrusted) {
  sigma::LoadedDocuments out;
  const std::string array = cache_.ToJsonArray(
      [&](const std::string& id, const std::string& pattern_type) { return pattern_type == "sigma" && Active(id); },
      only);
  const Json objects = Json::parse(array, nullptr, false);
  if (!objects.is_array()) return out;
  std::unordered_set<std::string> local_keys;
  for (const auto& rule : local_rules_.rules) local_keys.insert(RuleKey(rule));
  for (const Json& object : objects) {
    const std::string id = object.value("id", std::string());
    const std::string modified = object.value("modified", std::string());
    const Json pattern = object.value("pattern", Json());
    const std::string publisher = object.value("created_by_ref", std::string());
    if (!MayRun(id, publisher)) {
      ++*untrusted;
      Notice("untrusted|" + id, id + ": Sigma rule skipped: its publisher (" +
                                    (publisher.empty() ? std::string("none named") : publisher) +
                                    ") is not trusted by this member (--trust-publisher)");
      continue;
    }
    std::string reason;
    sigma::LoadedDocuments documents;
    if (!pattern.is_string()) {
      reason = "the pattern is not a string";
    } else {
      documents = sigma::ParseRuleDocuments(pattern.get<std::string>(), id, options_.budget);
      for (const auto& problem : documents.problems) {
        if (problem.fatal) {
          reason = problem.ToString();
          break;
        }
      }
    }
    if (reason.empty() && documents.rules.empty()) reason = "the pattern holds no Sigma rule";
    for (const auto& rule : documents.rules) {
      if (!reason.empty()) break;
      if (rule.kind == sigma::DocumentKind::kCorrelation) {
        reason = "correlation rules are not run by the sensor";
      } else if (rule.kind == sigma::DocumentKind::kDetection &&
                 (local_keys.contains(RuleKey(rule)) || owner.contains(RuleKey(rule)))) {
        reason = "rule id '" + RuleKey(rule) + "' is already used by another rule";
      }
    }
    if (reason.empty()) {
      // Compiled alone first, so that one bad rule cannot spoil the others.
      sigma::RuleSetReport report;
      (void)sigma::RuleSet::Build(documents, RuleOptions(), report);
      for (const auto& problem : report.problems) {
        if (problem.fatal) {
          reason = problem.ToString();
          break;
        }
      }
      if (reason.empty() && report.detection_rules == 0) reason = "no detection rule could be compiled";
    }
    if (!reason.empty()) {
      ++*failed;
      Notice("sigma|" + id + "|" + modified, id + ": Sigma rule skipped: " + reason);
      continue;
    }
    for (auto& rule : documents.rules) {
      if (rule.kind == sigma::DocumentKind::kDetection) owner.emplace(RuleKey(rule), id);
      out.rules.push_back(std::move(rule));
    }
  }
  return out;
}

Status Sensor::RebuildEngine() {
  auto fields = FieldTable::Default();
  if (!fields.ok()) return fields.error();
  LoadReport report;
  std::size_t values_dropped = 0;
  std::size_t indicators_dropped = 0;
  std::size_t untrusted = 0;
  reduced_.clear();
  auto indicators = ActiveStixIndicators({}, &values_dropped, &indicators_dropped, &untrusted, &report);
  if (!indicators.ok()) return indicators.error().WithContext("sensor: cached indicators");
  auto index = IndicatorIndex::Build(std::move(indicators).value(), *fields, &report);
  if (!index.ok()) return index.error().WithContext("sensor: indicator index");
  auto shared_index = std::make_shared<const IndicatorIndex>(std::move(index).value());

  std::unordered_map<std::string, std::string> owner;
  std::size_t sigma_failed = 0;
  sigma::LoadedDocuments hub_rules = ActiveSigmaDocuments({}, owner, &sigma_failed, &untrusted);
  std::shared_ptr<const sigma::RuleSet> rules = rules_;
  if (!hub_rules.rules.empty()) {
    sigma::LoadedDocuments all = local_rules_;
    std::move(hub_rules.rules.begin(), hub_rules.rules.end(), std::back_inserter(all.rules));
    sigma::RuleSetReport rule_report;
    rules = sigma::RuleSet::Build(std::move(all), RuleOptions(), rule_report);
  }
  std::unordered_set<std::string> sigma_indicators;
  for (const auto& [key, indicator_id] : owner) sigma_indicators.insert(indicator_id);

  stats_.indicators = shared_index->size() + sigma_indicators.size();
  stats_.indicators_matchable = shared_index->matchable() + sigma_indicators.size();
  stats_.indicators_unsupported = report.unsupported + report.rejected;
  stats_.sigma_indicators = sigma_indicators.size();
  stats_.sigma_indicators_failed = sigma_failed;
  stats_.untrusted_skipped = untrusted;
  stats_.warning_list_values = values_dropped;
  stats_.warning_list_indicators = indicators_dropped;
  stats_.inactive_indicators = inactive_.size();
  auto engine = detect::Engine::Build(rules, std::move(shared_index));
  if (!engine.ok()) return engine.error().WithContext("sensor: engine");
  engine_ = std::move(engine).value();
  stream_ = std::make_unique<detect::EngineStream>(engine_);
  sigma_owner_ = std::move(owner);
  return Ok();
}

Result<PullOutcome> Sensor::Pull() {
  PullOutcome outcome;
  std::vector<std::string> added;
  std::vector<std::string> failures;
  bool state_changed = false;
  // The hub's indicator state first, so that an indicator that arrives
  // already marked (say, a false positive) is neither matched nor hunted.
  if (auto state = hub_.GetIndicatorState(); !state.ok()) {
    failures.push_back(state.error().message());
  } else {
    ++stats_.state_polls;
    std::map<std::string, InactiveIndicator> next;
    for (auto& entry : *state) next.emplace(entry.id, std::move(entry));
    for (const auto& [id, entry] : next) {
      if (inactive_.contains(id)) continue;
      state_changed = true;
      if (options_.on_notice) {
        options_.on_notice(id + " is inactive at the hub (" + (entry.reason.empty() ? "no reason" : entry.reason) +
                           (entry.detail.empty() ? "" : ": " + entry.detail) + "): it will not alert");
      }
    }
    for (const auto& [id, entry] : inactive_) {
      if (next.contains(id)) continue;
      state_changed = true;
      if (options_.on_notice) options_.on_notice(id + " is active again at the hub: it alerts again");
    }
    inactive_ = std::move(next);
  }
  outcome.inactive = inactive_.size();
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
  if (outcome.added > 0 || outcome.removed > 0 || state_changed) {
    DV_TRY(RebuildEngine());
    outcome.rebuilt = true;
  }
  if (outcome.added > 0 || outcome.removed > 0) DV_TRY(SaveIndicatorCache(options_.state_dir, cache_));
  DV_TRY(SavePullState(options_.state_dir, pull_state_));
  // Indicators that become active again are not hunted: their past was
  // judged while they were held out.
  std::erase_if(added, [&](const std::string& id) { return !Active(id); });
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
  std::size_t values_dropped = 0;
  std::size_t indicators_dropped = 0;
  std::size_t untrusted = 0;
  auto indicators = ActiveStixIndicators(indicator_ids, &values_dropped, &indicators_dropped, &untrusted, &report);
  if (!indicators.ok()) return indicators.error().WithContext("retro-hunt");
  auto index = IndicatorIndex::Build(std::move(indicators).value(), *fields, &report);
  if (!index.ok()) return index.error().WithContext("retro-hunt");
  std::unordered_map<std::string, std::string> owner;
  std::size_t sigma_failed = 0;
  sigma::LoadedDocuments sigma_rules = ActiveSigmaDocuments(indicator_ids, owner, &sigma_failed, &untrusted);
  if (index->matchable() == 0 && owner.empty()) return std::uint64_t{0};
  std::shared_ptr<const sigma::RuleSet> rules = no_rules_;
  if (!sigma_rules.rules.empty()) {
    sigma::RuleSetReport rule_report;
    rules = sigma::RuleSet::Build(std::move(sigma_rules), RuleOptions(), rule_report);
  }
  auto shared_index = std::make_shared<const IndicatorIndex>(std::move(index).value());
  std::unordered_map<std::string, Timestamp> valid_until;
  for (std::size_t indicator_idx = 0; indicator_idx < shared_index->size(); ++indicator_idx) {
    const Indicator& indicator = shared_index->indicator(static_cast<std::uint32_t>(indicator_idx));
    if (indicator.valid_until) valid_until.emplace(indicator.id, *indicator.valid_until);
  }
  auto engine = detect::Engine::Build(rules, shared_index);
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
          if (alert.kind == detect::AlertKind::kCorrelation) return;
          if (const auto until = valid_until.find(alert.rule_id);
              until != valid_until.end() && event_time && !(*event_time < until->second)) {
            return;
          }
          detect::Alert dated = alert;
          dated.time = event_time;
          const auto before = seen_in_event.size();
          Record(dated, event_time, true, seen_in_event, owner);
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
                    std::vector<std::string>& seen_in_event,
                    const std::unordered_map<std::string, std::string>& sigma_owner) {
  if (alert.kind == detect::AlertKind::kIndicator) {
    RecordHit(alert, event_time, retro, false, seen_in_event);
    return;
  }
  if (alert.kind == detect::AlertKind::kSigma) {
    if (const auto owner = sigma_owner.find(alert.rule_id); owner != sigma_owner.end()) {
      // A shared rule from the hub: a sighting of the indicator that carries it.
      detect::Alert shared = alert;
      shared.rule_id = owner->second;
      RecordHit(shared, event_time, retro, true, seen_in_event);
      return;
    }
  }
  if (retro) return;  // retro-hunts run shared rules and indicators only
  ++stats_.sigma_alerts;
  if (options_.on_alert) options_.on_alert(alert, retro);
}

void Sensor::RecordHit(const detect::Alert& alert, std::optional<Timestamp> event_time, bool retro, bool sigma,
                       std::vector<std::string>& seen_in_event) {
  // One event counts once per indicator, however many of its fields matched.
  if (std::find(seen_in_event.begin(), seen_in_event.end(), alert.rule_id) != seen_in_event.end()) return;
  seen_in_event.push_back(alert.rule_id);
  sightings_.Add(
      alert.rule_id, event_time.value_or(Timestamp::Now()),
      reduced_.contains(alert.rule_id) ? SightingAggregator::Detail::kReduced : SightingAggregator::Detail::kFull);
  if (!retro) {
    ++stats_.indicator_hits;
    if (sigma) ++stats_.sigma_indicator_hits;
  }
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
      scratch_, [&](const detect::Alert& alert) { Record(alert, event.time, false, seen_in_event, sigma_owner_); },
      [](detect::BaseMatch&&) {});
  stats_.regex_matches_stopped = sigma::RegexLimitCountsNow().stopped + IndicatorRegexMatchesStopped();
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
