// SPDX-License-Identifier: Apache-2.0
#pragma once

// Storm bounding (docs/duty.md, "Storms"): when one cause produces many
// events at once (a worm sighted in 40 municipalities, a KEV entry matching
// hundreds of hosts), only the first event per group key and window becomes
// a notification; the rest are counted so that the notification can say
// "and 37 more".
//
// A key's window opens with the first event of the key (which passes) and
// lasts `window_ms`; events of the key inside it are suppressed and
// counted. The first event after it opens a new window and passes again.
// Closed windows stay until TakeClosed or until the next event of the key
// replaces them.
//
// Memory is bounded: at most `max_keys` keys are held. When a new key
// arrives at a full gate, the key whose window opened earliest is evicted
// and its count handed back in Decision::evicted, so no count is lost; the
// evicted key's next event passes (one extra notification, never a lost
// one). Under a flood of distinct keys the gate therefore degrades to
// letting events through, which is the safe side for a defence system.
//
// Clock-injected (every call takes `now`; a `now` earlier than a key's
// window start counts as inside it). Not thread-safe: one gate per thread,
// or the caller locks.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/time.h"

namespace dv::duty {

// One key's window and what it held back.
struct StormWindow {
  std::string key;
  Timestamp opened_at;          // the event that passed
  Timestamp closes_at;          // opened_at + window
  std::int64_t suppressed = 0;  // events after the first within the window

  friend bool operator==(const StormWindow&, const StormWindow&) = default;
};

class StormGate {
 public:
  // window_ms ≥ 1, max_keys ≥ 1 (smaller values are raised to 1).
  StormGate(std::int64_t window_ms, std::size_t max_keys);

  struct Decision {
    bool pass = false;  // true: create a notification for this event
    // The window this event opened (pass) or was counted in; its count
    // includes this event when suppressed.
    StormWindow window;
    // The window that this event's key replaced (its previous, closed one)
    // or that was evicted to make room, when it had suppressed events: the
    // caller reports its count now.
    std::optional<StormWindow> evicted;
  };

  Decision Offer(std::string_view key, Timestamp now);

  // Removes every window closed at `now` and returns those that suppressed
  // events, oldest first: the "and N more" the caller still owes.
  std::vector<StormWindow> TakeClosed(Timestamp now);

  std::size_t size() const { return windows_.size(); }

 private:
  void Forget(const std::string& key);

  std::int64_t window_ms_;
  std::size_t max_keys_;
  std::unordered_map<std::string, StormWindow> windows_;
  // (opened_at, key), to find the oldest window.
  std::set<std::pair<std::int64_t, std::string>> by_age_;
};

}  // namespace dv::duty
