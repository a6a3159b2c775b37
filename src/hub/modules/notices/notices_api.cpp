// SPDX-License-Identifier: Apache-2.0
// /api/v1/notices/…: outside reports routed to members (issue 15,
// docs/notices.md).
//   reports                                     POST: ingest a report file (coordinator); GET: the ingests
//   blind-spots                                 what routed to nobody, and notices members say are not theirs
//   members/{code}                              the member's notices, newest first (without rows)
//   members/{code}/history                      per report type, what was found over time
//   members/{code}/notices/{id}                 one notice with its rows
//   members/{code}/notices/{id}/status          POST: open | acknowledged | resolved | not_ours
//
// Who reads what: a notice is TLP:AMBER for its member. It is read by the
// member's people (not its sensors: a sensor has no use for what outsiders
// found) and by coordinators, who ingest the reports; its status is set by
// the member's people. Ingests and blind spots are the coordinators'. Anyone
// else gets 403, audited. No other route and no aggregate returns a notice.

#include <httplib.h>

#include <algorithm>
#include <array>
#include <memory>

#include "hub/api.h"
#include "hub/module.h"
#include "hub/router.h"
#include "notices/notices.h"
#include "register/register_store.h"

namespace dv::hub {

namespace {

// Rows of a notice listed inline in one answer; a larger notice says how
// many it has (row_count) and how many were left out.
constexpr std::size_t kMaxRowsPerAnswer = 5000;
constexpr int kMaxIngestsListed = 200;

Json NoticeSummary(const Record& record) {
  Json body = Json::parse(record.body, nullptr, false);
  if (!body.is_object()) return Json::object();
  body.erase("rows");
  body["version"] = record.version;
  body["updated"] = record.at.ToRfc3339();
  return body;
}

class NoticesApi {
 public:
  explicit NoticesApi(ApiContext& context) : context_(context) {}

  void Register(Router& server) {
    const std::string member = R"(/api/v1/notices/members/([A-Za-z0-9_.-]{1,64}))";
    const std::string notice = member + R"(/notices/(ntc-[0-9a-f]{32}))";
    server.Post("/api/v1/notices/reports", context_.Route(this, &NoticesApi::PostReport));
    server.Get("/api/v1/notices/reports", context_.Route(this, &NoticesApi::ListReports));
    server.Get("/api/v1/notices/blind-spots", context_.Route(this, &NoticesApi::GetBlindSpots));
    server.Get(member, context_.Route(this, &NoticesApi::ListNotices));
    server.Get(member + "/history", context_.Route(this, &NoticesApi::GetHistory));
    server.Get(notice, context_.Route(this, &NoticesApi::GetNotice));
    server.Post(notice + "/status", context_.Route(this, &NoticesApi::PostStatus));
  }

 private:
  Result<Organisation> PathOrganisation(const httplib::Request& req) {
    const std::string code = req.matches[1].str();
    auto organisation = context_.store().GetOrganisation(code);
    if (!organisation.ok() && organisation.error().kind() == ErrorKind::kNotFound) {
      return Error::NotFound("no organisation has the code '" + code + "'");
    }
    return organisation;
  }

  void PostReport(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"format", "source", "origin", "severity", "address_column", "domain_column"});
        !status.ok()) {
      return SendError(res, status.error());
    }
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "ingesting an outside report");
    notices::IngestRequest request;
    for (const auto* required : {"format", "source"}) {
      if (!req.has_param(required)) {
        return SendError(res, Error::InvalidArgument(std::string("query parameter '") + required + "' is required"));
      }
    }
    request.format = req.get_param_value("format");
    request.source = req.get_param_value("source");
    request.origin = req.has_param("origin") ? req.get_param_value("origin") : "report";
    if (req.has_param("severity")) {
      request.default_severity = notices::ParseSeverity(req.get_param_value("severity"));
      if (!request.default_severity) {
        return SendError(
            res, Error::InvalidArgument("query parameter 'severity' must be info, low, medium, high or critical"));
      }
    }
    request.address_column = req.get_param_value("address_column");
    request.domain_column = req.get_param_value("domain_column");
    request.ingester_org = principal.member.org_code;
    request.actor = ApiContext::Actor(principal);
    request.now = Timestamp::Now();
    auto table = reg::LoadRoutingTable(context_.store());
    if (!table.ok()) return SendError(res, table.error());
    auto result = notices::Ingest(context_.store(), *table, req.body, request);
    if (!result.ok()) return SendError(res, result.error());
    SendJson(res, 201, notices::IngestJson(*result, request));
  }

  void ListReports(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "the list of ingested reports");
    auto records = context_.store().ListRecords({std::string(notices::kIngestKind), std::nullopt, false});
    if (!records.ok()) return SendError(res, records.error());
    std::vector<Json> ingests;
    for (const auto& record : *records) {
      Json body = Json::parse(record.body, nullptr, false);
      if (body.is_object()) ingests.push_back(std::move(body));
    }
    std::sort(ingests.begin(), ingests.end(),
              [](const Json& a, const Json& b) { return a.value("received", "") > b.value("received", ""); });
    if (ingests.size() > kMaxIngestsListed) ingests.resize(kMaxIngestsListed);
    SendJson(res, 200, {{"reports", ingests}});
  }

  void GetBlindSpots(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "the blind spots of outside reports");
    auto table = reg::LoadRoutingTable(context_.store());
    if (!table.ok()) return SendError(res, table.error());
    auto spots = notices::BlindSpots(context_.store(), *table);
    if (!spots.ok()) return SendError(res, spots.error());
    Json list = Json::array();
    std::size_t rows = 0;
    for (const auto& spot : *spots) {
      rows += spot.rows;
      Json item = {{"key", spot.key},
                   {"reason", spot.reason},
                   {"rows", spot.rows},
                   {"report_types", spot.report_types},
                   {"sample", spot.sample},
                   {"first_seen", spot.first_seen},
                   {"last_seen", spot.last_seen}};
      if (!spot.hint.empty()) item["hint"] = spot.hint;
      list.push_back(std::move(item));
    }
    // Notices a member said are not its own: the register routed them wrongly.
    auto records = context_.store().ListRecords({std::string(notices::kNoticeKind), std::nullopt, false});
    if (!records.ok()) return SendError(res, records.error());
    Json disputed = Json::array();
    for (const auto& record : *records) {
      Json summary = NoticeSummary(record);
      if (summary.value("status", "") == "not_ours") disputed.push_back(std::move(summary));
    }
    SendJson(res, 200, {{"blind_spots", std::move(list)}, {"rows", rows}, {"disputed", std::move(disputed)}});
  }

  void ListNotices(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"status", "report_type"}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanReadOrgPeopleRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the notices of " + organisation->code);
    }
    const std::string status = req.get_param_value("status");
    if (!status.empty() && !notices::ParseNoticeStatus(status)) {
      return SendError(
          res, Error::InvalidArgument("query parameter 'status' must be open, acknowledged, resolved or not_ours"));
    }
    const std::string type = req.get_param_value("report_type");
    auto records = context_.store().ListRecords({std::string(notices::kNoticeKind), organisation->code, false});
    if (!records.ok()) return SendError(res, records.error());
    std::vector<Json> list;
    for (const auto& record : *records) {
      Json summary = NoticeSummary(record);
      if (!status.empty() && summary.value("status", "") != status) continue;
      if (!type.empty() && summary.value("report_type", "") != type) continue;
      list.push_back(std::move(summary));
    }
    std::sort(list.begin(), list.end(),
              [](const Json& a, const Json& b) { return a.value("received", "") > b.value("received", ""); });
    SendNoStore(res, 200, {{"organisation", organisation->code}, {"tlp", "amber"}, {"notices", list}});
  }

  void GetHistory(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanReadOrgPeopleRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the notices of " + organisation->code);
    }
    auto history = notices::MemberHistory(context_.store(), organisation->code);
    if (!history.ok()) return SendError(res, history.error());
    Json types = Json::array();
    for (const auto& type : *history) {
      Json months = Json::array();
      for (const auto& [month, rows] : type.rows_by_month) months.push_back({{"month", month}, {"rows", rows}});
      types.push_back({{"report_type", type.report_type},
                       {"notices", type.notices},
                       {"rows", type.rows},
                       {"open", type.open},
                       {"first_received", type.first_received},
                       {"last_received", type.last_received},
                       {"by_month", std::move(months)}});
    }
    SendNoStore(res, 200, {{"organisation", organisation->code}, {"report_types", std::move(types)}});
  }

  // The notice of the path, when the principal may read it; sends the answer otherwise.
  std::optional<Record> PathNotice(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                                   bool write) {
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) {
      SendError(res, organisation.error());
      return std::nullopt;
    }
    const bool allowed =
        write ? (principal.member.role == MemberRole::kAdmin ||
                 (principal.member.role == MemberRole::kMember && principal.member.org_code == organisation->code))
              : CanReadOrgPeopleRecords(principal, organisation->code);
    if (!allowed) {
      context_.Forbid(principal, req, res, "the notices of " + organisation->code);
      return std::nullopt;
    }
    const std::string id = req.matches[2].str();
    auto record = context_.store().GetRecord(notices::kNoticeKind, id);
    // Another member's notice id answers as an unknown one.
    if (!record.ok() || record->org_code != organisation->code) {
      SendError(res, Error::NotFound("no notice '" + id + "' for " + organisation->code));
      return std::nullopt;
    }
    return std::move(record).value();
  }

  void GetNotice(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = PathNotice(req, res, principal, false);
    if (!record) return;
    Json body = Json::parse(record->body, nullptr, false);
    if (!body.is_object()) return SendError(res, Error::Internal("notice body is not a JSON object"));
    body["version"] = record->version;
    body["updated"] = record->at.ToRfc3339();
    auto& rows = body["rows"];
    if (rows.is_array() && rows.size() > kMaxRowsPerAnswer) {
      body["rows_left_out"] = rows.size() - kMaxRowsPerAnswer;
      rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(kMaxRowsPerAnswer), rows.end());
    }
    SendNoStore(res, 200, body);
  }

  void PostStatus(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto record = PathNotice(req, res, principal, true);
    if (!record) return;
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    for (const auto& [key, value] : body->items()) {
      if (key != "status" && key != "comment") return SendError(res, Error::InvalidArgument(key + ": unknown field"));
      if (!value.is_string()) return SendError(res, Error::InvalidArgument(key + ": must be a string"));
    }
    if (!body->contains("status")) return SendError(res, Error::InvalidArgument("status: required"));
    const auto status = notices::ParseNoticeStatus((*body)["status"].get<std::string>());
    if (!status) {
      return SendError(res, Error::InvalidArgument("status: must be open, acknowledged, resolved or not_ours"));
    }
    auto stored = notices::SetStatus(context_.store(), record->org_code, record->id, *status,
                                     body->value("comment", ""), ApiContext::Actor(principal), Timestamp::Now());
    if (!stored.ok()) return SendError(res, stored.error());
    SendNoStore(res, 200, NoticeSummary(*stored));
  }

  static void SendNoStore(httplib::Response& res, int status, const Json& body) {
    SendJson(res, status, body);
    res.set_header("Cache-Control", "no-store");
  }

  ApiContext& context_;
};

void RegisterNoticesApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<NoticesApi>(context);
  module->Register(server);
  context.Keep(module);
}

constexpr std::array<std::string_view, 1> kNoticesPathPrefixes = {"/api/v1/notices"};
constexpr std::array<std::string_view, 3> kNoticesRecordKinds = {notices::kNoticeKind, notices::kBlindSpotsKind,
                                                                 notices::kIngestKind};
constexpr std::array<std::string_view, 0> kNoticesAuditActions = {};

}  // namespace

extern const Module kNoticesModule;
constinit const Module kNoticesModule{
    .name = "notices",
    .register_routes = &RegisterNoticesApi,
    .openapi_fragment = "notices.openapi.json",
    .path_prefixes = kNoticesPathPrefixes,
    .record_kinds = kNoticesRecordKinds,
    .audit_actions = kNoticesAuditActions,
    .dashboard_route = "#/notices",
};

}  // namespace dv::hub
