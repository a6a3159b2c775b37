// SPDX-License-Identifier: Apache-2.0
#include "ingest/log_time.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

TEST(ParseLogTime, AcceptsRfc3339AndZonelessUtc) {
  EXPECT_EQ(ParseLogTime("2026-11-26T10:00:00.123Z")->ToRfc3339(), "2026-11-26T10:00:00.123Z");
  EXPECT_EQ(ParseLogTime("2026-11-26T11:00:00+01:00")->ToRfc3339(), "2026-11-26T10:00:00.000Z");
  EXPECT_EQ(ParseLogTime("2026-11-26 10:00:00.1234567")->ToRfc3339(), "2026-11-26T10:00:00.123Z");
  EXPECT_EQ(ParseLogTime("2026-11-26 10:00:00")->ToRfc3339(), "2026-11-26T10:00:00.000Z");
  EXPECT_EQ(ParseLogTime("2026-11-26T10:00:00.5")->ToRfc3339(), "2026-11-26T10:00:00.500Z");
}

TEST(ParseLogTime, RejectsOtherText) {
  EXPECT_FALSE(ParseLogTime(""));
  EXPECT_FALSE(ParseLogTime("yesterday"));
  EXPECT_FALSE(ParseLogTime("2026-02-30 10:00:00"));
  EXPECT_FALSE(ParseLogTime("2026-11-26 25:00:00"));
  EXPECT_FALSE(ParseLogTime("2026-11-26 10:00:00."));
  EXPECT_FALSE(ParseLogTime("2026-11-26T10:00:00+1"));
}

TEST(ParseBsdTime, InfersTheYearFromTheReference) {
  const Timestamp reference = *ParseLogTime("2026-11-26T12:00:00Z");
  EXPECT_EQ(ParseBsdTime("Nov 26 10:00:00 host", reference)->ToRfc3339(), "2026-11-26T10:00:00.000Z");
  EXPECT_EQ(ParseBsdTime("Nov  6 09:08:07", reference)->ToRfc3339(), "2026-11-06T09:08:07.000Z");
  // December seen in late November is last year's; tomorrow is clock skew.
  EXPECT_EQ(ParseBsdTime("Dec 24 18:00:00", reference)->ToRfc3339(), "2025-12-24T18:00:00.000Z");
  EXPECT_EQ(ParseBsdTime("Nov 27 08:00:00", reference)->ToRfc3339(), "2026-11-27T08:00:00.000Z");
  // 29 February goes back to the last leap year.
  EXPECT_EQ(ParseBsdTime("Feb 29 00:00:00", reference)->ToRfc3339(), "2024-02-29T00:00:00.000Z");
  const Timestamp new_year = *ParseLogTime("2027-01-01T00:10:00Z");
  EXPECT_EQ(ParseBsdTime("Dec 31 23:59:59", new_year)->ToRfc3339(), "2026-12-31T23:59:59.000Z");
}

TEST(ParseBsdTime, RejectsMalformedStamps) {
  const Timestamp reference(0);
  EXPECT_FALSE(ParseBsdTime("Foo 26 10:00:00", reference));
  EXPECT_FALSE(ParseBsdTime("Nov 32 10:00:00", reference));
  EXPECT_FALSE(ParseBsdTime("Nov 26 10:61:00", reference));
  EXPECT_FALSE(ParseBsdTime("Nov 26 10:00", reference));
}

}  // namespace
}  // namespace dv
