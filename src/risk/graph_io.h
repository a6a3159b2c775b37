// SPDX-License-Identifier: Apache-2.0
#pragma once

// Import and export of a RiskGraph's nodes and edges with their resolved
// inputs (docs/risk_model.md, "Exchange formats"):
//
// JSON:
//   {"format": "dannevirke-risk-graph", "version": 1,
//    "nodes": [{"code", "name", "kind", "region_code"?, "security",
//               "security_by_relation": {relation: level, …}  (only where it differs),
//               "exposure", "population", "population_derived", "critical",
//               "initial_probability" (export only)}, …],
//    "edges": [{"from", "to", "relation", "strength", "illustrative",
//               "probability" (export only)}, …]}
//
// GraphML (http://graphml.graphdrawing.org/), directed, one <node id="CODE">
// per node and one <edge source="FROM" target="TO"> per dependency (the
// dependency direction, as in dependencies.json), with <data> keys named like
// the JSON fields. Other tools' GraphML is read too: unknown keys are ignored,
// and missing node attributes take the kind defaults (kind defaults to
// "other", strength to 0.5, relation to "uses_system").
//
// The model parameters are not part of either format; the importer takes them
// as an argument. Import errors name the place (element index, node code).
// Pure functions; safe from any thread.

#include <string>
#include <string_view>

#include "core/result.h"
#include "risk/graph.h"

namespace dv::risk {

std::string GraphToJson(const RiskGraph& graph);
Result<RiskGraph> GraphFromJson(std::string_view text, const ModelParams& params = {});

std::string GraphToGraphMl(const RiskGraph& graph);
Result<RiskGraph> GraphFromGraphMl(std::string_view text, const ModelParams& params = {});

}  // namespace dv::risk
