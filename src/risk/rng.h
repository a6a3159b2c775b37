// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to dv_risk: the random numbers of the simulations. SplitMix64
// (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014): tiny state, fast, and good enough for Monte Carlo. Every run
// and every reverse-reachable set draws from its own stream, derived from the
// caller's seed and the run's index, so results do not depend on how runs are
// spread over threads.

#include <cstdint>

namespace dv::risk::internal {

inline std::uint64_t Mix64(std::uint64_t value) {
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

class Rng {
 public:
  // The stream for item `index` of a computation seeded with `seed`.
  Rng(std::uint64_t seed, std::uint64_t index) : state_(Mix64(seed * 0x9e3779b97f4a7c15ULL + Mix64(index + 1))) {}

  std::uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(state_);
  }
  // A uniform 32-bit draw; an edge with threshold t is live when Next32() < t.
  std::uint32_t Next32() { return static_cast<std::uint32_t>(Next() >> 32); }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, bound); bound > 0.
  std::uint64_t Below(std::uint64_t bound) {
    const std::uint64_t pick = static_cast<std::uint64_t>(Uniform() * static_cast<double>(bound));
    return pick < bound ? pick : bound - 1;
  }

 private:
  std::uint64_t state_;
};

}  // namespace dv::risk::internal
