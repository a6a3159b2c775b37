// SPDX-License-Identifier: Apache-2.0
#include "risk/simulate.h"

#include <gtest/gtest.h>

#include <cmath>

#include "risk/test_graphs.h"

namespace dv::risk {
namespace {

using testing::MakeGraph;
using testing::Spread;

SimulationResult RunMc(const RiskGraph& graph, const Scenario& scenario, std::uint64_t runs = 200000,
                       SpreadModel model = SpreadModel::kIndependentCascade, std::uint64_t seed = 7) {
  SimulationOptions options;
  options.runs = runs;
  options.seed = seed;
  options.threads = 2;
  options.model = model;
  auto result = Simulate(graph, scenario, options);
  EXPECT_TRUE(result.ok()) << result.error().ToString();
  return std::move(result).value();
}

// The exact value must lie in the 95 % interval widened by a little slack for
// the 1-in-20 chance of a miss (the seed is fixed, so the test is stable).
void ExpectCovers(const Estimate& estimate, double exact) {
  const double slack = 0.5 * estimate.HalfWidth();
  EXPECT_GE(exact, estimate.low - slack) << "mean " << estimate.mean;
  EXPECT_LE(exact, estimate.high + slack) << "mean " << estimate.mean;
}

TEST(Simulate, TwoNodes) {
  // N0 (100 residents) is compromised; N1 (200) depends on it with p = 0.3.
  // E[members] = 1 + 0.3 = 1.3; E[population] = 100 + 0.3 · 200 = 160.
  const RiskGraph graph = MakeGraph({100, 200}, {{0, 1, 0.3}});
  const SimulationResult result = RunMc(graph, Scenario::Node("N0"));
  ExpectCovers(result.members_hit, 1.3);
  ExpectCovers(result.population_affected, 160);
  EXPECT_NEAR(result.hit_probability[1], 0.3, 0.005);
  EXPECT_EQ(result.hit_probability[0], 1.0);
}

TEST(Simulate, Chain) {
  // N0 → N1 (0.5) → N2 (0.4): E[members] = 1 + 0.5 + 0.5 · 0.4 = 1.7.
  const RiskGraph graph = MakeGraph({1, 1, 1}, {{0, 1, 0.5}, {1, 2, 0.4}});
  const SimulationResult result = RunMc(graph, Scenario::Node("N0"));
  ExpectCovers(result.members_hit, 1.7);
  EXPECT_NEAR(result.hit_probability[2], 0.2, 0.005);
  // Seeding the end of the chain reaches nothing: spread runs only to dependents.
  const SimulationResult tail = RunMc(graph, Scenario::Node("N2"), 1000);
  EXPECT_EQ(tail.members_hit.mean, 1.0);
}

TEST(Simulate, StarAndItsTail) {
  // The hub N0 reaches four leaves with p = 0.25 each: members = 1 + Binomial(4, 1/4).
  // E = 2. P(members ≤ 3) = 0.9492, P(≤ 4) = 0.9961, so VaR99 = 4 and
  // CVaR99 = (0.0039 · 5 + 0.0061 · 4) / 0.01 = 4.39.
  const RiskGraph graph = MakeGraph({1, 1, 1, 1, 1}, {{0, 1, 0.25}, {0, 2, 0.25}, {0, 3, 0.25}, {0, 4, 0.25}});
  const SimulationResult result = RunMc(graph, Scenario::Node("N0"));
  ExpectCovers(result.members_hit, 2.0);
  EXPECT_EQ(result.members_tail.var99, 4.0);
  EXPECT_NEAR(result.members_tail.cvar99, 4.39, 0.05);
  EXPECT_GE(result.members_tail.cvar95, result.members_tail.var95);
}

TEST(Simulate, Diamond) {
  // N0 → N1, N0 → N2, N1 → N3, N2 → N3, all 0.5. The two paths to N3 share no
  // edge: P(N3) = 1 − (1 − 0.25)² = 0.4375; E[members] = 1 + 0.5 + 0.5 + 0.4375 = 2.4375.
  const RiskGraph graph = MakeGraph({1, 1, 1, 1}, {{0, 1, 0.5}, {0, 2, 0.5}, {1, 3, 0.5}, {2, 3, 0.5}});
  const SimulationResult result = RunMc(graph, Scenario::Node("N0"));
  ExpectCovers(result.members_hit, 2.4375);
  EXPECT_NEAR(result.hit_probability[3], 0.4375, 0.005);
}

TEST(Simulate, LinearThresholdDiamond) {
  // N3's two dependencies weigh 0.5 each (sum 1, no normalisation); its
  // threshold is uniform on (0, 1]. N1 and N2 fail with 0.5 each, so N3 fails
  // with 0.25 · 1 + 0.5 · 0.5 = 0.5; E[members] = 2.5.
  const RiskGraph graph = MakeGraph({1, 1, 1, 1}, {{0, 1, 0.5}, {0, 2, 0.5}, {1, 3, 0.5}, {2, 3, 0.5}});
  const SimulationResult result = RunMc(graph, Scenario::Node("N0"), 200000, SpreadModel::kLinearThreshold);
  ExpectCovers(result.members_hit, 2.5);
  EXPECT_NEAR(result.hit_probability[3], 0.5, 0.005);
}

TEST(Simulate, ThreatPictureTwoNodes) {
  // Crime only, 0.2 attempts per year, security 0: p0 = 1 − exp(−0.2 · exposure).
  // Exposures chosen for p0(N0) = 0.5 and p0(N1) = 0.2; N1 depends on N0 with 0.6.
  // P(N1) = 1 − (1 − 0.2)(1 − 0.5 · 0.6) = 0.44; E[members] = 0.5 + 0.44 = 0.94.
  RiskGraph graph = MakeGraph({1, 1}, {{0, 1, 0.6}});
  ASSERT_TRUE(graph.SetExposure(0, std::log(2.0) / 0.2).ok());
  ASSERT_TRUE(graph.SetExposure(1, -std::log(0.8) / 0.2).ok());
  EXPECT_NEAR(graph.InitialProbability(0), 0.5, 1e-12);
  EXPECT_NEAR(graph.InitialProbability(1), 0.2, 1e-12);
  const SimulationResult result = RunMc(graph, Scenario::ThreatPicture());
  ExpectCovers(result.members_hit, 0.94);
  EXPECT_NEAR(result.hit_probability[1], 0.44, 0.005);
}

TEST(Simulate, RandomNodeScenario) {
  // A uniformly random seed in the chain N0 → N1 (0.5) → N2 (0.4):
  // (1.7 + 1.4 + 1) / 3 members.
  const RiskGraph graph = MakeGraph({1, 1, 1}, {{0, 1, 0.5}, {1, 2, 0.4}});
  ExpectCovers(RunMc(graph, Scenario::RandomNode()).members_hit, 4.1 / 3);
}

TEST(Simulate, DeterministicForAFixedSeedWhateverTheThreads) {
  const RiskGraph graph = testing::RandomGraph(80, 300, 3);
  SimulationOptions options;
  options.runs = 5000;
  options.seed = 42;
  options.threads = 1;
  auto one = Simulate(graph, Scenario::ThreatPicture(), options);
  options.threads = 2;
  auto two = Simulate(graph, Scenario::ThreatPicture(), options);
  auto again = Simulate(graph, Scenario::ThreatPicture(), options);
  ASSERT_TRUE(one.ok() && two.ok() && again.ok());
  EXPECT_EQ(one->population_affected.mean, two->population_affected.mean);
  EXPECT_EQ(one->population_tail.cvar99, two->population_tail.cvar99);
  EXPECT_EQ(one->hit_probability, two->hit_probability);
  EXPECT_EQ(two->members_hit.mean, again->members_hit.mean);
  options.seed = 43;
  auto other = Simulate(graph, Scenario::ThreatPicture(), options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->population_affected.mean, one->population_affected.mean);
}

TEST(Simulate, MoreRunsNarrowTheInterval) {
  const RiskGraph graph = testing::RandomGraph(80, 300, 4);
  const double narrow = RunMc(graph, Scenario::ThreatPicture(), 16000).population_affected.HalfWidth();
  const double wide = RunMc(graph, Scenario::ThreatPicture(), 1000).population_affected.HalfWidth();
  EXPECT_LT(narrow, wide);
  EXPECT_NEAR(wide / narrow, 4.0, 1.0);  // ∝ 1/√runs
}

TEST(Simulate, ReportsBadInput) {
  const RiskGraph graph = MakeGraph({1, 1}, {{0, 1, 0.5}});
  auto unknown = Simulate(graph, Scenario::Node("KMD"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(unknown.error().message().find("'KMD'"), std::string::npos);
  SimulationOptions none;
  none.runs = 0;
  EXPECT_FALSE(Simulate(graph, Scenario::ThreatPicture(), none).ok());
}

}  // namespace
}  // namespace dv::risk
