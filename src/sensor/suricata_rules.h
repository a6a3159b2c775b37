// SPDX-License-Identifier: Apache-2.0
#pragma once

// Suricata rules shared as STIX indicators (`pattern_type: suricata`, the
// rule as `pattern`), written to a rules file the member's Suricata loads
// (docs/sensor.md, "Suricata rules"). A rule comes from another organisation
// and is hostile input until checked: ValidateSuricataRule accepts only
//   - one line: no byte below 0x20 (CR, LF, NUL, …) and no DEL; bytes above
//     0x7f only as valid UTF-8;
//   - at most kMaxSuricataRuleBytes bytes;
//   - a Suricata action first (alert, pass, drop, reject, rejectsrc,
//     rejectdst, rejectboth) followed by a space;
//   - options in parentheses that close the rule, with a `sid:<digits>;`.
// It does not parse Suricata's grammar further: Suricata itself reports a
// rule it cannot load and loads the others.
//
// BuildSuricataRules turns the active indicators into the file's text, one
// rule per line (each after a comment line naming its indicator), in the
// order of indicator ids; an indicator whose valid_until has passed is left
// out, a rule that fails validation or repeats an earlier sid is skipped and
// reported with the indicator id. Pure; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace dv::sensor {

inline constexpr std::size_t kMaxSuricataRuleBytes = 8192;

// The rule, trimmed of surrounding spaces, or kParse with the reason.
Result<std::string> ValidateSuricataRule(std::string_view rule);

struct SuricataIndicator {
  std::string id;
  std::string pattern;
  std::string valid_until;  // RFC 3339; empty: none
};

struct SuricataRules {
  std::string text;  // the whole file
  std::size_t rules = 0;
  std::size_t expired = 0;
  std::vector<std::string> skipped;  // "indicator--…: reason"
};

SuricataRules BuildSuricataRules(std::vector<SuricataIndicator> indicators, Timestamp now);

}  // namespace dv::sensor
