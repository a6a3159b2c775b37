// SPDX-License-Identifier: Apache-2.0
#pragma once

// The risk graph: the federation's organisations and dependencies in a compact
// form (compressed sparse rows) with the model's inputs resolved per node and
// per edge. Everything the simulation, the weakest-links ranking and the
// planner need is here; docs/risk_model.md explains the model.
//
// Direction. A dv::Dependency `from → to` says that `from` depends on `to`.
// A compromise spreads the other way: if `to` is compromised, the attacker
// reaches `from` with probability
//
//   p(edge) = strength × relation_factor[relation] × (1 − security(from, relation))
//
// clamped to [0, 1]. `security(from, relation)` is the dependent's security
// level for that kind of coupling (its general level unless an override for
// the relation is given). SpreadEdges(u) lists the edges out of a compromised
// node u (to its dependents); DependencyEdges(v) lists what v depends on.
//
// Initial compromise. Under the threat picture a node is compromised by an
// attack of its own with probability
//
//   p0 = 1 − exp(−horizon × exposure × (1 − security) × Σ_actor rate(level_actor) × targeting[actor][kind])
//
// Threads: a RiskGraph is immutable after Build except through the Set*
// functions; const member functions may be called from any number of threads
// at once. The Set* functions must not run concurrently with anything else.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.h"
#include "core/result.h"

namespace dv::risk {

inline constexpr std::size_t kRelationCount = 8;
inline constexpr std::size_t kOrgKindCount = 8;
inline constexpr std::size_t kThreatActorCount = 4;
inline constexpr std::size_t kThreatLevelCount = 5;

inline std::size_t RelationIndex(Relation relation) { return static_cast<std::size_t>(relation); }
inline std::size_t KindIndex(OrgKind kind) { return static_cast<std::size_t>(kind); }

// The national threat assessment's scale (CFCS: "trusselsniveau").
enum class ThreatLevel { kNone, kLow, kMedium, kHigh, kVeryHigh };
enum class ThreatActor { kCrime, kEspionage, kActivism, kDestructive };

// Stable lower_snake names: "none", "low", "medium", "high", "very_high";
// "crime", "espionage", "activism", "destructive".
std::string_view ThreatLevelName(ThreatLevel level);
Result<ThreatLevel> ParseThreatLevel(std::string_view name);
std::string_view ThreatActorName(ThreatActor actor);
Result<ThreatActor> ParseThreatActor(std::string_view name);

struct ThreatPicture {
  // Indexed by ThreatActor. Defaults: the national assessment at the time of
  // writing (crime and espionage VERY HIGH, activism HIGH, destructive MEDIUM).
  std::array<ThreatLevel, kThreatActorCount> levels{ThreatLevel::kVeryHigh, ThreatLevel::kVeryHigh, ThreatLevel::kHigh,
                                                    ThreatLevel::kMedium};
  // Serious attempts per organisation per year for a fully targeted kind,
  // indexed by ThreatLevel.
  std::array<double, kThreatLevelCount> rate_per_level{0.0, 0.01, 0.03, 0.08, 0.2};
  // How strongly each actor type aims at each kind of organisation, in [0, 1];
  // [actor][kind], kinds in OrgKind order.
  std::array<std::array<double, kOrgKindCount>, kThreatActorCount> targeting{{
      // municipality region state_body shared_system supplier health utility other
      {1.0, 1.0, 0.6, 0.5, 1.0, 1.0, 0.7, 0.6},  // crime (ransomware, fraud)
      {0.3, 0.5, 1.0, 1.0, 0.8, 0.4, 0.5, 0.5},  // espionage
      {0.5, 0.3, 0.6, 0.4, 0.2, 0.2, 0.3, 0.3},  // activism
      {0.1, 0.2, 0.3, 0.3, 0.2, 0.4, 1.0, 0.1},  // destructive
  }};
};

// Defaults for a kind of organisation, used where no per-node input is given.
struct KindDefaults {
  double security = 0.5;  // in [0, 1]; 0 = no controls, 1 = nothing gets through
  double exposure = 1.0;  // ≥ 0; multiplies the attack rate (internet-facing surface, attractiveness)
  bool critical = false;  // delivers a critical service (NIS2 essential entity, health, identity)
};

struct ModelParams {
  // Multiplies an edge's strength by the kind of coupling, indexed by
  // Relation. Defaults: shared_admin_access 1.0, remote_access 0.9,
  // uses_system 0.8, supplied_by 0.8, network_link 0.7, exchanges_data_with
  // 0.5, member_of_region 0.3, coordinated_by 0.3.
  std::array<double, kRelationCount> relation_factor{0.8, 0.8, 0.5, 0.7, 1.0, 0.9, 0.3, 0.3};
  // Indexed by OrgKind.
  std::array<KindDefaults, kOrgKindCount> kind_defaults{{
      {0.50, 1.0, false},  // municipality
      {0.60, 1.0, true},   // region
      {0.70, 1.0, false},  // state_body
      {0.75, 1.2, true},   // shared_system
      {0.60, 1.5, false},  // supplier
      {0.55, 1.0, true},   // health
      {0.55, 1.0, true},   // utility
      {0.60, 0.8, false},  // other
  }};
  ThreatPicture threat;
  double horizon_years = 1.0;

  // Checks ranges; the message names the field.
  Status Validate() const;
};

// Optional per-node inputs, e.g. from baseline assessments; anything unset
// falls back to the kind defaults.
struct NodeInput {
  std::optional<double> security;
  std::array<std::optional<double>, kRelationCount> security_by_relation;
  std::optional<double> exposure;
  std::optional<std::int64_t> population;  // residents served
  std::optional<bool> critical;
};

struct RiskNode {
  std::string code;
  std::string name;
  OrgKind kind = OrgKind::kOther;
  std::optional<std::string> region_code;
  double security = 0.5;                                      // general level
  std::array<double, kRelationCount> security_by_relation{};  // resolved per relation
  double exposure = 1.0;
  // Residents served. Given for municipalities and regions (or as input);
  // otherwise derived from the dependents (see Build). Used as harm weight.
  std::int64_t population = 0;
  bool population_derived = false;
  bool critical = false;
};

struct RiskEdge {
  std::uint32_t from = 0;  // the dependent (reached by the spread)
  std::uint32_t to = 0;    // what it depends on (the spread's source)
  Relation relation = Relation::kUsesSystem;
  double strength = 0.5;
  bool illustrative = false;
};

class RiskGraph {
 public:
  // Builds the graph. Fails, naming the place, on an unknown organisation in
  // an edge ("dependencies[12] 0101 → KMD: unknown organisation 'KMD'"), a
  // self-loop, a strength outside (0, 1], duplicate codes, inputs out of
  // range or for an unknown code, or invalid parameters. Several edges
  // between the same pair (different relations) are kept as independent
  // chances.
  //
  // Population served for nodes without a given one: the sum over direct
  // dependents with a population, repeated (up to four passes) for nodes whose
  // dependents have none of their own yet, capped at the total of the
  // municipalities (the country).
  static Result<RiskGraph> Build(const std::vector<Organisation>& organisations,
                                 const std::vector<Dependency>& dependencies, const ModelParams& params = {},
                                 const std::map<std::string, NodeInput, std::less<>>& inputs = {});

  // Builds from resolved nodes and edges (import, synthetic graphs). Edge
  // ends are node indices; population is taken as given.
  static Result<RiskGraph> FromParts(std::vector<RiskNode> nodes, std::vector<RiskEdge> edges,
                                     const ModelParams& params = {});

  std::size_t NodeCount() const { return nodes_.size(); }
  std::size_t EdgeCount() const { return edges_.size(); }
  const RiskNode& node(std::uint32_t index) const { return nodes_[index]; }
  const std::vector<RiskNode>& nodes() const { return nodes_; }
  const RiskEdge& edge(std::uint32_t index) const { return edges_[index]; }
  const std::vector<RiskEdge>& edges() const { return edges_; }
  const ModelParams& params() const { return params_; }
  std::optional<std::uint32_t> Find(std::string_view code) const;

  // Edge ids out of a compromised node (edges whose `to` is `node`).
  std::span<const std::uint32_t> SpreadEdges(std::uint32_t node) const {
    return {spread_edge_.data() + spread_offset_[node], spread_edge_.data() + spread_offset_[node + 1]};
  }
  // Edge ids of what `node` depends on (edges whose `from` is `node`).
  std::span<const std::uint32_t> DependencyEdges(std::uint32_t node) const {
    return {dep_edge_.data() + dep_offset_[node], dep_edge_.data() + dep_offset_[node + 1]};
  }
  // The same adjacency as flat arrays for the inner loops: for the k-th entry
  // of SpreadEdges(u), spread_target()[spread_offset()[u] + k] is the
  // dependent and spread_threshold() its 32-bit live threshold.
  const std::vector<std::uint32_t>& spread_offset() const { return spread_offset_; }
  const std::vector<std::uint32_t>& spread_target() const { return spread_target_; }
  const std::vector<std::uint64_t>& spread_threshold() const { return spread_threshold_; }
  const std::vector<std::uint32_t>& dep_offset() const { return dep_offset_; }
  const std::vector<std::uint32_t>& dep_source() const { return dep_source_; }
  const std::vector<std::uint64_t>& dep_threshold() const { return dep_threshold_; }
  const std::vector<std::uint32_t>& dep_edge() const { return dep_edge_; }

  double EdgeProbability(std::uint32_t edge) const { return edge_probability_[edge]; }
  // An edge is live in a run when a uniform 32-bit draw is below this
  // (p × 2^32; 2^32 means always).
  std::uint64_t EdgeThreshold(std::uint32_t edge) const { return ProbabilityThreshold(edge_probability_[edge]); }
  double InitialProbability(std::uint32_t node) const { return initial_probability_[node]; }
  // Total harm weight (population served) over all nodes.
  double TotalPopulation() const { return total_population_; }

  // Changes a node's inputs and recomputes its initial probability and the
  // probabilities of the edges into it. Raising (or lowering) the general
  // level moves every per-relation level by the same amount, clamped to
  // [0, 1]. Fails on a level outside [0, 1].
  Status SetSecurity(std::uint32_t node, double level);
  // Sets the general and every per-relation level exactly (to restore a
  // saved state).
  Status SetSecurityLevels(std::uint32_t node, double level, const std::array<double, kRelationCount>& by_relation);
  Status SetExposure(std::uint32_t node, double exposure);
  // Overrides one edge's probability (e.g. 0 for a removed coupling).
  Status SetEdgeProbability(std::uint32_t edge, double probability);

  static std::uint64_t ProbabilityThreshold(double p);
  // The formulas above, for one node / one edge under `params`.
  static double InitialProbabilityFor(const RiskNode& node, const ModelParams& params);
  static double EdgeProbabilityFor(const RiskEdge& edge, const RiskNode& from, const ModelParams& params);

 private:
  void Index();
  void UpdateEdge(std::uint32_t edge);

  ModelParams params_;
  std::vector<RiskNode> nodes_;
  std::vector<RiskEdge> edges_;
  std::map<std::string, std::uint32_t, std::less<>> by_code_;
  std::vector<double> edge_probability_;
  std::vector<double> initial_probability_;
  double total_population_ = 0;
  // Spread direction (by `to`): target = the dependent.
  std::vector<std::uint32_t> spread_offset_, spread_target_, spread_edge_, spread_position_;
  std::vector<std::uint64_t> spread_threshold_;
  // Dependency direction (by `from`): source = what is depended on.
  std::vector<std::uint32_t> dep_offset_, dep_source_, dep_edge_, dep_position_;
  std::vector<std::uint64_t> dep_threshold_;
};

}  // namespace dv::risk
