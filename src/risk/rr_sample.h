// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reverse-reachable (RR) sets for the independent cascade (Borgs, Brautbar,
// Chayes and Lucier, SODA 2014; Tang, Shi and Xiao, SIGMOD 2015). An RR set
// is drawn by picking a root r (with probability proportional to its harm
// weight) and walking *against* the spread — from a node to what it depends
// on — keeping each edge with its probability. A node u lies in the RR set
// exactly when u, compromised alone, would have reached r in the same live-edge
// world, so for θ sets and total weight W
//
//   harm(u) = Σ_v w_v · P(u reaches v) = W · P(u ∈ RR)          (≈ W · count_u / θ)
//   harm(threat picture) = W · E[1 − Π_{u ∈ RR} (1 − p0_u)]
//
// One sample answers the harm of every node at once: the cost is θ times the
// mean RR-set size, not nodes × runs.
//
// The sample keeps each set's live edges with their uniform draws. Hardening
// only lowers probabilities, so with the same draws (common random numbers)
// an edge stays live under a hardened state exactly when its draw is below the
// new threshold, and RrEvaluator re-evaluates the threat-picture harm of any
// hardened state on the same sample without drawing again. That makes the
// comparison of candidate investments exact on the sample (no noise between
// candidates), which the planner and the cut-point search rely on.
//
// Determinism: set i draws from a stream derived from (seed, i) only.
// Threads: Draw starts and joins its own workers; a drawn sample is immutable
// and may be read from any number of threads. An RrEvaluator is not
// thread-safe.

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "risk/graph.h"
#include "risk/stats.h"

namespace dv::risk {

struct RrOptions {
  std::uint64_t sets = 50000;
  std::uint64_t seed = 1;
  unsigned threads = 1;  // 0 = the hardware's concurrency
  // Roots weighted by population served (harm in residents); false: uniform
  // (harm in organisations). With no population anywhere, roots are uniform.
  bool weight_by_population = true;
  // Keep the live edges (needed by RrEvaluator and the edge statistics).
  bool keep_edges = true;
};

class RrSample {
 public:
  struct LiveEdge {
    std::uint32_t to_local;  // position, within the set, of the node depended on
    std::uint32_t edge;      // graph edge id
    std::uint32_t draw;      // the uniform 32-bit draw that made it live
  };

  static Result<RrSample> Draw(const RiskGraph& graph, const RrOptions& options);

  std::uint64_t SetCount() const { return set_begin_.size() - 1; }
  // W: the total root weight (population served, or the node count).
  double RootWeight() const { return root_weight_; }
  bool WeightedByPopulation() const { return weighted_; }
  // The nodes of a set, root first; positions in this span are the set's
  // local indices.
  std::span<const std::uint32_t> Set(std::uint64_t set) const {
    return {nodes_.data() + set_begin_[set], nodes_.data() + set_begin_[set + 1]};
  }
  std::uint64_t SetBegin(std::uint64_t set) const { return set_begin_[set]; }
  // The live edges out of the node at flat position `flat` (SetBegin + local).
  std::span<const LiveEdge> LiveEdges(std::uint64_t flat) const {
    return {edges_.data() + edge_begin_[flat], edges_.data() + edge_begin_[flat + 1]};
  }
  // The edge through which the node at `flat` was first reached (its spread
  // into the set), or kNoEdge for the root.
  std::uint32_t DiscoveredBy(std::uint64_t flat) const { return discovered_by_[flat]; }
  static constexpr std::uint32_t kNoEdge = 0xffffffffU;

  // Number of sets that contain each node.
  const std::vector<std::uint32_t>& Coverage() const { return coverage_; }
  // The sets that contain `node`, ascending.
  std::span<const std::uint32_t> SetsOf(std::uint32_t node) const {
    return {sets_of_.data() + sets_of_begin_[node], sets_of_.data() + sets_of_begin_[node + 1]};
  }
  // harm(node) alone = W · coverage / θ, with its Wilson interval.
  Estimate HarmOf(std::uint32_t node) const;

  std::uint64_t edges_examined() const { return edges_examined_; }
  std::uint64_t TotalSize() const { return nodes_.size(); }

 private:
  bool weighted_ = false;
  double root_weight_ = 0;
  std::vector<std::uint64_t> set_begin_{0};
  std::vector<std::uint32_t> nodes_;
  std::vector<std::uint32_t> discovered_by_;
  std::vector<std::uint64_t> edge_begin_{0};
  std::vector<LiveEdge> edges_;
  std::vector<std::uint32_t> coverage_;
  std::vector<std::uint64_t> sets_of_begin_;
  std::vector<std::uint32_t> sets_of_;
  std::uint64_t edges_examined_ = 0;
};

// The threat-picture harm W · mean_i (1 − Π_{u ∈ R_i} (1 − p0_u)) of a sample
// drawn with kept edges, evaluated under the probabilities of `state` (a
// RiskGraph with the same nodes and edges as the one sampled, possibly
// hardened). Only states whose probabilities are at most those sampled are
// evaluated exactly; raised probabilities are treated as unchanged.
class RrEvaluator {
 public:
  RrEvaluator(const RrSample& sample, const RiskGraph& state);

  // The harm under the state last committed, with its interval over sets.
  double Harm() const { return harm_sum_ * scale_; }
  Estimate HarmEstimate() const;
  // The value of one set (its chance to be hit) under the committed state.
  double Value(std::uint64_t set) const { return value_[set]; }

  // The harm reduction if `state` now differs from the committed state only
  // at `node` (its security; call after RiskGraph::SetSecurity).
  double NodeGain(const RiskGraph& state, std::uint32_t node);
  // The same for one edge's probability.
  double EdgeGain(const RiskGraph& state, std::uint32_t edge);
  // Adopts the change at `node` / `edge` as the committed state.
  void CommitNode(const RiskGraph& state, std::uint32_t node);
  void CommitEdge(const RiskGraph& state, std::uint32_t edge);

  std::uint64_t sets_evaluated() const { return sets_evaluated_; }

 private:
  double Evaluate(const RiskGraph& state, std::uint64_t set);
  double GainOver(const RiskGraph& state, std::span<const std::uint32_t> sets, bool commit);

  const RrSample& sample_;
  std::vector<double> value_;
  double harm_sum_ = 0;
  double scale_ = 0;
  std::vector<std::uint32_t> seen_;  // scratch: per local index, the evaluation's stamp
  std::vector<std::uint32_t> queue_;
  std::uint32_t stamp_ = 0;
  std::uint64_t sets_evaluated_ = 0;
};

}  // namespace dv::risk
