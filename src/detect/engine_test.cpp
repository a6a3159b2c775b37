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
  EXPECT_EQ((*engine)->unfiltered_rules(), 1U);  // r2 has no literal
  // Every literal a value requires is scanned for (the literal gate): r1's
  // \\powershell.exe, ' -enc ', ' -encodedcommand '; r3's mimikatz and system.
  EXPECT_EQ((*engine)->prefilter_literals(), 5U);
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

constexpr const char* kGatedRules = R"(title: Mimikatz keywords
id: k1
logsource: {product: windows}
detection:
  keywords: ['sekurlsa::logonpasswords', 'dpapi::masterkey']
  condition: keywords
---
title: All of three
id: k2
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains|all: ['net', ' user ', '/add']}
  condition: sel
---
title: Cased image
id: k3
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith|cased: '\Evil.exe'}
  condition: sel
---
title: Whoami not from explorer
id: k4
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: 'whoami'}
  filter: {ParentImage|endswith: '\explorer.exe'}
  condition: sel and not filter
---
title: Wildcards
id: k5
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine: '*\temp\\*.ps1'}  # \\ is one backslash before the wildcard
  condition: sel
---
title: Windash and a short value
id: k6
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|windash|contains: ' -s ', IntegrityLevel: 'Hi'}
  condition: sel
---
title: Keyword or field
id: k7
logsource: {product: windows}
detection:
  kw: ['invoke-mimikatz']
  sel: {User|contains: 'admin'}
  condition: kw or not sel
)";

// The literal gate skips every value whose literal occurs in no field; it
// must never change an answer. Events put the rules' literals in fields the
// rules name, in a field no rule names (only keywords see it), across two
// fields, and in other cases; the compiled engine must agree with the
// one-rule-at-a-time evaluation and with the engine without prefilter.
TEST(Engine, LiteralGateNeverChangesAnAnswer) {
  auto rules = Rules(kGatedRules);
  auto engine = Engine::Build(rules, nullptr);
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->unfiltered_rules(), 2U);  // k6 (windash, short value) and k7 (not sel)
  EngineOptions without_prefilter;
  without_prefilter.prefilter = false;
  auto routing = Engine::Build(rules, nullptr, without_prefilter);
  ASSERT_TRUE(routing.ok());
  EngineStream stream(*engine);
  EngineStream unfiltered(*routing);
  std::mt19937 rng(7);
  const std::vector<std::string> words = {"net",
                                          " user ",
                                          "/add",
                                          "whoami",
                                          "\\temp\\x.ps1",
                                          "\\TEMP\\",
                                          ".PS1",
                                          " -s ",
                                          " /s ",
                                          "SEKURLSA::logonpasswords",
                                          "dpapi::",
                                          "masterkey",
                                          "invoke-mimikatz",
                                          "x",
                                          "Net User /ADD"};
  const std::vector<std::string> images = {"C:\\x\\Evil.exe", "C:\\x\\evil.exe", "C:\\x\\EVIL.EXE", "C:\\x\\cmd.exe"};
  const std::vector<std::string> parents = {"C:\\Windows\\explorer.exe", "C:\\x\\EXPLORER.EXE", "C:\\x\\svchost.exe"};
  auto phrase = [&] {
    std::string text;
    const int count = static_cast<int>(rng() % 4);
    for (int word_idx = 0; word_idx < count; ++word_idx) text += words[rng() % words.size()];
    return text;
  };
  int matches = 0;
  std::vector<int> per_rule(rules->rules().size(), 0);
  for (int event_idx = 0; event_idx < 20000; ++event_idx) {
    Event event;
    event.Add("Channel", "Microsoft-Windows-Sysmon/Operational");
    event.Add("EventID", "1");
    event.Add("Image", images[rng() % images.size()]);
    event.Add("CommandLine", phrase());
    if (rng() % 2) event.Add("ParentImage", parents[rng() % parents.size()]);
    if (rng() % 2) event.Add("User", rng() % 2 ? "ADMINISTRATOR" : "bob");
    if (rng() % 3 == 0) event.Add("IntegrityLevel", rng() % 2 ? "Hi" : "High");
    if (rng() % 2) event.Add("Payload", phrase());  // no rule names this field
    Event naive_copy = event;
    Event routing_copy = event;
    stream.Process(event, nullptr, nullptr);
    auto fast = stream.last_matches();
    std::sort(fast.begin(), fast.end());
    ASSERT_EQ(fast, EvaluateNaively(*rules, naive_copy)) << "event " << event_idx;
    unfiltered.Process(routing_copy, nullptr, nullptr);
    auto slow = unfiltered.last_matches();
    std::sort(slow.begin(), slow.end());
    ASSERT_EQ(fast, slow) << "event " << event_idx;
    for (const auto rule_idx : fast) ++per_rule[rule_idx];
    matches += static_cast<int>(fast.size());
  }
  // Every rule matched some events and missed others, so both answers were tested.
  for (std::size_t rule_idx = 0; rule_idx < per_rule.size(); ++rule_idx) {
    EXPECT_GT(per_rule[rule_idx], 20) << rules->rules()[rule_idx]->rule().id;
    EXPECT_LT(per_rule[rule_idx], 19980) << rules->rules()[rule_idx]->rule().id;
  }
  EXPECT_GT(matches, 1000);
}

// A keyword found only in a field that no rule names still matches: the
// prefilter looks for keywords' literals in every field.
TEST(Engine, KeywordInAFieldNoRuleNamesIsFound) {
  auto engine = Engine::Build(Rules(kGatedRules), nullptr);
  ASSERT_TRUE(engine.ok());
  EngineStream stream(*engine);
  Event event;
  event.Add("Channel", "Security");
  event.Add("EventID", "4688");
  event.Add("User", "admin");
  event.Add("SomeVendorField", "started SEKURLSA::LogonPasswords from memory");
  std::vector<std::string> ids;
  stream.Process(
      event, [&](const Alert& a) { ids.push_back(a.rule_id); }, nullptr);
  EXPECT_EQ(ids, (std::vector<std::string>{"k1"}));
}

}  // namespace
}  // namespace dv::detect
