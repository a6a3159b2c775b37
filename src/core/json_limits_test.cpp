// SPDX-License-Identifier: Apache-2.0
#include "core/json_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace dv {
namespace {

std::string Nested(int levels, char open, char close) {
  return std::string(static_cast<std::size_t>(levels), open) + std::string(static_cast<std::size_t>(levels), close);
}

std::string NestedObjects(int levels) {
  std::string text;
  for (int level = 0; level < levels; ++level) text += "{\"a\":";
  text += "1";
  text += std::string(static_cast<std::size_t>(levels), '}');
  return text;
}

TEST(CheckJsonDepth, CountsNestedContainers) {
  EXPECT_TRUE(CheckJsonDepth("1", 0).ok());
  EXPECT_TRUE(CheckJsonDepth("\"x\"", 0).ok());
  EXPECT_FALSE(CheckJsonDepth("[]", 0).ok());
  EXPECT_TRUE(CheckJsonDepth("[]", 1).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"a":[{}]})", 3).ok());
  EXPECT_FALSE(CheckJsonDepth(R"({"a":[{}]})", 2).ok());
  // Siblings do not add up.
  EXPECT_TRUE(CheckJsonDepth("[[],[],{},[[]]]", 3).ok());
}

TEST(CheckJsonDepth, TheLimitIsInclusive) {
  EXPECT_TRUE(CheckJsonDepth(Nested(kMaxJsonDepth, '[', ']')).ok());
  EXPECT_TRUE(CheckJsonDepth(NestedObjects(kMaxJsonDepth)).ok());
  const auto deep = CheckJsonDepth(Nested(kMaxJsonDepth + 1, '[', ']'));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(deep.error().message(), "JSON nested deeper than 64 levels (at byte 64)");
  EXPECT_FALSE(CheckJsonDepth(NestedObjects(kMaxJsonDepth + 1)).ok());
}

TEST(CheckJsonDepth, SkipsBracketsInStringsAndEscapes) {
  const std::string brackets = "[\"" + std::string(1000, '[') + "\"]";
  EXPECT_TRUE(CheckJsonDepth(brackets, 1).ok());
  // An escaped quote does not end the string; an escaped backslash does not escape the quote after it.
  EXPECT_TRUE(CheckJsonDepth(R"(["\"[[[[", "\\", "{{"])", 1).ok());
  EXPECT_FALSE(CheckJsonDepth(R"(["\\", [[]]])", 2).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"k[": "\u005b[", "v": [1]})", 2).ok());
}

TEST(CheckJsonDepth, LeavesMalformedInputToTheParser) {
  EXPECT_TRUE(CheckJsonDepth("]]]]{", 1).ok());
  EXPECT_TRUE(CheckJsonDepth("[\"unterminated [[[[", 1).ok());
  EXPECT_TRUE(CheckJsonDepth("", 0).ok());
  // Closing brackets never let the depth go negative and so raise the limit.
  EXPECT_FALSE(CheckJsonDepth("]]][[", 1).ok());
}

TEST(CheckJsonDepth, IsLinearOnAHostileBody) {
  // ~180 KB of '[': rejected at the 65th byte, without recursion.
  const std::string hostile(180 * 1024, '[');
  const auto status = CheckJsonDepth(hostile);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("nested deeper than 64 levels"), std::string::npos);
}

}  // namespace
}  // namespace dv
