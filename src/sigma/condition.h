// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Sigma condition language: and/or/not, parentheses, "1 of PATTERN",
// "all of PATTERN", "1 of them", "all of them". Precedence from least to most
// binding: or, and, not, "x of", parentheses. Keywords are case-insensitive.
// Pure; thread-safe.

#include <memory>
#include <string_view>

#include "core/result.h"
#include "sigma/rule.h"

namespace dv::sigma {

// Parses `text`; errors name the 1-based column and what was expected.
Result<std::unique_ptr<ConditionNode>> ParseCondition(std::string_view text);

// True when `name` matches the "x of" pattern (`*` matches any run of characters).
bool MatchesIdentifierPattern(std::string_view pattern, std::string_view name);

}  // namespace dv::sigma
