// SPDX-License-Identifier: Apache-2.0
#include "core/time.h"

#include <chrono>
#include <cstdio>

#include "core/text.h"

namespace dv {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days
// inverse below), valid for all years in int range.
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil CivilFromDays(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

}  // namespace

Timestamp Timestamp::Now() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

Timestamp Timestamp::FromCivil(int year, int month, int day, int hour, int minute, int second, int millis) {
  const std::int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return Timestamp((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + millis);
}

Result<Timestamp> Timestamp::Parse(std::string_view text) {
  auto fail = [&](std::string_view why) {
    return Error::Parse("'" + std::string(text) + "' is not an RFC 3339 timestamp: " + std::string(why));
  };
  // YYYY-MM-DDTHH:MM:SS
  if (text.size() < 20) return fail("too short");
  const int year = ReadDigits(text, 0, 4);
  const int month = ReadDigits(text, 5, 2);
  const int day = ReadDigits(text, 8, 2);
  const int hour = ReadDigits(text, 11, 2);
  const int minute = ReadDigits(text, 14, 2);
  const int second = ReadDigits(text, 17, 2);
  const char t = text[10];
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || text[4] != '-' || text[7] != '-' ||
      (t != 'T' && t != 't' && t != ' ') || text[13] != ':' || text[16] != ':') {
    return fail("want YYYY-MM-DDTHH:MM:SS");
  }
  if (month < 1 || month > 12) return fail("month out of range");
  if (day < 1 || day > DaysInMonth(year, month)) return fail("day out of range");
  if (hour > 23 || minute > 59 || second > 60) return fail("time of day out of range");
  std::size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return fail("empty fraction");
    for (int pad = digits; pad < 3; ++pad) millis *= 10;
  }
  if (pos >= text.size()) return fail("missing time zone (Z or +hh:mm)");
  int offset_minutes = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int off_hour = ReadDigits(text, pos + 1, 2);
    const int off_min = ReadDigits(text, pos + 4, 2);
    if (off_hour < 0 || off_min < 0 || text[pos + 3] != ':' || off_hour > 23 || off_min > 59) {
      return fail("bad time zone offset");
    }
    offset_minutes = (off_hour * 60 + off_min) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return fail("missing time zone (Z or +hh:mm)");
  }
  if (pos != text.size()) return fail("trailing characters");
  // A leap second is folded into the next second's start, as most systems do.
  const Timestamp local = FromCivil(year, month, day, hour, minute, second == 60 ? 59 : second, millis);
  std::int64_t unix_ms = local.unix_ms() - std::int64_t{offset_minutes} * 60'000;
  if (second == 60) unix_ms += 1000;
  return Timestamp(unix_ms);
}

std::string Timestamp::ToRfc3339() const {
  std::int64_t days = unix_ms_ / 86'400'000;
  std::int64_t rest = unix_ms_ % 86'400'000;
  if (rest < 0) {
    rest += 86'400'000;
    --days;
  }
  const Civil civil = CivilFromDays(days);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(civil.year), civil.month, civil.day, static_cast<long long>(rest / 3'600'000),
                static_cast<long long>(rest / 60'000 % 60), static_cast<long long>(rest / 1000 % 60),
                static_cast<long long>(rest % 1000));
  return buffer;
}

std::optional<std::int64_t> DurationUnitMs(char unit) {
  constexpr std::int64_t kDayMs = 86'400'000;
  switch (unit) {
    case 's':
      return 1000;
    case 'm':
      return 60'000;
    case 'h':
      return 3'600'000;
    case 'd':
      return kDayMs;
    case 'w':
      return 7 * kDayMs;
    case 'M':
      return 30 * kDayMs;
    case 'y':
      return 365 * kDayMs;
    default:
      return std::nullopt;
  }
}

}  // namespace dv
