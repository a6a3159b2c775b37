// SPDX-License-Identifier: Apache-2.0
#include "sigma/loader.h"

#include <gtest/gtest.h>

namespace dv::sigma {
namespace {

TEST(Loader, ReadsRuleFieldsAndValueTypes) {
  const auto docs = ParseRuleDocuments(R"(title: Whoami
id: 1d7cb7f8-6e22-4a1c-a9c1-000000000001
status: test
level: high
logsource: {product: windows, category: process_creation}
tags: [attack.discovery, attack.t1033]
falsepositives: [Admins]
fields: [CommandLine]
detection:
  selection:
    Image|endswith: '\whoami.exe'
    EventID: 1
    Quoted: "4688"
    Flag: true
    Nothing: null
    Escaped: "C:\\Temp"
    Single: 'C:\\Temp'
  condition: selection
)",
                                       "r.yml");
  ASSERT_TRUE(docs.problems.empty()) << docs.problems[0].ToString();
  ASSERT_EQ(docs.rules.size(), 1U);
  const Rule& rule = docs.rules[0];
  EXPECT_EQ(rule.level, Level::kHigh);
  EXPECT_EQ(rule.logsource.category, "process_creation");
  EXPECT_EQ(rule.tags.size(), 2U);
  const auto& conditions = rule.detection.identifiers[0].alternatives[0];
  ASSERT_EQ(conditions.size(), 7U);
  EXPECT_EQ(conditions[0].field, "Image");
  EXPECT_EQ(conditions[0].modifiers, std::vector<Modifier>{Modifier::kEndsWith});
  EXPECT_EQ(conditions[0].values[0].text, "\\whoami.exe");
  EXPECT_EQ(conditions[1].values[0].type, RuleValue::Type::kInteger);
  EXPECT_EQ(conditions[2].values[0].type, RuleValue::Type::kString);  // quoted: a string, even if numeric
  EXPECT_EQ(conditions[3].values[0].type, RuleValue::Type::kBool);
  EXPECT_EQ(conditions[4].values[0].type, RuleValue::Type::kNull);
  // YAML quoting is resolved before Sigma escaping: "C:\\Temp" is one backslash, 'C:\\Temp' two.
  EXPECT_EQ(conditions[5].values[0].text, "C:\\Temp");
  EXPECT_EQ(conditions[6].values[0].text, "C:\\\\Temp");
  EXPECT_EQ(conditions[6].place.line, 17);
}

TEST(Loader, KeywordsListsAndListsOfMaps) {
  const auto docs = ParseRuleDocuments(R"(title: t
logsource: {product: windows}
detection:
  keywords: ['event::clear', 'event::drop']
  any_map:
    - Image|endswith: '\a.exe'
    - Description|contains: 'Test'
  keyword_all:
    '|all': [OabVirtualDirectory, ' -ExternalUrl ']
  condition: keywords or any_map or keyword_all
)",
                                       "r.yml");
  ASSERT_TRUE(docs.problems.empty()) << docs.problems[0].ToString();
  const auto& ids = docs.rules[0].detection.identifiers;
  EXPECT_TRUE(ids[0].alternatives[0][0].field.empty());
  EXPECT_EQ(ids[0].alternatives[0][0].values.size(), 2U);
  EXPECT_EQ(ids[1].alternatives.size(), 2U);
  EXPECT_EQ(ids[2].alternatives[0][0].modifiers, std::vector<Modifier>{Modifier::kAll});
}

TEST(Loader, ProblemsNameFileAndLineAndOtherDocumentsStillLoad) {
  const auto docs = ParseRuleDocuments(R"(title: good
logsource: {product: windows}
detection:
  sel: {a: b}
  condition: sel
---
title: bad modifier
logsource: {product: windows}
detection:
  sel:
    a|containz: b
  condition: sel
---
title: no condition
logsource: {product: windows}
detection:
  sel: {a: b}
---
title: bad level
level: severe
logsource: {product: windows}
detection: {sel: {a: b}, condition: sel}
---
logsource: {product: windows}
detection: {sel: {a: b}, condition: sel}
)",
                                       "multi.yml");
  ASSERT_EQ(docs.rules.size(), 1U);
  ASSERT_EQ(docs.problems.size(), 4U);
  EXPECT_EQ(docs.problems[0].ToString(), "multi.yml:11: unknown value modifier 'containz' in 'a|containz'");
  EXPECT_EQ(docs.problems[1].ToString(), "multi.yml:17: the detection has no 'condition'");
  EXPECT_EQ(docs.problems[2].ToString(),
            "multi.yml:20: unknown level 'severe' (want informational, low, medium, high or critical)");
  EXPECT_EQ(docs.problems[3].ToString(), "multi.yml:24: the rule has no 'title'");
}

TEST(Loader, BrokenYamlIsOneProblemWithItsLine) {
  const auto docs = ParseRuleDocuments("title: x\ndetection:\n  sel: [a, b\n", "broken.yml");
  ASSERT_EQ(docs.problems.size(), 1U);
  EXPECT_EQ(docs.problems[0].place.file, "broken.yml");
  EXPECT_GT(docs.problems[0].place.line, 0);
}

TEST(Loader, CorrelationAndFilterDocuments) {
  const auto docs = ParseRuleDocuments(R"(title: Many failed logons
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [TargetUserName]
  timespan: 5m
  condition: {gte: 10}
  aliases:
    user:
      failed_logon: TargetUserName
---
title: Ordered
correlation:
  type: temporal_ordered
  rules: [a, b]
  timespan: 1h
---
title: Filter admins
logsource: {product: windows, category: process_creation}
filter:
  rules: [1d7cb7f8-6e22-4a1c-a9c1-000000000001]
  selection:
    User|startswith: 'adm_'
  condition: selection
---
title: bad correlation
correlation:
  type: value_count
  rules: [x]
  timespan: 5 minutes
  condition: {gte: 2, field: User}
)",
                                       "c.yml");
  ASSERT_EQ(docs.rules.size(), 3U);
  ASSERT_EQ(docs.problems.size(), 1U);
  EXPECT_NE(docs.problems[0].message.find("'timespan'"), std::string::npos);
  const auto& count = *docs.rules[0].correlation;
  EXPECT_EQ(count.type, Correlation::Type::kEventCount);
  EXPECT_EQ(count.timespan_ms, 300'000);
  EXPECT_EQ(count.condition.gte, 10.0);
  EXPECT_EQ(count.aliases.at("user").at("failed_logon"), "TargetUserName");
  EXPECT_EQ(docs.rules[1].correlation->type, Correlation::Type::kTemporalOrdered);
  EXPECT_EQ(docs.rules[2].kind, DocumentKind::kFilter);
  EXPECT_EQ(docs.rules[2].filter->rules[0], "1d7cb7f8-6e22-4a1c-a9c1-000000000001");
  EXPECT_EQ(docs.rules[2].filter->detection.identifiers.size(), 1U);
}

}  // namespace
}  // namespace dv::sigma
