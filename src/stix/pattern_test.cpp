// SPDX-License-Identifier: Apache-2.0
#include "stix/pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace dv {
namespace {

StixPattern MustParse(std::string_view text) {
  auto parsed = ParseStixPattern(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << (parsed.ok() ? "" : parsed.error().message());
  return parsed.ok() ? std::move(parsed).value() : StixPattern{};
}

std::string Canonical(std::string_view text) { return ToString(MustParse(text)); }

std::string ParseError(std::string_view text) {
  auto parsed = ParseStixPattern(text);
  if (parsed.ok()) return "parsed as " + ToString(*parsed);
  EXPECT_EQ(parsed.error().kind(), ErrorKind::kParse);
  return parsed.error().message();
}

const StixComparison& OnlyComparison(const StixPattern& pattern) { return pattern.root.comparison.comparison; }

TEST(StixPatternTest, SimpleComparison) {
  StixPattern pattern = MustParse("[ipv4-addr:value = '198.51.100.1']");
  ASSERT_EQ(pattern.root.kind, StixObservationExpression::Kind::kObservation);
  ASSERT_EQ(pattern.root.comparison.kind, StixComparisonExpression::Kind::kComparison);
  const StixComparison& comparison = OnlyComparison(pattern);
  EXPECT_TRUE(comparison.path.Is("ipv4-addr", {"value"}));
  EXPECT_EQ(comparison.op, StixOperator::kEqual);
  EXPECT_FALSE(comparison.negated);
  ASSERT_EQ(comparison.values.size(), 1u);
  EXPECT_EQ(comparison.values[0].type, StixConstantType::kString);
  EXPECT_EQ(comparison.values[0].text, "198.51.100.1");
  EXPECT_EQ(comparison.values[0].offset, 19u);
}

TEST(StixPatternTest, QuotedPathComponentsAndIndexes) {
  StixPattern pattern = MustParse(
      "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0 AND file:hashes.'SHA-256' = 'ab' AND "
      "email-message:to_refs[0].value = 'a@b.example' AND file:'name' = 'x']");
  const auto& operands = pattern.root.comparison.operands;
  ASSERT_EQ(operands.size(), 4u);
  const StixObjectPath& pe = operands[0].comparison.path;
  EXPECT_EQ(pe.object_type, "file");
  ASSERT_EQ(pe.steps.size(), 5u);
  EXPECT_EQ(pe.steps[1].key, "windows-pebinary-ext");
  EXPECT_EQ(pe.steps[3].kind, StixPathStep::Kind::kAnyIndex);
  EXPECT_TRUE(operands[1].comparison.path.Is("file", {"hashes", "SHA-256"}));
  const StixObjectPath& to = operands[2].comparison.path;
  ASSERT_EQ(to.steps.size(), 3u);
  EXPECT_EQ(to.steps[1].kind, StixPathStep::Kind::kIndex);
  EXPECT_EQ(to.steps[1].index, 0);
  EXPECT_TRUE(operands[3].comparison.path.Is("file", {"name"}));
  EXPECT_EQ(pe.ToString(), "file:extensions.'windows-pebinary-ext'.sections[*].entropy");
  EXPECT_EQ(operands[3].comparison.path.ToString(), "file:name");
}

TEST(StixPatternTest, EveryOperator) {
  struct Case {
    const char* text;
    StixOperator op;
    bool negated;
    std::size_t values;
  };
  const Case cases[] = {
      {"[x-a:b = 1]", StixOperator::kEqual, false, 1},
      {"[x-a:b != 1]", StixOperator::kNotEqual, false, 1},
      {"[x-a:b > 1]", StixOperator::kGreater, false, 1},
      {"[x-a:b < 1]", StixOperator::kLess, false, 1},
      {"[x-a:b >= 1]", StixOperator::kGreaterEqual, false, 1},
      {"[x-a:b <= 1]", StixOperator::kLessEqual, false, 1},
      {"[x-a:b IN (1, 2, 'c')]", StixOperator::kIn, false, 3},
      {"[x-a:b IN ()]", StixOperator::kIn, false, 0},
      {"[x-a:b LIKE 'a%']", StixOperator::kLike, false, 1},
      {"[x-a:b MATCHES '^a+$']", StixOperator::kMatches, false, 1},
      {"[x-a:b ISSUBSET '10.0.0.0/8']", StixOperator::kIsSubset, false, 1},
      {"[x-a:b ISSUPERSET '10.0.0.0/8']", StixOperator::kIsSuperset, false, 1},
      {"[EXISTS x-a:b]", StixOperator::kExists, false, 0},
      {"[x-a:b NOT = 1]", StixOperator::kEqual, true, 1},
      {"[x-a:b NOT IN ('a')]", StixOperator::kIn, true, 1},
      {"[x-a:b NOT LIKE 'a']", StixOperator::kLike, true, 1},
      {"[x-a:b NOT MATCHES 'a']", StixOperator::kMatches, true, 1},
  };
  for (const Case& test_case : cases) {
    StixPattern pattern = MustParse(test_case.text);
    const StixComparison& comparison = OnlyComparison(pattern);
    EXPECT_EQ(comparison.op, test_case.op) << test_case.text;
    EXPECT_EQ(comparison.negated, test_case.negated) << test_case.text;
    EXPECT_EQ(comparison.values.size(), test_case.values) << test_case.text;
    EXPECT_EQ(ToString(pattern), test_case.text);
  }
}

TEST(StixPatternTest, EveryConstantType) {
  // Adjacent strings are not concatenated.
  EXPECT_EQ(ParseError("[x-a:b = 'it''s']"), "pattern offset 13: expected ']', found ''s''");

  StixPattern constants = MustParse(
      "[x-a:b IN ('a\\'b\\\\c', 42, -7, +3, 3.25, -0.5, .5, true, false, t'2026-01-01T00:00:00Z', "
      "t'2026-01-01T00:00:00.123456Z', h'DEADbeef', h'', b'aGVsbG8=', b'aGk=', b'')]");
  const auto& values = OnlyComparison(constants).values;
  ASSERT_EQ(values.size(), 16u);
  EXPECT_EQ(values[0].type, StixConstantType::kString);
  EXPECT_EQ(values[0].text, "a'b\\c");
  EXPECT_EQ(values[1].type, StixConstantType::kInteger);
  EXPECT_EQ(values[1].integer, 42);
  EXPECT_EQ(values[2].integer, -7);
  EXPECT_EQ(values[3].integer, 3);
  EXPECT_EQ(values[4].type, StixConstantType::kFloat);
  EXPECT_DOUBLE_EQ(values[4].real, 3.25);
  EXPECT_DOUBLE_EQ(values[5].real, -0.5);
  EXPECT_DOUBLE_EQ(values[6].real, 0.5);
  EXPECT_EQ(values[7].type, StixConstantType::kBoolean);
  EXPECT_TRUE(values[7].boolean);
  EXPECT_FALSE(values[8].boolean);
  EXPECT_EQ(values[9].type, StixConstantType::kTimestamp);
  EXPECT_EQ(values[9].timestamp, Timestamp::FromCivil(2026, 1, 1));
  EXPECT_EQ(values[10].timestamp, Timestamp::FromCivil(2026, 1, 1, 0, 0, 0, 123));
  EXPECT_EQ(values[11].type, StixConstantType::kHex);
  EXPECT_EQ(values[11].text, std::string("\xde\xad\xbe\xef"));
  EXPECT_EQ(values[11].spelling, "h'DEADbeef'");
  EXPECT_EQ(values[12].text, "");
  EXPECT_EQ(values[13].type, StixConstantType::kBinary);
  EXPECT_EQ(values[13].text, "hello");
  EXPECT_EQ(values[14].text, "hi");
  EXPECT_EQ(values[15].text, "");
  EXPECT_EQ(ToString(constants),
            "[x-a:b IN ('a\\'b\\\\c', 42, -7, +3, 3.25, -0.5, .5, true, false, t'2026-01-01T00:00:00Z', "
            "t'2026-01-01T00:00:00.123456Z', h'DEADbeef', h'', b'aGVsbG8=', b'aGk=', b'')]");
}

TEST(StixPatternTest, ComparisonPrecedenceAndBindsTighterThanOr) {
  StixPattern pattern = MustParse("[a-b:c = 1 OR a-b:d = 2 AND a-b:e = 3]");
  const auto& root = pattern.root.comparison;
  ASSERT_EQ(root.kind, StixComparisonExpression::Kind::kOr);
  ASSERT_EQ(root.operands.size(), 2u);
  EXPECT_EQ(root.operands[0].kind, StixComparisonExpression::Kind::kComparison);
  EXPECT_EQ(root.operands[1].kind, StixComparisonExpression::Kind::kAnd);

  StixPattern grouped = MustParse("[(a-b:c = 1 OR a-b:d = 2) AND a-b:e = 3]");
  EXPECT_EQ(grouped.root.comparison.kind, StixComparisonExpression::Kind::kAnd);
  EXPECT_EQ(grouped.root.comparison.operands[0].kind, StixComparisonExpression::Kind::kOr);
  EXPECT_EQ(ToString(grouped), "[(a-b:c = 1 OR a-b:d = 2) AND a-b:e = 3]");
  // Associative operators are flattened; redundant parentheses vanish.
  EXPECT_EQ(Canonical("[((a-b:c = 1) AND (a-b:d = 2 AND a-b:e = 3))]"), "[a-b:c = 1 AND a-b:d = 2 AND a-b:e = 3]");
}

TEST(StixPatternTest, ObservationPrecedence) {
  // AND binds tighter than OR, which binds tighter than FOLLOWEDBY.
  StixPattern pattern = MustParse("[a-b:c = 1] FOLLOWEDBY [a-b:c = 2] OR [a-b:c = 3] AND [a-b:c = 4]");
  ASSERT_EQ(pattern.root.kind, StixObservationExpression::Kind::kFollowedBy);
  ASSERT_EQ(pattern.root.operands.size(), 2u);
  const auto& right = pattern.root.operands[1];
  ASSERT_EQ(right.kind, StixObservationExpression::Kind::kOr);
  EXPECT_EQ(right.operands[1].kind, StixObservationExpression::Kind::kAnd);
  EXPECT_EQ(Canonical("([a-b:c = 1] FOLLOWEDBY [a-b:c = 2]) OR [a-b:c = 3]"),
            "([a-b:c = 1] FOLLOWEDBY [a-b:c = 2]) OR [a-b:c = 3]");
  EXPECT_EQ(Canonical("([a-b:c = 1] OR [a-b:c = 2]) OR [a-b:c = 3]"), "[a-b:c = 1] OR [a-b:c = 2] OR [a-b:c = 3]");
}

TEST(StixPatternTest, Qualifiers) {
  StixPattern pattern = MustParse(
      "([file:name = 'a'] AND [file:name = 'b']) WITHIN 300 SECONDS REPEATS 5 TIMES "
      "START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'");
  const auto& root = pattern.root;
  EXPECT_EQ(root.kind, StixObservationExpression::Kind::kAnd);
  ASSERT_EQ(root.qualifiers.size(), 3u);
  EXPECT_EQ(root.qualifiers[0].kind, StixQualifier::Kind::kWithin);
  EXPECT_DOUBLE_EQ(root.qualifiers[0].seconds, 300);
  EXPECT_EQ(root.qualifiers[1].kind, StixQualifier::Kind::kRepeats);
  EXPECT_EQ(root.qualifiers[1].times, 5);
  EXPECT_EQ(root.qualifiers[2].kind, StixQualifier::Kind::kStartStop);
  EXPECT_EQ(root.qualifiers[2].start, Timestamp::FromCivil(2026, 1, 1));
  EXPECT_EQ(root.qualifiers[2].stop, Timestamp::FromCivil(2026, 2, 1));
  EXPECT_EQ(ToString(pattern),
            "([file:name = 'a'] AND [file:name = 'b']) WITHIN 300 SECONDS REPEATS 5 TIMES "
            "START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'");
  // A qualifier binds to the nearest observation.
  StixPattern nearest = MustParse("[a-b:c = 1] AND [a-b:c = 2] WITHIN 2.5 SECONDS");
  ASSERT_EQ(nearest.root.kind, StixObservationExpression::Kind::kAnd);
  EXPECT_TRUE(nearest.root.qualifiers.empty());
  ASSERT_EQ(nearest.root.operands[1].qualifiers.size(), 1u);
  EXPECT_DOUBLE_EQ(nearest.root.operands[1].qualifiers[0].seconds, 2.5);
  // A qualified group is kept as one operand, not flattened.
  EXPECT_EQ(Canonical("([a-b:c = 1] OR [a-b:c = 2]) REPEATS 2 TIMES OR [a-b:c = 3]"),
            "([a-b:c = 1] OR [a-b:c = 2]) REPEATS 2 TIMES OR [a-b:c = 3]");
}

TEST(StixPatternTest, WhitespaceIsFree) {
  EXPECT_EQ(Canonical("  [\tfile:name='a'\nAND\rfile:size>=10 ]  "), "[file:name = 'a' AND file:size >= 10]");
}

TEST(StixPatternTest, InvalidPatternsNameOffsetAndExpectation) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "pattern offset 0: expected '[' or '(', found end of pattern"},
      {"file:name = 'a'", "pattern offset 0: expected '[' or '(', found 'file'"},
      {"[file:name = 'a'", "pattern offset 16: expected ']', found end of pattern"},
      {"[file:name = 'a' OR]", "pattern offset 19: expected an object path such as file:name, found ']'"},
      {"[file:name = 'a'] AND", "pattern offset 21: expected '[' or '(', found end of pattern"},
      {"[file:name = 'a'] [file:name = 'b']", "pattern offset 18: expected end of pattern, found '['"},
      {"[file name = 'a']", "pattern offset 6: expected ':' after the object type, found 'name'"},
      {"[file: = 'a']", "pattern offset 7: expected a property name, found '='"},
      {"[file:name == 'a']", "pattern offset 12: expected a constant, found '='"},
      {"[file:name ~ 'a']", "pattern offset 11: unexpected character '~'"},
      {"[file:name 'a']", "pattern offset 11: expected a comparison operator, found ''a''"},
      {"[file:name EQUALS 'a']", "pattern offset 11: expected a comparison operator, found 'EQUALS'"},
      {"[file:name = 'a]", "pattern offset 13: unterminated string"},
      {"[file:name = 'a\\n']", "pattern offset 15: invalid escape '\\n' (only \\' and \\\\ are allowed)"},
      {"[file:name = a]", "pattern offset 13: expected a constant, found 'a'"},
      {"[file:name > true]", "pattern offset 13: a boolean cannot be ordered with >"},
      {"[file:name LIKE 5]", "pattern offset 16: expected a string after LIKE, found '5'"},
      {"[file:name MATCHES h'00']", "pattern offset 19: expected a string after MATCHES, found 'h'00''"},
      {"[file:name IN 'a']", "pattern offset 14: expected '(' to open the IN set, found ''a''"},
      {"[file:name IN ('a' 'b')]", "pattern offset 19: expected ',' or ')', found ''b''"},
      {"[file:name IN ('a',)]", "pattern offset 19: expected a constant, found ')'"},
      {"[file:hashes.SHA-256 = 'a']", "pattern offset 13: property name 'SHA-256' contains '-' and must be quoted"},
      {"[file:list[x] = 'a']", "pattern offset 11: expected a list index or '*', found 'x'"},
      {"[file:list[1 = 'a']", "pattern offset 13: expected ']' to close the list index, found '='"},
      {"[file:x = t'2026-13-01T00:00:00Z']",
       "pattern offset 10: invalid timestamp: '2026-13-01T00:00:00Z' is not an RFC 3339 timestamp: month out of range"},
      {"[file:x = t'2026-01-01 00:00:00Z']",
       "pattern offset 10: invalid timestamp '2026-01-01 00:00:00Z' (expected YYYY-MM-DDTHH:MM:SS[.fraction]Z)"},
      {"[file:x = t'2026-01-01T00:00:00+01:00']",
       "pattern offset 10: invalid timestamp '2026-01-01T00:00:00+01:00' (expected YYYY-MM-DDTHH:MM:SS[.fraction]Z)"},
      {"[file:x = h'abc']", "pattern offset 10: hex literal needs an even number of digits"},
      {"[file:x = h'zz']", "pattern offset 12: invalid hex digit in h'…' literal"},
      {"[file:x = b'abc']", "pattern offset 10: base64 literal length must be a multiple of 4"},
      {"[file:x = b'ab!d']", "pattern offset 14: invalid character in b'…' base64 literal"},
      {"[file:x = b'abc", "pattern offset 10: unterminated b'…' literal"},
      {"[file:x = 99999999999999999999]", "pattern offset 10: integer out of range"},
      {"[file:x = 1.]", "pattern offset 10: a number needs digits after '.'"},
      {"[file:x = 12abc]", "pattern offset 12: unexpected character after number"},
      {"[file:x = 1] WITHIN SECONDS", "pattern offset 20: expected a positive number of seconds, found 'SECONDS'"},
      {"[file:x = 1] WITHIN -5 SECONDS", "pattern offset 20: expected a positive number of seconds, found '-5'"},
      {"[file:x = 1] WITHIN 5", "pattern offset 21: expected SECONDS, found end of pattern"},
      {"[file:x = 1] REPEATS 2.5 TIMES", "pattern offset 21: expected a positive whole number, found '2.5'"},
      {"[file:x = 1] REPEATS 2", "pattern offset 22: expected TIMES, found end of pattern"},
      {"[file:x = 1] START '2026' STOP t'2026-01-01T00:00:00Z'",
       "pattern offset 19: expected a timestamp t'…' after START, found ''2026''"},
      {"[file:x = 1] START t'2026-01-01T00:00:00Z'", "pattern offset 42: expected STOP, found end of pattern"},
      {"[file:x = 1] and [file:x = 2]", "pattern offset 13: expected end of pattern, found 'and'"},
      {"([file:x = 1]", "pattern offset 13: expected ')', found end of pattern"},
      {"[(file:x = 1]", "pattern offset 12: expected ')', found ']'"},
      {"[NOT file:x = 1]", "pattern offset 5: expected ':' after the object type, found 'file'"},
      {"[file:x NOT NOT = 1]", "pattern offset 12: expected a comparison operator, found 'NOT'"},
      {"[EXISTS]", "pattern offset 7: expected an object path such as file:name, found ']'"},
      {"[file:x = 1]\x01", "pattern offset 12: unexpected byte 0x01"},
  };
  for (const Case& test_case : cases) {
    EXPECT_EQ(ParseError(test_case.text), test_case.message) << test_case.text;
  }
}

TEST(StixPatternTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  EXPECT_EQ(ParseError(deep), "pattern offset 100: nesting deeper than 100 levels");
  std::string deep_comparison = "[" + std::string(100000, '(');
  EXPECT_EQ(ParseError(deep_comparison), "pattern offset 100: nesting deeper than 100 levels");
  std::string ok = std::string(50, '(') + "[a-b:c = 1]" + std::string(50, ')');
  EXPECT_EQ(Canonical(ok), "[a-b:c = 1]");
}

TEST(StixPatternTest, LeapSecondTimestamp) {
  StixPattern pattern = MustParse("[a-b:c = t'2016-12-31T23:59:60Z']");
  EXPECT_EQ(OnlyComparison(pattern).values[0].timestamp, Timestamp::FromCivil(2017, 1, 1));
}

TEST(StixPatternTest, ValidateChecksBeyondTheGrammar) {
  EXPECT_TRUE(ValidateStixPattern("[file:hashes.'SHA-256' = 'aa'] WITHIN 5 SECONDS").ok());
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"[File:name = 'a']", "pattern offset 1: object type 'File' must be 3 to 250 characters of a-z, 0-9 and '-'"},
      {"[ab:name = 'a']", "pattern offset 1: object type 'ab' must be 3 to 250 characters of a-z, 0-9 and '-'"},
      {"[file:name = 'a'] WITHIN 0 SECONDS", "pattern offset 18: WITHIN needs more than 0 seconds"},
      {"[file:name = 'a'] REPEATS 0 TIMES", "pattern offset 18: REPEATS needs at least 1 time"},
      {"[file:name = 'a'] START t'2026-02-01T00:00:00Z' STOP t'2026-01-01T00:00:00Z'",
       "pattern offset 18: START must be before STOP"},
      {"[file:name MATCHES 'a(b']",
       "pattern offset 19: MATCHES expression does not compile at character 3: missing closing parenthesis"},
      {"[file:name = 'a'", "pattern offset 16: expected ']', found end of pattern"},
  };
  for (const Case& test_case : cases) {
    Status status = ValidateStixPattern(test_case.text);
    ASSERT_FALSE(status.ok()) << test_case.text;
    EXPECT_EQ(status.error().message(), test_case.message) << test_case.text;
  }
}

TEST(StixPatternTest, ValidateIndicatorPattern) {
  EXPECT_TRUE(ValidateIndicatorPattern("stix", "[url:value = 'http://a.example/']").ok());
  EXPECT_TRUE(ValidateIndicatorPattern("sigma", "title: anything").ok());
  EXPECT_FALSE(ValidateIndicatorPattern("stix", "[url:value = ").ok());
  EXPECT_FALSE(ValidateIndicatorPattern("", "[url:value = 'a']").ok());
  EXPECT_FALSE(ValidateIndicatorPattern("stix", "").ok());
}

TEST(StixPatternTest, SpecificationExamples) {
  const char* examples[] = {
      "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
      "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*]."
      "body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
      "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = "
      "'2001:0db8:dead:beef:dead:beef:dead:0001/128']",
      "[domain-name:value = 'example.com'] FOLLOWEDBY [domain-name:value = 'example.org'] WITHIN 300 SECONDS",
      "[file:hashes.'SHA-256' = 'aa' AND file:mime_type = 'application/x-pdf'] OR [file:name = 'a.pdf'] "
      "REPEATS 5 TIMES",
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8']",
      "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\System\\\\Foo\\\\Bar']",
      "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:"
      "bf:40:27:21:76:28']",
      "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
      "[file:created > t'2016-01-01T00:00:00Z' AND file:created < t'2016-02-01T00:00:00Z'] "
      "START t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00Z'",
  };
  for (const char* example : examples) {
    EXPECT_TRUE(ValidateStixPattern(example).ok()) << example;
    // The canonical text parses back to itself.
    std::string canonical = Canonical(example);
    EXPECT_EQ(Canonical(canonical), canonical);
  }
}

}  // namespace
}  // namespace dv
