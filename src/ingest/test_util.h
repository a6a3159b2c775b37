// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test helpers for dv_ingest: an Event's fields as (name, value) pairs, and
// gzip compression for making test input.

#include <zlib.h>

#include <string>
#include <utility>
#include <vector>

#include "core/event.h"

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

}  // namespace dv::testing
