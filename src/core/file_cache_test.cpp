// SPDX-License-Identifier: Apache-2.0
#include "core/file_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace dv {
namespace {

namespace fs = std::filesystem;

TEST(KeyHasher, PartsAreLengthPrefixed) {
  const std::string one = KeyHasher().Add("ab").Add("c").Hex();
  EXPECT_EQ(one.size(), 64U);
  EXPECT_EQ(one, KeyHasher().Add("ab").Add("c").Hex());
  EXPECT_NE(one, KeyHasher().Add("a").Add("bc").Hex());
  EXPECT_NE(one, KeyHasher().Add("abc").Hex());
  EXPECT_NE(KeyHasher().Add(std::uint64_t{1}).Hex(), KeyHasher().Add(std::uint64_t{256}).Hex());
}

TEST(FileCache, KeepsWhatWasWrittenUnderItsKeyAndNothingElse) {
  const fs::path dir = fs::temp_directory_path() / ("dv-file-cache-" + std::to_string(::getpid())) / "inner";
  fs::remove_all(dir.parent_path());
  const FileCache cache(dir.string(), ".bin", 16, 2);
  EXPECT_TRUE(cache.usable());
  EXPECT_FALSE(cache.Read("a").has_value());
  cache.Write("a", std::string("first\0bytes", 11));
  EXPECT_EQ(cache.Read("a"), std::string("first\0bytes", 11));
  struct stat info {};
  ASSERT_EQ(::stat(dir.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700U);
  ASSERT_EQ(::stat((dir / "a.bin").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
  // Over the size limit: neither written nor read.
  cache.Write("big", std::string(17, 'x'));
  EXPECT_FALSE(cache.Read("big").has_value());
  // Two kept.
  cache.Write("b", "b");
  cache.Write("c", "c");
  int kept = 0;
  for (const auto& entry : fs::directory_iterator(dir)) kept += entry.path().extension() == ".bin" ? 1 : 0;
  EXPECT_EQ(kept, 2);
  EXPECT_EQ(cache.Read("c"), "c");
  // No directory given: holds nothing.
  const FileCache none("", ".bin", 16);
  EXPECT_FALSE(none.usable());
  none.Write("a", "a");
  EXPECT_FALSE(none.Read("a").has_value());
  fs::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace dv
