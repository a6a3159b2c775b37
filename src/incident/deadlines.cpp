// SPDX-License-Identifier: Apache-2.0
#include "incident/deadlines.h"

#include "incident/local_time.h"

namespace dv::incident {

namespace {

constexpr std::int64_t kHourMs = 60LL * 60 * 1000;

Deadline Settle(ReportStage stage, std::optional<Timestamp> due, std::optional<Timestamp> submitted, Timestamp now,
                std::string rule) {
  Deadline deadline;
  deadline.stage = stage;
  deadline.due = due;
  deadline.submitted_at = submitted;
  deadline.rule = std::move(rule);
  if (submitted) {
    deadline.state = DeadlineState::kSubmitted;
    deadline.late = due && *submitted > *due;
  } else if (!due) {
    deadline.state = DeadlineState::kWaiting;
  } else {
    deadline.state = now > *due ? DeadlineState::kOverdue : DeadlineState::kDue;
  }
  return deadline;
}

}  // namespace

std::string_view ReportStageName(ReportStage stage) {
  switch (stage) {
    case ReportStage::kEarlyWarning:
      return "early_warning";
    case ReportStage::kNotification:
      return "notification";
    case ReportStage::kProgress:
      return "progress";
    case ReportStage::kFinal:
      return "final";
  }
  return "early_warning";
}

std::optional<ReportStage> ParseReportStage(std::string_view name) {
  for (auto stage : AllReportStages()) {
    if (ReportStageName(stage) == name) return stage;
  }
  return std::nullopt;
}

const std::vector<ReportStage>& AllReportStages() {
  static const std::vector<ReportStage> kStages = {ReportStage::kEarlyWarning, ReportStage::kNotification,
                                                   ReportStage::kProgress, ReportStage::kFinal};
  return kStages;
}

std::optional<Timestamp> Submissions::Of(ReportStage stage) const {
  switch (stage) {
    case ReportStage::kEarlyWarning:
      return early_warning;
    case ReportStage::kNotification:
      return notification;
    case ReportStage::kProgress:
      return progress;
    case ReportStage::kFinal:
      return final_report;
  }
  return std::nullopt;
}

std::string_view DeadlineStateName(DeadlineState state) {
  switch (state) {
    case DeadlineState::kDue:
      return "due";
    case DeadlineState::kOverdue:
      return "overdue";
    case DeadlineState::kSubmitted:
      return "submitted";
    case DeadlineState::kWaiting:
      return "waiting";
    case DeadlineState::kNotRequired:
      return "not_required";
  }
  return "waiting";
}

Result<std::vector<Deadline>> ComputeDeadlines(const Incident& incident, const Submissions& submitted, Timestamp now) {
  const std::int64_t aware = incident.became_aware_at.unix_ms();
  std::vector<Deadline> out;
  out.push_back(Settle(ReportStage::kEarlyWarning, Timestamp(aware + 24 * kHourMs), submitted.early_warning, now,
                       "24 hours after becoming aware (NIS2 Art. 23(4)(a))"));
  out.push_back(Settle(ReportStage::kNotification, Timestamp(aware + 72 * kHourMs), submitted.notification, now,
                       "72 hours after becoming aware (NIS2 Art. 23(4)(b))"));

  if (!submitted.notification) {
    out.push_back(Settle(ReportStage::kProgress, std::nullopt, submitted.progress, now,
                         "only if the incident is still ongoing one month after the notification"));
    out.push_back(Settle(ReportStage::kFinal, std::nullopt, submitted.final_report, now,
                         "one month after the incident notification (NIS2 Art. 23(4)(d))"));
    return out;
  }
  auto month_after_notification = AddOneMonth(*submitted.notification);
  if (!month_after_notification.ok()) return month_after_notification.error();
  const Timestamp checkpoint = *month_after_notification;
  const bool handled_in_time = incident.handled_at && *incident.handled_at <= checkpoint;
  if (handled_in_time) {
    Deadline progress = Settle(ReportStage::kProgress, std::nullopt, submitted.progress, now,
                               "not required: the incident was handled within a month of the notification");
    if (!submitted.progress) progress.state = DeadlineState::kNotRequired;
    out.push_back(std::move(progress));
    out.push_back(Settle(ReportStage::kFinal, checkpoint, submitted.final_report, now,
                         "one month after the incident notification (NIS2 Art. 23(4)(d))"));
    return out;
  }
  if (now <= checkpoint && !incident.handled_at) {
    // Still open, the month not over: the final report is due at the
    // checkpoint if the incident is handled by then; otherwise a progress
    // report is due then.
    Deadline progress = Settle(ReportStage::kProgress, checkpoint, submitted.progress, now,
                               "one month after the notification, if the incident is still ongoing then "
                               "(NIS2 Art. 23(4)(e))");
    if (!submitted.progress) progress.state = DeadlineState::kWaiting;
    out.push_back(std::move(progress));
    out.push_back(Settle(ReportStage::kFinal, checkpoint, submitted.final_report, now,
                         "one month after the incident notification, if handled by then (NIS2 Art. 23(4)(d))"));
    return out;
  }
  // Ongoing at the checkpoint: progress report then; final report one month
  // after handling.
  out.push_back(Settle(ReportStage::kProgress, checkpoint, submitted.progress, now,
                       "the incident was ongoing one month after the notification (NIS2 Art. 23(4)(e))"));
  std::optional<Timestamp> final_due;
  if (incident.handled_at) {
    auto month_after_handling = AddOneMonth(*incident.handled_at);
    if (!month_after_handling.ok()) return month_after_handling.error();
    final_due = *month_after_handling;
  }
  out.push_back(Settle(ReportStage::kFinal, final_due, submitted.final_report, now,
                       "one month after the incident was handled (NIS2 Art. 23(4)(e))"));
  return out;
}

}  // namespace dv::incident
