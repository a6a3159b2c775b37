// SPDX-License-Identifier: Apache-2.0
// /api/v1/incidents…, /api/v1/campaigns, /api/v1/guidance…, /api/v1/competences…:
// NIS2 incident reporting with its clock, sharing an incident's indicators,
// the coordinator's national picture (timeline, campaigns, guidance) and the
// competences register. Documents are member records (incident/stored.h).
// Members see their own organisation's incidents and register; coordinators
// see all; nobody sees another member's people.

#include <httplib.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "core/uuid.h"
#include "hub/api.h"
#include "hub/module.h"
#include "hub/modules/incidents/incident_access.h"
#include "hub/modules/incidents/incident_drafts.h"
#include "hub/router.h"
#include "hub/stix_intake.h"
#include "incident/campaign.h"
#include "incident/competence.h"
#include "incident/local_time.h"
#include "incident/reports.h"
#include "incident/stored.h"
#include "stix/pattern.h"

namespace dv::hub {

namespace {

using incident::ReportStage;
// The incident records in the store (incident/stored.h).
using incident::kGuidanceKind;
using incident::kIncidentKind;
using incident::kRegisterKind;
using incident::kReportKind;
using incident::kShareKind;
using incident::LoadSubmissions;
using incident::ParseStored;
using incident::ReportRecordId;
using incident::SubmitReport;

constexpr const char* kUuidPattern = "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";
constexpr const char* kStagePattern = "(early_warning|notification|progress|final)";

Json TimeOrNull(const std::optional<Timestamp>& at) {
  if (!at) return Json();
  auto json = incident::TimeJson(*at);
  return json.ok() ? *json : Json(at->ToRfc3339());
}

std::string Today(Timestamp now) {
  auto local = incident::ToCopenhagen(now);
  return local.ok() ? local->Iso().substr(0, 10) : now.ToRfc3339().substr(0, 10);
}

// An organisation as incidents show it: code, name and region.
Json Brief(OrganisationLookup& orgs, const std::string& code) {
  const Organisation* org = orgs.Find(code);
  Json json = {{"code", code}, {"name", org ? org->name : code}, {"region_code", Json()}, {"region_name", Json()}};
  if (org && org->region_code) {
    json["region_code"] = *org->region_code;
    json["region_name"] = orgs.Name(*org->region_code);
  }
  return json;
}

Json ClockJson(const std::vector<incident::Deadline>& clock, Timestamp now) {
  Json out = Json::array();
  for (const auto& deadline : clock) {
    Json contents = Json::array();
    for (const auto& item : incident::RequiredContents(deadline.stage)) {
      static const char* kKinds[] = {"text", "bool", "severity", "list"};
      contents.push_back({{"key", item.key},
                          {"kind", kKinds[static_cast<int>(item.kind)]},
                          {"required", item.required},
                          {"da", item.da},
                          {"en", item.en}});
    }
    out.push_back(
        {{"stage", incident::ReportStageName(deadline.stage)},
         {"name", {{"da", incident::StageNameDa(deadline.stage)}, {"en", incident::StageNameEn(deadline.stage)}}},
         {"article", incident::StageArticle(deadline.stage)},
         {"due", TimeOrNull(deadline.due)},
         {"remaining_seconds", deadline.due ? Json((deadline.due->unix_ms() - now.unix_ms()) / 1000) : Json()},
         {"state", incident::DeadlineStateName(deadline.state)},
         {"overdue", deadline.state == incident::DeadlineState::kOverdue},
         {"submitted_at", TimeOrNull(deadline.submitted_at)},
         {"late", deadline.late},
         {"rule", deadline.rule},
         {"contents", std::move(contents)}});
  }
  return out;
}

class IncidentApi {
 public:
  // The campaign `id` as the fan-out needs it (the default 14-day window).
  Result<CampaignFacts> Campaign(const std::string& id) {
    OrganisationLookup orgs(store_);
    auto run = RunCampaigns(14, orgs);
    if (!run.ok()) return run.error();
    for (const auto& campaign : run->campaigns) {
      if (campaign.id != id) continue;
      CampaignFacts facts;
      facts.members = campaign.members;
      for (const auto& cause : campaign.causes) {
        if (cause.key.starts_with("org:")) facts.suppliers.push_back(cause.key.substr(4));
      }
      for (const auto& incident_id : campaign.incidents) {  // by start: the first one stays
        auto found = run->incidents.find(incident_id);
        if (found == run->incidents.end()) continue;
        facts.incident_of.emplace(found->second["org"].value("code", ""), incident_id);
      }
      return facts;
    }
    return Error::NotFound("no open campaign '" + id + "' (GET /api/v1/campaigns lists them)");
  }

  explicit IncidentApi(ApiContext& context) : context_(context), store_(context.store()) {}

  void Register(Router& server) {
    const auto route = [this](auto handler) { return context_.Route(this, handler); };
    const std::string incident_path = std::string("/api/v1/incidents/") + kUuidPattern;
    server.Get("/api/v1/incidents/timeline", route(&IncidentApi::Timeline));
    server.Get("/api/v1/incidents", route(&IncidentApi::List));
    server.Post("/api/v1/incidents", route(&IncidentApi::Create));
    server.Get(incident_path, route(&IncidentApi::One));
    server.Put(incident_path, route(&IncidentApi::Update));
    server.Post(incident_path + "/reports/" + kStagePattern, route(&IncidentApi::SubmitReportRoute));
    server.Get(incident_path + "/reports/" + kStagePattern, route(&IncidentApi::GetReport));
    server.Post(incident_path + "/share", route(&IncidentApi::Share));
    server.Get("/api/v1/campaigns", route(&IncidentApi::Campaigns));
    server.Post("/api/v1/guidance", route(&IncidentApi::PostGuidance));
    server.Get("/api/v1/guidance", route(&IncidentApi::ListGuidance));
    server.Get("/api/v1/competences", route(&IncidentApi::NationalCompetences));
    server.Get(R"(/api/v1/competences/([A-Za-z0-9_-]{1,16}))", route(&IncidentApi::GetRegister));
    server.Put(R"(/api/v1/competences/([A-Za-z0-9_-]{1,16}))", route(&IncidentApi::PutRegister));
  }

 private:
  // ---- incidents ----

  // The incident's JSON with its clock; `detail` adds versions, reports and shares.
  Result<Json> View(const Record& record, OrganisationLookup& orgs, Timestamp now, bool detail) {
    auto parsed = ParseStored(record);
    if (!parsed.ok()) return parsed.error();
    auto submitted = LoadSubmissions(store_, record.id);
    if (!submitted.ok()) return submitted.error();
    auto clock = incident::ComputeDeadlines(*parsed, *submitted, now);
    if (!clock.ok()) return clock.error();
    Json json = incident::IncidentToJson(*parsed);
    json["id"] = record.id;
    json["org"] = Brief(orgs, record.org_code);
    json["version"] = record.version;
    json["updated"] = record.at.ToRfc3339();
    json["became_aware_local"] = TimeOrNull(parsed->became_aware_at);
    json["start_local"] = TimeOrNull(parsed->Start());
    json["clock"] = ClockJson(*clock, now);
    bool overdue = false;
    Json next_due;
    for (const auto& deadline : *clock) {
      overdue = overdue || deadline.state == incident::DeadlineState::kOverdue;
      if (next_due.is_null() && deadline.due &&
          (deadline.state == incident::DeadlineState::kDue || deadline.state == incident::DeadlineState::kOverdue)) {
        next_due = {{"stage", incident::ReportStageName(deadline.stage)},
                    {"due", TimeOrNull(deadline.due)},
                    {"overdue", deadline.state == incident::DeadlineState::kOverdue}};
      }
    }
    json["overdue"] = overdue;
    json["next_due"] = next_due;
    if (!detail) return json;
    auto history = store_.RecordHistory(kIncidentKind, record.id);
    if (!history.ok()) return history.error();
    Json versions = Json::array();
    for (const auto& version : *history) {
      versions.push_back({{"version", version.version}, {"at", version.at.ToRfc3339()}, {"by", version.actor}});
    }
    json["created"] = history->front().at.ToRfc3339();
    json["versions"] = std::move(versions);
    Json reports = Json::object();
    for (auto stage : incident::AllReportStages()) {
      auto report_history = store_.RecordHistory(kReportKind, ReportRecordId(record.id, stage));
      Json list = Json::array();
      if (report_history.ok()) {
        for (const auto& version : *report_history) {
          list.push_back({{"version", version.version}, {"at", TimeOrNull(version.at)}, {"by", version.actor}});
        }
      }
      reports[std::string(incident::ReportStageName(stage))] = std::move(list);
    }
    json["reports"] = std::move(reports);
    Json shares = Json::array();
    if (auto share_history = store_.RecordHistory(kShareKind, record.id); share_history.ok()) {
      for (const auto& version : *share_history) {
        Json body = Json::parse(version.body, nullptr, false);
        body["at"] = version.at.ToRfc3339();
        body["by"] = version.actor;
        shares.push_back(std::move(body));
      }
    }
    json["shares"] = std::move(shares);
    return json;
  }

  // Checks what the incident library cannot: that named organisations exist
  // and that STIX patterns parse. Errors name the field.
  Status CheckReferences(const incident::Incident& parsed) {
    for (std::size_t idx = 0; idx < parsed.suspected_via.size(); ++idx) {
      if (!store_.GetOrganisation(parsed.suspected_via[idx]).ok()) {
        return Error::InvalidArgument("field 'suspected_via[" + std::to_string(idx) + "]': no organisation '" +
                                      parsed.suspected_via[idx] + "'");
      }
    }
    for (std::size_t idx = 0; idx < parsed.new_indicators.size(); ++idx) {
      if (auto status = ValidateIndicatorPattern("stix", parsed.new_indicators[idx].pattern); !status.ok()) {
        return Error::InvalidArgument("field 'new_indicators[" + std::to_string(idx) +
                                      "].pattern': " + status.error().message());
      }
    }
    return Ok();
  }

  std::optional<Record> Readable(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                                 const std::string& id) {
    return IncidentFor(context_, req, res, principal, id, IncidentUse::kRead);
  }
  std::optional<Record> Writable(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                                 const std::string& id) {
    return IncidentFor(context_, req, res, principal, id, IncidentUse::kWrite);
  }

  void Create(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!CanWriteOrgRecords(principal, principal.organisation.code)) {
      return context_.Forbid(principal, req, res, "incidents of " + principal.organisation.code);
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    const Timestamp now = Timestamp::Now();
    auto parsed = incident::IncidentFromJson(*body, now);
    if (!parsed.ok()) return SendError(res, parsed.error().WithContext("request body"));
    if (auto status = CheckReferences(*parsed); !status.ok()) {
      return SendError(res, status.error().WithContext("request body"));
    }
    RecordWrite write{kIncidentKind, Uuid::V4().ToString(), principal.organisation.code,
                      incident::IncidentToJson(*parsed).dump(), 0};
    auto stored = store_.PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    OrganisationLookup orgs(store_);
    auto view = View(*stored, orgs, now, true);
    if (!view.ok()) return SendError(res, view.error());
    res.set_header("Location", "/api/v1/incidents/" + stored->id);
    SendJson(res, 201, *view);
  }

  void Update(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = Writable(req, res, principal, req.matches[1].str());
    if (!record) return;
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    const auto version = body->find("version");
    if (version == body->end() || !version->is_number_integer()) {
      return SendError(res, Error::InvalidArgument(
                                "request body: field 'version': is required (the version you edited, a whole number)"));
    }
    const Timestamp now = Timestamp::Now();
    auto parsed = incident::IncidentFromJson(*body, now);
    if (!parsed.ok()) return SendError(res, parsed.error().WithContext("request body"));
    if (auto status = CheckReferences(*parsed); !status.ok()) {
      return SendError(res, status.error().WithContext("request body"));
    }
    RecordWrite write{kIncidentKind, record->id, record->org_code, incident::IncidentToJson(*parsed).dump(),
                      version->get<std::int64_t>()};
    auto stored = store_.PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    OrganisationLookup orgs(store_);
    auto view = View(*stored, orgs, now, true);
    if (!view.ok()) return SendError(res, view.error());
    SendJson(res, 200, *view);
  }

  void One(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = Readable(req, res, principal, req.matches[1].str());
    if (!record) return;
    OrganisationLookup orgs(store_);
    auto view = View(*record, orgs, Timestamp::Now(), true);
    if (!view.ok()) return SendError(res, view.error());
    SendJson(res, 200, *view);
  }

  // The incidents the principal may read: its own organisation's, or all for
  // a coordinator (optionally one organisation's).
  Result<std::vector<Record>> Visible(const httplib::Request& req, const Principal& principal) {
    RecordQuery query{kIncidentKind, principal.organisation.code, false};
    if (!MayUseIncident(principal, principal.organisation.code, IncidentUse::kRead)) {
      return Error::Forbidden("member '" + principal.member.id +
                              "' may not read incidents (its organisation's people " + "and coordinators only)");
    }
    if (IsCoordinator(principal)) {
      query.org_code = std::nullopt;
      if (req.has_param("org")) query.org_code = req.get_param_value("org");
    } else if (req.has_param("org") && req.get_param_value("org") != principal.organisation.code) {
      return Error::Forbidden("member '" + principal.member.id + "' may only list the incidents of " +
                              principal.organisation.code);
    }
    return store_.ListRecords(query);
  }

  void List(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"status", "org"}); !status.ok()) return SendError(res, status.error());
    const std::string status_filter = req.has_param("status") ? req.get_param_value("status") : "all";
    if (status_filter != "all" && !incident::ParseIncidentStatus(status_filter)) {
      return SendError(res, Error::InvalidArgument("query parameter 'status' must be open, handled, closed or all"));
    }
    auto records = Visible(req, principal);
    if (!records.ok()) {
      if (records.error().kind() == ErrorKind::kForbidden) {
        return context_.Forbid(principal, req, res, "incidents of " + req.get_param_value("org"));
      }
      return SendError(res, records.error());
    }
    OrganisationLookup orgs(store_);
    const Timestamp now = Timestamp::Now();
    Json items = Json::array();
    for (const auto& record : *records) {
      auto view = View(record, orgs, now, false);
      if (!view.ok()) return SendError(res, view.error());
      if (status_filter != "all" && (*view)["status"] != status_filter) continue;
      items.push_back(std::move(view).value());
    }
    std::sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
      return a["became_aware_at"].get<std::string>() > b["became_aware_at"].get<std::string>();
    });
    SendJson(res, 200, {{"items", items}, {"total", items.size()}});
  }

  void Timeline(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto records = Visible(req, principal);
    if (!records.ok()) return SendError(res, records.error());
    OrganisationLookup orgs(store_);
    const Timestamp now = Timestamp::Now();
    Json items = Json::array();
    std::map<std::string, int> per_member;
    for (const auto& record : *records) {
      auto view = View(record, orgs, now, false);
      if (!view.ok()) return SendError(res, view.error());
      if ((*view)["status"] != "open") continue;
      per_member[record.org_code] += 1;
      items.push_back({{"id", record.id},
                       {"org", (*view)["org"]},
                       {"title", (*view)["title"]},
                       {"start", (*view)["start_local"]},
                       {"became_aware", (*view)["became_aware_local"]},
                       {"suspected_malicious", (*view)["suspected_malicious"]},
                       {"cross_member_impact", (*view)["cross_member_impact"]},
                       {"next_due", (*view)["next_due"]},
                       {"overdue", (*view)["overdue"]}});
    }
    std::sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
      return a["start"]["utc"].get<std::string>() < b["start"]["utc"].get<std::string>();
    });
    Json members = Json::array();
    for (const auto& [code, count] : per_member) {
      Json brief = Brief(orgs, code);
      brief["open_incidents"] = count;
      members.push_back(std::move(brief));
    }
    SendJson(res, 200,
             {{"generated", TimeOrNull(now)},
              {"items", items},
              {"members", members},
              {"scope", IsCoordinator(principal) ? "national" : "own"}});
  }

  void SubmitReportRoute(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = Writable(req, res, principal, req.matches[1].str());
    if (!record) return;
    const auto stage = incident::ParseReportStage(req.matches[2].str());
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    if (!body->contains("contents")) {
      return SendError(res, Error::InvalidArgument("request body: field 'contents': is required (an object)"));
    }
    auto stored =
        SubmitReport(store_, *record, *stage, (*body)["contents"], ApiContext::Actor(principal), Timestamp::Now());
    if (!stored.ok()) {
      return SendError(res, stored.error().kind() == ErrorKind::kInvalidArgument
                                ? stored.error().WithContext("request body")
                                : stored.error());
    }
    const Json stored_body = Json::parse(stored->body);
    SendJson(res, 201,
             {{"stage", req.matches[2].str()}, {"version", stored->version}, {"document", stored_body["document"]}});
  }

  void GetReport(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"format", "version"}); !status.ok()) return SendError(res, status.error());
    auto record = Readable(req, res, principal, req.matches[1].str());
    if (!record) return;
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
    if (format != "json" && format != "html") {
      return SendError(res, Error::InvalidArgument("query parameter 'format' must be json or html"));
    }
    auto wanted = IntParam(req, "version", 0);
    if (!wanted.ok()) return SendError(res, wanted.error());
    const auto stage = incident::ParseReportStage(req.matches[2].str());
    auto history = store_.RecordHistory(kReportKind, ReportRecordId(record->id, *stage));
    if (!history.ok() || history->empty()) {
      return SendError(
          res, Error::NotFound("incident '" + record->id + "' has no submitted " + req.matches[2].str() + " report"));
    }
    const Record* chosen = &history->back();
    if (*wanted != 0) {
      chosen = nullptr;
      for (const auto& version : *history) {
        if (version.version == *wanted) chosen = &version;
      }
      if (chosen == nullptr) {
        return SendError(res, Error::NotFound("report " + req.matches[2].str() + " of incident '" + record->id +
                                              "' has no version " + std::to_string(*wanted)));
      }
    }
    const Json body = Json::parse(chosen->body);
    if (format == "html") {
      res.status = 200;
      res.set_content(incident::RenderReportHtml(body["document"]), "text/html; charset=utf-8");
      return;
    }
    Json versions = Json::array();
    for (const auto& version : *history) {
      versions.push_back({{"version", version.version}, {"at", version.at.ToRfc3339()}, {"by", version.actor}});
    }
    SendJson(res, 200,
             {{"stage", req.matches[2].str()},
              {"version", chosen->version},
              {"document", body["document"]},
              {"versions", versions}});
  }

  // Shares the incident's indicators with the community: a STIX report that
  // refers to them, and an indicator for each pattern the member found, in
  // the national collection under the TLP the member chooses.
  void Share(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = Writable(req, res, principal, req.matches[1].str());
    if (!record) return;
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto parsed = ParseStored(*record);
    if (!parsed.ok()) return SendError(res, parsed.error());
    Tlp tlp = parsed->share_tlp;
    if (body->contains("tlp")) {
      const auto chosen = (*body)["tlp"].is_string() ? ParseTlp((*body)["tlp"].get<std::string>()) : std::nullopt;
      if (!chosen) {
        return SendError(
            res, Error::InvalidArgument("request body: field 'tlp': must be clear, green, amber or amber+strict"));
      }
      tlp = *chosen;
    }
    if (tlp == Tlp::kRed) {
      return SendError(res,
                       Error::InvalidArgument("request body: field 'tlp': TLP:RED is for named recipients only; choose "
                                              "clear, green, amber or amber+strict to share with the community"));
    }
    if (parsed->indicators.empty() && parsed->new_indicators.empty()) {
      return SendError(res, Error::InvalidArgument(
                                "incident '" + record->id +
                                "': field 'indicators': the incident lists no indicators or new_indicators to share"));
    }
    const std::string collection_id = Uuid::V5(DannevirkeNamespace(), "collection:national").ToString();
    auto collection = store_.GetCollection(collection_id);
    if (!collection.ok()) return SendError(res, collection.error().WithContext("the national collection"));
    if (!CanWriteCollection(principal, *collection)) {
      return context_.Forbid(principal, req, res, "collection " + collection_id);
    }
    auto history = store_.RecordHistory(kIncidentKind, record->id);
    if (!history.ok()) return SendError(res, history.error());
    const std::string created = history->front().at.ToRfc3339();
    const std::string now = Timestamp::Now().ToRfc3339();
    const std::string marking(TlpMarkingId(tlp));
    std::vector<NewObject> objects;
    std::vector<std::string> refs = parsed->indicators;
    for (const auto& found : parsed->new_indicators) {
      const std::string id =
          "indicator--" + Uuid::V5(DannevirkeNamespace(), "incident:" + record->id + ":" + found.pattern).ToString();
      Json indicator = {{"type", "indicator"},
                        {"spec_version", "2.1"},
                        {"id", id},
                        {"created", created},
                        {"modified", now},
                        {"name", found.name},
                        {"pattern", found.pattern},
                        {"pattern_type", "stix"},
                        {"valid_from", parsed->Start().ToRfc3339()},
                        {"indicator_types", {"malicious-activity"}},
                        {"created_by_ref", principal.organisation.StixId()},
                        {"object_marking_refs", {marking}}};
      auto intake = IntakeObject(indicator.dump());
      if (!intake.ok()) return SendError(res, intake.error());
      objects.push_back(std::move(intake).value());
      refs.push_back(id);
    }
    const std::string report_id =
        "report--" + Uuid::V5(DannevirkeNamespace(), "incident-report:" + record->id).ToString();
    Json report = {{"type", "report"},
                   {"spec_version", "2.1"},
                   {"id", report_id},
                   {"created", created},
                   {"modified", now},
                   {"name", parsed->title},
                   {"published", now},
                   {"report_types", {"attack-pattern", "indicator"}},
                   {"object_refs", refs},
                   {"created_by_ref", principal.organisation.StixId()},
                   {"object_marking_refs", {marking}}};
    auto intake = IntakeObject(report.dump());
    if (!intake.ok()) return SendError(res, intake.error());
    objects.push_back(std::move(intake).value());
    auto added = store_.AddObjects(collection_id, objects, principal.organisation.code, ApiContext::Actor(principal));
    if (!added.ok()) return SendError(res, added.error());
    Json ids = Json::array();
    for (const auto& object : objects) ids.push_back(object.id);
    const Json share = {{"tlp", TlpName(tlp)}, {"collection", collection_id}, {"report", report_id}, {"objects", ids}};
    RecordWrite write{kShareKind, record->id, record->org_code, share.dump(), std::nullopt};
    auto stored = store_.PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    Json out = share;
    out["version"] = stored->version;
    SendJson(res, 201, out);
  }

  // ---- national picture ----

  // The indicator each listed sighting is of, from any collection.
  std::vector<std::string> SightedIndicators(const std::vector<std::string>& sightings,
                                             const std::vector<Collection>& collections) {
    std::vector<std::string> out;
    if (sightings.empty()) return out;
    for (const auto& collection : collections) {
      ObjectQuery query;
      query.collection_id = collection.id;
      query.ids = sightings;
      query.types = {"sighting"};
      query.limit = Store::kMaxPageSize;
      auto page = store_.QueryObjects(query, [](const StoredObject&) { return true; });
      if (!page.ok()) continue;
      for (const auto& object : page->objects) {
        const Json json = Json::parse(object.json, nullptr, false);
        if (json.is_object() && json.contains("sighting_of_ref") && json["sighting_of_ref"].is_string()) {
          out.push_back(json["sighting_of_ref"].get<std::string>());
        }
      }
    }
    return out;
  }

  struct CampaignRun {
    std::vector<incident::Campaign> campaigns;
    std::map<std::string, Json> incidents;  // id → brief
  };

  Result<CampaignRun> RunCampaigns(std::int64_t window_days, OrganisationLookup& orgs) {
    auto records = store_.ListRecords({kIncidentKind, std::nullopt, false});
    if (!records.ok()) return records.error();
    auto collections = store_.ListCollections();
    if (!collections.ok()) return collections.error();
    std::map<std::string, std::vector<std::string>> upstream;
    CampaignRun run;
    std::vector<incident::CampaignIncident> input;
    for (const auto& record : *records) {
      auto parsed = ParseStored(record);
      if (!parsed.ok()) return parsed.error();
      if (parsed->status != incident::IncidentStatus::kOpen) continue;
      for (const auto& code : parsed->suspected_via) {
        if (upstream.count(code)) continue;
        std::vector<std::string>& up = upstream[code];
        if (const Organisation* org = orgs.Find(code); org && org->operator_code) up.push_back(*org->operator_code);
        if (auto edges = store_.ListDependencies(code, EdgeDirection::kDependencies); edges.ok()) {
          for (const auto& edge : *edges) {
            if (edge.edge.relation == Relation::kSuppliedBy) up.push_back(edge.other_code);
          }
        }
      }
      input.push_back({record.id, record.org_code, parsed->Start(),
                       incident::CauseKeys(parsed->indicators, SightedIndicators(parsed->sightings, *collections),
                                           parsed->suspected_via, upstream)});
      run.incidents[record.id] = {{"id", record.id},
                                  {"org", Brief(orgs, record.org_code)},
                                  {"title", parsed->title},
                                  {"start", TimeOrNull(parsed->Start())}};
    }
    incident::CampaignOptions options;
    options.window_ms = window_days * 86'400'000;
    run.campaigns = incident::DetectCampaigns(input, options);
    return run;
  }

  void Campaigns(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"window_days"}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "campaigns (coordinators only)");
    auto window = IntParam(req, "window_days", 14);
    if (!window.ok()) return SendError(res, window.error());
    if (*window < 1 || *window > 90) {
      return SendError(res, Error::InvalidArgument("query parameter 'window_days' must be 1-90"));
    }
    OrganisationLookup orgs(store_);
    auto run = RunCampaigns(*window, orgs);
    if (!run.ok()) return SendError(res, run.error());
    Json items = Json::array();
    for (const auto& campaign : run->campaigns) {
      Json members = Json::array();
      for (const auto& code : campaign.members) members.push_back(Brief(orgs, code));
      Json incidents_json = Json::array();
      for (const auto& id : campaign.incidents) incidents_json.push_back(run->incidents[id]);
      Json causes = Json::array();
      for (const auto& cause : campaign.causes) {
        const auto colon = cause.key.find(':');
        const std::string kind = cause.key.substr(0, colon);
        const std::string id = cause.key.substr(colon + 1);
        Json item = {{"kind", kind == "org" ? "supplier" : "indicator"}, {"id", id}, {"incidents", cause.incidents}};
        if (kind == "org") {
          const Organisation* org = orgs.Find(id);
          item["name"] = org ? org->name : id;
          item["org_kind"] = org ? Json(OrgKindName(org->kind)) : Json();
        } else {
          item["name"] = id;
        }
        causes.push_back(std::move(item));
      }
      items.push_back({{"id", campaign.id},
                       {"members", members},
                       {"incidents", incidents_json},
                       {"causes", causes},
                       {"first", TimeOrNull(campaign.first)},
                       {"last", TimeOrNull(campaign.last)}});
    }
    SendJson(res, 200,
             {{"window_days", *window},
              {"rule",
               "open incidents of different members sharing an indicator (listed or sighted) or a suspected "
               "supplier/shared system (or its supplier), with starts at most window_days apart"},
              {"items", items}});
  }

  // ---- guidance ----

  void PostGuidance(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "guidance (coordinators only)");
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto field_text = [&](const char* field, std::size_t max) -> Result<std::string> {
      const auto it = body->find(field);
      if (it == body->end() || !it->is_string() || it->get<std::string>().empty()) {
        return Error::InvalidArgument(std::string("request body: field '") + field + "': is required");
      }
      if (it->get<std::string>().size() > max) {
        return Error::InvalidArgument(std::string("request body: field '") + field + "': must be at most " +
                                      std::to_string(max) + " characters");
      }
      return it->get<std::string>();
    };
    auto title = field_text("title", 200);
    if (!title.ok()) return SendError(res, title.error());
    auto text = field_text("body", 20000);
    if (!text.ok()) return SendError(res, text.error());
    const std::string severity = body->value("severity", std::string("info"));
    if (severity != "info" && severity != "warning" && severity != "critical") {
      return SendError(res,
                       Error::InvalidArgument("request body: field 'severity': must be info, warning or critical"));
    }
    std::set<std::string> recipients;
    Json campaign_id;
    if (const auto it = body->find("recipients"); it != body->end() && !it->is_null()) {
      if (!it->is_array()) {
        return SendError(res, Error::InvalidArgument("request body: field 'recipients': must be a list of codes"));
      }
      for (std::size_t idx = 0; idx < it->size(); ++idx) {
        const auto& code = (*it)[idx];
        if (!code.is_string() || !store_.GetOrganisation(code.get<std::string>()).ok()) {
          return SendError(res, Error::InvalidArgument("request body: field 'recipients[" + std::to_string(idx) +
                                                       "]': not a known organisation code"));
        }
        recipients.insert(code.get<std::string>());
      }
    }
    if (const auto it = body->find("campaign"); it != body->end() && !it->is_null()) {
      if (!it->is_string()) {
        return SendError(res, Error::InvalidArgument("request body: field 'campaign': must be a campaign id"));
      }
      OrganisationLookup orgs(store_);
      auto run = RunCampaigns(body->value("window_days", 14), orgs);
      if (!run.ok()) return SendError(res, run.error());
      bool found = false;
      for (const auto& campaign : run->campaigns) {
        if (campaign.id != it->get<std::string>()) continue;
        found = true;
        recipients.insert(campaign.members.begin(), campaign.members.end());
      }
      if (!found) {
        return SendError(res, Error::InvalidArgument("request body: field 'campaign': no current campaign '" +
                                                     it->get<std::string>() + "'"));
      }
      campaign_id = *it;
    }
    if (recipients.empty()) {
      return SendError(
          res, Error::InvalidArgument("request body: field 'recipients': name at least one member, or a 'campaign'"));
    }
    const Json guidance = {{"title", *title},
                           {"body", *text},
                           {"severity", severity},
                           {"recipients", recipients},
                           {"campaign", campaign_id},
                           {"from", {{"code", principal.organisation.code}, {"name", principal.organisation.name}}}};
    RecordWrite write{kGuidanceKind, Uuid::V4().ToString(), principal.organisation.code, guidance.dump(), 0};
    auto stored = store_.PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    Json out = guidance;
    out["id"] = stored->id;
    out["posted"] = TimeOrNull(stored->at);
    SendJson(res, 201, out);
  }

  void ListGuidance(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto records = store_.ListRecords({kGuidanceKind, std::nullopt, false});
    if (!records.ok()) return SendError(res, records.error());
    const bool coordinator = IsCoordinator(principal);
    Json items = Json::array();
    for (const auto& record : *records) {
      Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object()) continue;
      bool addressed = false;
      for (const auto& code : body.value("recipients", Json::array())) {
        addressed = addressed || code == principal.organisation.code;
      }
      if (!coordinator && !addressed) continue;
      if (!coordinator) body.erase("recipients");  // members do not learn who else was addressed
      body["id"] = record.id;
      body["posted"] = TimeOrNull(record.at);
      items.push_back(std::move(body));
    }
    std::sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
      return a["posted"]["utc"].get<std::string>() > b["posted"]["utc"].get<std::string>();
    });
    SendJson(res, 200, {{"items", items}, {"total", items.size()}});
  }

  // ---- competences ----

  Json ProfilesJson() {
    Json out = Json::array();
    for (const auto& profile : incident::RoleProfiles()) {
      out.push_back({{"id", profile.id},
                     {"ecsf", profile.ecsf_title},
                     {"da", profile.da},
                     {"en", profile.en},
                     {"description_da", profile.description_da},
                     {"description_en", profile.description_en}});
    }
    return out;
  }

  static Json GapsJson(const incident::GapReport& gaps) {
    Json roles = Json::array();
    for (const auto& gap : gaps.roles) {
      roles.push_back({{"role", gap.role},
                       {"required", gap.required},
                       {"coverage", incident::CoverageName(gap.coverage)},
                       {"single_person", gap.single_person}});
    }
    return {{"band", incident::SizeBandName(gaps.band)},
            {"target", incident::TargetRoles(gaps.band)},
            {"roles", roles},
            {"gaps", gaps.gaps},
            {"single_person", gaps.single_person},
            {"management_training_current", gaps.management_training_current},
            {"last_management_training", gaps.last_management_training ? Json(*gaps.last_management_training) : Json()},
            {"score", gaps.score}};
  }

  void GetRegister(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string code = req.matches[1].str();
    if (!CanReadOrgRecords(principal, code)) return context_.Forbid(principal, req, res, "competences of " + code);
    auto org = store_.GetOrganisation(code);
    if (!org.ok()) return SendError(res, org.error());
    incident::CompetenceRegister reg;
    std::int64_t version = 0;
    Json updated;
    if (auto record = store_.GetRecord(kRegisterKind, code); record.ok()) {
      auto parsed = incident::RegisterFromJson(Json::parse(record->body, nullptr, false));
      if (!parsed.ok()) return SendError(res, parsed.error().WithContext("stored register of " + code));
      reg = *parsed;
      version = record->version;
      updated = TimeOrNull(record->at);
    } else if (record.error().kind() != ErrorKind::kNotFound) {
      return SendError(res, record.error());
    }
    const auto gaps =
        incident::AnalyseGaps(reg, incident::BandFor(org->kind, org->population), Today(Timestamp::Now()));
    Json out = incident::RegisterToJson(reg);
    out["org"] = {
        {"code", org->code}, {"name", org->name}, {"population", org->population ? Json(*org->population) : Json()}};
    out["version"] = version;
    out["updated"] = updated;
    out["gaps"] = GapsJson(gaps);
    out["baseline_evidence"] = incident::BaselineEvidence(gaps);
    out["profiles"] = ProfilesJson();
    SendJson(res, 200, out);
  }

  void PutRegister(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string code = req.matches[1].str();
    if (!CanWriteOrgRecords(principal, code)) return context_.Forbid(principal, req, res, "competences of " + code);
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto parsed = incident::RegisterFromJson(*body);
    if (!parsed.ok()) return SendError(res, parsed.error().WithContext("request body"));
    std::optional<std::int64_t> expected;
    if (const auto it = body->find("version"); it != body->end() && !it->is_null()) {
      if (!it->is_number_integer()) {
        return SendError(res, Error::InvalidArgument("request body: field 'version': must be a whole number"));
      }
      expected = it->get<std::int64_t>();
    }
    RecordWrite write{kRegisterKind, code, code, incident::RegisterToJson(*parsed).dump(), expected};
    auto stored = store_.PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    GetRegister(req, res, principal);
  }

  void NationalCompetences(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"min_members"}); !status.ok()) return SendError(res, status.error());
    auto min_members = IntParam(req, "min_members", 2);
    if (!min_members.ok()) return SendError(res, min_members.error());
    if (*min_members < 1 || *min_members > 100) {
      return SendError(res, Error::InvalidArgument("query parameter 'min_members' must be 1-100"));
    }
    auto records = store_.ListRecords({kRegisterKind, std::nullopt, false});
    if (!records.ok()) return SendError(res, records.error());
    OrganisationLookup orgs(store_);
    const std::string today = Today(Timestamp::Now());
    std::vector<incident::MemberCompetence> members;
    Json registers = Json::array();
    for (const auto& record : *records) {
      const Organisation* org = orgs.Find(record.org_code);
      if (org == nullptr) continue;
      auto parsed = incident::RegisterFromJson(Json::parse(record.body, nullptr, false));
      if (!parsed.ok()) continue;  // written validated; never expected
      auto gaps = incident::AnalyseGaps(*parsed, incident::BandFor(org->kind, org->population), today);
      registers.push_back({{"org", Brief(orgs, org->code)},
                           {"band", incident::SizeBandName(gaps.band)},
                           {"score", gaps.score},
                           {"gaps", gaps.gaps},
                           {"single_person", gaps.single_person},
                           {"management_training_current", gaps.management_training_current}});
      members.push_back({org->code, org->region_code.value_or(""), std::move(gaps)});
    }
    const auto national = incident::SummariseNational(members, *min_members);
    Json roles = Json::array();
    for (const auto& count : national.roles) {
      roles.push_back({{"role", count.role},
                       {"covered", count.covered},
                       {"partly", count.partly},
                       {"missing", count.missing},
                       {"single_person", count.single_person}});
    }
    const bool coordinator = IsCoordinator(principal);
    const Organisation* own = orgs.Find(principal.organisation.code);
    const std::string own_region = own && own->region_code ? *own->region_code : "";
    Json suggestions = Json::array();
    for (const auto& suggestion : national.suggestions) {
      Json item = {{"region", Brief(orgs, suggestion.region_code)},
                   {"role", suggestion.role},
                   {"count", suggestion.members.size()}};
      if (coordinator) {
        Json codes = Json::array();
        for (const auto& code : suggestion.members) codes.push_back(Brief(orgs, code));
        item["members"] = codes;
      } else {
        if (suggestion.region_code != own_region) continue;
        item["includes_you"] = std::find(suggestion.members.begin(), suggestion.members.end(),
                                         principal.organisation.code) != suggestion.members.end();
      }
      suggestions.push_back(std::move(item));
    }
    Json out = {{"scope", coordinator ? "national" : "aggregate"},
                {"registers", national.registers},
                {"management_training_current", national.management_training_current},
                {"roles", roles},
                {"suggestions", suggestions},
                {"profiles", ProfilesJson()},
                {"min_members", *min_members}};
    if (coordinator) {
      Json single = Json::array();
      for (const auto& [code, role] : national.single_person) {
        single.push_back({{"org", Brief(orgs, code)}, {"role", role}});
      }
      out["single_person"] = single;
      out["members"] = registers;
    }
    SendJson(res, 200, out);
  }

  ApiContext& context_;
  Store& store_;
};

}  // namespace

void RegisterIncidentApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<IncidentApi>(context);
  // Before the module's own routes: /api/v1/incidents/drafts is not an incident id.
  RegisterIncidentDrafts(server, context, [module](const std::string& id) { return module->Campaign(id); });
  RegisterIncidentReporting(server, context);
  RegisterServiceNotices(server, context);
  module->Register(server);
  context.Keep(module);
}

namespace {
constexpr std::array<std::string_view, 4> kIncidentsPathPrefixes = {"/api/v1/campaigns", "/api/v1/competences",
                                                                    "/api/v1/guidance", "/api/v1/incidents"};
constexpr std::array<std::string_view, 9> kIncidentsRecordKinds = {
    "incident",         "incident.report", "incident.share",     "competence.register",     "guidance",
    kIncidentDraftKind, kIncidentGdprKind, kIncidentReceiptKind, kIncidentServiceNoticeKind};
constexpr std::array<std::string_view, 0> kIncidentsAuditActions = {};
}  // namespace

extern const Module kIncidentsModule;
constinit const Module kIncidentsModule{
    .name = "incidents",
    .register_routes = &RegisterIncidentApi,
    .openapi_fragment = "incident.openapi.json",
    .path_prefixes = kIncidentsPathPrefixes,
    .record_kinds = kIncidentsRecordKinds,
    .audit_actions = kIncidentsAuditActions,
    .dashboard_route = "#/incidents",
};

}  // namespace dv::hub
