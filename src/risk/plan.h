// SPDX-License-Identifier: Apache-2.0
#pragma once

// Investment planning: which security improvements, bought within a budget,
// lower the expected national harm (threat picture, population served
// affected) the most.
//
// An investment is one step of `step` on a node's security level (all its
// per-relation levels rise with it), up to `max_level`. Its price comes from
// the CostModel. Strategies:
//  - greedy: repeatedly buy the affordable step with the largest harm
//    reduction per krone, measured on one reverse-reachable sample with common
//    random numbers (rr_sample.h). For a monotone submodular objective this
//    cost-benefit greedy, together with the best single affordable step, is
//    within (1 − 1/e)/2 of the optimum under a budget, and within 1 − 1/e
//    for unit costs (Nemhauser, Wolsey and Fisher 1978; Khuller, Moss and
//    Naor 1999; Leskovec et al., KDD 2007). Hardening is immunisation,
//    whose objective is monotone but not submodular in general (two parallel
//    paths need both cut), so here the guarantee is a guide, not a proof;
//    docs/risk_model.md says so and the result is re-simulated.
//  - largest municipalities first: each municipality in order of population
//    is raised to `target_level` before the next.
//  - lowest level first: always a step for the node with the lowest level
//    (ties: larger population).
//  - spread evenly: the budget is split equally over all municipalities and
//    regions; each buys the steps its share affords, and a share smaller
//    than a step buys that fraction of a step (level and price pro rata).
// Every plan is then re-simulated by plain Monte Carlo (fresh draws, the same
// seed for every plan, so differences are not noise of different draws) to
// report its real effect with a 95 % interval.
//
// Determinism: for fixed seeds the report is the same whatever `threads` is.
// Threads: may run concurrently on one graph (the graph is copied).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "risk/graph.h"
#include "risk/stats.h"

namespace dv::risk {

struct CostModel {
  struct Band {
    std::int64_t population_up_to;  // inclusive
    double kr_per_step;
  };
  double step = 0.1;
  double max_level = 0.95;
  // Municipalities and regions: by population served.
  std::vector<Band> population_bands{{20000, 1.0e6},  {50000, 1.5e6},   {100000, 2.5e6},
                                     {300000, 4.0e6}, {1000000, 6.0e6}, {INT64_MAX, 10.0e6}};
  // Other kinds, indexed by OrgKind (municipality and region use the bands).
  std::array<double, kOrgKindCount> kr_per_step_by_kind{0, 0, 3.0e6, 4.0e6, 2.0e6, 3.0e6, 2.5e6, 1.0e6};
  // Each further step at the same node costs this much more (the first step
  // costs the base, the k-th base × (1 + escalation × (k − 1))).
  double escalation = 0.25;
  // Per-code base prices that replace the above.
  std::map<std::string, double, std::less<>> kr_per_step_override;

  Status Validate() const;
  // The price of the next step at `node` after `steps_taken` steps.
  double StepCost(const RiskNode& node, int steps_taken) const;
};

enum class Strategy { kGreedy, kLargestFirst, kLowestLevelFirst, kSpreadEvenly };
std::string_view StrategyName(Strategy strategy);  // "greedy", "largest_first", "lowest_level_first", "spread_evenly"

struct PlanOptions {
  double budget_kr = 50e6;
  std::uint64_t rr_sets = 50000;
  std::uint64_t seed = 1;
  std::uint64_t simulation_runs = 20000;
  unsigned threads = 1;
  double target_level = 0.8;      // largest-first raises each municipality to this
  std::size_t curve_points = 11;  // harm at 0, budget/10, …, budget
};

struct Investment {
  std::uint32_t node = 0;
  std::string code;
  std::string name;
  double from_level = 0;
  double to_level = 0;
  double steps = 0;  // fractional for spread-evenly purchases
  double cost_kr = 0;
  double estimated_reduction = 0;  // on the sample, at the time it was bought
};

struct CurvePoint {
  double budget_kr = 0;
  double estimated_harm = 0;  // on the sample
};

struct StrategyResult {
  Strategy strategy = Strategy::kGreedy;
  std::vector<Investment> investments;  // per node, in the order first bought
  double spent_kr = 0;
  double estimated_harm = 0;   // on the sample
  Estimate simulated_harm;     // re-simulated, population served affected
  Estimate simulated_members;  // re-simulated, organisations hit
  TailRisk simulated_tail;     // population served affected
  std::vector<CurvePoint> curve;
};

struct PlanReport {
  double budget_kr = 0;
  double estimated_harm_before = 0;
  Estimate simulated_harm_before;
  Estimate simulated_members_before;
  std::vector<StrategyResult> strategies;  // greedy first, then the baselines
};

Result<PlanReport> PlanInvestments(const RiskGraph& graph, const CostModel& costs = {},
                                   const PlanOptions& options = {});

}  // namespace dv::risk
