// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sensor: a member's side of the sharing. It pulls indicators from the hub
// (incrementally), matches the member's own events with the detection
// engine, keeps a bounded archive of recent events, searches that archive
// for indicators that are new (retro-hunt), and reports what it saw as STIX
// sightings — never the events themselves. docs/sensor.md describes what is
// sent, the state it keeps and the options.
//
// The active set — what live matching and retro-hunts use — is every cached
// indicator (STIX patterns through the indicator index, `pattern_type:
// sigma` indicators compiled as Sigma rules, correlation rules included)
// minus the ones the hub's indicator state lists as inactive (false
// positive, expired, revoked), with warning-list values taken out
// (detect/indicators/warning_list.h). Engines are built and run by the
// detection pipeline (detect/pipeline.h): live events one at a time through
// Scanner::Process, whose correlation windows start afresh when the active
// set is rebuilt; a retro-hunt through Scanner::Run over the archive, its
// correlations over the archived events in time order.
//
// The hub is reached only through a HubClient, so tests can use a fake. The
// Sensor owns its state folder (state.json, indicators.jsonl, archive/).
// Not thread-safe: one thread drives Pull/ScanLogs/Publish; the compiled
// engine it builds is immutable and could be shared.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/tlp.h"
#include "detect/engine.h"
#include "detect/indicators/warning_list.h"
#include "detect/pipeline.h"
#include "sensor/archive.h"
#include "sensor/blocks.h"
#include "sensor/sightings.h"
#include "sensor/state.h"
#include "sensor/taxii_client.h"

namespace dv::sensor {

struct SensorOptions {
  std::vector<std::string> collections;  // where indicators are pulled from
  std::string sightings_collection;      // where sightings go; empty: collections[0]
  std::string org_code;                  // the member's organisation; empty: no identity in sightings
  bool counts_only = false;              // sightings carry only sighting_of_ref, count, first/last seen
  std::optional<Tlp> tlp = Tlp::kAmber;  // marking of sightings (not with counts_only)
  std::vector<std::string> rule_paths;   // local Sigma rules (files or folders); alerts are local only
  std::filesystem::path state_dir;       // state.json, indicators.jsonl, archive/, prefilter/
  bool archive = true;                   // keep events for retro-hunts
  ArchiveOptions archive_options;
  int page_limit = 1000;
  // Known-benign values (built-in lists, the member's own infrastructure);
  // null: no warning lists. The CLI passes WarningLists::BuiltIn() plus --own-*.
  std::shared_ptr<const WarningLists> warning_lists;
  // Called for every alert (live and retro-hunt), e.g. to print it. Alerts of
  // hub Sigma rules (detection and correlation rules) carry the indicator id
  // as rule_id.
  std::function<void(const detect::Alert& alert, bool retro)> on_alert;
  // Called once per fact about the active set: a value dropped by a warning
  // list, a hub Sigma rule that does not compile (within the budget) or
  // whose publisher is not trusted, an indicator made inactive or active
  // again by the hub's indicator state.
  std::function<void(const std::string& notice)> on_notice;
  // Whose shared content runs (docs/sensor.md, "Whose content runs"). Sigma
  // rules and indicators that are not exact values (any comparison other
  // than =, IN or ISSUBSET, or a negated one) run only when their
  // `created_by_ref` is the identity of `coordinator_org`, of `org_code` or
  // of one of `trusted_publishers` (organisation codes); exact-value
  // indicators run whoever published them. Sightings of Sigma rules and
  // non-exact indicators of publishers other than `coordinator_org` and
  // `org_code` are reduced (SightingAggregator::Detail::kReduced).
  std::string coordinator_org = "CFCS";
  std::vector<std::string> trusted_publishers;
  // Limits on Sigma rules, local and shared (sigma/budget.h).
  sigma::SigmaBudget budget;
  // Bounds on each correlation rule's open windows, live and in retro-hunts
  // (detect/engine.h). What they drop is counted (correlation_overflows) and
  // said once per rule through on_notice.
  detect::CorrelationLimits correlation_limits;
  // Count blocks of the member's resolvers and firewalls (sensor/blocks.h,
  // ProcessBlockLine): Pull() also fetches the hub's RPZ mapping for
  // `org_code` (at most every `block_mapping_every`), and Publish() posts
  // the block sightings with the others. Needs org_code.
  // Suricata rules shared as indicators (`pattern_type: suricata`) are
  // written to this file after every change of the active set (validated,
  // one per line, replaced atomically; sensor/suricata_rules.h); rules run
  // only from trusted publishers, as Sigma rules. Empty: not written.
  std::filesystem::path suricata_rules_file;
  bool count_blocks = false;
  std::string firewall_log_prefix = "dv-block";
  std::chrono::seconds block_mapping_every{60};
};

struct SensorStats {
  std::uint64_t pulls = 0;
  std::uint64_t objects_received = 0;
  std::size_t indicators = 0;            // in the active set
  std::size_t indicators_matchable = 0;  // of those, matchable by the index
  std::size_t indicators_unsupported = 0;
  std::size_t sigma_indicators = 0;         // hub Sigma rules in the active set
  std::size_t sigma_indicators_failed = 0;  // hub Sigma rules that do not compile within the budget (skipped)
  // Hub Sigma rules and non-exact indicators held out because this member
  // does not trust their publisher (SensorOptions::trusted_publishers).
  std::size_t untrusted_skipped = 0;
  // Regular expression matches (Sigma and indicators) stopped at a limit of
  // core/regex_limits.h and counted as no match; process-wide.
  std::uint64_t regex_matches_stopped = 0;
  std::size_t inactive_indicators = 0;      // held out by the hub's indicator state
  std::size_t warning_list_values = 0;      // comparison values dropped by warning lists
  std::size_t warning_list_indicators = 0;  // indicators whose every comparison is benign (held out)
  std::uint64_t state_polls = 0;            // GET /api/v1/indicators/state answered
  std::uint64_t events = 0;
  std::uint64_t bad_records = 0;
  std::uint64_t indicator_hits = 0;        // events × indicators, live (hub Sigma rules included)
  std::uint64_t sigma_indicator_hits = 0;  // of those, by hub Sigma rules
  std::uint64_t sigma_alerts = 0;          // local rules (--rules)
  // Alerts of correlation rules, local (also in sigma_alerts) and shared
  // (also in indicator_hits and sigma_indicator_hits), live and retro-hunt.
  std::uint64_t correlation_alerts = 0;
  // Groups and entries correlation rules dropped at their limits
  // (SensorOptions::correlation_limits), live and retro-hunt: each is a
  // chance that a correlation was missed, e.g. under a flood of group-by values.
  std::uint64_t correlation_overflows = 0;
  std::uint64_t retro_hunts = 0;
  std::uint64_t retro_events_searched = 0;
  std::uint64_t retro_hits = 0;
  std::uint64_t sightings_posted = 0;  // objects the hub accepted
  std::uint64_t sightings_refused = 0;
  std::uint64_t archived = 0;
  std::uint64_t archive_segments_pruned = 0;
  std::uint64_t block_mappings = 0;        // RPZ mappings fetched
  std::size_t suricata_rules = 0;          // in the rules file now
  std::size_t suricata_rules_skipped = 0;  // invalid, repeated sid, untrusted publisher, or expired
  BlockStats blocks;                       // lines of block logs (count_blocks)
};

struct PullOutcome {
  std::size_t received = 0;
  std::size_t added = 0;     // new or changed indicators
  std::size_t removed = 0;   // revoked
  std::size_t inactive = 0;  // indicators the hub's state holds out now
  bool rebuilt = false;      // the engine was rebuilt
  std::uint64_t retro_hits = 0;
};

class Sensor {
 public:
  // Loads the state folder and the local rules and builds the engine from
  // the cached indicators. `hub` must outlive the Sensor.
  static Result<std::unique_ptr<Sensor>> Create(HubClient& hub, SensorOptions options);
  ~Sensor();

  // Reads the hub's indicator state, pulls every collection from its
  // added_after (all pages, indicators only), merges into the cache,
  // rebuilds the engine when something changed (new, changed or revoked
  // indicators, or a changed inactive list), retro-hunts the archive for the
  // new indicators that are active, and saves the state. A failed collection
  // leaves its added_after where it was; a failed state read keeps the last
  // inactive list (and is reported like a failed collection).
  Result<PullOutcome> Pull();
  // Reads log files ("-" for stdin) and processes every event. Errors only
  // when a named path cannot be read (after reading the others).
  Status ScanLogs(std::span<const std::string> paths);
  // Matches one event and archives it.
  void ProcessEvent(const Event& event);
  // One line of a resolver's or firewall's block log (count_blocks); a line
  // that is not a block is counted and dropped, never an error.
  void ProcessBlockLine(BlockLogFormat format, std::string_view line);
  // Posts the pending sightings (block sightings included). On failure they
  // stay pending for the next call.
  Result<std::size_t> Publish();
  // Prunes the archive to its bounds and flushes it.
  Status Maintain();

  const SensorStats& stats() const {
    if (blocks_) stats_.blocks = blocks_->stats();
    return stats_;
  }
  // The live correlation state, one per correlation rule of the active set
  // (rule_id as the engine knows it: a hub rule's own id, not the indicator's).
  std::vector<detect::CorrelationStats> LiveCorrelations() const {
    return scanner_ == nullptr ? std::vector<detect::CorrelationStats>{} : scanner_->correlation_stats();
  }
  // The member's identity id, or empty.
  const std::string& identity_id() const { return identity_id_; }
  // Each pulled collection with the added_after its next pull sends (empty
  // before the first): the cursors for HubClient::WaitForChanges.
  std::vector<std::pair<std::string, std::string>> ChangeCursors() const;

 private:
  Sensor(HubClient& hub, SensorOptions options);
  Status RebuildEngine();
  void WriteSuricataRules();
  Result<std::uint64_t> RetroHunt(const std::vector<std::string>& indicator_ids);
  // The cached STIX-pattern indicators (all, or `only`) that are active.
  // Non-exact indicators of untrusted publishers are held out (counted in
  // `untrusted`). Warning lists are applied by BuildEngine.
  Result<std::vector<Indicator>> ActiveStixIndicators(const std::vector<std::string>& only, std::size_t* untrusted,
                                                      LoadReport* report);
  // Says once what the warning lists took out of an engine's indicators.
  void NoticeWarningLists(const detect::EngineLoadReport& report);
  // Says once per correlation rule that its limits dropped state.
  void NoticeCorrelationLimits(const std::vector<detect::CorrelationStats>& correlations,
                               const std::unordered_map<std::string, std::string>& sigma_owner);
  // The cached Sigma-pattern indicators (all, or `only`) that are active,
  // trusted and compile within the budget, as documents ready for
  // RuleSet::Build; the others are noticed and counted. A correlation rule
  // may refer only to rules of its own indicator, and no rule may reuse an
  // id or name of a local rule or of another indicator's rule.
  sigma::LoadedDocuments ActiveSigmaDocuments(const std::vector<std::string>& only,
                                              std::unordered_map<std::string, std::string>& owner, std::size_t* failed,
                                              std::size_t* untrusted);
  bool Active(const std::string& indicator_id) const { return !inactive_.contains(indicator_id); }
  // Whether content published by `created_by_ref` may run here when it is
  // not an exact value; records in reduced_ what will be sighted with less detail.
  bool MayRun(const std::string& indicator_id, const std::string& created_by_ref);
  sigma::RuleSetOptions RuleOptions() const;
  void Notice(const std::string& key, const std::string& message);
  void Record(const detect::Alert& alert, std::optional<Timestamp> event_time, bool retro,
              std::vector<std::string>& seen_in_event, const std::unordered_map<std::string, std::string>& sigma_owner);
  void RecordHit(const detect::Alert& alert, std::optional<Timestamp> event_time, bool retro, bool sigma,
                 std::vector<std::string>& seen_in_event);

  HubClient& hub_;
  SensorOptions options_;
  std::string identity_id_;
  PullState pull_state_;
  IndicatorCache cache_;
  std::shared_ptr<const sigma::RuleSet> rules_;  // local rules only; null without --rules
  sigma::LoadedDocuments local_rules_;           // --rules, parsed once
  // Hub Sigma rules: the rule's id (or title) → the indicator that carries it.
  std::unordered_map<std::string, std::string> sigma_owner_;
  std::optional<std::string> suricata_rules_written_;  // the rules file's text as last written
  std::map<std::string, InactiveIndicator> inactive_;  // by indicator id
  // The hub's indicator state is asked for since this cursor (empty: whole).
  static constexpr std::chrono::hours kWholeStateEvery{1};
  std::string state_cursor_;
  std::optional<std::chrono::steady_clock::time_point> state_fetched_;  // the last whole state
  std::set<std::string> trusted_ids_;                                   // identity ids whose non-exact content runs
  std::set<std::string> full_detail_ids_;                               // the coordinator's and the member's own
  std::unordered_set<std::string> reduced_;                             // indicator ids sighted with Detail::kReduced
  std::set<std::string> noticed_;
  std::shared_ptr<const detect::Engine> engine_;
  std::unique_ptr<detect::Scanner> scanner_;  // live matching; rebuilt with the engine
  std::uint64_t live_overflows_seen_ = 0;     // scanner_->correlation_overflows() already counted
  std::optional<EventArchive> archive_;
  SightingAggregator sightings_;
  std::optional<BlockCounter> blocks_;  // count_blocks
  std::optional<std::chrono::steady_clock::time_point> mapping_fetched_;
  mutable SensorStats stats_;
  Event scratch_;
};

}  // namespace dv::sensor
