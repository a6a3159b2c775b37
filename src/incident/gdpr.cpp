// SPDX-License-Identifier: Apache-2.0
#include "incident/gdpr.h"

namespace dv::incident {

namespace {

constexpr std::int64_t kBreachHourMs = 3'600'000;

bool BlankText(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

BreachClock ComputeBreachClock(Timestamp became_aware_at, std::optional<Timestamp> notified_at, Timestamp now) {
  BreachClock clock;
  clock.became_aware_at = became_aware_at;
  clock.due = Timestamp(became_aware_at.unix_ms() + 72 * kBreachHourMs);
  clock.notified_at = notified_at;
  if (notified_at) {
    clock.state = DeadlineState::kSubmitted;
    clock.late = *notified_at > clock.due;
  } else if (now > clock.due) {
    clock.state = DeadlineState::kOverdue;
    clock.late = true;
  } else {
    clock.state = DeadlineState::kDue;
  }
  clock.reasons_required = clock.late;
  return clock;
}

std::vector<std::string> MissingForSubmission(const BreachNotification& notification, const BreachClock& clock,
                                              Timestamp at) {
  std::vector<std::string> missing;
  const auto need = [&](const std::string& value, const char* name) {
    if (BlankText(value)) missing.emplace_back(name);
  };
  need(notification.nature, "nature");
  need(notification.categories_of_subjects, "categories_of_subjects");
  if (!notification.approximate_subjects) missing.emplace_back("approximate_subjects");
  need(notification.categories_of_records, "categories_of_records");
  if (!notification.approximate_records) missing.emplace_back("approximate_records");
  need(notification.contact, "contact");
  need(notification.likely_consequences, "likely_consequences");
  need(notification.measures, "measures");
  if (at > clock.due) need(notification.reasons_for_delay, "reasons_for_delay");
  return missing;
}

Status CheckSubjectsDecision(const SubjectsDecision& decision) {
  if (BlankText(decision.reason)) {
    return Error::InvalidArgument(
        std::string("field 'reason': say why the data subjects are ") +
        (decision.inform ? "informed" : "not informed (GDPR Art. 34(3): e.g. the data were encrypted)"));
  }
  return Ok();
}

}  // namespace dv::incident
