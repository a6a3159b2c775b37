// SPDX-License-Identifier: Apache-2.0
// Planting a rule cache (docs/sigma.md, "Loading: the rule cache"): `scan`
// decodes a rule folder it has parsed before from a file named by the SHA-256
// of the program's build id and the rules' bytes. Anyone who can read the
// rules and the program can compute that name. Whoever can write the cache
// directory decides which rules run; so a directory another user owns, or one
// that others may write, must never be read. The attacker here plants files
// that would empty the rule set (and a garbage prefilter) in such
// directories; the real `dannevirke scan` must still raise its alert.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sigma/document_cache.h"

namespace dv {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRule = R"(title: Mimikatz on the command line
id: planted-r1
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: 'mimikatz'}
  condition: sel
)";

class PlantedRuleCache : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
    std::ofstream(dir_ / "rules" / "r.yml") << kRule;
    std::ofstream(dir_ / "logs.jsonl")
        << R"({"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"CommandLine":"run mimikatz"})"
        << "\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The alerts (JSON lines) of a scan with --cache `cache`.
  std::string Scan(const fs::path& cache) const {
    const fs::path out = dir_ / "alerts.jsonl";
    const std::string command = "timeout 120 " + std::string(DV_BINARY) + " scan -q --no-summary --json --cache " +
                                cache.string() + " -r " + (dir_ / "rules").string() + " " +
                                (dir_ / "logs.jsonl").string() + " > " + out.string() + " 2>/dev/null";
    const int status = std::system(command.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
    std::ifstream in(out);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  // The cache files a scan with a private cache leaves, by subfolder.
  std::vector<fs::path> CacheFiles(const fs::path& cache) const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(cache)) {
      if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), cache));
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  // Plants, under `cache`, a file of every name the private cache holds:
  // the rule documents of an empty folder, and a prefilter of garbage.
  void Plant(const fs::path& cache, const std::vector<fs::path>& names, fs::perms mode) const {
    for (const auto& name : names) {
      fs::create_directories(cache / name.parent_path());
      fs::permissions(cache, mode);
      fs::permissions(cache / name.parent_path(), mode);
      std::ofstream file(cache / name, std::ios::binary);
      if (name.extension() == ".rules") {
        file << sigma::EncodeDocuments(sigma::LoadedDocuments{});
      } else {
        file << "garbage";
      }
    }
  }

  fs::path dir_ = fs::temp_directory_path() / ("dv-planted-rule-cache-" + std::to_string(::getpid()));
};

TEST_F(PlantedRuleCache, AFolderOthersMayWriteIsNeverRead) {
  const std::string expected = Scan(dir_ / "private");
  ASSERT_NE(expected.find("planted-r1"), std::string::npos);
  const auto names = CacheFiles(dir_ / "private");
  ASSERT_EQ(names.size(), 2U);  // rules/documents-….rules, prefilter/prefilter-….hsdb

  // The planted file is what a trusted cache would read: in the user's own
  // 0700 folder it empties the rule set (which is why the cache is trusted
  // as the rules are).
  Plant(dir_ / "own", names, fs::perms::owner_all);
  EXPECT_EQ(Scan(dir_ / "own").find("planted-r1"), std::string::npos);

  // In a folder others may write it is not read, and nothing is written.
  Plant(dir_ / "shared", names, fs::perms::all);
  EXPECT_EQ(Scan(dir_ / "shared"), expected);
  EXPECT_EQ(CacheFiles(dir_ / "shared"), names);
}

TEST_F(PlantedRuleCache, AFolderAnotherUserOwnsIsNeverRead) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a folder to another user";
  const std::string expected = Scan(dir_ / "private");
  const auto names = CacheFiles(dir_ / "private");
  Plant(dir_ / "theirs", names,
        fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
            fs::perms::others_exec);
  for (const auto& name : names) {
    ASSERT_EQ(::chown((dir_ / "theirs" / name.parent_path()).c_str(), 65534, 65534), 0);
  }
  EXPECT_EQ(Scan(dir_ / "theirs"), expected);
}

}  // namespace
}  // namespace dv
