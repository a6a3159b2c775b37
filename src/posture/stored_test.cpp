// SPDX-License-Identifier: Apache-2.0
#include "posture/stored.h"

#include <gtest/gtest.h>

namespace dv::posture {
namespace {

const Timestamp kDay1 = Timestamp::Parse("2026-12-01T03:00:00Z").value();
const Timestamp kDay2 = Timestamp::Parse("2026-12-02T03:00:00Z").value();

DomainScan Scan(const std::string& domain, Timestamp at, Status spf, Status dmarc) {
  DomainScan scan;
  scan.domain = domain;
  scan.measured_at = at;
  CheckResult first;
  first.check = "spf";
  first.domain = domain;
  first.status = spf;
  first.reasons = {"spf " + std::string(StatusName(spf))};
  CheckResult second = first;
  second.check = "dmarc";
  second.status = dmarc;
  second.reasons = {"dmarc " + std::string(StatusName(dmarc))};
  scan.checks = {first, second};
  return scan;
}

class PostureStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::Open("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store_ = std::move(opened).value();
    for (int index = 0; index < 7; ++index) {
      Organisation org;
      org.code = "0" + std::to_string(101 + index);
      org.name = "Kommune " + org.code;
      org.kind = OrgKind::kMunicipality;
      org.region_code = "1084";
      ASSERT_TRUE(store_->UpsertOrganisation(org, "test").ok());
    }
  }
  std::unique_ptr<Store> store_;
};

TEST_F(PostureStore, EachScanIsAVersionAndAFallFromPassIsARegressionRecord) {
  auto first = StoreScan(*store_, "0101", Scan("a.test", kDay1, Status::kPass, Status::kPass), "system:posture");
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_TRUE(first->empty());  // nothing before it
  auto second = StoreScan(*store_, "0101", Scan("a.test", kDay2, Status::kPass, Status::kFail), "system:posture");
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].check, "dmarc");

  auto regressions = store_->ListRecords({std::string(kRegressionKind), std::string("0101"), false});
  ASSERT_TRUE(regressions.ok());
  ASSERT_EQ(regressions->size(), 1u);
  const auto body = nlohmann::json::parse((*regressions)[0].body);
  EXPECT_EQ(body["domain"], "a.test");
  EXPECT_EQ(body["from"], "pass");
  EXPECT_EQ(body["to"], "fail");
  EXPECT_EQ(body["measured_at"], "2026-12-02T03:00:00.000Z");

  auto latest = LatestScans(*store_, "0101");
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ((*latest)[0].measured_at, kDay2);

  auto history = History(*store_, "0101", "a.test");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);  // two checks, two days, oldest first
  EXPECT_EQ((*history)[0].measured_at, kDay1);
  EXPECT_EQ((*history)[3].check, "dmarc");
  EXPECT_EQ((*history)[3].status, Status::kFail);
  // Another member's name for the same domain has no history of this one.
  auto other = History(*store_, "0102", "a.test");
  EXPECT_TRUE(!other.ok() || other->empty());
}

TEST_F(PostureStore, LatestScansKeepOnlyTheDomainsStillProven) {
  ASSERT_TRUE(StoreScan(*store_, "0101", Scan("a.test", kDay1, Status::kPass, Status::kPass), "t").ok());
  ASSERT_TRUE(StoreScan(*store_, "0101", Scan("b.test", kDay1, Status::kFail, Status::kFail), "t").ok());
  auto all = LatestScans(*store_, "0101");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  auto kept = LatestScans(*store_, "0101", {"a.test"});
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].domain, "a.test");
}

TEST_F(PostureStore, NationalSharesHideChecksMeasuredAtFewerThanFiveMembers) {
  std::map<std::string, std::vector<DomainScan>> latest;
  for (int index = 0; index < 4; ++index) {
    latest["010" + std::to_string(index)] = {
        Scan("m" + std::to_string(index) + ".test", kDay1, Status::kPass, index == 0 ? Status::kFail : Status::kPass)};
  }
  auto shares = NationalShares(latest);
  for (const auto& share : shares) {
    if (share.check != "spf" && share.check != "dmarc") {  // not measured: listed with no members
      EXPECT_EQ(share.members, 0) << share.check;
      continue;
    }
    EXPECT_EQ(share.members, 4) << share.check;
    EXPECT_FALSE(share.passing.has_value()) << share.check;  // four members: hidden
    EXPECT_FALSE(share.failing.has_value()) << share.check;
  }
  // A fifth member shows the figures; a member passes only if every domain does.
  latest["0105"] = {Scan("m5.test", kDay1, Status::kPass, Status::kPass),
                    Scan("m6.test", kDay1, Status::kPass, Status::kWarn)};
  shares = NationalShares(latest);
  for (const auto& share : shares) {
    if (share.check != "dmarc") continue;
    EXPECT_EQ(share.members, 5);
    ASSERT_TRUE(share.passing.has_value());
    EXPECT_EQ(*share.passing, 3);  // 0100 fails, 0105 warns on one domain
    EXPECT_EQ(*share.failing, 1);
  }
  // A member whose every lookup failed is not counted.
  latest["0106"] = {Scan("m7.test", kDay1, Status::kError, Status::kError)};
  for (const auto& share : NationalShares(latest)) {
    if (share.check == "dmarc") {
      EXPECT_EQ(share.members, 5);
    }
  }
}

}  // namespace
}  // namespace dv::posture
