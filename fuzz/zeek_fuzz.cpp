// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: ZeekTsvParser over an arbitrary file, line by line with
// its state carried between lines (header changes, records before headers).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/zeek_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dv::Event event;
  dv::ZeekTsvParser parser;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    bool is_header = false;
    (void)parser.ParseLine(text.substr(start, end - start), event, is_header);
    start = end + 1;
  }
  return 0;
}
