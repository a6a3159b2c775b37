// SPDX-License-Identifier: Apache-2.0
#pragma once

// Weakest links: which organisations' compromise costs the country most,
// weighted by how likely that compromise is, and where hardening cuts the
// spread most.
//
//   score(u) = p0(u) × harm(u)
//
// harm(u) is the expected population served by the organisations that a
// compromise of u alone reaches (u included), estimated from one
// reverse-reachable sample (rr_sample.h) for all nodes at once; p0(u) is u's
// initial-compromise probability under the threat picture (graph.h). The
// score approximates u's own share of the expected national harm.
//
// Cut points are measured on the same sample with common random numbers:
//  - nodes: the harm reduction of raising the node's security to
//    `hardened_level` (its initial probability and the edges into it fall);
//  - edges: the harm reduction of removing the coupling (probability 0).
// Candidates are the nodes and edges carrying the most harm in the sample;
// each candidate's reduction is then computed exactly on the sample.
//
// Determinism: for a fixed seed the report is the same whatever `threads` is.
// Threads: may run concurrently on one graph (the graph is copied where it is
// changed).

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "risk/graph.h"
#include "risk/stats.h"

namespace dv::risk {

struct WeakestOptions {
  std::uint64_t rr_sets = 50000;
  std::uint64_t seed = 1;
  unsigned threads = 1;       // 0 = the hardware's concurrency
  std::size_t top = 10;       // entries in the ranking with reasons (0 = all)
  std::size_t top_edges = 3;  // contributing edges per entry
  std::size_t cut_candidates = 30;
  std::size_t cut_points = 10;  // reported cut nodes and cut edges, each
  double hardened_level = 0.9;  // the level a cut node is raised to
};

// One of the spread edges out of a weak link that carries its harm.
struct EdgeContribution {
  std::uint32_t edge = 0;
  std::string dependent_code;  // the edge's `from`, reached through it
  Relation relation = Relation::kUsesSystem;
  double probability = 0;  // the edge's spread probability
  double share = 0;        // of the node's harm that first leaves through this edge
};

struct WeakLink {
  std::uint32_t node = 0;
  std::string code;
  std::string name;
  OrgKind kind = OrgKind::kOther;
  double likelihood = 0;  // p0 under the threat picture (an input; no interval)
  Estimate harm;          // population served by those reached if compromised
  Estimate members;       // organisations reached if compromised (itself included)
  Estimate score;         // likelihood × harm
  // Reasons: its level (and per-relation gaps below it), exposure, and its
  // couplings.
  double security = 0;
  std::vector<std::pair<Relation, double>> gaps;  // relations where its level is below the general level
  double exposure = 0;
  std::size_t dependents = 0;  // spread edges out of it
  std::vector<EdgeContribution> top_edges;
  std::string reason;  // one English sentence built from the above
};

struct CutPoint {
  bool is_edge = false;
  std::uint32_t index = 0;  // node or edge id
  std::string label;        // "KMD" or "0101 → KMD (shared_admin_access)"
  double harm_reduction = 0;
  double share = 0;  // of the expected national harm
};

struct WeakestReport {
  std::uint64_t rr_sets = 0;
  double root_weight = 0;         // total population served (W)
  Estimate expected_harm;         // threat picture, population served affected per horizon
  std::vector<WeakLink> ranking;  // by score, descending
  std::vector<CutPoint> cut_nodes;
  std::vector<CutPoint> cut_edges;
  std::uint64_t edges_examined = 0;
};

Result<WeakestReport> WeakestLinks(const RiskGraph& graph, const WeakestOptions& options = {});

}  // namespace dv::risk
