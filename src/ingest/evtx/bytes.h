// SPDX-License-Identifier: Apache-2.0
#pragma once

// Little-endian loads from a byte view. Internal to dv_evtx.
//
// Contract: the caller has checked that [pos, pos + width) lies inside
// `bytes`; these functions do not check again. Every caller in this folder
// goes through a bounds test (Fits) first.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace dv::evtx {

// True when `count` bytes starting at `pos` lie inside a buffer of `size` bytes,
// without overflowing.
inline bool Fits(std::size_t pos, std::uint64_t count, std::size_t size) {
  return pos <= size && count <= static_cast<std::uint64_t>(size - pos);
}

inline std::uint8_t LoadU8(std::string_view bytes, std::size_t pos) { return static_cast<std::uint8_t>(bytes[pos]); }

inline std::uint16_t LoadU16(std::string_view bytes, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

inline std::uint32_t LoadU32(std::string_view bytes, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

inline std::uint64_t LoadU64(std::string_view bytes, std::size_t pos) {
  return static_cast<std::uint64_t>(LoadU32(bytes, pos)) | (static_cast<std::uint64_t>(LoadU32(bytes, pos + 4)) << 32);
}

}  // namespace dv::evtx
