// SPDX-License-Identifier: Apache-2.0
// The KEV-to-fix clock: when it starts, what counts as fixed, overdue and
// acknowledged, and the nearest-rank percentiles the figures use.
#include "vuln/kev_clock.h"

#include <gtest/gtest.h>

namespace dv::vuln {
namespace {

Timestamp Day(int month, int day, int hour = 0) { return Timestamp::FromCivil(2026, month, day, hour); }

KevClockEntry Finding(std::string member, Timestamp kev_added) {
  KevClockEntry entry;
  entry.member = std::move(member);
  entry.cve = "CVE-2026-0001";
  entry.asset_id = "fw-1";
  entry.kev_added = kev_added;
  entry.due = Timestamp(kev_added.unix_ms() + 21 * 86'400'000LL);
  return entry;
}

TEST(KevClock, StartsAtTheLaterOfKevAdditionAndDetection) {
  KevClockEntry entry = Finding("0101", Day(3, 1));
  EXPECT_EQ(ClockStart(entry), Day(3, 1));
  entry.detected = Day(2, 1);  // exposed before the KEV addition: the addition starts it
  EXPECT_EQ(ClockStart(entry), Day(3, 1));
  entry.detected = Day(3, 10);  // the asset appeared later: its detection starts it
  EXPECT_EQ(ClockStart(entry), Day(3, 10));
  entry.kev_added.reset();  // not known exploited: no clock
  EXPECT_FALSE(ClockStart(entry).has_value());
}

TEST(KevClock, FiguresCountFixedOpenOverdueAndAcknowledged) {
  const Timestamp now = Day(6, 1);
  std::vector<KevClockEntry> entries;
  // Fixed after 10, 20, 30 and 60 days.
  for (int days : {10, 20, 30, 60}) {
    KevClockEntry entry = Finding("0101", Day(1, 1));
    entry.decision = "fixed";
    entry.decided = Timestamp(Day(1, 1).unix_ms() + days * 86'400'000LL);
    entries.push_back(entry);
  }
  // Open, past its due date.
  entries.push_back(Finding("0751", Day(4, 1)));
  // Open, not yet due.
  entries.push_back(Finding("0751", Day(5, 25)));
  // Not applicable: counted, not in the time to fix.
  KevClockEntry na = Finding("0461", Day(2, 1));
  na.decision = "not_applicable";
  na.decided = Day(2, 2);
  entries.push_back(na);
  // Acknowledged 5 and 95 minutes after the notification.
  entries[0].notified = Day(1, 1, 8);
  entries[0].acknowledged = Timestamp(Day(1, 1, 8).unix_ms() + 5 * 60'000);
  entries[4].notified = Day(4, 1, 8);
  entries[4].acknowledged = Timestamp(Day(4, 1, 8).unix_ms() + 95 * 60'000);
  // Not known exploited: not on the clock at all.
  KevClockEntry plain = Finding("0101", Day(1, 1));
  plain.kev_added.reset();
  entries.push_back(plain);

  const KevClockFigures figures = Figures(entries, now);
  EXPECT_EQ(figures.findings, 7u);
  EXPECT_EQ(figures.fixed, 4u);
  EXPECT_EQ(figures.not_applicable, 1u);
  EXPECT_EQ(figures.open, 2u);
  EXPECT_EQ(figures.open_overdue, 1u);
  ASSERT_TRUE(figures.median_days_to_fix.has_value());
  EXPECT_DOUBLE_EQ(*figures.median_days_to_fix, 20.0);  // nearest rank: 2nd of 4
  EXPECT_DOUBLE_EQ(*figures.p90_days_to_fix, 60.0);     // 4th of 4
  EXPECT_EQ(figures.acknowledged, 2u);
  EXPECT_DOUBLE_EQ(*figures.median_minutes_to_acknowledge, 5.0);
  EXPECT_DOUBLE_EQ(*figures.p90_minutes_to_acknowledge, 95.0);
}

TEST(KevClock, NoFindingsGiveNoFigures) {
  const KevClockFigures figures = Figures({}, Day(6, 1));
  EXPECT_EQ(figures.findings, 0u);
  EXPECT_FALSE(figures.median_days_to_fix.has_value());
  EXPECT_FALSE(figures.median_minutes_to_acknowledge.has_value());
}

TEST(KevClock, NearestRankPercentiles) {
  EXPECT_FALSE(Percentile({}, 50).has_value());
  EXPECT_EQ(Percentile({7}, 90), 7);
  EXPECT_EQ(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90), 9);
  EXPECT_EQ(Percentile({10, 1, 5}, 50), 5);
  EXPECT_FALSE(Percentile({1}, 0).has_value());
}

}  // namespace
}  // namespace dv::vuln
