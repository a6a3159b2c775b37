// SPDX-License-Identifier: Apache-2.0
#pragma once

// The risk reports as JSON, the same for `dannevirke risk … --json` and the
// hub's /api/v1/risk/… responses (src/hub/modules/risk/risk.openapi.json describes the
// fields). Pure functions; safe from any thread.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "risk/graph.h"
#include "risk/plan.h"
#include "risk/simulate.h"
#include "risk/stats.h"
#include "risk/weakest.h"

namespace dv::risk {

// {"mean", "low", "high", "samples"}
nlohmann::json EstimateJson(const Estimate& estimate);
// {"var95", "cvar95", "var99", "cvar99"}
nlohmann::json TailJson(const TailRisk& tail);
// {"crime": "very_high", …}
nlohmann::json ThreatJson(const ThreatPicture& threat);

// {"nodes", "edges", "samples", "seed", "total_population_served",
//  "expected_harm", "ranking": [...], "cut_nodes", "cut_edges"}
nlohmann::json WeakestJson(const RiskGraph& graph, const WeakestReport& report, std::uint64_t seed);

// {"scenario", "from", "model", "runs", "seed", "members_hit",
//  "population_affected", "critical_hit", "members_tail", "population_tail",
//  "most_hit": [top entries]}
nlohmann::json SimulationJson(const RiskGraph& graph, const SimulationResult& result, const std::string& scenario,
                              const std::vector<std::string>& from, const std::string& model, std::uint64_t seed,
                              std::size_t top);

// {"budget_kr", "seed", "estimated_harm_before", "simulated_harm_before",
//  "simulated_members_before", "strategies": [{"strategy", "spent_kr",
//  "estimated_harm", "simulated_harm", "simulated_members", "simulated_tail",
//  "change_percent", "investments", "curve"}]}
nlohmann::json PlanJson(const PlanReport& report, std::uint64_t seed);

}  // namespace dv::risk
