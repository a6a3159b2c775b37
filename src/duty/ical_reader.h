// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test-only: reads an iCalendar document back with Debian's libical, an
// independent RFC 5545 implementation, so the export is checked by a parser
// other than our own expectations.

#include <libical/ical.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dv::duty::testing {

struct ParsedEvent {
  std::string uid;
  std::int64_t start_unix = 0;  // seconds
  std::int64_t end_unix = 0;
  std::int64_t stamp_unix = 0;
  std::string summary;  // unescaped by libical
  std::string description;
};

struct ParsedCalendar {
  bool parsed = false;
  int errors = 0;  // X-LIC-ERROR properties libical added while parsing
  std::string name;
  std::vector<ParsedEvent> events;
};

inline ParsedCalendar ParseWithLibical(const std::string& text) {
  ParsedCalendar out;
  icalcomponent* calendar = icalparser_parse_string(text.c_str());
  if (calendar == nullptr) return out;
  out.parsed = icalcomponent_isa(calendar) == ICAL_VCALENDAR_COMPONENT;
  out.errors = icalcomponent_count_errors(calendar);
  for (icalproperty* property = icalcomponent_get_first_property(calendar, ICAL_X_PROPERTY); property != nullptr;
       property = icalcomponent_get_next_property(calendar, ICAL_X_PROPERTY)) {
    if (std::string(icalproperty_get_x_name(property)) == "X-WR-CALNAME") out.name = icalproperty_get_x(property);
  }
  for (icalcomponent* event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event != nullptr;
       event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
    ParsedEvent parsed;
    const char* uid = icalcomponent_get_uid(event);
    const char* summary = icalcomponent_get_summary(event);
    const char* description = icalcomponent_get_description(event);
    parsed.uid = uid != nullptr ? uid : "";
    parsed.summary = summary != nullptr ? summary : "";
    parsed.description = description != nullptr ? description : "";
    parsed.start_unix = static_cast<std::int64_t>(icaltime_as_timet(icalcomponent_get_dtstart(event)));
    parsed.end_unix = static_cast<std::int64_t>(icaltime_as_timet(icalcomponent_get_dtend(event)));
    parsed.stamp_unix = static_cast<std::int64_t>(icaltime_as_timet(icalcomponent_get_dtstamp(event)));
    out.events.push_back(std::move(parsed));
  }
  icalcomponent_free(calendar);
  return out;
}

}  // namespace dv::duty::testing
