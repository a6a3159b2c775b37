// SPDX-License-Identifier: Apache-2.0
// Fuzzes the STIX pattern parser: any input must parse or fail with an error,
// never crash; a parsed pattern's canonical text must parse back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "stix/pattern.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = dv::ParseStixPattern(text);
  if (!parsed.ok()) {
    if (parsed.error().message().rfind("pattern offset ", 0) != 0) std::abort();
    return 0;
  }
  const std::string canonical = dv::ToString(*parsed);
  auto reparsed = dv::ParseStixPattern(canonical);
  if (!reparsed.ok() || dv::ToString(*reparsed) != canonical) std::abort();
  (void)dv::ValidateStixPattern(text);
  return 0;
}
