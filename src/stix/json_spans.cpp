// SPDX-License-Identifier: Apache-2.0
#include "stix/json_spans.h"

#include <cstddef>

namespace dv::stix {

namespace {

class SpanScanner {
 public:
  explicit SpanScanner(std::string_view text) : text_(text) {}

  std::optional<std::vector<std::string_view>> ObjectsElements() {
    std::vector<std::string_view> spans;
    SkipSpace();
    if (Peek() != '{') return std::nullopt;
    ++pos_;
    while (pos_ < text_.size()) {
      SkipSpace();
      if (Peek() == '}') break;
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      const std::size_t key_start = pos_;
      SkipString();
      const std::string_view key = text_.substr(key_start, pos_ - key_start);
      if (key.find('\\') != std::string_view::npos) return std::nullopt;
      SkipSpace();
      ++pos_;  // ':'
      SkipSpace();
      if (key != "\"objects\"" || Peek() != '[') {
        SkipValue();
        continue;
      }
      spans.clear();
      ++pos_;  // '['
      while (pos_ < text_.size()) {
        SkipSpace();
        if (Peek() == ']') {
          ++pos_;
          break;
        }
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        const std::size_t start = pos_;
        SkipValue();
        spans.push_back(text_.substr(start, pos_ - start));
      }
    }
    return spans;
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }
  void SkipString() {
    ++pos_;  // opening quote
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    ++pos_;
  }
  // Skips one value without recursion.
  void SkipValue() {
    int depth = 0;
    do {
      const char c = Peek();
      if (c == '"') {
        SkipString();
      } else if (c == '{' || c == '[') {
        ++depth;
        ++pos_;
      } else if (c == '}' || c == ']') {
        --depth;
        ++pos_;
      } else if (depth == 0) {
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' &&
               !IsSpace(text_[pos_])) {
          ++pos_;
        }
      } else {
        ++pos_;
      }
    } while (depth > 0 && pos_ < text_.size());
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::vector<std::string_view>> TopLevelObjectSpans(std::string_view json) {
  return SpanScanner(json).ObjectsElements();
}

}  // namespace dv::stix
