// SPDX-License-Identifier: Apache-2.0
#pragma once

// JsonStreamReader: cuts a stream of JSON as exported — one array of objects
// (PowerShell's ConvertTo-Json, SIEM exports), pretty-printed documents, or
// objects back to back ("}{", "}\n{") — into one complete top-level object
// at a time, streaming. Each object is handed on as text for JsonLineParser,
// so its event is the one the same object would give as a JSON line.
//
// Why our own splitter: simdjson's iterate_many needs whole documents in one
// buffer and does not read an array element by element, and no library on
// Debian streams the elements of a multi-GB array (possibly on one line)
// with bounded memory. This is a byte-level scanner that only tracks nesting
// depth, strings and escapes; JsonLineParser validates each object in full.
//
// What is a record:
//  - Top level: objects, and arrays whose elements are records ("[{…},{…}]",
//    "[…][…]" too). Only one level of array is unpacked.
//  - An element that is not an object (a number, a string, a nested array) is
//    a problem ("not a JSON object: an array"), skipped.
//  - `{}` (nothing but white space between the braces) is no record: it is
//    counted in empty_objects() and skipped without further parsing, so an
//    array of a billion empty objects costs one pass over its bytes.
//  - Anything else at the top level (text between documents, a stray '}')
//    is one problem per run of such bytes, skipped up to the next '{' or '['.
//  - Commas between elements are not checked, and commas between top-level
//    documents are taken as separators ("{…},\n{…}", an array without its
//    brackets); JsonLineParser checks the inside of each object.
//
// Bad records never stop the stream; each is one kProblem outcome, placed by
// line() and ordinal(), and reading goes on after it:
//  - longer than max_record_bytes: skipped to its end, never held in memory;
//  - nested deeper than max_depth: skipped to its end;
//  - closed by ']' (brackets that do not match inside are left to
//    JsonLineParser): skipped;
//  - a string broken by a raw line end (JSON strings cannot hold one): the
//    record is bad, and the line end is taken as the string's end so that
//    the record's own end is still found;
//  - an object still open when a line starts with '{' in its first column:
//    the object "never closes" and a new one starts there (pretty-printers
//    indent nested objects, so a '{' in column 1 is a new document; this is
//    what lets a truncated document be followed by good ones);
//  - an object or array still open at the end of the input: reported at its
//    start when the input ends.
//
// Memory is bounded by max_record_bytes + block_bytes whatever the input:
// a 1 GB array on one line is read element by element.
// Not thread-safe; one reader per stream.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "ingest/line_reader.h"

namespace dv {

// How a text stream is laid out, judged from its first bytes.
enum class TextLayout {
  kLines,       // line by line (JSON lines, syslog, CEF, plain text)
  kJsonStream,  // JSON array or multi-line/back-to-back JSON documents: JsonStreamReader
};

// `head` is the start of a text stream. After an optional UTF-8 byte order
// mark and white space, '[' is a JSON stream; '{' is a JSON stream unless the
// first object closes on its own line with nothing but white space after it
// (JSON lines); anything else is lines. Returns nullopt while `head` ends
// before the first object's line does; call again with more bytes, or with
// `complete` true when no more will come (end of input, or enough peeked:
// an undecided first line is then read as lines).
std::optional<TextLayout> DetectTextLayout(std::string_view head, bool complete);

class JsonStreamReader {
 public:
  enum class Outcome { kRecord, kProblem, kEnd };
  static constexpr std::size_t kDefaultMaxDepth = 64;  // as JsonLineParser::kMaxDepth

  JsonStreamReader(ByteSource& source, std::size_t max_record_bytes, std::size_t block_bytes,
                   std::size_t max_depth = kDefaultMaxDepth);

  // kRecord: `record` is one complete object, valid until the next call.
  // kProblem: problem() says why; the bad part is skipped.
  // kEnd: the input is exhausted. Errors are the source's read errors; the
  // reader is then at its end.
  Result<Outcome> Next(std::string_view& record);

  // Where the last record or problem starts: its 1-based line, and its
  // 1-based ordinal among the top-level documents and array elements of the
  // stream (bad ones and `{}` included; 0 for text outside any document).
  std::uint64_t line() const { return place_line_; }
  std::uint64_t ordinal() const { return place_ordinal_; }
  const std::string& problem() const { return problem_; }
  std::uint64_t empty_objects() const { return empty_objects_; }

 private:
  enum class State {
    kTop,      // between top-level values
    kArray,    // between the elements of a top-level array
    kObject,   // inside an object (a record)
    kSkip,     // inside an element that is not an object: a nested array or a string
    kScalar,   // inside a number or literal element
    kGarbage,  // inside text outside any document
  };

  Result<bool> Fill();  // false at the end of the source
  void StartObject();
  void StartElement();  // an element that is not an object
  Outcome Problem(std::uint64_t line, std::uint64_t ordinal, std::string message);
  void MarkBad(std::string reason);
  std::uint64_t AbsoluteOffset(std::size_t pos) const { return base_offset_ + pos; }

  ByteSource& source_;
  std::size_t max_record_bytes_;
  std::size_t block_bytes_;
  std::size_t max_depth_;
  std::string buffer_;
  std::size_t pos_ = 0;  // next byte to scan; bytes before it (from keep_from_) are kept
  std::size_t end_ = 0;
  std::uint64_t base_offset_ = 0;  // stream offset of buffer_[0]
  bool eof_ = false;
  bool started_ = false;  // a leading byte order mark has been looked for

  State state_ = State::kTop;
  bool in_array_ = false;
  std::uint64_t array_line_ = 0;
  std::uint64_t depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  std::uint64_t line_ = 1;
  std::uint64_t line_start_offset_ = 0;  // stream offset of the first byte of line_

  // The object being read.
  bool keep_ = false;  // its bytes are in buffer_ from record_start_
  std::size_t record_start_ = 0;
  std::uint64_t record_start_offset_ = 0;
  std::uint64_t record_line_ = 0;
  std::uint64_t record_ordinal_ = 0;
  std::string record_problem_;  // set once the record is known to be bad

  std::uint64_t ordinal_ = 0;
  std::uint64_t empty_objects_ = 0;
  std::uint64_t place_line_ = 0;
  std::uint64_t place_ordinal_ = 0;
  std::string problem_;
};

}  // namespace dv
