// SPDX-License-Identifier: Apache-2.0
#include "duty/time_zone.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>

#include "duty/ids.h"

namespace dv::duty {

namespace {

using Millis = std::chrono::milliseconds;
using Seconds = std::chrono::seconds;

}  // namespace

Result<TimeZone> TimeZone::Locate(std::string_view name) {
  // date/tz throws for an unknown name and for an unreadable database.
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(std::string(name), zone);
  } catch (const std::exception&) {
    return Error::InvalidArgument("unknown time zone " + Quoted(name) +
                                  " (not in the system's tz database, /usr/share/zoneinfo)");
  }
}

Timestamp TimeZone::At(LocalDay day, std::int64_t ms_of_day) const {
  const date::local_time<Millis> local{Millis(day * kDayMs + ms_of_day)};
  const date::local_info info = zone_->get_info(date::floor<Seconds>(local));
  date::sys_time<Millis> sys;
  if (info.result == date::local_info::nonexistent) {
    // The first instant after the jump: the transition itself.
    sys = date::sys_time<Millis>(info.second.begin);
  } else {
    // unique: the only offset; ambiguous: `first` is the earlier reading.
    sys = date::sys_time<Millis>(local.time_since_epoch() - info.first.offset);
  }
  return Timestamp(sys.time_since_epoch().count());
}

LocalReading TimeZone::Read(Timestamp at) const {
  const date::sys_time<Millis> sys{Millis(at.unix_ms())};
  const date::sys_info info = zone_->get_info(date::floor<Seconds>(sys));
  const std::int64_t offset_ms = std::chrono::duration_cast<Millis>(info.offset).count();
  const std::int64_t local_ms = at.unix_ms() + offset_ms;
  LocalReading reading;
  reading.day = FloorDiv(local_ms, kDayMs);
  reading.ms_of_day = local_ms - reading.day * kDayMs;
  reading.weekday = WeekdayOf(reading.day);
  reading.offset_minutes = static_cast<int>(offset_ms / kMinuteMs);
  return reading;
}

std::string TimeZone::Format(Timestamp at) const {
  const LocalReading local = Read(at);
  const std::int64_t seconds = local.ms_of_day / 1000;
  const int offset = local.offset_minutes < 0 ? -local.offset_minutes : local.offset_minutes;
  char text[40];
  std::snprintf(text, sizeof text, "T%02d:%02d:%02d%c%02d:%02d", static_cast<int>(seconds / 3600),
                static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60),
                local.offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
  return FormatLocalDate(local.day) + text;
}

std::optional<LocalDay> ParseLocalDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int part_idx = 0; part_idx < 3; ++part_idx) {
    for (std::size_t pos = starts[part_idx]; pos < starts[part_idx] + lengths[part_idx]; ++pos) {
      if (text[pos] < '0' || text[pos] > '9') return std::nullopt;
      parts[part_idx] = parts[part_idx] * 10 + (text[pos] - '0');
    }
  }
  const date::year_month_day ymd{date::year(parts[0]), date::month(static_cast<unsigned>(parts[1])),
                                 date::day(static_cast<unsigned>(parts[2]))};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days(ymd).time_since_epoch().count();
}

std::string FormatLocalDate(LocalDay day) {
  const date::year_month_day ymd{date::sys_days(date::days(day))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

int YearOf(LocalDay day) { return static_cast<int>(date::year_month_day{date::sys_days(date::days(day))}.year()); }

int WeekdayOf(LocalDay day) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  return static_cast<int>(((day + 3) % 7 + 7) % 7);
}

std::optional<int> ParseClock(std::string_view text, bool allow_24) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const std::size_t pos : {0U, 1U, 3U, 4U}) {
    if (text[pos] < '0' || text[pos] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (allow_24 && hours == 24 && minutes == 0) return 24 * 60;
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string FormatClock(int minute_of_day) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
  return text;
}

}  // namespace dv::duty
