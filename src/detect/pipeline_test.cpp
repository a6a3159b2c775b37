// SPDX-License-Identifier: Apache-2.0
#include "detect/pipeline.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

namespace dv::detect {
namespace {

namespace fs = std::filesystem;

// Three failed logons of one account within 5 minutes make one brute-force alert.
constexpr const char* kPipelineRules = R"(title: Failed logon
id: 00000000-0000-4000-8000-000000000801
name: failed_logon
level: low
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 4625}
  condition: selection
---
title: Brute force against one account
id: 00000000-0000-4000-8000-000000000802
level: high
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [TargetUserName]
  timespan: 5m
  condition: {gte: 3}
  generate: true
)";

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("dv-pipeline-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }

 private:
  fs::path path_;
};

std::string Logon(int minute, const std::string& user) {
  return R"({"@timestamp": "2026-11-26T10:)" + std::string(minute < 10 ? "0" : "") + std::to_string(minute) +
         R"(:00Z", "Channel": "Security", "EventID": 4625, "TargetUserName": ")" + user + "\"}\n";
}

std::shared_ptr<const Engine> Build(EngineSources sources, EngineLoadReport& report) {
  auto engine = BuildEngine(std::move(sources), report);
  EXPECT_TRUE(engine.ok()) << engine.error().ToString();
  return engine.ok() ? *engine : nullptr;
}

TEST(BuildEngine, CompilesRulesAndIndicatorsAndReportsWhatWasLeftOut) {
  TempDir dir;
  EngineSources sources;
  sources.rule_paths = {dir.Write("rules.yml", kPipelineRules).string(),
                        dir.Write("bad.yml", "title: broken\ndetection:\n  condition: nope\n").string()};
  sources.indicator_paths = {dir.Write("feed.txt", "203.0.113.7\n").string()};
  Indicator benign;
  benign.id = "indicator--benign";
  benign.pattern = "[ipv4-addr:value = '10.1.2.3' OR ipv4-addr:value = '198.51.100.9']";
  Indicator all_benign;
  all_benign.id = "indicator--all-benign";
  all_benign.pattern = "[ipv4-addr:value = '192.168.1.1']";
  sources.indicators = {benign, all_benign};
  sources.warning_lists = std::make_shared<const WarningLists>(WarningLists::BuiltIn());
  EngineLoadReport report;
  auto engine = Build(std::move(sources), report);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(report.rules.detection_rules, 1);
  EXPECT_EQ(report.rules.correlation_rules, 1);
  EXPECT_GE(report.rules.errors(), 1);
  ASSERT_NE(engine->indicators(), nullptr);
  EXPECT_EQ(engine->indicators()->size(), 2U);  // the file's address and what is left of `benign`
  EXPECT_EQ(report.warning_list_values, 2U);
  EXPECT_EQ(report.warning_list_indicators, 1U);
  ASSERT_EQ(report.warning_list_drops.size(), 3U);
  EXPECT_EQ(report.warning_list_drops[0].indicator_id, "indicator--benign");
  EXPECT_EQ(report.warning_list_drops[0].value->value, "10.1.2.3");
  EXPECT_EQ(report.warning_list_drops[0].value->hit.list, "rfc1918");
  EXPECT_FALSE(report.warning_list_drops[2].value.has_value());
}

TEST(BuildEngine, AnUnreadableIndicatorFileFailsNamingItAfterTheRulesWereLoaded) {
  TempDir dir;
  EngineSources sources;
  sources.rule_paths = {dir.Write("rules.yml", kPipelineRules).string()};
  sources.indicator_paths = {(dir.Write("x", "").parent_path() / "missing.txt").string()};
  EngineLoadReport report;
  auto engine = BuildEngine(std::move(sources), report);
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.error().message().find("missing.txt"), std::string::npos) << engine.error().ToString();
  EXPECT_EQ(report.rules.detection_rules, 1);
}

TEST(BuildEngine, NoIndicatorsNoIndexAndAnEarlierRuleSetIsReused) {
  EngineLoadReport empty_report;
  auto empty = Build(EngineSources{}, empty_report);
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->indicators(), nullptr);
  EXPECT_TRUE(empty->rules().rules().empty());
  sigma::RuleSetReport rule_report;
  auto compiled = sigma::RuleSet::Build(sigma::ParseRuleDocuments(kPipelineRules, "rules.yml"), {}, rule_report);
  EngineSources again;
  again.rule_set = compiled;
  EngineLoadReport report;
  auto engine = Build(std::move(again), report);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(&engine->rules(), compiled.get());
  EXPECT_EQ(report.rules.documents, 0);
}

// The batch scan: correlations see the events in time order whatever the
// reading order and the number of threads; alerts come as a timeline; a bad
// record is counted by the reader with its place and the stream goes on.
TEST(Scanner, RunCorrelatesOverTimeOrderedMatchesAndDeliversATimeline) {
  TempDir dir;
  EngineSources sources;
  sources.rule_paths = {dir.Write("rules.yml", kPipelineRules).string()};
  EngineLoadReport report;
  auto engine = Build(std::move(sources), report);
  ASSERT_NE(engine, nullptr);
  // Out of time order across two files, with a bad record between.
  const fs::path late = dir.Write("b.jsonl", Logon(3, "alice") + "{not json\n" + Logon(1, "alice"));
  const fs::path early = dir.Write("a.jsonl", Logon(2, "alice") + Logon(2, "bob"));
  for (int threads : {1, 3}) {
    LogSource source;
    const Scanner scanner(engine);
    std::vector<Detection> found;
    ScanOptions options;
    options.threads = threads;
    options.batch_events = 1;
    const ScanSummary summary = scanner.Run(ReadLogs(source, {late.string(), early.string()}), options,
                                            [&](const Detection& detection) { found.push_back(detection); });
    EXPECT_TRUE(summary.read.ok());
    EXPECT_EQ(summary.events, 4U);
    EXPECT_EQ(summary.workers, threads);
    EXPECT_EQ(summary.alerts, 5U);
    EXPECT_EQ(summary.correlation_alerts, 1U);
    EXPECT_EQ(source.stats().bad_records(), 1U);
    ASSERT_EQ(source.stats().problems.size(), 1U);
    EXPECT_NE(source.stats().problems[0].place.find("b.jsonl:2"), std::string::npos);
    ASSERT_EQ(found.size(), 5U);
    for (std::size_t idx = 1; idx < found.size(); ++idx) {
      EXPECT_FALSE(*found[idx].alert.time < *found[idx - 1].alert.time) << idx;
    }
    const Detection& brute_force = found.back();
    EXPECT_EQ(brute_force.alert.kind, AlertKind::kCorrelation);
    EXPECT_EQ(brute_force.alert.event_count, 3);
    EXPECT_EQ(brute_force.seq, 0U);  // the 10:03 event, read first, completed it
  }
}

TEST(Scanner, RunAsFoundDeliversEveryAlertAndTheReadersError) {
  TempDir dir;
  EngineSources sources;
  sources.rule_paths = {dir.Write("rules.yml", kPipelineRules).string()};
  EngineLoadReport report;
  auto engine = Build(std::move(sources), report);
  ASSERT_NE(engine, nullptr);
  const fs::path log = dir.Write("a.jsonl", Logon(1, "alice") + Logon(2, "alice") + Logon(3, "alice"));
  LogSource source;
  ScanOptions options;
  options.threads = 2;
  options.order = AlertOrder::kAsFound;
  std::size_t correlations = 0;
  std::size_t alerts = 0;
  const ScanSummary summary =
      Scanner(engine).Run(ReadLogs(source, {log.string(), (dir.Write("y", "").parent_path() / "gone").string()}),
                          options, [&](const Detection& detection) {
                            ++alerts;
                            if (detection.alert.kind == AlertKind::kCorrelation) ++correlations;
                          });
  EXPECT_FALSE(summary.read.ok());
  EXPECT_NE(summary.read.error().message().find("gone"), std::string::npos);
  EXPECT_EQ(summary.events, 3U);
  EXPECT_EQ(alerts, 4U);
  EXPECT_EQ(correlations, 1U);
}

TEST(Scanner, ProcessCorrelatesALiveStreamAsItArrives) {
  EngineSources sources;
  sources.rule_documents = sigma::ParseRuleDocuments(kPipelineRules, "rules.yml");
  EngineLoadReport report;
  auto engine = Build(std::move(sources), report);
  ASSERT_NE(engine, nullptr);
  Scanner scanner(engine);
  std::vector<std::string> seen;
  for (int minute : {1, 2, 3, 4}) {
    Event event;
    event.Add("Channel", "Security");
    event.Add("EventID", "4625");
    event.Add("TargetUserName", "alice");
    event.time = Timestamp::FromCivil(2026, 11, 26, 10, minute);
    scanner.Process(event, [&](const Alert& alert) {
      seen.push_back(std::to_string(minute) + " " + std::string(AlertKindName(alert.kind)));
    });
    EXPECT_EQ(scanner.last_matches().size(), 1U);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1 sigma", "2 sigma", "3 sigma", "3 correlation", "4 sigma"}));
}

}  // namespace
}  // namespace dv::detect
