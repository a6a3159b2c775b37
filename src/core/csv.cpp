// SPDX-License-Identifier: Apache-2.0
#include "core/csv.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace dv {

CsvReader::CsvReader(std::string_view text, CsvLimits limits) : text_(text), limits_(limits) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

CsvReader::Status CsvReader::Fail(std::string reason) {
  error_ = std::move(reason);
  error_field_ = spans_.size();
  fields_.clear();
  return Status::kError;
}

void CsvReader::ResumeAfterLineBreak(std::size_t from) {
  const std::size_t lf = text_.find('\n', from);
  if (lf == std::string_view::npos) {
    pos_ = text_.size();
    return;
  }
  pos_ = lf + 1;
  ++line_;
}

bool CsvReader::AtRecordEnd() {
  const std::size_t n = text_.size();
  if (pos_ == n) return true;
  if (text_[pos_] == '\n') {
    ++pos_;
    ++line_;
    return true;
  }
  if (text_[pos_] == '\r' && pos_ + 1 == n) {
    pos_ = n;
    return true;
  }
  if (text_[pos_] == '\r' && text_[pos_ + 1] == '\n') {
    pos_ += 2;
    ++line_;
    return true;
  }
  return false;
}

CsvReader::Status CsvReader::Next() {
  const std::size_t n = text_.size();
  spans_.clear();
  fields_.clear();
  arena_.clear();
  error_.clear();
  // Empty lines between records are skipped.
  while (pos_ < n) {
    if (text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    } else if (text_[pos_] == '\r' && (pos_ + 1 == n || text_[pos_ + 1] == '\n')) {
      pos_ += pos_ + 1 == n ? 1 : 2;
      if (text_[pos_ - 1] == '\n') ++line_;
    } else {
      break;
    }
  }
  if (pos_ >= n) return Status::kEnd;
  record_line_ = line_;
  record_start_ = pos_;
  // The record may hold max_record_bytes bytes before its line break; the
  // scans below look one byte further to see whether that byte ends it.
  const std::size_t limit = record_start_ + limits_.max_record_bytes;
  const std::size_t scan_end = std::min(n, limit + 1);
  const std::string too_long = "record longer than " + std::to_string(limits_.max_record_bytes) + " bytes";

  for (;;) {
    if (spans_.size() == limits_.max_fields) {
      Status status = Fail("more than " + std::to_string(limits_.max_fields) + " fields");
      ResumeAfterLineBreak(pos_);
      return status;
    }
    if (pos_ < n && text_[pos_] == '"') {
      const std::size_t open = pos_;
      const std::size_t open_line = line_;
      ++pos_;
      Span span{false, pos_, 0};
      for (;;) {
        const char* found = pos_ < scan_end
                                ? static_cast<const char*>(std::memchr(text_.data() + pos_, '"', scan_end - pos_))
                                : nullptr;
        if (found == nullptr) {
          // The quote never closes (before the end, or within the limit):
          // this record is lost; the lines after the quote's are read anew.
          Status status = Fail(
              scan_end == n ? "quoted field opened on line " + std::to_string(open_line) + " never closes" : too_long);
          line_ = open_line;
          ResumeAfterLineBreak(open);
          return status;
        }
        const auto quote = static_cast<std::size_t>(found - text_.data());
        line_ += static_cast<std::size_t>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                                     text_.begin() + static_cast<std::ptrdiff_t>(quote), '\n'));
        if (quote + 1 < n && text_[quote + 1] == '"') {
          // A doubled quote: the field is rebuilt in the arena from here on.
          if (!span.in_arena) {
            span = Span{true, arena_.size(), 0};
            arena_.append(text_.substr(open + 1, quote + 1 - (open + 1)));
          } else {
            arena_.append(text_.substr(pos_, quote + 1 - pos_));
          }
          pos_ = quote + 2;
          continue;
        }
        if (span.in_arena) {
          arena_.append(text_.substr(pos_, quote - pos_));
          span.size = arena_.size() - span.offset;
        } else {
          span.size = quote - span.offset;
        }
        pos_ = quote + 1;
        break;
      }
      spans_.push_back(span);
      if (pos_ > limit) {
        Status status = Fail(too_long);
        ResumeAfterLineBreak(pos_);
        return status;
      }
      if (pos_ < n && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (AtRecordEnd()) break;
      Status status = Fail("unexpected character after a closing quote");
      ResumeAfterLineBreak(pos_);
      return status;
    }
    // An unquoted field runs to a comma, a line break or the end.
    const std::size_t start = pos_;
    while (pos_ < scan_end) {
      const char c = text_[pos_];
      if (c == ',' || c == '\n' || c == '"') break;
      ++pos_;
    }
    if (pos_ > limit || (pos_ == scan_end && scan_end < n)) {
      Status status = Fail(too_long);
      ResumeAfterLineBreak(pos_);
      return status;
    }
    if (pos_ < n && text_[pos_] == '"') {
      Status status = Fail("quote inside an unquoted field");
      ResumeAfterLineBreak(pos_);
      return status;
    }
    std::size_t end = pos_;
    // A CR just before the line break (or at the very end) belongs to it.
    if (end > start && text_[end - 1] == '\r' && (end == n || text_[end] == '\n')) --end;
    spans_.push_back(Span{false, start, end - start});
    if (pos_ < n && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (pos_ < n) {
      ++pos_;  // the LF
      ++line_;
    }
    break;
  }
  fields_.reserve(spans_.size());
  for (const Span& span : spans_) {
    fields_.push_back(span.in_arena ? std::string_view(arena_).substr(span.offset, span.size)
                                    : text_.substr(span.offset, span.size));
  }
  return Status::kRecord;
}

}  // namespace dv
