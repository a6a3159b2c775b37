// SPDX-License-Identifier: Apache-2.0
#include "incident/local_time.h"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

namespace dv::incident {

namespace {

constexpr const char* kZoneName = "Europe/Copenhagen";

// The zone, or the reason it cannot be loaded; date/tz throws on a missing
// database, which is converted here.
Result<const date::time_zone*> Zone() {
  static const auto zone = []() -> Result<const date::time_zone*> {
    try {
      return date::locate_zone(kZoneName);
    } catch (const std::exception& error) {
      return Error::Io(std::string("time zone '") + kZoneName +
                       "' cannot be read from the system's tz database: " + error.what());
    }
  }();
  return zone;
}

using Millis = std::chrono::milliseconds;

date::sys_time<Millis> SysOf(Timestamp at) { return date::sys_time<Millis>(Millis(at.unix_ms())); }

int DaysInMonth(int year, int month) {
  return static_cast<int>(static_cast<unsigned>(
      date::year_month_day_last(date::year(year), date::month_day_last(date::month(static_cast<unsigned>(month))))
          .day()));
}

}  // namespace

std::string LocalTime::Iso() const {
  char text[40];
  const int offset = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", year, month, day, hour, minute, second,
                utc_offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
  return text;
}

std::string LocalTime::Danish() const {
  char text[40];
  std::snprintf(text, sizeof text, "%02d.%02d.%04d kl. %02d:%02d", day, month, year, hour, minute);
  return std::string(text) + " (" + abbreviation + ")";
}

Result<LocalTime> ToCopenhagen(Timestamp at) {
  auto zone = Zone();
  if (!zone.ok()) return zone.error();
  const auto sys = SysOf(at);
  const date::sys_info info = (*zone)->get_info(date::floor<std::chrono::seconds>(sys));
  const auto local = date::local_time<Millis>((sys + info.offset).time_since_epoch());
  const auto day_point = date::floor<date::days>(local);
  const date::year_month_day ymd(day_point);
  const date::hh_mm_ss<Millis> clock(local - day_point);
  LocalTime out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.hour = static_cast<int>(clock.hours().count());
  out.minute = static_cast<int>(clock.minutes().count());
  out.second = static_cast<int>(clock.seconds().count());
  out.utc_offset_minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
  out.abbreviation = info.abbrev;
  return out;
}

Result<Timestamp> FromCopenhagen(int year, int month, int day, int hour, int minute, int second, int millis) {
  auto zone = Zone();
  if (!zone.ok()) return zone.error();
  const date::year_month_day ymd(date::year(year), date::month(static_cast<unsigned>(month)),
                                 date::day(static_cast<unsigned>(day)));
  if (!ymd.ok()) {
    return Error::InvalidArgument("local date " + std::to_string(year) + "-" + std::to_string(month) + "-" +
                                  std::to_string(day) + " does not exist");
  }
  const auto local = date::local_time<Millis>(date::local_days(ymd).time_since_epoch()) + std::chrono::hours(hour) +
                     std::chrono::minutes(minute) + std::chrono::seconds(second) + Millis(millis);
  const date::local_info info = (*zone)->get_info(date::floor<std::chrono::seconds>(local));
  // unique: first is the offset; nonexistent: first is the offset before the
  // gap; ambiguous: first is the earlier (summer-time) reading.
  const auto sys = local.time_since_epoch() - info.first.offset;
  return Timestamp(std::chrono::duration_cast<Millis>(sys).count());
}

Result<Timestamp> AddOneMonth(Timestamp at) {
  auto local = ToCopenhagen(at);
  if (!local.ok()) return local.error();
  int year = local->year;
  int month = local->month + 1;
  if (month > 12) {
    month = 1;
    ++year;
  }
  const int day = std::min(local->day, DaysInMonth(year, month));
  const int millis = static_cast<int>(((at.unix_ms() % 1000) + 1000) % 1000);
  return FromCopenhagen(year, month, day, local->hour, local->minute, local->second, millis);
}

}  // namespace dv::incident
