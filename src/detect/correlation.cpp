// SPDX-License-Identifier: Apache-2.0
#include "detect/correlation.h"

#include <algorithm>
#include <cmath>
#include <set>

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

CorrelationEngine::CorrelationEngine(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {
  for (const auto& rule : engine_->rules().correlations()) correlations_.push_back({rule, {}});
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
    Group& group = state.groups[key];
    group.window.push_back(
        {occurrence.time, source,
         correlation.condition.field.empty() ? std::string() : value_of(correlation.condition.field)});
    const std::int64_t oldest = occurrence.time.unix_ms() - correlation.timespan_ms;
    while (!group.window.empty() && group.window.front().time.unix_ms() < oldest) group.window.pop_front();

    double measure = 0;
    bool fired = false;
    using Type = sigma::Correlation::Type;
    switch (correlation.type) {
      case Type::kEventCount:
        measure = static_cast<double>(group.window.size());
        fired = Satisfies(correlation.condition, measure);
        break;
      case Type::kValueCount: {
        std::set<std::string> distinct;
        for (const auto& entry : group.window) {
          if (!entry.value.empty()) distinct.insert(entry.value);
        }
        measure = static_cast<double>(distinct.size());
        fired = Satisfies(correlation.condition, measure);
        break;
      }
      case Type::kTemporal: {
        std::set<std::size_t> sources;
        for (const auto& entry : group.window) sources.insert(entry.source);
        measure = static_cast<double>(sources.size());
        fired = HasThreshold(correlation.condition) ? Satisfies(correlation.condition, measure)
                                                    : sources.size() == correlation.rules.size();
        break;
      }
      case Type::kTemporalOrdered: {
        std::size_t next = 0;
        for (const auto& entry : group.window) {
          if (next < correlation.rules.size() && entry.source == next) ++next;
        }
        measure = static_cast<double>(next);
        fired = HasThreshold(correlation.condition) ? Satisfies(correlation.condition, measure)
                                                    : next == correlation.rules.size();
        break;
      }
      case Type::kValueSum:
      case Type::kValueAvg:
      case Type::kValuePercentile: {
        std::vector<double> numbers;
        for (const auto& entry : group.window) {
          double number = 0;
          if (sigma::ParseNumber(entry.value, number)) numbers.push_back(number);
        }
        if (numbers.empty()) break;
        if (correlation.type == Type::kValueSum) {
          for (double number : numbers) measure += number;
        } else if (correlation.type == Type::kValueAvg) {
          for (double number : numbers) measure += number;
          measure /= static_cast<double>(numbers.size());
        } else {
          std::sort(numbers.begin(), numbers.end());
          const double rank =
              correlation.condition.percentile.value_or(50.0) / 100.0 * static_cast<double>(numbers.size() - 1);
          const auto low = static_cast<std::size_t>(std::floor(rank));
          const auto high = std::min(low + 1, numbers.size() - 1);
          measure = numbers[low] + (numbers[high] - numbers[low]) * (rank - static_cast<double>(low));
        }
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
    group.window.clear();
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
