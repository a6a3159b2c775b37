// SPDX-License-Identifier: Apache-2.0
#include "core/problem.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

TEST(Problem, ToStringNamesThePlaceAndSeverity) {
  EXPECT_EQ((Problem{"auth.log:17", "invalid JSON"}).ToString(), "auth.log:17: invalid JSON");
  EXPECT_EQ((Problem{"r.yml:3", "unknown field", Severity::kWarning}).ToString(), "r.yml:3: warning: unknown field");
}

TEST(Problem, PlaceJoinsFileLineAndItem) {
  EXPECT_EQ(Place("feed.txt"), "feed.txt");
  EXPECT_EQ(Place("feed.txt", 12), "feed.txt:12");
  EXPECT_EQ(Place("feed.json", 0, "indicator--1"), "feed.json: indicator--1");
  EXPECT_EQ(Place("assets.csv", 3, "cpe"), "assets.csv:3: cpe");
}

TEST(Problem, KeepProblemKeepsTheFirstOnes) {
  std::vector<Problem> kept;
  std::size_t seen = 0;
  for (int idx = 0; idx < 5; ++idx) {
    ++seen;
    KeepProblem(kept, 3, {Place("f", static_cast<std::size_t>(idx + 1)), "bad"});
  }
  EXPECT_EQ(seen, 5U);
  ASSERT_EQ(kept.size(), 3U);
  EXPECT_EQ(kept.back().place, "f:3");
  EXPECT_FALSE(KeepProblem(kept, 3, {"f:6", "bad"}));
}

}  // namespace
}  // namespace dv
