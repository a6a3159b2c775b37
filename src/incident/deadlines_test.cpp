// SPDX-License-Identifier: Apache-2.0
#include "incident/deadlines.h"

#include <gtest/gtest.h>

#include "incident/local_time.h"

namespace dv::incident {
namespace {

Timestamp DeadlineUtc(std::string_view text) { return *Timestamp::Parse(text); }

std::string LocalText(const std::optional<Timestamp>& at) {
  if (!at) return "none";
  auto local = ToCopenhagen(*at);
  return local.ok() ? local->Iso() : local.error().ToString();
}

Incident Aware(std::string_view when) {
  Incident incident;
  incident.title = "t";
  incident.description = "d";
  incident.became_aware_at = DeadlineUtc(when);
  return incident;
}

std::vector<Deadline> Clock(const Incident& incident, const Submissions& submitted, Timestamp now) {
  auto clock = ComputeDeadlines(incident, submitted, now);
  EXPECT_TRUE(clock.ok());
  return clock.ok() ? *clock : std::vector<Deadline>();
}

TEST(DeadlinesTest, AwareAt2359LocalGivesEarlyWarningAt2359NextDay) {
  const Incident incident = Aware("2026-01-15T23:59:00+01:00");
  const auto clock = Clock(incident, {}, DeadlineUtc("2026-01-16T08:00:00Z"));
  ASSERT_EQ(clock.size(), 4U);
  EXPECT_EQ(LocalText(clock[0].due), "2026-01-16T23:59:00+01:00");
  EXPECT_EQ(clock[0].state, DeadlineState::kDue);
  EXPECT_EQ(LocalText(clock[1].due), "2026-01-18T23:59:00+01:00");
  EXPECT_EQ(clock[2].state, DeadlineState::kWaiting);
  EXPECT_EQ(clock[3].state, DeadlineState::kWaiting);
  EXPECT_FALSE(clock[3].due);
}

TEST(DeadlinesTest, TwentyFourHoursAcrossSpringForwardShowOneHourLaterOnTheClock) {
  // Aware Saturday 28 March 2026 10:00 CET; clocks go forward that night.
  const auto clock = Clock(Aware("2026-03-28T10:00:00+01:00"), {}, DeadlineUtc("2026-03-28T12:00:00Z"));
  EXPECT_EQ(clock[0].due, DeadlineUtc("2026-03-29T09:00:00Z"));
  EXPECT_EQ(LocalText(clock[0].due), "2026-03-29T11:00:00+02:00");
  EXPECT_EQ(LocalText(clock[1].due), "2026-03-31T11:00:00+02:00");
}

TEST(DeadlinesTest, TwentyFourHoursAcrossFallBackShowOneHourEarlierOnTheClock) {
  // Aware Saturday 24 October 2026 10:00 CEST; clocks go back that night.
  const auto clock = Clock(Aware("2026-10-24T10:00:00+02:00"), {}, DeadlineUtc("2026-10-24T12:00:00Z"));
  EXPECT_EQ(LocalText(clock[0].due), "2026-10-25T09:00:00+01:00");
  EXPECT_EQ(LocalText(clock[1].due), "2026-10-27T09:00:00+01:00");
}

TEST(DeadlinesTest, AwareInTheRepeatedHourOfFallBack) {
  // 02:30 CET on 25 October (the second 02:30): due 02:30 CET the next day.
  const auto clock = Clock(Aware("2026-10-25T02:30:00+01:00"), {}, DeadlineUtc("2026-10-25T02:00:00Z"));
  EXPECT_EQ(LocalText(clock[0].due), "2026-10-26T02:30:00+01:00");
}

TEST(DeadlinesTest, OverdueWhenThePassedDueTimeHasNoSubmission) {
  const Incident incident = Aware("2026-05-01T08:00:00Z");
  auto clock = Clock(incident, {}, DeadlineUtc("2026-05-02T08:00:00.001Z"));
  EXPECT_EQ(clock[0].state, DeadlineState::kOverdue);
  EXPECT_EQ(clock[1].state, DeadlineState::kDue);
  Submissions submitted;
  submitted.early_warning = DeadlineUtc("2026-05-02T09:00:00Z");
  clock = Clock(incident, submitted, DeadlineUtc("2026-05-02T10:00:00Z"));
  EXPECT_EQ(clock[0].state, DeadlineState::kSubmitted);
  EXPECT_TRUE(clock[0].late);
  submitted.early_warning = DeadlineUtc("2026-05-01T20:00:00Z");
  clock = Clock(incident, submitted, DeadlineUtc("2026-05-02T10:00:00Z"));
  EXPECT_FALSE(clock[0].late);
}

TEST(DeadlinesTest, FinalReportOneMonthAfterNotificationClampedAtMonthEnd) {
  Incident incident = Aware("2026-01-29T10:00:00+01:00");
  Submissions submitted;
  submitted.early_warning = DeadlineUtc("2026-01-29T12:00:00Z");
  submitted.notification = DeadlineUtc("2026-01-31T09:00:00Z");  // 10:00 CET on 31 January
  auto clock = Clock(incident, submitted, DeadlineUtc("2026-02-01T00:00:00Z"));
  EXPECT_EQ(LocalText(clock[3].due), "2026-02-28T10:00:00+01:00");
  EXPECT_EQ(clock[3].state, DeadlineState::kDue);
  // Still open and the month not over: the progress report would be due then.
  EXPECT_EQ(clock[2].state, DeadlineState::kWaiting);
  EXPECT_EQ(LocalText(clock[2].due), "2026-02-28T10:00:00+01:00");
  // Leap year.
  submitted.notification = DeadlineUtc("2028-01-31T09:00:00Z");
  incident.became_aware_at = DeadlineUtc("2028-01-30T09:00:00Z");
  clock = Clock(incident, submitted, DeadlineUtc("2028-02-01T00:00:00Z"));
  EXPECT_EQ(LocalText(clock[3].due), "2028-02-29T10:00:00+01:00");
}

TEST(DeadlinesTest, HandledWithinTheMonthNeedsNoProgressReport) {
  Incident incident = Aware("2026-03-02T08:00:00Z");
  incident.status = IncidentStatus::kHandled;
  incident.handled_at = DeadlineUtc("2026-03-20T12:00:00Z");
  Submissions submitted;
  submitted.notification = DeadlineUtc("2026-03-04T08:00:00Z");
  const auto clock = Clock(incident, submitted, DeadlineUtc("2026-04-10T00:00:00Z"));
  EXPECT_EQ(clock[2].state, DeadlineState::kNotRequired);
  EXPECT_EQ(LocalText(clock[3].due), "2026-04-04T09:00:00+02:00");  // 09:00 CET on 4 March → 09:00 CEST
  EXPECT_EQ(clock[3].state, DeadlineState::kOverdue);
}

TEST(DeadlinesTest, OngoingAfterAMonthNeedsAProgressReportThenFinalAMonthAfterHandling) {
  Incident incident = Aware("2026-03-02T08:00:00Z");
  Submissions submitted;
  submitted.early_warning = DeadlineUtc("2026-03-02T12:00:00Z");
  submitted.notification = DeadlineUtc("2026-03-04T08:00:00Z");  // 09:00 CET
  // One month later (4 April 09:00 CEST) the incident is still open.
  auto clock = Clock(incident, submitted, DeadlineUtc("2026-04-05T08:00:00Z"));
  EXPECT_EQ(LocalText(clock[2].due), "2026-04-04T09:00:00+02:00");
  EXPECT_EQ(clock[2].state, DeadlineState::kOverdue);
  EXPECT_EQ(clock[3].state, DeadlineState::kWaiting);
  EXPECT_FALSE(clock[3].due);
  // The progress report is submitted; the incident is handled on 20 April.
  submitted.progress = DeadlineUtc("2026-04-04T06:00:00Z");
  incident.status = IncidentStatus::kHandled;
  incident.handled_at = DeadlineUtc("2026-04-20T10:00:00Z");  // 12:00 CEST
  clock = Clock(incident, submitted, DeadlineUtc("2026-04-21T08:00:00Z"));
  EXPECT_EQ(clock[2].state, DeadlineState::kSubmitted);
  EXPECT_FALSE(clock[2].late);
  EXPECT_EQ(LocalText(clock[3].due), "2026-05-20T12:00:00+02:00");
  EXPECT_EQ(clock[3].state, DeadlineState::kDue);
}

TEST(DeadlinesTest, StageNamesRoundTrip) {
  for (auto stage : AllReportStages()) EXPECT_EQ(ParseReportStage(ReportStageName(stage)), stage);
  EXPECT_FALSE(ParseReportStage("interim"));
}

}  // namespace
}  // namespace dv::incident
