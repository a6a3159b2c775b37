// SPDX-License-Identifier: Apache-2.0
#include "incident/local_time.h"

#include <gtest/gtest.h>

namespace dv::incident {
namespace {

std::string Local(Timestamp at) {
  auto local = ToCopenhagen(at);
  return local.ok() ? local->Iso() + " " + local->abbreviation : local.error().ToString();
}

Timestamp Utc(std::string_view text) { return *Timestamp::Parse(text); }

TEST(LocalTimeTest, WinterIsCetAndSummerIsCest) {
  EXPECT_EQ(Local(Utc("2026-01-15T22:59:00Z")), "2026-01-15T23:59:00+01:00 CET");
  EXPECT_EQ(Local(Utc("2026-07-01T10:00:00Z")), "2026-07-01T12:00:00+02:00 CEST");
}

TEST(LocalTimeTest, SpringForwardSkipsTwoToThree) {
  // Last Sunday of March 2026 is the 29th: 01:00 UTC is 02:00 CET → 03:00 CEST.
  EXPECT_EQ(Local(Utc("2026-03-29T00:59:59Z")), "2026-03-29T01:59:59+01:00 CET");
  EXPECT_EQ(Local(Utc("2026-03-29T01:00:00Z")), "2026-03-29T03:00:00+02:00 CEST");
  // 02:30 does not exist; it is read with the winter offset: 01:30 UTC = 03:30 CEST.
  EXPECT_EQ(*FromCopenhagen(2026, 3, 29, 2, 30, 0), Utc("2026-03-29T01:30:00Z"));
}

TEST(LocalTimeTest, FallBackShowsTwoThirtyTwiceWithDifferentAbbreviations) {
  // Last Sunday of October 2026 is the 25th: 01:00 UTC is 03:00 CEST → 02:00 CET.
  EXPECT_EQ(Local(Utc("2026-10-25T00:30:00Z")), "2026-10-25T02:30:00+02:00 CEST");
  EXPECT_EQ(Local(Utc("2026-10-25T01:30:00Z")), "2026-10-25T02:30:00+01:00 CET");
  // The ambiguous wall time is the earlier instant.
  EXPECT_EQ(*FromCopenhagen(2026, 10, 25, 2, 30, 0), Utc("2026-10-25T00:30:00Z"));
}

TEST(LocalTimeTest, DanishDisplay) {
  auto local = ToCopenhagen(Utc("2026-03-29T09:05:00Z"));
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->Danish(), "29.03.2026 kl. 11:05 (CEST)");
}

TEST(LocalTimeTest, OneMonthIsTheSameDayNextMonthClampedToMonthEnd) {
  EXPECT_EQ(Local(*AddOneMonth(Utc("2026-01-31T09:00:00Z"))), "2026-02-28T10:00:00+01:00 CET");
  EXPECT_EQ(Local(*AddOneMonth(Utc("2028-01-31T09:00:00Z"))), "2028-02-29T10:00:00+01:00 CET");  // leap year
  EXPECT_EQ(Local(*AddOneMonth(Utc("2026-03-31T08:00:00Z"))), "2026-04-30T10:00:00+02:00 CEST");
  EXPECT_EQ(Local(*AddOneMonth(Utc("2026-12-15T09:00:00Z"))), "2027-01-15T10:00:00+01:00 CET");
}

TEST(LocalTimeTest, OneMonthKeepsTheWallClockAcrossDaylightSaving) {
  // 10:00 CET in March → 10:00 CEST in April: one hour less than 31 whole days.
  const Timestamp march = Utc("2026-03-10T09:00:00Z");
  const Timestamp april = *AddOneMonth(march);
  EXPECT_EQ(Local(april), "2026-04-10T10:00:00+02:00 CEST");
  EXPECT_EQ(april.unix_ms() - march.unix_ms(), (31LL * 24 - 1) * 3600 * 1000);
}

TEST(LocalTimeTest, OneMonthCountsTheLocalDateNotTheUtcDate) {
  // 00:30 on 31 March in Copenhagen is still 30 March in UTC; the local date rules.
  EXPECT_EQ(Local(*AddOneMonth(Utc("2026-03-30T22:30:00Z"))), "2026-04-30T00:30:00+02:00 CEST");
}

TEST(LocalTimeTest, OneMonthLandingInTheSpringGapMovesForward) {
  // 28 Feb 2027 02:30 CET + 1 month = 28 Mar 2027 02:30, which the clocks skip.
  EXPECT_EQ(Local(*AddOneMonth(Utc("2027-02-28T01:30:00Z"))), "2027-03-28T03:30:00+02:00 CEST");
}

}  // namespace
}  // namespace dv::incident
