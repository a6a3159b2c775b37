// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sigma correlation rules over a time-ordered stream of base matches:
// event_count, value_count, temporal, temporal_ordered, value_sum, value_avg
// and value_percentile, grouped by fields (with aliases across rules), in a
// sliding window of `timespan`, chained (a correlation may refer to another).
//
// A group fires when its window satisfies the condition; the group's window
// is then emptied, so one burst gives one alert. Matches must be added in
// non-decreasing time order (the scan sorts them; a live stream is in order).
// State grows with the number of open groups and is trimmed to the window
// on every addition. Not thread-safe.

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "detect/engine.h"

namespace dv::detect {

class CorrelationEngine {
 public:
  explicit CorrelationEngine(std::shared_ptr<const Engine> engine);

  // Adds a base match; calls on_alert for every correlation that fires
  // (including chained ones).
  void Add(const BaseMatch& match, const EngineStream::AlertSink& on_alert);
  bool empty() const { return correlations_.empty(); }

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
  };
  struct Group {
    std::deque<Entry> window;
  };
  struct State {
    std::shared_ptr<const sigma::Rule> rule;
    std::map<std::string, Group> groups;
  };

  void Feed(const Occurrence& occurrence, const EngineStream::AlertSink& on_alert, int depth);
  static std::string FieldFor(const sigma::Correlation& correlation, const std::string& field,
                              const std::string& source_ref);

  std::shared_ptr<const Engine> engine_;
  std::vector<State> correlations_;
};

}  // namespace dv::detect
