// SPDX-License-Identifier: Apache-2.0
#include "core/text.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace dv {

std::string FoldForSearch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte >= 'A' && byte <= 'Z') {
      out.push_back(static_cast<char>(byte + 32));
    } else if (byte == 0xC3 && pos + 1 < text.size()) {
      // U+00C0..U+00DE are encoded C3 80..C3 9E; their lower-case forms are
      // C3 A0..C3 BE. U+00D7 (×) has no case.
      auto next = static_cast<unsigned char>(text[pos + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) next = static_cast<unsigned char>(next + 0x20);
      out.push_back(static_cast<char>(byte));
      out.push_back(static_cast<char>(next));
      ++pos;
    } else {
      out.push_back(static_cast<char>(byte));
    }
  }
  return out;
}

namespace {

char32_t FoldCodePoint(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;  // Latin-1
  if (cp >= 0x100 && cp <= 0x17F) {                              // Latin Extended-A
    if (cp == 0x130) return 'i';                                 // İ
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) return (cp % 2 == 1) ? cp + 1 : cp;
    if (cp == 0x178) return 0xFF;  // Ÿ
    if (cp >= 0x100 && cp <= 0x137) return (cp % 2 == 0) ? cp + 1 : cp;
    if (cp >= 0x14A && cp <= 0x177) return (cp % 2 == 0) ? cp + 1 : cp;
    return cp;
  }
  if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 0x20;  // Greek capitals
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                 // Cyrillic А–Я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                 // Cyrillic Ѐ–Џ
  return cp;
}

}  // namespace

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void AppendFoldedCase(std::string_view text, std::string& out) {
  std::size_t pos = 0;
  const std::size_t size = text.size();
  // Runs of eight ASCII bytes are lowered together: for bytes below 0x80,
  // adding 0x3F (0x80 - 'A') sets the high bit exactly for bytes >= 'A', and
  // adding 0x25 (0x80 - 'Z' - 1) exactly for bytes > 'Z'; no byte carries
  // into the next. The upper-case bytes get 0x20 added (bit 5 set).
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  out.reserve(out.size() + size);
  while (pos + 8 <= size) {
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, text.data() + pos, 8);
    if ((chunk & kHighBits) != 0) break;
    const std::uint64_t at_least_a = chunk + kOnes * (0x80 - 'A');
    const std::uint64_t above_z = chunk + kOnes * (0x80 - 'Z' - 1);
    const std::uint64_t upper = at_least_a & ~above_z & kHighBits;
    chunk |= upper >> 2;
    const std::size_t at = out.size();
    out.resize(at + 8);
    std::memcpy(out.data() + at, &chunk, 8);
    pos += 8;
  }
  while (pos < size) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>((byte >= 'A' && byte <= 'Z') ? byte + 32 : byte));
      ++pos;
      continue;
    }
    // Two-byte sequences cover every range folded above.
    if ((byte & 0xE0) == 0xC0 && pos + 1 < size && (static_cast<unsigned char>(text[pos + 1]) & 0xC0) == 0x80) {
      const char32_t cp =
          (static_cast<char32_t>(byte & 0x1F) << 6) | (static_cast<unsigned char>(text[pos + 1]) & 0x3F);
      AppendUtf8(FoldCodePoint(cp), out);
      pos += 2;
      continue;
    }
    out.push_back(static_cast<char>(byte));
    ++pos;
  }
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

std::string FoldCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendFoldedCase(text, out);
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::size_t LineOfOffset(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t pos = 0; pos < offset && pos < text.size(); ++pos) {
    if (text[pos] == '\n') ++line;
  }
  return line;
}

int ReadDigits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t digit_idx = 0; digit_idx < count; ++digit_idx) {
    const char c = text[pos + digit_idx];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

void AppendJsonEscaped(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789abcdef";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 15];
        } else {
          out += c;
        }
    }
  }
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonEscaped(out, text);
  return out;
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  AppendJsonEscaped(out, text);
  out += '"';
}

}  // namespace dv
