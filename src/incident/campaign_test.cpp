// SPDX-License-Identifier: Apache-2.0
// Golden tests for campaign detection: each folder under
// testdata/campaigns holds incidents.json (input) and expected.json (the
// campaigns, reviewed by hand). DV_UPDATE_GOLDEN=1 rewrites expected.json.

#include "incident/campaign.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace dv::incident {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path kDir = fs::path(DV_SOURCE_DIR) / "src/incident/testdata/campaigns";

Json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

Json Detect(const Json& input) {
  std::vector<CampaignIncident> incidents;
  for (const auto& item : input["incidents"]) {
    incidents.push_back({item["id"], item["org"], *Timestamp::Parse(item["start"].get<std::string>()),
                         item["causes"].get<std::vector<std::string>>()});
  }
  CampaignOptions options;
  if (input.contains("window_days")) options.window_ms = input["window_days"].get<std::int64_t>() * 86'400'000;
  Json out = Json::array();
  for (const auto& campaign : DetectCampaigns(incidents, options)) {
    Json causes = Json::array();
    for (const auto& cause : campaign.causes) causes.push_back({{"key", cause.key}, {"incidents", cause.incidents}});
    out.push_back({{"members", campaign.members},
                   {"incidents", campaign.incidents},
                   {"causes", causes},
                   {"first", campaign.first.ToRfc3339()},
                   {"last", campaign.last.ToRfc3339()}});
  }
  return out;
}

class CampaignGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(CampaignGolden, MatchesExpected) {
  const fs::path dir = kDir / GetParam();
  const Json actual = Detect(ReadJson(dir / "incidents.json"));
  if (std::getenv("DV_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(dir / "expected.json") << actual.dump(2) << "\n";
  }
  ASSERT_TRUE(fs::exists(dir / "expected.json")) << dir;
  EXPECT_EQ(actual, ReadJson(dir / "expected.json")) << actual.dump(2);
}

INSTANTIATE_TEST_SUITE_P(Cases, CampaignGolden,
                         ::testing::Values("shared_supplier", "shared_indicator", "outside_window", "one_member_only",
                                           "chain"));

TEST(CampaignTest, InputOrderDoesNotChangeTheResult) {
  const Json input = ReadJson(kDir / "chain" / "incidents.json");
  Json reversed = input;
  std::reverse(reversed["incidents"].begin(), reversed["incidents"].end());
  EXPECT_EQ(Detect(input), Detect(reversed));
}

TEST(CampaignTest, IdsAreStableAndNamedAfterTheEarliestIncident) {
  std::vector<CampaignIncident> incidents = {{"a", "0101", Timestamp(1000), {"org:KMD"}},
                                             {"b", "0461", Timestamp(2000), {"org:KMD"}}};
  const auto first = DetectCampaigns(incidents, {});
  incidents.push_back({"c", "0751", Timestamp(3000), {"org:KMD"}});
  const auto second = DetectCampaigns(incidents, {});
  ASSERT_EQ(first.size(), 1U);
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(first[0].id, second[0].id);
  EXPECT_EQ(first[0].id.rfind("campaign--", 0), 0U);
}

TEST(CampaignTest, CauseKeysIncludeSightedIndicatorsAndOneStepUpstream) {
  const std::map<std::string, std::vector<std::string>> upstream = {{"OPUS", {"KMD"}}};
  EXPECT_EQ(CauseKeys({"indicator--a"}, {"indicator--b", "indicator--a"}, {"OPUS"}, upstream),
            (std::vector<std::string>{"indicator:indicator--a", "indicator:indicator--b", "org:KMD", "org:OPUS"}));
}

}  // namespace
}  // namespace dv::incident
