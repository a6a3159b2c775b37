// SPDX-License-Identifier: Apache-2.0
// Reporting to the authorities beside the NIS2 reports (docs/incidents.md
// "GDPR Art. 33 and receipts"):
//   /api/v1/incidents/{id}/gdpr                     GET, PUT: the personal-data breach of an incident —
//                                                   the Art. 33 clock (72 hours from awareness of the
//                                                   breach), the Art. 33(3) contents and what a
//                                                   submission still lacks, the Art. 34 decision
//   /api/v1/incidents/{id}/receipts                 GET: what the member recorded of its submissions
//   /api/v1/incidents/{id}/receipts/{authority}     PUT: record a submission the member made itself — the
//                                                   receipt number and the real time of submission
//                                                   (authority: nis2_early_warning, nis2_notification,
//                                                   nis2_progress, nis2_final, gdpr)
// Dannevirke submits nothing: a member submits on virk.dk and to
// Datatilsynet itself and records here what it got back. Read and written
// like the incident: its member's people write, they and coordinators read.

#include <httplib.h>

#include <algorithm>
#include <array>

#include "hub/api.h"
#include "hub/modules/incidents/incident_access.h"
#include "hub/modules/incidents/incident_drafts.h"
#include "hub/router.h"
#include "incident/gdpr.h"
#include "incident/local_time.h"
#include "incident/stored.h"

namespace dv::hub {

namespace {

constexpr std::string_view kGdprKind = kIncidentGdprKind;
constexpr std::string_view kReceiptKind = kIncidentReceiptKind;
constexpr std::array<std::string_view, 5> kAuthorities = {"nis2_early_warning", "nis2_notification", "nis2_progress",
                                                          "nis2_final", "gdpr"};
// The texts of an Art. 33(3) notification (the two counts are numbers).
constexpr std::array<std::string_view, 7> kNotificationTexts = {
    "nature",   "categories_of_subjects", "categories_of_records", "contact", "likely_consequences",
    "measures", "reasons_for_delay"};

Json BreachTime(const std::optional<Timestamp>& at) {
  if (!at) return Json();
  auto json = incident::TimeJson(*at);
  return json.ok() ? *json : Json(at->ToRfc3339());
}

Result<Timestamp> TimeField(const Json& body, const std::string& field, Timestamp now) {
  if (!body.contains(field) || !body[field].is_string()) {
    return Error::InvalidArgument("field '" + field + "': required, an RFC 3339 time");
  }
  auto at = Timestamp::Parse(body[field].get<std::string>());
  if (!at.ok()) return Error::InvalidArgument("field '" + field + "': " + at.error().message());
  if (at->unix_ms() > now.unix_ms() + 5 * 60'000) {
    return Error::InvalidArgument("field '" + field + "': lies in the future");
  }
  return *at;
}

class IncidentReportingApi {
 public:
  explicit IncidentReportingApi(ApiContext& context) : context_(context), store_(context.store()) {}

  void Register(Router& server) {
    const std::string incident =
        R"(/api/v1/incidents/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))";
    server.Get(incident + "/gdpr", context_.Route(this, &IncidentReportingApi::GetGdpr));
    server.Put(incident + "/gdpr", context_.Route(this, &IncidentReportingApi::PutGdpr));
    server.Get(incident + "/receipts", context_.Route(this, &IncidentReportingApi::GetReceipts));
    server.Put(incident + R"(/receipts/(nis2_early_warning|nis2_notification|nis2_progress|nis2_final|gdpr))",
               context_.Route(this, &IncidentReportingApi::PutReceipt));
  }

 private:
  // The incident of the path if the principal may read (or write) it.
  std::optional<Record> Incident(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                                 bool write) {
    return IncidentFor(context_, req, res, principal, req.matches[1].str(),
                       write ? IncidentUse::kWrite : IncidentUse::kRead);
  }

  // The stored breach with its clock and what a submission still lacks.
  Json GdprView(const Record& stored, Timestamp now) {
    Json body = Json::parse(stored.body, nullptr, false);
    if (!body.is_object()) return Json::object();
    auto aware = Timestamp::Parse(body.value("became_aware_at", ""));
    std::optional<Timestamp> notified;
    if (body.contains("notified_at")) {
      auto at = Timestamp::Parse(body.value("notified_at", ""));
      if (at.ok()) notified = *at;
    }
    if (aware.ok()) {
      const auto clock = incident::ComputeBreachClock(*aware, notified, now);
      incident::BreachNotification notification;
      const Json& contents = body.value("notification", Json::object());
      notification.nature = contents.value("nature", "");
      notification.categories_of_subjects = contents.value("categories_of_subjects", "");
      notification.categories_of_records = contents.value("categories_of_records", "");
      notification.contact = contents.value("contact", "");
      notification.likely_consequences = contents.value("likely_consequences", "");
      notification.measures = contents.value("measures", "");
      notification.reasons_for_delay = contents.value("reasons_for_delay", "");
      if (contents.contains("approximate_subjects") && contents["approximate_subjects"].is_number_integer()) {
        notification.approximate_subjects = contents["approximate_subjects"].get<long>();
      }
      if (contents.contains("approximate_records") && contents["approximate_records"].is_number_integer()) {
        notification.approximate_records = contents["approximate_records"].get<long>();
      }
      body["clock"] = {{"article", "GDPR art. 33(1)"},
                       {"due", BreachTime(clock.due)},
                       {"remaining_seconds", (clock.due.unix_ms() - now.unix_ms()) / 1000},
                       {"state", incident::DeadlineStateName(clock.state)},
                       {"late", clock.late},
                       {"reasons_for_delay_required", clock.reasons_required}};
      body["missing_for_submission"] = incident::MissingForSubmission(notification, clock, notified.value_or(now));
    }
    body["version"] = stored.version;
    body["updated"] = stored.at.ToRfc3339();
    body["manual_submission"] = {{"da",
                                  "Dannevirke indsender intet. Anmeld selv bruddet til Datatilsynet, og notér "
                                  "tidspunktet og kvitteringen her."},
                                 {"en",
                                  "Dannevirke submits nothing. Notify Datatilsynet yourselves, and record the "
                                  "time and the receipt here."}};
    return body;
  }

  void GetGdpr(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto incident = Incident(req, res, principal, false);
    if (!incident) return;
    auto stored = store_.GetRecord(kGdprKind, incident->id);
    if (!stored.ok()) {
      if (stored.error().kind() == ErrorKind::kNotFound) {
        return SendError(res, Error::NotFound("incident '" + incident->id + "' records no personal-data breach"));
      }
      return SendError(res, stored.error());
    }
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200, GdprView(*stored, Timestamp::Now()));
  }

  // The whole breach record: became_aware_at (required), notified_at,
  // notification (Art. 33(3), each text up to 10,000 bytes), subjects_decision
  // ({inform, reason}: Art. 34, the reason required either way), version.
  void PutGdpr(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto incident = Incident(req, res, principal, true);
    if (!incident) return;
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    const Timestamp now = Timestamp::Now();
    for (const auto& [key, value] : body->items()) {
      if (key != "became_aware_at" && key != "notified_at" && key != "notification" && key != "subjects_decision" &&
          key != "version") {
        return SendError(res, Error::InvalidArgument("field '" + key + "': unknown"));
      }
    }
    auto aware = TimeField(*body, "became_aware_at", now);
    if (!aware.ok()) return SendError(res, aware.error());
    Json stored = {{"incident", incident->id}, {"became_aware_at", aware->ToRfc3339()}};
    if (body->contains("notified_at") && !(*body)["notified_at"].is_null()) {
      auto notified = TimeField(*body, "notified_at", now);
      if (!notified.ok()) return SendError(res, notified.error());
      if (*notified < *aware) {
        return SendError(res, Error::InvalidArgument("field 'notified_at': before became_aware_at"));
      }
      stored["notified_at"] = notified->ToRfc3339();
    }
    Json notification = Json::object();
    if (body->contains("notification")) {
      const Json& given = (*body)["notification"];
      if (!given.is_object()) return SendError(res, Error::InvalidArgument("field 'notification': an object"));
      for (const auto& [key, value] : given.items()) {
        const std::string place = "field 'notification." + key + "'";
        if (key == "approximate_subjects" || key == "approximate_records") {
          if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 100'000'000) {
            return SendError(res, Error::InvalidArgument(place + ": a whole number from 0 to 100,000,000"));
          }
        } else if (std::find(kNotificationTexts.begin(), kNotificationTexts.end(), key) != kNotificationTexts.end()) {
          if (!value.is_string() || value.get<std::string>().size() > 10'000) {
            return SendError(res, Error::InvalidArgument(place + ": text of at most 10,000 bytes"));
          }
        } else {
          return SendError(res, Error::InvalidArgument(place + ": unknown (GDPR Art. 33(3) names nature, "
                                                               "categories_of_subjects, approximate_subjects, "
                                                               "categories_of_records, approximate_records, contact, "
                                                               "likely_consequences, measures, reasons_for_delay)"));
        }
        notification[key] = value;
      }
    }
    stored["notification"] = notification;
    if (body->contains("subjects_decision") && !(*body)["subjects_decision"].is_null()) {
      const Json& given = (*body)["subjects_decision"];
      if (!given.is_object() || !given.contains("inform") || !given["inform"].is_boolean()) {
        return SendError(res, Error::InvalidArgument(
                                  "field 'subjects_decision.inform': true or false (GDPR Art. 34: inform the data "
                                  "subjects or not)"));
      }
      incident::SubjectsDecision decision;
      decision.inform = given["inform"].get<bool>();
      decision.reason = given.value("reason", "");
      decision.decided_at = now;
      if (auto checked = incident::CheckSubjectsDecision(decision); !checked.ok()) {
        return SendError(res, checked.error().WithContext("subjects_decision"));
      }
      if (decision.reason.size() > 10'000) {
        return SendError(res, Error::InvalidArgument("field 'subjects_decision.reason': at most 10,000 bytes"));
      }
      stored["subjects_decision"] = {
          {"inform", decision.inform}, {"reason", decision.reason}, {"decided_at", now.ToRfc3339()}};
    }
    std::optional<std::int64_t> expected;
    if (body->contains("version")) {
      if (!(*body)["version"].is_number_integer()) {
        return SendError(res, Error::InvalidArgument("field 'version': the version you edited, a whole number"));
      }
      expected = (*body)["version"].get<std::int64_t>();
    } else {
      expected = 0;  // the first write; later ones name the version they edited
    }
    auto written = store_.PutRecord({std::string(kGdprKind), incident->id, incident->org_code, stored.dump(), expected},
                                    ApiContext::Actor(principal));
    if (!written.ok()) return SendError(res, written.error());
    SendJson(res, 200, GdprView(*written, now));
  }

  void GetReceipts(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto incident = Incident(req, res, principal, false);
    if (!incident) return;
    Json receipts = Json::object();
    for (const auto authority : kAuthorities) {
      auto stored = store_.GetRecord(kReceiptKind, incident->id + "/" + std::string(authority));
      if (!stored.ok()) continue;
      Json body = Json::parse(stored->body, nullptr, false);
      if (!body.is_object()) continue;
      body["version"] = stored->version;
      receipts[std::string(authority)] = std::move(body);
    }
    SendJson(res, 200, {{"incident", incident->id}, {"receipts", receipts}});
  }

  void PutReceipt(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto incident = Incident(req, res, principal, true);
    if (!incident) return;
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    for (const auto& [key, value] : body->items()) {
      if (key != "receipt" && key != "submitted_at" && key != "note") {
        return SendError(res, Error::InvalidArgument("field '" + key + "': unknown"));
      }
    }
    const Timestamp now = Timestamp::Now();
    const Json receipt = body->value("receipt", Json());
    if (!receipt.is_string() || receipt.get<std::string>().empty() || receipt.get<std::string>().size() > 200) {
      return SendError(res, Error::InvalidArgument(
                                "field 'receipt': required, 1–200 bytes (the receipt number the authority gave)"));
    }
    auto submitted = TimeField(*body, "submitted_at", now);
    if (!submitted.ok()) return SendError(res, submitted.error());
    const Json note = body->value("note", Json(""));
    if (!note.is_string() || note.get<std::string>().size() > 2000) {
      return SendError(res, Error::InvalidArgument("field 'note': text of at most 2000 bytes"));
    }
    const std::string authority = req.matches[2].str();
    const Json stored = {{"authority", authority},
                         {"receipt", receipt},
                         {"submitted_at", submitted->ToRfc3339()},
                         {"note", note},
                         {"recorded_by", ApiContext::Actor(principal)},
                         {"recorded_at", now.ToRfc3339()}};
    auto written = store_.PutRecord(
        {std::string(kReceiptKind), incident->id + "/" + authority, incident->org_code, stored.dump(), std::nullopt},
        ApiContext::Actor(principal));
    if (!written.ok()) return SendError(res, written.error());
    Json out = stored;
    out["version"] = written->version;
    SendJson(res, 200, out);
  }

  ApiContext& context_;
  Store& store_;
};

}  // namespace

void RegisterIncidentReporting(Router& server, ApiContext& context) {
  auto module = std::make_shared<IncidentReportingApi>(context);
  module->Register(server);
  context.Keep(module);
}

}  // namespace dv::hub
