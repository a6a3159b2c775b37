// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one nesting limit for JSON from outside the process (request bodies,
// TAXII envelopes, STIX objects, hub responses read by a sensor). Parsers
// and the code that walks their result may recurse once per level; checking
// the depth on the raw text first, in one linear pass without recursion,
// keeps a hostile document from exhausting the stack before anything else
// looks at it.
//
// Depth counts nested containers: `1` and `"x"` have depth 0, `[]` and `{}`
// depth 1, `{"a":[{}]}` depth 3. Every parse of untrusted JSON first calls
// CheckJsonDepth(text, kMaxJsonDepth), or kMaxJsonDepth plus the levels of
// a known envelope around documents that may use the full limit (a TAXII
// envelope or a STIX bundle adds 2).

#include <string_view>

#include "core/result.h"

namespace dv {

inline constexpr int kMaxJsonDepth = 64;

// kInvalidArgument "JSON nested deeper than <max_depth> levels (at byte N)"
// when some container opens at a depth above `max_depth`; Ok otherwise.
// Only the nesting is checked: brackets inside strings (escapes included)
// are skipped, and malformed JSON is left for the parser to report. Pure,
// thread-safe, O(n) time and O(1) memory.
Status CheckJsonDepth(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace dv
