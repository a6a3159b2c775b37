// SPDX-License-Identifier: Apache-2.0
#pragma once

// The NIS2 Art. 23(4) clock of one incident, computed in UTC:
//   early warning          24 hours after the member became aware;
//   incident notification  72 hours after the member became aware;
//   final report           one month (local_time.h AddOneMonth) after the
//                          incident notification was first submitted —
//   unless the incident is still open at that moment: then a progress report
//   is due at that moment and the final report one month after the incident
//   was handled.
// Hours are exact durations (24 h across a DST night is 23 or 25 hours of
// wall clock); months count in Copenhagen's calendar. A report counts as
// submitted at its first submission; later versions are corrections.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "incident/incident.h"

namespace dv::incident {

enum class ReportStage { kEarlyWarning, kNotification, kProgress, kFinal };
std::string_view ReportStageName(ReportStage stage);  // "early_warning", "notification", "progress", "final"
std::optional<ReportStage> ParseReportStage(std::string_view name);
const std::vector<ReportStage>& AllReportStages();

// When each report was first submitted.
struct Submissions {
  std::optional<Timestamp> early_warning;
  std::optional<Timestamp> notification;
  std::optional<Timestamp> progress;
  std::optional<Timestamp> final_report;
  std::optional<Timestamp> Of(ReportStage stage) const;
};

enum class DeadlineState {
  kDue,          // due at `due`, not yet submitted, still in time
  kOverdue,      // `due` has passed and it is not submitted
  kSubmitted,    // submitted (see `late`)
  kWaiting,      // its due time depends on something that has not happened yet
  kNotRequired,  // the progress report when the incident was handled in time
};
std::string_view DeadlineStateName(DeadlineState state);

struct Deadline {
  ReportStage stage = ReportStage::kEarlyWarning;
  std::optional<Timestamp> due;
  DeadlineState state = DeadlineState::kWaiting;
  std::optional<Timestamp> submitted_at;
  bool late = false;  // submitted after it was due
  // Why it is due then, in English; the dashboard has its own words.
  std::string rule;
};

// The four deadlines in stage order. Errors only when Copenhagen's calendar
// cannot be read (kIo).
Result<std::vector<Deadline>> ComputeDeadlines(const Incident& incident, const Submissions& submitted, Timestamp now);

}  // namespace dv::incident
