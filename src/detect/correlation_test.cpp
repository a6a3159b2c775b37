// SPDX-License-Identifier: Apache-2.0
// The correlation engine's state is bounded: by each rule's timespan, and
// within it by CorrelationLimits, with what the limits drop counted.
#include "detect/correlation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <random>

#include "detect/pipeline.h"
#include "sigma/loader.h"

namespace dv::detect {
namespace {

// One failed logon is a base match; the correlations count them per source
// address (event_count), count the accounts tried per address (value_count),
// and want a failure followed by a success (temporal_ordered).
constexpr const char* kCorrelationTestRules = R"(title: Failed logon
id: 00000000-0000-4000-8000-000000000901
name: failed_logon
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 4625}
  condition: selection
---
title: Successful logon
id: 00000000-0000-4000-8000-000000000902
name: good_logon
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 4624}
  condition: selection
---
title: Five failed logons from one address
id: 00000000-0000-4000-8000-000000000903
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 5m
  condition: {gte: 5}
---
title: Three accounts tried from one address
id: 00000000-0000-4000-8000-000000000904
correlation:
  type: value_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 5m
  condition: {gte: 3, field: TargetUserName}
---
title: Failure then success
id: 00000000-0000-4000-8000-000000000905
correlation:
  type: temporal_ordered
  rules: [failed_logon, good_logon]
  group-by: [IpAddress]
  timespan: 5m
)";

constexpr const char* kEventCountId = "00000000-0000-4000-8000-000000000903";
constexpr const char* kValueCountId = "00000000-0000-4000-8000-000000000904";
constexpr const char* kOrderedId = "00000000-0000-4000-8000-000000000905";

std::shared_ptr<const Engine> CorrelationTestEngine(CorrelationLimits limits = {}) {
  EngineSources sources;
  sources.rule_documents = sigma::ParseRuleDocuments(kCorrelationTestRules, "rules.yml");
  sources.engine_options.correlation_limits = limits;
  EngineLoadReport report;
  auto engine = BuildEngine(std::move(sources), report);
  EXPECT_TRUE(engine.ok()) << engine.error().ToString();
  return engine.ok() ? *engine : nullptr;
}

// Feeds logons to a Scanner and keeps the correlation alerts' rule ids.
class LogonStream {
 public:
  explicit LogonStream(std::shared_ptr<const Engine> engine) : scanner_(std::move(engine)) {}
  void Logon(std::int64_t second, const std::string& address, const std::string& user, bool failed = true) {
    Event event;
    event.Add("Channel", "Security");
    event.Add("EventID", failed ? "4625" : "4624");
    event.Add("IpAddress", address);
    event.Add("TargetUserName", user);
    event.time = Timestamp(Timestamp::FromCivil(2026, 11, 26, 10).unix_ms() + second * 1000);
    scanner_.Process(event, [&](const Alert& alert) {
      if (alert.kind == AlertKind::kCorrelation) fired_.push_back(alert.rule_id);
    });
  }
  CorrelationStats Stats(const std::string& rule_id) const {
    for (const auto& stats : scanner_.correlation_stats()) {
      if (stats.rule_id == rule_id) return stats;
    }
    ADD_FAILURE() << "no correlation " << rule_id;
    return {};
  }
  std::vector<std::string>& fired() { return fired_; }

 private:
  Scanner scanner_;
  std::vector<std::string> fired_;
};

TEST(CorrelationEngine, FiresOnceAtTheThresholdAndNotBelowIt) {
  LogonStream below(CorrelationTestEngine());
  for (int attempt = 0; attempt < 4; ++attempt) below.Logon(attempt * 10, "203.0.113.5", "root");
  EXPECT_TRUE(below.fired().empty());

  LogonStream at(CorrelationTestEngine());
  for (int attempt = 0; attempt < 9; ++attempt) at.Logon(attempt * 10, "203.0.113.5", "root");
  EXPECT_EQ(at.fired(), std::vector<std::string>{kEventCountId});  // the group closes when it fires
  EXPECT_EQ(at.Stats(kEventCountId).entries, 4U);                  // the four after it
}

TEST(CorrelationEngine, EventsOutsideTheTimespanDoNotCount) {
  LogonStream stream(CorrelationTestEngine());
  for (int attempt = 0; attempt < 5; ++attempt) stream.Logon(attempt * 100, "203.0.113.5", "root");  // 400 s apart
  EXPECT_TRUE(stream.fired().empty());
  EXPECT_EQ(stream.Stats(kEventCountId).entries, 4U);  // 100..400 s: the first left the window
}

TEST(CorrelationEngine, IdleGroupsAreClosedOnceTheirWindowHasPassed) {
  LogonStream stream(CorrelationTestEngine());
  for (int address = 0; address < 1000; ++address) stream.Logon(0, "10.0." + std::to_string(address), "root");
  EXPECT_EQ(stream.Stats(kEventCountId).open_groups, 1000U);
  stream.Logon(301, "198.51.100.1", "root");  // more than 5 minutes later
  const CorrelationStats stats = stream.Stats(kEventCountId);
  EXPECT_EQ(stats.open_groups, 1U);
  EXPECT_EQ(stats.entries, 1U);
  EXPECT_EQ(stats.overflows(), 0U);  // expiry is no overflow
}

TEST(CorrelationEngine, AFloodOfGroupByValuesStaysWithinTheGroupCapAndIsCounted) {
  CorrelationLimits limits;
  limits.max_groups = 100;
  LogonStream stream(CorrelationTestEngine(limits));
  // 10 000 addresses within one second; an attacker among them tries every 50.
  int attacker_tries = 0;
  for (int address = 0; address < 10'000; ++address) {
    stream.Logon(address / 10'000, "10." + std::to_string(address / 256) + "." + std::to_string(address % 256), "x");
    if (address % 50 == 0 && attacker_tries < 5) {
      stream.Logon(1, "203.0.113.66", "root");
      ++attacker_tries;
    }
    const CorrelationStats stats = stream.Stats(kEventCountId);
    ASSERT_LE(stats.open_groups, 100U);
  }
  // The most recently seen groups survive: the attacker's is one of them.
  EXPECT_EQ(std::count(stream.fired().begin(), stream.fired().end(), kEventCountId), 1);
  const CorrelationStats stats = stream.Stats(kEventCountId);
  EXPECT_EQ(stats.open_groups, 100U);
  EXPECT_EQ(stats.dropped_groups, 10'000U - 100U);
  EXPECT_EQ(stats.dropped_entries, 10'000U - 100U);
}

TEST(CorrelationEngine, AFloodWithinOneGroupStaysWithinTheEntryCapAndIsCounted) {
  CorrelationLimits limits;
  limits.max_entries = 50;
  LogonStream stream(CorrelationTestEngine(limits));
  // value_count holds every failure; one account only, so it never fires.
  for (int attempt = 0; attempt < 1000; ++attempt) stream.Logon(attempt / 10, "203.0.113.5", "root");
  const CorrelationStats stats = stream.Stats(kValueCountId);
  EXPECT_EQ(stats.entries, 50U);
  EXPECT_EQ(stats.dropped_entries, 950U);
  EXPECT_EQ(stats.dropped_groups, 0U);
  // The distinct values are counted as the window slides.
  stream.Logon(100, "203.0.113.5", "admin");
  stream.Logon(100, "203.0.113.5", "backup");
  EXPECT_EQ(std::count(stream.fired().begin(), stream.fired().end(), kValueCountId), 1);
}

TEST(CorrelationEngine, ValueCountForgetsValuesThatLeftTheWindow) {
  LogonStream stream(CorrelationTestEngine());
  stream.Logon(0, "203.0.113.5", "alice");
  stream.Logon(200, "203.0.113.5", "bob");
  stream.Logon(400, "203.0.113.5", "carol");  // alice left the window at 300 s
  EXPECT_EQ(std::count(stream.fired().begin(), stream.fired().end(), kValueCountId), 0);
  stream.Logon(450, "203.0.113.5", "dave");
  EXPECT_EQ(std::count(stream.fired().begin(), stream.fired().end(), kValueCountId), 1);
}

TEST(CorrelationEngine, TemporalOrderedNeedsTheOrderWithinTheTimespan) {
  LogonStream stream(CorrelationTestEngine());
  stream.Logon(0, "203.0.113.5", "root", false);  // success first: no
  stream.Logon(10, "203.0.113.5", "root");
  EXPECT_EQ(std::count(stream.fired().begin(), stream.fired().end(), kOrderedId), 0);
  stream.Logon(20, "203.0.113.5", "root", false);
  EXPECT_EQ(std::count(stream.fired().begin(), stream.fired().end(), kOrderedId), 1);
  stream.Logon(30, "198.51.100.9", "root");
  stream.Logon(400, "198.51.100.9", "root", false);  // too late
  EXPECT_EQ(std::count(stream.fired().begin(), stream.fired().end(), kOrderedId), 1);
}

// The measures are kept up to date as entries come and go; they must
// agree with recomputing each one over the window at every match, as the
// definition reads. Random streams of three rules' matches in one group,
// times 0–100 s apart, a 5-minute timespan.
constexpr const char* kMeasureRules = R"(title: Step a
id: 00000000-0000-4000-8000-000000000a01
name: step_a
logsource: {product: windows, service: security}
detection: {selection: {EventID: 4001}, condition: selection}
---
title: Step b
id: 00000000-0000-4000-8000-000000000a02
name: step_b
logsource: {product: windows, service: security}
detection: {selection: {EventID: 4002}, condition: selection}
---
title: Step c
id: 00000000-0000-4000-8000-000000000a03
name: step_c
logsource: {product: windows, service: security}
detection: {selection: {EventID: 4003}, condition: selection}
---
title: a then b then c
id: ordered-all
correlation: {type: temporal_ordered, rules: [step_a, step_b, step_c], group-by: [IpAddress], timespan: 5m}
---
title: at least a then b
id: ordered-two
correlation: {type: temporal_ordered, rules: [step_a, step_b, step_c], group-by: [IpAddress], timespan: 5m,
              condition: {gte: 2}}
---
title: bytes summed
id: sum
correlation: {type: value_sum, rules: [step_a, step_b, step_c], group-by: [IpAddress], timespan: 5m,
              condition: {gte: 900, field: Bytes}}
---
title: bytes on average
id: avg
correlation: {type: value_avg, rules: [step_a, step_b, step_c], group-by: [IpAddress], timespan: 5m,
              condition: {gte: 75, field: Bytes}}
---
title: bytes at the 90th percentile
id: pct
correlation: {type: value_percentile, rules: [step_a, step_b, step_c], group-by: [IpAddress], timespan: 5m,
              condition: {gte: 95, field: Bytes, percentile: 90}}
)";

struct ModelEntry {
  std::int64_t second;
  std::size_t source;
  std::string bytes;
};

// The definition, recomputed over the window for every match.
bool ModelFires(const std::string& id, const std::deque<ModelEntry>& window) {
  if (id == "ordered-all" || id == "ordered-two") {
    std::size_t next = 0;
    for (const auto& entry : window) {
      if (next < 3 && entry.source == next) ++next;
    }
    return id == "ordered-all" ? next == 3 : next >= 2;
  }
  std::vector<double> numbers;
  for (const auto& entry : window) {
    double number = 0;
    if (sigma::ParseNumber(entry.bytes, number)) numbers.push_back(number);
  }
  if (numbers.empty()) return false;
  double sum = 0;
  for (double number : numbers) sum += number;
  if (id == "sum") return sum >= 900;
  if (id == "avg") return sum / static_cast<double>(numbers.size()) >= 75;
  std::sort(numbers.begin(), numbers.end());
  const double rank = 0.9 * static_cast<double>(numbers.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(rank));
  const auto high = std::min(low + 1, numbers.size() - 1);
  return numbers[low] + (numbers[high] - numbers[low]) * (rank - static_cast<double>(low)) >= 95;
}

TEST(CorrelationEngine, IncrementalMeasuresAgreeWithTheDefinition) {
  EngineSources sources;
  sources.rule_documents = sigma::ParseRuleDocuments(kMeasureRules, "measures.yml");
  EngineLoadReport report;
  auto engine = BuildEngine(std::move(sources), report);
  ASSERT_TRUE(engine.ok()) << engine.error().ToString();
  ASSERT_EQ((*engine)->rules().correlations().size(), 5U);
  const std::vector<std::string> ids = {"ordered-all", "ordered-two", "sum", "avg", "pct"};
  std::mt19937 rng(2026);
  std::size_t fired_total = 0;
  for (int stream_idx = 0; stream_idx < 40; ++stream_idx) {
    Scanner scanner(*engine);
    std::map<std::string, std::deque<ModelEntry>> windows;
    std::int64_t second = 0;
    for (int event_idx = 0; event_idx < 300; ++event_idx) {
      second += static_cast<std::int64_t>(rng() % 100);
      const std::size_t source = rng() % 3;
      // Mostly numbers, sometimes text or nothing.
      // Sometimes what reads as a number but poisons a running sum.
      const auto kind = rng() % 40;
      const std::string bytes = kind < 4    ? "n/a"
                                : kind < 8  ? ""
                                : kind == 8 ? "inf"
                                : kind == 9 ? "-inf"
                                            : std::to_string(rng() % 200);
      Event event;
      event.Add("Channel", "Security");
      event.Add("EventID", std::to_string(4001 + source));
      event.Add("IpAddress", "203.0.113.5");
      if (!bytes.empty()) event.Add("Bytes", bytes);
      event.time = Timestamp(Timestamp::FromCivil(2026, 11, 26, 10).unix_ms() + second * 1000);
      std::vector<std::string> fired;
      scanner.Process(event, [&](const Alert& alert) {
        if (alert.kind == AlertKind::kCorrelation) fired.push_back(alert.rule_id);
      });
      std::vector<std::string> expected;
      for (const auto& id : ids) {
        auto& window = windows[id];
        window.push_back({second, source, bytes});
        while (window.size() > 1 && window.front().second < second - 300) window.pop_front();
        if (ModelFires(id, window)) {
          expected.push_back(id);
          window.clear();  // a fired correlation starts its group afresh
        }
      }
      std::sort(fired.begin(), fired.end());
      std::sort(expected.begin(), expected.end());
      ASSERT_EQ(fired, expected) << "stream " << stream_idx << ", event " << event_idx;
      fired_total += fired.size();
    }
  }
  EXPECT_GT(fired_total, 500U);
}

}  // namespace
}  // namespace dv::detect
