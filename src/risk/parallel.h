// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to dv_risk: runs `body(begin, end, worker)` over [0, count) in
// fixed blocks on `threads` workers (0 = hardware concurrency). Which worker
// takes a block does not change what the block computes, so callers that
// index their outputs by item stay deterministic.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace dv::risk::internal {

inline unsigned WorkerCount(unsigned threads) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  return std::min(threads, 64U);
}

template <typename Body>
void ParallelFor(std::uint64_t count, unsigned threads, std::uint64_t block, Body&& body) {
  const unsigned workers = WorkerCount(threads);
  if (workers == 1 || count <= block) {
    body(std::uint64_t{0}, count, 0U);
    return;
  }
  std::atomic<std::uint64_t> next{0};
  auto work = [&](unsigned worker) {
    for (;;) {
      const std::uint64_t begin = next.fetch_add(block);
      if (begin >= count) return;
      body(begin, std::min(count, begin + block), worker);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned worker = 1; worker < workers; ++worker) pool.emplace_back(work, worker);
  work(0);
  for (std::thread& thread : pool) thread.join();
}

}  // namespace dv::risk::internal
