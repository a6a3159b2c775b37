// SPDX-License-Identifier: Apache-2.0
#include "risk/plan.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>

#include "risk/rr_sample.h"
#include "risk/simulate.h"

namespace dv::risk {
namespace {

constexpr double kEpsilon = 1e-9;

struct Purchase {
  std::uint32_t node;
  double fraction;
  double cost;
  double gain;
  double spent_after;
  double harm_after;
};

// Buys steps on a working copy of the graph and keeps the sample's harm
// estimate in step with it.
class Planner {
 public:
  Planner(const RiskGraph& graph, const CostModel& costs, const RrSample& sample, double budget)
      : costs_(costs),
        sample_(sample),
        state_(graph),
        evaluator_(sample, state_),
        budget_(budget),
        steps_(graph.NodeCount(), 0) {}

  bool CanStep(std::uint32_t node) const { return state_.node(node).security < costs_.max_level - kEpsilon; }
  double NextCost(std::uint32_t node) const { return costs_.StepCost(state_.node(node), steps_[node]); }
  bool Affordable(std::uint32_t node) const { return CanStep(node) && spent_ + NextCost(node) <= budget_ + kEpsilon; }
  double NextLevel(std::uint32_t node) const {
    return std::min(costs_.max_level, state_.node(node).security + costs_.step);
  }

  Result<double> Gain(std::uint32_t node) {
    if (sample_.Coverage()[node] == 0) return 0.0;
    const RiskNode saved = state_.node(node);
    DV_TRY(state_.SetSecurity(node, NextLevel(node)));
    const double gain = evaluator_.NodeGain(state_, node);
    DV_TRY(state_.SetSecurityLevels(node, saved.security, saved.security_by_relation));
    return gain;
  }

  // Buys `fraction` (0, 1] of the next step at its pro-rata price.
  Status Buy(std::uint32_t node, double fraction = 1.0) {
    const double cost = NextCost(node) * fraction;
    const double before = evaluator_.Harm();
    const double level = std::min(costs_.max_level, state_.node(node).security + costs_.step * fraction);
    DV_TRY(state_.SetSecurity(node, level));
    evaluator_.CommitNode(state_, node);
    if (fraction >= 1.0) ++steps_[node];
    spent_ += cost;
    purchases_.push_back({node, fraction, cost, before - evaluator_.Harm(), spent_, evaluator_.Harm()});
    return Ok();
  }

  double spent() const { return spent_; }
  double budget() const { return budget_; }
  const RiskGraph& state() const { return state_; }
  const RrEvaluator& evaluator() const { return evaluator_; }
  const std::vector<Purchase>& purchases() const { return purchases_; }

 private:
  const CostModel& costs_;
  const RrSample& sample_;
  RiskGraph state_;
  RrEvaluator evaluator_;
  double budget_;
  double spent_ = 0;
  std::vector<int> steps_;
  std::vector<Purchase> purchases_;
};

Status RunGreedy(Planner& planner, std::size_t n) {
  for (;;) {
    double best_ratio = 0;
    std::optional<std::uint32_t> best;
    for (std::uint32_t node = 0; node < n; ++node) {
      if (!planner.Affordable(node)) continue;
      auto gain = planner.Gain(node);
      if (!gain.ok()) return gain.error();
      const double ratio = *gain / planner.NextCost(node);
      if (*gain > kEpsilon && ratio > best_ratio) {
        best_ratio = ratio;
        best = node;
      }
    }
    if (!best) return Ok();
    DV_TRY(planner.Buy(*best));
  }
}

Status RunLargestFirst(Planner& planner, const RiskGraph& graph, double target) {
  std::vector<std::uint32_t> order;
  for (std::uint32_t node = 0; node < graph.NodeCount(); ++node) {
    if (graph.node(node).kind == OrgKind::kMunicipality) order.push_back(node);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return graph.node(a).population > graph.node(b).population;
  });
  for (std::uint32_t node : order) {
    while (planner.state().node(node).security < target - kEpsilon && planner.Affordable(node)) {
      DV_TRY(planner.Buy(node));
    }
  }
  return Ok();
}

Status RunLowestLevelFirst(Planner& planner, std::size_t n) {
  for (;;) {
    std::optional<std::uint32_t> best;
    for (std::uint32_t node = 0; node < n; ++node) {
      if (!planner.Affordable(node)) continue;
      if (!best) {
        best = node;
        continue;
      }
      const RiskNode& candidate = planner.state().node(node);
      const RiskNode& current = planner.state().node(*best);
      if (candidate.security < current.security - kEpsilon ||
          (std::abs(candidate.security - current.security) <= kEpsilon && candidate.population > current.population)) {
        best = node;
      }
    }
    if (!best) return Ok();
    DV_TRY(planner.Buy(*best));
  }
}

Status RunSpreadEvenly(Planner& planner, const RiskGraph& graph) {
  std::vector<std::uint32_t> members;
  for (std::uint32_t node = 0; node < graph.NodeCount(); ++node) {
    const OrgKind kind = graph.node(node).kind;
    if (kind == OrgKind::kMunicipality || kind == OrgKind::kRegion) members.push_back(node);
  }
  if (members.empty()) return Ok();
  const double share = planner.budget() / static_cast<double>(members.size());
  for (std::uint32_t node : members) {
    double left = share;
    while (planner.CanStep(node) && left > kEpsilon && planner.spent() < planner.budget() - kEpsilon) {
      const double cost = planner.NextCost(node);
      const double fraction = std::min({1.0, left / cost, (planner.budget() - planner.spent()) / cost});
      left -= cost * fraction;
      DV_TRY(planner.Buy(node, fraction));
    }
  }
  return Ok();
}

}  // namespace

std::string_view StrategyName(Strategy strategy) {
  switch (strategy) {
    case Strategy::kGreedy:
      return "greedy";
    case Strategy::kLargestFirst:
      return "largest_first";
    case Strategy::kLowestLevelFirst:
      return "lowest_level_first";
    case Strategy::kSpreadEvenly:
      return "spread_evenly";
  }
  return "greedy";
}

Status CostModel::Validate() const {
  if (!(step > 0.0 && step <= 1.0)) return Error::InvalidArgument("cost model: step must be in (0, 1]");
  if (!(max_level > 0.0 && max_level <= 1.0)) return Error::InvalidArgument("cost model: max_level must be in (0, 1]");
  if (population_bands.empty()) return Error::InvalidArgument("cost model: population_bands is empty");
  for (std::size_t band_idx = 0; band_idx < population_bands.size(); ++band_idx) {
    const Band& band = population_bands[band_idx];
    if (!(band.kr_per_step > 0.0)) {
      return Error::InvalidArgument("cost model: population_bands[" + std::to_string(band_idx) +
                                    "].kr_per_step must be positive");
    }
    if (band_idx > 0 && band.population_up_to <= population_bands[band_idx - 1].population_up_to) {
      return Error::InvalidArgument("cost model: population_bands[" + std::to_string(band_idx) +
                                    "] must have a larger population_up_to than the band before");
    }
  }
  for (std::size_t kind = 0; kind < kOrgKindCount; ++kind) {
    const auto org_kind = static_cast<OrgKind>(kind);
    if (org_kind == OrgKind::kMunicipality || org_kind == OrgKind::kRegion) continue;
    if (!(kr_per_step_by_kind[kind] > 0.0)) {
      return Error::InvalidArgument("cost model: kr_per_step_by_kind." + std::string(OrgKindName(org_kind)) +
                                    " must be positive");
    }
  }
  if (!(escalation >= 0.0)) return Error::InvalidArgument("cost model: escalation must not be negative");
  for (const auto& [code, price] : kr_per_step_override) {
    if (!(price > 0.0)) return Error::InvalidArgument("cost model: price for " + code + " must be positive");
  }
  return Ok();
}

double CostModel::StepCost(const RiskNode& node, int steps_taken) const {
  double base = 0;
  if (auto found = kr_per_step_override.find(node.code); found != kr_per_step_override.end()) {
    base = found->second;
  } else if (node.kind == OrgKind::kMunicipality || node.kind == OrgKind::kRegion) {
    base = population_bands.back().kr_per_step;
    for (const Band& band : population_bands) {
      if (node.population <= band.population_up_to) {
        base = band.kr_per_step;
        break;
      }
    }
  } else {
    base = kr_per_step_by_kind[KindIndex(node.kind)];
  }
  return base * (1.0 + escalation * std::max(0, steps_taken));
}

Result<PlanReport> PlanInvestments(const RiskGraph& graph, const CostModel& costs, const PlanOptions& options) {
  DV_TRY(costs.Validate());
  if (!(options.budget_kr >= 0.0)) return Error::InvalidArgument("plan: budget must not be negative");
  if (!(options.target_level > 0.0 && options.target_level <= 1.0)) {
    return Error::InvalidArgument("plan: target_level must be in (0, 1]");
  }
  RrOptions rr;
  rr.sets = options.rr_sets;
  rr.seed = options.seed;
  rr.threads = options.threads;
  auto sample = RrSample::Draw(graph, rr);
  if (!sample.ok()) return sample.error().WithContext("plan");

  SimulationOptions simulation;
  simulation.runs = options.simulation_runs;
  simulation.seed = options.seed + 1;  // fresh draws, shared by every plan
  simulation.threads = options.threads;

  PlanReport report;
  report.budget_kr = options.budget_kr;
  {
    auto before = Simulate(graph, Scenario::ThreatPicture(), simulation);
    if (!before.ok()) return before.error().WithContext("plan");
    report.simulated_harm_before = before->population_affected;
    report.simulated_members_before = before->members_hit;
  }

  for (Strategy strategy :
       {Strategy::kGreedy, Strategy::kLargestFirst, Strategy::kLowestLevelFirst, Strategy::kSpreadEvenly}) {
    auto owned = std::make_unique<Planner>(graph, costs, *sample, options.budget_kr);
    report.estimated_harm_before = owned->evaluator().Harm();
    switch (strategy) {
      case Strategy::kGreedy: {
        // The best single affordable step, for the budgeted guarantee.
        double best_single = 0;
        std::optional<std::uint32_t> single;
        for (std::uint32_t node = 0; node < graph.NodeCount(); ++node) {
          if (!owned->Affordable(node)) continue;
          auto gain = owned->Gain(node);
          if (!gain.ok()) return gain.error();
          if (*gain > best_single) {
            best_single = *gain;
            single = node;
          }
        }
        DV_TRY(RunGreedy(*owned, graph.NodeCount()));
        if (single && report.estimated_harm_before - owned->evaluator().Harm() < best_single) {
          auto alternative = std::make_unique<Planner>(graph, costs, *sample, options.budget_kr);
          DV_TRY(alternative->Buy(*single));
          DV_TRY(RunGreedy(*alternative, graph.NodeCount()));
          if (alternative->evaluator().Harm() < owned->evaluator().Harm()) owned = std::move(alternative);
        }
        break;
      }
      case Strategy::kLargestFirst:
        DV_TRY(RunLargestFirst(*owned, graph, options.target_level));
        break;
      case Strategy::kLowestLevelFirst:
        DV_TRY(RunLowestLevelFirst(*owned, graph.NodeCount()));
        break;
      case Strategy::kSpreadEvenly:
        DV_TRY(RunSpreadEvenly(*owned, graph));
        break;
    }
    const Planner& planner = *owned;
    StrategyResult result;
    result.strategy = strategy;
    result.spent_kr = planner.spent();
    result.estimated_harm = planner.evaluator().Harm();
    std::vector<std::ptrdiff_t> slot(graph.NodeCount(), -1);
    for (const Purchase& purchase : planner.purchases()) {
      if (slot[purchase.node] < 0) {
        slot[purchase.node] = static_cast<std::ptrdiff_t>(result.investments.size());
        Investment investment;
        investment.node = purchase.node;
        investment.code = graph.node(purchase.node).code;
        investment.name = graph.node(purchase.node).name;
        investment.from_level = graph.node(purchase.node).security;
        result.investments.push_back(std::move(investment));
      }
      Investment& investment = result.investments[static_cast<std::size_t>(slot[purchase.node])];
      investment.to_level = planner.state().node(purchase.node).security;
      investment.steps += purchase.fraction;
      investment.cost_kr += purchase.cost;
      investment.estimated_reduction += purchase.gain;
    }
    const std::size_t points = std::max<std::size_t>(options.curve_points, 2);
    std::size_t next = 0;
    double harm = report.estimated_harm_before;
    for (std::size_t point = 0; point < points; ++point) {
      const double budget = options.budget_kr * static_cast<double>(point) / static_cast<double>(points - 1);
      while (next < planner.purchases().size() && planner.purchases()[next].spent_after <= budget + kEpsilon) {
        harm = planner.purchases()[next++].harm_after;
      }
      result.curve.push_back({budget, harm});
    }
    auto after = Simulate(planner.state(), Scenario::ThreatPicture(), simulation);
    if (!after.ok()) return after.error().WithContext("plan");
    result.simulated_harm = after->population_affected;
    result.simulated_members = after->members_hit;
    result.simulated_tail = after->population_tail;
    report.strategies.push_back(std::move(result));
  }
  return report;
}

}  // namespace dv::risk
