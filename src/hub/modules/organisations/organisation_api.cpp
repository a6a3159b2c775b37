// SPDX-License-Identifier: Apache-2.0
// /api/v1/organisations and /api/v1/organisations/{code}: the register of the
// federation's organisations, with each one's dependencies and dependents.
//
// Access (docs/risk_model.md, "The API"; hub/graph_access.h):
//  - the register (code, name, kind, region, population, description,
//    operator, stix_id) is public: these are public facts about public bodies,
//    and the public map reads them without signing in;
//  - dependencies and dependents are part of the dependency graph, which is
//    sensitive: only a signed-in person gets them, filtered by the graph API's
//    rule (CanSeeEdge) and read from the same edges (CurrentDependencies, so
//    edges removed through the graph API are gone here too); notes only for
//    coordinators (CanSeeEdgeNote). Anonymous clients and sensors get null.
// A request without credentials is answered publicly; one with bad
// credentials is 401 like everywhere else (never silently public).

#include <httplib.h>

#include <array>

#include "hub/api.h"
#include "hub/graph_access.h"
#include "hub/module.h"
#include "hub/router.h"
#include "risk/stored_graph.h"

namespace dv::hub {

namespace {

Json NullableString(const std::optional<std::string>& value) { return value ? Json(*value) : Json(); }

class OrganisationApi {
 public:
  explicit OrganisationApi(ApiContext& context) : context_(context) {}

  void Register(Router& server) {
    server.Get("/api/v1/organisations",
               [this](const httplib::Request& req, httplib::Response& res) { List(req, res); });
    server.Get(R"(/api/v1/organisations/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (!req.has_header("Authorization")) return Get(req, res, nullptr);
      context_.Authed(req, res, [&](const Principal& principal) { Get(req, res, &principal); });
    });
  }

 private:
  Store& store() { return context_.store(); }

  // The public fields of an organisation.
  Result<Json> PublicJson(const Organisation& org) {
    Json json = {{"code", org.code},
                 {"name", org.name},
                 {"kind", OrgKindName(org.kind)},
                 {"region_code", NullableString(org.region_code)},
                 {"region_name", Json()},
                 {"population", org.population ? Json(*org.population) : Json()},
                 {"description", org.description},
                 {"operator", NullableString(org.operator_code)},
                 {"stix_id", org.StixId()}};
    if (org.region_code) {
      auto region = store().GetOrganisation(*org.region_code);
      if (region.ok()) {
        json["region_name"] = region->name;
      } else if (region.error().kind() != ErrorKind::kNotFound) {
        return region.error();
      }
    }
    return json;
  }

  void List(const httplib::Request& req, httplib::Response& res) {
    if (auto status = CheckParams(req, {"kind", "region", "q", "limit", "offset"}); !status.ok()) {
      return SendError(res, status.error());
    }
    OrganisationQuery query;
    if (req.has_param("kind")) {
      auto kind = ParseOrgKind(req.get_param_value("kind"));
      if (!kind.ok()) return SendError(res, kind.error().WithContext("query parameter 'kind'"));
      query.kind = *kind;
    }
    if (req.has_param("region")) {
      const std::string region = req.get_param_value("region");
      if (!IsValidOrgCode(region) || region.size() != 4) {
        return SendError(res, Error::InvalidArgument("query parameter 'region' must be a 4-digit region code"));
      }
      query.region_code = region;
    }
    if (req.has_param("q")) query.text = req.get_param_value("q");
    auto limit = IntParam(req, "limit", 100);
    if (!limit.ok()) return SendError(res, limit.error());
    auto offset = IntParam(req, "offset", 0);
    if (!offset.ok()) return SendError(res, offset.error());
    query.limit = *limit;
    query.offset = *offset;
    auto page = store().ListOrganisations(query);
    if (!page.ok()) return SendError(res, page.error());
    Json items = Json::array();
    for (const auto& org : page->items) {
      auto json = PublicJson(org);
      if (!json.ok()) return SendError(res, json.error());
      items.push_back(std::move(*json));
    }
    SendJson(res, 200,
             {{"items", std::move(items)}, {"total", page->total}, {"limit", query.limit}, {"offset", query.offset}});
  }

  // `principal` is null for a request without credentials.
  void Get(const httplib::Request& req, httplib::Response& res, const Principal* principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string code = req.matches[1];
    auto org = store().GetOrganisation(code);
    if (!org.ok()) return SendError(res, org.error());
    auto json = PublicJson(*org);
    if (!json.ok()) return SendError(res, json.error());
    if (!principal || !CanReadGraph(*principal)) {
      (*json)["dependencies"] = nullptr;
      (*json)["dependents"] = nullptr;
      (*json)["scope"] = "public";
      return SendJson(res, 200, *json);
    }
    const bool notes = CanSeeEdgeNote(*principal);
    for (const auto direction : {EdgeDirection::kDependencies, EdgeDirection::kDependents}) {
      auto edges = risk::CurrentDependencies(store(), code, direction);
      if (!edges.ok()) return SendError(res, edges.error());
      Json list = Json::array();
      for (const auto& view : *edges) {
        const OrgKind dependent_kind = direction == EdgeDirection::kDependencies ? org->kind : view.other_kind;
        if (!CanSeeEdge(*principal, view.edge.from, dependent_kind, view.edge.to)) continue;
        list.push_back({{"code", view.other_code},
                        {"name", view.other_name},
                        {"kind", OrgKindName(view.other_kind)},
                        {"relation", RelationName(view.edge.relation)},
                        {"strength", view.edge.strength},
                        {"illustrative", view.edge.illustrative},
                        {"note", notes ? Json(view.edge.note) : Json()}});
      }
      (*json)[direction == EdgeDirection::kDependencies ? "dependencies" : "dependents"] = std::move(list);
    }
    (*json)["scope"] = IsCoordinator(*principal) ? "all" : "member";
    SendJson(res, 200, *json);
  }

  ApiContext& context_;
};

}  // namespace

void RegisterOrganisationApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<OrganisationApi>(context);
  module->Register(server);
  context.Keep(module);
}

namespace {
constexpr std::array<std::string_view, 1> kOrganisationsPathPrefixes = {"/api/v1/organisations"};
constexpr std::array<std::string_view, 0> kOrganisationsRecordKinds = {};
constexpr std::array<std::string_view, 0> kOrganisationsAuditActions = {};
}  // namespace

extern const Module kOrganisationsModule;
constinit const Module kOrganisationsModule{
    .name = "organisations",
    .register_routes = &RegisterOrganisationApi,
    .openapi_fragment = "",
    .path_prefixes = kOrganisationsPathPrefixes,
    .record_kinds = kOrganisationsRecordKinds,
    .audit_actions = kOrganisationsAuditActions,
    .dashboard_route = "#/members",
};

}  // namespace dv::hub
