// SPDX-License-Identifier: Apache-2.0
#include "sigma/encoding.h"

namespace dv::sigma {

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t pos = 0;
  for (; pos + 3 <= bytes.size(); pos += 3) {
    const unsigned triple = (static_cast<unsigned char>(bytes[pos]) << 16) |
                            (static_cast<unsigned char>(bytes[pos + 1]) << 8) |
                            static_cast<unsigned char>(bytes[pos + 2]);
    out += kAlphabet[(triple >> 18) & 63];
    out += kAlphabet[(triple >> 12) & 63];
    out += kAlphabet[(triple >> 6) & 63];
    out += kAlphabet[triple & 63];
  }
  const std::size_t rest = bytes.size() - pos;
  if (rest > 0) {
    unsigned triple = static_cast<unsigned char>(bytes[pos]) << 16;
    if (rest == 2) triple |= static_cast<unsigned char>(bytes[pos + 1]) << 8;
    out += kAlphabet[(triple >> 18) & 63];
    out += kAlphabet[(triple >> 12) & 63];
    out += rest == 2 ? kAlphabet[(triple >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::vector<std::string> Base64OffsetVariants(std::string_view bytes) {
  // Shift the value by 0, 1 or 2 bytes of padding, encode, and keep only the
  // characters that are fully determined by the value's own bytes.
  static constexpr std::size_t kStart[] = {0, 2, 3};
  std::vector<std::string> variants;
  for (std::size_t shift = 0; shift < 3; ++shift) {
    std::string padded(shift, ' ');
    padded.append(bytes);
    std::string encoded = Base64Encode(padded);
    while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
    // Characters at the end that mix the value's last byte with what follows are dropped.
    const std::size_t total = padded.size();
    std::size_t end = encoded.size();
    if (total % 3 == 1) end -= 1;  // last char holds 2 bits of the final byte plus padding bits
    if (total % 3 == 2) end -= 1;
    const std::size_t start = kStart[shift];
    variants.push_back(start < end ? encoded.substr(start, end - start) : std::string());
  }
  return variants;
}

std::string Utf16Encode(std::string_view utf8, bool big_endian, bool with_bom) {
  std::string out;
  auto unit = [&](unsigned value) {
    const auto hi = static_cast<char>((value >> 8) & 0xFF);
    const auto lo = static_cast<char>(value & 0xFF);
    if (big_endian) {
      out += hi;
      out += lo;
    } else {
      out += lo;
      out += hi;
    }
  };
  if (with_bom) unit(0xFEFF);
  for (std::size_t pos = 0; pos < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[pos]);
    unsigned cp = 0xFFFD;
    std::size_t length = 1;
    if (byte < 0x80) {
      cp = byte;
    } else if ((byte & 0xE0) == 0xC0 && pos + 1 < utf8.size()) {
      cp = ((byte & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[pos + 1]) & 0x3Fu);
      length = 2;
    } else if ((byte & 0xF0) == 0xE0 && pos + 2 < utf8.size()) {
      cp = ((byte & 0x0Fu) << 12) | ((static_cast<unsigned char>(utf8[pos + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(utf8[pos + 2]) & 0x3Fu);
      length = 3;
    } else if ((byte & 0xF8) == 0xF0 && pos + 3 < utf8.size()) {
      cp = ((byte & 0x07u) << 18) | ((static_cast<unsigned char>(utf8[pos + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(utf8[pos + 2]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(utf8[pos + 3]) & 0x3Fu);
      length = 4;
    }
    pos += length;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

std::vector<std::string> ApplyEncoding(Modifier modifier, std::string_view bytes) {
  switch (modifier) {
    case Modifier::kBase64: {
      std::string encoded = Base64Encode(bytes);
      // Inside a longer base64 text the value's padding would not appear.
      while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
      return {encoded};
    }
    case Modifier::kBase64Offset:
      return Base64OffsetVariants(bytes);
    case Modifier::kUtf16Le:
    case Modifier::kWide:
      return {Utf16Encode(bytes, false, false)};
    case Modifier::kUtf16Be:
      return {Utf16Encode(bytes, true, false)};
    case Modifier::kUtf16:
      return {Utf16Encode(bytes, false, true)};
    default:
      return {std::string(bytes)};
  }
}

}  // namespace dv::sigma
