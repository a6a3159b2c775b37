// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/indicators/indicator_board.h"

#include <gtest/gtest.h>

namespace dv::hub {
namespace {

TEST(Decay, FollowsThePolynomialByHand) {
  // 80 × (1 − (15/30)^2) = 60
  EXPECT_DOUBLE_EQ(DecayedConfidence(80, 15, 30), 60);
  EXPECT_DOUBLE_EQ(DecayedConfidence(80, 0, 30), 80);
  EXPECT_DOUBLE_EQ(DecayedConfidence(80, -3, 30), 80) << "a sighting in the future counts as now";
  EXPECT_DOUBLE_EQ(DecayedConfidence(80, 30, 30), 0);
  EXPECT_DOUBLE_EQ(DecayedConfidence(80, 400, 30), 0);
}

TEST(Decay, NeverRisesWithAge) {
  double previous = 100;
  for (double day = 0; day <= 100; day += 0.5) {
    const double now = DecayedConfidence(100, day, 90);
    EXPECT_LE(now, previous) << day;
    previous = now;
  }
}

TEST(Decay, ExpiryIsWhereTheCurveCrossesTheThreshold) {
  // 30 × (1 − 20/80)^0.5
  const double days = DaysUntilExpiry(80, 30);
  EXPECT_NEAR(days, 25.98, 0.01);
  EXPECT_NEAR(DecayedConfidence(80, days, 30), kExpiryThreshold, 1e-9);
  EXPECT_EQ(DaysUntilExpiry(10, 30), 0) << "a base below the threshold is expired at once";
}

TEST(Decay, LifetimeDependsOnWhatThePatternObserves) {
  EXPECT_EQ(LifetimeDays("stix", "[ipv4-addr:value = '192.0.2.1']"), 30);
  EXPECT_EQ(LifetimeDays("stix", "[domain-name:value = 'example.org']"), 90);
  EXPECT_EQ(LifetimeDays("stix", "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"), 365);
  EXPECT_EQ(LifetimeDays("stix", "[ipv4-addr:value = '192.0.2.1'] OR [url:value = 'http://example.org/']"), 90)
      << "the longest lifetime wins";
  EXPECT_EQ(LifetimeDays("stix", "[process:name = 'x.exe']"), 180);
  EXPECT_EQ(LifetimeDays("stix", "not a pattern"), 180);
  EXPECT_EQ(LifetimeDays("sigma", "title: x"), 180);
}

}  // namespace
}  // namespace dv::hub
