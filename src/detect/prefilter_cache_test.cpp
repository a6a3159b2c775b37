// SPDX-License-Identifier: Apache-2.0
#include "detect/prefilter_cache.h"

#include <gtest/gtest.h>
#include <hs/hs.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "detect/engine.h"

namespace dv::detect {
namespace {

namespace fs = std::filesystem;

class PrefilterCache : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dv-prefilter-cache-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The ids a database reports in `text`.
  static std::set<unsigned> Found(hs_database* db, std::string_view text) {
    hs_scratch* scratch = nullptr;
    EXPECT_EQ(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
    std::set<unsigned> found;
    hs_scan(
        db, text.data(), static_cast<unsigned>(text.size()), 0, scratch,
        [](unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) -> int {
          static_cast<std::set<unsigned>*>(ctx)->insert(id);
          return 0;
        },
        &found);
    hs_free_scratch(scratch);
    return found;
  }

  std::vector<fs::path> Files() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path());
    return files;
  }

  fs::path dir_;
  const std::vector<std::string> literals_ = {"mimikatz", "sekurlsa", "\\powershell.exe", "-enc"};
  const std::vector<std::uint32_t> ids_ = {0, 1, 2, 3};
};

TEST_F(PrefilterCache, ASecondBuildReadsTheSameDatabaseFromTheCache) {
  bool cached = true;
  auto first = LiteralDatabase(literals_, ids_, dir_.string(), &cached);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(cached);
  ASSERT_EQ(Files().size(), 1U);
  struct stat info {};
  ASSERT_EQ(::stat(Files()[0].c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
  ASSERT_EQ(::stat(dir_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700U);

  auto second = LiteralDatabase(literals_, ids_, dir_.string(), &cached);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(cached);
  const std::string text = "c:\\x\\powershell.exe -enc aaaa; sekurlsa::logonpasswords";
  EXPECT_EQ(Found(*first, text), (std::set<unsigned>{1, 2, 3}));
  EXPECT_EQ(Found(*second, text), Found(*first, text));
  hs_free_database(*first);
  hs_free_database(*second);
}

TEST_F(PrefilterCache, AnotherLiteralSetNeverReadsThisSetsDatabase) {
  auto first = LiteralDatabase(literals_, ids_, dir_.string());
  ASSERT_TRUE(first.ok());
  // The same literals under other ids, and one literal more.
  const std::vector<std::uint32_t> fewer = {0, 1, 2};
  bool cached = true;
  auto other = LiteralDatabase(literals_, fewer, dir_.string(), &cached);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(cached);
  EXPECT_EQ(Found(*other, "-enc"), std::set<unsigned>{});
  EXPECT_EQ(Files().size(), 2U);
  hs_free_database(*first);
  hs_free_database(*other);
}

TEST_F(PrefilterCache, ACorruptFileIsCompiledAgainAndReplaced) {
  auto first = LiteralDatabase(literals_, ids_, dir_.string());
  ASSERT_TRUE(first.ok());
  hs_free_database(*first);
  ASSERT_EQ(Files().size(), 1U);
  const fs::path file = Files()[0];
  const std::vector<std::string> garbages = {"", "not a database", std::string(100000, '\xff')};
  for (const std::string& garbage : garbages) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << garbage;
    bool cached = true;
    auto again = LiteralDatabase(literals_, ids_, dir_.string(), &cached);
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(cached);
    EXPECT_EQ(Found(*again, "MIMIKATZ mimikatz"), std::set<unsigned>{0});
    hs_free_database(*again);
    // Rewritten: the next run reads it.
    auto next = LiteralDatabase(literals_, ids_, dir_.string(), &cached);
    ASSERT_TRUE(next.ok());
    EXPECT_TRUE(cached);
    hs_free_database(*next);
  }
}

TEST_F(PrefilterCache, ADirectoryOthersMayWriteIsNotUsed) {
  fs::create_directories(dir_);
  ::chmod(dir_.c_str(), 0777);
  bool cached = true;
  auto db = LiteralDatabase(literals_, ids_, dir_.string(), &cached);
  ASSERT_TRUE(db.ok());
  EXPECT_FALSE(cached);
  EXPECT_TRUE(Files().empty());  // nothing written there either
  EXPECT_EQ(Found(*db, "mimikatz"), std::set<unsigned>{0});
  hs_free_database(*db);
}

TEST_F(PrefilterCache, OnlyARegularFileIsRead) {
  auto first = LiteralDatabase(literals_, ids_, dir_.string());
  ASSERT_TRUE(first.ok());
  hs_free_database(*first);
  ASSERT_EQ(Files().size(), 1U);
  const fs::path file = Files()[0];
  // A FIFO in the cache's place would block a reader for ever.
  fs::remove(file);
  ASSERT_EQ(::mkfifo(file.c_str(), 0600), 0);
  bool cached = true;
  auto again = LiteralDatabase(literals_, ids_, dir_.string(), &cached);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(cached);
  EXPECT_EQ(Found(*again, "sekurlsa"), std::set<unsigned>{1});
  hs_free_database(*again);
}

TEST_F(PrefilterCache, KeepsOnlyTheMostRecentFiles) {
  std::vector<std::string> literals = literals_;
  for (int set_idx = 0; set_idx < 10; ++set_idx) {
    literals.push_back("literal number " + std::to_string(set_idx));
    std::vector<std::uint32_t> ids(literals.size());
    for (std::uint32_t id = 0; id < ids.size(); ++id) ids[id] = id;
    auto db = LiteralDatabase(literals, ids, dir_.string());
    ASSERT_TRUE(db.ok());
    hs_free_database(*db);
  }
  EXPECT_EQ(Files().size(), kKeptFiles);
}

TEST_F(PrefilterCache, AnEngineBuiltFromTheCacheMatchesAsOneCompiledAfresh) {
  sigma::RuleSetReport report;
  auto rules = sigma::RuleSet::Build(sigma::ParseRuleDocuments(R"(title: Encoded PowerShell
id: r1
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\powershell.exe', CommandLine|contains: [' -enc ', ' -encodedcommand ']}
  condition: sel
---
title: Keywords
id: r2
logsource: {product: windows}
detection:
  keywords: ['sekurlsa::logonpasswords']
  condition: keywords
)",
                                                               "t.yml"),
                                     {}, report);
  ASSERT_EQ(report.errors(), 0);
  EngineOptions options;
  options.prefilter_cache_dir = dir_.string();
  auto fresh = Engine::Build(rules, nullptr, options);
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE((*fresh)->prefilter_from_cache());
  auto cached = Engine::Build(rules, nullptr, options);
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE((*cached)->prefilter_from_cache());
  for (const auto& engine : {*fresh, *cached}) {
    EngineStream stream(engine);
    Event event;
    event.Add("Channel", "Microsoft-Windows-Sysmon/Operational");
    event.Add("EventID", "1");
    event.Add("Image", "C:\\x\\PowerShell.exe");
    event.Add("CommandLine", "powershell -ENC AAAA");
    event.Add("Note", "then SEKURLSA::logonpasswords");
    std::vector<std::string> ids;
    stream.Process(
        event, [&](const Alert& alert) { ids.push_back(alert.rule_id); }, nullptr);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{"r1", "r2"}));
  }
}

}  // namespace
}  // namespace dv::detect
