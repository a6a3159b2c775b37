// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hub's pushed change feed: a reader (a member's sensor) asks "tell me
// when an object I may see is added to one of these collections after the
// date_added I already have", and the answer comes the moment it is true,
// or "no change" when the reader's wait ends. TAXII stays as it is: the
// reader then pulls with added_after as before. The feed sends no object,
// only which collections have news for the reader.
//
// Visibility: news is an object the reader could fetch over TAXII at that
// moment — in a collection it may read, of a type it asked for, and
// visible to it by hub/access.h CanSeeObject. An object the reader may not
// see never wakes it (a wake-up would tell it that something it may not
// see was written, and when).
//
// Across hub instances: the feed listens to the store's change notices
// (Store::Watch), which on PostgreSQL include every other instance's
// committed writes (LISTEN/NOTIFY), so a reader waiting at one instance
// wakes for an object posted at another. A notice is only a reason to look:
// the feed re-reads the store; a lost notice costs at most the wait.
//
// Cost: a waiting reader holds a parked request (no thread). A notice for a
// collection costs one read of the objects added after the oldest cursor
// among the readers waiting on it (at most kBatch objects; readers not
// answered by those get a read of their own), then a visibility check per
// reader and object in memory.
//
// Limits: at most Options::max_waiting parked requests in all and
// max_waiting_per_member per member (beyond: kConflict, which the API
// answers 429), at most kMaxCursors collections and kMaxTypes types per
// request, and a wait of at most max_wait.
//
// Thread-safe. The destructor answers every parked request "no change".

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "hub/access.h"
#include "store/store.h"

namespace dv::hub {

// Where a reader stands in one collection: it has every visible object added
// up to and including `added_after_us` (nullopt: nothing yet).
struct ChangeCursor {
  std::string collection_id;
  std::optional<std::int64_t> added_after_us;
};

struct ChangeWait {
  Principal principal;
  std::vector<ChangeCursor> cursors;  // 1..kMaxCursors, distinct collections
  std::vector<std::string> types;     // STIX types; empty: every type
  std::chrono::milliseconds wait{0};  // 0: answer at once
};

struct ChangeNews {
  bool changed = false;
  std::vector<std::string> collections;  // those with news, in the order asked
};

class ChangeFeed {
 public:
  static constexpr std::size_t kMaxCursors = 32;
  static constexpr std::size_t kMaxTypes = 16;
  static constexpr int kBatch = 500;

  struct Options {
    std::size_t max_waiting = 4000;
    std::size_t max_waiting_per_member = 4;
    std::chrono::milliseconds max_wait{std::chrono::seconds(55)};
  };
  using Done = std::function<void(Result<ChangeNews>)>;

  ChangeFeed(Store& store, Options options);
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Looks at once; with news, an error, or wait 0, calls `done` before it
  // returns. Otherwise parks the request and calls `done` exactly once later,
  // from the feed's thread: with news as soon as there is some, else "no
  // change" when the wait ends. Errors, returned without calling `done`:
  // kInvalidArgument for a request outside the limits above, kNotFound for
  // an unknown collection, kForbidden for one the reader may not read
  // (audited as read.refused), kConflict when too many requests wait.
  Status Wait(ChangeWait request, Done done);

 private:
  struct Waiter {
    ChangeWait request;
    Done done;
    std::chrono::steady_clock::time_point deadline;
    bool dirty = false;  // a notice named one of its collections since the last look
  };

  // The collections of `request` with visible news, one read per cursor.
  Result<std::vector<std::string>> Look(const ChangeWait& request);
  void Run();
  // Looks again for the waiters marked dirty; answers those with news.
  void Recheck(std::vector<std::list<Waiter>::iterator> dirty);
  void OnChange(const Store::Change& change);

  Store& store_;
  const Options options_;
  std::uint64_t watch_id_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool any_dirty_ = false;
  bool parked_ = false;           // a waiter was added since the thread last looked
  std::uint64_t generation_ = 0;  // counts the notices that could wake a waiter
  std::list<Waiter> waiters_;
  std::thread thread_;
};

}  // namespace dv::hub
