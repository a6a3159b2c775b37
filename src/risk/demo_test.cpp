// SPDX-License-Identifier: Apache-2.0
// The risk model on the demo federation (data/demo): sane outputs, not
// golden numbers, since the demo data and defaults are expected to change.
#include <gtest/gtest.h>

#include <set>

#include "federation/federation.h"
#include "risk/graph.h"
#include "risk/plan.h"
#include "risk/simulate.h"
#include "risk/weakest.h"

namespace dv::risk {
namespace {

RiskGraph DemoGraph() {
  auto data = LoadDemoFederation();
  EXPECT_TRUE(data.ok()) << data.error().ToString();
  auto graph = RiskGraph::Build(data->organisations, data->dependencies);
  EXPECT_TRUE(graph.ok()) << graph.error().ToString();
  return std::move(graph).value();
}

TEST(Demo, BuildsWithDerivedPopulations) {
  const RiskGraph graph = DemoGraph();
  EXPECT_EQ(graph.NodeCount(), 167U);
  EXPECT_GT(graph.EdgeCount(), 2000U);
  const RiskNode& nemlogin = graph.node(*graph.Find("NEMLOGIN"));
  EXPECT_TRUE(nemlogin.population_derived);
  EXPECT_GT(nemlogin.population, 5'000'000);  // every municipality uses it
  EXPECT_LE(nemlogin.population, 5'822'679);
}

TEST(Demo, SimulationOfOneNodeAndOfTheThreatPicture) {
  const RiskGraph graph = DemoGraph();
  SimulationOptions options;
  options.runs = 5000;
  options.threads = 2;
  auto kmd = Simulate(graph, Scenario::Node("KMD"), options);
  ASSERT_TRUE(kmd.ok());
  EXPECT_GT(kmd->members_hit.mean, 10);  // KMD holds admin access at many members
  EXPECT_LT(kmd->members_hit.high, 167);
  EXPECT_GE(kmd->population_tail.cvar99, kmd->population_tail.var99);
  EXPECT_GE(kmd->population_tail.var99, kmd->population_tail.var95);
  auto threat = Simulate(graph, Scenario::ThreatPicture(), options);
  ASSERT_TRUE(threat.ok());
  EXPECT_GT(threat->members_hit.mean, 1);
  EXPECT_GT(threat->critical_hit.mean, 0);
  options.model = SpreadModel::kLinearThreshold;
  auto service = Simulate(graph, Scenario::Node("NEMLOGIN"), options);
  ASSERT_TRUE(service.ok());
  EXPECT_GE(service->members_hit.mean, 1);
}

TEST(Demo, WeakestLinksIncludeWidelyUsedSharedSystemsAndSuppliers) {
  const RiskGraph graph = DemoGraph();
  WeakestOptions options;
  options.rr_sets = 20000;
  options.threads = 2;
  auto report = WeakestLinks(graph, options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_EQ(report->ranking.size(), 10U);
  int shared = 0;
  for (const WeakLink& link : report->ranking) {
    if (link.kind == OrgKind::kSharedSystem || link.kind == OrgKind::kSupplier) ++shared;
    EXPECT_FALSE(link.reason.empty());
    EXPECT_LE(link.score.low, link.score.mean);
    EXPECT_GE(link.score.high, link.score.mean);
  }
  EXPECT_GE(shared, 3);
  EXPECT_TRUE(report->ranking[0].kind == OrgKind::kSharedSystem || report->ranking[0].kind == OrgKind::kSupplier)
      << report->ranking[0].code;
  EXPECT_FALSE(report->cut_nodes.empty());
  EXPECT_FALSE(report->cut_edges.empty());
  EXPECT_GT(report->expected_harm.mean, 0);
  EXPECT_LT(report->expected_harm.mean, report->root_weight);
}

TEST(Demo, PlanBeatsTheBaselines) {
  const RiskGraph graph = DemoGraph();
  PlanOptions options;
  options.budget_kr = 50e6;
  options.rr_sets = 20000;
  options.simulation_runs = 10000;
  options.threads = 2;
  auto report = PlanInvestments(graph, {}, options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  const StrategyResult& greedy = report->strategies[0];
  EXPECT_LE(greedy.spent_kr, 50e6);
  EXPECT_GT(greedy.spent_kr, 40e6);
  for (std::size_t at = 1; at < report->strategies.size(); ++at) {
    EXPECT_LT(greedy.estimated_harm, report->strategies[at].estimated_harm)
        << StrategyName(report->strategies[at].strategy);
  }
  EXPECT_LT(greedy.simulated_harm.high, report->simulated_harm_before.low);
}

}  // namespace
}  // namespace dv::risk
