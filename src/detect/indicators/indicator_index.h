// SPDX-License-Identifier: Apache-2.0
#pragma once

// IndicatorIndex: indicators compiled for matching events at line rate.
//
// Build() turns each indicator's STIX pattern (or plain value) into an OR of
// conjunctions of comparisons on observables (docs/indicators.md lists the
// subset) and indexes every comparison by its values: one hash table for
// exact values (normalised), the same table keyed by masked address for CIDR
// ranges of each prefix length in use, label suffixes for subdomain matching,
// and per observable kind one Hyperscan database for LIKE and MATCHES (PCRE2
// for the expressions Hyperscan cannot compile). Matching an event costs one
// lookup per candidate field value plus one per CIDR prefix length and per
// domain label, independent of the number of indicators.
//
// Indicators outside the subset are kept (indicator(idx) returns them) but
// never match; Build counts them in the LoadReport with the reason.
//
// Threads: a built index is immutable; Match is const and may run on any
// number of threads at once, each with its own IndicatorScratch.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "detect/indicators/field_table.h"
#include "detect/indicators/indicator.h"

namespace dv {

struct IndicatorHit {
  std::uint32_t indicator_idx = 0;
  // The event field and the part of its value that matched; both point into
  // the Event passed to Match and live as long as it is unchanged.
  std::string_view field;
  std::string_view value;
};

class IndicatorIndex;
// Defined in indicator_index.cpp.
struct IndicatorIndexData;
struct IndicatorScratchData;

// Per-thread working memory for Match. Bound to the first index it is used
// with and rebound (reallocated) when used with another. Not thread-safe:
// one per thread. Movable.
class IndicatorScratch {
 public:
  IndicatorScratch();
  ~IndicatorScratch();
  IndicatorScratch(IndicatorScratch&&) noexcept;
  IndicatorScratch& operator=(IndicatorScratch&&) noexcept;

 private:
  friend class IndicatorIndex;
  std::unique_ptr<IndicatorScratchData> state_;
};

class IndicatorIndex {
 public:
  // Compiles `indicators`. Indicators that cannot be matched are counted in
  // `report` (may be null) under `unsupported` or, for values of the wrong
  // form, `rejected`, and stay in the index as never-matching entries. Fails
  // only when a matching engine cannot be set up at all.
  static Result<IndicatorIndex> Build(std::vector<Indicator> indicators, const FieldTable& fields, LoadReport* report);

  IndicatorIndex(IndicatorIndex&&) noexcept;
  IndicatorIndex& operator=(IndicatorIndex&&) noexcept;
  ~IndicatorIndex();

  // Clears `hits` and appends one hit per indicator that matches `event`, in
  // no particular order. When event.time is set, indicators outside their
  // [valid_from, valid_until) window do not match.
  void Match(const Event& event, IndicatorScratch& scratch, std::vector<IndicatorHit>& hits) const;

  const Indicator& indicator(std::uint32_t idx) const;
  std::size_t size() const;
  // How many indicators can match (size() minus the unsupported ones).
  std::size_t matchable() const;

 private:
  explicit IndicatorIndex(std::unique_ptr<IndicatorIndexData> impl);
  std::unique_ptr<IndicatorIndexData> impl_;
};

// Process-wide count of LIKE and MATCHES evaluations that PCRE2 stopped at a
// limit of core/regex_limits.h (counted as no match; an expression stopped
// kRegexStopsBeforeOff times no longer runs in that index). Expressions
// Hyperscan runs need no limit: it matches in linear time. Thread-safe.
std::uint64_t IndicatorRegexMatchesStopped();

}  // namespace dv
