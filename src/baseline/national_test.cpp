// SPDX-License-Identifier: Apache-2.0
#include "baseline/national.h"

#include <gtest/gtest.h>

#include "baseline/test_util.h"

namespace dv::baseline {
namespace {

using testing::Tiny;

Organisation Municipality(std::string code, std::string region, std::int64_t population) {
  Organisation org;
  org.code = std::move(code);
  org.name = "Kommune " + org.code;
  org.kind = OrgKind::kMunicipality;
  org.region_code = std::move(region);
  org.population = population;
  return org;
}

// An assessment whose R1–R3 statuses give the wanted overall score; R4 n/a.
Assessment WithStatuses(const std::string& member, ReqStatus r1, ReqStatus r2, ReqStatus r3) {
  Assessment assessment;
  assessment.member = member;
  assessment.catalogue_version = "t1";
  assessment.assessed_at = Timestamp::FromCivil(2025, 3, 1);
  const std::pair<const char*, ReqStatus> items[] = {
      {"DV-AAA-01", r1}, {"DV-AAA-02", r2}, {"DV-BBB-01", r3}, {"DV-BBB-02", ReqStatus::kNotApplicable}};
  for (const auto& [id, status] : items) {
    RequirementAssessment item;
    item.requirement_id = id;
    item.status = status;
    assessment.items.push_back(item);
  }
  return assessment;
}

struct Fixture {
  std::vector<Organisation> orgs;
  std::vector<Scorecard> cards;
  std::vector<MemberCard> Members() const {
    std::vector<MemberCard> members;
    for (std::size_t idx = 0; idx < orgs.size(); ++idx) members.push_back({&orgs[idx], &cards[idx]});
    return members;
  }
};

// Six members: five in region 1084 (small), one in 1085 (large).
// Overall scores (weights R1 3, R2 1, R3 2; denominator 6):
//   0101 met/met/met           6   / 6 = 100
//   0147 met/partly/not_met    3.5 / 6 = 58.33
//   0151 met/not_met/not_met   3   / 6 = 50
//   0153 not_met/met/partly    2   / 6 = 33.33
//   0155 not_met/not_met/not_met 0 / 6 = 0
//   0751 partly/partly/partly  3   / 6 = 50
Fixture SixMembers() {
  Fixture fixture;
  const auto M = ReqStatus::kMet;
  const auto P = ReqStatus::kPartly;
  const auto N = ReqStatus::kNotMet;
  const std::tuple<const char*, const char*, std::int64_t, ReqStatus, ReqStatus, ReqStatus> rows[] = {
      {"0101", "1084", 15'000, M, M, M}, {"0147", "1084", 15'000, M, P, N}, {"0151", "1084", 15'000, M, N, N},
      {"0153", "1084", 15'000, N, M, P}, {"0155", "1084", 15'000, N, N, N}, {"0751", "1082", 350'000, P, P, P}};
  for (const auto& [code, region, population, r1, r2, r3] : rows) {
    fixture.orgs.push_back(Municipality(code, region, population));
    fixture.cards.push_back(Score(Tiny(), WithStatuses(code, r1, r2, r3)));
  }
  return fixture;
}

const GroupStats* Group(const NationalPicture& picture, std::string_view dimension, std::string_view key) {
  for (const auto& group : picture.groups) {
    if (group.dimension == dimension && group.key == key) return &group;
  }
  return nullptr;
}

TEST(NationalTest, PrivacyRuleFunctions) {
  EXPECT_EQ(kMinGroupSize, 5);
  EXPECT_FALSE(MayShowGroup(4));
  EXPECT_TRUE(MayShowGroup(5));
  EXPECT_FALSE(MayShowGroup(0));
  EXPECT_TRUE(MayShowCount(0));
  EXPECT_FALSE(MayShowCount(1));
  EXPECT_FALSE(MayShowCount(4));
  EXPECT_TRUE(MayShowCount(5));
}

TEST(NationalTest, GoldenNationalDistribution) {
  const Fixture fixture = SixMembers();
  const NationalPicture picture = BuildNationalPicture(Tiny(), fixture.Members(), Timestamp::FromCivil(2025, 3, 1));
  const GroupStats* national = Group(picture, "national", "all");
  ASSERT_NE(national, nullptr);
  ASSERT_TRUE(national->overall);
  // Sorted: 0, 33.33, 50, 50, 58.33, 100 → mean 291.67 / 6 = 48.61
  EXPECT_NEAR(national->overall->mean, (0 + 100.0 / 3 + 50 + 50 + 350.0 / 6 + 100) / 6, 1e-9);
  // Median: between the 3rd and 4th values, 50 and 50.
  EXPECT_DOUBLE_EQ(national->overall->median, 50.0);
  // p25: position 0.25·5 = 1.25 → 33.33 + 0.25·(50 − 33.33) = 37.5
  EXPECT_NEAR(national->overall->p25, 37.5, 1e-9);
  EXPECT_EQ(national->overall->histogram[0], 1);  // 0
  EXPECT_EQ(national->overall->histogram[5], 3);  // 50, 50, 58.33
  EXPECT_EQ(national->overall->histogram[9], 1);  // 100
}

TEST(NationalTest, GroupsSmallerThanFiveAreSuppressed) {
  const Fixture fixture = SixMembers();
  const NationalPicture picture = BuildNationalPicture(Tiny(), fixture.Members(), Timestamp::FromCivil(2025, 3, 1));
  const GroupStats* big_region = Group(picture, "region", "1084");
  ASSERT_NE(big_region, nullptr);
  EXPECT_EQ(big_region->members, 5);
  EXPECT_FALSE(big_region->suppressed);
  // (100 + 58.33 + 50 + 33.33 + 0) / 5 = 48.33
  EXPECT_NEAR(big_region->overall->mean, (100 + 350.0 / 6 + 50 + 100.0 / 3) / 5, 1e-9);
  const GroupStats* lone_region = Group(picture, "region", "1082");
  ASSERT_NE(lone_region, nullptr);
  EXPECT_EQ(lone_region->members, 1);
  EXPECT_TRUE(lone_region->suppressed);
  EXPECT_FALSE(lone_region->overall);
  EXPECT_FALSE(lone_region->discipline_mean[0]);
  const GroupStats* lone_band = Group(picture, "size_band", "100k_plus");
  ASSERT_NE(lone_band, nullptr);
  EXPECT_TRUE(lone_band->suppressed);
  // The comparison for the lone member shows no region or size median.
  const Comparison comparison = ComparisonFor(picture, fixture.orgs[5]);
  EXPECT_TRUE(comparison.national_median);
  EXPECT_FALSE(comparison.region_median);
  EXPECT_FALSE(comparison.size_band_median);
  const Comparison small = ComparisonFor(picture, fixture.orgs[0]);
  EXPECT_TRUE(small.region_median);
  EXPECT_TRUE(small.size_band_median);
}

// With fewer than five assessed members the national group is suppressed
// too; the comparison still has one (empty) national median per discipline,
// so a view that indexes it by discipline stays in bounds.
TEST(NationalTest, ASuppressedNationalGroupStillGivesOneMedianPerDiscipline) {
  Fixture fixture = SixMembers();
  fixture.orgs.resize(2);
  fixture.cards.resize(2);
  const NationalPicture picture = BuildNationalPicture(Tiny(), fixture.Members(), Timestamp::FromCivil(2025, 3, 1));
  const GroupStats* national = Group(picture, "national", "all");
  ASSERT_NE(national, nullptr);
  EXPECT_TRUE(national->suppressed);
  const Comparison comparison = ComparisonFor(picture, fixture.orgs[0]);
  EXPECT_FALSE(comparison.national_median);
  ASSERT_EQ(comparison.national_discipline_median.size(), Tiny().disciplines.size());
  for (const auto& median : comparison.national_discipline_median) EXPECT_FALSE(median);
}

TEST(NationalTest, SmallUnmetCountsAreSuppressed) {
  const Fixture fixture = SixMembers();
  const NationalPicture picture = BuildNationalPicture(Tiny(), fixture.Members(), Timestamp::FromCivil(2025, 3, 1));
  // not_met counts: R1 2 (0153, 0155), R2 2 (0151, 0155), R3 3 (0147, 0151, 0155).
  ASSERT_EQ(picture.most_unmet.size(), 3u);
  EXPECT_EQ(picture.most_unmet[0].requirement_id, "DV-BBB-01");
  for (const auto& unmet : picture.most_unmet) {
    EXPECT_FALSE(unmet.not_met) << unmet.requirement_id;
    EXPECT_DOUBLE_EQ(unmet.share_not_met, 0.0);
  }
}

TEST(NationalTest, UnmetCountsOfFiveAreShown) {
  Fixture fixture;
  for (const char* code : {"0101", "0147", "0151", "0153", "0155"}) {
    fixture.orgs.push_back(Municipality(code, "1084", 30'000));
    fixture.cards.push_back(Score(Tiny(), WithStatuses(code, ReqStatus::kNotMet, ReqStatus::kMet, ReqStatus::kMet)));
  }
  const NationalPicture picture = BuildNationalPicture(Tiny(), fixture.Members(), Timestamp::FromCivil(2025, 3, 1));
  ASSERT_EQ(picture.most_unmet.size(), 1u);
  ASSERT_TRUE(picture.most_unmet[0].not_met);
  EXPECT_EQ(*picture.most_unmet[0].not_met, 5);
  EXPECT_DOUBLE_EQ(picture.most_unmet[0].share_not_met, 1.0);
}

TEST(NationalTest, AudienceRule) {
  const Fixture fixture = SixMembers();
  const NationalPicture picture = BuildNationalPicture(Tiny(), fixture.Members(), Timestamp::FromCivil(2025, 3, 1));
  ASSERT_FALSE(picture.weakest.empty());
  EXPECT_EQ(picture.weakest[0].code, "0155");
  EXPECT_EQ(picture.rows.size(), 6u);

  const NationalPicture coordinator = ForAudience(picture, {Audience::Role::kCoordinator, ""});
  EXPECT_EQ(coordinator.rows.size(), 6u);
  EXPECT_EQ(coordinator.weakest.size(), picture.weakest.size());

  const NationalPicture member = ForAudience(picture, {Audience::Role::kMember, "0147"});
  EXPECT_TRUE(member.weakest.empty());
  ASSERT_EQ(member.rows.size(), 1u);
  EXPECT_EQ(member.rows[0].code, "0147");
  EXPECT_TRUE(Group(member, "region", "1082")->suppressed);

  const NationalPicture anyone = ForAudience(picture, {Audience::Role::kPublic, ""});
  EXPECT_TRUE(anyone.rows.empty());
  EXPECT_TRUE(anyone.weakest.empty());
  EXPECT_TRUE(Group(anyone, "national", "all")->overall);
}

TEST(NationalTest, ForAudienceSuppressesAHandBuiltSmallGroup) {
  NationalPicture picture;
  GroupStats group;
  group.dimension = "region";
  group.key = "x";
  group.members = 3;
  group.overall = Distribution{};
  group.discipline_mean = {42.0};
  picture.groups.push_back(group);
  const NationalPicture shown = ForAudience(picture, {Audience::Role::kCoordinator, ""});
  EXPECT_TRUE(shown.groups[0].suppressed);
  EXPECT_FALSE(shown.groups[0].overall);
  EXPECT_FALSE(shown.groups[0].discipline_mean[0]);
}

TEST(NationalTest, TimelineUsesLatestSnapshotPerMember) {
  std::vector<Organisation> orgs;
  std::vector<Assessment> snapshots;
  for (const char* code : {"0101", "0147", "0151", "0153", "0155"}) {
    orgs.push_back(Municipality(code, "1084", 30'000));
    snapshots.push_back(WithStatuses(code, ReqStatus::kNotMet, ReqStatus::kNotMet, ReqStatus::kNotMet));
    Assessment later = WithStatuses(code, ReqStatus::kMet, ReqStatus::kMet, ReqStatus::kMet);
    later.assessed_at = Timestamp::FromCivil(2025, 6, 1);
    snapshots.push_back(later);
  }
  const auto timeline = NationalTimeline(
      Tiny(), orgs, snapshots,
      {Timestamp::FromCivil(2025, 1, 1), Timestamp::FromCivil(2025, 4, 1), Timestamp::FromCivil(2025, 7, 1)});
  ASSERT_EQ(timeline.size(), 3u);
  EXPECT_EQ(timeline[0].members, 0);
  EXPECT_DOUBLE_EQ(Group(timeline[1], "national", "all")->overall->mean, 0.0);
  EXPECT_DOUBLE_EQ(Group(timeline[2], "national", "all")->overall->mean, 100.0);
}

}  // namespace
}  // namespace dv::baseline
