// SPDX-License-Identifier: Apache-2.0
#pragma once

// The risk graph of what a Store holds: its organisations and dependency
// edges, minus the edges removed through the risk API, with each member's
// security level taken from its stored baseline assessment where there is
// one (docs/risk_model.md, "Where the inputs come from"). Used by the hub's
// risk API and by `dannevirke risk --db`. Lives beside dv_risk in its own
// library (dv_risk_store) so that the model itself stays free of I/O.
//
// Removed edges. The store keeps edges keyed by (from, to, relation) and has
// no deletion for them, so a removal is recorded as a member record of kind
// kRemovedEdgeKind (id "FROM>TO>relation", owned by the dependent `from`,
// audited by the store like every record). An edge with such a record is
// left out of the graph; writing the edge again through RestoreEdge (or the
// API) deletes the record. An edge re-loaded by other means (`federation
// load`) stays hidden until it is written through the API.
//
// Security levels from baselines (record kind baseline::kAssessmentRecordKind, id = the
// organisation's code, body = the assessment JSON of docs/baseline.md):
//
//   level(score) = 0.2 + 0.75 × score / 100           (score 0 → 0.2, 100 → 0.95)
//   security     = share × level(overall / share) + (1 − share) × kind default
//
// where `share` is the assessed share of the catalogue, so the part not yet
// assessed keeps the kind's default instead of counting as missing. The
// per-relation levels for supplied_by come from NIS2 Art. 21(2)(d) (supply
// chain), those for shared_admin_access and remote_access from the lower of
// (i) (access control) and (j) (multi-factor authentication), with the same
// formula. An assessment that does not parse is skipped and counted.
//
// Thread-safe: a StoredGraphLoader may be used from many threads at once.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.h"
#include "core/result.h"
#include "risk/graph.h"
#include "store/store.h"

namespace dv::risk {

inline constexpr std::string_view kRemovedEdgeKind = "risk.edge.removed";

// "FROM>TO>relation": the id of an edge's removal record.
std::string EdgeKey(std::string_view from, std::string_view to, Relation relation);

struct StoredGraph {
  std::vector<Organisation> organisations;  // by code
  std::vector<Dependency> dependencies;     // without removed edges
  // From baseline assessments, by organisation code.
  std::map<std::string, NodeInput, std::less<>> inputs;
  // For each code in `inputs`: the baseline score (0–100) it came from.
  std::map<std::string, double, std::less<>> baseline_scores;
  std::size_t removed_edges = 0;
  std::size_t unreadable_assessments = 0;  // skipped
  std::size_t withheld_baselines = 0;      // dropped by WithheldView
  // Changes whenever anything above changes (FNV-1a over a canonical form);
  // caches key their results by it.
  std::uint64_t version = 0;
};

// The security level for a baseline score (0–100), per the formula above.
double LevelForScore(double score);

class StoredGraphLoader {
 public:
  // Reads every organisation, edge, removal record and assessment. kNotFound
  // when the store holds no organisations.
  Result<StoredGraph> Load(Store& store);

 private:
  struct CachedInput {
    std::int64_t version = 0;
    bool readable = false;
    NodeInput input;
    double score = 0;
  };
  std::mutex mutex_;
  std::map<std::string, CachedInput, std::less<>> assessments_;  // by record id
};

// The graph as a reader sees it who may see only the baselines for which
// `visible(code)` is true: every other organisation's baseline input and
// score are dropped (so it takes its kind's default level), counted in
// `withheld_baselines`, and `version` is recomputed over what is left. An
// analysis of the view, and its version, therefore depend on no withheld
// baseline; with nothing withheld the view equals `graph`, version included.
StoredGraph WithheldView(const StoredGraph& graph, const std::function<bool(std::string_view)>& visible);

// Builds the RiskGraph of `graph` under `params`.
Result<RiskGraph> BuildRiskGraph(const StoredGraph& graph, const ModelParams& params);

// The edges of `code` in `direction` (Store::ListDependencies) without the
// removed ones: the same edges Load() puts in the graph.
Result<std::vector<DependencyView>> CurrentDependencies(Store& store, std::string_view code, EdgeDirection direction);

// Records the removal of the edge (from, to, relation) as `actor`, audited.
// kNotFound when the store has no such edge or it is already removed.
Status RemoveEdge(Store& store, const Dependency& edge, std::string_view actor);
// Writes the edge (Store::UpsertDependency, audited) and drops its removal
// record if there is one. Returns true when the edge was new to the graph
// (absent or removed before).
Result<bool> RestoreEdge(Store& store, const Dependency& edge, std::string_view actor);
// The stored edge (from, to, relation), whether or not it is removed;
// kNotFound when the store has none.
Result<Dependency> FindStoredEdge(Store& store, std::string_view from, std::string_view to, Relation relation);
// True when the edge has a current removal record.
Result<bool> IsRemoved(Store& store, std::string_view from, std::string_view to, Relation relation);

}  // namespace dv::risk
