// SPDX-License-Identifier: Apache-2.0
#pragma once

// Budgets for Sigma content. A shared rule is code that runs inside every
// member's sensor, so everything that reads one is bounded before it works:
// the size of the YAML text, its nesting (checked on the raw text, because
// yaml-cpp parses recursively), the length and nesting of each condition, and
// the time one rule may take to compile. Regular expressions are bounded
// when they run (value_matcher.h). docs/sensor.md ("Budgets") lists them; the hub's
// intake and every sensor apply the same defaults.
//
// Refusals are Error values whose message names the limit ("… is 2000000
// bytes, over the limit of 1048576 bytes"); callers add the rule's file or id.

#include <chrono>
#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace dv::sigma {

struct SigmaBudget {
  // One rule file, or the YAML of one shared rule (all its documents).
  std::size_t max_document_bytes = 1 << 20;
  // Nesting of YAML collections, as CheckYamlDepth estimates it. A Sigma
  // rule needs about 7 (rule → detection → identifier → list → map → field
  // → values).
  int max_yaml_depth = 64;
  // One condition's text, and its parenthesis nesting. A chain of `not`s
  // does not nest (it folds), so it is bounded by the length alone.
  std::size_t max_condition_bytes = 64 << 10;
  int max_condition_depth = 64;
  // Compiling one rule (its values, regular expressions, placeholder
  // expansions); zero or negative: no limit.
  std::chrono::milliseconds max_compile_time{2000};
  // Variants one value may expand to through `expand` placeholders.
  std::size_t max_expansions = 4096;
  // YAML nodes of one document as a reader sees them: an alias repeats every
  // node of its anchor, so a 1.5 KB rule of nested aliases can stand for
  // millions of values (hundreds of MB to compile). SigmaHQ's largest rules
  // have a few thousand.
  std::size_t max_yaml_nodes = 50'000;
};

// Estimates the nesting depth of YAML text without parsing it: block
// indentation levels, each `- ` and `? ` entry marker, and flow `[`/`{`
// collections, skipping comments, quoted scalars and block scalars. The
// estimate is never lower than the depth yaml-cpp would reach for the same
// text (it may be a little higher). One pass, no recursion, O(size) time and
// O(depth) memory. Errors (kInvalidArgument) name the 1-based line where the
// depth first exceeds `max_depth`.
Status CheckYamlDepth(std::string_view yaml, int max_depth);

// The checks made on the raw text of one rule file or shared rule before
// yaml-cpp sees it: its size, then CheckYamlDepth.
Status CheckRuleText(std::string_view yaml, const SigmaBudget& budget);

}  // namespace dv::sigma
