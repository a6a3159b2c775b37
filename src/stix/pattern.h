// SPDX-License-Identifier: Apache-2.0
#pragma once

// STIX 2.1 Patterning (STIX 2.1 §9): the syntax tree and its parser.
//
// A pattern is a tree of observation expressions (`[ ... ]`) joined by AND,
// OR and FOLLOWEDBY, each optionally qualified (WITHIN n SECONDS, REPEATS n
// TIMES, START t STOP t). Inside an observation, comparison expressions are
// joined by AND and OR. Precedence, tightest first: qualifiers, AND, OR,
// FOLLOWEDBY; parentheses group. Keywords are upper case and case-sensitive,
// as in the specification's grammar; `true` and `false` are lower case.
//
// Parsing is pure (text in, tree out) and never throws or asserts on input.
// Errors are values whose message starts with the 0-based byte offset of the
// problem: "pattern offset 17: expected ']', found 'OR'". Nesting deeper than
// kMaxStixPatternDepth parentheses is rejected so that hostile input cannot
// exhaust the stack. The tree owns all its strings; it does not point into
// the parsed text. Trees are values: copy, move and share them freely.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace dv {

inline constexpr int kMaxStixPatternDepth = 100;

enum class StixConstantType { kString, kInteger, kFloat, kBoolean, kTimestamp, kHex, kBinary };

// The STIX name of a constant type ("string", "timestamp", ...).
std::string_view StixConstantTypeName(StixConstantType type);

struct StixConstant {
  StixConstantType type = StixConstantType::kString;
  // kString: the unescaped value. kHex, kBinary: the decoded bytes.
  // Other types: empty.
  std::string text;
  // The literal exactly as written, with prefix and quotes ("t'2026-…Z'").
  std::string spelling;
  std::int64_t integer = 0;  // kInteger
  double real = 0;           // kFloat (also set for kInteger)
  bool boolean = false;      // kBoolean
  Timestamp timestamp;       // kTimestamp
  std::size_t offset = 0;    // where the literal starts in the pattern
};

struct StixPathStep {
  enum class Kind { kKey, kIndex, kAnyIndex };
  Kind kind = Kind::kKey;
  std::string key;         // kKey: the property name, unquoted
  std::int64_t index = 0;  // kIndex
};

// `file:hashes.'SHA-256'`, `file:extensions.'windows-pebinary-ext'.sections[*].entropy`.
struct StixObjectPath {
  std::string object_type;
  std::vector<StixPathStep> steps;  // never empty; the first step is a key
  std::size_t offset = 0;

  // The canonical spelling: keys that are plain identifiers unquoted, others
  // quoted ("file:hashes.'SHA-256'").
  std::string ToString() const;
  // True when the path is `object_type:key0.key1…` with exactly these keys.
  bool Is(std::string_view type, std::initializer_list<std::string_view> keys) const;
};

enum class StixOperator {
  kEqual,
  kNotEqual,
  kGreater,
  kLess,
  kGreaterEqual,
  kLessEqual,
  kIn,
  kLike,
  kMatches,
  kIsSubset,
  kIsSuperset,
  kExists,
};

// "=", "!=", ">", "IN", "LIKE", "EXISTS", ...
std::string_view StixOperatorName(StixOperator op);

struct StixComparison {
  StixObjectPath path;
  StixOperator op = StixOperator::kEqual;
  bool negated = false;              // `NOT` before the operator
  std::vector<StixConstant> values;  // one; for IN the set (may be empty); none for EXISTS
  std::size_t offset = 0;
};

struct StixComparisonExpression {
  enum class Kind { kComparison, kAnd, kOr };
  Kind kind = Kind::kComparison;
  StixComparison comparison;                       // kComparison
  std::vector<StixComparisonExpression> operands;  // kAnd, kOr: two or more, flattened
};

struct StixQualifier {
  enum class Kind { kWithin, kRepeats, kStartStop };
  Kind kind = Kind::kWithin;
  double seconds = 0;      // kWithin
  std::int64_t times = 0;  // kRepeats
  Timestamp start;         // kStartStop
  Timestamp stop;          // kStartStop
  // The literals as written: WITHIN's number, REPEATS' count, START and STOP's timestamps.
  std::string first_spelling;
  std::string second_spelling;
  std::size_t offset = 0;
};

struct StixObservationExpression {
  enum class Kind { kObservation, kAnd, kOr, kFollowedBy };
  Kind kind = Kind::kObservation;
  StixComparisonExpression comparison;              // kObservation: the `[ ... ]` body
  std::vector<StixObservationExpression> operands;  // kAnd, kOr, kFollowedBy: two or more
  std::vector<StixQualifier> qualifiers;            // in the order written
  std::size_t offset = 0;
};

struct StixPattern {
  StixObservationExpression root;
};

// Parses the grammar of STIX 2.1 §9. Only syntax is checked here; see
// ValidateStixPattern for the rules beyond the grammar.
Result<StixPattern> ParseStixPattern(std::string_view text);

// The canonical text of a tree: single spaces, minimal parentheses, literals
// as written. Parsing the result yields a tree with the same canonical text.
std::string ToString(const StixPattern& pattern);

// Checks what a producer of STIX indicators must get right: the grammar, and
// object type names (3 to 250 of a-z, 0-9, '-'), qualifier values (WITHIN
// and REPEATS greater than zero, START before STOP), and MATCHES expressions
// that compile as PCRE. Errors name the pattern offset.
Status ValidateStixPattern(std::string_view text);

// For indicator objects: a pattern of type "stix" is validated as above;
// other pattern types (sigma, snort, suricata, yara, pcre, …) are not checked
// here and pass. An empty pattern or pattern type is an error.
Status ValidateIndicatorPattern(std::string_view pattern_type, std::string_view pattern);

}  // namespace dv
