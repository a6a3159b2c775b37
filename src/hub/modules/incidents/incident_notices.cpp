// SPDX-License-Identifier: Apache-2.0
// NIS2 Art. 23(1): where appropriate, a member notifies the recipients of its
// services of a significant incident that is likely to affect them
// (docs/incidents.md "Notifying the recipients of a member's services").
//   /api/v1/incidents/{id}/dependants        GET: who depends on the member (the graph's uses_system and
//                                            supplied_by edges into it) and who was notified already
//   /api/v1/incidents/{id}/service-notices   POST: notify the recipients the member chooses (all, or
//                                            some of its dependants); GET: what it sent
//   /api/v1/incidents/service-notices        GET: the notices addressed to the caller's organisation
// A notice is a STIX 2.1 note marked TLP:AMBER, written by the member, one
// per recipient, stored as the recipient's record: read by the recipient's
// people, the sender's people and coordinators only. Nothing is sent unless
// the member chooses; the text is the member's own (no incident field leaves
// unless the member writes it).

#include <httplib.h>

#include <set>

#include "core/tlp.h"
#include "core/uuid.h"
#include "hub/api.h"
#include "hub/modules/incidents/incident_access.h"
#include "hub/modules/incidents/incident_drafts.h"
#include "hub/router.h"
#include "incident/stored.h"

namespace dv::hub {

namespace {

constexpr std::string_view kNoticeKind = kIncidentServiceNoticeKind;
constexpr std::size_t kMaxText = 10'000;

bool ServesThrough(Relation relation) { return relation == Relation::kUsesSystem || relation == Relation::kSuppliedBy; }

class ServiceNoticesApi {
 public:
  explicit ServiceNoticesApi(ApiContext& context) : context_(context), store_(context.store()) {}

  void Register(Router& server) {
    const std::string incident =
        R"(/api/v1/incidents/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))";
    server.Get("/api/v1/incidents/service-notices", context_.Route(this, &ServiceNoticesApi::Received));
    server.Get(incident + "/dependants", context_.Route(this, &ServiceNoticesApi::Dependants));
    server.Get(incident + "/service-notices", context_.Route(this, &ServiceNoticesApi::Sent));
    server.Post(incident + "/service-notices", context_.Route(this, &ServiceNoticesApi::Send));
  }

 private:
  // The incident of the path if the principal may read (or write) it.
  std::optional<Record> Incident(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                                 bool write) {
    return IncidentFor(context_, req, res, principal, req.matches[1].str(),
                       write ? IncidentUse::kWrite : IncidentUse::kRead);
  }

  // The member's dependants: organisation code → the relations.
  Result<std::map<std::string, std::vector<std::string>>> DependantsOf(const std::string& member) {
    auto edges = store_.ListDependencies(member, EdgeDirection::kDependents);
    if (!edges.ok()) return edges.error();
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& edge : *edges) {
      if (ServesThrough(edge.edge.relation)) out[edge.other_code].emplace_back(RelationName(edge.edge.relation));
    }
    return out;
  }

  // The notices this incident sent, from the recipients' records.
  Result<std::vector<Json>> SentNotices(const Record& incident) {
    auto records = store_.ListRecords({std::string(kNoticeKind), std::nullopt, false});
    if (!records.ok()) return records.error();
    std::vector<Json> out;
    for (const auto& record : *records) {
      Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object() || body.value("incident", "") != incident.id) continue;
      out.push_back(std::move(body));
    }
    return out;
  }

  void Dependants(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto incident = Incident(req, res, principal, false);
    if (!incident) return;
    auto dependants = DependantsOf(incident->org_code);
    if (!dependants.ok()) return SendError(res, dependants.error());
    auto sent = SentNotices(*incident);
    if (!sent.ok()) return SendError(res, sent.error());
    std::set<std::string> notified;
    for (const auto& notice : *sent) notified.insert(notice.value("recipient", ""));
    OrganisationLookup orgs(store_);
    Json items = Json::array();
    for (const auto& [code, relations] : *dependants) {
      items.push_back({{"code", code},
                       {"name", orgs.Name(code)},
                       {"relations", relations},
                       {"notified", notified.count(code) > 0}});
    }
    SendJson(res, 200, {{"incident", incident->id}, {"organisation", incident->org_code}, {"dependants", items}});
  }

  void Sent(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto incident = Incident(req, res, principal, false);
    if (!incident) return;
    auto sent = SentNotices(*incident);
    if (!sent.ok()) return SendError(res, sent.error());
    SendJson(res, 200, {{"items", *sent}, {"total", sent->size()}});
  }

  void Received(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    std::optional<std::string> org = principal.organisation.code;
    if (IsCoordinator(principal)) {
      org = std::nullopt;
    } else if (principal.member.role != MemberRole::kMember) {
      return context_.Forbid(principal, req, res, "service notices");
    }
    auto records = store_.ListRecords({std::string(kNoticeKind), org, false});
    if (!records.ok()) return SendError(res, records.error());
    Json items = Json::array();
    for (const auto& record : *records) {
      Json body = Json::parse(record.body, nullptr, false);
      if (body.is_object()) items.push_back(std::move(body));
    }
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200, {{"items", items}, {"total", items.size()}});
  }

  // {"recipients": [codes] (default: every dependant), "title": "…", "content": "…"}
  void Send(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto incident = Incident(req, res, principal, true);
    if (!incident) return;
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    for (const auto& [key, value] : body->items()) {
      if (key != "recipients" && key != "title" && key != "content") {
        return SendError(res, Error::InvalidArgument("field '" + key + "': unknown"));
      }
    }
    for (const char* field : {"title", "content"}) {
      const Json value = body->value(field, Json());
      if (!value.is_string() || value.get<std::string>().empty() || value.get<std::string>().size() > kMaxText) {
        return SendError(res, Error::InvalidArgument(std::string("field '") + field +
                                                     "': required, 1–10,000 bytes (the member's own words)"));
      }
    }
    auto dependants = DependantsOf(incident->org_code);
    if (!dependants.ok()) return SendError(res, dependants.error());
    std::vector<std::string> recipients;
    if (body->contains("recipients")) {
      const Json& list = (*body)["recipients"];
      if (!list.is_array() || list.empty() || list.size() > 500) {
        return SendError(res, Error::InvalidArgument("field 'recipients': a list of 1–500 organisation codes"));
      }
      for (std::size_t idx = 0; idx < list.size(); ++idx) {
        const std::string place = "field 'recipients[" + std::to_string(idx) + "]'";
        if (!list[idx].is_string()) return SendError(res, Error::InvalidArgument(place + ": a code"));
        const std::string code = list[idx].get<std::string>();
        // Only those who receive the member's services: a notice is not a way to reach anyone else.
        if (!dependants->count(code)) {
          return SendError(res, Error::InvalidArgument(place + ": '" + code + "' does not depend on " +
                                                       incident->org_code + " in the dependency graph"));
        }
        if (std::find(recipients.begin(), recipients.end(), code) == recipients.end()) recipients.push_back(code);
      }
    } else {
      for (const auto& [code, relations] : *dependants) recipients.push_back(code);
    }
    if (recipients.empty()) {
      return SendError(res, Error::InvalidArgument("incident '" + incident->id + "': " + incident->org_code +
                                                   " has no dependants in the dependency graph to notify"));
    }
    auto sender = store_.GetOrganisation(incident->org_code);
    if (!sender.ok()) return SendError(res, sender.error());
    const Timestamp now = Timestamp::Now();
    const std::string when = now.ToRfc3339();
    const std::string batch = Uuid::V4().ToString();
    Json sent = Json::array();
    for (const auto& code : recipients) {
      const std::string note_id =
          "note--" + Uuid::V5(DannevirkeNamespace(), "service-notice:" + batch + ":" + code).ToString();
      Json note = {{"type", "note"},
                   {"spec_version", "2.1"},
                   {"id", note_id},
                   {"created", when},
                   {"modified", when},
                   {"abstract", body->value("title", "")},
                   {"content", body->value("content", "")},
                   {"object_refs", {sender->StixId()}},
                   {"created_by_ref", sender->StixId()},
                   {"object_marking_refs", {std::string(TlpMarkingId(Tlp::kAmber))}},
                   {"labels", {"nis2-art-23-1"}}};
      Json notice = {{"id", note_id},     {"incident", incident->id}, {"sender", incident->org_code},
                     {"recipient", code}, {"sent_at", when},          {"sent_by", ApiContext::Actor(principal)},
                     {"tlp", "amber"},    {"note", std::move(note)}};
      auto stored =
          store_.PutRecord({std::string(kNoticeKind), note_id, code, notice.dump(), 0}, ApiContext::Actor(principal));
      if (!stored.ok()) return SendError(res, stored.error());
      sent.push_back({{"recipient", code}, {"id", note_id}});
    }
    SendJson(res, 201, {{"incident", incident->id}, {"sent_at", when}, {"sent", sent}});
  }

  ApiContext& context_;
  Store& store_;
};

}  // namespace

void RegisterServiceNotices(Router& server, ApiContext& context) {
  auto module = std::make_shared<ServiceNoticesApi>(context);
  module->Register(server);
  context.Keep(module);
}

}  // namespace dv::hub
