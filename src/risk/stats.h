// SPDX-License-Identifier: Apache-2.0
#pragma once

// Summaries of Monte Carlo samples: a mean with its 95 % confidence interval
// and the tail of a distribution (value at risk and conditional value at
// risk). Pure functions; safe from any thread.

#include <cstdint>
#include <vector>

namespace dv::risk {

// A mean with its 95 % confidence interval (normal approximation:
// mean ± 1.96 · sd / √n; for proportions the Wilson interval).
struct Estimate {
  double mean = 0;
  double low = 0;
  double high = 0;
  std::uint64_t samples = 0;
  double HalfWidth() const { return (high - low) / 2; }
};

// VaR_a: the a-quantile of the outcome (the smallest value v with
// P(X ≤ v) ≥ a). CVaR_a: the mean of the worst (1 − a) share of runs
// (Rockafellar and Uryasev 2002), so CVaR_a ≥ VaR_a.
struct TailRisk {
  double var95 = 0;
  double cvar95 = 0;
  double var99 = 0;
  double cvar99 = 0;
};

Estimate MeanEstimate(const std::vector<double>& samples);
// A proportion `hits / trials` scaled by `scale`, with the Wilson interval.
Estimate ProportionEstimate(std::uint64_t hits, std::uint64_t trials, double scale = 1.0);
// Sorts a copy of `samples`.
TailRisk TailOf(std::vector<double> samples);

}  // namespace dv::risk
