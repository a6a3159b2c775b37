// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Sigma condition language: and/or/not, parentheses, "1 of PATTERN",
// "all of PATTERN", "1 of them", "all of them". Precedence from least to most
// binding: or, and, not, "x of", parentheses. Keywords are case-insensitive.
// Pure; thread-safe.

#include <cstddef>
#include <memory>
#include <string_view>

#include "core/result.h"
#include "sigma/rule.h"

namespace dv::sigma {

// Parses `text`; errors name the 1-based column and what was expected.
// Text longer than `max_bytes` and parentheses nested deeper than
// `max_depth` are refused (kInvalidArgument naming the limit), so the tree,
// and everything that walks it recursively, is at most about `max_depth`
// deep. A chain of `not`s folds as it is read (`not not a` is `a`), in
// linear time and without nesting. The parser's own recursion is bounded
// by `max_depth`.
Result<std::unique_ptr<ConditionNode>> ParseCondition(std::string_view text, std::size_t max_bytes = 64 << 10,
                                                      int max_depth = 64);

// The limits of ParseCondition alone, without parsing: the length, and the
// nesting of parentheses. The same messages as ParseCondition's refusals.
Status CheckConditionBudget(std::string_view text, std::size_t max_bytes = 64 << 10, int max_depth = 64);

// True when `name` matches the "x of" pattern (`*` matches any run of characters).
bool MatchesIdentifierPattern(std::string_view pattern, std::string_view name);

}  // namespace dv::sigma
