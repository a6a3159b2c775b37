// SPDX-License-Identifier: Apache-2.0
#include "sensor/sensor.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "core/organisation.h"
#include "detect/indicators/indicator.h"
#include "ingest/log_source.h"
#include "sensor/suricata_rules.h"
#include "sigma/value_matcher.h"
#include "stix/pattern.h"

namespace dv::sensor {
namespace {

using Json = nlohmann::json;

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
  if (opts.count_blocks) {
    if (opts.org_code.empty()) return Error::InvalidArgument("sensor: counting blocks needs the member's --org");
    sensor->blocks_.emplace(opts.firewall_log_prefix);
  }

  auto state = LoadPullState(opts.state_dir);
  if (!state.ok()) return state.error().WithContext("sensor state");
  sensor->pull_state_ = std::move(state).value();
  auto cache = LoadIndicatorCache(opts.state_dir);
  if (!cache.ok()) return cache.error().WithContext("sensor indicator cache");
  sensor->cache_ = std::move(cache).value();

  if (!opts.rule_paths.empty()) {
    sigma::AppendDocuments(
        sigma::LoadRuleTrees(opts.rule_paths, opts.budget,
                             opts.state_dir.empty() ? std::string() : (opts.state_dir / "rules").string()),
        sensor->local_rules_);
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
                                                            std::size_t* untrusted, LoadReport* report) {
  const std::string array = cache_.ToJsonArray(
      [&](const std::string& id, const std::string& pattern_type) {
        return pattern_type != "sigma" && pattern_type != "suricata" && Active(id);
      },
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
  return indicators;
}

void Sensor::NoticeWarningLists(const detect::EngineLoadReport& report) {
  for (const auto& drop : report.warning_list_drops) {
    if (drop.value) {
      const BenignValue& benign = *drop.value;
      Notice("warning-list|" + drop.indicator_id + "|" + benign.value,
             drop.indicator_id + " value " + benign.value + " is on warning list " + benign.hit.list + " (" +
                 benign.hit.description + "): it will not alert");
    } else {
      Notice("warning-list|" + drop.indicator_id,
             drop.indicator_id + ": every value is on a warning list: it leaves the active set");
    }
  }
}

void Sensor::NoticeCorrelationLimits(const std::vector<detect::CorrelationStats>& correlations,
                                     const std::unordered_map<std::string, std::string>& sigma_owner) {
  for (const auto& correlation : correlations) {
    if (correlation.overflows() == 0) continue;
    const auto owner = sigma_owner.find(correlation.rule_id);
    const std::string& name = owner != sigma_owner.end() ? owner->second : correlation.rule_id;
    const detect::CorrelationLimits& limits = options_.correlation_limits;
    Notice("correlation-limit|" + name + "|" + correlation.rule_id,
           name + ": correlation '" + correlation.title + "' reached its limit (" + std::to_string(limits.max_groups) +
               " open groups, " + std::to_string(limits.max_entries) +
               " events held): " + std::to_string(correlation.dropped_groups) + " groups and " +
               std::to_string(correlation.dropped_entries) +
               " events dropped, least recently seen first; it may miss a correlation while this lasts");
  }
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
  // The ids and names correlations may refer to: a shared rule may use none
  // that another rule uses, so that its correlations count its own rules only.
  std::unordered_set<std::string> used_keys;
  auto add_keys = [](const sigma::Rule& rule, std::unordered_set<std::string>& keys) {
    keys.insert(RuleKey(rule));
    if (!rule.name.empty()) keys.insert(rule.name);
  };
  for (const auto& rule : local_rules_.rules) {
    if (rule.kind != sigma::DocumentKind::kFilter) add_keys(rule, used_keys);
  }
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
    std::unordered_set<std::string> own_keys;  // what this indicator's correlations may refer to
    for (const auto& rule : documents.rules) {
      if (rule.kind == sigma::DocumentKind::kFilter) continue;
      add_keys(rule, own_keys);
      own_keys.insert(rule.title);
    }
    for (const auto& rule : documents.rules) {
      if (!reason.empty()) break;
      if (rule.kind == sigma::DocumentKind::kFilter) continue;
      if (used_keys.contains(RuleKey(rule))) {
        reason = "rule id '" + RuleKey(rule) + "' is already used by another rule";
      } else if (!rule.name.empty() && used_keys.contains(rule.name)) {
        reason = "rule name '" + rule.name + "' is already used by another rule";
      }
      if (!reason.empty() || !rule.correlation) continue;
      for (const auto& target : rule.correlation->rules) {
        if (own_keys.contains(target)) continue;
        reason = "correlation '" + RuleKey(rule) + "' refers to '" + target + "', which is not in the same indicator";
        break;
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
      if (rule.kind != sigma::DocumentKind::kFilter) {
        owner.emplace(RuleKey(rule), id);
        add_keys(rule, used_keys);
      }
      out.rules.push_back(std::move(rule));
    }
  }
  return out;
}

Status Sensor::RebuildEngine() {
  LoadReport parse_report;
  std::size_t untrusted = 0;
  reduced_.clear();
  auto indicators = ActiveStixIndicators({}, &untrusted, &parse_report);
  if (!indicators.ok()) return indicators.error().WithContext("sensor: cached indicators");

  std::unordered_map<std::string, std::string> owner;
  std::size_t sigma_failed = 0;
  sigma::LoadedDocuments hub_rules = ActiveSigmaDocuments({}, owner, &sigma_failed, &untrusted);
  detect::EngineSources sources;
  sources.rule_options = RuleOptions();
  if (hub_rules.rules.empty()) {
    sources.rule_set = rules_;  // the local rules, compiled once
  } else {
    sources.rule_documents = local_rules_;
    std::move(hub_rules.rules.begin(), hub_rules.rules.end(), std::back_inserter(sources.rule_documents.rules));
  }
  sources.indicators = std::move(indicators).value();
  sources.warning_lists = options_.warning_lists;
  sources.engine_options.correlation_limits = options_.correlation_limits;
  if (!options_.state_dir.empty())
    sources.engine_options.prefilter_cache_dir = (options_.state_dir / "prefilter").string();
  detect::EngineLoadReport report;
  auto engine = detect::BuildEngine(std::move(sources), report);
  NoticeWarningLists(report);
  if (!engine.ok()) return engine.error().WithContext("sensor: engine");
  std::unordered_set<std::string> sigma_indicators;
  for (const auto& [key, indicator_id] : owner) sigma_indicators.insert(indicator_id);

  const IndicatorIndex* index = (*engine)->indicators();
  stats_.indicators = (index != nullptr ? index->size() : 0) + sigma_indicators.size();
  stats_.indicators_matchable = (index != nullptr ? index->matchable() : 0) + sigma_indicators.size();
  stats_.indicators_unsupported =
      parse_report.unsupported + parse_report.rejected + report.indicators.unsupported + report.indicators.rejected;
  stats_.sigma_indicators = sigma_indicators.size();
  stats_.sigma_indicators_failed = sigma_failed;
  stats_.untrusted_skipped = untrusted;
  stats_.warning_list_values = report.warning_list_values;
  stats_.warning_list_indicators = report.warning_list_indicators;
  stats_.inactive_indicators = inactive_.size();
  engine_ = std::move(engine).value();
  scanner_ = std::make_unique<detect::Scanner>(engine_);
  live_overflows_seen_ = 0;
  sigma_owner_ = std::move(owner);
  WriteSuricataRules();
  return Ok();
}

void Sensor::WriteSuricataRules() {
  if (options_.suricata_rules_file.empty()) return;
  const std::string array = cache_.ToJsonArray(
      [&](const std::string& id, const std::string& pattern_type) { return pattern_type == "suricata" && Active(id); });
  std::vector<SuricataIndicator> indicators;
  std::size_t untrusted = 0;
  const Json objects = Json::parse(array, nullptr, false);
  for (const Json& object : objects.is_array() ? objects : Json::array()) {
    if (!object.is_object() || !object.contains("id") || !object["id"].is_string()) continue;
    SuricataIndicator indicator;
    indicator.id = object["id"].get<std::string>();
    if (object.contains("pattern") && object["pattern"].is_string())
      indicator.pattern = object["pattern"].get<std::string>();
    if (object.contains("valid_until") && object["valid_until"].is_string())
      indicator.valid_until = object["valid_until"].get<std::string>();
    const std::string publisher = cache_.Publisher(indicator.id);
    if (!MayRun(indicator.id, publisher)) {
      ++untrusted;
      Notice("untrusted|" + indicator.id, indicator.id + ": Suricata rule skipped: its publisher (" +
                                              (publisher.empty() ? std::string("none named") : publisher) +
                                              ") is not trusted by this member (--trust-publisher)");
      continue;
    }
    indicators.push_back(std::move(indicator));
  }
  const SuricataRules rules = BuildSuricataRules(std::move(indicators), Timestamp::Now());
  for (const std::string& skipped : rules.skipped) Notice("suricata|" + skipped, skipped);
  stats_.suricata_rules = rules.rules;
  stats_.suricata_rules_skipped = rules.skipped.size() + rules.expired + untrusted;
  if (suricata_rules_written_ == rules.text) return;
  const Status written = WriteFileAtomically(options_.suricata_rules_file, rules.text);
  if (!written.ok()) {
    Notice("suricata-write|" + written.error().message(), "Suricata rules not written: " + written.error().message());
    return;
  }
  suricata_rules_written_ = rules.text;
}

std::vector<std::pair<std::string, std::string>> Sensor::ChangeCursors() const {
  std::vector<std::pair<std::string, std::string>> cursors;
  for (const auto& collection : options_.collections) {
    cursors.emplace_back(collection, pull_state_.AddedAfter(collection));
  }
  return cursors;
}

Result<PullOutcome> Sensor::Pull() {
  PullOutcome outcome;
  std::vector<std::string> added;
  std::vector<std::string> failures;
  bool state_changed = false;
  // The hub's indicator state first, so that an indicator that arrives
  // already marked (say, a false positive) is neither matched nor hunted.
  // Since the last answer's cursor, and the whole state again every
  // kWholeStateEvery (the delta does not see a change of a collection's
  // audience or a member's role). A hub that does not know the cursor
  // refuses it: then the whole state.
  const auto state_now = std::chrono::steady_clock::now();
  if (!state_fetched_ || state_now - *state_fetched_ >= kWholeStateEvery) state_cursor_.clear();
  auto state = hub_.GetIndicatorStateSince(state_cursor_);
  if (!state.ok() && !state_cursor_.empty() && state.error().kind() == ErrorKind::kInvalidArgument) {
    state_cursor_.clear();
    state = hub_.GetIndicatorStateSince(state_cursor_);
  }
  if (!state.ok()) {
    failures.push_back(state.error().message());
  } else {
    ++stats_.state_polls;
    if (state_cursor_.empty()) state_fetched_ = state_now;
    std::map<std::string, InactiveIndicator> next =
        state->complete ? std::map<std::string, InactiveIndicator>{} : inactive_;
    for (const auto& id : state->active) next.erase(id);
    for (auto& entry : state->inactive) next.insert_or_assign(entry.id, std::move(entry));
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
    state_cursor_ = state->cursor;
  }
  outcome.inactive = inactive_.size();
  // The mapping of the member's RPZ owner names to indicators, for the
  // blocks; the last one stays in use when a fetch fails.
  const auto steady_now = std::chrono::steady_clock::now();
  if (blocks_ && (!mapping_fetched_ || steady_now - *mapping_fetched_ >= options_.block_mapping_every)) {
    auto mapping = hub_.GetRpzMapping(options_.org_code);
    auto parsed = mapping.ok() ? RpzMapping::Parse(*mapping) : Result<RpzMapping>(mapping.error());
    if (parsed.ok()) {
      mapping_fetched_ = steady_now;
      ++stats_.block_mappings;
      blocks_->SetMapping(std::move(parsed).value());
    } else {
      failures.push_back("the RPZ mapping for counting blocks: " + parsed.error().message());
    }
  }
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
  LoadReport parse_report;
  std::size_t untrusted = 0;
  auto indicators = ActiveStixIndicators(indicator_ids, &untrusted, &parse_report);
  if (!indicators.ok()) return indicators.error().WithContext("retro-hunt");
  // Past events are searched regardless of valid_from: an indicator is
  // usually published after the first attacks it describes. valid_until is
  // still respected (the index compares it with the event's time).
  for (auto& indicator : *indicators) indicator.valid_from.reset();
  std::unordered_map<std::string, std::string> owner;
  std::size_t sigma_failed = 0;
  detect::EngineSources sources;
  sources.rule_documents = ActiveSigmaDocuments(indicator_ids, owner, &sigma_failed, &untrusted);
  sources.rule_options = RuleOptions();
  sources.indicators = std::move(indicators).value();
  sources.warning_lists = options_.warning_lists;
  sources.engine_options.correlation_limits = options_.correlation_limits;
  if (!options_.state_dir.empty())
    sources.engine_options.prefilter_cache_dir = (options_.state_dir / "prefilter").string();
  detect::EngineLoadReport report;
  auto engine = detect::BuildEngine(std::move(sources), report);
  NoticeWarningLists(report);
  if (!engine.ok()) return engine.error().WithContext("retro-hunt");
  const IndicatorIndex* index = (*engine)->indicators();
  if ((index == nullptr || index->matchable() == 0) && owner.empty()) return std::uint64_t{0};

  ++stats_.retro_hunts;
  std::uint64_t hits = 0;
  std::uint64_t searched = 0;
  // Alerts come as a timeline, those of one event together.
  std::vector<std::string> seen_in_event;
  std::optional<std::uint64_t> event_seq;
  const detect::Scanner scanner(*engine);
  const detect::ScanSummary summary = scanner.Run(
      [&](const detect::EventSink& sink) -> Status {
        auto scanned = archive_->Scan([&](Event& event) { sink(event); });
        if (!scanned.ok()) return scanned.error();
        searched = scanned->events;
        return Ok();
      },
      detect::ScanOptions{},
      [&](const detect::Detection& found) {
        if (event_seq != found.seq) seen_in_event.clear();
        event_seq = found.seq;
        const auto before = seen_in_event.size();
        Record(found.alert, found.alert.time, true, seen_in_event, owner);
        if (seen_in_event.size() > before) ++hits;
      });
  for (const auto& correlation : summary.correlations) stats_.correlation_overflows += correlation.overflows();
  NoticeCorrelationLimits(summary.correlations, owner);
  if (!summary.read.ok()) return summary.read.error().WithContext("retro-hunt");
  stats_.retro_events_searched += searched;
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
  if (alert.kind == detect::AlertKind::kCorrelation) ++stats_.correlation_alerts;
  if (alert.kind == detect::AlertKind::kSigma || alert.kind == detect::AlertKind::kCorrelation) {
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
  scanner_->Process(scratch_, [&](const detect::Alert& alert) {
    // A correlation alert is dated by the event that completed it.
    Record(alert, alert.kind == detect::AlertKind::kCorrelation ? alert.time : event.time, false, seen_in_event,
           sigma_owner_);
  });
  if (const std::uint64_t overflows = scanner_->correlation_overflows(); overflows != live_overflows_seen_) {
    stats_.correlation_overflows += overflows - live_overflows_seen_;
    live_overflows_seen_ = overflows;
    NoticeCorrelationLimits(scanner_->correlation_stats(), sigma_owner_);
  }
  stats_.regex_matches_stopped = sigma::RegexLimitCountsNow().stopped + IndicatorRegexMatchesStopped();
}

Status Sensor::ScanLogs(std::span<const std::string> paths) {
  LogSource source;
  const Status read = source.Read(paths, [&](const Event& event) { ProcessEvent(event); });
  stats_.bad_records += source.stats().bad_records();
  if (archive_) DV_TRY(archive_->Flush());
  return read;
}

void Sensor::ProcessBlockLine(BlockLogFormat format, std::string_view line) {
  if (blocks_) blocks_->AddLine(format, line, Timestamp::Now());
}

Result<std::size_t> Sensor::Publish() {
  const Timestamp now = Timestamp::Now();
  auto pending = sightings_.TakePending(now);
  if (!pending.ok()) return pending.error();
  std::vector<stix::ValidatedObject> blocks;
  if (blocks_) {
    auto taken = blocks_->TakePending(now);
    if (!taken.ok()) {
      sightings_.Restore(*pending);
      return taken.error();
    }
    blocks = std::move(taken).value();
  }
  if (pending->empty() && blocks.empty()) return std::size_t{0};
  std::vector<std::string> texts;
  texts.reserve(pending->size() + blocks.size());
  for (const auto& object : *pending) texts.push_back(object.canonical_json);
  for (const auto& object : blocks) texts.push_back(object.canonical_json);
  auto status = hub_.PostObjects(options_.sightings_collection, texts);
  if (!status.ok()) {
    sightings_.Restore(*pending);
    if (blocks_) blocks_->Restore(blocks);
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
  if (blocks_) blocks_->Forget(Timestamp(Timestamp::Now().unix_ms() - 48 * SightingAggregator::kHourMs));
  if (!archive_) return Ok();
  auto pruned = archive_->Prune(Timestamp::Now());
  if (!pruned.ok()) return pruned.error();
  stats_.archive_segments_pruned += *pruned;
  sightings_.Forget(Timestamp(Timestamp::Now().unix_ms() - 48 * SightingAggregator::kHourMs));
  return Ok();
}

}  // namespace dv::sensor
