// SPDX-License-Identifier: Apache-2.0
#include "detect/event_batch.h"

#include <gtest/gtest.h>

namespace dv::detect {
namespace {

Event BatchTestEvent(const std::string& origin, std::size_t value_bytes) {
  Event event;
  event.Add("EventID", "4688");
  event.Add("CommandLine", std::string(value_bytes, 'c'));
  event.Add("CommandLine", "");  // repeated, and empty
  event.AddNull("ParentUser");
  event.origin = origin;
  event.time = Timestamp(1'700'000'000'000);
  return event;
}

TEST(EventBatch, UnpacksEveryEventAsItWasAdded) {
  EventBatch batch;
  const Event first = BatchTestEvent("a.json:1", 3);
  Event second;
  second.Add("x", "1");
  second.origin = "a.json:2";
  batch.Add(first);
  batch.Add(second);
  batch.Add(Event());
  ASSERT_EQ(batch.count(), 3U);

  Event work;
  batch.Unpack(0, work);
  ASSERT_EQ(work.size(), 4U);
  for (std::size_t field_idx = 0; field_idx < work.size(); ++field_idx) {
    EXPECT_EQ(work.fields()[field_idx].name, first.fields()[field_idx].name);
    EXPECT_EQ(work.fields()[field_idx].value, first.fields()[field_idx].value);
    EXPECT_EQ(work.fields()[field_idx].is_null, first.fields()[field_idx].is_null);
  }
  EXPECT_EQ(work.origin, "a.json:1");
  EXPECT_EQ(work.time, first.time);

  batch.Unpack(1, work);
  ASSERT_EQ(work.size(), 1U);
  EXPECT_EQ(work.Find("x")->value, "1");
  EXPECT_EQ(work.Find("EventID"), nullptr);
  EXPECT_EQ(work.origin, "a.json:2");
  EXPECT_FALSE(work.time.has_value());

  batch.Unpack(2, work);
  EXPECT_TRUE(work.empty());
  EXPECT_TRUE(work.origin.empty());
}

// A recycled batch must not keep a huge event's memory: after one batch with
// a 1 MiB value and many ordinary batches, both the batch and the worker's
// Event hold less than the bound. Capacities, not timings.
TEST(EventBatch, ReuseAfterAHugeValueStaysUnderTheBound) {
  constexpr std::size_t kRetained = std::size_t{64} << 10;
  EventBatch batch;
  Event work;
  batch.Add(BatchTestEvent("big:1", std::size_t{1} << 20));
  batch.Unpack(0, work);
  EXPECT_GT(batch.retained_bytes(), std::size_t{1} << 20);
  EXPECT_GT(work.retained_bytes(), std::size_t{1} << 20);
  for (int round = 0; round < 100; ++round) {
    batch.Reset(kRetained);
    for (int event_idx = 0; event_idx < 16; ++event_idx) batch.Add(BatchTestEvent("small:1", 100));
    for (std::size_t record_idx = 0; record_idx < batch.count(); ++record_idx) batch.Unpack(record_idx, work);
  }
  EXPECT_EQ(work.Find("CommandLine")->value, std::string(100, 'c'));
  EXPECT_LE(batch.retained_bytes(), 3 * kRetained);
  EXPECT_LT(work.retained_bytes(), Event::kRetainedValueBytes);
}

}  // namespace
}  // namespace dv::detect
