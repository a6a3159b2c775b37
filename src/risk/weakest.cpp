// SPDX-License-Identifier: Apache-2.0
#include "risk/weakest.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "risk/rr_sample.h"

namespace dv::risk {
namespace {

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string Reason(const RiskGraph& graph, const WeakLink& link) {
  const KindDefaults& defaults = graph.params().kind_defaults[KindIndex(link.kind)];
  std::string text = "likelihood " + Format("%.1f", link.likelihood * 100) + " % per " +
                     Format("%g", graph.params().horizon_years) + " year(s) at security level " +
                     Format("%.2f", link.security);
  for (const auto& [relation, level] : link.gaps) {
    text += ", " + Format("%.2f", level) + " for " + std::string(RelationName(relation));
  }
  text += " and exposure " + Format("%.2f", link.exposure);
  if (link.exposure > defaults.exposure) text += " (above the kind's " + Format("%.2f", defaults.exposure) + ")";
  text += "; " + std::to_string(link.dependents) + " organisations depend on it";
  if (!link.top_edges.empty()) {
    text += "; harm leaves mostly through";
    for (std::size_t at = 0; at < link.top_edges.size(); ++at) {
      const EdgeContribution& edge = link.top_edges[at];
      text += (at == 0 ? " " : ", ") + edge.dependent_code + " (" + std::string(RelationName(edge.relation)) +
              ", p=" + Format("%.2f", edge.probability) + ", " + Format("%.0f", edge.share * 100) + " %)";
    }
  }
  return text;
}

std::string EdgeLabel(const RiskGraph& graph, std::uint32_t edge) {
  const RiskEdge& e = graph.edge(edge);
  return graph.node(e.from).code + " → " + graph.node(e.to).code + " (" + std::string(RelationName(e.relation)) + ")";
}

}  // namespace

Result<WeakestReport> WeakestLinks(const RiskGraph& graph, const WeakestOptions& options) {
  if (!(options.hardened_level >= 0.0 && options.hardened_level <= 1.0)) {
    return Error::InvalidArgument("weakest: hardened_level must be in [0, 1]");
  }
  RrOptions rr;
  rr.sets = options.rr_sets;
  rr.seed = options.seed;
  rr.threads = options.threads;
  auto sample = RrSample::Draw(graph, rr);
  if (!sample.ok()) return sample.error().WithContext("weakest");
  RrOptions uniform = rr;
  uniform.weight_by_population = false;
  uniform.keep_edges = false;
  uniform.seed = options.seed ^ 0x5bd1e995ULL;
  auto members = RrSample::Draw(graph, uniform);
  if (!members.ok()) return members.error().WithContext("weakest");

  const std::size_t n = graph.NodeCount();
  WeakestReport report;
  report.rr_sets = sample->SetCount();
  report.root_weight = sample->RootWeight();
  report.edges_examined = sample->edges_examined() + members->edges_examined();

  // Discovery counts per edge: how often harm first left a node through it.
  std::vector<std::uint32_t> discovered(graph.EdgeCount(), 0);
  for (std::uint64_t flat = 0; flat < sample->TotalSize(); ++flat) {
    const std::uint32_t edge = sample->DiscoveredBy(flat);
    if (edge != RrSample::kNoEdge) ++discovered[edge];
  }

  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  std::vector<double> score(n);
  for (std::uint32_t node = 0; node < n; ++node) {
    score[node] = graph.InitialProbability(node) * static_cast<double>(sample->Coverage()[node]);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return score[a] > score[b]; });
  const std::size_t top = options.top == 0 ? n : std::min(options.top, n);
  for (std::size_t rank = 0; rank < top; ++rank) {
    const std::uint32_t node = order[rank];
    const RiskNode& info = graph.node(node);
    WeakLink link;
    link.node = node;
    link.code = info.code;
    link.name = info.name;
    link.kind = info.kind;
    link.likelihood = graph.InitialProbability(node);
    link.harm = sample->HarmOf(node);
    link.members = members->HarmOf(node);
    link.score = {link.harm.mean * link.likelihood, link.harm.low * link.likelihood, link.harm.high * link.likelihood,
                  link.harm.samples};
    link.security = info.security;
    for (std::size_t rel = 0; rel < kRelationCount; ++rel) {
      if (info.security_by_relation[rel] < info.security - 1e-12) {
        link.gaps.emplace_back(static_cast<Relation>(rel), info.security_by_relation[rel]);
      }
    }
    link.exposure = info.exposure;
    const auto spread = graph.SpreadEdges(node);
    link.dependents = spread.size();
    std::vector<std::uint32_t> edges(spread.begin(), spread.end());
    std::stable_sort(edges.begin(), edges.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return discovered[a] > discovered[b]; });
    const double coverage = std::max(1.0, static_cast<double>(sample->Coverage()[node]));
    for (std::size_t at = 0; at < edges.size() && at < options.top_edges; ++at) {
      if (discovered[edges[at]] == 0) break;
      const RiskEdge& edge = graph.edge(edges[at]);
      link.top_edges.push_back({edges[at], graph.node(edge.from).code, edge.relation, graph.EdgeProbability(edges[at]),
                                discovered[edges[at]] / coverage});
    }
    link.reason = Reason(graph, link);
    report.ranking.push_back(std::move(link));
  }

  // Cut points, on the same sample with common random numbers.
  RiskGraph state = graph;
  RrEvaluator evaluator(*sample, state);
  report.expected_harm = evaluator.HarmEstimate();
  const double total = evaluator.Harm();
  std::vector<double> node_load(n, 0.0);
  std::vector<double> edge_load(graph.EdgeCount(), 0.0);
  for (std::uint64_t set_idx = 0; set_idx < sample->SetCount(); ++set_idx) {
    const double value = evaluator.Value(set_idx);
    if (value == 0) continue;
    const std::uint64_t base = sample->SetBegin(set_idx);
    const auto nodes = sample->Set(set_idx);
    for (std::size_t local = 0; local < nodes.size(); ++local) {
      node_load[nodes[local]] += value;
      for (const RrSample::LiveEdge& live : sample->LiveEdges(base + local)) edge_load[live.edge] += value;
    }
  }
  auto candidates = [](const std::vector<double>& load, std::size_t count) {
    std::vector<std::uint32_t> ids(load.size());
    std::iota(ids.begin(), ids.end(), 0U);
    count = std::min(count, ids.size());
    std::partial_sort(
        ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(count), ids.end(),
        [&](std::uint32_t a, std::uint32_t b) { return load[a] > load[b] || (load[a] == load[b] && a < b); });
    ids.resize(count);
    return ids;
  };
  for (std::uint32_t node : candidates(node_load, options.cut_candidates)) {
    if (node_load[node] == 0) continue;
    const RiskNode saved = state.node(node);
    if (saved.security >= options.hardened_level) continue;
    DV_TRY(state.SetSecurity(node, options.hardened_level));
    const double gain = evaluator.NodeGain(state, node);
    DV_TRY(state.SetSecurityLevels(node, saved.security, saved.security_by_relation));
    report.cut_nodes.push_back({false, node, saved.code, gain, total > 0 ? gain / total : 0});
  }
  for (std::uint32_t edge : candidates(edge_load, options.cut_candidates)) {
    if (edge_load[edge] == 0) continue;
    const double saved = state.EdgeProbability(edge);
    DV_TRY(state.SetEdgeProbability(edge, 0.0));
    const double gain = evaluator.EdgeGain(state, edge);
    DV_TRY(state.SetEdgeProbability(edge, saved));
    report.cut_edges.push_back({true, edge, EdgeLabel(graph, edge), gain, total > 0 ? gain / total : 0});
  }
  auto by_gain = [](const CutPoint& a, const CutPoint& b) {
    return a.harm_reduction > b.harm_reduction || (a.harm_reduction == b.harm_reduction && a.index < b.index);
  };
  std::sort(report.cut_nodes.begin(), report.cut_nodes.end(), by_gain);
  std::sort(report.cut_edges.begin(), report.cut_edges.end(), by_gain);
  if (report.cut_nodes.size() > options.cut_points) report.cut_nodes.resize(options.cut_points);
  if (report.cut_edges.size() > options.cut_points) report.cut_edges.resize(options.cut_points);
  return report;
}

}  // namespace dv::risk
