// SPDX-License-Identifier: Apache-2.0
#include "risk/rr_sample.h"

#include <algorithm>
#include <cmath>

#include "risk/parallel.h"
#include "risk/rng.h"

namespace dv::risk {
namespace {

using internal::Rng;

constexpr std::uint64_t kSetsPerBlock = 256;

// The sets of one block of consecutive set indices, merged in block order.
struct Block {
  std::vector<std::uint64_t> set_size;
  std::vector<std::uint32_t> nodes;
  std::vector<std::uint32_t> discovered_by;
  std::vector<std::uint32_t> edge_count;  // per node of `nodes`
  std::vector<RrSample::LiveEdge> edges;
  std::uint64_t examined = 0;
};

struct Scratch {
  explicit Scratch(std::size_t n) : stamp(n, 0), local(n, 0) {}
  std::vector<std::uint32_t> stamp;
  std::vector<std::uint32_t> local;
  std::uint32_t current = 0;
};

}  // namespace

Result<RrSample> RrSample::Draw(const RiskGraph& graph, const RrOptions& options) {
  const std::size_t n = graph.NodeCount();
  if (n == 0) return Error::InvalidArgument("reverse-reachable sampling: the graph has no nodes");
  if (options.sets == 0) return Error::InvalidArgument("reverse-reachable sampling: sets must be at least 1");
  if (options.sets >= (std::uint64_t{1} << 32)) {
    return Error::InvalidArgument("reverse-reachable sampling: at most 2^32 - 1 sets");
  }
  RrSample sample;
  sample.weighted_ = options.weight_by_population && graph.TotalPopulation() > 0;
  std::vector<double> cumulative(n);
  double total = 0;
  for (std::size_t node = 0; node < n; ++node) {
    total += sample.weighted_ ? static_cast<double>(graph.node(static_cast<std::uint32_t>(node)).population) : 1.0;
    cumulative[node] = total;
  }
  sample.root_weight_ = total;

  const std::uint64_t block_count = (options.sets + kSetsPerBlock - 1) / kSetsPerBlock;
  std::vector<Block> blocks(block_count);
  const unsigned workers = internal::WorkerCount(options.threads);
  std::vector<Scratch> scratch;
  scratch.reserve(workers);
  for (unsigned worker = 0; worker < workers; ++worker) scratch.emplace_back(n);
  const auto& dep_offset = graph.dep_offset();
  const auto& dep_source = graph.dep_source();
  const auto& dep_threshold = graph.dep_threshold();
  const auto& dep_edge = graph.dep_edge();

  internal::ParallelFor(
      options.sets, workers, kSetsPerBlock, [&](std::uint64_t begin, std::uint64_t end, unsigned worker) {
        Block& block = blocks[begin / kSetsPerBlock];
        Scratch& space = scratch[worker];
        for (std::uint64_t set_idx = begin; set_idx < end; ++set_idx) {
          Rng rng(options.seed, set_idx);
          const double pick = rng.Uniform() * total;
          auto root_at = std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin();
          const auto root =
              static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(root_at, static_cast<std::ptrdiff_t>(n) - 1));
          const std::uint32_t stamp = ++space.current;
          const std::size_t first = block.nodes.size();
          block.nodes.push_back(root);
          block.discovered_by.push_back(kNoEdge);
          space.stamp[root] = stamp;
          space.local[root] = 0;
          for (std::size_t at = first; at < block.nodes.size(); ++at) {
            const std::uint32_t node = block.nodes[at];
            const std::uint32_t edges_before = static_cast<std::uint32_t>(block.edges.size());
            const std::uint32_t from = dep_offset[node];
            const std::uint32_t to = dep_offset[node + 1];
            block.examined += to - from;
            for (std::uint32_t pos = from; pos < to; ++pos) {
              const std::uint32_t draw = rng.Next32();
              if (draw >= dep_threshold[pos]) continue;
              const std::uint32_t source = dep_source[pos];
              if (space.stamp[source] != stamp) {
                space.stamp[source] = stamp;
                space.local[source] = static_cast<std::uint32_t>(block.nodes.size() - first);
                block.nodes.push_back(source);
                block.discovered_by.push_back(dep_edge[pos]);
              }
              if (options.keep_edges) block.edges.push_back({space.local[source], dep_edge[pos], draw});
            }
            block.edge_count.push_back(static_cast<std::uint32_t>(block.edges.size()) - edges_before);
          }
          block.set_size.push_back(block.nodes.size() - first);
        }
      });

  std::uint64_t total_nodes = 0;
  std::uint64_t total_edges = 0;
  for (const Block& block : blocks) {
    total_nodes += block.nodes.size();
    total_edges += block.edges.size();
  }
  sample.set_begin_.reserve(options.sets + 1);
  sample.nodes_.reserve(total_nodes);
  sample.discovered_by_.reserve(total_nodes);
  sample.edge_begin_.reserve(total_nodes + 1);
  sample.edges_.reserve(total_edges);
  for (Block& block : blocks) {
    for (std::uint64_t size : block.set_size) sample.set_begin_.push_back(sample.set_begin_.back() + size);
    sample.nodes_.insert(sample.nodes_.end(), block.nodes.begin(), block.nodes.end());
    sample.discovered_by_.insert(sample.discovered_by_.end(), block.discovered_by.begin(), block.discovered_by.end());
    for (std::uint32_t count : block.edge_count) sample.edge_begin_.push_back(sample.edge_begin_.back() + count);
    sample.edges_.insert(sample.edges_.end(), block.edges.begin(), block.edges.end());
    sample.edges_examined_ += block.examined;
    block = Block{};
  }

  sample.coverage_.assign(n, 0);
  for (std::uint32_t node : sample.nodes_) ++sample.coverage_[node];
  sample.sets_of_begin_.assign(n + 1, 0);
  for (std::size_t node = 0; node < n; ++node) {
    sample.sets_of_begin_[node + 1] = sample.sets_of_begin_[node] + sample.coverage_[node];
  }
  sample.sets_of_.resize(sample.nodes_.size());
  std::vector<std::uint64_t> cursor(sample.sets_of_begin_.begin(), sample.sets_of_begin_.end() - 1);
  for (std::uint64_t set_idx = 0; set_idx < sample.SetCount(); ++set_idx) {
    for (std::uint32_t node : sample.Set(set_idx))
      sample.sets_of_[cursor[node]++] = static_cast<std::uint32_t>(set_idx);
  }
  return sample;
}

Estimate RrSample::HarmOf(std::uint32_t node) const {
  return ProportionEstimate(coverage_[node], SetCount(), root_weight_);
}

RrEvaluator::RrEvaluator(const RrSample& sample, const RiskGraph& state)
    : sample_(sample), value_(sample.SetCount(), 0.0) {
  scale_ = sample.RootWeight() / static_cast<double>(sample.SetCount());
  std::uint64_t largest = 0;
  for (std::uint64_t set_idx = 0; set_idx < sample.SetCount(); ++set_idx) {
    largest = std::max<std::uint64_t>(largest, sample.Set(set_idx).size());
  }
  seen_.assign(largest, 0);
  queue_.reserve(largest);
  for (std::uint64_t set_idx = 0; set_idx < sample.SetCount(); ++set_idx) {
    value_[set_idx] = Evaluate(state, set_idx);
    harm_sum_ += value_[set_idx];
  }
}

Estimate RrEvaluator::HarmEstimate() const {
  Estimate estimate = MeanEstimate(value_);
  const double weight = sample_.RootWeight();
  estimate.mean *= weight;
  estimate.low = std::max(0.0, estimate.low * weight);
  estimate.high *= weight;
  return estimate;
}

double RrEvaluator::Evaluate(const RiskGraph& state, std::uint64_t set) {
  ++sets_evaluated_;
  if (++stamp_ == 0) {
    std::fill(seen_.begin(), seen_.end(), 0);
    stamp_ = 1;
  }
  const auto nodes = sample_.Set(set);
  const std::uint64_t base = sample_.SetBegin(set);
  queue_.clear();
  queue_.push_back(0);
  seen_[0] = stamp_;
  double spared = 1.0;
  for (std::size_t head = 0; head < queue_.size(); ++head) {
    const std::uint32_t local = queue_[head];
    spared *= 1.0 - state.InitialProbability(nodes[local]);
    for (const RrSample::LiveEdge& live : sample_.LiveEdges(base + local)) {
      if (seen_[live.to_local] == stamp_) continue;
      if (live.draw >= state.EdgeThreshold(live.edge)) continue;
      seen_[live.to_local] = stamp_;
      queue_.push_back(live.to_local);
    }
  }
  return 1.0 - spared;
}

double RrEvaluator::GainOver(const RiskGraph& state, std::span<const std::uint32_t> sets, bool commit) {
  double gain = 0;
  for (std::uint32_t set : sets) {
    const double value = Evaluate(state, set);
    gain += value_[set] - value;
    if (commit) {
      harm_sum_ += value - value_[set];
      value_[set] = value;
    }
  }
  return gain * scale_;
}

double RrEvaluator::NodeGain(const RiskGraph& state, std::uint32_t node) {
  return GainOver(state, sample_.SetsOf(node), false);
}

double RrEvaluator::EdgeGain(const RiskGraph& state, std::uint32_t edge) {
  return GainOver(state, sample_.SetsOf(state.edge(edge).from), false);
}

void RrEvaluator::CommitNode(const RiskGraph& state, std::uint32_t node) {
  GainOver(state, sample_.SetsOf(node), true);
}

void RrEvaluator::CommitEdge(const RiskGraph& state, std::uint32_t edge) {
  GainOver(state, sample_.SetsOf(state.edge(edge).from), true);
}

}  // namespace dv::risk
