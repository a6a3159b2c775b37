// SPDX-License-Identifier: Apache-2.0
// Campaign fan-out (docs/incidents.md "Drafts for every affected member"):
// when a shared supplier is hit, every member that depends on it must file
// its own reports. One coordinator action turns a supplier (or a detected
// campaign's suppliers) into a prefilled draft for each affected member:
//   POST /api/v1/campaigns/drafts        {"supplier": "KMD"} or {"campaign": "campaign--…"}
//   GET  /api/v1/incidents/drafts        the caller's drafts (coordinators: all, or ?org=)
//   GET  /api/v1/incidents/drafts/{id}   one draft
//   POST /api/v1/incidents/drafts/{id}/adopt    the member makes it its incident (the NIS2 clock starts
//                                               from the awareness time the member gives)
//   POST /api/v1/incidents/drafts/{id}/decline  the member says it is not affected, and why
//
// A draft is the member's: visible to its own people and to coordinators,
// never to another member, and it names no other member (only the supplier
// and how many members the fan-out reached). It prefills the incident, the
// NIS2 early warning's contents and the GDPR Art. 33(3) notification; the
// member reviews, adopts and submits its own. Submission to the authorities
// stays manual. A draft starts no clock and counts in no national view until
// it is adopted.

#include "hub/modules/incidents/incident_drafts.h"

#include <httplib.h>

#include <algorithm>
#include <set>

#include "core/uuid.h"
#include "hub/api.h"
#include "hub/router.h"
#include "incident/gdpr.h"
#include "incident/incident.h"
#include "incident/local_time.h"
#include "incident/stored.h"

namespace dv::hub {

namespace {

constexpr std::string_view kDraftKind = kIncidentDraftKind;
constexpr std::size_t kMaxDraftsPerFanOut = 500;

// The organisations that can file an incident report: not systems or suppliers.
bool Reports(OrgKind kind) { return kind != OrgKind::kSharedSystem && kind != OrgKind::kSupplier; }

bool Through(Relation relation) {
  return relation == Relation::kSuppliedBy || relation == Relation::kUsesSystem ||
         relation == Relation::kSharedAdminAccess || relation == Relation::kRemoteAccess;
}

class IncidentDraftsApi {
 public:
  explicit IncidentDraftsApi(ApiContext& context) : context_(context), store_(context.store()) {}

  void Register(Router& server) {
    const std::string draft = R"(/api/v1/incidents/drafts/(draft-[0-9a-f-]{36}))";
    server.Post("/api/v1/campaigns/drafts", context_.Route(this, &IncidentDraftsApi::FanOut));
    server.Get("/api/v1/incidents/drafts", context_.Route(this, &IncidentDraftsApi::List));
    server.Get(draft, context_.Route(this, &IncidentDraftsApi::One));
    server.Post(draft + "/adopt", context_.Route(this, &IncidentDraftsApi::Adopt));
    server.Post(draft + "/decline", context_.Route(this, &IncidentDraftsApi::Decline));
  }

 private:
  // Members affected through `supplier`: its direct dependants, and the users
  // of the shared systems it supplies or operates (one step). Sorted.
  Result<std::map<std::string, std::vector<std::string>>> Affected(const std::string& supplier,
                                                                   OrganisationLookup& orgs) {
    std::map<std::string, std::vector<std::string>> out;  // member → how ("supplied_by KMD", …)
    auto direct = store_.ListDependencies(supplier, EdgeDirection::kDependents);
    if (!direct.ok()) return direct.error();
    for (const auto& edge : *direct) {
      if (!Through(edge.edge.relation)) continue;
      const std::string how = std::string(RelationName(edge.edge.relation)) + " " + supplier;
      if (Reports(edge.other_kind)) {
        out[edge.other_code].push_back(how);
        continue;
      }
      if (edge.other_kind != OrgKind::kSharedSystem) continue;
      auto users = store_.ListDependencies(edge.other_code, EdgeDirection::kDependents);
      if (!users.ok()) return users.error();
      for (const auto& user : *users) {
        if (user.edge.relation != Relation::kUsesSystem || !Reports(user.other_kind)) continue;
        out[user.other_code].push_back("uses_system " + edge.other_code + " (" + how + ")");
      }
    }
    (void)orgs;
    return out;
  }

  void FanOut(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "drafting members' incidents");
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    for (const auto& [key, value] : body->items()) {
      if (key != "supplier" && key != "campaign")
        return SendError(res, Error::InvalidArgument(key + ": unknown field"));
      if (!value.is_string()) return SendError(res, Error::InvalidArgument(key + ": expected a string"));
    }
    if (body->contains("supplier") == body->contains("campaign")) {
      return SendError(res, Error::InvalidArgument("give either 'supplier' (an organisation code) or 'campaign'"));
    }
    OrganisationLookup orgs(store_);
    std::vector<std::string> suppliers;
    std::string source;
    std::set<std::string> with_incident;          // members that already have an incident in the campaign
    std::map<std::string, std::string> existing;  // member → its incident in the campaign
    if (body->contains("supplier")) {
      const std::string code = (*body)["supplier"].get<std::string>();
      const Organisation* org = orgs.Find(code);
      if (org == nullptr) return SendError(res, Error::NotFound("supplier: no organisation '" + code + "'"));
      suppliers.push_back(code);
      source = "supplier:" + code;
    } else {
      const std::string id = (*body)["campaign"].get<std::string>();
      auto found = campaigns_(id);
      if (!found.ok()) return SendError(res, found.error());
      suppliers = found->suppliers;
      with_incident = {found->members.begin(), found->members.end()};
      existing = found->incident_of;
      source = id;
      if (suppliers.empty()) {
        return SendError(res, Error::InvalidArgument("campaign '" + id +
                                                     "' names no supplier or shared system: nothing to fan out"));
      }
    }
    std::map<std::string, std::vector<std::string>> affected;
    for (const auto& supplier : suppliers) {
      auto through = Affected(supplier, orgs);
      if (!through.ok()) return SendError(res, through.error());
      for (auto& [member, how] : *through) {
        auto& list = affected[member];
        list.insert(list.end(), how.begin(), how.end());
      }
    }
    for (const auto& member : with_incident) affected[member];  // in the campaign: drafts of its reports too
    if (affected.size() > kMaxDraftsPerFanOut) {
      return SendError(res,
                       Error::InvalidArgument(std::to_string(affected.size()) + " members would get a draft; at most " +
                                              std::to_string(kMaxDraftsPerFanOut) + " at once"));
    }
    const Timestamp now = Timestamp::Now();
    std::string supplier_names;
    for (const auto& supplier : suppliers) {
      if (!supplier_names.empty()) supplier_names += ", ";
      supplier_names += orgs.Name(supplier);
    }
    Json created = Json::array();
    Json already = Json::array();
    for (const auto& [member, how] : affected) {
      const std::string id = "draft-" + Uuid::V5(DannevirkeNamespace(), "draft:" + source + ":" + member).ToString();
      const auto own = existing.find(member);
      Json incident = {{"title", "Hændelse hos leverandøren " + supplier_names},
                       {"description", "Kladde fra den nationale koordinator: " + std::to_string(affected.size()) +
                                           " medlemmer er berørt gennem " + supplier_names +
                                           ". Ret beskrivelsen, så den siger, hvad I selv har set."},
                       {"became_aware_at", now.ToRfc3339()},
                       {"suspected_malicious", true},
                       {"cross_member_impact", true},
                       {"suspected_via", suppliers},
                       {"affected_services", Json::array()}};
      Json draft = {
          {"id", id},
          {"organisation", member},
          {"source", source},
          {"suppliers", suppliers},
          {"through", how},
          {"members_reached", affected.size()},
          {"state", "open"},
          {"created", now.ToRfc3339()},
          {"created_by", ApiContext::Actor(principal)},
          {"incident", incident},
          {"reports",
           {{"early_warning",
             {{"summary", "Mistanke om hændelse via leverandøren " + supplier_names + "; omfanget undersøges."},
              {"suspected_malicious", true},
              {"cross_border_impact", false}}}}},
          {"gdpr",
           {{"article", "GDPR art. 33"},
            {"due_hours_after_awareness", 72},
            {"nature", "Mulig uautoriseret adgang til personoplysninger hos databehandleren " + supplier_names + "."},
            {"categories_of_subjects", ""},
            {"categories_of_records", ""},
            {"contact", ""},
            {"likely_consequences", ""},
            {"measures", ""},
            {"subjects_decision", {{"article", "GDPR art. 34"}, {"inform", Json()}, {"reason", ""}}}}},
          {"manual_submission",
           {{"da",
             "Dannevirke indsender intet. Indsend selv på virk.dk (NIS2) og til Datatilsynet (GDPR), og notér "
             "kvitteringsnummeret."},
            {"en",
             "Dannevirke submits nothing. Submit yourselves on virk.dk (NIS2) and to the Danish Data "
             "Protection Agency (GDPR), and record the receipt number."}}}};
      if (own != existing.end()) draft["existing_incident"] = own->second;
      auto stored =
          store_.PutRecord({std::string(kDraftKind), id, member, draft.dump(), 0}, ApiContext::Actor(principal));
      if (!stored.ok()) {
        if (stored.error().kind() == ErrorKind::kConflict) {
          already.push_back({{"organisation", member}, {"draft", id}});
          continue;
        }
        return SendError(res, stored.error());
      }
      created.push_back({{"organisation", member}, {"draft", id}, {"name", orgs.Name(member)}});
    }
    SendJson(res, 201,
             {{"source", source}, {"suppliers", suppliers}, {"created", created}, {"already_drafted", already}});
  }

  // The draft of the path if the principal may read it (and write it, when
  // `write`); otherwise sends the answer. Another member's draft answers as
  // one that does not exist; a coordinator may read but not act (403).
  std::optional<Record> Readable(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                                 bool write) {
    const std::string id = req.matches[1].str();
    auto record = store_.GetRecord(kDraftKind, id);
    if (!record.ok() && record.error().kind() != ErrorKind::kNotFound) {
      SendError(res, record.error());
      return std::nullopt;
    }
    if (!record.ok() || !CanReadOrgPeopleRecords(principal, record->org_code)) {
      SendError(res, Error::NotFound("no draft '" + id + "'"));
      return std::nullopt;
    }
    if (write && !CanWriteOrgRecords(principal, record->org_code)) {
      context_.Forbid(principal, req, res, "draft " + id + " (its member's people act on it)");
      return std::nullopt;
    }
    return std::move(record).value();
  }

  static Json View(const Record& record) {
    Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object()) return Json::object();
    body["version"] = record.version;
    body["updated"] = record.at.ToRfc3339();
    return body;
  }

  void List(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"org", "state"}); !status.ok()) return SendError(res, status.error());
    std::optional<std::string> org = principal.organisation.code;
    if (IsCoordinator(principal)) {
      org = req.has_param("org") ? std::optional<std::string>(req.get_param_value("org")) : std::nullopt;
    } else if (principal.member.role != MemberRole::kMember ||
               (req.has_param("org") && req.get_param_value("org") != principal.organisation.code)) {
      return context_.Forbid(principal, req, res, "incident drafts");
    }
    const std::string state = req.get_param_value("state");
    auto records = store_.ListRecords({std::string(kDraftKind), org, false});
    if (!records.ok()) return SendError(res, records.error());
    Json items = Json::array();
    for (const auto& record : *records) {
      Json view = View(record);
      if (!state.empty() && view.value("state", "") != state) continue;
      items.push_back(std::move(view));
    }
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200, {{"items", items}, {"total", items.size()}});
  }

  void One(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = Readable(req, res, principal, false);
    if (!record) return;
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200, View(*record));
  }

  // The member makes the draft its incident: the prefilled incident with what
  // the member changed in `incident`, stored as any incident it creates.
  void Adopt(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = Readable(req, res, principal, true);
    if (!record) return;
    Json draft = View(*record);
    if (draft.value("state", "") != "open") {
      return SendError(res, Error::Conflict("draft '" + record->id + "' is " + draft.value("state", "")));
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    for (const auto& [key, value] : body->items()) {
      if (key != "incident") return SendError(res, Error::InvalidArgument(key + ": unknown field"));
      if (!value.is_object()) return SendError(res, Error::InvalidArgument("incident: expected an object"));
    }
    Json incident = draft["incident"];
    if (body->contains("incident")) incident.merge_patch((*body)["incident"]);
    const Timestamp now = Timestamp::Now();
    auto parsed = incident::IncidentFromJson(incident, now);
    if (!parsed.ok()) return SendError(res, parsed.error().WithContext("incident"));
    RecordWrite write{incident::kIncidentKind, Uuid::V4().ToString(), record->org_code,
                      incident::IncidentToJson(*parsed).dump(), 0};
    auto stored = store_.PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    Json updated = Json::parse(record->body);
    updated["state"] = "adopted";
    updated["incident_id"] = stored->id;
    updated["adopted_by"] = ApiContext::Actor(principal);
    auto marked = store_.PutRecord({record->kind, record->id, record->org_code, updated.dump(), record->version},
                                   ApiContext::Actor(principal));
    if (!marked.ok()) return SendError(res, marked.error());
    res.set_header("Location", "/api/v1/incidents/" + stored->id);
    SendJson(res, 201, View(*marked));
  }

  void Decline(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = Readable(req, res, principal, true);
    if (!record) return;
    Json updated = Json::parse(record->body);
    if (updated.value("state", "") != "open") {
      return SendError(res, Error::Conflict("draft '" + record->id + "' is " + updated.value("state", "")));
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    for (const auto& [key, value] : body->items()) {
      if (key != "reason") return SendError(res, Error::InvalidArgument(key + ": unknown field"));
    }
    const Json reason = body->value("reason", Json());
    if (!reason.is_string() || reason.get<std::string>().empty() || reason.get<std::string>().size() > 2000) {
      return SendError(res, Error::InvalidArgument("reason: required, 1–2000 bytes (why the member is not affected)"));
    }
    updated["state"] = "declined";
    updated["declined_reason"] = reason;
    updated["declined_by"] = ApiContext::Actor(principal);
    auto marked = store_.PutRecord({record->kind, record->id, record->org_code, updated.dump(), record->version},
                                   ApiContext::Actor(principal));
    if (!marked.ok()) return SendError(res, marked.error());
    SendJson(res, 200, View(*marked));
  }

 public:
  CampaignLookup campaigns_;

 private:
  ApiContext& context_;
  Store& store_;
};

}  // namespace

void RegisterIncidentDrafts(Router& server, ApiContext& context, CampaignLookup campaigns) {
  auto module = std::make_shared<IncidentDraftsApi>(context);
  module->campaigns_ = std::move(campaigns);
  module->Register(server);
  context.Keep(module);
}

}  // namespace dv::hub
