// SPDX-License-Identifier: Apache-2.0
#include "core/event.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

TEST(Event, FindsExactThenCaseInsensitive) {
  Event event;
  event.Add("CommandLine", "cmd.exe /c whoami");
  event.Add("commandline", "other");
  EXPECT_EQ(event.Find("CommandLine")->value, "cmd.exe /c whoami");
  EXPECT_EQ(event.Find("commandline")->value, "other");
  EXPECT_EQ(event.Find("COMMANDLINE")->value, "cmd.exe /c whoami");
  EXPECT_EQ(event.Find("Image"), nullptr);
}

TEST(Event, MultiValuedFieldsAndNulls) {
  Event event;
  event.Add("tags", "a");
  event.Add("tags", "b");
  event.AddNull("parent");
  std::vector<std::string> seen;
  event.ForEach("tags", [&](const EventField& field) { seen.push_back(field.value); });
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
  ASSERT_NE(event.Find("parent"), nullptr);
  EXPECT_TRUE(event.Find("parent")->is_null);
}

TEST(Event, SetReplacesAllValuesAndRenameRenames) {
  Event event;
  event.Add("x", "1");
  event.Add("y", "2");
  event.Add("x", "3");
  event.Set("x", "9");
  ASSERT_EQ(event.size(), 2U);
  EXPECT_EQ(event.Find("x")->value, "9");
  EXPECT_EQ(event.Rename("y", "z"), 1);
  EXPECT_EQ(event.Find("z")->value, "2");
}

TEST(Event, ClearKeepsNothingVisible) {
  Event event;
  event.Add("a", "1");
  event.origin = "f:1";
  event.time = Timestamp(5);
  event.Clear();
  EXPECT_TRUE(event.empty());
  EXPECT_EQ(event.Find("a"), nullptr);
  EXPECT_FALSE(event.time.has_value());
  event.Add("b", "2");
  EXPECT_EQ(event.fields()[0].name, "b");
}

TEST(Event, CopyFromCopiesOnlyTheLiveFields) {
  Event big;
  for (int field_idx = 0; field_idx < 10; ++field_idx) big.Add("f" + std::to_string(field_idx), "v");
  Event small;
  small.Add("a", "1");
  small.AddNull("b");
  small.origin = "x:1";
  big.CopyFrom(small);
  ASSERT_EQ(big.size(), 2U);
  EXPECT_EQ(big.fields()[0].name, "a");
  EXPECT_TRUE(big.fields()[1].is_null);
  EXPECT_EQ(big.origin, "x:1");
  EXPECT_EQ(big.Find("f5"), nullptr);
}

}  // namespace
}  // namespace dv
