// SPDX-License-Identifier: Apache-2.0
#include "risk/graph.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace dv::risk {
namespace {

constexpr std::array<std::string_view, kThreatLevelCount> kLevelNames = {"none", "low", "medium", "high", "very_high"};
constexpr std::array<std::string_view, kThreatActorCount> kActorNames = {"crime", "espionage", "activism",
                                                                         "destructive"};

bool InUnit(double value) { return value >= 0.0 && value <= 1.0; }

std::string Num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

}  // namespace

std::string_view ThreatLevelName(ThreatLevel level) { return kLevelNames[static_cast<std::size_t>(level)]; }

Result<ThreatLevel> ParseThreatLevel(std::string_view name) {
  for (std::size_t level_idx = 0; level_idx < kLevelNames.size(); ++level_idx) {
    if (kLevelNames[level_idx] == name) return static_cast<ThreatLevel>(level_idx);
  }
  return Error::InvalidArgument("unknown threat level '" + std::string(name) +
                                "' (want none, low, medium, high or very_high)");
}

std::string_view ThreatActorName(ThreatActor actor) { return kActorNames[static_cast<std::size_t>(actor)]; }

Result<ThreatActor> ParseThreatActor(std::string_view name) {
  for (std::size_t actor_idx = 0; actor_idx < kActorNames.size(); ++actor_idx) {
    if (kActorNames[actor_idx] == name) return static_cast<ThreatActor>(actor_idx);
  }
  return Error::InvalidArgument("unknown threat actor '" + std::string(name) +
                                "' (want crime, espionage, activism or destructive)");
}

Status ModelParams::Validate() const {
  for (std::size_t rel = 0; rel < kRelationCount; ++rel) {
    const double factor = relation_factor[rel];
    if (!(factor >= 0.0 && factor <= 10.0)) {
      return Error::InvalidArgument("relation_factor." + std::string(RelationName(static_cast<Relation>(rel))) +
                                    " must be in [0, 10], got " + Num(factor));
    }
  }
  for (std::size_t kind = 0; kind < kOrgKindCount; ++kind) {
    const auto& defaults = kind_defaults[kind];
    const std::string where = "kind_defaults." + std::string(OrgKindName(static_cast<OrgKind>(kind)));
    if (!InUnit(defaults.security)) {
      return Error::InvalidArgument(where + ".security must be in [0, 1], got " + Num(defaults.security));
    }
    if (!(defaults.exposure >= 0.0 && defaults.exposure <= 100.0)) {
      return Error::InvalidArgument(where + ".exposure must be in [0, 100], got " + Num(defaults.exposure));
    }
  }
  for (std::size_t level = 0; level < kThreatLevelCount; ++level) {
    const double rate = threat.rate_per_level[level];
    if (!(rate >= 0.0 && rate <= 1000.0)) {
      return Error::InvalidArgument("threat.rate_per_level." + std::string(kLevelNames[level]) +
                                    " must be in [0, 1000], got " + Num(rate));
    }
  }
  for (std::size_t actor = 0; actor < kThreatActorCount; ++actor) {
    for (std::size_t kind = 0; kind < kOrgKindCount; ++kind) {
      if (!InUnit(threat.targeting[actor][kind])) {
        return Error::InvalidArgument("threat.targeting." + std::string(kActorNames[actor]) + "." +
                                      std::string(OrgKindName(static_cast<OrgKind>(kind))) + " must be in [0, 1]");
      }
    }
  }
  if (!(horizon_years > 0.0 && horizon_years <= 100.0)) {
    return Error::InvalidArgument("horizon_years must be in (0, 100], got " + Num(horizon_years));
  }
  return Ok();
}

std::uint64_t RiskGraph::ProbabilityThreshold(double p) {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(std::ldexp(p, 32));
}

double RiskGraph::InitialProbabilityFor(const RiskNode& node, const ModelParams& params) {
  double rate = 0.0;
  for (std::size_t actor = 0; actor < kThreatActorCount; ++actor) {
    rate += params.threat.rate_per_level[static_cast<std::size_t>(params.threat.levels[actor])] *
            params.threat.targeting[actor][KindIndex(node.kind)];
  }
  const double intensity = params.horizon_years * node.exposure * (1.0 - node.security) * rate;
  return 1.0 - std::exp(-intensity);
}

double RiskGraph::EdgeProbabilityFor(const RiskEdge& edge, const RiskNode& from, const ModelParams& params) {
  const std::size_t rel = RelationIndex(edge.relation);
  const double p = edge.strength * params.relation_factor[rel] * (1.0 - from.security_by_relation[rel]);
  return std::clamp(p, 0.0, 1.0);
}

Result<RiskGraph> RiskGraph::Build(const std::vector<Organisation>& organisations,
                                   const std::vector<Dependency>& dependencies, const ModelParams& params,
                                   const std::map<std::string, NodeInput, std::less<>>& inputs) {
  DV_TRY(params.Validate());
  std::vector<RiskNode> nodes;
  nodes.reserve(organisations.size());
  std::map<std::string, std::uint32_t, std::less<>> by_code;
  for (std::size_t org_idx = 0; org_idx < organisations.size(); ++org_idx) {
    const Organisation& org = organisations[org_idx];
    if (org.code.empty()) return Error::InvalidArgument("organisations[" + std::to_string(org_idx) + "]: empty code");
    if (!by_code.emplace(org.code, static_cast<std::uint32_t>(nodes.size())).second) {
      return Error::InvalidArgument("organisations[" + std::to_string(org_idx) + "]: duplicate code '" + org.code +
                                    "'");
    }
    const KindDefaults& defaults = params.kind_defaults[KindIndex(org.kind)];
    RiskNode node;
    node.code = org.code;
    node.name = org.name;
    node.kind = org.kind;
    node.region_code = org.region_code;
    node.security = defaults.security;
    node.exposure = defaults.exposure;
    node.critical = defaults.critical;
    if (org.population) node.population = std::max<std::int64_t>(0, *org.population);
    nodes.push_back(std::move(node));
  }
  std::vector<std::uint8_t> population_given(nodes.size(), 0);
  for (std::size_t node_idx = 0; node_idx < nodes.size(); ++node_idx) {
    population_given[node_idx] = organisations[node_idx].population.has_value() ? 1 : 0;
  }
  for (const auto& [code, input] : inputs) {
    auto found = by_code.find(code);
    if (found == by_code.end()) return Error::NotFound("node input for unknown organisation '" + code + "'");
    RiskNode& node = nodes[found->second];
    if (input.security) {
      if (!InUnit(*input.security)) {
        return Error::InvalidArgument(code + ": security must be in [0, 1], got " + Num(*input.security));
      }
      node.security = *input.security;
    }
    if (input.exposure) {
      if (!(*input.exposure >= 0.0 && *input.exposure <= 100.0)) {
        return Error::InvalidArgument(code + ": exposure must be in [0, 100], got " + Num(*input.exposure));
      }
      node.exposure = *input.exposure;
    }
    if (input.population) {
      if (*input.population < 0) return Error::InvalidArgument(code + ": population must not be negative");
      node.population = *input.population;
      population_given[found->second] = 1;
    }
    if (input.critical) node.critical = *input.critical;
  }
  for (std::size_t node_idx = 0; node_idx < nodes.size(); ++node_idx) {
    nodes[node_idx].security_by_relation.fill(nodes[node_idx].security);
  }
  for (const auto& [code, input] : inputs) {
    RiskNode& node = nodes[by_code.find(code)->second];
    for (std::size_t rel = 0; rel < kRelationCount; ++rel) {
      if (!input.security_by_relation[rel]) continue;
      const double level = *input.security_by_relation[rel];
      if (!InUnit(level)) {
        return Error::InvalidArgument(code + ": security for " + std::string(RelationName(static_cast<Relation>(rel))) +
                                      " must be in [0, 1], got " + Num(level));
      }
      node.security_by_relation[rel] = level;
    }
  }

  std::vector<RiskEdge> edges;
  edges.reserve(dependencies.size());
  for (std::size_t dep_idx = 0; dep_idx < dependencies.size(); ++dep_idx) {
    const Dependency& dep = dependencies[dep_idx];
    const std::string where = "dependencies[" + std::to_string(dep_idx) + "] " + dep.from + " → " + dep.to;
    auto from = by_code.find(dep.from);
    if (from == by_code.end()) return Error::NotFound(where + ": unknown organisation '" + dep.from + "'");
    auto to = by_code.find(dep.to);
    if (to == by_code.end()) return Error::NotFound(where + ": unknown organisation '" + dep.to + "'");
    if (from->second == to->second) return Error::InvalidArgument(where + ": an organisation cannot depend on itself");
    if (!(dep.strength > 0.0 && dep.strength <= 1.0)) {
      return Error::InvalidArgument(where + ": strength must be in (0, 1], got " + Num(dep.strength));
    }
    edges.push_back({from->second, to->second, dep.relation, dep.strength, dep.illustrative});
  }

  // Population served where none is given: from the dependents.
  std::int64_t country = 0;
  for (const RiskNode& node : nodes) {
    if (node.kind == OrgKind::kMunicipality) country += node.population;
  }
  std::vector<std::vector<std::uint32_t>> dependents(nodes.size());
  for (const RiskEdge& edge : edges) dependents[edge.to].push_back(edge.from);
  for (int pass = 0; pass < 4; ++pass) {
    std::vector<std::int64_t> derived(nodes.size(), 0);
    bool changed = false;
    for (std::size_t node_idx = 0; node_idx < nodes.size(); ++node_idx) {
      if (population_given[node_idx]) continue;
      std::vector<std::uint32_t> unique = dependents[node_idx];
      std::sort(unique.begin(), unique.end());
      unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
      std::int64_t sum = 0;
      for (std::uint32_t dependent : unique) {
        // A dependent that itself serves a derived population passes it on
        // only from the second pass, after it has one.
        if (population_given[dependent] || pass > 0) sum += nodes[dependent].population;
      }
      if (country > 0) sum = std::min(sum, country);
      derived[node_idx] = sum;
    }
    for (std::size_t node_idx = 0; node_idx < nodes.size(); ++node_idx) {
      if (population_given[node_idx]) continue;
      if (derived[node_idx] > nodes[node_idx].population) {
        nodes[node_idx].population = derived[node_idx];
        nodes[node_idx].population_derived = true;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return FromParts(std::move(nodes), std::move(edges), params);
}

Result<RiskGraph> RiskGraph::FromParts(std::vector<RiskNode> nodes, std::vector<RiskEdge> edges,
                                       const ModelParams& params) {
  DV_TRY(params.Validate());
  RiskGraph graph;
  graph.params_ = params;
  for (std::size_t node_idx = 0; node_idx < nodes.size(); ++node_idx) {
    const RiskNode& node = nodes[node_idx];
    const std::string where = "nodes[" + std::to_string(node_idx) + "] " + node.code;
    if (node.code.empty()) return Error::InvalidArgument("nodes[" + std::to_string(node_idx) + "]: empty code");
    if (!graph.by_code_.emplace(node.code, static_cast<std::uint32_t>(node_idx)).second) {
      return Error::InvalidArgument(where + ": duplicate code");
    }
    if (!InUnit(node.security)) return Error::InvalidArgument(where + ": security must be in [0, 1]");
    for (double level : node.security_by_relation) {
      if (!InUnit(level)) return Error::InvalidArgument(where + ": a per-relation security level is outside [0, 1]");
    }
    if (!(node.exposure >= 0.0 && node.exposure <= 100.0)) {
      return Error::InvalidArgument(where + ": exposure must be in [0, 100]");
    }
    if (node.population < 0) return Error::InvalidArgument(where + ": population must not be negative");
  }
  for (std::size_t edge_idx = 0; edge_idx < edges.size(); ++edge_idx) {
    const RiskEdge& edge = edges[edge_idx];
    const std::string where = "edges[" + std::to_string(edge_idx) + "]";
    if (edge.from >= nodes.size() || edge.to >= nodes.size()) {
      return Error::InvalidArgument(where + ": end outside the node list");
    }
    if (edge.from == edge.to) return Error::InvalidArgument(where + " " + nodes[edge.from].code + ": self-loop");
    if (!(edge.strength > 0.0 && edge.strength <= 1.0)) {
      return Error::InvalidArgument(where + " " + nodes[edge.from].code + " → " + nodes[edge.to].code +
                                    ": strength must be in (0, 1]");
    }
  }
  if (nodes.size() >= (std::size_t{1} << 31) || edges.size() >= (std::size_t{1} << 31)) {
    return Error::InvalidArgument("graph too large: at most 2^31 nodes and edges");
  }
  graph.nodes_ = std::move(nodes);
  graph.edges_ = std::move(edges);
  graph.Index();
  return graph;
}

void RiskGraph::Index() {
  const std::size_t n = nodes_.size();
  const std::size_t m = edges_.size();
  total_population_ = 0;
  initial_probability_.resize(n);
  for (std::size_t node_idx = 0; node_idx < n; ++node_idx) {
    initial_probability_[node_idx] = InitialProbabilityFor(nodes_[node_idx], params_);
    total_population_ += static_cast<double>(nodes_[node_idx].population);
  }
  edge_probability_.resize(m);
  for (std::size_t edge_idx = 0; edge_idx < m; ++edge_idx) {
    edge_probability_[edge_idx] = EdgeProbabilityFor(edges_[edge_idx], nodes_[edges_[edge_idx].from], params_);
  }
  auto build = [&](bool spread, std::vector<std::uint32_t>& offset, std::vector<std::uint32_t>& other,
                   std::vector<std::uint32_t>& edge_ids, std::vector<std::uint32_t>& position,
                   std::vector<std::uint64_t>& threshold) {
    offset.assign(n + 1, 0);
    for (const RiskEdge& edge : edges_) ++offset[(spread ? edge.to : edge.from) + 1];
    for (std::size_t node_idx = 0; node_idx < n; ++node_idx) offset[node_idx + 1] += offset[node_idx];
    other.resize(m);
    edge_ids.resize(m);
    threshold.resize(m);
    position.resize(m);
    std::vector<std::uint32_t> cursor(offset.begin(), offset.end() - 1);
    for (std::size_t edge_idx = 0; edge_idx < m; ++edge_idx) {
      const RiskEdge& edge = edges_[edge_idx];
      const std::uint32_t at = cursor[spread ? edge.to : edge.from]++;
      other[at] = spread ? edge.from : edge.to;
      edge_ids[at] = static_cast<std::uint32_t>(edge_idx);
      threshold[at] = ProbabilityThreshold(edge_probability_[edge_idx]);
      position[edge_idx] = at;
    }
  };
  build(true, spread_offset_, spread_target_, spread_edge_, spread_position_, spread_threshold_);
  build(false, dep_offset_, dep_source_, dep_edge_, dep_position_, dep_threshold_);
}

std::optional<std::uint32_t> RiskGraph::Find(std::string_view code) const {
  auto found = by_code_.find(code);
  if (found == by_code_.end()) return std::nullopt;
  return found->second;
}

void RiskGraph::UpdateEdge(std::uint32_t edge) {
  const std::uint64_t threshold = ProbabilityThreshold(edge_probability_[edge]);
  spread_threshold_[spread_position_[edge]] = threshold;
  dep_threshold_[dep_position_[edge]] = threshold;
}

Status RiskGraph::SetSecurity(std::uint32_t node, double level) {
  if (node >= nodes_.size()) return Error::InvalidArgument("no node with index " + std::to_string(node));
  if (!InUnit(level)) {
    return Error::InvalidArgument(nodes_[node].code + ": security must be in [0, 1], got " + Num(level));
  }
  const double delta = level - nodes_[node].security;
  std::array<double, kRelationCount> by_relation = nodes_[node].security_by_relation;
  for (double& per_relation : by_relation) per_relation = std::clamp(per_relation + delta, 0.0, 1.0);
  return SetSecurityLevels(node, level, by_relation);
}

Status RiskGraph::SetSecurityLevels(std::uint32_t node, double level,
                                    const std::array<double, kRelationCount>& by_relation) {
  if (node >= nodes_.size()) return Error::InvalidArgument("no node with index " + std::to_string(node));
  if (!InUnit(level)) {
    return Error::InvalidArgument(nodes_[node].code + ": security must be in [0, 1], got " + Num(level));
  }
  for (double per_relation : by_relation) {
    if (!InUnit(per_relation)) {
      return Error::InvalidArgument(nodes_[node].code + ": a per-relation security level is outside [0, 1]");
    }
  }
  RiskNode& target = nodes_[node];
  target.security = level;
  target.security_by_relation = by_relation;
  initial_probability_[node] = InitialProbabilityFor(target, params_);
  for (std::uint32_t edge : DependencyEdges(node)) {
    edge_probability_[edge] = EdgeProbabilityFor(edges_[edge], target, params_);
    UpdateEdge(edge);
  }
  return Ok();
}

Status RiskGraph::SetExposure(std::uint32_t node, double exposure) {
  if (node >= nodes_.size()) return Error::InvalidArgument("no node with index " + std::to_string(node));
  if (!(exposure >= 0.0 && exposure <= 100.0)) {
    return Error::InvalidArgument(nodes_[node].code + ": exposure must be in [0, 100], got " + Num(exposure));
  }
  nodes_[node].exposure = exposure;
  initial_probability_[node] = InitialProbabilityFor(nodes_[node], params_);
  return Ok();
}

Status RiskGraph::SetEdgeProbability(std::uint32_t edge, double probability) {
  if (edge >= edges_.size()) return Error::InvalidArgument("no edge with index " + std::to_string(edge));
  if (!InUnit(probability)) {
    return Error::InvalidArgument("edge " + nodes_[edges_[edge].from].code + " → " + nodes_[edges_[edge].to].code +
                                  ": probability must be in [0, 1], got " + Num(probability));
  }
  edge_probability_[edge] = probability;
  UpdateEdge(edge);
  return Ok();
}

}  // namespace dv::risk
