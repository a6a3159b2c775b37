// SPDX-License-Identifier: Apache-2.0
#pragma once

// Wall-clock time in a named IANA time zone (normally Europe/Copenhagen),
// read from the operating system's tz database (/usr/share/zoneinfo) through
// Howard Hinnant's date/tz library as Debian builds it (USE_OS_TZDB). Rotas
// are written in wall-clock time; every instant the duty model computes is a
// dv::Timestamp (UTC, milliseconds).
//
// The two DST rules, used for every wall time the model converts (hand-offs,
// weekly windows, local override times):
//   - a wall time that does not exist, because the clocks jump forward over
//     it, maps to the first instant after the jump: in Copenhagen 02:00 and
//     02:30 on the last Sunday of March both become 03:00 CEST (01:00 UTC);
//   - a wall time that occurs twice, because the clocks go back over it,
//     maps to its first occurrence: 02:00 on the last Sunday of October is
//     02:00 CEST (00:00 UTC), not 02:00 CET.
// Both keep the mapping monotonic (a later wall time never maps to an
// earlier instant), so shifts never overlap or run backwards.
//
// Limit: Debian's zoneinfo files list transitions up to 2037, and date/tz
// does not read the rule beyond them; wall times after 2037 are converted
// with the last offset listed (no DST). The rota parser refuses dates from
// 2037 on (see kLastSupportedYear).
//
// A TimeZone is a small value (a name and a pointer into the database,
// which lives as long as the process); copying is cheap; all functions are
// const and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "core/time.h"

namespace date {
class time_zone;
}  // namespace date

namespace dv::duty {

// a / b rounded towards negative infinity (day numbers before 1970); b > 0.
constexpr std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// A calendar day, counted in days since 1970-01-01 (proleptic Gregorian).
using LocalDay = std::int64_t;

inline constexpr std::string_view kCopenhagen = "Europe/Copenhagen";
// Wall times are accepted in years [kFirstSupportedYear, kLastSupportedYear].
inline constexpr int kFirstSupportedYear = 2000;
inline constexpr int kLastSupportedYear = 2036;

inline constexpr std::int64_t kMinuteMs = 60'000;
inline constexpr std::int64_t kHourMs = 60 * kMinuteMs;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;

// A wall-clock reading of an instant.
struct LocalReading {
  LocalDay day = 0;
  std::int64_t ms_of_day = 0;  // 0 – 86 399 999
  int weekday = 0;             // 0 = Monday … 6 = Sunday
  int offset_minutes = 0;      // +60 in CET, +120 in CEST
};

class TimeZone {
 public:
  // The zone of that IANA name; kInvalidArgument "unknown time zone '…'"
  // when the system's database has no such zone (or cannot be read).
  static Result<TimeZone> Locate(std::string_view name);

  const std::string& name() const { return name_; }

  // The instant at which the zone's clocks show `ms_of_day` (0 to 24 h; 24 h
  // is the next day's midnight) on `day`, under the two DST rules above.
  Timestamp At(LocalDay day, std::int64_t ms_of_day) const;
  Timestamp AtMinute(LocalDay day, int minute_of_day) const { return At(day, minute_of_day * kMinuteMs); }

  LocalReading Read(Timestamp at) const;

  // "2026-03-29T03:00:00+02:00": the instant in this zone's wall time, for
  // messages and documents (seconds precision).
  std::string Format(Timestamp at) const;

  friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.zone_ == b.zone_; }

 private:
  TimeZone(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}

  std::string name_;
  const date::time_zone* zone_;
};

// "YYYY-MM-DD" → day; nullopt when malformed or not a real date.
std::optional<LocalDay> ParseLocalDate(std::string_view text);
std::string FormatLocalDate(LocalDay day);
int YearOf(LocalDay day);
// 0 = Monday … 6 = Sunday.
int WeekdayOf(LocalDay day);

// "HH:MM" → minutes since midnight, 0–1439, or 1440 for "24:00" when
// `allow_24` is set; nullopt otherwise. Exactly two digits each.
std::optional<int> ParseClock(std::string_view text, bool allow_24);
std::string FormatClock(int minute_of_day);

}  // namespace dv::duty
