// SPDX-License-Identifier: Apache-2.0
// dv_risk_bench: the risk subsystem's speed, with peers from the same run.
//
//  1. The demo federation: `weakest` (reverse-reachable sampling) and `plan`
//     (budget 50,000,000 kr), printed with their intervals; beside it, the
//     straightforward computation (ours): plain Monte Carlo from every node.
//  2. A synthetic graph of 100,000 nodes and 1,000,000 edges: `weakest`, a
//     threat-picture simulation, and the straightforward per-node Monte
//     Carlo timed on a subset and extrapolated (labelled as such).
//  3. igraph (if built with it): PageRank on the same graphs, a graph measure
//     for scale, not the same computation.
//
//   dv_risk_bench [--threads N] [--rr-sets N] [--skip-synthetic]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "federation/federation.h"
#include "risk/graph.h"
#include "risk/plan.h"
#include "risk/rr_sample.h"
#include "risk/simulate.h"
#include "risk/weakest.h"

#ifdef DV_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;
using dv::risk::RiskGraph;
double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

std::string Kr(double kr) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f M kr", kr / 1e6);
  return buffer;
}

std::string Interval(const dv::risk::Estimate& estimate, double scale = 1.0, const char* format = "%.0f") {
  char mean[48], low[48], high[48];
  std::snprintf(mean, sizeof mean, format, estimate.mean / scale);
  std::snprintf(low, sizeof low, format, estimate.low / scale);
  std::snprintf(high, sizeof high, format, estimate.high / scale);
  return std::string(mean) + " [" + low + ", " + high + "]";
}

void Fail(const dv::Error& error) {
  std::fprintf(stderr, "dv_risk_bench: %s\n", error.ToString().c_str());
  std::exit(1);
}

#ifdef DV_HAVE_IGRAPH
// PageRank on the dependency direction (what many depend on ranks high),
// weighted by spread probability. Returns the seconds taken.
double IgraphPageRank(const RiskGraph& graph, std::vector<double>& rank) {
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, static_cast<igraph_integer_t>(2 * graph.EdgeCount()));
  igraph_vector_t weights;
  igraph_vector_init(&weights, static_cast<igraph_integer_t>(graph.EdgeCount()));
  for (std::uint32_t edge = 0; edge < graph.EdgeCount(); ++edge) {
    VECTOR(edges)[2 * edge] = graph.edge(edge).from;
    VECTOR(edges)[2 * edge + 1] = graph.edge(edge).to;
    VECTOR(weights)[edge] = std::max(1e-9, graph.EdgeProbability(edge));
  }
  const auto start = Clock::now();
  igraph_t g;
  igraph_create(&g, &edges, static_cast<igraph_integer_t>(graph.NodeCount()), IGRAPH_DIRECTED);
  igraph_vector_t result;
  igraph_vector_init(&result, 0);
  igraph_real_t value = 0;
  igraph_pagerank(&g, IGRAPH_PAGERANK_ALGO_PRPACK, &result, &value, igraph_vss_all(), true, 0.85, &weights, nullptr);
  const double seconds = Seconds(start);
  rank.assign(graph.NodeCount(), 0.0);
  for (std::size_t node = 0; node < graph.NodeCount(); ++node) rank[node] = VECTOR(result)[node];
  igraph_vector_destroy(&result);
  igraph_destroy(&g);
  igraph_vector_destroy(&weights);
  igraph_vector_int_destroy(&edges);
  return seconds;
}
#endif

// Plain Monte Carlo from every node in `nodes`: harm(u) = mean population
// reached. Returns the harms; `examined` gets the edge checks.
std::vector<double> PlainPerNode(const RiskGraph& graph, const std::vector<std::uint32_t>& nodes, std::uint64_t runs,
                                 unsigned threads, std::uint64_t& examined) {
  std::vector<double> harm;
  examined = 0;
  for (std::uint32_t node : nodes) {
    dv::risk::SimulationOptions options;
    options.runs = runs;
    options.threads = threads;
    auto result = dv::risk::Simulate(graph, dv::risk::Scenario::Node(graph.node(node).code), options);
    if (!result.ok()) Fail(result.error());
    harm.push_back(result->population_affected.mean);
    examined += result->edges_examined;
  }
  return harm;
}

void Demo(unsigned threads, std::uint64_t rr_sets) {
  auto data = dv::LoadDemoFederation();
  if (!data.ok()) Fail(data.error());
  auto built = RiskGraph::Build(data->organisations, data->dependencies);
  if (!built.ok()) Fail(built.error());
  const RiskGraph& graph = *built;
  std::printf("== demo federation: %zu organisations, %zu edges, population served total %.0f\n", graph.NodeCount(),
              graph.EdgeCount(), graph.TotalPopulation());

  dv::risk::WeakestOptions options;
  options.rr_sets = rr_sets;
  options.threads = threads;
  auto start = Clock::now();
  auto report = dv::risk::WeakestLinks(graph, options);
  const double weakest_seconds = Seconds(start);
  if (!report.ok()) Fail(report.error());
  std::printf("weakest (ours, RR sampling): %.3f s for %llu RR sets on %u thread(s); %.2e edge checks/s/core\n",
              weakest_seconds, static_cast<unsigned long long>(report->rr_sets), threads,
              static_cast<double>(report->edges_examined) / weakest_seconds / threads);
  std::printf("expected national harm under the threat picture: %s resident-services per year\n",
              Interval(report->expected_harm).c_str());
  std::printf("%-3s %-14s %-14s %8s %26s %22s %22s\n", "#", "code", "kind", "p0", "harm if hit (residents)",
              "members if hit", "score");
  for (std::size_t rank = 0; rank < report->ranking.size(); ++rank) {
    const auto& link = report->ranking[rank];
    std::printf("%-3zu %-14s %-14s %7.1f%% %26s %22s %22s\n", rank + 1, link.code.c_str(),
                std::string(dv::OrgKindName(link.kind)).c_str(), link.likelihood * 100, Interval(link.harm).c_str(),
                Interval(link.members, 1.0, "%.1f").c_str(), Interval(link.score).c_str());
    std::printf("      %s\n", link.reason.c_str());
  }
  std::printf("cut nodes (raise to %.2f):\n", options.hardened_level);
  for (const auto& cut : report->cut_nodes) {
    std::printf("  %-40s -%.0f (%.1f %%)\n", cut.label.c_str(), cut.harm_reduction, cut.share * 100);
  }
  std::printf("cut edges (remove the coupling):\n");
  for (const auto& cut : report->cut_edges) {
    std::printf("  %-40s -%.0f (%.1f %%)\n", cut.label.c_str(), cut.harm_reduction, cut.share * 100);
  }

  // The straightforward computation: plain Monte Carlo from every node.
  std::vector<std::uint32_t> all(graph.NodeCount());
  for (std::uint32_t node = 0; node < all.size(); ++node) all[node] = node;
  const std::uint64_t plain_runs = 2000;
  std::uint64_t examined = 0;
  start = Clock::now();
  const std::vector<double> plain = PlainPerNode(graph, all, plain_runs, threads, examined);
  const double plain_seconds = Seconds(start);
  std::vector<std::uint32_t> order = all;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return graph.InitialProbability(a) * plain[a] > graph.InitialProbability(b) * plain[b];
  });
  std::size_t overlap = 0;
  for (std::size_t rank = 0; rank < 10; ++rank) {
    for (const auto& link : report->ranking) overlap += link.node == order[rank] ? 1 : 0;
  }
  std::printf(
      "straightforward (ours, plain Monte Carlo, %llu runs from each of %zu nodes): %.3f s; "
      "%.2e edge checks/s/core; top-10 overlap with RR ranking: %zu/10\n",
      static_cast<unsigned long long>(plain_runs), all.size(), plain_seconds,
      static_cast<double>(examined) / plain_seconds / threads, overlap);

#ifdef DV_HAVE_IGRAPH
  std::vector<double> pagerank;
  const double igraph_seconds = IgraphPageRank(graph, pagerank);
  std::vector<std::uint32_t> by_rank = all;
  std::stable_sort(by_rank.begin(), by_rank.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return pagerank[a] > pagerank[b]; });
  std::printf(
      "igraph %s PageRank (dependency direction, weighted by spread probability; a graph measure, not "
      "the same computation): %.4f s; top 5:",
      IGRAPH_VERSION, igraph_seconds);
  for (std::size_t rank = 0; rank < 5; ++rank) std::printf(" %s", graph.node(by_rank[rank]).code.c_str());
  std::printf("\n");
#endif

  dv::risk::PlanOptions plan_options;
  plan_options.budget_kr = 50e6;
  plan_options.rr_sets = rr_sets;
  plan_options.simulation_runs = 20000;
  plan_options.threads = threads;
  start = Clock::now();
  auto plan = dv::risk::PlanInvestments(graph, {}, plan_options);
  const double plan_seconds = Seconds(start);
  if (!plan.ok()) Fail(plan.error());
  std::printf("\nplan, budget %s (%.2f s): harm now %s (simulated, %llu runs)\n", Kr(plan->budget_kr).c_str(),
              plan_seconds, Interval(plan->simulated_harm_before).c_str(),
              static_cast<unsigned long long>(plan_options.simulation_runs));
  for (const auto& strategy : plan->strategies) {
    std::printf("  %-20s spent %-10s harm %s, members hit %s, CVaR99 %.0f\n",
                std::string(dv::risk::StrategyName(strategy.strategy)).c_str(), Kr(strategy.spent_kr).c_str(),
                Interval(strategy.simulated_harm).c_str(), Interval(strategy.simulated_members, 1.0, "%.2f").c_str(),
                strategy.simulated_tail.cvar99);
  }
  const auto& greedy = plan->strategies[0];
  std::printf("greedy investments:\n");
  for (const auto& investment : greedy.investments) {
    std::printf("  %-14s %-40s %.2f → %.2f (%.1f steps)  %-10s est. -%.0f\n", investment.code.c_str(),
                investment.name.c_str(), investment.from_level, investment.to_level, investment.steps,
                Kr(investment.cost_kr).c_str(), investment.estimated_reduction);
  }
  std::printf("harm against budget (estimate on the RR sample, million resident-services):\n  %-20s", "budget (M kr)");
  for (const auto& point : greedy.curve) std::printf("%7.0f", point.budget_kr / 1e6);
  std::printf("\n");
  for (const auto& strategy : plan->strategies) {
    std::printf("  %-20s", std::string(dv::risk::StrategyName(strategy.strategy)).c_str());
    for (const auto& point : strategy.curve) std::printf("%7.2f", point.estimated_harm / 1e6);
    std::printf("\n");
  }
}

// 100,000 nodes: 98 % members with populations, 1 % suppliers, 1 % shared
// systems; 1,000,000 edges, 30 % of them to a supplier or shared system chosen
// with a heavy tail. Security 0.7–0.95 keeps the spread subcritical, as on the
// demo federation.
RiskGraph Synthetic(std::size_t node_count, std::size_t edge_count) {
  std::mt19937_64 rng(20260101);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<dv::risk::RiskNode> nodes(node_count);
  const std::size_t hubs = node_count / 50;
  for (std::size_t node_idx = 0; node_idx < node_count; ++node_idx) {
    auto& node = nodes[node_idx];
    node.code = "S" + std::to_string(node_idx);
    node.name = node.code;
    const bool hub = node_idx < hubs;
    node.kind =
        hub ? (node_idx % 2 == 0 ? dv::OrgKind::kSupplier : dv::OrgKind::kSharedSystem) : dv::OrgKind::kMunicipality;
    node.security = 0.7 + 0.25 * unit(rng);
    node.security_by_relation.fill(node.security);
    node.exposure = hub ? 1.5 : 1.0;
    node.population = hub ? 0 : static_cast<std::int64_t>(std::exp(8.0 + 3.0 * unit(rng)));
  }
  constexpr double kStrengths[] = {0.2, 0.4, 0.6, 0.8, 0.9};
  std::vector<dv::risk::RiskEdge> edges;
  edges.reserve(edge_count);
  while (edges.size() < edge_count) {
    const auto from = static_cast<std::uint32_t>(rng() % node_count);
    std::uint32_t to = 0;
    if (unit(rng) < 0.3) {
      to = static_cast<std::uint32_t>(std::min<double>(
          static_cast<double>(hubs) - 1, std::floor(std::pow(unit(rng), 2.5) * static_cast<double>(hubs))));
    } else {
      to = static_cast<std::uint32_t>(rng() % node_count);
    }
    if (from == to) continue;
    edges.push_back(
        {from, to, static_cast<dv::Relation>(rng() % dv::risk::kRelationCount), kStrengths[rng() % 5], true});
  }
  auto graph = RiskGraph::FromParts(std::move(nodes), std::move(edges));
  if (!graph.ok()) Fail(graph.error());
  return std::move(graph).value();
}

void SyntheticBench(unsigned threads, std::uint64_t rr_sets) {
  auto start = Clock::now();
  const RiskGraph graph = Synthetic(100000, 1000000);
  std::printf("\n== synthetic: %zu nodes, %zu edges (built in %.2f s)\n", graph.NodeCount(), graph.EdgeCount(),
              Seconds(start));
  double mean_p = 0;
  for (std::uint32_t edge = 0; edge < graph.EdgeCount(); ++edge) mean_p += graph.EdgeProbability(edge);
  std::printf("mean spread probability %.3f, mean in/out degree %.1f\n",
              mean_p / static_cast<double>(graph.EdgeCount()),
              static_cast<double>(graph.EdgeCount()) / static_cast<double>(graph.NodeCount()));

  dv::risk::RrOptions rr;
  rr.sets = rr_sets;
  rr.threads = threads;
  start = Clock::now();
  auto sample = dv::risk::RrSample::Draw(graph, rr);
  const double sample_seconds = Seconds(start);
  if (!sample.ok()) Fail(sample.error());
  std::printf(
      "RR sampling alone (ours): %llu sets in %.2f s = %.0f sets/s; mean set size %.1f; %.2e edge "
      "checks/s/core\n",
      static_cast<unsigned long long>(rr_sets), sample_seconds, static_cast<double>(rr_sets) / sample_seconds,
      static_cast<double>(sample->TotalSize()) / static_cast<double>(rr_sets),
      static_cast<double>(sample->edges_examined()) / sample_seconds / threads);

  dv::risk::WeakestOptions options;
  options.rr_sets = rr_sets;
  options.threads = threads;
  start = Clock::now();
  auto report = dv::risk::WeakestLinks(graph, options);
  const double seconds = Seconds(start);
  if (!report.ok()) Fail(report.error());
  std::printf(
      "weakest (ours, RR sampling): %.2f s on %u thread(s) for 2 × %llu RR sets (%.0f sets/s); %.2e edge "
      "checks/s/core (including ranking and cut points)\n",
      seconds, threads, static_cast<unsigned long long>(report->rr_sets),
      2.0 * static_cast<double>(report->rr_sets) / seconds,
      static_cast<double>(report->edges_examined) / seconds / threads);
  std::printf("  top 3:");
  for (std::size_t rank = 0; rank < 3 && rank < report->ranking.size(); ++rank) {
    std::printf(" %s (harm %s)", report->ranking[rank].code.c_str(), Interval(report->ranking[rank].harm).c_str());
  }
  std::printf("\n");

  dv::risk::SimulationOptions simulation;
  simulation.runs = 200;
  simulation.threads = threads;
  start = Clock::now();
  auto threat = dv::risk::Simulate(graph, dv::risk::Scenario::ThreatPicture(), simulation);
  const double threat_seconds = Seconds(start);
  if (!threat.ok()) Fail(threat.error());
  std::printf(
      "simulate threat picture (ours, IC Monte Carlo): %llu runs in %.2f s = %.0f runs/s; %.2e edge "
      "checks/s/core (plus %zu seed draws per run); members hit %s\n",
      static_cast<unsigned long long>(simulation.runs), threat_seconds,
      static_cast<double>(simulation.runs) / threat_seconds,
      static_cast<double>(threat->edges_examined) / threat_seconds / threads, graph.NodeCount(),
      Interval(threat->members_hit, 1.0, "%.1f").c_str());

  // The straightforward ranking: plain Monte Carlo from every node, timed on
  // a subset and extrapolated to all nodes.
  std::vector<std::uint32_t> subset;
  for (std::uint32_t node = 0; node < graph.NodeCount(); node += 500) subset.push_back(node);
  const std::uint64_t plain_runs = 1000;
  std::uint64_t examined = 0;
  start = Clock::now();
  PlainPerNode(graph, subset, plain_runs, threads, examined);
  const double plain_seconds = Seconds(start);
  const double per_node = plain_seconds / static_cast<double>(subset.size());
  std::printf(
      "straightforward (ours, plain Monte Carlo, %llu runs per node): %zu nodes in %.2f s; %.2e edge "
      "checks/s/core; EXTRAPOLATED to all %zu nodes: %.0f s (%.1f h)\n",
      static_cast<unsigned long long>(plain_runs), subset.size(), plain_seconds,
      static_cast<double>(examined) / plain_seconds / threads, graph.NodeCount(),
      per_node * static_cast<double>(graph.NodeCount()), per_node * static_cast<double>(graph.NodeCount()) / 3600);

#ifdef DV_HAVE_IGRAPH
  std::vector<double> pagerank;
  const double igraph_seconds = IgraphPageRank(graph, pagerank);
  std::printf(
      "igraph %s PageRank (a graph measure, not the same computation; single thread): %.2f s; %.2e "
      "edges/s\n",
      IGRAPH_VERSION, igraph_seconds, static_cast<double>(graph.EdgeCount()) / igraph_seconds);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = 1;
  std::uint64_t rr_sets = 50000;
  bool synthetic = true;
  for (int arg = 1; arg < argc; ++arg) {
    if (std::strcmp(argv[arg], "--threads") == 0 && arg + 1 < argc) {
      threads = static_cast<unsigned>(std::atoi(argv[++arg]));
    } else if (std::strcmp(argv[arg], "--rr-sets") == 0 && arg + 1 < argc) {
      rr_sets = std::strtoull(argv[++arg], nullptr, 10);
    } else if (std::strcmp(argv[arg], "--skip-synthetic") == 0) {
      synthetic = false;
    } else {
      std::fprintf(stderr, "usage: dv_risk_bench [--threads N] [--rr-sets N] [--skip-synthetic]\n");
      return 2;
    }
  }
  std::printf("dv_risk_bench: %u thread(s), %u hardware threads\n", threads, std::thread::hardware_concurrency());
  Demo(threads, rr_sets);
  if (synthetic) SyntheticBench(threads, rr_sets * 2);
  return 0;
}
