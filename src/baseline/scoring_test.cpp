// SPDX-License-Identifier: Apache-2.0
#include "baseline/scoring.h"

#include <gtest/gtest.h>

#include "baseline/test_util.h"

namespace dv::baseline {
namespace {

using testing::Tiny;

// The tiny catalogue (testdata/tiny_catalogue.yaml):
//   R1 DV-AAA-01 weight 3 effort 1 risk 5  nis2 a=equal
//   R2 DV-AAA-02 weight 1 effort 2 risk 2  nis2 a=intersects, b=subset
//   R3 DV-BBB-01 weight 2 effort 4 risk 4  nis2 b=equal
//   R4 DV-BBB-02 weight 2 effort 1 risk 1  nis2 c–j=equal
const Timestamp kAt = Timestamp::FromCivil(2025, 3, 1);

RequirementAssessment Item(std::string id, ReqStatus status, int maturity = 0) {
  RequirementAssessment item;
  item.requirement_id = std::move(id);
  item.status = status;
  item.maturity = maturity;
  return item;
}

Assessment Base() {
  Assessment assessment;
  assessment.member = "0101";
  assessment.catalogue_version = "t1";
  assessment.assessed_at = kAt;
  assessment.items = {Item("DV-AAA-01", ReqStatus::kMet, 4), Item("DV-AAA-02", ReqStatus::kPartly, 3),
                      Item("DV-BBB-01", ReqStatus::kNotMet, 1), Item("DV-BBB-02", ReqStatus::kNotApplicable)};
  return assessment;
}

Evidence Measured(EvidenceResult result, Timestamp collected, Timestamp valid_until) {
  Evidence evidence;
  evidence.kind = EvidenceKind::kMeasured;
  evidence.source = "test";
  evidence.collected = collected;
  evidence.valid_until = valid_until;
  evidence.result = result;
  return evidence;
}

TEST(ScoringTest, GoldenWeightedScores) {
  const Scorecard card = Score(Tiny(), Base());
  // AAA: (3·1 + 1·0.5) / (3 + 1) = 3.5 / 4 = 87.5 %
  ASSERT_TRUE(card.disciplines[0].score);
  EXPECT_DOUBLE_EQ(*card.disciplines[0].score, 87.5);
  // BBB: R4 not applicable is left out: (2·0) / 2 = 0 %
  ASSERT_TRUE(card.disciplines[1].score);
  EXPECT_DOUBLE_EQ(*card.disciplines[1].score, 0.0);
  // Overall: (3 + 0.5 + 0) / (3 + 1 + 2) = 3.5 / 6 = 58.33 %
  ASSERT_TRUE(card.overall);
  EXPECT_NEAR(*card.overall, 100.0 * 3.5 / 6.0, 1e-9);
  EXPECT_DOUBLE_EQ(card.assessed_share, 1.0);
  // Mean maturity over R1–R3 (R4 not applicable, no maturity): (4 + 3 + 1) / 3.
  ASSERT_TRUE(card.mean_maturity);
  EXPECT_NEAR(*card.mean_maturity, 8.0 / 3.0, 1e-9);
  EXPECT_EQ(card.counts, (StatusCounts{1, 1, 1, 1, 0}));
}

TEST(ScoringTest, GoldenNis2Coverage) {
  const Scorecard card = Score(Tiny(), Base());
  // (a): R1 equal, strength 1: 3·1·1 = 3 of 3; R2 intersects, strength 0.5:
  //      1·0.5·0.5 = 0.25 of 0.5 → (3 + 0.25) / (3 + 0.5) = 92.857 %
  ASSERT_TRUE(card.nis2[0].coverage);
  EXPECT_NEAR(*card.nis2[0].coverage, 100.0 * 3.25 / 3.5, 1e-9);
  EXPECT_EQ(card.nis2[0].requirements, 2);
  EXPECT_EQ(card.nis2[0].met, 1);
  // (b): R2 subset 1·1·0.5 = 0.5 of 1; R3 equal 0 of 2 → 0.5 / 3 = 16.667 %
  ASSERT_TRUE(card.nis2[1].coverage);
  EXPECT_NEAR(*card.nis2[1].coverage, 100.0 * 0.5 / 3.0, 1e-9);
  // (c)–(j): only R4, not applicable → no coverage figure.
  for (std::size_t letter_idx = 2; letter_idx < 10; ++letter_idx) EXPECT_FALSE(card.nis2[letter_idx].coverage);
}

TEST(ScoringTest, NotAssessedCountsAsZeroAndIsReported) {
  Assessment assessment = Base();
  assessment.items.erase(assessment.items.begin() + 2);  // R3 not assessed
  const Scorecard card = Score(Tiny(), assessment);
  // Same numbers as not_met: overall 3.5 / 6; BBB 0 / 2.
  EXPECT_NEAR(*card.overall, 100.0 * 3.5 / 6.0, 1e-9);
  EXPECT_DOUBLE_EQ(*card.disciplines[1].score, 0.0);
  // Assessed share: (3 + 1) / 6 overall; 0 / 2 in BBB.
  EXPECT_NEAR(card.assessed_share, 4.0 / 6.0, 1e-9);
  EXPECT_DOUBLE_EQ(card.disciplines[1].assessed_share, 0.0);
  EXPECT_EQ(card.counts.not_assessed, 1);
}

TEST(ScoringTest, AllNotApplicableHasNoScore) {
  Assessment assessment = Base();
  assessment.items[2].status = ReqStatus::kNotApplicable;
  const Scorecard card = Score(Tiny(), assessment);
  EXPECT_FALSE(card.disciplines[1].score);
  // Overall: (3 + 0.5) / (3 + 1) = 87.5 %
  EXPECT_DOUBLE_EQ(*card.overall, 87.5);
}

TEST(ScoringTest, ExpiredMeasurementDowngradesOneStep) {
  Assessment assessment = Base();
  // R1 declared met, measured pass that expired the day before kAt.
  assessment.items[0].evidence.push_back(
      Measured(EvidenceResult::kPass, Timestamp::FromCivil(2025, 1, 1), Timestamp::FromCivil(2025, 2, 28)));
  const Scorecard card = Score(Tiny(), assessment);
  EXPECT_EQ(card.requirements[0].effective.status, ReqStatus::kPartly);
  EXPECT_EQ(card.requirements[0].effective.basis, StatusBasis::kMeasuredExpired);
  EXPECT_TRUE(card.requirements[0].has_expired_evidence);
  // AAA: (3·0.5 + 1·0.5) / 4 = 50 %; overall (1.5 + 0.5) / 6 = 33.33 %
  EXPECT_DOUBLE_EQ(*card.disciplines[0].score, 50.0);
  EXPECT_NEAR(*card.overall, 100.0 * 2.0 / 6.0, 1e-9);
  // Scored at a date when the measurement was current, nothing changes.
  const Scorecard earlier = Score(Tiny(), assessment, Timestamp::FromCivil(2025, 2, 1));
  EXPECT_EQ(earlier.requirements[0].effective.status, ReqStatus::kMet);
  EXPECT_EQ(earlier.measured_requirements, 1);
}

TEST(ScoringTest, ExpiredDeclaredEvidenceIsFlaggedNotScored) {
  Assessment assessment = Base();
  Evidence declared;
  declared.source = "policy";
  declared.collected = Timestamp::FromCivil(2023, 1, 1);
  declared.valid_until = Timestamp::FromCivil(2024, 1, 1);
  assessment.items[0].evidence.push_back(declared);
  const Scorecard card = Score(Tiny(), assessment);
  EXPECT_EQ(card.requirements[0].effective.status, ReqStatus::kMet);
  EXPECT_TRUE(card.requirements[0].has_expired_evidence);
}

TEST(ScoringTest, CurrentMeasurementCapsOrStandsIn) {
  const Timestamp before = Timestamp::FromCivil(2025, 2, 20);
  const Timestamp after = Timestamp::FromCivil(2025, 3, 20);
  RequirementAssessment item = Item("DV-AAA-01", ReqStatus::kMet);
  item.evidence = {Measured(EvidenceResult::kFail, before, after)};
  EXPECT_EQ(EffectiveStatus(item, kAt).status, ReqStatus::kNotMet);
  EXPECT_EQ(EffectiveStatus(item, kAt).basis, StatusBasis::kMeasured);
  item.evidence = {Measured(EvidenceResult::kPass, before, after), Measured(EvidenceResult::kFail, before, after)};
  EXPECT_EQ(EffectiveStatus(item, kAt).status, ReqStatus::kPartly);
  // A measurement never raises a declaration...
  item.status = ReqStatus::kNotMet;
  item.evidence = {Measured(EvidenceResult::kPass, before, after)};
  EXPECT_EQ(EffectiveStatus(item, kAt).status, ReqStatus::kNotMet);
  EXPECT_EQ(EffectiveStatus(item, kAt).basis, StatusBasis::kDeclared);
  // ...but stands in for a missing one.
  item.status = ReqStatus::kNotAssessed;
  EXPECT_EQ(EffectiveStatus(item, kAt).status, ReqStatus::kMet);
  EXPECT_EQ(EffectiveStatus(item, kAt).basis, StatusBasis::kMeasured);
  // Not applicable is not overridden.
  item.status = ReqStatus::kNotApplicable;
  EXPECT_EQ(EffectiveStatus(item, kAt).status, ReqStatus::kNotApplicable);
  // Evidence collected after the scoring date is not current.
  item.status = ReqStatus::kMet;
  item.evidence = {Measured(EvidenceResult::kFail, after, after)};
  EXPECT_EQ(EffectiveStatus(item, kAt).status, ReqStatus::kPartly);
}

TEST(ScoringTest, GapsOrderedByPriority) {
  Assessment assessment = Base();
  assessment.items[2].owner = "IT-chef";
  const Scorecard card = Score(Tiny(), assessment);
  const auto gaps = Gaps(Tiny(), assessment, card);
  ASSERT_EQ(gaps.size(), 2u);
  // R3: 2·4·(1 − 0) / 4 = 2.0;  R2: 1·2·(1 − 0.5) / 2 = 0.5
  EXPECT_EQ(Tiny().requirements[gaps[0].requirement_idx].id, "DV-BBB-01");
  EXPECT_DOUBLE_EQ(gaps[0].priority, 2.0);
  EXPECT_EQ(gaps[0].owner, "IT-chef");
  EXPECT_EQ(Tiny().requirements[gaps[1].requirement_idx].id, "DV-AAA-02");
  EXPECT_DOUBLE_EQ(gaps[1].priority, 0.5);
}

TEST(ScoringTest, HistoryIsOrderedByDateAndPerMember) {
  Assessment later = Base();
  later.assessed_at = Timestamp::FromCivil(2025, 6, 1);
  later.items[2].status = ReqStatus::kMet;  // overall (3 + 0.5 + 2) / 6 = 91.67
  Assessment other = Base();
  other.member = "0147";
  const auto points = ScoreHistory(Tiny(), {later, other, Base()}, "0101");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].at, kAt);
  EXPECT_NEAR(*points[0].overall, 100.0 * 3.5 / 6.0, 1e-9);
  EXPECT_NEAR(*points[1].overall, 100.0 * 5.5 / 6.0, 1e-9);
  ASSERT_EQ(points[1].disciplines.size(), 2u);
  EXPECT_DOUBLE_EQ(*points[1].disciplines[1], 100.0);
}

TEST(ScoringTest, UnknownItemsAreIgnored) {
  Assessment assessment = Base();
  assessment.items.push_back(Item("DV-ZZZ-01", ReqStatus::kMet));
  EXPECT_NEAR(*Score(Tiny(), assessment).overall, 100.0 * 3.5 / 6.0, 1e-9);
}

}  // namespace
}  // namespace dv::baseline
