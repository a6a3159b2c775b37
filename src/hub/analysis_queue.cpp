// SPDX-License-Identifier: Apache-2.0
#include "hub/analysis_queue.h"

#include <thread>

namespace dv::hub {

AnalysisQueue::Slot::~Slot() {
  if (queue_) queue_->Release(owner_);
}

unsigned AnalysisQueue::DefaultSlots() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores - 1 : 1;
}

std::variant<AnalysisQueue::Slot, AnalysisQueue::Refusal> AnalysisQueue::Acquire(const std::string& owner) {
  std::unique_lock lock(mutex_);
  if (owners_.count(owner)) return Refusal::kBusy;
  if (running_ >= options_.slots) {
    if (waiting_ >= options_.max_waiting) return Refusal::kFull;
    owners_.insert(owner);
    ++waiting_;
    const bool free = freed_.wait_for(lock, options_.max_wait, [&] { return running_ < options_.slots; });
    --waiting_;
    if (!free) {
      owners_.erase(owner);
      return Refusal::kFull;
    }
  } else {
    owners_.insert(owner);
  }
  ++running_;
  return Slot(this, owner);
}

void AnalysisQueue::Release(const std::string& owner) {
  {
    std::lock_guard lock(mutex_);
    --running_;
    owners_.erase(owner);
  }
  freed_.notify_one();
}

std::size_t AnalysisQueue::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::size_t AnalysisQueue::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

}  // namespace dv::hub
