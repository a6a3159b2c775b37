// SPDX-License-Identifier: Apache-2.0
// Golden tests: each directory under testdata/ holds indicators.* (any
// format the loader accepts), events.jsonl (flat JSON objects of field →
// string; "_time" sets the event time) and expected.jsonl (the load report,
// then one line per event with its hits sorted by indicator id). Run with
// DV_UPDATE_GOLDEN=1 to rewrite expected.jsonl after reviewing a change.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "detect/indicators/indicator_index.h"

namespace dv {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string RunCase(const fs::path& dir) {
  fs::path indicators_path;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("indicators.", 0) == 0) indicators_path = entry.path();
  }
  EXPECT_FALSE(indicators_path.empty()) << dir;
  LoadReport report;
  auto indicators = ParseIndicators(ReadFile(indicators_path), indicators_path.filename().string(), {}, &report);
  if (!indicators.ok()) return "load error: " + indicators.error().message() + "\n";
  auto index = IndicatorIndex::Build(std::move(indicators).value(), *FieldTable::Default(), &report);
  if (!index.ok()) return "build error: " + index.error().message() + "\n";

  std::string out;
  nlohmann::json summary = {{"loaded", report.loaded},
                            {"rejected", report.rejected},
                            {"unsupported", report.unsupported},
                            {"ignored", report.ignored}};
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& problem : report.rejections)
    problems.push_back("rejected " + problem.place + ": " + problem.message);
  for (const auto& problem : report.unsupported_reasons) {
    problems.push_back("unsupported " + problem.place + ": " + problem.message);
  }
  summary["problems"] = problems;
  out += summary.dump() + "\n";

  IndicatorScratch scratch;
  std::vector<IndicatorHit> hits;
  std::istringstream events(ReadFile(dir / "events.jsonl"));
  std::string line;
  int line_number = 0;
  while (std::getline(events, line)) {
    ++line_number;
    if (line.empty()) continue;
    nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    EXPECT_TRUE(object.is_object()) << dir << " events.jsonl:" << line_number;
    if (!object.is_object()) continue;
    Event event;
    for (const auto& [name, value] : object.items()) {
      const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
      if (name == "_time") {
        event.time = *Timestamp::Parse(text);
      } else {
        event.Add(name, text);
      }
    }
    index->Match(event, scratch, hits);
    std::vector<nlohmann::json> rows;
    for (const IndicatorHit& hit : hits) {
      rows.push_back({{"indicator", IndicatorId(index->indicator(hit.indicator_idx))},
                      {"field", std::string(hit.field)},
                      {"value", std::string(hit.value)}});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.dump() < b.dump(); });
    out += nlohmann::json({{"line", line_number}, {"hits", rows}}).dump() + "\n";
  }
  return out;
}

TEST(IndicatorGoldenTest, AllCases) {
  const fs::path root = fs::path(DV_SOURCE_DIR) / "src/detect/indicators/testdata";
  const bool update = std::getenv("DV_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    ++cases;
    const std::string actual = RunCase(dir);
    const fs::path expected_path = dir / "expected.jsonl";
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    EXPECT_EQ(actual, ReadFile(expected_path))
        << "golden case " << dir.filename() << " differs; review and rerun with DV_UPDATE_GOLDEN=1";
  }
  EXPECT_GE(cases, 4);
}

}  // namespace
}  // namespace dv
