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
