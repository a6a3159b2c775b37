// SPDX-License-Identifier: Apache-2.0
#pragma once

// Timestamps: milliseconds since the Unix epoch, UTC. STIX and TAXII carry
// RFC 3339 strings; Dannevirke stores and compares at millisecond precision
// (finer fractions are truncated on parse, as STIX permits).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dv {

class Timestamp {
 public:
  constexpr Timestamp() = default;
  constexpr explicit Timestamp(std::int64_t unix_ms) : unix_ms_(unix_ms) {}

  static Timestamp Now();
  // Parses RFC 3339 date-time ("2026-11-26T10:00:00Z", with optional
  // fraction and a "Z" or "+hh:mm" offset). Rejects impossible dates.
  static Result<Timestamp> Parse(std::string_view text);
  static Timestamp FromCivil(int year, int month, int day, int hour = 0, int minute = 0, int second = 0,
                             int millis = 0);

  constexpr std::int64_t unix_ms() const { return unix_ms_; }
  // "YYYY-MM-DDTHH:MM:SS.mmmZ", always with three fraction digits.
  std::string ToRfc3339() const;

  friend constexpr auto operator<=>(const Timestamp&, const Timestamp&) = default;

 private:
  std::int64_t unix_ms_ = 0;
};

// Milliseconds in one duration unit as Sigma timespans and the command
// line write them: s, m, h, d, w, M (30 days), y (365 days); nullopt for any
// other character.
std::optional<std::int64_t> DurationUnitMs(char unit);

}  // namespace dv
