// SPDX-License-Identifier: Apache-2.0
#include "risk/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dv::risk {
namespace {

constexpr double kZ95 = 1.959963984540054;

// The index of the a-quantile in a sorted sample of size n.
std::size_t QuantileIndex(std::size_t n, double a) {
  const auto rank = static_cast<std::size_t>(std::ceil(a * static_cast<double>(n)));
  return rank == 0 ? 0 : std::min(rank, n) - 1;
}

double MeanOfWorst(const std::vector<double>& sorted, double a) {
  const std::size_t n = sorted.size();
  auto count = static_cast<std::size_t>(std::ceil((1.0 - a) * static_cast<double>(n) - 1e-9));
  count = std::clamp<std::size_t>(count, 1, n);
  double sum = 0;
  for (std::size_t at = n - count; at < n; ++at) sum += sorted[at];
  return sum / static_cast<double>(count);
}

}  // namespace

Estimate MeanEstimate(const std::vector<double>& samples) {
  Estimate estimate;
  estimate.samples = samples.size();
  if (samples.empty()) return estimate;
  const double n = static_cast<double>(samples.size());
  const double mean = std::accumulate(samples.begin(), samples.end(), 0.0) / n;
  double squares = 0;
  for (double value : samples) squares += (value - mean) * (value - mean);
  const double sd = samples.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  const double half = kZ95 * sd / std::sqrt(n);
  estimate.mean = mean;
  estimate.low = mean - half;
  estimate.high = mean + half;
  return estimate;
}

Estimate ProportionEstimate(std::uint64_t hits, std::uint64_t trials, double scale) {
  Estimate estimate;
  estimate.samples = trials;
  if (trials == 0) return estimate;
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(hits) / n;
  const double z2 = kZ95 * kZ95;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  estimate.mean = p * scale;
  estimate.low = std::max(0.0, centre - half) * scale;
  estimate.high = std::min(1.0, centre + half) * scale;
  return estimate;
}

TailRisk TailOf(std::vector<double> samples) {
  TailRisk tail;
  if (samples.empty()) return tail;
  std::sort(samples.begin(), samples.end());
  tail.var95 = samples[QuantileIndex(samples.size(), 0.95)];
  tail.var99 = samples[QuantileIndex(samples.size(), 0.99)];
  tail.cvar95 = std::max(tail.var95, MeanOfWorst(samples, 0.95));
  tail.cvar99 = std::max(tail.var99, MeanOfWorst(samples, 0.99));
  return tail;
}

}  // namespace dv::risk
