// SPDX-License-Identifier: Apache-2.0
#pragma once

// The KEV-to-fix clock (issue 16, docs/duty.md "The KEV-to-fix clock"): for
// every finding of a known-exploited vulnerability, the times of
// publication, KEV addition, first detection by the hub, notification,
// acknowledgement and decision; per member and nationally, the median and
// 90th percentile days from the clock's start to fixed, the open findings
// past their due date, and the time to acknowledge.
//
// When the clock starts: at the later of the KEV addition and the hub's
// first detection of the finding. A member cannot fix what nobody knew was
// exploited, and the hub cannot hold a member to a finding before its
// inventory showed it; before first detection is recorded (an older hub),
// the KEV addition alone is used.
//
// Pure functions over the caller's facts; thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace dv::vuln {

struct KevClockEntry {
  std::string member;
  std::string cve;
  std::string asset_id;
  std::optional<Timestamp> published;     // the CVE's publication
  std::optional<Timestamp> kev_added;     // the KEV catalogue's dateAdded (00:00 UTC)
  std::optional<Timestamp> due;           // the KEV catalogue's dueDate (00:00 UTC)
  std::optional<Timestamp> detected;      // when the hub first saw the finding
  std::optional<Timestamp> notified;      // first notification sent for it
  std::optional<Timestamp> acknowledged;  // first acknowledgement
  // The decision in force: "fixed", "not_applicable", or empty (open).
  std::string decision;
  std::optional<Timestamp> decided;
};

// The instant the clock starts (see above); nullopt without a KEV addition.
std::optional<Timestamp> ClockStart(const KevClockEntry& entry);

struct KevClockFigures {
  std::size_t findings = 0;        // KEV findings counted
  std::size_t fixed = 0;           // decided "fixed"
  std::size_t not_applicable = 0;  // decided "not_applicable" (not in the time-to-fix figures)
  std::size_t open = 0;
  std::size_t open_overdue = 0;  // open, with a due date before `now`
  // Days from the clock's start to "fixed", over the fixed findings; nullopt
  // with none. Nearest-rank percentiles.
  std::optional<double> median_days_to_fix;
  std::optional<double> p90_days_to_fix;
  // Minutes from the first notification to the first acknowledgement, over
  // the acknowledged findings.
  std::size_t acknowledged = 0;
  std::optional<double> median_minutes_to_acknowledge;
  std::optional<double> p90_minutes_to_acknowledge;
};

// The figures over `entries` (one member's, or everyone's for the national
// figure) at `now`.
KevClockFigures Figures(const std::vector<KevClockEntry>& entries, Timestamp now);

// The nearest-rank percentile `p` (0 < p <= 100) of `values`; nullopt when
// empty. Sorts a copy.
std::optional<double> Percentile(std::vector<double> values, double p);

}  // namespace dv::vuln
