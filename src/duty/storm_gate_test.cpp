// SPDX-License-Identifier: Apache-2.0
#include "duty/storm_gate.h"

#include <gtest/gtest.h>

#include <map>

#include "duty/test_support.h"

namespace dv::duty {
namespace {

using testing::At;

constexpr std::int64_t kWindow = 15 * kMinuteMs;

TEST(StormGate, AThousandEventsInAMinuteBecomeOneNotificationPerKeyWithTheRestCounted) {
  StormGate gate(kWindow, 1000);
  const Timestamp start = At("2026-03-10T10:00:00Z");
  // Four keys, unevenly: a worm sighted everywhere, a KEV match, two quieter ones.
  const char* const kKeys[] = {"sighting:worm-x",   "sighting:worm-x", "sighting:worm-x", "kev:CVE-2026-0001",
                               "kev:CVE-2026-0001", "outside:cert-eu", "posture:0101"};
  std::map<std::string, std::int64_t> offered;
  std::map<std::string, int> passed;
  for (int event_idx = 0; event_idx < 1000; ++event_idx) {
    const std::string key = kKeys[event_idx % 7];
    const StormGate::Decision decision = gate.Offer(key, Timestamp(start.unix_ms() + event_idx * 60));
    ++offered[key];
    if (decision.pass) ++passed[key];
    EXPECT_FALSE(decision.evicted.has_value());
    EXPECT_EQ(decision.window.key, key);
    EXPECT_EQ(decision.window.suppressed, decision.pass ? 0 : offered[key] - 1);
  }
  ASSERT_EQ(passed.size(), 4U);
  for (const auto& [key, count] : passed) EXPECT_EQ(count, 1) << key;
  EXPECT_EQ(gate.size(), 4U);

  // Nothing is closed yet within the window; after it, the "and N more" counts come out, oldest first.
  EXPECT_TRUE(gate.TakeClosed(Timestamp(start.unix_ms() + 10 * kMinuteMs)).empty());
  const auto closed = gate.TakeClosed(Timestamp(start.unix_ms() + kWindow + kMinuteMs));
  ASSERT_EQ(closed.size(), 4U);
  std::int64_t total = 0;
  for (const StormWindow& window : closed) {
    EXPECT_EQ(window.suppressed, offered[window.key] - 1) << window.key;
    total += window.suppressed + 1;
  }
  EXPECT_EQ(total, 1000);
  EXPECT_EQ(closed[0].key, "sighting:worm-x");
  EXPECT_EQ(closed[0].suppressed, 429 - 1);  // 3 of every 7 events: 142 × 3 + 3
  EXPECT_EQ(gate.size(), 0U);
}

TEST(StormGate, TheFirstEventAfterTheWindowPassesAndHandsBackTheOldCount) {
  StormGate gate(kWindow, 10);
  const Timestamp start = At("2026-03-10T10:00:00Z");
  EXPECT_TRUE(gate.Offer("k", start).pass);
  EXPECT_FALSE(gate.Offer("k", Timestamp(start.unix_ms() + 5 * kMinuteMs)).pass);
  EXPECT_FALSE(gate.Offer("k", Timestamp(start.unix_ms() + kWindow - 1)).pass);
  const StormGate::Decision next = gate.Offer("k", Timestamp(start.unix_ms() + kWindow));
  EXPECT_TRUE(next.pass);
  ASSERT_TRUE(next.evicted.has_value());
  EXPECT_EQ(next.evicted->suppressed, 2);
  EXPECT_EQ(next.evicted->opened_at, start);
  // A window that suppressed nothing owes nothing.
  const StormGate::Decision third = gate.Offer("k", Timestamp(start.unix_ms() + 2 * kWindow));
  EXPECT_TRUE(third.pass);
  EXPECT_FALSE(third.evicted.has_value());
}

TEST(StormGate, MemoryIsBoundedAndNoCountIsLostWhenTheOldestKeyIsEvicted) {
  StormGate gate(kWindow, 3);
  const Timestamp start = At("2026-03-10T10:00:00Z");
  std::int64_t offered = 0;
  std::int64_t accounted = 0;  // passes plus suppressed events handed back
  const auto offer = [&](const std::string& key, std::int64_t offset_ms) {
    ++offered;
    const StormGate::Decision decision = gate.Offer(key, Timestamp(start.unix_ms() + offset_ms));
    if (decision.pass) ++accounted;
    if (decision.evicted) accounted += decision.evicted->suppressed;
    EXPECT_LE(gate.size(), 3U);
    return decision;
  };
  for (int round_idx = 0; round_idx < 5; ++round_idx) {
    for (const char* key : {"a", "b", "c"}) offer(key, round_idx * 1000);
  }
  // A fourth key evicts "a", the oldest, and hands back its 4 suppressed events.
  const StormGate::Decision d = offer("d", 10'000);
  EXPECT_TRUE(d.pass);
  ASSERT_TRUE(d.evicted.has_value());
  EXPECT_EQ(d.evicted->key, "a");
  EXPECT_EQ(d.evicted->suppressed, 4);
  // "a" was forgotten, so its next event passes again (one extra notification, no lost count).
  EXPECT_TRUE(offer("a", 11'000).pass);
  for (int key_idx = 0; key_idx < 10'000; ++key_idx) offer("flood-" + std::to_string(key_idx % 50), 12'000 + key_idx);
  for (const StormWindow& window : gate.TakeClosed(Timestamp(start.unix_ms() + 2 * kWindow))) {
    accounted += window.suppressed;
  }
  EXPECT_EQ(gate.size(), 0U);
  EXPECT_EQ(accounted, offered);
}

}  // namespace
}  // namespace dv::duty
