// SPDX-License-Identifier: Apache-2.0
// The benchmarks' random numbers: SplitMix64 (Steele, Lea and Flood, OOPSLA
// 2014), the same sequence on every platform and standard library, so a
// benchmark's generated input is the same from run to run and machine to
// machine. Not for anything but generating benchmark input.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace dv::bench {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // In [0, bound); bound > 0.
  std::uint64_t Below(std::uint64_t bound) { return Next() % bound; }
  bool Chance(std::uint64_t percent) { return Below(100) < percent; }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Below(N)];
  }
  template <typename T, std::size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }
  // Log-uniform in [low, high]: as many values of 10–100 bytes as of 1–10 kB.
  std::size_t LogUniform(std::size_t low, std::size_t high) {
    const double unit = static_cast<double>(Next() >> 11) / 9007199254740992.0;
    const double value = std::exp(std::log(static_cast<double>(low)) +
                                  unit * (std::log(static_cast<double>(high)) - std::log(static_cast<double>(low))));
    return std::clamp(static_cast<std::size_t>(value), low, high);
  }

 private:
  std::uint64_t state_;
};

}  // namespace dv::bench
