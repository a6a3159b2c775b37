// SPDX-License-Identifier: Apache-2.0
#include "ingest/json_stream_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace dv {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Bytes that end a fast scan: inside a string, and between tokens of an object.
constexpr std::array<bool, 256> MakeTable(std::string_view stops) {
  std::array<bool, 256> table{};
  for (const char stop : stops) table[static_cast<unsigned char>(stop)] = true;
  return table;
}
constexpr std::array<bool, 256> kStringStops = MakeTable("\"\\\n");
constexpr std::array<bool, 256> kObjectStops = MakeTable("\"{}[]\n");

std::string_view SkipBomAndSpace(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  return text;
}

}  // namespace

std::optional<TextLayout> DetectTextLayout(std::string_view head, bool complete) {
  const std::string_view text = SkipBomAndSpace(head);
  if (text.empty()) {
    if (complete) return TextLayout::kLines;
    return std::nullopt;  // only white space so far
  }
  if (text.front() == '[') return TextLayout::kJsonStream;
  if (text.front() != '{') return TextLayout::kLines;
  // Follow the first object: JSON lines when it closes on its line with only
  // white space after it.
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '\n') return TextLayout::kJsonStream;  // the object spans lines (or a string breaks)
    if (in_string) {
      if (c == '\\') {
        ++pos;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      for (std::size_t rest = pos + 1; rest < text.size(); ++rest) {
        if (text[rest] == '\n') return TextLayout::kLines;
        if (!IsSpace(text[rest])) return TextLayout::kJsonStream;  // "}{" or "},{" on one line
      }
      return complete ? std::optional<TextLayout>(TextLayout::kLines) : std::nullopt;
    }
  }
  return complete ? std::optional<TextLayout>(TextLayout::kLines) : std::nullopt;
}

JsonStreamReader::JsonStreamReader(ByteSource& source, std::size_t max_record_bytes, std::size_t block_bytes,
                                   std::size_t max_depth)
    : source_(source),
      max_record_bytes_(std::max<std::size_t>(max_record_bytes, 2)),
      block_bytes_(std::max<std::size_t>(block_bytes, 1)),
      max_depth_(max_depth),
      buffer_(max_record_bytes_ + block_bytes_ + 1, '\0') {}

Result<bool> JsonStreamReader::Fill() {
  if (eof_) return false;
  const std::size_t keep_from = keep_ ? record_start_ : pos_;
  if (buffer_.size() - end_ < block_bytes_ && keep_from > 0) {
    std::memmove(buffer_.data(), buffer_.data() + keep_from, end_ - keep_from);
    end_ -= keep_from;
    pos_ -= keep_from;
    if (keep_) record_start_ -= keep_from;
    base_offset_ += keep_from;
  }
  const std::size_t room = std::min(block_bytes_, buffer_.size() - end_);
  auto got = source_.Read(buffer_.data() + end_, room);
  if (!got.ok()) {
    eof_ = true;
    return got.error();
  }
  if (*got == 0) {
    eof_ = true;
    return false;
  }
  end_ += *got;
  return true;
}

void JsonStreamReader::MarkBad(std::string reason) {
  if (record_problem_.empty()) record_problem_ = std::move(reason);
  keep_ = false;
}

JsonStreamReader::Outcome JsonStreamReader::Problem(std::uint64_t line, std::uint64_t ordinal, std::string message) {
  place_line_ = line;
  place_ordinal_ = ordinal;
  problem_ = std::move(message);
  return Outcome::kProblem;
}

void JsonStreamReader::StartObject() {
  record_ordinal_ = ++ordinal_;
  record_line_ = line_;
  record_start_ = pos_;
  record_start_offset_ = AbsoluteOffset(pos_);
  record_problem_.clear();
  keep_ = true;
  depth_ = 1;
  in_string_ = false;
  escape_ = false;
  state_ = State::kObject;
  ++pos_;
}

void JsonStreamReader::StartElement() {
  ++ordinal_;
  depth_ = 0;
  in_string_ = false;
  escape_ = false;
}

Result<JsonStreamReader::Outcome> JsonStreamReader::Next(std::string_view& record) {
  if (!started_) {
    started_ = true;
    while (end_ < 3) {
      auto more = Fill();
      if (!more.ok()) return more.error();
      if (!*more) break;
    }
    if (std::string_view(buffer_.data(), end_).starts_with("\xEF\xBB\xBF")) pos_ = 3;
    line_start_offset_ = pos_;
  }
  char* const data = buffer_.data();
  auto new_line = [&](std::size_t at) {
    ++line_;
    line_start_offset_ = AbsoluteOffset(at + 1);
  };
  while (true) {
    if (pos_ == end_) {
      if (state_ == State::kObject && keep_ && end_ - record_start_ > max_record_bytes_) {
        MarkBad("longer than " + std::to_string(max_record_bytes_) + " bytes; skipped");
      }
      auto more = Fill();
      if (!more.ok()) return more.error();
      if (*more) continue;
      // The end of the input: report what is still open, outermost last.
      // The line of the last byte: a final line end does not start another.
      const bool ends_with_line_end = line_ > 1 && line_start_offset_ == AbsoluteOffset(end_);
      const std::string at_end = "the input ends at line " + std::to_string(ends_with_line_end ? line_ - 1 : line_);
      switch (state_) {
        case State::kObject: {
          state_ = in_array_ ? State::kArray : State::kTop;
          keep_ = false;
          std::string message = record_problem_.empty() ? "" : record_problem_ + "; ";
          return Problem(record_line_, record_ordinal_, message + "object never closes: " + at_end);
        }
        case State::kSkip:
          state_ = State::kArray;
          return Problem(line_, ordinal_, "element never closes: " + at_end);
        case State::kScalar:
        case State::kArray:
          state_ = State::kTop;
          in_array_ = false;
          return Problem(array_line_, 0, "array never closes: " + at_end);
        case State::kTop:
        case State::kGarbage:
          return Outcome::kEnd;
      }
      return Outcome::kEnd;
    }
    switch (state_) {
      case State::kTop: {
        const char c = data[pos_];
        if (IsSpace(c) || c == ',') {
          if (c == '\n') new_line(pos_);
          ++pos_;
        } else if (c == '{') {
          StartObject();
        } else if (c == '[') {
          in_array_ = true;
          array_line_ = line_;
          state_ = State::kArray;
          ++pos_;
        } else {
          state_ = State::kGarbage;
          return Problem(line_, 0, "text outside any JSON document; skipped up to the next '{' or '['");
        }
        break;
      }
      case State::kGarbage: {
        while (pos_ < end_ && data[pos_] != '{' && data[pos_] != '[') {
          if (data[pos_] == '\n') new_line(pos_);
          ++pos_;
        }
        if (pos_ < end_) state_ = State::kTop;
        break;
      }
      case State::kArray: {
        const char c = data[pos_];
        if (IsSpace(c) || c == ',') {
          if (c == '\n') new_line(pos_);
          ++pos_;
        } else if (c == '{') {
          StartObject();
        } else if (c == ']') {
          in_array_ = false;
          state_ = State::kTop;
          ++pos_;
        } else if (c == '[' || c == '"') {
          StartElement();
          if (c == '[') {
            depth_ = 1;
          } else {
            in_string_ = true;
          }
          state_ = State::kSkip;
          ++pos_;
          return Problem(line_, ordinal_, c == '[' ? "not a JSON object: an array" : "not a JSON object: a string");
        } else {
          StartElement();
          state_ = State::kScalar;
          return Problem(line_, ordinal_, "not a JSON object: a number or literal");
        }
        break;
      }
      case State::kScalar: {
        while (pos_ < end_) {
          const char c = data[pos_];
          if (IsSpace(c) || c == ',' || c == ']' || c == '[' || c == '{' || c == '"') {
            state_ = State::kArray;
            break;
          }
          ++pos_;
        }
        break;
      }
      case State::kSkip: {
        while (pos_ < end_ && state_ == State::kSkip) {
          const char c = data[pos_++];
          if (c == '\n') {
            new_line(pos_ - 1);
            in_string_ = false;
            escape_ = false;
          } else if (escape_) {
            escape_ = false;
          } else if (in_string_) {
            if (c == '\\') {
              escape_ = true;
            } else if (c == '"') {
              in_string_ = false;
            }
          } else if (c == '"') {
            in_string_ = true;
          } else if (c == '[' || c == '{') {
            ++depth_;
          } else if (c == ']' || c == '}') {
            --depth_;
          }
          if (!in_string_ && depth_ == 0) state_ = State::kArray;
        }
        break;
      }
      case State::kObject: {
        std::size_t pos = pos_;
        const std::size_t end = end_;
        bool complete = false;
        while (pos < end) {
          if (in_string_) {
            if (escape_) {
              escape_ = false;
              if (data[pos] == '\n') new_line(pos);
              ++pos;
              continue;
            }
            while (pos < end && !kStringStops[static_cast<unsigned char>(data[pos])]) ++pos;
            if (pos == end) break;
            const char c = data[pos++];
            if (c == '"') {
              in_string_ = false;
            } else if (c == '\\') {
              escape_ = true;
            } else {  // a raw line end: the string is broken; take it as its end
              new_line(pos - 1);
              in_string_ = false;
              MarkBad("string not closed at the end of line " + std::to_string(line_ - 1));
            }
            continue;
          }
          while (pos < end && !kObjectStops[static_cast<unsigned char>(data[pos])]) ++pos;
          if (pos == end) break;
          const char c = data[pos];
          if (c == '"') {
            in_string_ = true;
          } else if (c == '\n') {
            new_line(pos);
          } else if (c == '{' || c == '[') {
            if (c == '{' && AbsoluteOffset(pos) == line_start_offset_) {
              // A '{' in column 1 starts the next document: this one never closes.
              pos_ = pos;
              state_ = in_array_ ? State::kArray : State::kTop;
              keep_ = false;
              std::string message = record_problem_.empty() ? "" : record_problem_ + "; ";
              return Problem(
                  record_line_, record_ordinal_,
                  message + "object never closes: line " + std::to_string(line_) + " starts the next one with '{'");
            }
            if (++depth_ > max_depth_) MarkBad("nested deeper than " + std::to_string(max_depth_) + " levels");
          } else if (--depth_ == 0) {
            if (c == ']') MarkBad("object closed by ']' on line " + std::to_string(line_));
            ++pos;
            complete = true;
            break;
          }
          ++pos;
        }
        pos_ = pos;
        if (!complete) break;
        state_ = in_array_ ? State::kArray : State::kTop;
        const std::uint64_t size = AbsoluteOffset(pos_) - record_start_offset_;
        if (record_problem_.empty() && size > max_record_bytes_) {
          record_problem_ = "longer than " + std::to_string(max_record_bytes_) + " bytes; skipped";
        }
        if (!record_problem_.empty()) {
          keep_ = false;
          return Problem(record_line_, record_ordinal_, record_problem_);
        }
        keep_ = false;
        const std::string_view text(data + record_start_, pos_ - record_start_);
        if (text.find_first_not_of(" \t\r\n", 1) == text.size() - 1) {
          ++empty_objects_;
          break;
        }
        place_line_ = record_line_;
        place_ordinal_ = record_ordinal_;
        record = text;
        return Outcome::kRecord;
      }
    }
  }
}

}  // namespace dv
