// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small graphs with hand-computable answers for dv_risk's tests. Every
// relation factor is 1 and every node's security 0, so an edge's spread
// probability is exactly its strength.

#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "risk/graph.h"

namespace dv::risk::testing {

inline ModelParams UnitParams() {
  ModelParams params;
  params.relation_factor.fill(1.0);
  for (KindDefaults& defaults : params.kind_defaults) defaults = {0.0, 1.0, false};
  // Only crime, at rate 0.2 per year, aimed fully at municipalities.
  params.threat.levels = {ThreatLevel::kVeryHigh, ThreatLevel::kNone, ThreatLevel::kNone, ThreatLevel::kNone};
  for (auto& row : params.threat.targeting) row.fill(0.0);
  params.threat.targeting[0][KindIndex(OrgKind::kMunicipality)] = 1.0;
  return params;
}

// Spread edges as (source, dependent, probability): a compromise of `source`
// reaches `dependent` with `probability`.
struct Spread {
  std::uint32_t source;
  std::uint32_t dependent;
  double probability;
};

inline RiskGraph MakeGraph(const std::vector<std::int64_t>& populations, const std::vector<Spread>& spreads,
                           const ModelParams& params = UnitParams()) {
  std::vector<RiskNode> nodes;
  for (std::size_t node_idx = 0; node_idx < populations.size(); ++node_idx) {
    RiskNode node;
    node.code = "N" + std::to_string(node_idx);
    node.name = node.code;
    node.kind = OrgKind::kMunicipality;
    node.security = 0.0;
    node.security_by_relation.fill(0.0);
    node.exposure = 1.0;
    node.population = populations[node_idx];
    nodes.push_back(node);
  }
  std::vector<RiskEdge> edges;
  for (const Spread& spread : spreads) {
    edges.push_back({spread.dependent, spread.source, Relation::kUsesSystem, spread.probability, false});
  }
  auto graph = RiskGraph::FromParts(std::move(nodes), std::move(edges), params);
  if (!graph.ok()) std::abort();
  return std::move(graph).value();
}

// A random graph with varied security, exposure, strengths and populations.
inline RiskGraph RandomGraph(std::size_t node_count, std::size_t edge_count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  ModelParams params;
  std::vector<RiskNode> nodes;
  for (std::size_t node_idx = 0; node_idx < node_count; ++node_idx) {
    RiskNode node;
    node.code = "R" + std::to_string(node_idx);
    node.name = node.code;
    node.kind = static_cast<OrgKind>(rng() % kOrgKindCount);
    node.security = 0.2 + 0.6 * unit(rng);
    node.security_by_relation.fill(node.security);
    node.exposure = 0.5 + unit(rng);
    node.population = static_cast<std::int64_t>(1000 + rng() % 100000);
    nodes.push_back(node);
  }
  std::vector<RiskEdge> edges;
  while (edges.size() < edge_count) {
    const auto from = static_cast<std::uint32_t>(rng() % node_count);
    const auto to = static_cast<std::uint32_t>(rng() % node_count);
    if (from == to) continue;
    edges.push_back({from, to, static_cast<Relation>(rng() % kRelationCount), 0.2 + 0.8 * unit(rng), false});
  }
  auto graph = RiskGraph::FromParts(std::move(nodes), std::move(edges), params);
  if (!graph.ok()) std::abort();
  return std::move(graph).value();
}

}  // namespace dv::risk::testing
