// SPDX-License-Identifier: Apache-2.0
#include "risk/rr_sample.h"

#include <gtest/gtest.h>

#include <cmath>

#include "risk/simulate.h"
#include "risk/test_graphs.h"

namespace dv::risk {
namespace {

using testing::MakeGraph;

RrSample Draw(const RiskGraph& graph, std::uint64_t sets, std::uint64_t seed = 11, unsigned threads = 2) {
  RrOptions options;
  options.sets = sets;
  options.seed = seed;
  options.threads = threads;
  auto sample = RrSample::Draw(graph, options);
  EXPECT_TRUE(sample.ok()) << sample.error().ToString();
  return std::move(sample).value();
}

// Two independent estimates agree when their difference is within the
// combined 95 % half-widths (plus a little slack; the seeds are fixed).
void ExpectAgree(const Estimate& a, const Estimate& b) {
  const double tolerance = 1.2 * std::hypot(a.HalfWidth(), b.HalfWidth()) + 1e-9;
  EXPECT_NEAR(a.mean, b.mean, tolerance) << "[" << a.low << ", " << a.high << "] vs [" << b.low << ", " << b.high
                                         << "]";
}

TEST(RrSample, DiamondHarmMatchesTheHandComputedValue) {
  // Populations 1, 2, 3, 4; from N0: 1 + 0.5 · 2 + 0.5 · 3 + 0.4375 · 4 = 5.25.
  const RiskGraph graph = MakeGraph({1, 2, 3, 4}, {{0, 1, 0.5}, {0, 2, 0.5}, {1, 3, 0.5}, {2, 3, 0.5}});
  const RrSample sample = Draw(graph, 200000);
  EXPECT_EQ(sample.RootWeight(), 10.0);
  const Estimate harm = sample.HarmOf(0);
  EXPECT_NEAR(harm.mean, 5.25, 1.5 * harm.HalfWidth());
  EXPECT_LE(harm.low, harm.mean);
  // N3 reaches nothing but itself: 4.
  EXPECT_NEAR(sample.HarmOf(3).mean, 4.0, 1.5 * sample.HarmOf(3).HalfWidth());
}

TEST(RrSample, AgreesWithPlainMonteCarloPerNode) {
  const RiskGraph graph = testing::RandomGraph(60, 200, 5);
  const RrSample sample = Draw(graph, 100000);
  for (std::uint32_t node : {0U, 7U, 19U, 42U}) {
    SimulationOptions options;
    options.runs = 20000;
    options.seed = 3;
    options.threads = 2;
    auto forward = Simulate(graph, Scenario::Node(graph.node(node).code), options);
    ASSERT_TRUE(forward.ok());
    ExpectAgree(sample.HarmOf(node), forward->population_affected);
  }
}

TEST(RrSample, ThreatPictureHarmAgreesWithPlainMonteCarlo) {
  const RiskGraph graph = testing::RandomGraph(60, 200, 6);
  const RrSample sample = Draw(graph, 100000);
  const RrEvaluator evaluator(sample, graph);
  SimulationOptions options;
  options.runs = 40000;
  options.threads = 2;
  auto forward = Simulate(graph, Scenario::ThreatPicture(), options);
  ASSERT_TRUE(forward.ok());
  ExpectAgree(evaluator.HarmEstimate(), forward->population_affected);
  EXPECT_NEAR(evaluator.Harm(), evaluator.HarmEstimate().mean, 1e-6 * evaluator.Harm());
}

TEST(RrSample, RaisingAnyNodesSecurityNeverRaisesHarm) {
  RiskGraph graph = testing::RandomGraph(60, 200, 7);
  const RrSample sample = Draw(graph, 20000);
  RrEvaluator evaluator(sample, graph);
  const double before = evaluator.Harm();
  for (std::uint32_t node = 0; node < graph.NodeCount(); ++node) {
    const RiskNode saved = graph.node(node);
    ASSERT_TRUE(graph.SetSecurity(node, std::min(1.0, saved.security + 0.2)).ok());
    const double gain = evaluator.NodeGain(graph, node);
    EXPECT_GE(gain, -1e-9) << graph.node(node).code;
    ASSERT_TRUE(graph.SetSecurityLevels(node, saved.security, saved.security_by_relation).ok());
  }
  // Raising everyone, one after another, only ever lowers it.
  double current = before;
  for (std::uint32_t node = 0; node < graph.NodeCount(); ++node) {
    ASSERT_TRUE(graph.SetSecurity(node, std::min(1.0, graph.node(node).security + 0.1)).ok());
    evaluator.CommitNode(graph, node);
    EXPECT_LE(evaluator.Harm(), current + 1e-9);
    current = evaluator.Harm();
  }
  EXPECT_LT(current, before);
}

TEST(RrSample, RemovingAnEdgeNeverRaisesHarm) {
  RiskGraph graph = testing::RandomGraph(60, 200, 8);
  const RrSample sample = Draw(graph, 20000);
  RrEvaluator evaluator(sample, graph);
  for (std::uint32_t edge = 0; edge < graph.EdgeCount(); ++edge) {
    const double saved = graph.EdgeProbability(edge);
    ASSERT_TRUE(graph.SetEdgeProbability(edge, 0.0).ok());
    EXPECT_GE(evaluator.EdgeGain(graph, edge), -1e-9);
    ASSERT_TRUE(graph.SetEdgeProbability(edge, saved).ok());
  }
}

TEST(RrSample, RaisingSecurityLowersHarmInPlainMonteCarloToo) {
  // The same property checked without common random numbers: the raised
  // graph's interval lies below the original's.
  RiskGraph graph = testing::RandomGraph(60, 200, 9);
  SimulationOptions options;
  options.runs = 20000;
  options.threads = 2;
  auto before = Simulate(graph, Scenario::ThreatPicture(), options);
  for (std::uint32_t node = 0; node < graph.NodeCount(); node += 2) {
    ASSERT_TRUE(graph.SetSecurity(node, std::min(1.0, graph.node(node).security + 0.3)).ok());
  }
  auto after = Simulate(graph, Scenario::ThreatPicture(), options);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_LT(after->population_affected.high, before->population_affected.low);
}

TEST(RrSample, DeterministicWhateverTheThreads) {
  const RiskGraph graph = testing::RandomGraph(60, 200, 10);
  const RrSample one = Draw(graph, 5000, 99, 1);
  const RrSample two = Draw(graph, 5000, 99, 2);
  EXPECT_EQ(one.Coverage(), two.Coverage());
  EXPECT_EQ(one.TotalSize(), two.TotalSize());
  EXPECT_EQ(RrEvaluator(one, graph).Harm(), RrEvaluator(two, graph).Harm());
}

TEST(RrSample, UniformRootsCountOrganisations) {
  // Chain N0 → N1 (0.5) → N2 (0.4): N0 reaches 1.7 organisations.
  const RiskGraph graph = MakeGraph({0, 0, 0}, {{0, 1, 0.5}, {1, 2, 0.4}});
  const RrSample sample = Draw(graph, 200000);
  EXPECT_FALSE(sample.WeightedByPopulation());
  EXPECT_NEAR(sample.HarmOf(0).mean, 1.7, 1.5 * sample.HarmOf(0).HalfWidth());
}

}  // namespace
}  // namespace dv::risk
