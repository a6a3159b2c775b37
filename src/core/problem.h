// SPDX-License-Identifier: Apache-2.0
#pragma once

// One bad input record, reported and skipped: the one "problem" type of the
// readers and importers (log sources, indicator feeds). A stream never stops
// for one bad record; it counts the record, keeps the reason with its place,
// and goes on.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dv {

enum class Severity {
  kWarning,  // the record (or rule) is still used
  kError,    // the record was skipped
};

struct Problem {
  // Where: "file:line", "file:line: field", "file: object id" (see Place),
  // or a reader's own origin such as "Security.evtx#4711".
  std::string place;
  std::string message;  // why, without a trailing full stop
  Severity severity = Severity::kError;

  // "<place>: <message>", or "<place>: warning: <message>" for a warning.
  std::string ToString() const;
};

// "file", "file:line" (line > 0) and then ": item" when `item` is not empty:
// "auth.log:17", "feed.json: indicator--…", "assets.csv:3: cpe".
std::string Place(std::string_view file, std::size_t line = 0, std::string_view item = {});

// The bounded collector: appends `problem` to `kept` while it holds fewer
// than `max_kept`; returns whether it was kept. Callers count every problem
// themselves (their counts have names: rejected, unsupported, ...), so the
// counts stay complete while memory stays bounded.
bool KeepProblem(std::vector<Problem>& kept, std::size_t max_kept, Problem problem);

}  // namespace dv
