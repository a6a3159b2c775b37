// SPDX-License-Identifier: Apache-2.0
// `dannevirke risk`: the contagion model of docs/risk_model.md on the
// federation's graph — weakest links, simulation, investment planning and
// export. The graph comes from a database (--db) or the built-in demo
// federation; the threat picture can be set per actor type.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "federation/federation.h"
#include "risk/graph.h"
#include "risk/graph_io.h"
#include "risk/plan.h"
#include "risk/report_json.h"
#include "risk/simulate.h"
#include "risk/stored_graph.h"
#include "risk/weakest.h"
#include "store/store.h"

namespace dv::cli {
namespace {

// Options shared by every risk sub-command: where the graph comes from and
// the threat picture (empty level = the library's default).
struct GraphOptions {
  std::string db;  // empty = the built-in demo federation
  std::array<std::string, risk::kThreatActorCount> levels;
  unsigned threads = 0;
};

struct WeakestCommandOptions {
  GraphOptions graph;
  std::size_t top = 10;
  std::uint64_t samples = 50000;
  std::uint64_t seed = 1;
  bool json = false;
};

struct SimulateCommandOptions {
  GraphOptions graph;
  std::vector<std::string> from;
  bool random = false;
  bool threat_picture = false;
  std::uint64_t runs = 10000;
  std::uint64_t seed = 1;
  std::string model = "cascade";
  std::size_t top = 10;
  bool json = false;
};

struct PlanCommandOptions {
  GraphOptions graph;
  std::string budget;
  std::uint64_t samples = 50000;
  std::uint64_t runs = 20000;
  std::uint64_t seed = 1;
  bool json = false;
};

struct ExportCommandOptions {
  GraphOptions graph;
  std::string format = "json";
};

// The graph in the store (risk/stored_graph.h: removed edges left out,
// baseline scores as security levels) or the built-in demo federation.
Result<risk::RiskGraph> LoadGraph(const GraphOptions& options) {
  risk::ModelParams params;
  for (std::size_t actor = 0; actor < risk::kThreatActorCount; ++actor) {
    if (options.levels[actor].empty()) continue;
    auto level = risk::ParseThreatLevel(options.levels[actor]);
    if (!level.ok()) return level.error();
    params.threat.levels[actor] = *level;
  }
  if (options.db.empty()) {
    auto data = LoadDemoFederation();
    if (!data.ok()) return data.error();
    return risk::RiskGraph::Build(data->organisations, data->dependencies, params);
  }
  auto store = Store::Open(options.db);
  if (!store.ok()) return store.error();
  risk::StoredGraphLoader loader;
  auto stored = loader.Load(**store);
  if (!stored.ok()) {
    if (stored.error().kind() == ErrorKind::kNotFound) {
      return Error::NotFound(options.db + " holds no organisations (load some with `dannevirke federation load`)");
    }
    return stored.error();
  }
  return risk::BuildRiskGraph(*stored, params);
}

void AddGraphOptions(CLI::App& cmd, GraphOptions& options, bool threat) {
  cmd.add_option("--db", options.db, "Database URL (sqlite:PATH); default: the built-in demo federation");
  if (!threat) return;
  static const std::vector<std::string> kLevels = {"none", "low", "medium", "high", "very_high"};
  const char* defaults[] = {"very_high", "very_high", "high", "medium"};
  for (std::size_t actor = 0; actor < risk::kThreatActorCount; ++actor) {
    const std::string name(risk::ThreatActorName(static_cast<risk::ThreatActor>(actor)));
    cmd.add_option("--" + name, options.levels[actor],
                   "Threat level of " + name + " actors (default " + defaults[actor] + ", the national assessment)")
        ->check(CLI::IsMember(kLevels));
  }
  cmd.add_option("--threads", options.threads, "Worker threads (default: one per core; results do not depend on it)");
}

std::string Number(double value, int decimals = 0) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  // Thousands separators on the integer part, for reading large populations.
  const auto point = text.find('.');
  std::size_t end = point == std::string::npos ? text.size() : point;
  const std::size_t start = (!text.empty() && text[0] == '-') ? 1 : 0;
  while (end > start + 3) {
    end -= 3;
    text.insert(end, ",");
  }
  return text;
}

std::string Interval(const risk::Estimate& estimate, int decimals = 0) {
  return Number(estimate.mean, decimals) + " [" + Number(estimate.low, decimals) + ", " +
         Number(estimate.high, decimals) + "]";
}

// ---- weakest ----

int Weakest(const WeakestCommandOptions& options) {
  if (options.samples == 0) {
    std::cerr << "dannevirke: --samples must be at least 1\n";
    return 1;
  }
  auto graph = LoadGraph(options.graph);
  if (!graph.ok()) {
    std::cerr << "dannevirke: " << graph.error().ToString() << "\n";
    return 1;
  }
  risk::WeakestOptions weakest;
  weakest.rr_sets = options.samples;
  weakest.seed = options.seed;
  weakest.threads = options.graph.threads;
  weakest.top = options.top;
  auto report = risk::WeakestLinks(*graph, weakest);
  if (!report.ok()) {
    std::cerr << "dannevirke: " << report.error().ToString() << "\n";
    return 1;
  }
  if (options.json) {
    std::cout << risk::WeakestJson(*graph, *report, options.seed).dump(2) << "\n";
    return 0;
  }
  std::cout << "Weakest links of " << graph->NodeCount() << " organisations and " << graph->EdgeCount()
            << " dependencies (" << report->rr_sets << " samples, seed " << options.seed << ").\n"
            << "Expected national harm under the threat picture: " << Interval(report->expected_harm)
            << " resident-services per year (95 % interval).\n\n"
            << "Score = likelihood of compromise × population served by those it reaches.\n";
  int rank = 0;
  for (const auto& link : report->ranking) {
    std::cout << "\n"
              << ++rank << ". " << link.code << "  " << link.name << " (" << OrgKindName(link.kind) << ")\n"
              << "   score " << Interval(link.score) << ", likelihood " << Number(100 * link.likelihood, 1)
              << " %, harm if compromised " << Interval(link.harm) << ", organisations reached "
              << Interval(link.members, 1) << "\n"
              << "   " << link.reason << "\n";
  }
  auto print_cuts = [](const char* title, const std::vector<risk::CutPoint>& points) {
    if (points.empty()) return;
    std::cout << "\n" << title << "\n";
    for (const auto& point : points) {
      std::cout << "  " << point.label << ": −" << Number(point.harm_reduction) << " (" << Number(100 * point.share, 1)
                << " % of the expected harm)\n";
    }
  };
  print_cuts("Cut points: raising one organisation's security to 0.9 lowers the expected harm by", report->cut_nodes);
  print_cuts("Cut points: removing one coupling lowers the expected harm by", report->cut_edges);
  return 0;
}

// ---- simulate ----

int SimulateCommand(const SimulateCommandOptions& options) {
  const int chosen = (options.from.empty() ? 0 : 1) + (options.random ? 1 : 0) + (options.threat_picture ? 1 : 0);
  if (chosen != 1) {
    std::cerr << "dannevirke: choose exactly one scenario: --from CODE, --random or --threat-picture\n";
    return 2;
  }
  if (options.runs == 0) {
    std::cerr << "dannevirke: --runs must be at least 1\n";
    return 1;
  }
  auto graph = LoadGraph(options.graph);
  if (!graph.ok()) {
    std::cerr << "dannevirke: " << graph.error().ToString() << "\n";
    return 1;
  }
  const risk::Scenario scenario = !options.from.empty() ? risk::Scenario::Nodes(options.from)
                                  : options.random      ? risk::Scenario::RandomNode()
                                                        : risk::Scenario::ThreatPicture();
  const std::string scenario_name = !options.from.empty() ? "nodes" : options.random ? "random" : "threat_picture";
  risk::SimulationOptions simulation;
  simulation.runs = options.runs;
  simulation.seed = options.seed;
  simulation.threads = options.graph.threads;
  simulation.model =
      options.model == "threshold" ? risk::SpreadModel::kLinearThreshold : risk::SpreadModel::kIndependentCascade;
  auto result = risk::Simulate(*graph, scenario, simulation);
  if (!result.ok()) {
    std::cerr << "dannevirke: " << result.error().ToString() << "\n";
    return 1;
  }
  if (options.json) {
    std::cout << risk::SimulationJson(*graph, *result, scenario_name, options.from, options.model, options.seed,
                                      options.top)
                     .dump(2)
              << "\n";
    return 0;
  }
  // The organisations most often hit, highest first (ties: graph order).
  std::vector<std::uint32_t> order(graph->NodeCount());
  for (std::uint32_t node = 0; node < order.size(); ++node) order[node] = node;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return result->hit_probability[a] > result->hit_probability[b];
  });
  if (order.size() > options.top) order.resize(options.top);
  std::cout << "Scenario: ";
  if (!options.from.empty()) {
    for (std::size_t seed_idx = 0; seed_idx < options.from.size(); ++seed_idx) {
      std::cout << (seed_idx > 0 ? ", " : "") << options.from[seed_idx];
    }
    std::cout << " compromised";
  } else {
    std::cout << (options.random ? "one organisation at random per run" : "the threat picture for one year");
  }
  std::cout << "; " << (options.model == "threshold" ? "linear threshold" : "independent cascade") << " model, "
            << result->runs << " runs, seed " << options.seed << ".\n\n"
            << "Expected (95 % interval):\n"
            << "  organisations hit           " << Interval(result->members_hit, 1) << "\n"
            << "  population served affected  " << Interval(result->population_affected) << "\n"
            << "  critical services hit       " << Interval(result->critical_hit, 2) << "\n\n"
            << "Tail:                         VaR95        CVaR95       VaR99        CVaR99\n";
  auto tail_row = [](const char* label, const risk::TailRisk& tail) {
    char line[160];
    std::snprintf(line, sizeof line, "  %-28s%-13s%-13s%-13s%s\n", label, Number(tail.var95).c_str(),
                  Number(tail.cvar95).c_str(), Number(tail.var99).c_str(), Number(tail.cvar99).c_str());
    std::cout << line;
  };
  tail_row("organisations hit", result->members_tail);
  tail_row("population served affected", result->population_tail);
  std::cout << "\nMost often hit:\n";
  for (const std::uint32_t node : order) {
    char percent[16];
    std::snprintf(percent, sizeof percent, "%5.1f %%", 100 * result->hit_probability[node]);
    std::cout << "  " << percent << "  " << graph->node(node).code << "  " << graph->node(node).name << "\n";
  }
  return 0;
}

// ---- plan ----

// Kroner: digits with an optional fraction or exponent ("50000000", "5e7").
std::optional<double> ParseKroner(const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !(value > 0) || value > 1e13) return std::nullopt;
  return value;
}

int Plan(const PlanCommandOptions& options) {
  const auto budget = ParseKroner(options.budget);
  if (!budget) {
    std::cerr << "dannevirke: --budget '" << options.budget
              << "' is not an amount in kroner (a positive number, e.g. 50000000)\n";
    return 1;
  }
  if (options.samples == 0 || options.runs == 0) {
    std::cerr << "dannevirke: --samples and --runs must be at least 1\n";
    return 1;
  }
  auto graph = LoadGraph(options.graph);
  if (!graph.ok()) {
    std::cerr << "dannevirke: " << graph.error().ToString() << "\n";
    return 1;
  }
  risk::PlanOptions plan;
  plan.budget_kr = *budget;
  plan.rr_sets = options.samples;
  plan.simulation_runs = options.runs;
  plan.seed = options.seed;
  plan.threads = options.graph.threads;
  auto report = risk::PlanInvestments(*graph, {}, plan);
  if (!report.ok()) {
    std::cerr << "dannevirke: " << report.error().ToString() << "\n";
    return 1;
  }
  const double before = report->simulated_harm_before.mean;
  auto change = [before](double harm) { return before > 0 ? 100 * (harm - before) / before : 0.0; };
  if (options.json) {
    std::cout << risk::PlanJson(*report, options.seed).dump(2) << "\n";
    return 0;
  }
  std::cout << "Investment plan for " << Number(report->budget_kr) << " kr (seed " << options.seed << ").\n"
            << "Expected national harm now: " << Interval(report->simulated_harm_before)
            << " resident-services per year (re-simulated, 95 % interval).\n\n"
            << "Strategy              Spent (kr)      Harm after (95 % interval)                 Change\n";
  for (const auto& strategy : report->strategies) {
    char line[200];
    std::snprintf(line, sizeof line, "%-22s%-16s%-43s%+.1f %%\n",
                  std::string(risk::StrategyName(strategy.strategy)).c_str(), Number(strategy.spent_kr).c_str(),
                  Interval(strategy.simulated_harm).c_str(), change(strategy.simulated_harm.mean));
    std::cout << line;
  }
  if (!report->strategies.empty()) {
    const auto& greedy = report->strategies.front();
    std::cout << "\nThe " << risk::StrategyName(greedy.strategy) << " plan buys, in order:\n";
    for (const auto& investment : greedy.investments) {
      std::cout << "  " << investment.code << "  " << investment.name << ": security "
                << Number(investment.from_level, 2) << " → " << Number(investment.to_level, 2) << " for "
                << Number(investment.cost_kr) << " kr\n";
    }
    std::cout << "\nHarm against budget (" << risk::StrategyName(greedy.strategy) << ", on the sample):\n";
    for (const auto& point : greedy.curve) {
      std::cout << "  " << Number(point.budget_kr) << " kr → " << Number(point.estimated_harm) << "\n";
    }
  }
  return 0;
}

// ---- export ----

int Export(const ExportCommandOptions& options) {
  auto graph = LoadGraph(options.graph);
  if (!graph.ok()) {
    std::cerr << "dannevirke: " << graph.error().ToString() << "\n";
    return 1;
  }
  std::cout << (options.format == "graphml" ? risk::GraphToGraphMl(*graph) : risk::GraphToJson(*graph));
  return 0;
}

}  // namespace

void AddRiskCommands(CLI::App& app, int* exit_code) {
  CLI::App* risk_cmd = app.add_subcommand(
      "risk",
      "The contagion model on the federation's dependency graph (docs/risk_model.md): which organisations are the "
      "weakest links, how far a compromise spreads, and where money lowers national risk most.");
  risk_cmd->require_subcommand(1);

  auto weakest = std::make_shared<WeakestCommandOptions>();
  CLI::App* weakest_cmd = risk_cmd->add_subcommand(
      "weakest",
      "Rank organisations by likelihood of compromise × population served by those their compromise reaches, "
      "with 95 % intervals and the reasons, and list the cut points: the organisations and couplings whose "
      "hardening lowers the expected national harm most.");
  AddGraphOptions(*weakest_cmd, weakest->graph, true);
  weakest_cmd->add_option("--top", weakest->top, "Organisations in the ranking (0 = all)")->capture_default_str();
  weakest_cmd->add_option("--samples", weakest->samples, "Reverse-reachable sets drawn")->capture_default_str();
  weakest_cmd->add_option("--seed", weakest->seed, "Random seed; the same seed gives the same report")
      ->capture_default_str();
  weakest_cmd->add_flag("--json", weakest->json, "Print the report as JSON");
  weakest_cmd->callback([weakest, exit_code] { *exit_code = Weakest(*weakest); });

  auto simulate = std::make_shared<SimulateCommandOptions>();
  CLI::App* simulate_cmd = risk_cmd->add_subcommand(
      "simulate",
      "Monte Carlo simulation of how a compromise spreads: expected organisations hit, population served affected "
      "and critical services hit with 95 % intervals, and the tail (VaR and CVaR at 95 % and 99 %). Choose one "
      "scenario: --from CODE, --random or --threat-picture.");
  AddGraphOptions(*simulate_cmd, simulate->graph, true);
  simulate_cmd->add_option("--from", simulate->from, "Organisation code compromised at the start (repeatable)");
  simulate_cmd->add_flag("--random", simulate->random, "One organisation, uniformly at random, per run");
  simulate_cmd->add_flag("--threat-picture", simulate->threat_picture,
                         "Every organisation independently, with its likelihood under the threat picture");
  simulate_cmd->add_option("--runs", simulate->runs, "Monte Carlo runs")->capture_default_str();
  simulate_cmd->add_option("--seed", simulate->seed, "Random seed; the same seed gives the same result")
      ->capture_default_str();
  simulate_cmd
      ->add_option("--model", simulate->model,
                   "cascade (independent cascade: each edge one chance) or threshold (linear threshold, for service "
                   "dependencies)")
      ->check(CLI::IsMember({"cascade", "threshold"}))
      ->capture_default_str();
  simulate_cmd->add_option("--top", simulate->top, "Organisations listed as most often hit")->capture_default_str();
  simulate_cmd->add_flag("--json", simulate->json, "Print the result as JSON");
  simulate_cmd->callback([simulate, exit_code] { *exit_code = SimulateCommand(*simulate); });

  auto plan = std::make_shared<PlanCommandOptions>();
  CLI::App* plan_cmd = risk_cmd->add_subcommand(
      "plan",
      "Spend a budget on security improvements where they lower the expected national harm most (greedy on "
      "harm reduction per krone), compared with three obvious strategies (largest municipalities first, lowest "
      "level first, spread evenly); every plan is re-simulated. Prints the harm-against-budget curve.");
  AddGraphOptions(*plan_cmd, plan->graph, true);
  plan_cmd->add_option("--budget", plan->budget, "Budget in kroner, e.g. 50000000")->required();
  plan_cmd->add_option("--samples", plan->samples, "Reverse-reachable sets drawn")->capture_default_str();
  plan_cmd->add_option("--runs", plan->runs, "Monte Carlo runs to re-simulate each plan")->capture_default_str();
  plan_cmd->add_option("--seed", plan->seed, "Random seed; the same seed gives the same plan")->capture_default_str();
  plan_cmd->add_flag("--json", plan->json, "Print the report as JSON");
  plan_cmd->callback([plan, exit_code] { *exit_code = Plan(*plan); });

  auto export_options = std::make_shared<ExportCommandOptions>();
  CLI::App* export_cmd = risk_cmd->add_subcommand(
      "export",
      "Print the risk graph (organisations with their resolved inputs, dependencies with their spread "
      "probabilities) as JSON or GraphML for other tools; docs/risk_model.md describes both formats.");
  AddGraphOptions(*export_cmd, export_options->graph, true);
  export_cmd->add_option("--format", export_options->format, "json or graphml")
      ->check(CLI::IsMember({"json", "graphml"}))
      ->capture_default_str();
  export_cmd->callback([export_options, exit_code] { *exit_code = Export(*export_options); });
}

}  // namespace dv::cli
