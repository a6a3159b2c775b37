// SPDX-License-Identifier: Apache-2.0
#pragma once

// Admission for expensive analyses (risk weakest links, simulations, plans):
// one member must not be able to starve the hub with a few heavy requests.
//
//  - at most `slots` analyses run at once in the whole hub (by default one per
//    core minus one, at least one), so a core stays free for everything else;
//  - each owner (a member organisation) has at most one analysis running or
//    waiting: another one is refused at once (kBusy → HTTP 429);
//  - at most `max_waiting` requests wait for a slot; one more is refused at
//    once (kFull → HTTP 503), and a request that waited `max_wait` gives up
//    (kFull too).
// Waiting blocks the calling server thread, so an analysis ties up at most
// `slots + max_waiting` of them. Answers served from a cache need no slot.
//
// Thread-safe. A Slot must not outlive its queue.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <variant>

namespace dv::hub {

struct AnalysisQueueOptions {
  unsigned slots = 0;  // 0: AnalysisQueue::DefaultSlots()
  std::size_t max_waiting = 4;
  std::chrono::milliseconds max_wait{30000};
};

class AnalysisQueue {
 public:
  using Options = AnalysisQueueOptions;
  enum class Refusal { kBusy, kFull };

  // Held while an analysis runs; gives the slot back when destroyed.
  class Slot {
   public:
    Slot(Slot&& other) noexcept : queue_(other.queue_), owner_(std::move(other.owner_)) { other.queue_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class AnalysisQueue;
    Slot(AnalysisQueue* queue, std::string owner) : queue_(queue), owner_(std::move(owner)) {}
    AnalysisQueue* queue_;
    std::string owner_;
  };

  // max(1, hardware threads − 1).
  static unsigned DefaultSlots();

  explicit AnalysisQueue(Options options = {}) : options_(options) {
    if (options_.slots == 0) options_.slots = DefaultSlots();
  }

  // A slot for `owner`, after waiting for one if all are taken; or why not.
  std::variant<Slot, Refusal> Acquire(const std::string& owner);

  // Seconds a refused client should wait before asking again (Retry-After).
  int RetryAfterSeconds() const { return 2; }
  std::size_t running() const;
  std::size_t waiting() const;

 private:
  void Release(const std::string& owner);

  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t running_ = 0;
  std::size_t waiting_ = 0;
  std::set<std::string> owners_;  // running or waiting
};

}  // namespace dv::hub
