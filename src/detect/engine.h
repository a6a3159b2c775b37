// SPDX-License-Identifier: Apache-2.0
#pragma once

// The detection engine: Sigma rules and indicators compiled once into an
// immutable Engine, shared by every thread; an EngineStream per thread (or
// per live stream) holds the scratch memory and evaluates events.
//
// Per event: the field mapping adds taxonomy names and says which log
// sources the event belongs to; the rules of those log sources are the
// candidates. One Hyperscan scan over the event's case-folded values finds
// which prefilter literals occur; a candidate rule that needs a literal is
// evaluated only when one of its literals occurred (CompiledRule::
// RequiredLiterals is a necessary condition, so no match is lost). The same
// scan covers every literal a value matcher requires (the dictionary's), so
// inside an evaluated rule a matcher whose literal occurred in no field is
// skipped without searching (sigma::EventView's literal gate). Indicators
// are matched through the IndicatorIndex. Matches of rules that correlation
// rules refer to are also reported as BaseMatches, for the CorrelationEngine.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "detect/indicators/indicator_index.h"
#include "sigma/rule_set.h"

struct hs_database;
struct hs_scratch;

namespace dv::detect {

enum class AlertKind { kSigma, kIndicator, kCorrelation };
std::string_view AlertKindName(AlertKind kind);

struct Alert {
  AlertKind kind = AlertKind::kSigma;
  std::string rule_id;  // Sigma rule id (or title when it has none), indicator id, correlation id
  std::string title;
  sigma::Level level = sigma::Level::kMedium;
  std::optional<Timestamp> time;
  std::string origin;  // where the (last) event came from
  std::string host;
  // The fields that matched, with their values (values cut at 256 bytes).
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> tags;
  std::int64_t event_count = 1;  // correlations: events that made it
};

// A match of a rule that a correlation refers to, with the fields the
// correlations need (group-by fields and value fields, after aliases).
struct BaseMatch {
  std::uint32_t rule_idx = 0;
  Timestamp time;
  std::string origin;
  std::string host;
  std::vector<std::pair<std::string, std::string>> values;  // field → value
};

// Bounds on the state of each correlation rule (detect/correlation.h): a
// hostile log must not grow memory without bound. Per correlation rule.
struct CorrelationLimits {
  // Open groups (distinct group-by values with events in the window). A new
  // group beyond this drops the least recently seen group (counted).
  std::size_t max_groups = 10'000;
  // Entries (base matches) held over all of the rule's groups. Beyond it the
  // least recently seen groups are dropped, and the oldest entries of the
  // group being added to when it alone holds this many (counted).
  std::size_t max_entries = 100'000;
};

struct EngineOptions {
  bool prefilter = true;  // false: evaluate every candidate rule (for measurements)
  // Where compiled prefilter databases are kept between runs
  // (detect/prefilter_cache.h); empty: compiled each time.
  std::string prefilter_cache_dir;
  CorrelationLimits correlation_limits;
};

class Engine {
 public:
  static Result<std::shared_ptr<const Engine>> Build(std::shared_ptr<const sigma::RuleSet> rules,
                                                     std::shared_ptr<const IndicatorIndex> indicators,
                                                     EngineOptions options = {});
  ~Engine();

  const sigma::RuleSet& rules() const { return *rules_; }
  const IndicatorIndex* indicators() const { return indicators_.get(); }
  const EngineOptions& options() const { return options_; }
  // Literals the per-event scan looks for (the dictionary's gated literals
  // and any rule literal it lacks).
  std::size_t prefilter_literals() const { return literal_rules_.size(); }
  // Whether the prefilter databases were read from prefilter_cache_dir.
  bool prefilter_from_cache() const { return prefilter_from_cache_; }
  // Rules evaluated for every event of their log source (no literal found).
  std::size_t unfiltered_rules() const;
  // Fields a correlation needs from matches of rule `rule_idx`.
  const std::vector<std::string>& CorrelationFields(std::uint32_t rule_idx) const {
    return correlation_fields_[rule_idx];
  }

 private:
  friend class EngineStream;
  Engine() = default;
  std::shared_ptr<const sigma::RuleSet> rules_;
  std::shared_ptr<const IndicatorIndex> indicators_;
  EngineOptions options_;
  hs_database* literal_db_ = nullptr;                      // every literal, over the fields rules name
  hs_database* anywhere_db_ = nullptr;                     // keywords' literals, over the other fields
  std::vector<std::vector<std::uint32_t>> literal_rules_;  // literal id → rule indexes
  std::uint32_t gated_literals_ = 0;
  bool prefilter_from_cache_ = false;  // ids below this are the dictionary's (sigma::EventView::NoteLiteral)
  std::vector<bool> always_;           // rule has no prefilter literal
  std::vector<bool> correlated_;       // a correlation refers to the rule
  std::vector<bool> suppressed_;       // only correlations report it (generate: false)
  std::vector<std::vector<std::string>> correlation_fields_;
  std::vector<std::vector<std::string>> report_fields_;  // fields shown in alerts
};

// Evaluates events against an Engine. Not thread-safe: one per thread.
class EngineStream {
 public:
  explicit EngineStream(std::shared_ptr<const Engine> engine);
  ~EngineStream();
  EngineStream(const EngineStream&) = delete;
  EngineStream& operator=(const EngineStream&) = delete;

  using AlertSink = std::function<void(const Alert&)>;
  using BaseMatchSink = std::function<void(BaseMatch&&)>;

  // Normalizes `event` (adds taxonomy aliases) and reports its alerts and
  // base matches. Returns the number of Sigma rules evaluated.
  std::size_t Process(Event& event, const AlertSink& on_alert, const BaseMatchSink& on_base_match);

  // Sigma rules whose conditions held on the last event, before
  // suppression (for tests and the differential check).
  const std::vector<std::uint32_t>& last_matches() const { return last_matches_; }

 private:
  std::shared_ptr<const Engine> engine_;
  sigma::EventView view_;
  EventFieldIndex field_index_;  // of the event being processed, after Normalize
  hs_scratch* scratch_ = nullptr;
  IndicatorScratch indicator_scratch_;
  std::vector<IndicatorHit> hits_;
  std::vector<std::uint32_t> defs_;
  std::vector<std::uint32_t> candidate_stamp_;
  std::vector<std::uint32_t> evaluated_stamp_;
  std::uint32_t generation_ = 0;
  std::vector<std::uint32_t> last_matches_;
};

// The one-rule-at-a-time evaluation: every rule whose log source applies is
// evaluated through a DirectFieldSource, without prefilter or field
// grouping. The baseline for benchmarks and the oracle for differential tests.
std::vector<std::uint32_t> EvaluateNaively(const sigma::RuleSet& rules, Event& event);

}  // namespace dv::detect
