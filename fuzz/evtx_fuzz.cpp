// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to the EVTX reader, through both the Event and the
// XML paths. Any crash, sanitizer report or hang is a bug: the reader must
// turn every input into records, counted problems or an error.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/evtx/evtx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::size_t fields = 0;
  auto events = dv::evtx::EvtxReader::FromBuffer(bytes, "fuzz.evtx").ReadAll([&](const dv::Event& event) {
    fields += event.size();
  });
  std::size_t xml_bytes = 0;
  auto xml = dv::evtx::EvtxReader::FromBuffer(bytes, "fuzz.evtx").ReadAllXml([&](std::uint64_t, std::string_view text) {
    xml_bytes += text.size();
  });
  if (events.ok() != xml.ok()) __builtin_trap();  // both paths judge the header alike
  if (events.ok() && events->records != xml->records) __builtin_trap();
  return 0;
}
