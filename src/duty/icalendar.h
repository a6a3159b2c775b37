// SPDX-License-Identifier: Apache-2.0
#pragma once

// A rota's shifts as an iCalendar document (RFC 5545), for subscribing to a
// duty rota in a calendar program (docs/duty.md, "iCalendar export").
//
// The form: one VCALENDAR (VERSION 2.0, METHOD PUBLISH, X-WR-CALNAME) with
// one VEVENT per shift. DTSTART, DTEND and DTSTAMP are UTC date-times
// ("20260329T010000Z"), so no VTIMEZONE is needed and every program shows
// the shift in its user's own zone; Copenhagen's DST changes are already in
// the instants. SUMMARY is "Vagt: <label>", DESCRIPTION names the rota and
// the source ("Kilde: layers[1] (Kontortid)"). UID is a UUIDv5 of the
// calendar id, the shift's source, participant and start: an unchanged
// shift keeps its UID from one export to the next; a shift that moves or
// changes hands gets a new one.
//
// TEXT values are escaped (\\ \; \, and \n for a line break); other control
// characters are dropped and invalid UTF-8 is replaced by U+FFFD. Lines end
// in CRLF and are folded at 75 octets, never inside a UTF-8 sequence.
// Pure; thread-safe.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "duty/rota.h"

namespace dv::duty {

struct CalendarOptions {
  std::string name;         // X-WR-CALNAME and the first line of each DESCRIPTION
  std::string calendar_id;  // stable id the UIDs derive from (the rota's id); empty: `name`
  Timestamp stamp;          // DTSTAMP of every event: when the export is made
  // The text after "Vagt: " for a participant (a display name); the
  // participant id when unset.
  std::function<std::string(std::string_view participant)> label;
};

std::string ToICalendar(const std::vector<Shift>& shifts, const CalendarOptions& options);
// The shifts of `rota` that overlap [from, to) (Shifts()), with the layer
// names in the descriptions.
std::string ToICalendar(const Rota& rota, Timestamp from, Timestamp to, const CalendarOptions& options);

// The TEXT escaping and line folding, exposed for tests and other exporters.
std::string EscapeIcalText(std::string_view text);
// `line` (without CRLF) folded to ≤ 75 octets per physical line, each ended
// by CRLF.
std::string FoldIcalLine(std::string_view line);

}  // namespace dv::duty
