// SPDX-License-Identifier: Apache-2.0
#include "core/json_limits.h"

#include <string>

namespace dv {

Status CheckJsonDepth(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (in_string) {
      if (c == '\\') {
        ++pos;  // the escaped character, whatever it is, cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) {
          return Error::InvalidArgument("JSON nested deeper than " + std::to_string(max_depth) + " levels (at byte " +
                                        std::to_string(pos) + ")");
        }
        break;
      case ']':
      case '}':
        // Unbalanced closing brackets are the parser's to report; never go below 0.
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return Ok();
}

}  // namespace dv
