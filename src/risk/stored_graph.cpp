// SPDX-License-Identifier: Apache-2.0
#include "risk/stored_graph.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"
#include "baseline/scoring.h"

namespace dv::risk {
namespace {

class Fnv {
 public:
  void Add(std::string_view text) {
    for (const char c : text) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 1099511628211ULL;
    }
    hash_ ^= 0xff;  // separator, so that ("ab", "c") differs from ("a", "bc")
    hash_ *= 1099511628211ULL;
  }
  void Add(double value) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    Add(std::string_view(buffer));
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 14695981039346656037ULL;
};

// Level from the share-weighted score, falling back to `fallback` for the
// part not assessed.
double Blend(double score, double share, double fallback) {
  if (share <= 0) return fallback;
  const double assessed = std::clamp(score / share, 0.0, 100.0);
  return std::clamp(share * LevelForScore(assessed) + (1 - share) * fallback, 0.0, 1.0);
}

Result<std::vector<Dependency>> StoredEdgesFrom(Store& store, std::string_view code) {
  auto views = store.ListDependencies(code, EdgeDirection::kDependencies);
  if (!views.ok()) return views.error();
  std::vector<Dependency> edges;
  edges.reserve(views->size());
  for (auto& view : *views) edges.push_back(std::move(view.edge));
  return edges;
}

// The ids (EdgeKey) of every current removal record.
Result<std::set<std::string, std::less<>>> RemovedEdgeKeys(Store& store) {
  RecordQuery query;
  query.kind = std::string(kRemovedEdgeKind);
  auto records = store.ListRecords(query);
  if (!records.ok()) return records.error();
  std::set<std::string, std::less<>> removed;
  for (const auto& record : *records) removed.insert(record.id);
  return removed;
}

// Changes whenever anything the model reads changes (see StoredGraph::version).
std::uint64_t VersionOf(const StoredGraph& graph) {
  Fnv fnv;
  for (const auto& org : graph.organisations) {
    fnv.Add(org.code);
    fnv.Add(org.name);
    fnv.Add(OrgKindName(org.kind));
    fnv.Add(org.region_code.value_or(""));
    fnv.Add(org.population ? std::to_string(*org.population) : "-");
  }
  for (const auto& edge : graph.dependencies) {
    fnv.Add(EdgeKey(edge.from, edge.to, edge.relation));
    fnv.Add(edge.strength);
    fnv.Add(edge.illustrative ? "i" : "-");
    fnv.Add(edge.note);
  }
  for (const auto& [code, input] : graph.inputs) {
    fnv.Add(code);
    fnv.Add(input.security.value_or(-1));
    for (const auto& level : input.security_by_relation) fnv.Add(level.value_or(-1));
  }
  return fnv.value();
}

}  // namespace

std::string EdgeKey(std::string_view from, std::string_view to, Relation relation) {
  return std::string(from) + ">" + std::string(to) + ">" + std::string(RelationName(relation));
}

double LevelForScore(double score) { return 0.2 + 0.75 * std::clamp(score, 0.0, 100.0) / 100.0; }

Result<StoredGraph> StoredGraphLoader::Load(Store& store) {
  StoredGraph graph;
  OrganisationQuery query;
  query.limit = Store::kMaxPageSize;
  for (;;) {
    auto page = store.ListOrganisations(query);
    if (!page.ok()) return page.error();
    for (auto& org : page->items) graph.organisations.push_back(std::move(org));
    query.offset += static_cast<int>(page->items.size());
    if (page->items.empty() || query.offset >= page->total) break;
  }
  if (graph.organisations.empty()) {
    return Error::NotFound("the database holds no organisations (load some with `dannevirke federation load`)");
  }

  auto removed = RemovedEdgeKeys(store);
  if (!removed.ok()) return removed.error();

  // Every edge in one read (a round trip per organisation costs on a
  // database server), then in the organisations' order as before.
  auto all_edges = store.ListAllDependencies();
  if (!all_edges.ok()) return all_edges.error();
  std::map<std::string, std::vector<Dependency>, std::less<>> edges_from;
  for (auto& edge : *all_edges) edges_from[edge.from].push_back(std::move(edge));
  for (const auto& org : graph.organisations) {
    const auto edges = edges_from.find(org.code);
    if (edges == edges_from.end()) continue;
    for (auto& edge : edges->second) {
      if (removed->count(EdgeKey(edge.from, edge.to, edge.relation))) {
        ++graph.removed_edges;
        continue;
      }
      graph.dependencies.push_back(std::move(edge));
    }
  }

  RecordQuery assessment_query;
  assessment_query.kind = std::string(baseline::kAssessmentRecordKind);
  auto assessments = store.ListRecords(assessment_query);
  if (!assessments.ok()) return assessments.error();
  if (!assessments->empty()) {
    auto catalogue = baseline::BuiltinCatalogue();
    if (!catalogue.ok()) return catalogue.error();
    const ModelParams defaults;
    std::map<std::string, OrgKind, std::less<>> kinds;
    for (const auto& org : graph.organisations) kinds.emplace(org.code, org.kind);
    std::lock_guard lock(mutex_);
    for (const auto& record : *assessments) {
      const auto kind = kinds.find(record.id);
      if (kind == kinds.end()) continue;  // an assessment whose id is not an organisation code
      auto cached = assessments_.find(record.id);
      if (cached == assessments_.end() || cached->second.version != record.version) {
        CachedInput entry;
        entry.version = record.version;
        auto parsed = baseline::ParseAssessmentJson(record.body, **catalogue, "baseline.assessment " + record.id);
        if (parsed.ok()) {
          const baseline::Scorecard card = baseline::Score(**catalogue, *parsed);
          if (card.overall) {
            const double fallback = defaults.kind_defaults[KindIndex(kind->second)].security;
            const double share = card.assessed_share;
            entry.readable = true;
            entry.score = *card.overall;
            entry.input.security = Blend(*card.overall, share, fallback);
            auto letter = [&](char c) { return card.nis2[static_cast<std::size_t>(c - 'a')].coverage; };
            if (const auto supply = letter('d')) {
              entry.input.security_by_relation[RelationIndex(Relation::kSuppliedBy)] = Blend(*supply, share, fallback);
            }
            const auto access = letter('i');
            const auto mfa = letter('j');
            if (access || mfa) {
              const double lower = std::min(access.value_or(100.0), mfa.value_or(100.0));
              const double level = Blend(lower, share, fallback);
              entry.input.security_by_relation[RelationIndex(Relation::kSharedAdminAccess)] = level;
              entry.input.security_by_relation[RelationIndex(Relation::kRemoteAccess)] = level;
            }
          }
        }
        cached = assessments_.insert_or_assign(record.id, std::move(entry)).first;
      }
      if (!cached->second.readable) {
        ++graph.unreadable_assessments;
        continue;
      }
      graph.inputs.emplace(record.id, cached->second.input);
      graph.baseline_scores.emplace(record.id, cached->second.score);
    }
  }

  graph.version = VersionOf(graph);
  return graph;
}

StoredGraph WithheldView(const StoredGraph& graph, const std::function<bool(std::string_view)>& visible) {
  StoredGraph view = graph;
  for (auto it = view.inputs.begin(); it != view.inputs.end();) {
    if (visible(it->first)) {
      ++it;
      continue;
    }
    view.baseline_scores.erase(it->first);
    it = view.inputs.erase(it);
    ++view.withheld_baselines;
  }
  view.version = VersionOf(view);
  return view;
}

Result<std::vector<DependencyView>> CurrentDependencies(Store& store, std::string_view code, EdgeDirection direction) {
  auto views = store.ListDependencies(code, direction);
  if (!views.ok()) return views.error();
  auto removed = RemovedEdgeKeys(store);
  if (!removed.ok()) return removed.error();
  std::vector<DependencyView> current;
  current.reserve(views->size());
  for (auto& view : *views) {
    if (!removed->count(EdgeKey(view.edge.from, view.edge.to, view.edge.relation))) current.push_back(std::move(view));
  }
  return current;
}

Result<RiskGraph> BuildRiskGraph(const StoredGraph& graph, const ModelParams& params) {
  return RiskGraph::Build(graph.organisations, graph.dependencies, params, graph.inputs);
}

Result<Dependency> FindStoredEdge(Store& store, std::string_view from, std::string_view to, Relation relation) {
  auto edges = StoredEdgesFrom(store, from);
  if (!edges.ok()) return edges.error();
  for (auto& edge : *edges) {
    if (edge.to == to && edge.relation == relation) return std::move(edge);
  }
  return Error::NotFound("no dependency " + EdgeKey(from, to, relation));
}

Result<bool> IsRemoved(Store& store, std::string_view from, std::string_view to, Relation relation) {
  auto record = store.GetRecord(kRemovedEdgeKind, EdgeKey(from, to, relation));
  if (record.ok()) return true;
  if (record.error().kind() == ErrorKind::kNotFound) return false;
  return record.error();
}

Status RemoveEdge(Store& store, const Dependency& edge, std::string_view actor) {
  return store.InTransaction([&]() -> Status {
    auto stored = FindStoredEdge(store, edge.from, edge.to, edge.relation);
    if (!stored.ok()) return stored.error();
    auto removed = IsRemoved(store, edge.from, edge.to, edge.relation);
    if (!removed.ok()) return removed.error();
    if (*removed)
      return Error::NotFound("dependency " + EdgeKey(edge.from, edge.to, edge.relation) + " is already removed");
    nlohmann::json body = {{"from", stored->from},
                           {"to", stored->to},
                           {"relation", RelationName(stored->relation)},
                           {"strength", stored->strength},
                           {"illustrative", stored->illustrative},
                           {"note", stored->note}};
    RecordWrite write;
    write.kind = std::string(kRemovedEdgeKind);
    write.id = EdgeKey(edge.from, edge.to, edge.relation);
    write.org_code = stored->from;
    write.body = body.dump();
    auto put = store.PutRecord(write, actor);
    if (!put.ok()) return put.error();
    return Ok();
  });
}

Result<bool> RestoreEdge(Store& store, const Dependency& edge, std::string_view actor) {
  bool created = false;
  const Status status = store.InTransaction([&]() -> Status {
    auto removed = IsRemoved(store, edge.from, edge.to, edge.relation);
    if (!removed.ok()) return removed.error();
    auto stored = FindStoredEdge(store, edge.from, edge.to, edge.relation);
    if (!stored.ok() && stored.error().kind() != ErrorKind::kNotFound) return stored.error();
    created = *removed || !stored.ok();
    DV_TRY(store.UpsertDependency(edge, actor));
    if (*removed) {
      auto deleted = store.DeleteRecord(kRemovedEdgeKind, EdgeKey(edge.from, edge.to, edge.relation), actor);
      if (!deleted.ok()) return deleted.error();
    }
    return Ok();
  });
  if (!status.ok()) return status.error();
  return created;
}

}  // namespace dv::risk
