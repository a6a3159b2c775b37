// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one RFC 4180 reader: comma-separated records from a buffer held in
// memory, with the places and limits that importers of outside files need.
//
// Accepted: fields in double quotes with doubled quotes inside ("a ""b""")
// and line breaks inside; records ended by LF or CRLF (a CR that is not
// followed by LF is data); an optional UTF-8 byte order mark before the
// first record; a last record without a line break. Empty lines between
// records are skipped. Fields are returned as written: no trimming, no
// type conversion, no check of the text encoding.
//
// Refused, one record at a time (Next() returns kError, the reader
// resynchronises and the next call goes on): a quote inside an unquoted
// field (`ab"c`), anything but a comma or a line break after a closing
// quote (`"ab"c`), a quoted field still open at the end of the text, a
// record longer than `max_record_bytes`, more than `max_fields` fields.
// After an error the reader resumes at the next line break outside quotes;
// after a quote that never closed (within the limit or before the end), at
// the line after the one where it opened, so one stray quote costs one
// record, not the rest of the file. Every byte is examined at most twice:
// O(n) time whatever the input.
//
// Why not a library: Debian's libcsv (last upstream release 2013) reports
// neither lines nor offsets and stops at the first error in strict mode;
// libfccp (fast-cpp-csv-parser) fixes the column count at compile time and
// does not allow line breaks inside quotes.
//
// Not thread-safe; one reader per text. The text must outlive the reader;
// the views returned by fields() are valid until the next call to Next().

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dv {

struct CsvLimits {
  std::size_t max_record_bytes = std::size_t{64} << 10;  // one record, quotes and line breaks included
  std::size_t max_fields = 256;                          // fields in one record
};

class CsvReader {
 public:
  enum class Status { kRecord, kError, kEnd };

  explicit CsvReader(std::string_view text, CsvLimits limits = {});

  // Reads the next record. kRecord: fields() and line() describe it.
  // kError: error() says why, line() is where the record began,
  // error_field() which field (0-based) the reader was in. kEnd: no more.
  Status Next();

  const std::vector<std::string_view>& fields() const { return fields_; }
  // The 1-based line on which the current record (or failed record) began.
  std::size_t line() const { return record_line_; }
  const std::string& error() const { return error_; }
  std::size_t error_field() const { return error_field_; }
  // Byte offset in the text where the next record will be read.
  std::size_t offset() const { return pos_; }

 private:
  struct Span {
    bool in_arena = false;
    std::size_t offset = 0;
    std::size_t size = 0;
  };

  Status Fail(std::string reason);
  // Skips to just after the next LF at or after `from` (or to the end).
  void ResumeAfterLineBreak(std::size_t from);
  // Ends a record at pos_ (LF, CRLF, CR at the end, or the end itself);
  // false when pos_ is not at a record end.
  bool AtRecordEnd();

  std::string_view text_;
  CsvLimits limits_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
  std::size_t record_start_ = 0;
  std::size_t error_field_ = 0;
  std::string error_;
  std::string arena_;  // unescaped quoted fields of the current record
  std::vector<Span> spans_;
  std::vector<std::string_view> fields_;
};

}  // namespace dv
