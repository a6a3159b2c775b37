// SPDX-License-Identifier: Apache-2.0
#include "incident/stored.h"

#include "incident/reports.h"

namespace dv::incident {

std::string ReportRecordId(const std::string& incident_id, ReportStage stage) {
  return incident_id + "/" + std::string(incident::ReportStageName(stage));
}

Result<incident::Incident> ParseStored(const Record& record) {
  const Json body = Json::parse(record.body, nullptr, false);
  // Stored incidents were validated against the time they were written.
  auto parsed = incident::IncidentFromJson(body, Timestamp(record.at.unix_ms() + 60'000));
  if (!parsed.ok()) return parsed.error().WithContext("stored incident '" + record.id + "'");
  return parsed;
}

Result<incident::Submissions> LoadSubmissions(Store& store, const std::string& incident_id) {
  incident::Submissions submitted;
  for (auto stage : incident::AllReportStages()) {
    auto history = store.RecordHistory(kReportKind, ReportRecordId(incident_id, stage));
    if (!history.ok()) {
      if (history.error().kind() == ErrorKind::kNotFound) continue;
      return history.error();
    }
    if (history->empty()) continue;
    const Timestamp first = history->front().at;
    switch (stage) {
      case ReportStage::kEarlyWarning:
        submitted.early_warning = first;
        break;
      case ReportStage::kNotification:
        submitted.notification = first;
        break;
      case ReportStage::kProgress:
        submitted.progress = first;
        break;
      case ReportStage::kFinal:
        submitted.final_report = first;
        break;
    }
  }
  return submitted;
}

Result<Record> SubmitReport(Store& store, const Record& incident_record, ReportStage stage, const Json& contents,
                            const std::string& actor, Timestamp now) {
  auto parsed = ParseStored(incident_record);
  if (!parsed.ok()) return parsed.error();
  auto checked = incident::ValidateReportContents(stage, contents);
  if (!checked.ok()) return checked.error();
  auto submitted = LoadSubmissions(store, incident_record.id);
  if (!submitted.ok()) return submitted.error();
  if ((stage == ReportStage::kProgress || stage == ReportStage::kFinal) && !submitted->notification) {
    return Error::Conflict("incident '" + incident_record.id + "': submit the incident notification before the " +
                           std::string(incident::ReportStageName(stage)) + " report");
  }
  auto clock = incident::ComputeDeadlines(*parsed, *submitted, now);
  if (!clock.ok()) return clock.error();
  std::optional<Timestamp> due;
  for (const auto& deadline : *clock) {
    if (deadline.stage == stage) due = deadline.due;
  }
  const std::string record_id = ReportRecordId(incident_record.id, stage);
  std::int64_t current = 0;
  auto history = store.RecordHistory(kReportKind, record_id);
  if (history.ok()) {
    current = history->empty() ? 0 : history->back().version;
  } else if (history.error().kind() != ErrorKind::kNotFound) {
    return history.error();
  }
  auto org = store.GetOrganisation(incident_record.org_code);
  incident::ReportMeta meta{incident_record.id,
                            incident_record.org_code,
                            org.ok() ? org->name : incident_record.org_code,
                            current + 1,
                            now,
                            actor,
                            due};
  auto document = incident::ReportDocument(stage, *parsed, *checked, meta);
  if (!document.ok()) return document.error();
  RecordWrite write{kReportKind, record_id, incident_record.org_code,
                    Json{{"stage", incident::ReportStageName(stage)},
                         {"incident", incident_record.id},
                         {"contents", *checked},
                         {"document", *document}}
                        .dump(),
                    current};
  return store.PutRecord(write, actor);
}

}  // namespace dv::incident
