// SPDX-License-Identifier: Apache-2.0
#pragma once

// Timestamps as log records write them. Pure functions; thread-safe.

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace dv {

// Parses an RFC 3339 date-time ("2026-11-26T10:00:00.123Z", "+01:00" offsets,
// "T" or a space between date and time) or the zone-less form
// "YYYY-MM-DD HH:MM:SS[.fff…]" / "YYYY-MM-DDTHH:MM:SS[.fff…]", which is taken
// as UTC. Fractions finer than milliseconds are truncated. Returns nothing for
// any other text; never fails loudly, as a missing time is not an error.
std::optional<Timestamp> ParseLogTime(std::string_view text);

// ParseLogTime, and also a zone written without a colon ("+0100", "-0000"),
// as Suricata's EVE and Sophos Firewall write it.
std::optional<Timestamp> ParseLogTimeCompactZone(std::string_view text);

// Parses epoch seconds with an optional fraction ("1772360100.123456", as
// Zeek and Suricata write them); digits beyond milliseconds are truncated.
// Returns nothing for any other text, negative numbers included.
std::optional<Timestamp> ParseEpochSeconds(std::string_view text);

// Parses the BSD syslog form "Mmm dd hh:mm:ss" (day space- or zero-padded)
// at the start of `text`, inferring the year: the latest year in which the
// time is not more than a day after `reference` (logs are written before they
// are read; a day allows for clock skew). Returns nothing when `text` does not
// start with that form or the date is impossible. The form is always 15
// bytes long (kBsdTimeLength).
inline constexpr std::size_t kBsdTimeLength = 15;
std::optional<Timestamp> ParseBsdTime(std::string_view text, Timestamp reference);

// The three-letter English month abbreviation ("Jan" … "Dec") as 1–12, or 0.
int MonthFromAbbreviation(std::string_view text);

}  // namespace dv
