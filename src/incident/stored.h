// SPDX-License-Identifier: Apache-2.0
#pragma once

// How the incidents module keeps its documents as member records, shared by
// the REST routes (incident_api.cpp) and the demo seed. Internal to the hub.
//
//   kind "incident"             id = UUID, org = the reporting member;
//                               body = incident::IncidentToJson
//   kind "incident.report"      id = "<incident id>/<stage>"; each submission
//                               is a new version: {"stage", "contents", "document"}
//   kind "incident.share"       id = incident id; each share a new version
//   kind "competence.register"  id = org code; body = incident::RegisterToJson
//   kind "guidance"             id = UUID, org = the coordinator's organisation

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "incident/deadlines.h"
#include "incident/incident.h"
#include "store/store.h"

namespace dv::incident {

using Json = nlohmann::json;

inline constexpr const char* kIncidentKind = "incident";
inline constexpr const char* kReportKind = "incident.report";
inline constexpr const char* kShareKind = "incident.share";
inline constexpr const char* kRegisterKind = "competence.register";
inline constexpr const char* kGuidanceKind = "guidance";

std::string ReportRecordId(const std::string& incident_id, incident::ReportStage stage);

// The incident held by a stored record (validated when it was written).
Result<incident::Incident> ParseStored(const Record& record);
// When each report of an incident was first submitted.
Result<incident::Submissions> LoadSubmissions(Store& store, const std::string& incident_id);

// Validates `contents` for `stage` and stores a new version of the report
// with its document. kConflict when a progress or final report comes before
// the incident notification. Returns the stored record.
Result<Record> SubmitReport(Store& store, const Record& incident_record, incident::ReportStage stage,
                            const Json& contents, const std::string& actor, Timestamp now);

}  // namespace dv::incident
