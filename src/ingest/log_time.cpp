// SPDX-License-Identifier: Apache-2.0
#include "ingest/log_time.h"

#include <array>
#include <string>

#include "core/text.h"

namespace dv {
namespace {

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

bool ValidClock(int hour, int minute, int second) {
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
}

// The calendar year of a time, from an estimate corrected against 1 January.
int YearOf(Timestamp time) {
  auto year = static_cast<int>(1970 + time.unix_ms() / 31'556'952'000LL);
  while (Timestamp::FromCivil(year, 1, 1) > time) --year;
  while (Timestamp::FromCivil(year + 1, 1, 1) <= time) ++year;
  return year;
}

}  // namespace

int MonthFromAbbreviation(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() < 3) return 0;
  const std::string_view head = text.substr(0, 3);
  for (std::size_t month_idx = 0; month_idx < kMonths.size(); ++month_idx) {
    if (kMonths[month_idx] == head) return static_cast<int>(month_idx) + 1;
  }
  return 0;
}

std::optional<Timestamp> ParseLogTimeCompactZone(std::string_view text) {
  if (auto parsed = ParseLogTime(text)) return parsed;
  if (text.size() < 24 || text.size() > 64) return std::nullopt;
  const std::size_t zone = text.size() - 5;
  if (text[zone] != '+' && text[zone] != '-') return std::nullopt;
  std::string with_colon(text);
  with_colon.insert(zone + 3, 1, ':');
  return ParseLogTime(with_colon);
}

std::optional<Timestamp> ParseEpochSeconds(std::string_view text) {
  std::int64_t seconds = 0;
  std::size_t pos = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (pos >= 12) return std::nullopt;
    seconds = seconds * 10 + (text[pos++] - '0');
  }
  if (pos == 0) return std::nullopt;
  std::int64_t millis = 0;
  if (pos < text.size()) {
    if (text[pos++] != '.') return std::nullopt;
    int digits = 0;
    for (; pos < text.size(); ++pos) {
      if (text[pos] < '0' || text[pos] > '9') return std::nullopt;
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  return Timestamp(seconds * 1000 + millis);
}

std::optional<Timestamp> ParseLogTime(std::string_view text) {
  if (text.size() < 19) return std::nullopt;
  // A zone-less "YYYY-MM-DD HH:MM:SS[.fff]" is UTC; anything with a zone
  // designator goes to the strict RFC 3339 parser.
  std::size_t pos = 19;
  while (pos < text.size() && (text[pos] == '.' || (text[pos] >= '0' && text[pos] <= '9'))) ++pos;
  if (pos < text.size()) {
    auto parsed = Timestamp::Parse(text);
    if (!parsed.ok()) return std::nullopt;
    return *parsed;
  }
  const int year = ReadDigits(text, 0, 4);
  const int month = ReadDigits(text, 5, 2);
  const int day = ReadDigits(text, 8, 2);
  const int hour = ReadDigits(text, 11, 2);
  const int minute = ReadDigits(text, 14, 2);
  const int second = ReadDigits(text, 17, 2);
  if (year < 0 || text[4] != '-' || text[7] != '-' || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' ||
      text[16] != ':' || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
      !ValidClock(hour, minute, second)) {
    return std::nullopt;
  }
  int millis = 0;
  if (text.size() > 19) {
    if (text[19] != '.' || text.size() == 20) return std::nullopt;
    int digits = 0;
    for (std::size_t frac_idx = 20; frac_idx < text.size(); ++frac_idx) {
      const char c = text[frac_idx];
      if (c < '0' || c > '9') return std::nullopt;
      if (digits < 3) millis = millis * 10 + (c - '0');
      ++digits;
    }
    for (int pad = digits; pad < 3; ++pad) millis *= 10;
  }
  const Timestamp base = Timestamp::FromCivil(year, month, day, hour, minute, second == 60 ? 59 : second, millis);
  return second == 60 ? Timestamp(base.unix_ms() + 1000) : base;
}

std::optional<Timestamp> ParseBsdTime(std::string_view text, Timestamp reference) {
  // "Mmm dd hh:mm:ss"
  if (text.size() < kBsdTimeLength) return std::nullopt;
  const int month = MonthFromAbbreviation(text);
  if (month == 0 || text[3] != ' ' || text[6] != ' ' || text[9] != ':' || text[12] != ':') return std::nullopt;
  int day = ReadDigits(text, 4, 2);
  if (day < 0 && text[4] == ' ') day = ReadDigits(text, 5, 1);
  const int hour = ReadDigits(text, 7, 2);
  const int minute = ReadDigits(text, 10, 2);
  const int second = ReadDigits(text, 13, 2);
  if (day < 1 || day > 31 || !ValidClock(hour, minute, second) || second == 60) return std::nullopt;
  const std::int64_t latest = reference.unix_ms() + 86'400'000;
  // The reference year, or the one before when that would lie in the future;
  // 29 February looks back up to eight years for a leap year.
  const int reference_year = YearOf(reference);
  for (int year = reference_year + 1; year >= reference_year - 8; --year) {
    if (day > DaysInMonth(year, month)) continue;
    const Timestamp candidate = Timestamp::FromCivil(year, month, day, hour, minute, second);
    if (candidate.unix_ms() <= latest) return candidate;
  }
  return std::nullopt;
}

}  // namespace dv
