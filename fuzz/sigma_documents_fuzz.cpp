// SPDX-License-Identifier: Apache-2.0
// Fuzzes the encoding of cached rule documents (sigma/document_cache.h).
// First byte 0: the rest is Sigma YAML, whose parsed documents must decode
// from their encoding to the same encoding. Otherwise the bytes are decoded
// as a cache file: refused, or documents that compile; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sigma/document_cache.h"
#include "sigma/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 0) {
    const std::string encoded = dv::sigma::EncodeDocuments(dv::sigma::ParseRuleDocuments(bytes, "fuzz.yml"));
    const auto decoded = dv::sigma::DecodeDocuments(encoded, dv::sigma::SigmaBudget{}.max_condition_depth);
    if (!decoded || dv::sigma::EncodeDocuments(*decoded) != encoded) std::abort();
    return 0;
  }
  auto documents = dv::sigma::DecodeDocuments(bytes, 64);
  if (!documents) return 0;
  dv::sigma::RuleSetReport report;
  (void)dv::sigma::RuleSet::Build(std::move(*documents), {}, report);
  return 0;
}
