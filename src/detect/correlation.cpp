// SPDX-License-Identifier: Apache-2.0
#include "detect/correlation.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "sigma/value_matcher.h"

namespace dv::detect {
namespace {

bool Satisfies(const sigma::Correlation::Threshold& threshold, double value) {
  if (threshold.gt && !(value > *threshold.gt)) return false;
  if (threshold.gte && !(value >= *threshold.gte)) return false;
  if (threshold.lt && !(value < *threshold.lt)) return false;
  if (threshold.lte && !(value <= *threshold.lte)) return false;
  if (threshold.eq && !(value == *threshold.eq)) return false;
  if (threshold.neq && !(value != *threshold.neq)) return false;
  return true;
}

bool HasThreshold(const sigma::Correlation::Threshold& t) { return t.gt || t.gte || t.lt || t.lte || t.eq || t.neq; }

std::string FormatNumber(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return buffer;
}

}  // namespace

CorrelationEngine::CorrelationEngine(std::shared_ptr<const Engine> engine)
    : engine_(std::move(engine)), limits_(engine_->options().correlation_limits) {
  // At least one group of one entry, so that a correlation can still fire.
  limits_.max_groups = std::max<std::size_t>(limits_.max_groups, 1);
  limits_.max_entries = std::max<std::size_t>(limits_.max_entries, 1);
  correlations_.reserve(engine_->rules().correlations().size());
  for (const auto& rule : engine_->rules().correlations()) {
    correlations_.emplace_back();
    correlations_.back().rule = rule;
  }
}

std::vector<CorrelationStats> CorrelationEngine::stats() const {
  std::vector<CorrelationStats> out;
  out.reserve(correlations_.size());
  for (const auto& state : correlations_) {
    CorrelationStats stats;
    stats.rule_id = state.rule->id.empty() ? state.rule->title : state.rule->id;
    stats.title = state.rule->title;
    stats.open_groups = state.by_key.size();
    stats.entries = state.entries;
    stats.dropped_groups = state.dropped_groups;
    stats.dropped_entries = state.dropped_entries;
    out.push_back(std::move(stats));
  }
  return out;
}

void CorrelationEngine::PopOldest(State& state, Group& group) {
  Entry& oldest = group.window.front();
  if (!oldest.value.empty()) {
    const auto counted = group.distinct.find(oldest.value);
    if (counted != group.distinct.end() && --counted->second == 0) group.distinct.erase(counted);
  }
  if (oldest.source < group.sources.size()) --group.sources[oldest.source];
  if (oldest.numeric) {
    group.sum -= oldest.number;
    if (--group.numbers == 0) group.sum = 0;  // no drift survives an empty window
  }
  group.window.pop_front();
  --state.entries;
}

void CorrelationEngine::CloseGroup(State& state, GroupList::iterator group) {
  state.entries -= group->window.size();
  state.by_key.erase(group->key);
  state.groups.erase(group);
}

CorrelationEngine::GroupList::iterator CorrelationEngine::Touch(State& state, const std::string& key) {
  if (const auto found = state.by_key.find(key); found != state.by_key.end()) {
    state.groups.splice(state.groups.end(), state.groups, found->second);
    return found->second;
  }
  while (state.by_key.size() >= limits_.max_groups) {
    ++state.dropped_groups;
    state.dropped_entries += state.groups.front().window.size();
    overflows_ += 1 + state.groups.front().window.size();
    CloseGroup(state, state.groups.begin());
  }
  state.groups.emplace_back();
  auto group = std::prev(state.groups.end());
  group->key = key;
  group->sources.assign(state.rule->correlation->rules.size(), 0);
  group->chain_start.assign(state.rule->correlation->rules.size(), -1);
  state.by_key.emplace(group->key, group);
  return group;
}

std::string CorrelationEngine::FieldFor(const sigma::Correlation& correlation, const std::string& field,
                                        const std::string& source_ref) {
  const auto alias = correlation.aliases.find(field);
  if (alias == correlation.aliases.end()) return field;
  const auto mapped = alias->second.find(source_ref);
  return mapped == alias->second.end() ? field : mapped->second;
}

void CorrelationEngine::Add(const BaseMatch& match, const EngineStream::AlertSink& on_alert) {
  const sigma::Rule& rule = engine_->rules().rules()[match.rule_idx]->rule();
  Occurrence occurrence;
  if (!rule.id.empty()) occurrence.refs.push_back(rule.id);
  if (!rule.name.empty()) occurrence.refs.push_back(rule.name);
  occurrence.time = match.time;
  occurrence.origin = match.origin;
  occurrence.host = match.host;
  occurrence.values = &match.values;
  Feed(occurrence, on_alert, 0);
}

void CorrelationEngine::Feed(const Occurrence& occurrence, const EngineStream::AlertSink& on_alert, int depth) {
  if (depth > 8) return;  // chains deeper than this are cycles
  for (auto& state : correlations_) {
    const sigma::Correlation& correlation = *state.rule->correlation;
    std::size_t source = correlation.rules.size();
    std::string source_ref;
    for (std::size_t ref_idx = 0; ref_idx < correlation.rules.size() && source == correlation.rules.size(); ++ref_idx) {
      for (const auto& ref : occurrence.refs) {
        if (ref == correlation.rules[ref_idx]) {
          source = ref_idx;
          source_ref = ref;
          break;
        }
      }
    }
    if (source == correlation.rules.size()) continue;

    auto value_of = [&](const std::string& field) -> std::string {
      const std::string name = FieldFor(correlation, field, source_ref);
      for (const auto& [key, value] : *occurrence.values) {
        if (key == name || key == field) return value;
      }
      return {};
    };
    std::string key;
    std::vector<std::pair<std::string, std::string>> group_values;
    for (const auto& group_field : correlation.group_by) {
      std::string value = value_of(group_field);
      key += value;
      key += '\x1f';
      group_values.emplace_back(group_field, std::move(value));
    }
    const std::int64_t oldest = occurrence.time.unix_ms() - correlation.timespan_ms;
    // Groups idle for longer than the timespan hold nothing that can fire.
    while (!state.groups.empty() && state.groups.front().key != key &&
           (state.groups.front().window.empty() || state.groups.front().window.back().time.unix_ms() < oldest)) {
      CloseGroup(state, state.groups.begin());
    }
    const auto group_it = Touch(state, key);
    Group& group = *group_it;
    Entry entry;
    entry.time = occurrence.time;
    entry.source = source;
    if (!correlation.condition.field.empty()) entry.value = value_of(correlation.condition.field);
    entry.seq = group.next_seq++;
    entry.numeric = !entry.value.empty() && sigma::ParseNumber(entry.value, entry.number);
    group.window.push_back(std::move(entry));
    const Entry& added = group.window.back();
    ++state.entries;
    if (!added.value.empty()) ++group.distinct[added.value];
    ++group.sources[source];
    if (added.numeric) {
      group.sum += added.number;
      ++group.numbers;
    }
    // An entry of rule k extends the chains of rules 0..k-1 (or starts one).
    if (source == 0) {
      group.chain_start[0] = added.seq;
    } else if (group.chain_start[source - 1] >= 0) {
      group.chain_start[source] = std::max(group.chain_start[source], group.chain_start[source - 1]);
    }
    while (group.window.size() > 1 && group.window.front().time.unix_ms() < oldest) PopOldest(state, group);
    // Over the entry limit: the least recently seen groups go first, then this group's oldest entries.
    while (state.entries > limits_.max_entries && state.groups.begin() != group_it) {
      ++state.dropped_groups;
      state.dropped_entries += state.groups.front().window.size();
      overflows_ += 1 + state.groups.front().window.size();
      CloseGroup(state, state.groups.begin());
    }
    while (state.entries > limits_.max_entries && group.window.size() > 1) {
      ++state.dropped_entries;
      ++overflows_;
      PopOldest(state, group);
    }

    double measure = 0;
    bool fired = false;
    using Type = sigma::Correlation::Type;
    switch (correlation.type) {
      case Type::kEventCount:
        measure = static_cast<double>(group.window.size());
        fired = Satisfies(correlation.condition, measure);
        break;
      case Type::kValueCount:
        measure = static_cast<double>(group.distinct.size());
        fired = Satisfies(correlation.condition, measure);
        break;
      case Type::kTemporal: {
        const auto seen = static_cast<std::size_t>(
            std::count_if(group.sources.begin(), group.sources.end(), [](std::uint32_t count) { return count > 0; }));
        measure = static_cast<double>(seen);
        fired = HasThreshold(correlation.condition) ? Satisfies(correlation.condition, measure)
                                                    : seen == correlation.rules.size();
        break;
      }
      case Type::kTemporalOrdered: {
        // The longest run of rules 0..k seen in order within the window.
        const std::int64_t first = group.window.front().seq;
        std::size_t next = 0;
        while (next < correlation.rules.size() && group.chain_start[next] >= first) ++next;
        measure = static_cast<double>(next);
        fired = HasThreshold(correlation.condition) ? Satisfies(correlation.condition, measure)
                                                    : next == correlation.rules.size();
        break;
      }
      case Type::kValueSum:
      case Type::kValueAvg: {
        if (group.numbers == 0) break;
        // "inf" and "nan" read as numbers; once one has passed through the
        // running sum it stays inf or NaN, so a log writer could blind the
        // rule for as long as the group lives. Then the sum is taken afresh.
        if (!std::isfinite(group.sum)) {
          group.sum = 0;
          for (const auto& held : group.window) {
            if (held.numeric) group.sum += held.number;
          }
        }
        measure = static_cast<double>(
            correlation.type == Type::kValueSum ? group.sum : group.sum / static_cast<long double>(group.numbers));
        fired = Satisfies(correlation.condition, measure);
        break;
      }
      case Type::kValuePercentile: {
        if (group.numbers == 0) break;
        std::vector<double> numbers;
        numbers.reserve(group.numbers);
        for (const auto& held : group.window) {
          if (held.numeric) numbers.push_back(held.number);
        }
        const double rank =
            correlation.condition.percentile.value_or(50.0) / 100.0 * static_cast<double>(numbers.size() - 1);
        const auto low = static_cast<std::size_t>(std::floor(rank));
        const auto high = std::min(low + 1, numbers.size() - 1);
        std::nth_element(numbers.begin(), numbers.begin() + static_cast<std::ptrdiff_t>(low), numbers.end());
        const double low_value = numbers[low];
        // The next larger value is the smallest of those after `low`.
        const double high_value =
            high == low ? low_value
                        : *std::min_element(numbers.begin() + static_cast<std::ptrdiff_t>(low) + 1, numbers.end());
        measure = low_value + (high_value - low_value) * (rank - static_cast<double>(low));
        fired = Satisfies(correlation.condition, measure);
        break;
      }
    }
    if (!fired) continue;

    const sigma::Rule& rule = *state.rule;
    Alert alert;
    alert.kind = AlertKind::kCorrelation;
    alert.rule_id = rule.id.empty() ? rule.title : rule.id;
    alert.title = rule.title;
    alert.level = rule.level_given ? rule.level : sigma::Level::kHigh;
    alert.time = occurrence.time;
    alert.origin = occurrence.origin;
    alert.host = occurrence.host;
    alert.tags = rule.tags;
    alert.event_count = static_cast<std::int64_t>(group.window.size());
    alert.fields = group_values;
    alert.fields.emplace_back("measure", FormatNumber(measure));
    CloseGroup(state, group_it);
    if (on_alert) on_alert(alert);

    // A fired correlation is an occurrence for correlations that refer to it.
    Occurrence chained;
    if (!rule.id.empty()) chained.refs.push_back(rule.id);
    if (!rule.name.empty()) chained.refs.push_back(rule.name);
    chained.time = occurrence.time;
    chained.origin = occurrence.origin;
    chained.host = occurrence.host;
    chained.values = &group_values;
    Feed(chained, on_alert, depth + 1);
  }
}

}  // namespace dv::detect
