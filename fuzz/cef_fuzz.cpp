// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: CefParser::ParseLine, and format detection, on one
// arbitrary line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/cef_parser.h"
#include "ingest/line_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static dv::CefParser parser(dv::Timestamp(1'795'694'400'000));  // 2026-11-26T12:00:00Z
  static dv::LineParser lines(dv::Timestamp(1'795'694'400'000));
  static dv::Event event;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  (void)parser.ParseLine(line, event);
  dv::LogFormat format = dv::LogFormat::kPlain;
  (void)lines.ParseLine(line, event, format);
  return 0;
}
