// SPDX-License-Identifier: Apache-2.0
#include "risk/simulate.h"

#include <algorithm>

#include "risk/parallel.h"
#include "risk/rng.h"

namespace dv::risk {
namespace {

using internal::Rng;

constexpr std::uint64_t kBlock = 64;

// Per-worker scratch space; `stamp` marks the nodes compromised in the
// current run without clearing an array per run.
struct Workspace {
  explicit Workspace(std::size_t n) : stamp(n, 0), touched(n, 0), weight(n, 0), threshold(n, 0), hits(n, 0) {
    queue.reserve(n);
  }
  std::vector<std::uint32_t> stamp;
  std::vector<std::uint32_t> touched;  // LT: the node's threshold is drawn in this run
  std::vector<double> weight;          // LT: failed weight so far
  std::vector<double> threshold;       // LT
  std::vector<std::uint64_t> hits;
  std::vector<std::uint32_t> queue;
  std::uint32_t run_stamp = 0;
  std::uint64_t edges_examined = 0;
};

struct RunOutcome {
  double members = 0;
  double population = 0;
  double critical = 0;
};

class Simulator {
 public:
  Simulator(const RiskGraph& graph, const Scenario& scenario, std::vector<std::uint32_t> seeds, SpreadModel model)
      : graph_(graph), scenario_(scenario), seeds_(std::move(seeds)), model_(model) {
    const std::size_t n = graph.NodeCount();
    initial_threshold_.resize(n);
    for (std::uint32_t node = 0; node < n; ++node) {
      initial_threshold_[node] = RiskGraph::ProbabilityThreshold(graph.InitialProbability(node));
    }
    if (model == SpreadModel::kLinearThreshold) {
      lt_weight_.resize(graph.EdgeCount());
      std::vector<double> into(n, 0.0);
      for (std::uint32_t edge = 0; edge < graph.EdgeCount(); ++edge) {
        into[graph.edge(edge).from] += graph.EdgeProbability(edge);
      }
      // Weights in spread-adjacency order, for the inner loop.
      const auto& offset = graph.spread_offset();
      const auto& target = graph.spread_target();
      for (std::uint32_t node = 0; node < n; ++node) {
        auto edges = graph.SpreadEdges(node);
        for (std::size_t k = 0; k < edges.size(); ++k) {
          const std::uint32_t dependent = target[offset[node] + k];
          lt_weight_[offset[node] + k] = graph.EdgeProbability(edges[k]) / std::max(1.0, into[dependent]);
        }
      }
    }
  }

  RunOutcome Run(std::uint64_t run_idx, std::uint64_t seed, Workspace& space) const {
    Rng rng(seed, run_idx);
    const std::uint32_t stamp = ++space.run_stamp;
    space.queue.clear();
    auto infect = [&](std::uint32_t node) {
      if (space.stamp[node] == stamp) return;
      space.stamp[node] = stamp;
      space.queue.push_back(node);
    };
    switch (scenario_.kind) {
      case Scenario::Kind::kNodes:
        for (std::uint32_t node : seeds_) infect(node);
        break;
      case Scenario::Kind::kRandomNode:
        infect(static_cast<std::uint32_t>(rng.Below(graph_.NodeCount())));
        break;
      case Scenario::Kind::kThreatPicture:
        for (std::uint32_t node = 0; node < initial_threshold_.size(); ++node) {
          if (rng.Next32() < initial_threshold_[node]) infect(node);
        }
        break;
    }
    const auto& offset = graph_.spread_offset();
    const auto& target = graph_.spread_target();
    const auto& threshold = graph_.spread_threshold();
    std::uint64_t examined = 0;
    for (std::size_t head = 0; head < space.queue.size(); ++head) {
      const std::uint32_t node = space.queue[head];
      const std::uint32_t begin = offset[node];
      const std::uint32_t end = offset[node + 1];
      examined += end - begin;
      if (model_ == SpreadModel::kIndependentCascade) {
        for (std::uint32_t at = begin; at < end; ++at) {
          const std::uint32_t dependent = target[at];
          if (space.stamp[dependent] == stamp) continue;
          if (rng.Next32() < threshold[at]) infect(dependent);
        }
      } else {
        for (std::uint32_t at = begin; at < end; ++at) {
          const std::uint32_t dependent = target[at];
          if (space.stamp[dependent] == stamp) continue;
          if (space.touched[dependent] != stamp) {
            space.touched[dependent] = stamp;
            space.weight[dependent] = 0;
            space.threshold[dependent] = 1.0 - rng.Uniform();  // (0, 1]
          }
          space.weight[dependent] += lt_weight_[at];
          if (space.weight[dependent] >= space.threshold[dependent] - 1e-12) infect(dependent);
        }
      }
    }
    space.edges_examined += examined;
    RunOutcome outcome;
    for (std::uint32_t node : space.queue) {
      const RiskNode& hit = graph_.node(node);
      ++space.hits[node];
      outcome.members += 1;
      outcome.population += static_cast<double>(hit.population);
      if (hit.critical) outcome.critical += 1;
    }
    return outcome;
  }

 private:
  const RiskGraph& graph_;
  const Scenario& scenario_;
  std::vector<std::uint32_t> seeds_;
  SpreadModel model_;
  std::vector<std::uint64_t> initial_threshold_;
  std::vector<double> lt_weight_;
};

}  // namespace

Result<SimulationResult> Simulate(const RiskGraph& graph, const Scenario& scenario, const SimulationOptions& options) {
  if (options.runs == 0) return Error::InvalidArgument("simulation: runs must be at least 1");
  if (options.runs >= (std::uint64_t{1} << 32)) return Error::InvalidArgument("simulation: at most 2^32 - 1 runs");
  if (graph.NodeCount() == 0) return Error::InvalidArgument("simulation: the graph has no nodes");
  std::vector<std::uint32_t> seeds;
  if (scenario.kind == Scenario::Kind::kNodes) {
    if (scenario.seed_codes.empty()) return Error::InvalidArgument("simulation: no seed organisation given");
    for (const std::string& code : scenario.seed_codes) {
      auto node = graph.Find(code);
      if (!node) return Error::NotFound("simulation: unknown seed organisation '" + code + "'");
      seeds.push_back(*node);
    }
  }
  const Simulator simulator(graph, scenario, std::move(seeds), options.model);
  const unsigned workers = internal::WorkerCount(options.threads);
  std::vector<Workspace> spaces;
  spaces.reserve(workers);
  for (unsigned worker = 0; worker < workers; ++worker) spaces.emplace_back(graph.NodeCount());

  std::vector<double> members(options.runs), population(options.runs), critical(options.runs);
  internal::ParallelFor(options.runs, workers, kBlock, [&](std::uint64_t begin, std::uint64_t end, unsigned worker) {
    for (std::uint64_t run_idx = begin; run_idx < end; ++run_idx) {
      const RunOutcome outcome = simulator.Run(run_idx, options.seed, spaces[worker]);
      members[run_idx] = outcome.members;
      population[run_idx] = outcome.population;
      critical[run_idx] = outcome.critical;
    }
  });

  SimulationResult result;
  result.runs = options.runs;
  result.members_hit = MeanEstimate(members);
  result.population_affected = MeanEstimate(population);
  result.critical_hit = MeanEstimate(critical);
  result.members_tail = TailOf(std::move(members));
  result.population_tail = TailOf(std::move(population));
  result.hit_probability.assign(graph.NodeCount(), 0.0);
  for (const Workspace& space : spaces) {
    result.edges_examined += space.edges_examined;
    for (std::size_t node = 0; node < graph.NodeCount(); ++node) {
      result.hit_probability[node] += static_cast<double>(space.hits[node]);
    }
  }
  for (double& probability : result.hit_probability) probability /= static_cast<double>(options.runs);
  return result;
}

}  // namespace dv::risk
