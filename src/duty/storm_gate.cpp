// SPDX-License-Identifier: Apache-2.0
#include "duty/storm_gate.h"

#include <algorithm>

namespace dv::duty {

StormGate::StormGate(std::int64_t window_ms, std::size_t max_keys)
    : window_ms_(std::max<std::int64_t>(window_ms, 1)), max_keys_(std::max<std::size_t>(max_keys, 1)) {}

void StormGate::Forget(const std::string& key) {
  const auto found = windows_.find(key);
  if (found == windows_.end()) return;
  by_age_.erase({found->second.opened_at.unix_ms(), key});
  windows_.erase(found);
}

StormGate::Decision StormGate::Offer(std::string_view key_view, Timestamp now) {
  Decision decision;
  std::string key(key_view);
  if (const auto found = windows_.find(key); found != windows_.end()) {
    StormWindow& window = found->second;
    if (now < window.closes_at) {
      ++window.suppressed;
      decision.window = window;
      return decision;
    }
    if (window.suppressed > 0) decision.evicted = window;
    Forget(key);
  } else if (windows_.size() >= max_keys_) {
    const std::string oldest = by_age_.begin()->second;
    const StormWindow& window = windows_.at(oldest);
    if (window.suppressed > 0) decision.evicted = window;
    Forget(oldest);
  }
  StormWindow window{key, now, Timestamp(now.unix_ms() + window_ms_), 0};
  by_age_.insert({now.unix_ms(), key});
  decision.pass = true;
  decision.window = window;
  windows_.emplace(std::move(key), std::move(window));
  return decision;
}

std::vector<StormWindow> StormGate::TakeClosed(Timestamp now) {
  std::vector<StormWindow> closed;
  std::vector<std::string> keys;
  for (const auto& [opened_ms, key] : by_age_) {
    const StormWindow& window = windows_.at(key);
    // All windows have one length, so they close in the order they opened.
    if (window.closes_at > now) break;
    keys.push_back(key);
    if (window.suppressed > 0) closed.push_back(window);
  }
  for (const std::string& key : keys) Forget(key);
  return closed;
}

}  // namespace dv::duty
