// SPDX-License-Identifier: Apache-2.0
#include "vuln/kev_clock.h"

#include <algorithm>
#include <cmath>

namespace dv::vuln {

namespace {

constexpr double kMsPerDay = 86'400'000.0;
constexpr double kMsPerMinute = 60'000.0;

}  // namespace

std::optional<Timestamp> ClockStart(const KevClockEntry& entry) {
  if (!entry.kev_added) return std::nullopt;
  if (entry.detected && *entry.detected > *entry.kev_added) return entry.detected;
  return entry.kev_added;
}

std::optional<double> Percentile(std::vector<double> values, double p) {
  if (values.empty() || !(p > 0) || p > 100) return std::nullopt;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

KevClockFigures Figures(const std::vector<KevClockEntry>& entries, Timestamp now) {
  KevClockFigures out;
  std::vector<double> days_to_fix;
  std::vector<double> minutes_to_ack;
  for (const KevClockEntry& entry : entries) {
    const auto start = ClockStart(entry);
    if (!start) continue;
    ++out.findings;
    if (entry.decision == "fixed") {
      ++out.fixed;
      if (entry.decided) {
        // A fix recorded before the clock started (fixed before the KEV
        // addition) took no time on this clock.
        days_to_fix.push_back(
            std::max(0.0, static_cast<double>(entry.decided->unix_ms() - start->unix_ms()) / kMsPerDay));
      }
    } else if (entry.decision == "not_applicable") {
      ++out.not_applicable;
    } else {
      ++out.open;
      if (entry.due && *entry.due < now) ++out.open_overdue;
    }
    if (entry.notified && entry.acknowledged) {
      ++out.acknowledged;
      minutes_to_ack.push_back(
          std::max(0.0, static_cast<double>(entry.acknowledged->unix_ms() - entry.notified->unix_ms()) / kMsPerMinute));
    }
  }
  out.median_days_to_fix = Percentile(days_to_fix, 50);
  out.p90_days_to_fix = Percentile(days_to_fix, 90);
  out.median_minutes_to_acknowledge = Percentile(minutes_to_ack, 50);
  out.p90_minutes_to_acknowledge = Percentile(minutes_to_ack, 90);
  return out;
}

}  // namespace dv::vuln
