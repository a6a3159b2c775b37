// SPDX-License-Identifier: Apache-2.0
// Golden data-driven detection tests: every folder under tests/detect/ holds
//   rules.yml        Sigma rules, correlations and filters
//   events.jsonl     one flat JSON event per line ("@timestamp" sets the time)
//   placeholders.yml optional values for the expand modifier
//   expected.jsonl   the alerts, one JSON object per line
// The runner also checks, event by event, that the compiled engine and the
// one-rule-at-a-time evaluation find the same rules. After an intended
// change, DV_UPDATE_GOLDEN=1 rewrites expected.jsonl for review.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "detect/correlation.h"
#include "detect/engine.h"

namespace dv::detect {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kCases = fs::path(DV_SOURCE_DIR) / "tests" / "detect";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void AddJsonValue(Event& event, const std::string& name, const Json& value) {
  if (value.is_null()) {
    event.AddNull(name);
  } else if (value.is_string()) {
    event.Add(name, value.get<std::string>());
  } else if (value.is_array()) {
    for (const auto& item : value) AddJsonValue(event, name, item);
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) AddJsonValue(event, name + "." + key, item);
  } else {
    event.Add(name, value.dump());
  }
}

Json AlertJson(const Alert& alert, std::size_t line) {
  Json fields = Json::object();
  for (const auto& [name, value] : alert.fields) fields[name] = value;
  Json out = {{"line", line},
              {"kind", AlertKindName(alert.kind)},
              {"title", alert.title},
              {"level", sigma::LevelName(alert.level)},
              {"fields", fields}};
  if (alert.kind == AlertKind::kCorrelation) out["events"] = alert.event_count;
  return out;
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  if (!fs::exists(kCases)) return names;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class DetectGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DetectGolden, MatchesExpectedAlerts) {
  const fs::path dir = kCases / GetParam();
  sigma::RuleSetOptions options;
  if (fs::exists(dir / "placeholders.yml")) {
    const YAML::Node placeholders = YAML::LoadFile((dir / "placeholders.yml").string());
    for (const auto& entry : placeholders) {
      for (const auto& value : entry.second) options.placeholders[entry.first.Scalar()].push_back(value.Scalar());
    }
  }
  sigma::RuleSetReport report;
  auto documents = sigma::ParseRuleDocuments(ReadAll(dir / "rules.yml"), "rules.yml");
  auto rules = sigma::RuleSet::Build(std::move(documents), options, report);
  for (const auto& problem : report.problems) ADD_FAILURE() << problem.ToString();
  auto engine = Engine::Build(rules, nullptr);
  ASSERT_TRUE(engine.ok()) << engine.error().ToString();
  EngineStream stream(*engine);
  CorrelationEngine correlations(*engine);

  std::string actual;
  std::istringstream events(ReadAll(dir / "events.jsonl"));
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(events, line)) {
    ++line_no;
    if (line.empty()) continue;
    const Json object = Json::parse(line);
    Event event;
    event.origin = "events.jsonl:" + std::to_string(line_no);
    for (const auto& [name, value] : object.items()) {
      if (name == "@timestamp") {
        event.time = Timestamp::Parse(value.get<std::string>()).value();
        continue;
      }
      AddJsonValue(event, name, value);
    }
    Event copy = event;
    auto on_alert = [&](const Alert& alert) { actual += AlertJson(alert, line_no).dump() + "\n"; };
    stream.Process(event, on_alert, [&](BaseMatch&& match) { correlations.Add(match, on_alert); });
    std::vector<std::uint32_t> fast = stream.last_matches();
    std::sort(fast.begin(), fast.end());
    EXPECT_EQ(fast, EvaluateNaively(*rules, copy))
        << GetParam() << " line " << line_no << ": engine and one-rule-at-a-time evaluation disagree";
  }
  const fs::path expected_path = dir / "expected.jsonl";
  if (std::getenv("DV_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << expected_path;
  }
  EXPECT_EQ(actual, ReadAll(expected_path))
      << "case " << GetParam() << " (run with DV_UPDATE_GOLDEN=1 to rewrite after review)";
}

INSTANTIATE_TEST_SUITE_P(Cases, DetectGolden, ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) { return param_info.param; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DetectGolden);

}  // namespace
}  // namespace dv::detect
