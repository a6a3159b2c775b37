// SPDX-License-Identifier: Apache-2.0
#pragma once

// What other hub modules hand to the duty chain: each request becomes a duty
// notification on the duty module's next round, routed, escalated and
// acknowledged like every other (docs/duty.md). One inbox per hub, shared
// through ApiContext::Shared under kDutyInboxName. In memory: a request
// posted by a hub that stops before the duty module's next round (at most
// DV_DUTY_TICK_MS, 1 s by default) is not delivered. Thread-safe.

#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace dv::hub {

inline constexpr std::string_view kDutyInboxName = "duty.inbox";

struct DutyRequest {
  std::string org;        // the member to wake
  std::string exercise;   // the exercise run this belongs to: marked as exercise everywhere
  std::string reference;  // what the notification is about, e.g. the exercise inject record id
  std::string severity = "high";
  std::string subject_da, subject_en;
  std::string text_da, text_en;
};

class DutyInbox {
 public:
  static constexpr std::size_t kMaxQueued = 100000;  // a runaway poster cannot exhaust memory

  // False when the inbox is full (the request is dropped).
  bool Post(DutyRequest request) {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kMaxQueued) return false;
    queue_.push_back(std::move(request));
    return true;
  }
  std::vector<DutyRequest> Take() {
    std::lock_guard lock(mutex_);
    std::vector<DutyRequest> out(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    return out;
  }

 private:
  std::mutex mutex_;
  std::deque<DutyRequest> queue_;
};

}  // namespace dv::hub
