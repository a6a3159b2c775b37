// SPDX-License-Identifier: Apache-2.0
#pragma once

// Per-member token buckets: `rate` requests per second on average, bursts of
// up to `burst`. Thread-safe.

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace dv::hub {

class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  // True when `member` may make one more request now (and counts it).
  bool Allow(const std::string& member) {
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    std::lock_guard lock(mutex_);
    auto [it, added] = buckets_.try_emplace(member, Bucket{burst_, now});
    Bucket& bucket = it->second;
    bucket.tokens = std::min(burst_, bucket.tokens + (now - bucket.last) * rate_);
    bucket.last = now;
    if (bucket.tokens < 1.0) return false;
    bucket.tokens -= 1.0;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    double last;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace dv::hub
