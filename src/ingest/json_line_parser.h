// SPDX-License-Identifier: Apache-2.0
#pragma once

// JsonLineParser: one JSON object per line (Winlogbeat, Elastic Agent,
// Sysmon exported as JSON, most cloud audit logs) into a flat Event.
//
// - Nested objects are flattened with dots: {"winlog":{"event_id":1}} gives
//   the field "winlog.event_id".
// - An array gives one field per element under the array's name; arrays of
//   objects flatten each element ({"a":[{"b":1},{"b":2}]} → a.b=1, a.b=2).
// - Numbers keep their text ("4688", "1.50"), booleans are "true"/"false",
//   null is a null field (Event::AddNull). Empty objects and arrays give no
//   field. Duplicate keys give repeated fields, in input order.
// - The event time comes from the first of these fields (in this order of
//   preference) whose value ParseLogTime accepts: @timestamp, timestamp,
//   time, TimeCreated, TimeCreated.SystemTime, UtcTime, winlog.time_created,
//   event.created, EventTime, Event.System.TimeCreated.#attributes.SystemTime.
//   No recognisable time is not an error.
//
// A line is rejected — ParseLine returns Error::Parse with the reason, the
// Event is then unspecified — when it is not valid UTF-8, not valid JSON, not
// a single object, or nested deeper than kMaxDepth. The caller adds the
// place (file and line) to the reason.
//
// The parser owns simdjson's buffers and a copy of the line with the padding
// simdjson needs; both grow to the longest line seen and are reused, so the
// steady state does not allocate beyond what the Event itself keeps.
// Not thread-safe: use one parser per thread.

#include <memory>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"

namespace dv {

class JsonLineParser {
 public:
  static constexpr int kMaxDepth = 64;

  JsonLineParser();
  ~JsonLineParser();
  JsonLineParser(JsonLineParser&&) noexcept;
  JsonLineParser& operator=(JsonLineParser&&) noexcept;

  // Clears `event` (keeping its memory) and fills its fields and time from
  // `line`. Leading and trailing white space are ignored. `event.origin` is
  // left empty for the caller.
  Status ParseLine(std::string_view line, Event& event);

 private:
  struct State;  // simdjson types stay out of this header
  std::unique_ptr<State> state_;
};

}  // namespace dv
