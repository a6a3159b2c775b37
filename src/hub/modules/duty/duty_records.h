// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the duty module keeps in the store, read for others: the KEV-to-fix
// clock (docs/duty.md "The KEV-to-fix clock") and the time members take to
// acknowledge their notifications. The baseline module reads both as
// measured evidence; the duty routes serve the clock. Reads only.
//
//   kind "duty.config"        id = org = the member; the duty config's JSON
//                             (the demo seed writes one)
//   kind "duty.notification"  id = "dn-…", org = the member; the event, the
//                             escalation state, the deliveries
//   kind "duty.kev_clock"     id = org = the member; {"findings": {"<cve>|<asset>":
//                             {"detected", "overdue_raised"?}}}

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "hub/modules/vulnerabilities/vuln_service.h"
#include "store/store.h"
#include "vuln/kev_clock.h"

namespace dv::hub::duty_records {

inline constexpr std::string_view kConfigKind = "duty.config";
inline constexpr std::string_view kNotificationKind = "duty.notification";
inline constexpr std::string_view kKevClockKind = "duty.kev_clock";

// The KEV-to-fix clock's entries of one member (empty: every member): the
// open and decided findings of known-exploited vulnerabilities, with the
// detection the engine recorded, the first successful delivery and the
// acknowledgement of their kev_exposure notification, and the decision.
Result<std::vector<vuln::KevClockEntry>> LoadKevClock(Store& store, VulnService& vulns, const std::string& member);

// How one member answered the notifications that woke someone (routed ones).
struct AckFigures {
  int routed = 0;                        // routed notifications created in the period
  int acknowledged_in_time = 0;          // acknowledged within the window
  std::optional<double> median_minutes;  // over the acknowledged ones
};
// Per member, over the notifications created in [since, now): a notification
// still open whose window has not yet passed is not counted, nor is an
// exercise's (practice is not evidence of the live chain).
Result<std::map<std::string, AckFigures>> LoadAckFigures(Store& store, Timestamp since, Timestamp now,
                                                         std::int64_t window_ms);

// The notifications of exercise run `exercise` (docs/exercise.md): whose, and
// when they were acknowledged. The exercise module counts an acknowledged one
// as the member's acknowledgement.
struct ExerciseAck {
  std::string org;
  std::string notification;
  bool routed = false;
  std::optional<Timestamp> acknowledged;
};
Result<std::vector<ExerciseAck>> LoadExerciseAcks(Store& store, std::string_view exercise);

}  // namespace dv::hub::duty_records
