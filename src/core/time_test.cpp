// SPDX-License-Identifier: Apache-2.0
#include "core/time.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

TEST(Timestamp, ParsesZuluWithMillis) {
  const auto ts = Timestamp::Parse("2026-11-26T23:24:05.123Z");
  ASSERT_TRUE(ts.ok()) << ts.error().message();
  EXPECT_EQ(ts->unix_ms(), 1795735445123);
  EXPECT_EQ(ts->ToRfc3339(), "2026-11-26T23:24:05.123Z");
}

TEST(Timestamp, TruncatesFinerFractionsAndPadsShorterOnes) {
  EXPECT_EQ(Timestamp::Parse("2026-11-26T23:24:05.123456789Z")->ToRfc3339(), "2026-11-26T23:24:05.123Z");
  EXPECT_EQ(Timestamp::Parse("2026-11-26T23:24:05.5Z")->ToRfc3339(), "2026-11-26T23:24:05.500Z");
  EXPECT_EQ(Timestamp::Parse("2026-11-26T23:24:05Z")->ToRfc3339(), "2026-11-26T23:24:05.000Z");
}

TEST(Timestamp, AppliesOffsets) {
  EXPECT_EQ(Timestamp::Parse("2026-11-27T00:24:05+01:00")->ToRfc3339(), "2026-11-26T23:24:05.000Z");
  EXPECT_EQ(Timestamp::Parse("2026-11-26T20:54:05-02:30")->ToRfc3339(), "2026-11-26T23:24:05.000Z");
}

TEST(Timestamp, HandlesLeapYearsAndEpochEdges) {
  EXPECT_TRUE(Timestamp::Parse("2024-02-29T00:00:00Z").ok());
  EXPECT_FALSE(Timestamp::Parse("2023-02-29T00:00:00Z").ok());
  EXPECT_TRUE(Timestamp::Parse("2000-02-29T00:00:00Z").ok());
  EXPECT_FALSE(Timestamp::Parse("1900-02-29T00:00:00Z").ok());
  EXPECT_EQ(Timestamp::Parse("1970-01-01T00:00:00Z")->unix_ms(), 0);
  EXPECT_EQ(Timestamp(-1).ToRfc3339(), "1969-12-31T23:59:59.999Z");
}

TEST(Timestamp, RejectsMalformedAndSaysWhy) {
  for (const char* bad : {"", "2026-11-26", "2026-11-26T23:24:05", "2026-13-01T00:00:00Z", "2026-11-26T24:00:00Z",
                          "2026-11-26T23:24:05.Z", "2026-11-26T23:24:05Zjunk", "2026/11/26T23:24:05Z"}) {
    const auto ts = Timestamp::Parse(bad);
    ASSERT_FALSE(ts.ok()) << bad;
    EXPECT_EQ(ts.error().kind(), ErrorKind::kParse);
    EXPECT_NE(ts.error().message().find(bad), std::string::npos) << ts.error().message();
  }
}

TEST(Timestamp, RoundTripsAcrossCenturies) {
  for (std::int64_t ms : {0LL, 951782400000LL, 4102444800000LL, 253402300799999LL, 1795735445123LL}) {
    const Timestamp ts(ms);
    EXPECT_EQ(Timestamp::Parse(ts.ToRfc3339())->unix_ms(), ms);
  }
}

TEST(Timestamp, OrdersByTime) {
  EXPECT_LT(Timestamp(1), Timestamp(2));
  EXPECT_LT(Timestamp::Parse("2026-01-01T00:00:00+01:00").value(), Timestamp::Parse("2026-01-01T00:00:00Z").value());
}

}  // namespace
}  // namespace dv
