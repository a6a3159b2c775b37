// SPDX-License-Identifier: Apache-2.0
#include "detect/engine.h"

#include <gtest/gtest.h>

#include <random>

namespace dv::detect {
namespace {

std::shared_ptr<const sigma::RuleSet> Rules(const std::string& yaml) {
  sigma::RuleSetReport report;
  auto set = sigma::RuleSet::Build(sigma::ParseRuleDocuments(yaml, "t.yml"), {}, report);
  EXPECT_EQ(report.errors(), 0);
  return set;
}

constexpr const char* kRules = R"(title: Encoded PowerShell
id: r1
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\powershell.exe', CommandLine|contains: [' -enc ', ' -encodedcommand ']}
  condition: sel
---
title: Any process by EventID only
id: r2
logsource: {product: windows, category: process_creation}
detection:
  sel: {EventID: 1, TerminalSessionId: 0}
  condition: sel
---
title: Not a filter literal
id: r3
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: 'mimikatz'}
  f: {User: 'SYSTEM'}
  condition: sel and not f
)";

TEST(Engine, PrefilterSkipsRulesWhoseLiteralsAreAbsent) {
  auto engine = Engine::Build(Rules(kRules), nullptr);
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->unfiltered_rules(), 1U);    // r2 has no literal
  EXPECT_EQ((*engine)->prefilter_literals(), 2U);  // r1: \\powershell.exe (longer than its -enc values); r3: mimikatz
  EngineStream stream(*engine);
  Event event;
  event.Add("Channel", "Microsoft-Windows-Sysmon/Operational");
  event.Add("EventID", "1");
  event.Add("Image", "C:\\x\\notepad.exe");
  event.Add("CommandLine", "notepad a.txt");
  std::vector<std::string> titles;
  const auto evaluated = stream.Process(
      event, [&](const Alert& a) { titles.push_back(a.title); }, nullptr);
  EXPECT_EQ(evaluated, 1U);  // only r2
  EXPECT_TRUE(titles.empty());
}

TEST(Engine, ReportsMatchedFieldsHostAndOrigin) {
  auto engine = Engine::Build(Rules(kRules), nullptr);
  EngineStream stream(*engine);
  Event event;
  event.Add("Channel", "Microsoft-Windows-Sysmon/Operational");
  event.Add("EventID", "1");
  event.Add("Computer", "ws01.kommune.dk");
  event.Add("Image", "C:\\x\\PowerShell.exe");
  event.Add("CommandLine", "powershell -ENC AAAA");
  event.origin = "sysmon.evtx#7";
  std::vector<Alert> alerts;
  stream.Process(
      event, [&](const Alert& a) { alerts.push_back(a); }, nullptr);
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_EQ(alerts[0].rule_id, "r1");
  EXPECT_EQ(alerts[0].host, "ws01.kommune.dk");
  EXPECT_EQ(alerts[0].origin, "sysmon.evtx#7");
  EXPECT_EQ(alerts[0].fields, (std::vector<std::pair<std::string, std::string>>{{"CommandLine", "powershell -ENC AAAA"},
                                                                                {"Image", "C:\\x\\PowerShell.exe"}}));
}

// The compiled engine (prefilter, field grouping) and the one-rule-at-a-time
// evaluation must agree on every event of a generated corpus.
TEST(Engine, AgreesWithNaiveEvaluationOnGeneratedEvents) {
  auto rules = Rules(kRules);
  auto engine = Engine::Build(rules, nullptr);
  EngineStream stream(*engine);
  std::mt19937 rng(42);
  const std::vector<std::string> images = {"C:\\x\\powershell.exe", "C:\\x\\cmd.exe", "C:\\x\\POWERSHELL.EXE"};
  const std::vector<std::string> lines = {"-enc AAA", " -enc AAA", "x -EncodedCommand y", "mimikatz", "MIMIKATZ.exe",
                                          "",         "notepad"};
  const std::vector<std::string> users = {"SYSTEM", "bob", "system"};
  int matches = 0;
  for (int event_idx = 0; event_idx < 5000; ++event_idx) {
    Event event;
    event.Add("Channel", rng() % 10 == 0 ? "Security" : "Microsoft-Windows-Sysmon/Operational");
    event.Add("EventID", rng() % 5 == 0 ? "3" : "1");
    event.Add("Image", images[rng() % images.size()]);
    event.Add("CommandLine", "p " + lines[rng() % lines.size()]);
    if (rng() % 2) event.Add("User", users[rng() % users.size()]);
    if (rng() % 3 == 0) event.Add("TerminalSessionId", rng() % 2 ? "0" : "1");
    Event copy = event;
    stream.Process(event, nullptr, nullptr);
    auto fast = stream.last_matches();
    std::sort(fast.begin(), fast.end());
    ASSERT_EQ(fast, EvaluateNaively(*rules, copy)) << "event " << event_idx;
    matches += static_cast<int>(fast.size());
  }
  EXPECT_GT(matches, 100);
}

}  // namespace
}  // namespace dv::detect
