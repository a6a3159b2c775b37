// SPDX-License-Identifier: Apache-2.0
#include "core/text.h"

#include <cstdio>

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

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
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
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buffer;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

}  // namespace dv
