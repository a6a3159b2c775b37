// SPDX-License-Identifier: Apache-2.0
#include "risk/plan.h"

#include <gtest/gtest.h>

#include "risk/test_graphs.h"

namespace dv::risk {
namespace {

using testing::MakeGraph;

TEST(CostModel, BandsKindsEscalationAndOverrides) {
  CostModel costs;
  RiskNode small;
  small.kind = OrgKind::kMunicipality;
  small.population = 15000;
  EXPECT_EQ(costs.StepCost(small, 0), 1.0e6);
  EXPECT_EQ(costs.StepCost(small, 2), 1.5e6);  // 1 + 0.25 · 2
  RiskNode large = small;
  large.population = 650000;
  EXPECT_EQ(costs.StepCost(large, 0), 6.0e6);
  RiskNode supplier;
  supplier.code = "KMD";
  supplier.kind = OrgKind::kSupplier;
  EXPECT_EQ(costs.StepCost(supplier, 0), 2.0e6);
  costs.kr_per_step_override["KMD"] = 5e5;
  EXPECT_EQ(costs.StepCost(supplier, 0), 5e5);
  EXPECT_TRUE(costs.Validate().ok());
  costs.population_bands[1].population_up_to = 10;
  auto status = costs.Validate();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("population_bands[1]"), std::string::npos);
}

// A hub N0 (a supplier) that reaches six members, and six members of which
// the two largest are isolated: hardening the hub is the obvious choice.
RiskGraph HubGraph() {
  ModelParams params = testing::UnitParams();
  params.threat.targeting[0].fill(1.0);
  RiskGraph graph = MakeGraph({0, 10000, 10000, 10000, 10000, 10000, 10000, 20000, 19000},
                              {{0, 1, 0.9}, {0, 2, 0.9}, {0, 3, 0.9}, {0, 4, 0.9}, {0, 5, 0.9}, {0, 6, 0.9}}, params);
  std::vector<RiskNode> nodes = graph.nodes();
  nodes[0].kind = OrgKind::kSupplier;
  nodes[0].population = 30000;
  for (RiskNode& node : nodes) {
    node.security = 0.3;
    node.security_by_relation.fill(0.3);
  }
  auto rebuilt = RiskGraph::FromParts(nodes, graph.edges(), params);
  EXPECT_TRUE(rebuilt.ok());
  return std::move(rebuilt).value();
}

TEST(PlanInvestments, GreedyBeatsTheObviousStrategiesAndStaysInBudget) {
  const RiskGraph graph = HubGraph();
  CostModel costs;
  PlanOptions options;
  options.budget_kr = 8e6;
  options.rr_sets = 50000;
  options.simulation_runs = 40000;
  options.threads = 2;
  auto report = PlanInvestments(graph, costs, options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_EQ(report->strategies.size(), 4U);
  const StrategyResult& greedy = report->strategies[0];
  EXPECT_EQ(greedy.strategy, Strategy::kGreedy);
  ASSERT_FALSE(greedy.investments.empty());
  EXPECT_EQ(greedy.investments[0].code, "N0");
  for (const StrategyResult& result : report->strategies) {
    EXPECT_LE(result.spent_kr, options.budget_kr + 1e-6) << StrategyName(result.strategy);
    EXPECT_LE(result.estimated_harm, report->estimated_harm_before + 1e-9);
    ASSERT_EQ(result.curve.size(), 11U);
    EXPECT_EQ(result.curve.front().budget_kr, 0);
    EXPECT_EQ(result.curve.front().estimated_harm, report->estimated_harm_before);
    for (std::size_t point = 1; point < result.curve.size(); ++point) {
      EXPECT_LE(result.curve[point].estimated_harm, result.curve[point - 1].estimated_harm + 1e-9);
    }
    if (&result != &greedy) {
      EXPECT_LE(greedy.estimated_harm, result.estimated_harm + 1e-9) << StrategyName(result.strategy);
    }
  }
  // The re-simulated effect is real: below the untouched graph's interval.
  EXPECT_LT(greedy.simulated_harm.high, report->simulated_harm_before.low);
  // Largest first spends on N7 and N8 only.
  for (const Investment& investment : report->strategies[1].investments) {
    EXPECT_TRUE(investment.code == "N7" || investment.code == "N8") << investment.code;
  }
}

TEST(PlanInvestments, ZeroBudgetChangesNothing) {
  const RiskGraph graph = HubGraph();
  PlanOptions options;
  options.budget_kr = 0;
  options.rr_sets = 2000;
  options.simulation_runs = 1000;
  auto report = PlanInvestments(graph, {}, options);
  ASSERT_TRUE(report.ok());
  for (const StrategyResult& result : report->strategies) {
    EXPECT_TRUE(result.investments.empty());
    EXPECT_EQ(result.estimated_harm, report->estimated_harm_before);
  }
  options.budget_kr = -1;
  EXPECT_FALSE(PlanInvestments(graph, {}, options).ok());
}

}  // namespace
}  // namespace dv::risk
