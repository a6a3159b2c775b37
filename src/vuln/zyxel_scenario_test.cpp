// SPDX-License-Identifier: Apache-2.0
// Golden test: the May 2023 attack on Danish energy companies through Zyxel
// firewalls (CVE-2023-28771), run on demo-federation members' assets
// (testdata/zyxel-assets.csv) with the public records in
// DV_SHARED_DIR/data/vuln/zyxel-scenario.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "vuln/exposure.h"
#include "vuln/stix_vulnerability.h"

namespace dv::vuln {
namespace {

const std::string kScenario = std::string(DV_SHARED_DIR) + "/data/vuln/zyxel-scenario";
constexpr char kCve[] = "CVE-2023-28771";

class ZyxelScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kScenario + "/nvd-CVE-2023-28771.json")) GTEST_SKIP() << "zyxel scenario data absent";
    auto assets = LoadAssetsFile(std::string(DV_VULN_TESTDATA) + "/zyxel-assets.csv");
    ASSERT_TRUE(assets.ok()) << assets.error().message();
    assets_ = std::move(*assets);
  }

  void Apply(VulnDatabase& db, const std::string& file, std::optional<Timestamp> as_of = std::nullopt) {
    auto feed = LoadFeedFile(kScenario + "/" + file, as_of);
    ASSERT_TRUE(feed.ok()) << feed.error().message();
    const ApplyReport report = db.Apply(*feed, {Timestamp::FromCivil(2023, 6, 10), false});
    ASSERT_TRUE(report.applied) << report.reason;
  }

  static std::map<std::string, FindingStatus> ByMember(const std::vector<Finding>& findings) {
    std::map<std::string, FindingStatus> out;
    for (const Finding& finding : findings) out[finding.member] = finding.status;
    return out;
  }

  std::vector<Asset> assets_;
};

TEST_F(ZyxelScenario, FlagsExactlyTheMembersInRange) {
  VulnDatabase db;
  Apply(db, "nvd-CVE-2023-28771.json");
  Apply(db, "cve5-CVE-2023-28771.json");
  Apply(db, "kev-zyxel.json");
  Apply(db, "epss-CVE-2023-28771-changepoints.csv");
  const Vulnerability* vuln = db.Find(kCve);
  ASSERT_NE(vuln, nullptr);
  ASSERT_EQ(vuln->nvd.size(), 19u);

  const auto started = std::chrono::steady_clock::now();
  const ExposureEngine engine(assets_);
  const auto findings = engine.Match(*vuln, &db, {});
  const auto elapsed = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count();

  const std::map<std::string, FindingStatus> expected = {
      {"ENERGINET", FindingStatus::kOpen},      // ATP500 on 5.35
      {"FJVFYN", FindingStatus::kOpen},         // ZyWALL USG 310 on 4.73 without patch
      {"0751", FindingStatus::kOpen},           // USG FLEX 50 on 5.10
      {"BIOFOS", FindingStatus::kNeedsReview},  // ATP100, firmware version not recorded
  };
  EXPECT_EQ(ByMember(findings), expected);
  for (const Finding& finding : findings) {
    EXPECT_TRUE(finding.kev);
    EXPECT_EQ(finding.due, Timestamp::FromCivil(2023, 6, 21));
    EXPECT_DOUBLE_EQ(finding.epss, 0.86228);
    EXPECT_EQ(finding.source, "nvd");
    std::printf("  %-10s %-14s %s\n", finding.member.c_str(), std::string(FindingStatusName(finding.status)).c_str(),
                finding.Why().c_str());
  }
  std::printf("  engine build + match of %zu assets: %.0f us\n", assets_.size(), elapsed);

  std::set<std::string> blind;
  for (const BlindSpot& spot : engine.BlindSpots()) blind.insert(spot.member);
  EXPECT_EQ(blind, (std::set<std::string>{"1084", "SEKTORCERT"}));

  const auto stix = ToStixVulnerability(*vuln, &db, Timestamp::FromCivil(2023, 6, 1));
  EXPECT_EQ(stix["x_dv_kev"]["due_date"], "2023-06-21");
}

// 2023-05-11, the first wave: NVD had not analysed the CVE yet and it was not
// in KEV. The CNA's free-text ranges still point at the devices, as "needs
// review" (the CVE 5 record names product series, not models).
TEST_F(ZyxelScenario, BeforeNvdAnalysisCve5GivesReviewItems) {
  VulnDatabase db;
  Apply(db, "cve5-CVE-2023-28771.json");
  Apply(db, "epss-CVE-2023-28771-changepoints.csv", Timestamp::FromCivil(2023, 5, 11));
  const ExposureEngine engine(assets_);
  const auto findings = engine.Match(*db.Find(kCve), &db, {});
  const auto by_member = ByMember(findings);
  for (const auto& [member, status] : by_member) EXPECT_EQ(status, FindingStatus::kNeedsReview) << member;
  for (const char* member : {"ENERGINET", "FJVFYN", "0751", "AAFORSYN", "BIOFOS"}) {
    EXPECT_TRUE(by_member.contains(member)) << member;
  }
  for (const char* member : {"HOFOR", "DINFORSYN"}) EXPECT_FALSE(by_member.contains(member)) << member;
  ASSERT_FALSE(findings.empty());
  EXPECT_FALSE(findings[0].kev);
  EXPECT_DOUBLE_EQ(findings[0].epss, 0.00158);
}

}  // namespace
}  // namespace dv::vuln
