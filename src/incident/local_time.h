// SPDX-License-Identifier: Apache-2.0
#pragma once

// Danish local time (Europe/Copenhagen) for presenting and computing NIS2
// deadlines. Every instant is kept in UTC (dv::Timestamp); local time is only
// a view of it, taken from the operating system's time-zone database
// (/usr/share/zoneinfo, through Howard Hinnant's date/tz library as Debian
// builds it). Thread-safe: the database is loaded once, on first use.
//
// Errors: kIo when the time-zone database or the zone cannot be read.

#include <string>

#include "core/result.h"
#include "core/time.h"

namespace dv::incident {

// A wall-clock reading in Europe/Copenhagen.
struct LocalTime {
  int year = 0;
  int month = 0;  // 1-12
  int day = 0;    // 1-31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int utc_offset_minutes = 0;  // +60 in winter (CET), +120 in summer (CEST)
  std::string abbreviation;    // "CET" or "CEST"

  // "2026-03-29T11:00:00+02:00"
  std::string Iso() const;
  // "29.03.2026 kl. 11:00 (CEST)" — how the dashboard and documents show it.
  std::string Danish() const;
};

// The Copenhagen wall-clock reading of an instant.
Result<LocalTime> ToCopenhagen(Timestamp at);

// The instant at which Copenhagen's clocks show the given wall time.
// A time that does not exist (skipped when clocks go forward on the last
// Sunday of March, 02:00-03:00) is read with the offset in force before the
// change, so 02:30 becomes 03:30 CEST; a time that occurs twice (02:00-03:00
// on the last Sunday of October) is the earlier one (CEST).
Result<Timestamp> FromCopenhagen(int year, int month, int day, int hour, int minute, int second, int millis = 0);

// "One month later" as NIS2 Art. 23(4)(d) counts it, in Copenhagen's
// calendar: the same day of the next month at the same wall time; when the
// next month is shorter, its last day (31 January → 28 or 29 February).
Result<Timestamp> AddOneMonth(Timestamp at);

}  // namespace dv::incident
