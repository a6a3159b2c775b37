// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sigma correlation rules over a time-ordered stream of base matches:
// event_count, value_count, temporal, temporal_ordered, value_sum, value_avg
// and value_percentile, grouped by fields (with aliases across rules), in a
// sliding window of `timespan`, chained (a correlation may refer to another).
//
// A group fires when its window satisfies the condition; the group is then
// closed, so one burst gives one alert. Matches must be added in
// non-decreasing time order (the scan sorts them; a live stream is in order,
// and a late match counts in the windows open when it arrives).
//
// Bounded state (EngineOptions::correlation_limits, per correlation rule):
// every addition trims its group's window to `timespan` and closes the
// least recently seen groups whose newest entry left the window, so idle
// groups cost nothing after `timespan`. Within the window, open groups are
// capped at max_groups and held entries at max_entries: beyond them the
// least recently seen group is dropped (and, when one group alone holds
// max_entries, its oldest entry), counted in CorrelationStats — a flood of
// distinct group-by values can make a correlation miss, never exhaust
// memory. event_count, value_count and temporal cost O(1) per match;
// temporal_ordered and value_sum/avg/percentile O(entries in the group).
// Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "detect/engine.h"

namespace dv::detect {

// The state of one correlation rule and what its limits cost it.
struct CorrelationStats {
  std::string rule_id;  // the rule's id, or its title without one
  std::string title;
  std::size_t open_groups = 0;
  std::size_t entries = 0;
  std::uint64_t dropped_groups = 0;   // dropped at a limit while their window was open
  std::uint64_t dropped_entries = 0;  // entries dropped with them or alone
  std::uint64_t overflows() const { return dropped_groups + dropped_entries; }
};

class CorrelationEngine {
 public:
  explicit CorrelationEngine(std::shared_ptr<const Engine> engine);
  CorrelationEngine(const CorrelationEngine&) = delete;
  CorrelationEngine& operator=(const CorrelationEngine&) = delete;

  // Adds a base match; calls on_alert for every correlation that fires
  // (including chained ones).
  void Add(const BaseMatch& match, const EngineStream::AlertSink& on_alert);
  bool empty() const { return correlations_.empty(); }
  // One per correlation rule, in the rule set's order.
  std::vector<CorrelationStats> stats() const;
  // The sum of CorrelationStats::overflows() over every rule (cheap).
  std::uint64_t overflows() const { return overflows_; }

 private:
  struct Occurrence {
    std::vector<std::string> refs;  // the ids/names this occurrence answers to
    Timestamp time;
    std::string origin;
    std::string host;
    const std::vector<std::pair<std::string, std::string>>* values;
  };
  struct Entry {
    Timestamp time;
    std::size_t source = 0;  // index into the correlation's rules
    std::string value;       // the condition field's value, if any
    std::int64_t seq = 0;    // arrival order in the group
    double number = 0;       // `value` read as a number, when `numeric`
    bool numeric = false;
  };
  // Each measure is kept up to date as entries come and go, so a match costs
  // O(1) (event_count, value_count, value_sum, value_avg, temporal) or
  // O(referenced rules) (temporal_ordered), whatever the window holds;
  // value_percentile selects over the window's numbers, O(entries).
  struct Group {
    std::string key;
    std::deque<Entry> window;
    std::unordered_map<std::string, std::uint32_t> distinct;  // non-empty values in the window → entries
    std::vector<std::uint32_t> sources;                       // entries in the window per referenced rule
    std::int64_t next_seq = 0;
    // temporal_ordered: per step k, the latest arrival (seq) that starts a
    // chain of entries of rules 0..k in order; -1 for none. The chain lies in
    // the window when its start is not older than the window's first entry.
    std::vector<std::int64_t> chain_start;
    long double sum = 0;      // of the numeric values in the window
    std::size_t numbers = 0;  // numeric values in the window
  };
  using GroupList = std::list<Group>;
  struct State {
    std::shared_ptr<const sigma::Rule> rule;
    GroupList groups;                                                  // least recently seen first
    std::unordered_map<std::string_view, GroupList::iterator> by_key;  // views of Group::key
    std::size_t entries = 0;
    std::uint64_t dropped_groups = 0;
    std::uint64_t dropped_entries = 0;
  };

  void Feed(const Occurrence& occurrence, const EngineStream::AlertSink& on_alert, int depth);
  static std::string FieldFor(const sigma::Correlation& correlation, const std::string& field,
                              const std::string& source_ref);
  static void PopOldest(State& state, Group& group);
  static void CloseGroup(State& state, GroupList::iterator group);
  // The group for `key`, made the most recently seen; opened (within the limits) when new.
  GroupList::iterator Touch(State& state, const std::string& key);

  std::shared_ptr<const Engine> engine_;
  CorrelationLimits limits_;
  std::vector<State> correlations_;
  std::uint64_t overflows_ = 0;
};

}  // namespace dv::detect
