// SPDX-License-Identifier: Apache-2.0
#include "sigma/condition.h"

#include <gtest/gtest.h>

namespace dv::sigma {
namespace {

std::string Parsed(std::string_view text) {
  auto node = ParseCondition(text);
  return node.ok() ? (*node)->ToString() : "error: " + node.error().message();
}

TEST(Condition, PrecedenceIsOrAndNotOf) {
  EXPECT_EQ(Parsed("a or b and c"), "(a or (b and c))");
  EXPECT_EQ(Parsed("a and b or c"), "((a and b) or c)");
  EXPECT_EQ(Parsed("not a and b"), "(not a and b)");
  EXPECT_EQ(Parsed("not (a and b)"), "not (a and b)");
  EXPECT_EQ(Parsed("a and b and c"), "(a and b and c)");
  EXPECT_EQ(Parsed("selection and not 1 of filter_*"), "(selection and not 1 of filter_*)");
  EXPECT_EQ(Parsed("all of selection* or keywords"), "(all of selection* or keywords)");
  EXPECT_EQ(Parsed("1 of them"), "1 of them");
  EXPECT_EQ(Parsed("all of them"), "all of them");
  EXPECT_EQ(Parsed("((a))"), "a");
  EXPECT_EQ(Parsed("A AND NOT B"), "(A and not B)");
}

TEST(Condition, ErrorsNameTheColumn) {
  EXPECT_EQ(Parsed(""), "error: condition is empty");
  EXPECT_EQ(Parsed("a and"),
            "error: condition column 6: expected a search identifier, 'not', '(' or 'x of', found the end");
  EXPECT_EQ(Parsed("(a or b"), "error: condition column 8: expected ')', found the end");
  EXPECT_EQ(Parsed("a b"), "error: condition column 3: expected 'and', 'or' or the end, found 'b'");
  EXPECT_EQ(Parsed("1 of"), "error: condition column 5: expected a search identifier pattern or 'them', found the end");
  EXPECT_NE(Parsed("selection | count() > 5").find("correlation rule"), std::string::npos);
  EXPECT_NE(Parsed("a & b").find("unexpected character '&'"), std::string::npos);
}

TEST(Condition, IdentifierPatterns) {
  EXPECT_TRUE(MatchesIdentifierPattern("selection*", "selection_img"));
  EXPECT_TRUE(MatchesIdentifierPattern("selection*", "selection"));
  EXPECT_TRUE(MatchesIdentifierPattern("*_img", "selection_img"));
  EXPECT_TRUE(MatchesIdentifierPattern("sel*_*", "sel_a_b"));
  EXPECT_FALSE(MatchesIdentifierPattern("filter*", "selection"));
  EXPECT_FALSE(MatchesIdentifierPattern("sel", "selection"));
}

}  // namespace
}  // namespace dv::sigma
