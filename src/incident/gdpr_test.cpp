// SPDX-License-Identifier: Apache-2.0
#include "incident/gdpr.h"

#include <gtest/gtest.h>

namespace dv::incident {
namespace {

Timestamp At(const char* text) { return Timestamp::Parse(text).value(); }

TEST(BreachClock, SeventyTwoHoursFromAwarenessOfTheBreach) {
  const auto aware = At("2026-03-27T09:00:00Z");  // the Friday before the switch to summer time
  auto clock = ComputeBreachClock(aware, std::nullopt, At("2026-03-28T09:00:00Z"));
  EXPECT_EQ(clock.due, At("2026-03-30T09:00:00Z")) << "72 exact hours, across the DST night";
  EXPECT_EQ(clock.state, DeadlineState::kDue);
  EXPECT_FALSE(clock.late);

  clock = ComputeBreachClock(aware, std::nullopt, At("2026-03-30T09:00:01Z"));
  EXPECT_EQ(clock.state, DeadlineState::kOverdue);
  EXPECT_TRUE(clock.reasons_required);

  clock = ComputeBreachClock(aware, At("2026-03-30T08:59:59Z"), At("2026-04-02T00:00:00Z"));
  EXPECT_EQ(clock.state, DeadlineState::kSubmitted);
  EXPECT_FALSE(clock.late);
  clock = ComputeBreachClock(aware, At("2026-03-31T10:00:00Z"), At("2026-04-02T00:00:00Z"));
  EXPECT_TRUE(clock.late);
  EXPECT_TRUE(clock.reasons_required);
}

TEST(BreachClock, ASubmissionNeedsTheArticle33Contents) {
  const auto clock = ComputeBreachClock(At("2026-05-01T12:00:00Z"), std::nullopt, At("2026-05-01T13:00:00Z"));
  BreachNotification draft;
  draft.nature = "Ransomware hos lønleverandøren; lønfiler kopieret";
  EXPECT_EQ(MissingForSubmission(draft, clock, At("2026-05-02T12:00:00Z")),
            (std::vector<std::string>{"categories_of_subjects", "approximate_subjects", "categories_of_records",
                                      "approximate_records", "contact", "likely_consequences", "measures"}));
  draft.categories_of_subjects = "Ansatte";
  draft.approximate_subjects = 4200;
  draft.categories_of_records = "Navn, CPR-nummer, kontonummer, løn";
  draft.approximate_records = 4200;
  draft.contact = "DPO, dpo@example.dk";
  draft.likely_consequences = "Risiko for identitetstyveri";
  draft.measures = "Integration lukket; ansatte orienteret";
  EXPECT_TRUE(MissingForSubmission(draft, clock, At("2026-05-02T12:00:00Z")).empty());
  EXPECT_EQ(MissingForSubmission(draft, clock, At("2026-05-05T12:00:00Z")),
            std::vector<std::string>{"reasons_for_delay"})
      << "after 72 hours the reasons for the delay are required";
  draft.reasons_for_delay = "Omfanget var først kendt efter leverandørens analyse";
  EXPECT_TRUE(MissingForSubmission(draft, clock, At("2026-05-05T12:00:00Z")).empty());
}

TEST(SubjectsDecision, NeedsAReasonEitherWay) {
  SubjectsDecision decision;
  decision.inform = false;
  const auto refused = CheckSubjectsDecision(decision);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("field 'reason'"), std::string::npos);
  decision.reason = "   ";
  EXPECT_FALSE(CheckSubjectsDecision(decision).ok());
  decision.reason = "Data var krypteret med en nøgle, angriberen ikke har (Art. 34(3)(a))";
  EXPECT_TRUE(CheckSubjectsDecision(decision).ok());
}

}  // namespace
}  // namespace dv::incident
