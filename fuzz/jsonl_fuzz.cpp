// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: JsonLineParser::ParseLine on one arbitrary line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/json_line_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dv::JsonLineParser parser;
  static dv::Event event;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  (void)parser.ParseLine(line, event);
  return 0;
}
