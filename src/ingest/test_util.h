// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test helpers for dv_ingest: an Event's fields as (name, value) pairs, gzip
// compression for making test input, and an in-memory ByteSource.

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "ingest/line_reader.h"

namespace dv::testing {

using FieldList = std::vector<std::pair<std::string, std::string>>;

// Null fields appear with the value "<null>".
inline FieldList Fields(const Event& event) {
  FieldList out;
  for (const EventField& field : event.fields()) out.emplace_back(field.name, field.is_null ? "<null>" : field.value);
  return out;
}

// `text` as one gzip member; empty on a zlib failure.
inline std::string Gzip(const std::string& text) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, static_cast<uLong>(text.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const bool done = deflate(&zs, Z_FINISH) == Z_STREAM_END;
  out.resize(done ? zs.total_out : 0);
  deflateEnd(&zs);
  return out;
}

// `utf8` (valid UTF-8) as UTF-16, little-endian unless `big_endian`, with a
// byte order mark when `bom`.
inline std::string Utf16(const std::string& utf8, bool big_endian = false, bool bom = true) {
  std::string out;
  auto unit = [&](unsigned value) {
    const char high = static_cast<char>(value >> 8);
    const char low = static_cast<char>(value & 0xFF);
    out += big_endian ? std::string{high, low} : std::string{low, high};
  };
  if (bom) unit(0xFEFF);
  for (std::size_t pos = 0; pos < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[pos]);
    const std::size_t length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    unsigned cp = length == 1 ? byte : length == 2 ? byte & 0x1F : length == 3 ? byte & 0x0F : byte & 0x07;
    for (std::size_t more = 1; more < length; ++more)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[pos + more]) & 0x3F);
    pos += length;
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

// An in-memory source that hands out at most `chunk` bytes per read.
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string data, std::size_t chunk = std::size_t{1} << 20)
      : data_(std::move(data)), chunk_(chunk) {}
  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    const std::size_t count = std::min({size, chunk_, data_.size() - pos_});
    std::memcpy(buffer, data_.data() + pos_, count);
    pos_ += count;
    return count;
  }
  std::uint64_t consumed() const override { return pos_; }

 private:
  std::string data_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

}  // namespace dv::testing
