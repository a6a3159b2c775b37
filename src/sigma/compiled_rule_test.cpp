// SPDX-License-Identifier: Apache-2.0
#include "sigma/compiled_rule.h"

#include <gtest/gtest.h>

#include "sigma/loader.h"
#include "sigma/rule_set.h"

namespace dv::sigma {
namespace {

Event MakeEvent(std::initializer_list<std::pair<const char*, const char*>> fields) {
  Event event;
  for (const auto& [name, value] : fields) {
    if (value == nullptr) {
      event.AddNull(name);
    } else {
      event.Add(name, value);
    }
  }
  return event;
}

class RuleTest : public ::testing::Test {
 protected:
  // Compiles the one detection rule in `yaml` (wrapped with a title and logsource).
  void Load(const std::string& detection, const Placeholders& placeholders = {}) {
    const std::string yaml =
        "title: t\nid: rule-1\nlogsource: {product: windows, category: process_creation}\n"
        "detection:\n" +
        detection;
    auto docs = ParseRuleDocuments(yaml, "test.yml");
    ASSERT_TRUE(docs.problems.empty()) << docs.problems[0].ToString();
    placeholders_ = placeholders;
    CompileOptions options;
    options.placeholders = &placeholders_;
    auto compiled =
        CompiledRule::Compile(std::make_shared<Rule>(std::move(docs.rules[0])), dictionary_, options, &warnings_);
    ASSERT_TRUE(compiled.ok()) << compiled.error().message();
    rule_ = std::move(compiled).value();
  }
  Status LoadError(const std::string& detection) {
    auto docs = ParseRuleDocuments("title: t\nlogsource: {product: windows}\ndetection:\n" + detection, "test.yml");
    if (!docs.problems.empty()) return Error::Parse(docs.problems[0].ToString());
    auto compiled = CompiledRule::Compile(std::make_shared<Rule>(std::move(docs.rules[0])), dictionary_, {}, nullptr);
    if (!compiled.ok()) return compiled.error();
    return Ok();
  }
  // Evaluates through the engine's view and the direct source; they must agree.
  bool Matches(const Event& event) {
    EventView view;
    view.Reset(event, dictionary_);
    const bool fast = rule_->Matches(view);
    const bool direct = rule_->Matches(DirectFieldSource(event));
    EXPECT_EQ(fast, direct) << "EventView and DirectFieldSource disagree";
    return fast;
  }

  FieldDictionary dictionary_;
  Placeholders placeholders_;
  std::vector<std::string> warnings_;
  std::unique_ptr<CompiledRule> rule_;
};

TEST_F(RuleTest, MapsAreAndListsAreOr) {
  Load(
      "  sel:\n    Image|endswith: ['\\cmd.exe', '\\powershell.exe']\n    CommandLine|contains: whoami\n"
      "  condition: sel\n");
  EXPECT_TRUE(Matches(MakeEvent({{"Image", "C:\\Windows\\System32\\cmd.exe"}, {"CommandLine", "cmd /c WhoAmI"}})));
  EXPECT_TRUE(Matches(MakeEvent({{"Image", "C:\\x\\PowerShell.exe"}, {"CommandLine", "whoami /all"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"Image", "C:\\x\\cmd.exe"}, {"CommandLine", "dir"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"CommandLine", "whoami"}})));
}

TEST_F(RuleTest, AllModifierRequiresEveryValue) {
  Load("  sel:\n    CommandLine|contains|all: [' -enc ', 'bypass']\n  condition: sel\n");
  EXPECT_TRUE(Matches(MakeEvent({{"CommandLine", "powershell -enc AAA -exec Bypass"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"CommandLine", "powershell -enc AAA"}})));
}

TEST_F(RuleTest, ConditionFormsWithFilters) {
  Load(
      "  selection_img: {Image|endswith: '\\rundll32.exe'}\n"
      "  selection_cli: {CommandLine|contains: 'javascript:'}\n"
      "  filter_main: {ParentImage|endswith: '\\explorer.exe'}\n"
      "  filter_optional: {User|startswith: 'adm_'}\n"
      "  _helper: {Image|contains: 'x'}\n"
      "  condition: all of selection_* and not 1 of filter_*\n");
  const auto base = [](const char* parent, const char* user) {
    return MakeEvent({{"Image", "C:\\w\\rundll32.exe"},
                      {"CommandLine", "rundll32 javascript:alert"},
                      {"ParentImage", parent},
                      {"User", user}});
  };
  EXPECT_TRUE(Matches(base("C:\\w\\cmd.exe", "bob")));
  EXPECT_FALSE(Matches(base("C:\\w\\explorer.exe", "bob")));
  EXPECT_FALSE(Matches(base("C:\\w\\cmd.exe", "adm_bob")));
}

TEST_F(RuleTest, OneOfThemSkipsUnderscoreIdentifiers) {
  Load("  a: {F: 1}\n  _b: {G: 2}\n  condition: 1 of them\n");
  EXPECT_TRUE(Matches(MakeEvent({{"F", "1"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"G", "2"}})));
}

TEST_F(RuleTest, NullEmptyAndExists) {
  Load(
      "  sel: {EventID: 4738}\n  is_null: {PasswordLastSet: null}\n  is_empty: {Comment: ''}\n"
      "  has_x: {X|exists: true}\n  no_y: {Y|exists: false}\n"
      "  condition: sel and is_null and is_empty and has_x and no_y\n");
  EXPECT_TRUE(Matches(MakeEvent({{"EventID", "4738"}, {"Comment", ""}, {"X", nullptr}})));
  EXPECT_TRUE(Matches(MakeEvent({{"EventID", "4738"}, {"PasswordLastSet", nullptr}, {"Comment", ""}, {"X", "1"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"EventID", "4738"}, {"PasswordLastSet", "x"}, {"Comment", ""}, {"X", "1"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"EventID", "4738"}, {"Comment", "c"}, {"X", "1"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"EventID", "4738"}, {"Comment", ""}, {"X", "1"}, {"Y", "1"}})));
}

TEST_F(RuleTest, NumbersAreTypeRobust) {
  Load("  sel: {EventID: 4688, Level|gte: 3, Count|lt: 10}\n  condition: sel\n");
  EXPECT_TRUE(Matches(MakeEvent({{"EventID", "4688"}, {"Level", "4"}, {"Count", "9"}})));
  EXPECT_TRUE(Matches(MakeEvent({{"EventID", "0x1250"}, {"Level", "3"}, {"Count", "-1"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"EventID", "4688"}, {"Level", "2"}, {"Count", "9"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"EventID", "46880"}, {"Level", "4"}, {"Count", "9"}})));
}

TEST_F(RuleTest, NeqNegatesTheValueTest) {
  Load("  sel: {EventID: 1, User|neq: SYSTEM}\n  condition: sel\n");
  EXPECT_TRUE(Matches(MakeEvent({{"EventID", "1"}, {"User", "bob"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"EventID", "1"}, {"User", "system"}})));
}

TEST_F(RuleTest, CasedRegexAndCidr) {
  Load(
      "  sel:\n    Image|cased: 'C:\\Temp\\X.exe'\n    CommandLine|re|i: '^cmd\\.exe\\s+/c'\n"
      "    DestinationIp|cidr: ['10.0.0.0/8', 'fd00::/8']\n  condition: sel\n");
  EXPECT_TRUE(Matches(
      MakeEvent({{"Image", "C:\\Temp\\X.exe"}, {"CommandLine", "CMD.exe /c x"}, {"DestinationIp", "10.1.1.1"}})));
  EXPECT_TRUE(
      Matches(MakeEvent({{"Image", "C:\\Temp\\X.exe"}, {"CommandLine", "cmd.exe /c"}, {"DestinationIp", "fd12::1"}})));
  EXPECT_FALSE(
      Matches(MakeEvent({{"Image", "c:\\temp\\x.exe"}, {"CommandLine", "cmd.exe /c"}, {"DestinationIp", "10.1.1.1"}})));
  EXPECT_FALSE(
      Matches(MakeEvent({{"Image", "C:\\Temp\\X.exe"}, {"CommandLine", "cmd.exe /c"}, {"DestinationIp", "11.1.1.1"}})));
}

TEST_F(RuleTest, EncodingChains) {
  Load("  sel:\n    CommandLine|utf16le|base64offset|contains: 'Invoke-Mimikatz'\n  condition: sel\n");
  // "  Invoke-Mimikatz" in UTF-16LE, base64-encoded at an offset inside a longer blob.
  EXPECT_TRUE(Matches(
      MakeEvent({{"CommandLine", "powershell -enc SQBFAFgAIAAoAEkAbgB2AG8AawBlAC0ATQBpAG0AaQBrAGEAdAB6ACkA"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"CommandLine", "powershell -enc SQBFAFgAIAAoAEkA"}})));
}

TEST_F(RuleTest, WindashAndKeywords) {
  Load(
      "  sel: {CommandLine|windash|contains: ' -decode '}\n  kw: ['mimikatz', 'sekurlsa::']\n"
      "  condition: sel or kw\n");
  EXPECT_TRUE(Matches(MakeEvent({{"CommandLine", "certutil /decode a b"}})));
  EXPECT_TRUE(Matches(MakeEvent({{"Other", "running SEKURLSA::logonpasswords"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"CommandLine", "certutil +decode a b"}})));
}

TEST_F(RuleTest, FieldRefComparesTwoFields) {
  Load("  sel: {TargetUserName|fieldref: SubjectUserName}\n  condition: sel\n");
  EXPECT_TRUE(Matches(MakeEvent({{"TargetUserName", "Bob"}, {"SubjectUserName", "bob"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"TargetUserName", "Bob"}, {"SubjectUserName", "alice"}})));
}

TEST_F(RuleTest, ExpandUsesPlaceholdersAndWarnsWhenMissing) {
  Load("  sel: {User|expand: '%Admins%'}\n  condition: sel\n", {{"Admins", {"adm_a", "adm_b"}}});
  EXPECT_TRUE(Matches(MakeEvent({{"User", "ADM_B"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"User", "bob"}})));
  Load("  sel: {User|expand: '%Unknown%'}\n  condition: sel\n");
  EXPECT_FALSE(Matches(MakeEvent({{"User", "%Unknown%"}})));
  ASSERT_EQ(warnings_.size(), 1U);
  EXPECT_NE(warnings_[0].find("%Unknown%"), std::string::npos);
}

TEST_F(RuleTest, DateModifiers) {
  Load("  sel: {UtcTime|hour|gte: 22}\n  condition: sel\n");
  EXPECT_TRUE(Matches(MakeEvent({{"UtcTime", "2026-11-26 23:10:00.000"}})));
  EXPECT_FALSE(Matches(MakeEvent({{"UtcTime", "2026-11-26 09:10:00.000"}})));
}

TEST_F(RuleTest, CompileErrorsNameFieldAndIdentifier) {
  auto status = LoadError("  sel: {A|re: 'a(b'}\n  condition: sel\n");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("search identifier 'sel'"), std::string::npos) << status.error().message();
  EXPECT_NE(status.error().message().find("field 'A'"), std::string::npos);
  status = LoadError("  sel: {A: x}\n  condition: sel and other\n");
  EXPECT_NE(status.error().message().find("'other', which is not defined"), std::string::npos);
  status = LoadError("  sel: {A: x}\n  condition: 1 of filter*\n");
  EXPECT_NE(status.error().message().find("matches no search identifier"), std::string::npos);
  status = LoadError("  sel: {A|contains|startswith: x}\n  condition: sel\n");
  EXPECT_NE(status.error().message().find("only one of"), std::string::npos);
  status = LoadError("  sel: {A: [null, x]}\n  condition: sel\n");
  EXPECT_NE(status.error().message().find("null cannot be part of a list"), std::string::npos);
  status = LoadError("  sel: {A|base64: 'a*b'}\n  condition: sel\n");
  EXPECT_NE(status.error().message().find("wildcards"), std::string::npos);
  status = LoadError("  sel: {A|i: x}\n  condition: sel\n");
  EXPECT_NE(status.error().message().find("must follow 're'"), std::string::npos);
}

TEST_F(RuleTest, PrefilterLiteralsAreNecessaryConditions) {
  Load(
      "  sel1: {CommandLine|contains: ['mimikatz', 'sekurlsa']}\n  sel2: {Image|endswith: '\\procdump.exe'}\n"
      "  condition: sel1 or sel2\n");
  EXPECT_EQ(rule_->RequiredLiterals(), (std::vector<std::string>{"\\procdump.exe", "mimikatz", "sekurlsa"}));
  Load("  sel: {EventID: 1}\n  condition: sel\n");
  EXPECT_TRUE(rule_->RequiredLiterals().empty());
  Load("  sel: {CommandLine|contains: 'mimikatz'}\n  f: {User: x}\n  condition: not f or sel\n");
  EXPECT_TRUE(rule_->RequiredLiterals().empty());
}

TEST(RuleSetTest, AttachesFiltersByIdAndRoutesByLogsource) {
  auto docs = ParseRuleDocuments(R"(title: Rundll
id: 11111111-1111-4111-8111-111111111111
logsource: {product: windows, category: process_creation}
detection: {sel: {Image|endswith: '\rundll32.exe'}, condition: sel}
---
title: Security only
logsource: {product: windows, service: security}
detection: {sel: {EventID: 4625}, condition: sel}
---
title: Linux
logsource: {product: linux, service: auditd}
detection: {sel: {type: EXECVE}, condition: sel}
---
title: Admins are fine
logsource: {product: windows, category: process_creation}
filter:
  rules: [11111111-1111-4111-8111-111111111111]
  selection: {User|startswith: adm_}
  condition: selection
)",
                                 "set.yml");
  RuleSetReport report;
  auto set = RuleSet::Build(std::move(docs), {}, report);
  EXPECT_EQ(report.errors(), 0);
  EXPECT_EQ(report.detection_rules, 3);
  EXPECT_EQ(report.filters, 1);
  EXPECT_EQ(report.unmapped_logsource, 1);
  Event event = MakeEvent({{"Channel", "Security"},
                           {"EventID", "4688"},
                           {"NewProcessName", "C:\\w\\rundll32.exe"},
                           {"SubjectUserName", "bob"}});
  std::vector<std::uint32_t> defs;
  set->mapping().Normalize(event, defs);
  ASSERT_FALSE(defs.empty());
  EXPECT_EQ(event.Find("Image")->value, "C:\\w\\rundll32.exe");
  std::vector<std::string> matched;
  EventView view;
  view.Reset(event, set->dictionary());
  for (auto def : defs) {
    for (auto rule_idx : set->RulesFor(def)) {
      if (set->rules()[rule_idx]->Matches(view)) matched.push_back(set->rules()[rule_idx]->rule().title);
    }
  }
  EXPECT_EQ(matched, std::vector<std::string>{"Rundll"});
  event.Set("User", "adm_bob");
  view.Reset(event, set->dictionary());
  EXPECT_FALSE(set->FindRule("11111111-1111-4111-8111-111111111111")->Matches(view));
}

}  // namespace
}  // namespace dv::sigma
