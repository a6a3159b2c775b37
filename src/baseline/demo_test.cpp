// SPDX-License-Identifier: Apache-2.0
#include "baseline/demo.h"

#include <gtest/gtest.h>

#include "baseline/national.h"
#include "baseline/report.h"
#include "baseline/scoring.h"
#include "baseline/test_util.h"
#include "federation/federation.h"

namespace dv::baseline {
namespace {

using testing::Builtin;

std::vector<Organisation> DemoOrgs() {
  auto federation = LoadDemoFederation();
  EXPECT_TRUE(federation.ok());
  return federation.ok() ? federation->organisations : std::vector<Organisation>{};
}

TEST(DemoTest, CoversMunicipalitiesAndRegionsWithThreeYearsOfHistory) {
  const auto orgs = DemoOrgs();
  const auto snapshots = GenerateDemoAssessments(Builtin(), orgs);
  const auto dates = DemoSnapshotDates();
  ASSERT_EQ(dates.size(), 13u);
  EXPECT_EQ(dates.front(), Timestamp::FromCivil(2022, 6, 1));
  EXPECT_EQ(dates.back(), Timestamp::FromCivil(2025, 6, 1));
  EXPECT_EQ(snapshots.size(), (98u + 5u) * 13u);
  for (const auto& snapshot : snapshots) {
    ASSERT_EQ(snapshot.assessor, kDemoAssessor);
    ASSERT_EQ(snapshot.items.size(), Builtin().requirements.size());
  }
  // Deterministic.
  EXPECT_EQ(GenerateDemoAssessments(Builtin(), orgs), snapshots);
  // Every generated assessment passes the import validation.
  auto again = ParseAssessmentJson(AssessmentToJson(snapshots.back()), Builtin());
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(*again, snapshots.back());
}

TEST(DemoTest, PlausibleAndImprovingNationalPicture) {
  const auto orgs = DemoOrgs();
  const auto snapshots = GenerateDemoAssessments(Builtin(), orgs);
  const auto dates = DemoSnapshotDates();
  const auto timeline = NationalTimeline(Builtin(), orgs, snapshots, {dates.front(), dates.back()});
  ASSERT_EQ(timeline.size(), 2u);
  const auto& first = timeline[0].groups[0];
  const auto& last = timeline[1].groups[0];
  ASSERT_EQ(first.dimension, "national");
  EXPECT_EQ(last.members, 103);
  ASSERT_TRUE(first.overall && last.overall);
  EXPECT_GT(last.overall->mean, first.overall->mean);
  EXPECT_GT(last.overall->mean, 30.0);
  EXPECT_LT(last.overall->mean, 90.0);
  EXPECT_GT(last.overall->max - last.overall->min, 20.0);
  EXPECT_FALSE(timeline[1].most_unmet.empty());
  // Every region of municipalities is big enough to be shown.
  for (const auto& group : timeline[1].groups) {
    if (group.dimension == "region") {
      EXPECT_FALSE(group.suppressed) << group.key;
    }
  }
}

TEST(DemoTest, ReportForADemoMember) {
  const auto orgs = DemoOrgs();
  const auto snapshots = GenerateDemoAssessments(Builtin(), orgs);
  const Assessment* latest = nullptr;
  for (const auto& snapshot : snapshots) {
    if (snapshot.member == "0101") latest = &snapshot;
  }
  ASSERT_NE(latest, nullptr);
  const Scorecard card = Score(Builtin(), *latest);
  ReportInput input;
  input.catalogue = &Builtin();
  input.assessment = latest;
  input.card = &card;
  input.member_name = "København";
  input.history = ScoreHistory(Builtin(), snapshots, "0101");
  input.synthetic = true;
  auto html = RenderGapReportHtml(input);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("København"), std::string::npos);
  EXPECT_EQ(input.history.size(), 13u);
}

}  // namespace
}  // namespace dv::baseline
