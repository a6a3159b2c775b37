// SPDX-License-Identifier: Apache-2.0
#pragma once

// What each NIS2 Art. 23(4) report must contain, validation of a submitted
// report's contents, and the report as a document (JSON and HTML) that
// combines the incident's facts with the contents. The hub keeps every
// submitted version as a member record (kind "incident.report").

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "incident/deadlines.h"
#include "incident/incident.h"

namespace dv::incident {

enum class ContentKind { kText, kBool, kSeverity, kList };

// One item a report must (or may) contain.
struct ReportContent {
  std::string key;
  ContentKind kind = ContentKind::kText;
  bool required = true;
  std::string da;  // what to write, in Danish
  std::string en;  // and in English
};

const std::vector<ReportContent>& RequiredContents(ReportStage stage);
// The article text each stage answers, e.g. "NIS2 Art. 23(4)(a)".
std::string_view StageArticle(ReportStage stage);
// Danish and English names of a stage ("Tidlig varsling" / "Early warning").
std::string_view StageNameDa(ReportStage stage);
std::string_view StageNameEn(ReportStage stage);
// Severity values: "low", "medium", "high", "critical".
const std::vector<std::string>& Severities();

// Validates `contents` (a JSON object) for `stage`; returns it normalised
// (trimmed texts, only known keys). Errors name "contents.<key>".
Result<nlohmann::json> ValidateReportContents(ReportStage stage, const nlohmann::json& contents);

// Who submitted which version, for the document's header.
struct ReportMeta {
  std::string incident_id;
  std::string org_code;
  std::string org_name;
  std::int64_t version = 0;
  Timestamp submitted_at;
  std::string submitted_by;
  std::optional<Timestamp> due;
};

// The report document: stage, article, member, incident facts, contents.
// Times carry UTC and Copenhagen local time. kIo when the time zone cannot
// be read.
Result<nlohmann::json> ReportDocument(ReportStage stage, const Incident& incident, const nlohmann::json& contents,
                                      const ReportMeta& meta);
// A self-contained HTML page of a document from ReportDocument (escaped).
std::string RenderReportHtml(const nlohmann::json& document);

// Both readings of an instant: {"utc": "...Z", "local": "...+02:00",
// "display": "29.03.2026 kl. 11:00 (CEST)"}.
Result<nlohmann::json> TimeJson(Timestamp at);

}  // namespace dv::incident
