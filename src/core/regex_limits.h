// SPDX-License-Identifier: Apache-2.0
#pragma once

// The bounds on one run of a regular expression from shared detection
// content (Sigma `|re`, windash, STIX MATCHES and LIKE run by PCRE2). Every
// pcre2_match of such an expression goes through a match context with these
// limits; a match stopped by one counts as no match and is counted. A
// matcher stopped kRegexStopsBeforeOff times answers "no match" at once from
// then on (until the content is compiled again), so a catastrophic
// expression costs a bounded amount of work per engine, not per event.
// docs/sensor.md ("Budgets") lists the values.

#include <cstdint>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

namespace dv {

// pcre2_set_match_limit: calls of the internal match function (backtracking
// points) per pcre2_match, JIT included. SigmaHQ's expressions need a few
// hundred on ordinary field values.
inline constexpr std::uint32_t kRegexMatchLimit = 100'000;
// pcre2_set_depth_limit: nested backtracking frames (interpreter only).
inline constexpr std::uint32_t kRegexDepthLimit = 1'000;
// pcre2_set_heap_limit, in KiB (interpreter only).
inline constexpr std::uint32_t kRegexHeapLimitKib = 1'024;
inline constexpr std::uint32_t kRegexStopsBeforeOff = 16;

// The match context with the limits above. Only read while matching, so one
// context serves every thread; created once, never freed. (Header-only: the
// libraries that run PCRE2 link it; core does not.)
inline pcre2_match_context* LimitedMatchContext() {
  static pcre2_match_context* const context = [] {
    pcre2_match_context* created = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(created, kRegexMatchLimit);
    pcre2_set_depth_limit(created, kRegexDepthLimit);
    pcre2_set_heap_limit(created, kRegexHeapLimitKib);
    return created;
  }();
  return context;
}

// True for the pcre2_match results that mean "stopped by a limit".
inline bool StoppedByLimit(int rc) {
  return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
         rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_NOMEMORY;
}

}  // namespace dv
