// SPDX-License-Identifier: Apache-2.0
#include "risk/report_json.h"

#include <algorithm>

namespace dv::risk {

nlohmann::json EstimateJson(const Estimate& estimate) {
  return {{"mean", estimate.mean}, {"low", estimate.low}, {"high", estimate.high}, {"samples", estimate.samples}};
}

nlohmann::json TailJson(const TailRisk& tail) {
  return {{"var95", tail.var95}, {"cvar95", tail.cvar95}, {"var99", tail.var99}, {"cvar99", tail.cvar99}};
}

nlohmann::json ThreatJson(const ThreatPicture& threat) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t actor = 0; actor < kThreatActorCount; ++actor) {
    out[std::string(ThreatActorName(static_cast<ThreatActor>(actor)))] = ThreatLevelName(threat.levels[actor]);
  }
  return out;
}

nlohmann::json WeakestJson(const RiskGraph& graph, const WeakestReport& report, std::uint64_t seed) {
  nlohmann::json ranking = nlohmann::json::array();
  for (const auto& link : report.ranking) {
    nlohmann::json edges = nlohmann::json::array();
    for (const auto& edge : link.top_edges) {
      edges.push_back({{"dependent", edge.dependent_code},
                       {"relation", RelationName(edge.relation)},
                       {"probability", edge.probability},
                       {"share", edge.share}});
    }
    nlohmann::json gaps = nlohmann::json::object();
    for (const auto& [relation, level] : link.gaps) gaps[std::string(RelationName(relation))] = level;
    ranking.push_back({{"code", link.code},
                       {"name", link.name},
                       {"kind", OrgKindName(link.kind)},
                       {"likelihood", link.likelihood},
                       {"score", EstimateJson(link.score)},
                       {"harm", EstimateJson(link.harm)},
                       {"members", EstimateJson(link.members)},
                       {"security", link.security},
                       {"gaps", gaps},
                       {"exposure", link.exposure},
                       {"dependents", link.dependents},
                       {"top_edges", edges},
                       {"reason", link.reason}});
  }
  auto cuts = [](const std::vector<CutPoint>& points) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& point : points) {
      out.push_back({{"label", point.label}, {"harm_reduction", point.harm_reduction}, {"share", point.share}});
    }
    return out;
  };
  return {{"nodes", graph.NodeCount()},
          {"edges", graph.EdgeCount()},
          {"samples", report.rr_sets},
          {"seed", seed},
          {"total_population_served", report.root_weight},
          {"expected_harm", EstimateJson(report.expected_harm)},
          {"ranking", ranking},
          {"cut_nodes", cuts(report.cut_nodes)},
          {"cut_edges", cuts(report.cut_edges)}};
}

nlohmann::json SimulationJson(const RiskGraph& graph, const SimulationResult& result, const std::string& scenario,
                              const std::vector<std::string>& from, const std::string& model, std::uint64_t seed,
                              std::size_t top) {
  // The organisations most often hit, highest first (ties: graph order).
  std::vector<std::uint32_t> order(graph.NodeCount());
  for (std::uint32_t node = 0; node < order.size(); ++node) order[node] = node;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return result.hit_probability[a] > result.hit_probability[b];
  });
  if (order.size() > top) order.resize(top);
  nlohmann::json most_hit = nlohmann::json::array();
  for (const std::uint32_t node : order) {
    most_hit.push_back({{"code", graph.node(node).code},
                        {"name", graph.node(node).name},
                        {"kind", OrgKindName(graph.node(node).kind)},
                        {"probability", result.hit_probability[node]}});
  }
  return {{"scenario", scenario},
          {"from", from},
          {"model", model},
          {"runs", result.runs},
          {"seed", seed},
          {"members_hit", EstimateJson(result.members_hit)},
          {"population_affected", EstimateJson(result.population_affected)},
          {"critical_hit", EstimateJson(result.critical_hit)},
          {"members_tail", TailJson(result.members_tail)},
          {"population_tail", TailJson(result.population_tail)},
          {"most_hit", most_hit}};
}

nlohmann::json PlanJson(const PlanReport& report, std::uint64_t seed) {
  const double before = report.simulated_harm_before.mean;
  auto change = [before](double harm) { return before > 0 ? 100 * (harm - before) / before : 0.0; };
  nlohmann::json strategies = nlohmann::json::array();
  for (const auto& strategy : report.strategies) {
    nlohmann::json investments = nlohmann::json::array();
    for (const auto& investment : strategy.investments) {
      investments.push_back({{"code", investment.code},
                             {"name", investment.name},
                             {"from_level", investment.from_level},
                             {"to_level", investment.to_level},
                             {"steps", investment.steps},
                             {"cost_kr", investment.cost_kr},
                             {"estimated_reduction", investment.estimated_reduction}});
    }
    nlohmann::json curve = nlohmann::json::array();
    for (const auto& point : strategy.curve) {
      curve.push_back({{"budget_kr", point.budget_kr}, {"estimated_harm", point.estimated_harm}});
    }
    strategies.push_back({{"strategy", StrategyName(strategy.strategy)},
                          {"spent_kr", strategy.spent_kr},
                          {"estimated_harm", strategy.estimated_harm},
                          {"simulated_harm", EstimateJson(strategy.simulated_harm)},
                          {"simulated_members", EstimateJson(strategy.simulated_members)},
                          {"simulated_tail", TailJson(strategy.simulated_tail)},
                          {"change_percent", change(strategy.simulated_harm.mean)},
                          {"investments", investments},
                          {"curve", curve}});
  }
  return {{"budget_kr", report.budget_kr},
          {"seed", seed},
          {"estimated_harm_before", report.estimated_harm_before},
          {"simulated_harm_before", EstimateJson(report.simulated_harm_before)},
          {"simulated_members_before", EstimateJson(report.simulated_members_before)},
          {"strategies", strategies}};
}

}  // namespace dv::risk
