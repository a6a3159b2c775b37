// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: JsonStreamReader on an arbitrary stream, read in small
// blocks with a small record limit so that every refill and limit path is
// reached. Every record handed out must be one object ('{' … '}') no longer
// than the limit, and the reader must reach the end.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "ingest/json_line_parser.h"
#include "ingest/json_stream_reader.h"

namespace {

class BytesSource final : public dv::ByteSource {
 public:
  explicit BytesSource(std::string_view data) : data_(data) {}
  dv::Result<std::size_t> Read(char* buffer, std::size_t size) override {
    const std::size_t count = std::min({size, std::size_t{7}, data_.size() - pos_});
    std::memcpy(buffer, data_.data() + pos_, count);
    pos_ += count;
    return count;
  }
  std::uint64_t consumed() const override { return pos_; }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kMaxRecord = 256;
  static dv::JsonLineParser parser;
  static dv::Event event;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)dv::DetectTextLayout(input, true);
  BytesSource source(input);
  dv::JsonStreamReader reader(source, kMaxRecord, 16);
  std::string_view record;
  for (std::size_t outcome_idx = 0;; ++outcome_idx) {
    auto outcome = reader.Next(record);
    if (!outcome.ok() || *outcome == dv::JsonStreamReader::Outcome::kEnd) break;
    // Each outcome consumes at least one byte, plus a few end-of-input reports.
    if (outcome_idx > size + 4) __builtin_trap();
    if (*outcome != dv::JsonStreamReader::Outcome::kRecord) continue;
    if (record.size() < 2 || record.size() > kMaxRecord || record.front() != '{' || record.back() != '}') {
      __builtin_trap();
    }
    (void)parser.ParseLine(record, event);
  }
  return 0;
}
