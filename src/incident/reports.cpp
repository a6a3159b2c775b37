// SPDX-License-Identifier: Apache-2.0
#include "incident/reports.h"

#include <algorithm>

#include "core/text.h"
#include "incident/json_fields.h"
#include "incident/local_time.h"

namespace dv::incident {

using detail::FieldError;
using detail::Json;

namespace {

const ReportContent kSummary{"summary", ContentKind::kText, true, "Kort beskrivelse af hændelsen",
                             "A short description of the incident"};
const ReportContent kMalicious{"suspected_malicious", ContentKind::kBool, true,
                               "Mistanke om ulovlige eller ondsindede handlinger",
                               "Suspected to be caused by unlawful or malicious acts"};
const ReportContent kCrossBorder{"cross_border_impact", ContentKind::kBool, true,
                                 "Kan have grænseoverskridende virkning", "Could have a cross-border impact"};
const ReportContent kSeverity{"severity", ContentKind::kSeverity, true, "Alvorlighed (low, medium, high, critical)",
                              "Severity (low, medium, high, critical)"};
const ReportContent kImpact{"impact", ContentKind::kText, true, "Virkning: tjenester, borgere, varighed",
                            "Impact: services, citizens, duration"};

}  // namespace

const std::vector<std::string>& Severities() {
  static const std::vector<std::string> kSeverities = {"low", "medium", "high", "critical"};
  return kSeverities;
}

const std::vector<ReportContent>& RequiredContents(ReportStage stage) {
  static const std::vector<ReportContent> kEarly = {kSummary, kMalicious, kCrossBorder};
  static const std::vector<ReportContent> kNotification = {
      kSummary,
      kMalicious,
      kCrossBorder,
      {"initial_assessment", ContentKind::kText, true, "Første vurdering af hændelsen",
       "An initial assessment of the incident"},
      kSeverity,
      kImpact,
      {"indicators_of_compromise", ContentKind::kList, false, "Kompromitteringsindikatorer, hvor de findes",
       "Indicators of compromise, where available"}};
  static const std::vector<ReportContent> kProgress = {
      {"current_status", ContentKind::kText, true, "Hændelsens status nu", "The incident's current status"},
      {"mitigation", ContentKind::kText, true, "Iværksatte og igangværende afhjælpende tiltag",
       "Mitigation measures applied and ongoing"},
      {"expected_resolution", ContentKind::kText, false, "Forventet afslutning", "Expected resolution"}};
  static const std::vector<ReportContent> kFinal = {
      {"detailed_description", ContentKind::kText, true, "Detaljeret beskrivelse af hændelsen",
       "A detailed description of the incident"},
      kSeverity,
      kImpact,
      {"root_cause", ContentKind::kText, true, "Trusselstype eller grundlæggende årsag",
       "The type of threat or root cause that likely triggered it"},
      {"mitigation", ContentKind::kText, true, "Anvendte og igangværende afhjælpende tiltag",
       "Applied and ongoing mitigation measures"},
      kCrossBorder,
      {"cross_border_details", ContentKind::kText, false, "Grænseoverskridende virkning, hvor relevant",
       "Cross-border impact, where applicable"}};
  switch (stage) {
    case ReportStage::kEarlyWarning:
      return kEarly;
    case ReportStage::kNotification:
      return kNotification;
    case ReportStage::kProgress:
      return kProgress;
    case ReportStage::kFinal:
      return kFinal;
  }
  return kEarly;
}

std::string_view StageArticle(ReportStage stage) {
  switch (stage) {
    case ReportStage::kEarlyWarning:
      return "NIS2 Art. 23(4)(a)";
    case ReportStage::kNotification:
      return "NIS2 Art. 23(4)(b)";
    case ReportStage::kProgress:
      return "NIS2 Art. 23(4)(e)";
    case ReportStage::kFinal:
      return "NIS2 Art. 23(4)(d)";
  }
  return "";
}

std::string_view StageNameDa(ReportStage stage) {
  switch (stage) {
    case ReportStage::kEarlyWarning:
      return "Tidlig varsling";
    case ReportStage::kNotification:
      return "Hændelsesunderretning";
    case ReportStage::kProgress:
      return "Statusrapport";
    case ReportStage::kFinal:
      return "Endelig rapport";
  }
  return "";
}

std::string_view StageNameEn(ReportStage stage) {
  switch (stage) {
    case ReportStage::kEarlyWarning:
      return "Early warning";
    case ReportStage::kNotification:
      return "Incident notification";
    case ReportStage::kProgress:
      return "Progress report";
    case ReportStage::kFinal:
      return "Final report";
  }
  return "";
}

Result<Json> ValidateReportContents(ReportStage stage, const Json& contents) {
  if (!contents.is_object()) return FieldError("contents", "must be an object");
  const auto& wanted = RequiredContents(stage);
  std::vector<std::string> known;
  for (const auto& item : wanted) known.push_back(item.key);
  DV_TRY(detail::OnlyKnown(contents, known, "contents."));
  Json out = Json::object();
  for (const auto& item : wanted) {
    switch (item.kind) {
      case ContentKind::kText: {
        auto text = detail::Text(contents, item.key, "contents.", 1, 20000, item.required);
        if (!text.ok()) return text.error();
        if (*text) out[item.key] = **text;
        break;
      }
      case ContentKind::kBool: {
        auto flag = detail::Bool(contents, item.key, "contents.", item.required);
        if (!flag.ok()) return flag.error();
        if (*flag) out[item.key] = **flag;
        break;
      }
      case ContentKind::kSeverity: {
        auto text = detail::Text(contents, item.key, "contents.", 1, 20, item.required);
        if (!text.ok()) return text.error();
        if (*text) {
          const auto& allowed = Severities();
          if (std::find(allowed.begin(), allowed.end(), **text) == allowed.end()) {
            return FieldError("contents." + item.key, "must be low, medium, high or critical, not '" + **text + "'");
          }
          out[item.key] = **text;
        }
        break;
      }
      case ContentKind::kList: {
        auto list = detail::TextList(contents, item.key, "contents.", 500, 4000);
        if (!list.ok()) return list.error();
        if (item.required && list->empty()) return FieldError("contents." + item.key, "is required");
        if (!list->empty()) out[item.key] = *list;
        break;
      }
    }
  }
  return out;
}

Result<Json> TimeJson(Timestamp at) {
  auto local = ToCopenhagen(at);
  if (!local.ok()) return local.error();
  return Json{{"utc", at.ToRfc3339()}, {"local", local->Iso()}, {"display", local->Danish()}};
}

Result<Json> ReportDocument(ReportStage stage, const Incident& incident, const Json& contents, const ReportMeta& meta) {
  auto aware = TimeJson(incident.became_aware_at);
  if (!aware.ok()) return aware.error();
  auto submitted = TimeJson(meta.submitted_at);
  if (!submitted.ok()) return submitted.error();
  Json started;
  if (incident.started_at) {
    auto value = TimeJson(*incident.started_at);
    if (!value.ok()) return value.error();
    started = *value;
  }
  Json due;
  if (meta.due) {
    auto value = TimeJson(*meta.due);
    if (!value.ok()) return value.error();
    due = *value;
  }
  Json items = Json::array();
  for (const auto& item : RequiredContents(stage)) {
    items.push_back({{"key", item.key},
                     {"required", item.required},
                     {"da", item.da},
                     {"en", item.en},
                     {"value", contents.contains(item.key) ? contents[item.key] : Json()}});
  }
  return Json{
      {"stage", ReportStageName(stage)},
      {"title", {{"da", StageNameDa(stage)}, {"en", StageNameEn(stage)}}},
      {"article", StageArticle(stage)},
      {"incident", meta.incident_id},
      {"member", {{"code", meta.org_code}, {"name", meta.org_name}}},
      {"version", meta.version},
      {"submitted", {{"at", *submitted}, {"by", meta.submitted_by}}},
      {"due", due},
      {"facts",
       {{"title", incident.title},
        {"became_aware_at", *aware},
        {"started_at", started},
        {"status", IncidentStatusName(incident.status)},
        {"affected_services", incident.affected_services},
        {"citizens_affected", incident.citizens_affected ? Json{{"count", incident.citizens_affected->count},
                                                                {"estimate", incident.citizens_affected->estimate}}
                                                         : Json()},
        {"suspected_malicious", incident.suspected_malicious},
        {"cross_member_impact", incident.cross_member_impact},
        {"cross_border_impact", incident.cross_border_impact},
        {"indicators", incident.indicators},
        {"vulnerabilities", incident.vulnerabilities}}},
      {"contents", std::move(items)}};
}

namespace {

std::string ValueHtml(const Json& value) {
  if (value.is_null()) return "<em>—</em>";
  if (value.is_boolean()) return value.get<bool>() ? "Ja / Yes" : "Nej / No";
  if (value.is_string()) return XmlEscape(value.get<std::string>());
  if (value.is_array()) {
    if (value.empty()) return "<em>—</em>";
    std::string html = "<ul>";
    for (const auto& item : value) html += "<li>" + ValueHtml(item) + "</li>";
    return html + "</ul>";
  }
  if (value.is_object() && value.contains("display")) return XmlEscape(value["display"].get<std::string>());
  return XmlEscape(value.dump());
}

std::string Row(const std::string& label, const std::string& value_html) {
  return "<tr><th scope=\"row\">" + XmlEscape(label) + "</th><td>" + value_html + "</td></tr>\n";
}

}  // namespace

std::string RenderReportHtml(const Json& document) {
  const Json& facts = document["facts"];
  const std::string title =
      document["title"]["da"].get<std::string>() + " / " + document["title"]["en"].get<std::string>();
  std::string html = "<!doctype html>\n<html lang=\"da\"><head><meta charset=\"utf-8\"><title>" + XmlEscape(title) +
                     " — " + XmlEscape(facts["title"].get<std::string>()) +
                     "</title>\n<style>body{font-family:sans-serif;max-width:50em;margin:2em auto}"
                     "th{text-align:left;vertical-align:top;padding-right:1em}td{padding-bottom:.4em}</style>"
                     "</head><body>\n<h1>" +
                     XmlEscape(title) + "</h1>\n<p>" + XmlEscape(document["article"].get<std::string>()) + " · " +
                     XmlEscape(document["member"]["name"].get<std::string>()) + " (" +
                     XmlEscape(document["member"]["code"].get<std::string>()) + ") · version " +
                     std::to_string(document["version"].get<std::int64_t>()) +
                     "</p>\n<h2>Hændelsen / The incident</h2>\n<table>\n";
  html += Row("Titel / Title", ValueHtml(facts["title"]));
  html += Row("Opdaget / Became aware", ValueHtml(facts["became_aware_at"]));
  html += Row("Startede / Started", ValueHtml(facts["started_at"]));
  html += Row("Status", ValueHtml(facts["status"]));
  html += Row("Berørte tjenester / Affected services", ValueHtml(facts["affected_services"]));
  const Json& citizens = facts["citizens_affected"];
  html += Row("Berørte borgere / Citizens affected",
              citizens.is_null() ? "<em>—</em>"
                                 : std::to_string(citizens["count"].get<std::int64_t>()) +
                                       (citizens["estimate"].get<bool>() ? " (skøn / estimate)" : ""));
  html += Row("Mistanke om ondsindet handling / Suspected malicious", ValueHtml(facts["suspected_malicious"]));
  html += Row("Kan ramme andre medlemmer / May reach other members", ValueHtml(facts["cross_member_impact"]));
  html += Row("Grænseoverskridende / Cross-border", ValueHtml(facts["cross_border_impact"]));
  html += Row("Indikatorer / Indicators", ValueHtml(facts["indicators"]));
  html += Row("Sårbarheder / Vulnerabilities", ValueHtml(facts["vulnerabilities"]));
  html += "</table>\n<h2>Indhold / Contents</h2>\n<table>\n";
  for (const auto& item : document["contents"]) {
    html += Row(item["da"].get<std::string>() + " / " + item["en"].get<std::string>(), ValueHtml(item["value"]));
  }
  html += "</table>\n<p>Indsendt / Submitted: " + ValueHtml(document["submitted"]["at"]) + " · " +
          XmlEscape(document["submitted"]["by"].get<std::string>());
  if (!document["due"].is_null()) html += " · Frist / Due: " + ValueHtml(document["due"]);
  html += "</p>\n</body></html>\n";
  return html;
}

}  // namespace dv::incident
