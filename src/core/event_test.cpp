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

}  // namespace
}  // namespace dv
