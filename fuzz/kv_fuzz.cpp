// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: KeyValueParser::Classify and ParseLine on one arbitrary line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/kv_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dv::KeyValueParser parser(dv::Timestamp(1'795'694'400'000));  // 2026-11-26T12:00:00Z
  static dv::Event event;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  (void)parser.Classify(line);
  (void)parser.ParseLine(line, event);
  return 0;
}
