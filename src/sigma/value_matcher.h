// SPDX-License-Identifier: Apache-2.0
#pragma once

// Compiled matchers for one Sigma value after its modifiers are applied:
// strings with wildcards, regular expressions (PCRE2, JIT-compiled), numbers,
// CIDR ranges and date parts. A matcher is immutable after construction and
// safe to use from many threads at once.
//
// Each matcher receives a field value twice: as written (`raw`) and
// case-folded with dv::FoldCase (`folded`); case-insensitive matchers hold a
// folded pattern and read `folded`, so folding happens once per field value,
// not once per rule.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv::sigma {

class ValueMatcher {
 public:
  virtual ~ValueMatcher() = default;
  virtual bool Matches(std::string_view raw, std::string_view folded) const = 0;
  // How the matcher evaluates, for `sigma compile`: "contains 'whoami' (case-insensitive)".
  virtual std::string Describe() const = 0;
  // A literal that every matching value must contain (folded when the
  // matcher is case-insensitive), for prefiltering; empty when none.
  virtual std::string RequiredLiteral() const { return {}; }
  virtual bool case_sensitive() const { return false; }
};

// One piece of a Sigma string after escape processing.
struct GlobPiece {
  enum class Kind { kLiteral, kAnyRun, kAnyChar };  // text, '*', '?'
  Kind kind = Kind::kLiteral;
  std::string text;
};

// Splits a Sigma string value into literals and wildcards, applying the
// specification's backslash rules: "\*" and "\?" are literal wildcard
// characters, "\\" is one backslash, and a backslash before anything else is
// itself.
std::vector<GlobPiece> ParseSigmaWildcards(std::string_view value);
// Joins pieces back into a Sigma string (wildcards as '*'/'?', literals escaped).
std::string ToSigmaString(const std::vector<GlobPiece>& pieces);

enum class StringMode { kExact, kContains, kStartsWith, kEndsWith };

// A string value with Sigma wildcards under a mode. Patterns that reduce to
// exact/prefix/suffix/contains of one literal use those directly.
std::unique_ptr<ValueMatcher> MakeStringMatcher(std::vector<GlobPiece> pieces, StringMode mode, bool case_sensitive);
// A PCRE2 regular expression; `case_insensitive`, `multi_line`, `dot_all` are the re|i|m|s flags.
// It runs within the limits of core/regex_limits.h: a match stopped by a
// limit is no match, and a matcher stopped kRegexStopsBeforeOff times
// answers "no match" at once from then on. Both are counted (RegexLimitCounts).
Result<std::unique_ptr<ValueMatcher>> MakeRegexMatcher(std::string_view pattern, bool case_insensitive, bool multi_line,
                                                       bool dot_all);

// Process-wide counts for every Sigma regular expression matcher (`re` and
// windash): matches stopped by a limit, and matchers switched off. Monotonic;
// thread-safe.
struct RegexLimitCounts {
  std::uint64_t stopped = 0;
  std::uint64_t switched_off = 0;
};
RegexLimitCounts RegexLimitCountsNow();
// windash: every '-' in the value (and its four look-alikes) matches any of
// '-', '/', '–', '—', '―' — without expanding permutations.
Result<std::unique_ptr<ValueMatcher>> MakeWindashMatcher(const std::vector<GlobPiece>& pieces, StringMode mode,
                                                         bool case_sensitive);

enum class CompareOp { kLt, kLte, kGt, kGte, kEq };
// The field read as a number (decimal, 0x-hex or float) compared with `value`.
std::unique_ptr<ValueMatcher> MakeNumberMatcher(CompareOp op, double value);
Result<std::unique_ptr<ValueMatcher>> MakeCidrMatcher(std::string_view cidr);

enum class DatePart { kMinute, kHour, kDay, kWeek, kMonth, kYear };
// The field read as a date ("YYYY-MM-DD[T ]HH:MM:SS…"), the part extracted and compared.
std::unique_ptr<ValueMatcher> MakeDatePartMatcher(DatePart part, CompareOp op, double value);

// Parses a number the way MakeNumberMatcher reads field values.
bool ParseNumber(std::string_view text, double& out);

}  // namespace dv::sigma
