// SPDX-License-Identifier: Apache-2.0
#pragma once

// ZeekTsvParser: Zeek's ASCII logs (conn.log, dns.log, ssl.log, http.log, …)
// as Zeek writes them by default — a header block of '#' lines, then one
// record per line:
//
//   #separator \x09
//   #set_separator	,
//   #empty_field	(empty)
//   #unset_field	-
//   #path	conn
//   #open	2026-03-01-10-00-00
//   #fields	ts	uid	id.orig_h	id.orig_p	…
//   #types	time	string	addr	port	…
//   1772360100.000000	CAbc…	203.0.113.7	500	…
//   #close	2026-03-01-11-00-00
//
// The parser keeps per-stream state: call Reset() at the start of every file
// or stream. Header lines change the state and give no event; a new header
// block later in the file (logs concatenated, a Zeek restart) replaces the
// columns for the lines after it. Zeek's JSON logs are JSON lines and are
// read by JsonLineParser (see network_json.h).
//
// Fields of a record: one per column, named as in #fields ("id.orig_h"),
// with `\xHH` escapes resolved; the unset value ("-") gives a null field, the
// empty value ("(empty)") an empty one; a set or vector column gives one field
// per element (split on #set_separator). Then event.module = "zeek" and, with
// a #path, event.dataset = "zeek.<path>". The event time is the `ts` column
// (epoch seconds with a fraction).
//
// Problems (Error::Parse; the caller adds file and line; reading goes on):
//   - a record before any #fields header, or after #close without a new one;
//   - a record whose column count differs from #fields;
//   - #fields that changes the columns after records were read: the change
//     is applied and reported, and later lines are read with it;
//   - #types whose count differs from #fields, more than kMaxColumns columns,
//     a header line Zeek does not write.
// Memory: the columns of the current header (at most kMaxColumns names, each
// within the line limit) and the Event; nothing grows with the file.
// Not thread-safe; one parser per stream.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace dv {

class ZeekTsvParser {
 public:
  static constexpr std::size_t kMaxColumns = 1024;

  // Forgets the header: the next line starts a new file.
  void Reset();

  // True when `line` belongs to a Zeek ASCII log given what this stream has
  // shown so far: a "#separator" or "#fields" header line, any '#' line or
  // record once a header was seen.
  bool Claims(std::string_view line) const;

  // Reads one line. A header line returns Ok with `is_header` true and the
  // Event cleared; a record fills the Event. See above for the problems.
  Status ParseLine(std::string_view line, Event& event, bool& is_header);

 private:
  Status ParseHeader(std::string_view line);
  void AddValue(std::string_view name, std::string_view raw, bool is_set, Event& event);

  bool active_ = false;  // a header line was seen in this stream
  bool closed_ = false;  // #close seen, no #fields since
  char separator_ = '\t';
  std::string set_separator_ = ",";
  std::string empty_field_ = "(empty)";
  std::string unset_field_ = "-";
  std::string path_;
  std::string dataset_;  // "zeek.<path>"
  std::vector<std::string> fields_;
  std::vector<bool> is_set_;  // per column: a set[...] or vector[...] type
  std::size_t ts_column_ = static_cast<std::size_t>(-1);
  std::size_t records_since_fields_ = 0;
  std::string scratch_;
  std::vector<std::string_view> columns_;  // the current record split, reused
};

}  // namespace dv
