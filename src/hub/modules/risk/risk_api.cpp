// SPDX-License-Identifier: Apache-2.0
// /api/v1/graph… and /api/v1/risk…: the dependency graph of the federation
// (read, edit, import, export) and the contagion model of
// docs/risk_model.md on it — weakest links, simulation and investment plans.
//
// Access (docs/risk_model.md, "The API"):
//  - everything needs a signed-in person: members, coordinators and
//    administrators; sensors are refused (403, audited);
//  - coordinators and administrators see every edge; a member sees the edges
//    of its own organisation and those whose dependent is not a municipality
//    or region (the national systems and their suppliers). The same rule
//    filters the couplings named in risk results; notes are for coordinators
//    (hub/graph_access.h decides all of this);
//  - a baseline score, and what the model derives from it, is seen by its own
//    organisation and coordinators only (the baseline API's rule). Everyone
//    else gets the graph and every analysis computed on a view in which the
//    other members' baselines are withheld (risk::WithheldView: those members
//    take their kind's default level), so no answer — not even a ranking —
//    depends on a baseline the reader may not see. Weakest-links rankings for
//    members leave out other municipalities and regions (their place would be
//    the default's, not theirs) and give the reader its own position;
//  - analyses (weakest, simulate, plan) that are not cached run through a
//    bounded AnalysisQueue: one per organisation at a time (429), a short
//    queue (503), and parameter caps for everyone but coordinators (400
//    naming the parameter).
//  - only coordinators and administrators change the graph; every write is
//    audited by the store, every refusal by ApiContext::Forbid.
// Results are cached per graph version (risk/stored_graph.h) and request, so
// a repeated question is answered without recomputation.

#include <httplib.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <variant>

#include "hub/analysis_queue.h"
#include "hub/api.h"
#include "hub/graph_access.h"
#include "hub/module.h"
#include "hub/router.h"
#include "risk/graph_io.h"
#include "risk/plan.h"
#include "risk/report_json.h"
#include "risk/simulate.h"
#include "risk/stored_graph.h"
#include "risk/weakest.h"

namespace dv::hub {

namespace {

constexpr std::size_t kMaxNote = 2000;
constexpr std::size_t kCacheEntries = 64;
// Threads per analysis: the AnalysisQueue runs one analysis per core but one,
// so each gets one (answers do not depend on it: risk/parallel.h).
constexpr unsigned kThreads = 1;
// Caps for members who are not coordinators: the documented defaults
// (docs/risk_model.md, "The API") are also the most they may ask for.
constexpr std::uint64_t kMemberWeakestSamples = 50000;
constexpr std::uint64_t kMemberSimulateRuns = 10000;
constexpr std::uint64_t kMemberPlanSamples = 50000;
constexpr std::uint64_t kMemberPlanRuns = 20000;
constexpr double kMemberPlanBudget = 1e9;
constexpr double kMemberMinStep = 0.05;
const std::set<std::string> kEdgeFields = {"from", "to", "relation", "strength", "note", "illustrative"};

std::string Hex(std::uint64_t value) {
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

bool IsMemberKind(OrgKind kind) { return kind == OrgKind::kMunicipality || kind == OrgKind::kRegion; }

// "baseline", "default", or "withheld" for an organisation whose baseline the
// reader may not see — which includes every other municipality and region,
// assessed or not, so that the label does not tell who has an assessment.
std::string SecuritySource(const risk::StoredGraph& full, const Principal& principal, const std::string& code,
                           OrgKind kind) {
  const bool assessed = full.baseline_scores.count(code) > 0;
  if (!CanSeeBaseline(principal, code) && (assessed || IsMemberKind(kind))) return "withheld";
  return assessed ? "baseline" : "default";
}

// Labels an entry (a graph node, a ranking entry) with its security source and
// the baseline score the reader may see (null otherwise).
void LabelSecurity(Json& entry, const risk::StoredGraph& full, const Principal& principal) {
  const std::string code = entry["code"].get<std::string>();
  auto kind = ParseOrgKind(entry["kind"].get<std::string>());
  const std::string source = SecuritySource(full, principal, code, kind.ok() ? *kind : OrgKind::kOther);
  entry["security_source"] = source;
  const auto score = full.baseline_scores.find(code);
  entry["baseline_score"] = source == "baseline" ? Json(score->second) : Json();
}

// A cap for readers who are not coordinators, named in the refusal.
Status CheckCap(const Principal& principal, const std::string& where, std::uint64_t value, std::uint64_t cap) {
  if (IsCoordinator(principal) || value <= cap) return Ok();
  return Error::InvalidArgument(where + " must be at most " + std::to_string(cap) +
                                " for members (coordinators may ask for more)");
}

// A query parameter as an unsigned number in [low, high], or `fallback`.
Result<std::uint64_t> UintParam(const httplib::Request& req, const std::string& name, std::uint64_t fallback,
                                std::uint64_t low, std::uint64_t high) {
  if (!req.has_param(name.c_str())) return fallback;
  const std::string text = req.get_param_value(name.c_str());
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return Error::InvalidArgument("query parameter '" + name + "' must be a whole number from " + std::to_string(low) +
                                  " to " + std::to_string(high) + ", not '" + text + "'");
  }
  return value;
}

// Threat levels from query parameters (GET) or a JSON object (POST); absent
// actors keep the national assessment's default.
Result<risk::ThreatPicture> ThreatFrom(const std::function<std::optional<std::string>(const std::string&)>& get,
                                       const std::string& where) {
  risk::ThreatPicture threat;
  for (std::size_t actor = 0; actor < risk::kThreatActorCount; ++actor) {
    const std::string name(risk::ThreatActorName(static_cast<risk::ThreatActor>(actor)));
    const auto text = get(name);
    if (!text) continue;
    auto level = risk::ParseThreatLevel(*text);
    if (!level.ok()) {
      return Error::InvalidArgument(where + name + "' must be one of none, low, medium, high, very_high, not '" +
                                    *text + "'");
    }
    threat.levels[actor] = *level;
  }
  return threat;
}

Result<risk::ThreatPicture> ThreatFromQuery(const httplib::Request& req) {
  return ThreatFrom(
      [&](const std::string& name) -> std::optional<std::string> {
        if (!req.has_param(name.c_str())) return std::nullopt;
        return req.get_param_value(name.c_str());
      },
      "query parameter '");
}

std::string ThreatKey(const risk::ThreatPicture& threat) {
  std::string key;
  for (const auto level : threat.levels) key += std::to_string(static_cast<int>(level));
  return key;
}

// An edge from a request body, every field checked and named.
Result<Dependency> EdgeFromJson(const Json& body, Store& store) {
  for (const auto& [name, value] : body.items()) {
    if (!kEdgeFields.count(name)) {
      return Error::InvalidArgument("request body: unknown field '" + name +
                                    "' (known: from, to, relation, strength, note, illustrative)");
    }
  }
  Dependency edge;
  for (const auto& [field, target] : {std::pair<const char*, std::string*>{"from", &edge.from}, {"to", &edge.to}}) {
    if (!body.contains(field) || !body[field].is_string()) {
      return Error::InvalidArgument(std::string("request body: field '") + field +
                                    "' is required (an organisation code)");
    }
    *target = body[field].get<std::string>();
    if (!IsValidOrgCode(*target)) {
      return Error::InvalidArgument(std::string("request body: field '") + field + "': '" + *target +
                                    "' is not an organisation code");
    }
    auto org = store.GetOrganisation(*target);
    if (!org.ok()) {
      if (org.error().kind() != ErrorKind::kNotFound) return org.error();
      return Error::InvalidArgument(std::string("request body: field '") + field + "': no organisation with code '" +
                                    *target + "'");
    }
  }
  if (edge.from == edge.to) {
    return Error::InvalidArgument("request body: field 'to': an organisation cannot depend on itself");
  }
  if (!body.contains("relation") || !body["relation"].is_string()) {
    return Error::InvalidArgument("request body: field 'relation' is required (e.g. uses_system, supplied_by)");
  }
  auto relation = ParseRelation(body["relation"].get<std::string>());
  if (!relation.ok()) {
    return Error::InvalidArgument("request body: field 'relation': '" + body["relation"].get<std::string>() +
                                  "' is not one of uses_system, supplied_by, exchanges_data_with, network_link, "
                                  "shared_admin_access, remote_access, member_of_region, coordinated_by");
  }
  edge.relation = *relation;
  if (!body.contains("strength") || !body["strength"].is_number()) {
    return Error::InvalidArgument("request body: field 'strength' is required (a number in (0, 1])");
  }
  edge.strength = body["strength"].get<double>();
  if (!(edge.strength > 0.0 && edge.strength <= 1.0)) {
    return Error::InvalidArgument("request body: field 'strength' must be in (0, 1], not " + body["strength"].dump());
  }
  if (body.contains("note")) {
    if (!body["note"].is_string()) return Error::InvalidArgument("request body: field 'note' must be a string");
    edge.note = body["note"].get<std::string>();
    if (edge.note.size() > kMaxNote) {
      return Error::InvalidArgument("request body: field 'note' must be at most " + std::to_string(kMaxNote) +
                                    " characters");
    }
  }
  if (body.contains("illustrative")) {
    if (!body["illustrative"].is_boolean()) {
      return Error::InvalidArgument("request body: field 'illustrative' must be true or false");
    }
    edge.illustrative = body["illustrative"].get<bool>();
  }
  return edge;
}

Json EdgeJson(const Dependency& edge) {
  return {{"from", edge.from},
          {"to", edge.to},
          {"relation", RelationName(edge.relation)},
          {"strength", edge.strength},
          {"illustrative", edge.illustrative},
          {"note", edge.note}};
}

class RiskApi {
 public:
  explicit RiskApi(ApiContext& context) : context_(context) {}

  void Register(Router& server) {
    auto route = [this](void (RiskApi::*handler)(const httplib::Request&, httplib::Response&, const Principal&)) {
      return [this, handler](const httplib::Request& req, httplib::Response& res) {
        context_.Authed(req, res, [&](const Principal& principal) {
          if (!CanReadGraph(principal)) return context_.Forbid(principal, req, res, "graph");
          (this->*handler)(req, res, principal);
        });
      };
    };
    server.Get("/api/v1/graph", route(&RiskApi::GetGraph));
    server.Post("/api/v1/graph/edges", route(&RiskApi::PostEdge));
    server.Put("/api/v1/graph/edges", route(&RiskApi::PutEdge));
    server.Delete(R"(/api/v1/graph/edges/([^/]+)/([^/]+)/([^/]+))", route(&RiskApi::DeleteEdge));
    server.Post("/api/v1/graph/import", route(&RiskApi::Import));
    server.Get("/api/v1/risk/weakest", route(&RiskApi::Weakest));
    server.Get("/api/v1/risk/simulate", route(&RiskApi::Simulate));
    server.Post("/api/v1/risk/plan", route(&RiskApi::Plan));
  }

 private:
  // ---- the graph ----

  void GetGraph(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"format"}); !status.ok()) return SendError(res, status.error());
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
    if (format != "json" && format != "graphml") {
      return SendError(res, Error::InvalidArgument("query parameter 'format' must be json or graphml"));
    }
    auto loaded = Load();
    if (!loaded.ok()) return SendError(res, loaded.error());
    const risk::StoredGraph stored_view = ViewFor(*loaded, principal);
    const risk::StoredGraph* stored = &stored_view;
    auto full = risk::BuildRiskGraph(*stored, {});
    if (!full.ok()) return SendError(res, full.error());
    // The caller's view: every node, the edges it may see.
    std::vector<risk::RiskEdge> edges;
    for (const auto& edge : full->edges()) {
      const auto& from = full->node(edge.from);
      if (CanSeeEdge(principal, from.code, from.kind, full->node(edge.to).code)) edges.push_back(edge);
    }
    const std::size_t hidden = full->EdgeCount() - edges.size();
    auto view = risk::RiskGraph::FromParts(full->nodes(), std::move(edges), full->params());
    if (!view.ok()) return SendError(res, view.error());
    if (format == "graphml") {
      res.status = 200;
      res.set_header("Content-Disposition", "attachment; filename=\"dannevirke-graph.graphml\"");
      return res.set_content(risk::GraphToGraphMl(*view), "application/graphml+xml");
    }
    Json graph = Json::parse(risk::GraphToJson(*view));
    std::map<std::string, const Dependency*> notes;
    for (const auto& dep : stored->dependencies) notes[risk::EdgeKey(dep.from, dep.to, dep.relation)] = &dep;
    for (auto& edge : graph["edges"]) {
      const auto relation = ParseRelation(edge["relation"].get<std::string>());
      if (!relation.ok()) continue;
      const auto it =
          notes.find(risk::EdgeKey(edge["from"].get<std::string>(), edge["to"].get<std::string>(), *relation));
      edge["note"] = !CanSeeEdgeNote(principal) ? Json() : it == notes.end() ? Json("") : Json(it->second->note);
    }
    for (auto& node : graph["nodes"]) LabelSecurity(node, *loaded, principal);
    graph["graph_version"] = Hex(stored->version);
    graph["scope"] = IsCoordinator(principal) ? "all" : "member";
    graph["hidden_edges"] = hidden;
    graph["removed_edges"] = stored->removed_edges;
    graph["unreadable_assessments"] = stored->unreadable_assessments;
    SendJson(res, 200, graph);
  }

  bool RequireCoordinator(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                          const std::string& object) {
    if (IsCoordinator(principal)) return true;
    context_.Forbid(principal, req, res, object);
    return false;
  }

  void PostEdge(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    WriteEdge(req, res, principal, false);
  }
  void PutEdge(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    WriteEdge(req, res, principal, true);
  }

  void WriteEdge(const httplib::Request& req, httplib::Response& res, const Principal& principal, bool replace) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!RequireCoordinator(req, res, principal, "graph/edges")) return;
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto edge = EdgeFromJson(*body, context_.store());
    if (!edge.ok()) return SendError(res, edge.error());
    if (!replace) {
      auto existing = risk::FindStoredEdge(context_.store(), edge->from, edge->to, edge->relation);
      auto removed = risk::IsRemoved(context_.store(), edge->from, edge->to, edge->relation);
      if (!removed.ok()) return SendError(res, removed.error());
      if (existing.ok() && !*removed) {
        return SendError(res, Error::Conflict("dependency " + risk::EdgeKey(edge->from, edge->to, edge->relation) +
                                              " exists; change it with PUT"));
      }
    }
    auto created = risk::RestoreEdge(context_.store(), *edge, ApiContext::Actor(principal));
    if (!created.ok()) return SendError(res, created.error());
    SendJson(res, *created ? 201 : 200, {{"edge", EdgeJson(*edge)}, {"created", *created}});
  }

  void DeleteEdge(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!RequireCoordinator(req, res, principal, "graph/edges")) return;
    Dependency edge;
    edge.from = req.matches[1];
    edge.to = req.matches[2];
    auto relation = ParseRelation(std::string(req.matches[3]));
    if (!relation.ok()) {
      return SendError(res, Error::InvalidArgument("path segment 'relation': '" + std::string(req.matches[3]) +
                                                   "' is not a relation (e.g. uses_system, supplied_by)"));
    }
    edge.relation = *relation;
    auto stored = risk::FindStoredEdge(context_.store(), edge.from, edge.to, edge.relation);
    if (!stored.ok()) return SendError(res, stored.error());
    if (auto status = risk::RemoveEdge(context_.store(), edge, ApiContext::Actor(principal)); !status.ok()) {
      return SendError(res, status.error());
    }
    SendJson(res, 200, {{"removed", EdgeJson(*stored)}});
  }

  void Import(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"format", "mode"}); !status.ok()) return SendError(res, status.error());
    if (!RequireCoordinator(req, res, principal, "graph/import")) return;
    const std::string mode = req.has_param("mode") ? req.get_param_value("mode") : "merge";
    if (mode != "merge" && mode != "replace") {
      return SendError(res, Error::InvalidArgument("query parameter 'mode' must be merge or replace"));
    }
    const auto first = req.body.find_first_not_of(" \t\r\n\xef\xbb\xbf");
    std::string format = req.has_param("format")                                  ? req.get_param_value("format")
                         : (first != std::string::npos && req.body[first] == '<') ? "graphml"
                                                                                  : "json";
    if (format != "json" && format != "graphml") {
      return SendError(res, Error::InvalidArgument("query parameter 'format' must be json or graphml"));
    }
    auto parsed = format == "json" ? risk::GraphFromJson(req.body) : risk::GraphFromGraphMl(req.body);
    if (!parsed.ok()) {
      return SendError(res, Error::InvalidArgument("import (" + format + "): " + parsed.error().message()));
    }
    // Notes are not part of the model's format; the JSON export carries them per edge.
    std::vector<std::string> notes(parsed->EdgeCount());
    bool has_notes = false;
    if (format == "json") {
      const Json raw = Json::parse(req.body, nullptr, false);
      if (raw.is_object() && raw.contains("edges") && raw["edges"].is_array() &&
          raw["edges"].size() == parsed->EdgeCount()) {
        for (std::size_t i = 0; i < notes.size(); ++i) {
          const Json& edge = raw["edges"][i];
          if (edge.is_object() && edge.contains("note") && edge["note"].is_string()) {
            notes[i] = edge["note"].get<std::string>();
            has_notes = true;
          }
        }
      }
    }
    auto current = Load();
    if (!current.ok()) return SendError(res, current.error());
    std::set<std::string, std::less<>> known;
    for (const auto& org : current->organisations) known.insert(org.code);
    for (std::size_t node = 0; node < parsed->NodeCount(); ++node) {
      if (!known.count(parsed->node(static_cast<std::uint32_t>(node)).code)) {
        return SendError(res, Error::InvalidArgument(
                                  "import (" + format + "): node " + std::to_string(node) + " '" +
                                  parsed->node(static_cast<std::uint32_t>(node)).code +
                                  "' is not an organisation of this hub (add it with `dannevirke federation load`)"));
      }
    }
    std::map<std::string, Dependency> existing;
    for (const auto& dep : current->dependencies) existing[risk::EdgeKey(dep.from, dep.to, dep.relation)] = dep;
    std::set<std::string> in_file;
    std::size_t created = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;
    std::size_t removed = 0;
    const std::string actor = ApiContext::Actor(principal);
    Store& store = context_.store();
    const Status status = store.InTransaction([&]() -> Status {
      for (std::uint32_t index = 0; index < parsed->EdgeCount(); ++index) {
        const risk::RiskEdge& edge = parsed->edge(index);
        Dependency dep;
        dep.from = parsed->node(edge.from).code;
        dep.to = parsed->node(edge.to).code;
        dep.relation = edge.relation;
        dep.strength = edge.strength;
        dep.illustrative = edge.illustrative;
        const std::string key = risk::EdgeKey(dep.from, dep.to, dep.relation);
        if (!in_file.insert(key).second) continue;
        const auto before = existing.find(key);
        dep.note = has_notes ? notes[index] : (before != existing.end() ? before->second.note : "");
        if (before != existing.end() && before->second == dep) {
          ++unchanged;
          continue;
        }
        auto was_new = risk::RestoreEdge(store, dep, actor);
        if (!was_new.ok()) return was_new.error().WithContext("import edges[" + std::to_string(index) + "] " + key);
        ++(*was_new ? created : updated);
      }
      if (mode == "replace") {
        for (const auto& [key, dep] : existing) {
          if (in_file.count(key)) continue;
          if (auto gone = risk::RemoveEdge(store, dep, actor); !gone.ok()) return gone.error();
          ++removed;
        }
      }
      return store.Audit(actor, "graph.import", "graph",
                         Json{{"format", format},
                              {"mode", mode},
                              {"edges", parsed->EdgeCount()},
                              {"created", created},
                              {"updated", updated},
                              {"unchanged", unchanged},
                              {"removed", removed}}
                             .dump());
    });
    if (!status.ok()) return SendError(res, status.error());
    SendJson(res, 200,
             {{"format", format},
              {"mode", mode},
              {"edges", parsed->EdgeCount()},
              {"created", created},
              {"updated", updated},
              {"unchanged", unchanged},
              {"removed", removed}});
  }

  // ---- risk ----

  void Weakest(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"top", "runs", "seed", "crime", "espionage", "activism", "destructive"});
        !status.ok()) {
      return SendError(res, status.error());
    }
    auto top = UintParam(req, "top", 10, 0, 1000);
    if (!top.ok()) return SendError(res, top.error());
    auto runs = UintParam(req, "runs", 50000, 1000, 500000);
    if (!runs.ok()) return SendError(res, runs.error());
    if (auto cap = CheckCap(principal, "query parameter 'runs'", *runs, kMemberWeakestSamples); !cap.ok()) {
      return SendError(res, cap.error());
    }
    auto seed = UintParam(req, "seed", 1, 0, UINT64_MAX);
    if (!seed.ok()) return SendError(res, seed.error());
    auto threat = ThreatFromQuery(req);
    if (!threat.ok()) return SendError(res, threat.error());
    auto loaded = Load();
    if (!loaded.ok()) return SendError(res, loaded.error());
    const risk::StoredGraph view = ViewFor(*loaded, principal);
    const risk::StoredGraph* stored = &view;
    // Members get their own position wherever it is, so their ranking is computed whole.
    const std::uint64_t computed_top = IsCoordinator(principal) ? *top : 0;
    const std::string key = "weakest|" + Hex(stored->version) + "|" + ThreatKey(*threat) + "|" +
                            std::to_string(computed_top) + "|" + std::to_string(*runs) + "|" + std::to_string(*seed);
    auto answer = Analyse(key, principal, res, [&]() -> Result<Json> {
      risk::ModelParams params;
      params.threat = *threat;
      auto graph = risk::BuildRiskGraph(*stored, params);
      if (!graph.ok()) return graph.error();
      risk::WeakestOptions options;
      options.rr_sets = *runs;
      options.seed = *seed;
      options.threads = kThreads;
      options.top = computed_top;
      auto report = risk::WeakestLinks(*graph, options);
      if (!report.ok()) return report.error();
      Json out = risk::WeakestJson(*graph, *report, *seed);
      out["threat"] = risk::ThreatJson(*threat);
      out["graph_version"] = Hex(stored->version);
      std::size_t rank = 0;
      for (auto& entry : out["ranking"]) {
        const auto node = graph->Find(entry["code"].get<std::string>());
        const auto& rnode = graph->node(*node);
        entry["rank"] = ++rank;
        entry["population"] = rnode.population;
        entry["population_derived"] = rnode.population_derived;
        entry["region_code"] = rnode.region_code ? Json(*rnode.region_code) : Json();
        // For the member-view filter below.
        for (auto& edge : entry["top_edges"]) {
          const auto dependent = graph->Find(edge["dependent"].get<std::string>());
          edge["dependent_kind"] = OrgKindName(graph->node(*dependent).kind);
        }
      }
      for (std::size_t i = 0; i < report->cut_nodes.size(); ++i) {
        const auto& node = graph->node(report->cut_nodes[i].index);
        out["cut_nodes"][i]["code"] = node.code;
        out["cut_nodes"][i]["kind"] = OrgKindName(node.kind);
      }
      for (std::size_t i = 0; i < report->cut_edges.size(); ++i) {
        const auto& edge = graph->edge(report->cut_edges[i].index);
        out["cut_edges"][i]["from"] = graph->node(edge.from).code;
        out["cut_edges"][i]["from_kind"] = OrgKindName(graph->node(edge.from).kind);
        out["cut_edges"][i]["to"] = graph->node(edge.to).code;
        out["cut_edges"][i]["relation"] = RelationName(edge.relation);
      }
      return out;
    });
    if (!answer) return;
    for (auto& entry : (*answer)["ranking"]) LabelSecurity(entry, *loaded, principal);
    if (!IsCoordinator(principal)) FilterForMember(*answer, principal, *top);
    SendJson(res, 200, *answer);
  }

  // What a member may see of a ranking: no other municipality or region (they
  // are ranked at their kind's default in the member's view, which says
  // nothing true about them), the first `top` of the rest (0: all), its own
  // entry with its rank as `own` wherever it is; only couplings it may see.
  static void FilterForMember(Json& out, const Principal& principal, std::uint64_t top) {
    auto visible = [&](const std::string& dependent, const std::string& kind, const std::string& dependency) {
      auto parsed = ParseOrgKind(kind);
      return CanSeeEdge(principal, dependent, parsed.ok() ? *parsed : OrgKind::kOther, dependency);
    };
    const std::string& own = principal.organisation.code;
    Json ranking = Json::array();
    std::size_t listed = 0;
    Json own_entry;
    for (auto& entry : out["ranking"]) {
      if (entry["security_source"] == "withheld") continue;
      const bool is_own = entry["code"] == own;
      if (!is_own && top != 0 && listed >= top) continue;
      Json kept = Json::array();
      for (const auto& edge : entry["top_edges"]) {
        if (visible(edge["dependent"].get<std::string>(), edge["dependent_kind"].get<std::string>(),
                    entry["code"].get<std::string>())) {
          kept.push_back(edge);
        }
      }
      if (kept.size() != entry["top_edges"].size()) {
        std::string reason = entry["reason"].get<std::string>();
        const auto cut = reason.find("; harm leaves mostly through");
        if (cut != std::string::npos) reason.resize(cut);
        entry["reason"] = reason;
        entry["top_edges"] = kept;
      }
      if (is_own) own_entry = entry;
      if (top == 0 || listed < top) {
        ranking.push_back(entry);
        ++listed;
      }
    }
    out["ranking"] = ranking;
    out["own"] = own_entry;
    Json nodes = Json::array();
    for (const auto& cut : out["cut_nodes"]) {
      auto kind = ParseOrgKind(cut["kind"].get<std::string>());
      if (cut["code"] == own || (kind.ok() && !IsMemberKind(*kind))) nodes.push_back(cut);
    }
    out["cut_nodes"] = nodes;
    Json cuts = Json::array();
    for (const auto& cut : out["cut_edges"]) {
      if (visible(cut["from"].get<std::string>(), cut["from_kind"].get<std::string>(), cut["to"].get<std::string>())) {
        cuts.push_back(cut);
      }
    }
    out["cut_edges"] = cuts;
  }

  void Simulate(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(
            req, {"source", "runs", "seed", "model", "top", "crime", "espionage", "activism", "destructive"});
        !status.ok()) {
      return SendError(res, status.error());
    }
    auto runs = UintParam(req, "runs", 10000, 1, 200000);
    if (!runs.ok()) return SendError(res, runs.error());
    if (auto cap = CheckCap(principal, "query parameter 'runs'", *runs, kMemberSimulateRuns); !cap.ok()) {
      return SendError(res, cap.error());
    }
    auto seed = UintParam(req, "seed", 1, 0, UINT64_MAX);
    if (!seed.ok()) return SendError(res, seed.error());
    auto top = UintParam(req, "top", 10, 0, 1000);
    if (!top.ok()) return SendError(res, top.error());
    const std::string model = req.has_param("model") ? req.get_param_value("model") : "cascade";
    if (model != "cascade" && model != "threshold") {
      return SendError(res, Error::InvalidArgument("query parameter 'model' must be cascade or threshold"));
    }
    const std::string source = req.has_param("source") ? req.get_param_value("source") : "threat";
    if (source.empty()) {
      return SendError(res, Error::InvalidArgument(
                                "query parameter 'source' must be an organisation code (or several, comma-separated), "
                                "random or threat"));
    }
    auto threat = ThreatFromQuery(req);
    if (!threat.ok()) return SendError(res, threat.error());
    auto loaded = Load();
    if (!loaded.ok()) return SendError(res, loaded.error());
    const risk::StoredGraph view = ViewFor(*loaded, principal);
    const risk::StoredGraph* stored = &view;
    risk::Scenario scenario = risk::Scenario::ThreatPicture();
    std::string scenario_name = "threat_picture";
    if (source == "random") {
      scenario = risk::Scenario::RandomNode();
      scenario_name = "random";
    } else if (source != "threat") {
      std::vector<std::string> codes;
      std::size_t start = 0;
      while (start <= source.size()) {
        const auto comma = std::min(source.find(',', start), source.size());
        codes.push_back(source.substr(start, comma - start));
        start = comma + 1;
      }
      std::set<std::string, std::less<>> known;
      for (const auto& org : stored->organisations) known.insert(org.code);
      for (const auto& code : codes) {
        if (!known.count(code)) {
          return SendError(res, Error::InvalidArgument("query parameter 'source': no organisation with code '" + code +
                                                       "' (or use random or threat)"));
        }
      }
      scenario = risk::Scenario::Nodes(codes);
      scenario_name = "nodes";
    }
    const std::string key = "simulate|" + Hex(stored->version) + "|" + ThreatKey(*threat) + "|" + source + "|" + model +
                            "|" + std::to_string(*runs) + "|" + std::to_string(*seed) + "|" + std::to_string(*top);
    auto answer = Analyse(key, principal, res, [&]() -> Result<Json> {
      risk::ModelParams params;
      params.threat = *threat;
      auto graph = risk::BuildRiskGraph(*stored, params);
      if (!graph.ok()) return graph.error();
      risk::SimulationOptions options;
      options.runs = *runs;
      options.seed = *seed;
      options.threads = kThreads;
      options.model =
          model == "threshold" ? risk::SpreadModel::kLinearThreshold : risk::SpreadModel::kIndependentCascade;
      auto result = risk::Simulate(*graph, scenario, options);
      if (!result.ok()) return result.error();
      Json out = risk::SimulationJson(*graph, *result, scenario_name, scenario.seed_codes, model, *seed, *top);
      Json sources = Json::array();
      for (const auto& code : scenario.seed_codes) {
        const auto& node = graph->node(*graph->Find(code));
        sources.push_back({{"code", node.code}, {"name", node.name}, {"kind", OrgKindName(node.kind)}});
      }
      out["sources"] = sources;
      out["threat"] = risk::ThreatJson(*threat);
      out["graph_version"] = Hex(stored->version);
      out["total_population_served"] = graph->TotalPopulation();
      out["organisations"] = graph->NodeCount();
      return out;
    });
    if (!answer) return;
    SendJson(res, 200, *answer);
  }

  void Plan(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    const std::set<std::string> fields = {"budget", "costs", "threat", "samples", "runs", "seed"};
    for (const auto& [name, value] : body->items()) {
      if (!fields.count(name)) {
        return SendError(res, Error::InvalidArgument("request body: unknown field '" + name +
                                                     "' (known: budget, costs, threat, samples, runs, seed)"));
      }
    }
    const Json& b = *body;
    if (!b.contains("budget") || !b["budget"].is_number() || !(b["budget"].get<double>() > 0) ||
        b["budget"].get<double>() > 1e11) {
      return SendError(res, Error::InvalidArgument(
                                "request body: field 'budget' is required: kroner, a number above 0 and at most 1e11"));
    }
    auto count = [&](const char* name, std::uint64_t fallback, std::uint64_t low,
                     std::uint64_t high) -> Result<std::uint64_t> {
      if (!b.contains(name)) return fallback;
      if (!b[name].is_number_unsigned() || b[name].get<std::uint64_t>() < low || b[name].get<std::uint64_t>() > high) {
        return Error::InvalidArgument(std::string("request body: field '") + name + "' must be a whole number from " +
                                      std::to_string(low) + " to " + std::to_string(high));
      }
      return b[name].get<std::uint64_t>();
    };
    auto samples = count("samples", 50000, 1000, 500000);
    if (!samples.ok()) return SendError(res, samples.error());
    auto runs = count("runs", 20000, 100, 200000);
    if (!runs.ok()) return SendError(res, runs.error());
    for (const auto& [field, value, cap] :
         {std::tuple{"samples", *samples, kMemberPlanSamples}, std::tuple{"runs", *runs, kMemberPlanRuns}}) {
      if (auto status = CheckCap(principal, std::string("request body: field '") + field + "'", value, cap);
          !status.ok()) {
        return SendError(res, status.error());
      }
    }
    if (!IsCoordinator(principal) && b["budget"].get<double>() > kMemberPlanBudget) {
      return SendError(res, Error::InvalidArgument("request body: field 'budget' must be at most 1e9 kroner for "
                                                   "members (coordinators may ask for more)"));
    }
    auto seed = count("seed", 1, 0, UINT64_MAX);
    if (!seed.ok()) return SendError(res, seed.error());
    if (b.contains("threat") && !b["threat"].is_object()) {
      return SendError(res, Error::InvalidArgument("request body: field 'threat' must be an object"));
    }
    if (b.contains("threat")) {
      for (const auto& [name, value] : b["threat"].items()) {
        if (!risk::ParseThreatActor(name).ok() || !value.is_string()) {
          return SendError(res, Error::InvalidArgument("request body: field 'threat." + name +
                                                       "': actors are crime, espionage, activism, destructive, "
                                                       "levels none, low, medium, high, very_high"));
        }
      }
    }
    auto threat = ThreatFrom(
        [&](const std::string& name) -> std::optional<std::string> {
          if (!b.contains("threat") || !b["threat"].contains(name)) return std::nullopt;
          return b["threat"][name].get<std::string>();
        },
        "request body: field 'threat.");
    if (!threat.ok()) return SendError(res, threat.error());
    auto costs = CostsFrom(b);
    if (!costs.ok()) return SendError(res, costs.error());
    if (!IsCoordinator(principal) && costs->step < kMemberMinStep) {
      return SendError(res, Error::InvalidArgument("request body: field 'costs.step' must be at least 0.05 for "
                                                   "members (coordinators may ask for less)"));
    }
    auto loaded = Load();
    if (!loaded.ok()) return SendError(res, loaded.error());
    const risk::StoredGraph view = ViewFor(*loaded, principal);
    const risk::StoredGraph* stored = &view;
    const double budget = b["budget"].get<double>();
    const std::string key = "plan|" + Hex(stored->version) + "|" + ThreatKey(*threat) + "|" + Json(budget).dump() +
                            "|" + (b.contains("costs") ? b["costs"].dump() : "") + "|" + std::to_string(*samples) +
                            "|" + std::to_string(*runs) + "|" + std::to_string(*seed);
    auto answer = Analyse(key, principal, res, [&]() -> Result<Json> {
      risk::ModelParams params;
      params.threat = *threat;
      auto graph = risk::BuildRiskGraph(*stored, params);
      if (!graph.ok()) return graph.error();
      risk::PlanOptions options;
      options.budget_kr = budget;
      options.rr_sets = *samples;
      options.simulation_runs = *runs;
      options.seed = *seed;
      options.threads = kThreads;
      auto report = risk::PlanInvestments(*graph, *costs, options);
      if (!report.ok()) return report.error();
      Json out = risk::PlanJson(*report, *seed);
      for (auto& strategy : out["strategies"]) {
        for (auto& investment : strategy["investments"]) {
          investment["kind"] = OrgKindName(graph->node(*graph->Find(investment["code"].get<std::string>())).kind);
        }
      }
      out["threat"] = risk::ThreatJson(*threat);
      out["graph_version"] = Hex(stored->version);
      out["samples"] = *samples;
      out["runs"] = *runs;
      return out;
    });
    if (!answer) return;
    SendJson(res, 200, *answer);
  }

  // Prices: {"kr_per_step": {CODE: kr}, "kr_per_step_by_kind": {kind: kr},
  // "escalation", "step", "max_level"}; everything else keeps the defaults.
  static Result<risk::CostModel> CostsFrom(const Json& body) {
    risk::CostModel costs;
    if (!body.contains("costs")) return costs;
    const Json& c = body["costs"];
    if (!c.is_object()) return Error::InvalidArgument("request body: field 'costs' must be an object");
    for (const auto& [name, value] : c.items()) {
      const std::string field = "request body: field 'costs." + name + "'";
      if (name == "kr_per_step" || name == "kr_per_step_by_kind") {
        if (!value.is_object()) return Error::InvalidArgument(field + " must be an object");
        for (const auto& [key, price] : value.items()) {
          if (!price.is_number() || !(price.get<double>() > 0)) {
            return Error::InvalidArgument(field + "." + key + "' must be a price in kroner above 0");
          }
          if (name == "kr_per_step") {
            costs.kr_per_step_override[key] = price.get<double>();
            continue;
          }
          auto kind = ParseOrgKind(key);
          if (!kind.ok() || *kind == OrgKind::kMunicipality || *kind == OrgKind::kRegion) {
            return Error::InvalidArgument(field + ": '" + key +
                                          "' is not a kind priced per step (state_body, shared_system, supplier, "
                                          "health, utility, other; municipalities and regions use kr_per_step)");
          }
          costs.kr_per_step_by_kind[risk::KindIndex(*kind)] = price.get<double>();
        }
      } else if (name == "escalation" || name == "step" || name == "max_level") {
        if (!value.is_number()) return Error::InvalidArgument(field + " must be a number");
        (name == "escalation" ? costs.escalation : name == "step" ? costs.step : costs.max_level) = value.get<double>();
      } else {
        return Error::InvalidArgument(field +
                                      " is unknown (known: kr_per_step, kr_per_step_by_kind, escalation, "
                                      "step, max_level)");
      }
    }
    if (auto status = costs.Validate(); !status.ok()) {
      return Error::InvalidArgument("request body: field 'costs': " + status.error().message());
    }
    return costs;
  }

  // ---- state ----

  Result<risk::StoredGraph> Load() { return loader_.Load(context_.store()); }

  // The graph as `principal` may see it: every baseline for coordinators,
  // only its own organisation's for everyone else (see the file comment).
  static risk::StoredGraph ViewFor(const risk::StoredGraph& full, const Principal& principal) {
    if (IsCoordinator(principal)) return full;
    return risk::WithheldView(full, [&](std::string_view code) { return CanSeeBaseline(principal, code); });
  }

  // The answer for `key` (which names the view's version and the request),
  // from the cache or computed with a slot of the analysis queue. Sends the
  // refusal or error itself and returns nothing then.
  std::optional<Json> Analyse(const std::string& key, const Principal& principal, httplib::Response& res,
                              const std::function<Result<Json>()>& compute) {
    {
      std::lock_guard lock(mutex_);
      const auto it = cache_.find(key);
      if (it != cache_.end()) return it->second;
    }
    auto slot = queue_.Acquire(principal.organisation.code);
    if (const auto* refusal = std::get_if<AnalysisQueue::Refusal>(&slot)) {
      res.set_header("Retry-After", std::to_string(queue_.RetryAfterSeconds()));
      if (*refusal == AnalysisQueue::Refusal::kBusy) {
        SendJson(res, 429,
                 {{"error",
                   {{"kind", "analysis_busy"},
                    {"message", "an analysis for " + principal.organisation.code +
                                    " is already running or waiting; ask again when it has finished"}}}});
      } else {
        SendJson(res, 503,
                 {{"error",
                   {{"kind", "analysis_queue_full"},
                    {"message", "the hub is busy with other analyses; ask again in a moment"}}}});
      }
      return std::nullopt;
    }
    {
      // Another request may have computed it while this one waited.
      std::lock_guard lock(mutex_);
      const auto it = cache_.find(key);
      if (it != cache_.end()) return it->second;
    }
    auto answer = compute();
    if (!answer.ok()) {
      SendError(res, answer.error());
      return std::nullopt;
    }
    std::lock_guard lock(mutex_);
    if (cache_.emplace(key, *answer).second) order_.push_back(key);
    while (order_.size() > kCacheEntries) {
      cache_.erase(order_.front());
      order_.pop_front();
    }
    return std::move(answer).value();
  }

  ApiContext& context_;
  risk::StoredGraphLoader loader_;
  AnalysisQueue queue_;
  std::mutex mutex_;
  std::map<std::string, Json> cache_;
  std::deque<std::string> order_;
};

}  // namespace

void RegisterRiskApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<RiskApi>(context);
  module->Register(server);
  context.Keep(module);
}

namespace {
constexpr std::array<std::string_view, 2> kRiskPathPrefixes = {"/api/v1/graph", "/api/v1/risk"};
constexpr std::array<std::string_view, 1> kRiskRecordKinds = {"risk.edge.removed"};
constexpr std::array<std::string_view, 1> kRiskAuditActions = {"graph.import"};
}  // namespace

extern const Module kRiskModule;
constinit const Module kRiskModule{
    .name = "risk",
    .register_routes = &RegisterRiskApi,
    .openapi_fragment = "risk.openapi.json",
    .path_prefixes = kRiskPathPrefixes,
    .record_kinds = kRiskRecordKinds,
    .audit_actions = kRiskAuditActions,
    .dashboard_route = "#/risk",
};

}  // namespace dv::hub
