// SPDX-License-Identifier: Apache-2.0
#pragma once

// The audit of refused reads: a read of an existing object that the caller
// may not see answers 404, exactly like a read of a missing one, and writes a
// "read.refused" row — at most one per (actor, object) per interval, so that
// a client probing ids cannot flood the audit log. Internal to the hub.
//
// Memory is bounded: at most `max_tracked` (actor, object) pairs are
// remembered; when that many are live at once, all are forgotten (and may be
// audited again sooner). Thread-safe.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "store/store.h"

namespace dv::hub {

class RefusalAudit {
 public:
  explicit RefusalAudit(Store& store, std::chrono::seconds interval = std::chrono::seconds(60),
                        std::size_t max_tracked = 100'000)
      : store_(store), interval_(interval), max_tracked_(max_tracked) {}

  // Audits (`actor`, "read.refused", `object`, `detail`) unless the same
  // actor's refusal for the same object was audited within the interval.
  // A failure to write the row is ignored: the read is refused either way.
  void Refused(std::string_view actor, std::string_view object, std::string_view detail) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mutex_);
      auto key = std::make_pair(std::string(actor), std::string(object));
      const auto found = last_.find(key);
      if (found != last_.end() && now - found->second < interval_) return;
      if (found == last_.end() && last_.size() >= max_tracked_) Forget(now);
      last_[std::move(key)] = now;
    }
    (void)store_.Audit(actor, "read.refused", object, detail);
  }

 private:
  // Drops pairs whose interval has passed; if every pair is still live,
  // starts afresh. Called with the mutex held.
  void Forget(std::chrono::steady_clock::time_point now) {
    std::erase_if(last_, [&](const auto& entry) { return now - entry.second >= interval_; });
    if (last_.size() >= max_tracked_) last_.clear();
  }

  Store& store_;
  const std::chrono::seconds interval_;
  const std::size_t max_tracked_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::chrono::steady_clock::time_point> last_;
};

}  // namespace dv::hub
