// SPDX-License-Identifier: Apache-2.0
#include "sigma/document_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/file_cache.h"
#include "sigma/loader.h"

namespace dv::sigma {
namespace {

namespace fs = std::filesystem;

// Every kind of document and every part of the model, and a broken document
// (a problem) between them.
constexpr std::string_view kDocuments = R"(title: Encoded PowerShell
id: 1d7cb7f8-6e22-4a1c-a9c1-000000000001
name: encoded_powershell
status: test
description: Finds encoded commands
author: Someone
date: 2026-12-07
level: high
logsource: {product: windows, category: process_creation, service: sysmon}
tags: [attack.execution, attack.t1059.001]
falsepositives: [Admins]
fields: [CommandLine, Image]
references: ['https://example.invalid/a']
related:
  - {type: derived, id: 1d7cb7f8-6e22-4a1c-a9c1-000000000009}
detection:
  selection:
    Image|endswith: '\powershell.exe'
    CommandLine|contains|all: [' -enc ', 'aaa']
    EventID: 1
    Ratio: 1.5
    Flag: true
    Nothing: null
  alternatives:
    - User|re|i: '^adm'
    - Port|gte: 1024
  keywords: ['sekurlsa', 'mimikatz']
  condition:
    - selection and not (alternatives or 1 of key*) and not not all of them
    - keywords
---
title: Broken
detection: {condition: nothing}
---
title: Many logons
id: 1d7cb7f8-6e22-4a1c-a9c1-000000000002
correlation:
  type: value_percentile
  rules: [encoded_powershell, other]
  group-by: [User, Computer]
  timespan: 15m
  aliases:
    host: {encoded_powershell: Computer, other: ComputerName}
  condition: {gte: 3, lt: 10.5, field: Duration, percentile: 95}
  generate: true
---
title: Not on the build server
id: 1d7cb7f8-6e22-4a1c-a9c1-000000000003
filter:
  rules: [encoded_powershell]
  selection: {Computer|startswith: 'BUILD'}
  condition: not selection
)";

LoadedDocuments Sample() {
  LoadedDocuments documents = ParseRuleDocuments(kDocuments, "rules/sample.yml");
  LoadProblem warning;
  warning.place = {"rules/other.yml", 7};
  warning.message = "a warning";
  warning.fatal = false;
  documents.problems.push_back(warning);
  return documents;
}

TEST(DocumentCache, DecodesWhatWasEncoded) {
  const LoadedDocuments documents = Sample();
  ASSERT_EQ(documents.rules.size(), 3U) << (documents.problems.empty() ? "" : documents.problems[0].ToString());
  ASSERT_EQ(documents.problems.size(), 2U);  // the broken document and the warning
  const std::string bytes = EncodeDocuments(documents);
  const auto decoded = DecodeDocuments(bytes, SigmaBudget{}.max_condition_depth);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(EncodeDocuments(*decoded), bytes);

  ASSERT_EQ(decoded->rules.size(), 3U);
  const Rule& rule = decoded->rules[0];
  const Rule& given = documents.rules[0];
  EXPECT_EQ(rule.kind, DocumentKind::kDetection);
  EXPECT_EQ(rule.title, given.title);
  EXPECT_EQ(rule.id, given.id);
  EXPECT_EQ(rule.name, "encoded_powershell");
  EXPECT_EQ(rule.status, "test");
  EXPECT_EQ(rule.description, given.description);
  EXPECT_EQ(rule.author, given.author);
  EXPECT_EQ(rule.date, given.date);
  EXPECT_EQ(rule.level, Level::kHigh);
  EXPECT_TRUE(rule.level_given);
  EXPECT_EQ(rule.logsource.ToString(), given.logsource.ToString());
  EXPECT_EQ(rule.logsource.service, "sysmon");
  EXPECT_EQ(rule.tags, given.tags);
  EXPECT_EQ(rule.falsepositives, given.falsepositives);
  EXPECT_EQ(rule.fields, given.fields);
  EXPECT_EQ(rule.references, given.references);
  EXPECT_EQ(rule.related, given.related);
  EXPECT_EQ(rule.place.ToString(), given.place.ToString());
  ASSERT_EQ(rule.detection.identifiers.size(), 3U);
  const FieldCondition& first = rule.detection.identifiers[0].alternatives[0][1];
  EXPECT_EQ(first.field, "CommandLine");
  EXPECT_EQ(first.modifiers, (std::vector<Modifier>{Modifier::kContains, Modifier::kAll}));
  ASSERT_EQ(first.values.size(), 2U);
  EXPECT_EQ(first.values[1].text, "aaa");
  EXPECT_EQ(rule.detection.identifiers[0].alternatives[0][3].values[0].type, RuleValue::Type::kFloat);
  EXPECT_EQ(rule.detection.identifiers[0].alternatives[0][5].values[0].type, RuleValue::Type::kNull);
  EXPECT_EQ(rule.detection.identifiers[1].alternatives.size(), 2U);
  EXPECT_EQ(first.place.ToString(), given.detection.identifiers[0].alternatives[0][1].place.ToString());
  ASSERT_EQ(rule.detection.conditions.size(), 2U);
  for (std::size_t condition_idx = 0; condition_idx < 2; ++condition_idx) {
    EXPECT_EQ(rule.detection.conditions[condition_idx]->ToString(),
              given.detection.conditions[condition_idx]->ToString());
  }
  EXPECT_EQ(rule.detection.condition_texts, given.detection.condition_texts);

  const Correlation& correlation = *decoded->rules[1].correlation;
  const Correlation& given_correlation = *documents.rules[1].correlation;
  EXPECT_EQ(correlation.type, Correlation::Type::kValuePercentile);
  EXPECT_EQ(correlation.rules, given_correlation.rules);
  EXPECT_EQ(correlation.group_by, given_correlation.group_by);
  EXPECT_EQ(correlation.timespan_ms, 15 * 60 * 1000);
  EXPECT_EQ(correlation.condition.gte, 3.0);
  EXPECT_EQ(correlation.condition.lt, 10.5);
  EXPECT_FALSE(correlation.condition.gt.has_value());
  EXPECT_EQ(correlation.condition.field, "Duration");
  EXPECT_EQ(correlation.condition.percentile, 95.0);
  EXPECT_EQ(correlation.aliases, given_correlation.aliases);
  EXPECT_TRUE(correlation.generate);

  const Filter& filter = *decoded->rules[2].filter;
  EXPECT_EQ(filter.rules, std::vector<std::string>{"encoded_powershell"});
  EXPECT_EQ(filter.detection.conditions[0]->ToString(), documents.rules[2].filter->detection.conditions[0]->ToString());

  for (std::size_t problem_idx = 0; problem_idx < 2; ++problem_idx) {
    EXPECT_EQ(decoded->problems[problem_idx].ToString(), documents.problems[problem_idx].ToString());
    EXPECT_EQ(decoded->problems[problem_idx].fatal, documents.problems[problem_idx].fatal);
  }
}

TEST(DocumentCache, DamagedBytesAreRefusedNotMisread) {
  const std::string bytes = EncodeDocuments(Sample());
  // Every truncation.
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(DecodeDocuments(std::string_view(bytes).substr(0, size), 64).has_value()) << size;
  }
  // A byte more.
  EXPECT_FALSE(DecodeDocuments(bytes + "x", 64).has_value());
  // Random damage: decoded or refused, never a crash or a huge allocation
  // (the sanitizer build runs this).
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string damaged = bytes;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int flip = 0; flip < flips; ++flip) {
      damaged[rng() % damaged.size()] = static_cast<char>(rng() & 0xFF);
    }
    (void)DecodeDocuments(damaged, 64);
  }
  // A count far beyond what the bytes could hold.
  std::string huge = bytes;
  const std::size_t count_at = 4 + std::string_view("dannevirke sigma documents\n").size();
  huge[count_at + 3] = '\x7f';
  EXPECT_FALSE(DecodeDocuments(huge, 64).has_value());
}

TEST(DocumentCache, AConditionTreeDeeperThanTheBudgetIsRefused) {
  std::string condition = "sel";
  for (int depth = 0; depth < 40; ++depth) condition = "not (sel and " + condition + ")";
  const auto documents = ParseRuleDocuments(
      "title: Deep\nlogsource: {product: windows}\ndetection:\n  sel: {a: b}\n  condition: " + condition + "\n",
      "deep.yml");
  ASSERT_EQ(documents.rules.size(), 1U);
  const std::string bytes = EncodeDocuments(documents);
  EXPECT_TRUE(DecodeDocuments(bytes, 64).has_value());
  EXPECT_FALSE(DecodeDocuments(bytes, 8).has_value());
}

class RuleTreeCache : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dv-rule-tree-cache-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(rules_ / "sub");
    std::ofstream(rules_ / "a.yml") << kDocuments;
    std::ofstream(rules_ / "sub" / "b.yml") << "title: Whoami\nlogsource: {product: windows}\n"
                                               "detection:\n  sel: {Image|endswith: '\\whoami.exe'}\n"
                                               "  condition: sel\n";
  }
  void TearDown() override { fs::remove_all(root_); }

  std::vector<fs::path> CacheFiles() const {
    std::vector<fs::path> files;
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator(cache_, ignored)) files.push_back(entry.path());
    return files;
  }

  fs::path root_;
  fs::path rules_ = fs::temp_directory_path() / ("dv-rule-tree-cache-" + std::to_string(::getpid())) / "rules";
  fs::path cache_ = fs::temp_directory_path() / ("dv-rule-tree-cache-" + std::to_string(::getpid())) / "cache";
};

TEST_F(RuleTreeCache, ASecondLoadReadsTheSameDocumentsFromTheCache) {
  const LoadedDocuments parsed = LoadRuleTree(rules_.string(), {}, cache_.string());
  ASSERT_EQ(parsed.rules.size(), 4U);
  ASSERT_EQ(CacheFiles().size(), 1U);
  const LoadedDocuments again = LoadRuleTree(rules_.string(), {}, cache_.string());
  EXPECT_EQ(EncodeDocuments(again), EncodeDocuments(parsed));
  EXPECT_EQ(EncodeDocuments(again), EncodeDocuments(LoadRuleTree(rules_.string())));

  // The file is what is read: replaced by the encoding of nothing, a load
  // gives nothing (which is why the cache is trusted as the rules are).
  std::ofstream(CacheFiles()[0], std::ios::binary | std::ios::trunc) << EncodeDocuments(LoadedDocuments{});
  EXPECT_TRUE(LoadRuleTree(rules_.string(), {}, cache_.string()).rules.empty());
}

TEST_F(RuleTreeCache, AChangedFileOrBudgetIsParsedAfresh) {
  (void)LoadRuleTree(rules_.string(), {}, cache_.string());
  std::ofstream(rules_ / "sub" / "b.yml", std::ios::app) << "level: critical\n";
  const LoadedDocuments changed = LoadRuleTree(rules_.string(), {}, cache_.string());
  ASSERT_EQ(changed.rules.size(), 4U);
  EXPECT_EQ(changed.rules[3].level, Level::kCritical);
  EXPECT_EQ(CacheFiles().size(), 2U);

  SigmaBudget tight;
  tight.max_document_bytes = 200;  // a.yml is refused now
  const LoadedDocuments refused = LoadRuleTree(rules_.string(), tight, cache_.string());
  EXPECT_EQ(refused.rules.size(), 1U);
  ASSERT_FALSE(refused.problems.empty());
  EXPECT_NE(refused.problems[0].message.find("over the limit"), std::string::npos);
  EXPECT_EQ(CacheFiles().size(), 3U);
}

TEST_F(RuleTreeCache, ADamagedFileIsParsedAgainAndReplaced) {
  const std::string expected = EncodeDocuments(LoadRuleTree(rules_.string(), {}, cache_.string()));
  const fs::path file = CacheFiles()[0];
  for (const std::string& garbage :
       {std::string(), std::string("dannevirke"), expected.substr(0, expected.size() / 2)}) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << garbage;
    EXPECT_EQ(EncodeDocuments(LoadRuleTree(rules_.string(), {}, cache_.string())), expected);
    std::ifstream in(file, std::ios::binary);
    EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()),
              EncodeDocuments(LoadRuleTree(rules_.string())));
  }
}

TEST_F(RuleTreeCache, ADirectoryOthersMayWriteIsNotUsed) {
  fs::create_directories(cache_);
  fs::permissions(cache_, fs::perms::all);
  (void)LoadRuleTree(rules_.string(), {}, cache_.string());
  EXPECT_TRUE(CacheFiles().empty());
}

TEST(DocumentCache, EverySigmaHqRuleDecodesAsItWasParsed) {
  const std::string tree = std::string(DV_SHARED_DIR) + "/sigma/rules";
  if (!fs::exists(tree)) GTEST_SKIP() << tree << " is not present";
  const LoadedDocuments parsed = LoadRuleTree(tree);
  ASSERT_GT(parsed.rules.size(), 3000U);
  const std::string bytes = EncodeDocuments(parsed);
  const auto decoded = DecodeDocuments(bytes, SigmaBudget{}.max_condition_depth);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(EncodeDocuments(*decoded), bytes);
  ASSERT_EQ(decoded->rules.size(), parsed.rules.size());
  for (std::size_t rule_idx = 0; rule_idx < parsed.rules.size(); ++rule_idx) {
    const auto& conditions = parsed.rules[rule_idx].detection.conditions;
    ASSERT_EQ(decoded->rules[rule_idx].detection.conditions.size(), conditions.size());
    for (std::size_t condition_idx = 0; condition_idx < conditions.size(); ++condition_idx) {
      EXPECT_EQ(decoded->rules[rule_idx].detection.conditions[condition_idx]->ToString(),
                conditions[condition_idx]->ToString())
          << parsed.rules[rule_idx].place.ToString();
    }
  }
}

TEST(ProgramBuildId, NamesThisProgram) {
  // Debian's toolchain links a build id into every executable; without one
  // the document cache is not used at all.
  EXPECT_EQ(ProgramBuildId().size(), 40U);
  EXPECT_EQ(ProgramBuildId().find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace dv::sigma
