// SPDX-License-Identifier: Apache-2.0
#include "core/event.h"

#include <gtest/gtest.h>

#include <random>

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

// A reused Event must not keep the memory of the largest record it ever held
// (a sensor runs for months): after one huge value and many small records,
// what it holds is back under the bound. Capacities, not timings.
TEST(Event, ReleasesAHugeValueWhenTheNextRecordStarts) {
  // 40 fields of at most 60 bytes, with slack for string and vector growth.
  const std::size_t small_record_bytes = std::size_t{32} << 10;
  Event event;
  event.Add("EventID", "4104");
  event.Add("ScriptBlockText", std::string(std::size_t{1} << 20, 'x'));
  event.origin = std::string(Event::kRetainedValueBytes + 1, 'o');
  EXPECT_GT(event.retained_bytes(), std::size_t{1} << 20);
  for (int record_idx = 0; record_idx < 1000; ++record_idx) {
    event.Clear();
    for (int field_idx = 0; field_idx < 40; ++field_idx) {
      event.Add("Field" + std::to_string(field_idx), std::string(1 + (record_idx + field_idx) % 60, 'v'));
    }
  }
  EXPECT_EQ(event.size(), 40U);
  EXPECT_EQ(event.fields()[1].value.size(), 1U + (999 + 1) % 60);
  EXPECT_LT(event.retained_bytes(), small_record_bytes);
}

TEST(Event, KeepsValuesUpToTheBoundForReuse) {
  Event event;
  event.Add("CommandLine", std::string(Event::kRetainedValueBytes, 'c'));
  const std::size_t held = event.retained_bytes();
  event.Clear();
  event.Add("CommandLine", "short");
  EXPECT_EQ(event.retained_bytes(), held);  // kept: the next long command line needs no allocation
}

TEST(Event, ReleasesFieldSlotsBeyondTheBound) {
  Event event;
  for (std::size_t field_idx = 0; field_idx < 4 * Event::kRetainedFields; ++field_idx) event.Add("f", "1");
  event.Clear();
  event.Add("a", "1");
  EXPECT_LE(event.retained_bytes(), Event::kRetainedFields * sizeof(EventField));
}

TEST(Event, CopyFromAlsoReleasesWhatAnEarlierCopyLeft) {
  Event huge;
  huge.Add("Payload", std::string(std::size_t{600} << 10, 'p'));
  Event small;
  small.Add("a", "1");
  Event scratch;
  scratch.CopyFrom(huge);
  EXPECT_GT(scratch.retained_bytes(), std::size_t{600} << 10);
  scratch.CopyFrom(small);
  EXPECT_EQ(scratch.fields()[0].value, "1");
  EXPECT_LT(scratch.retained_bytes(), Event::kRetainedValueBytes);
}

TEST(Event, DuplicateCopiesAFieldUnderANameFromItsOwnStorage) {
  Event event;
  // Far more fields than the event has slots for, so that it grows (and
  // moves its strings) while the new name points into a field's own name.
  const std::string long_value(100, 'v');
  for (int field_idx = 0; field_idx < 50; ++field_idx) {
    event.Add("winlog.event_data.Field" + std::to_string(field_idx) + std::string(40, 'x'), long_value);
  }
  event.AddNull("winlog.event_data.Empty");
  const std::size_t original = event.size();
  for (std::size_t field_idx = 0; field_idx < original; ++field_idx) {
    const std::string_view name = event.fields()[field_idx].name;
    event.Duplicate(field_idx, name.substr(std::string_view("winlog.event_data.").size()));
  }
  ASSERT_EQ(event.size(), original * 2);
  EXPECT_EQ(event.Find("Field7" + std::string(40, 'x'))->value, long_value);
  EXPECT_TRUE(event.Find("Empty")->is_null);
}

// EventFieldIndex answers as Event::Find on random names of mixed case,
// repeated names, and fields appended after Reset.
TEST(EventFieldIndex, AnswersAsFindDoes) {
  std::mt19937 rng(11);
  const std::vector<std::string> names = {"CommandLine", "commandline", "COMMANDLINE", "Image", "image",
                                          "User",        "a",           "A",           "",      "host.name"};
  EventFieldIndex index;
  for (int round = 0; round < 300; ++round) {
    Event event;
    const int fields = static_cast<int>(rng() % 40);
    for (int field_idx = 0; field_idx < fields; ++field_idx) {
      event.Add(names[rng() % names.size()], std::to_string(field_idx));
    }
    index.Reset(event);
    for (int added = static_cast<int>(rng() % 40); added > 0; --added) {
      event.Add(names[rng() % names.size()], "added");
      if (rng() % 2) index.Update(event);
    }
    index.Update(event);
    for (const auto& name : names) {
      EXPECT_EQ(index.Find(event, name), event.Find(name)) << "round " << round << " name '" << name << "'";
    }
    EXPECT_EQ(index.Find(event, "Absent"), nullptr);
  }
}

}  // namespace
}  // namespace dv
