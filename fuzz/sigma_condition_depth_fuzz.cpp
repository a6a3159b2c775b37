// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Sigma condition parser with deep input: the first byte chooses
// how often the rest is nested (up to 100,000 levels of parentheses and
// `not`s around it, beyond the budget of 64), so that the parser's depth
// limit and the folding of `not` chains are exercised on every run. Input
// within the limits must print to a condition that parses again (with room
// for the parentheses printing adds) to the same text; input over them must
// be refused with a message that names the limit. Nothing may crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sigma/condition.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t levels = static_cast<std::size_t>(data[0]) * 400;  // 0 … 102,000
  const std::string_view core(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string text;
  text.reserve(levels * 5 + core.size());
  for (std::size_t level = 0; level < levels; ++level) text += (level % 3 == 0) ? "not (" : "(";
  text += core;
  for (std::size_t level = 0; level < levels; ++level) text += ')';

  constexpr std::size_t kMaxBytes = std::size_t{1} << 20;
  auto parsed = dv::sigma::ParseCondition(text, kMaxBytes, 64);
  if (!parsed.ok()) {
    const std::string& message = parsed.error().message();
    if (levels > 64 && message.find("limit") == std::string::npos && message.find("column") == std::string::npos) {
      std::abort();  // a refusal must say where or which limit
    }
    return 0;
  }
  if (levels > 64) std::abort();  // deeper than the limit, yet accepted
  // Printing adds at most one pair of parentheses per and/or node.
  const std::string printed = (*parsed)->ToString();
  auto again = dv::sigma::ParseCondition(printed, kMaxBytes, 4 * 64 + 4);
  if (!again.ok() || (*again)->ToString() != printed) std::abort();
  return 0;
}
