// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to dv_reports: splits a JSON report into its records before any
// of them is parsed, so that a file whose structure is broken is refused
// before the first row is handed out, and each record can fail alone.
//
// A file whose first non-blank character (after an optional UTF-8 byte
// order mark) is '[' is an array: its records are the top-level elements,
// found by one linear scan that tracks strings and bracket depth without
// recursion. One whose first character is '{' is JSON lines: its records
// are the non-blank lines. Anything else is refused.

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv::reports {

struct JsonRecord {
  std::size_t line = 0;   // 1-based line where the record starts
  std::string_view text;  // the record, without surrounding white space
};

struct JsonRecords {
  bool array = false;  // an array of records, or JSON lines
  std::vector<JsonRecord> records;
};

// kInvalidArgument, message "<line>: <reason>" without the origin, when the
// text is neither an array nor lines, an array is not closed, has an empty
// element or text after it.
Result<JsonRecords> SplitJsonRecords(std::string_view text);

}  // namespace dv::reports
