// SPDX-License-Identifier: Apache-2.0
// Golden tests: each src/reports/testdata/<case>/ holds one input.* file (the
// report as it arrives), case.json (the announced format and any options:
// address_column, domain_column, limits) and expected.json (ReportJson of
// the result, or {"refused": "<message>"} for a file refused whole). After
// reviewing an intended change, run with DV_UPDATE_GOLDEN=1 to rewrite the
// expected files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "reports/report.h"

namespace dv::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path InputOf(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("input.", 0) == 0) return entry.path();
  }
  return {};
}

std::string RunCase(const fs::path& dir) {
  const json spec = json::parse(ReadFile(dir / "case.json"));
  const fs::path input = InputOf(dir);
  auto format = ParseAnnouncedFormat(spec.at("format").get<std::string>());
  if (!format.ok()) return json{{"refused", format.error().message()}}.dump(2) + "\n";
  ReadOptions options;
  options.format = *format;
  options.origin = input.filename().string();
  options.address_column = spec.value("address_column", "");
  options.domain_column = spec.value("domain_column", "");
  const json limits = spec.value("limits", json::object());
  options.limits.max_file_bytes = limits.value("max_file_bytes", options.limits.max_file_bytes);
  options.limits.max_lines = limits.value("max_lines", options.limits.max_lines);
  options.limits.max_record_bytes = limits.value("max_record_bytes", options.limits.max_record_bytes);
  options.limits.max_columns = limits.value("max_columns", options.limits.max_columns);
  options.limits.max_problems_kept = limits.value("max_problems_kept", options.limits.max_problems_kept);
  auto report = ReadReport(ReadFile(input), options);
  if (!report.ok()) return json{{"refused", report.error().message()}}.dump(2) + "\n";
  return ReportJson(*report);
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(DV_REPORTS_TESTDATA)) {
    if (fs::exists(entry.path() / "case.json")) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class ReportsGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ReportsGolden, MatchesExpected) {
  const fs::path dir = fs::path(DV_REPORTS_TESTDATA) / GetParam();
  ASSERT_FALSE(InputOf(dir).empty()) << "no input.* in " << dir;
  const std::string actual = RunCase(dir);
  const fs::path expected = dir / "expected.json";
  if (std::getenv("DV_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected)) << expected << " missing; review and rerun with DV_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, ReadFile(expected)) << "case " << GetParam()
                                        << " differs; review and rerun with DV_UPDATE_GOLDEN=1";
}

INSTANTIATE_TEST_SUITE_P(Cases, ReportsGolden, ::testing::ValuesIn(Cases()),
                         [](const auto& test_info) { return test_info.param; });

// The same report as CSV, JSON lines and a JSON array yields the same keys:
// the key depends on content, not on the file's form.
TEST(ReportsGoldenData, KeysDoNotDependOnTheFormat) {
  const fs::path root = DV_REPORTS_TESTDATA;
  std::vector<std::vector<std::string>> keys;
  for (const char* name : {"generic_csv", "json_lines", "json_array"}) {
    const json out = json::parse(RunCase(root / name));
    std::vector<std::string> case_keys;
    for (const auto& row : out.at("rows")) case_keys.push_back(row.at("key").get<std::string>());
    keys.push_back(case_keys);
  }
  ASSERT_FALSE(keys[0].empty());
  EXPECT_EQ(keys[0], keys[1]);
  EXPECT_EQ(keys[0], keys[2]);
}

}  // namespace
}  // namespace dv::reports
