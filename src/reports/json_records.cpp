// SPDX-License-Identifier: Apache-2.0
#include "reports/json_records.h"

#include <string>

#include "core/text.h"

namespace dv::reports {
namespace {

bool JsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Error RefuseLine(std::size_t line, const std::string& reason) {
  return Error::InvalidArgument(std::to_string(line) + ": " + reason);
}

Result<JsonRecords> SplitLines(std::string_view text, std::size_t pos, std::size_t line) {
  JsonRecords out;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view record = TrimSpace(text.substr(pos, end - pos));
    if (!record.empty()) out.records.push_back({line, record});
    pos = end + 1;
    ++line;
  }
  return out;
}

Result<JsonRecords> SplitArray(std::string_view text, std::size_t pos, std::size_t line) {
  JsonRecords out;
  out.array = true;
  const std::size_t open_line = line;
  ++pos;  // the '['
  std::size_t start = std::string_view::npos;
  std::size_t start_line = 0;
  std::size_t depth = 0;  // inside the current element
  bool in_string = false;
  bool any = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\') {
        if (pos + 1 < text.size() && text[pos + 1] == '\n') ++line;
        ++pos;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (depth == 0 && (c == ',' || c == ']')) {
      if (start == std::string_view::npos) {
        if (c == ']' && !any) break;  // "[]"
        return RefuseLine(line, "empty element in the JSON array");
      }
      out.records.push_back({start_line, TrimSpace(text.substr(start, pos - start))});
      any = true;
      start = std::string_view::npos;
      if (c == ']') break;
      continue;
    }
    if (JsonSpace(c)) continue;
    if (start == std::string_view::npos) {
      start = pos;
      start_line = line;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  if (pos >= text.size()) return RefuseLine(open_line, "the JSON array opened here is not closed");
  const std::string_view rest = text.substr(pos + 1);
  for (const char c : rest) {
    if (c == '\n') ++line;
    if (!JsonSpace(c)) return RefuseLine(line, "text after the JSON array");
  }
  return out;
}

}  // namespace

Result<JsonRecords> SplitJsonRecords(std::string_view text) {
  std::size_t pos = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  std::size_t line = 1;
  while (pos < text.size() && JsonSpace(text[pos])) {
    if (text[pos] == '\n') ++line;
    ++pos;
  }
  if (pos == text.size()) return RefuseLine(line, "empty file: no JSON array or JSON lines");
  if (text[pos] == '[') return SplitArray(text, pos, line);
  if (text[pos] == '{') return SplitLines(text, pos, line);
  return RefuseLine(line, "neither a JSON array nor JSON lines (the file starts with neither '[' nor '{')");
}

}  // namespace dv::reports
