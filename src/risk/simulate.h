// SPDX-License-Identifier: Apache-2.0
#pragma once

// Contagion simulation on a RiskGraph: Monte Carlo runs of how a compromise
// spreads, summarised as expectations with 95 % confidence intervals and the
// tail of the harm distribution.
//
// Models:
//  - Independent cascade (Kempe, Kleinberg and Tardos, KDD 2003): each newly
//    compromised node gets one chance per edge to compromise each dependent,
//    with the edge's probability, independently.
//  - Linear threshold (same paper), for service dependencies: a node fails
//    when the weight of its failed dependencies reaches its threshold, drawn
//    uniformly from (0, 1] per run. The weight of an edge is its probability
//    divided by max(1, the sum of the probabilities into the dependent), so a
//    node whose every dependency fails is sure to fail only when its
//    couplings are strong enough.
//
// Determinism: run i draws from a stream derived from (seed, i) only, and the
// summaries are computed from per-run values in run order, so the result for a
// fixed seed is the same whatever the number of threads.
// Threads: Simulate may be called concurrently on the same graph; it starts
// `threads` worker threads of its own and joins them before returning.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "risk/graph.h"
#include "risk/stats.h"

namespace dv::risk {

enum class SpreadModel { kIndependentCascade, kLinearThreshold };

struct Scenario {
  enum class Kind {
    kNodes,          // the given nodes are compromised at the start
    kRandomNode,     // one node, uniformly at random, per run
    kThreatPicture,  // every node independently with its initial probability
  };
  Kind kind = Kind::kThreatPicture;
  std::vector<std::string> seed_codes;  // for kNodes

  static Scenario Nodes(std::vector<std::string> codes) { return {Kind::kNodes, std::move(codes)}; }
  static Scenario Node(std::string code) { return Nodes({std::move(code)}); }
  static Scenario RandomNode() { return {Kind::kRandomNode, {}}; }
  static Scenario ThreatPicture() { return {Kind::kThreatPicture, {}}; }
};

struct SimulationOptions {
  std::uint64_t runs = 10000;
  std::uint64_t seed = 1;
  unsigned threads = 1;  // 0 = the hardware's concurrency
  SpreadModel model = SpreadModel::kIndependentCascade;
};

struct SimulationResult {
  std::uint64_t runs = 0;
  // Per run, counting the seeds: organisations compromised; the population
  // they serve (resident-services: a resident served by two compromised
  // organisations counts twice); critical-service organisations compromised.
  Estimate members_hit;
  Estimate population_affected;
  Estimate critical_hit;
  TailRisk members_tail;
  TailRisk population_tail;
  // P(node compromised) per node, in graph order.
  std::vector<double> hit_probability;
  // Coin flips (IC) or weight updates (LT) made, for throughput figures.
  std::uint64_t edges_examined = 0;
};

// Fails on an unknown seed code, zero runs, or an empty graph.
Result<SimulationResult> Simulate(const RiskGraph& graph, const Scenario& scenario,
                                  const SimulationOptions& options = {});

}  // namespace dv::risk
