// SPDX-License-Identifier: Apache-2.0
#pragma once

// CefParser: ArcSight Common Event Format lines, alone or after a syslog
// header (as firewalls and proxies send them):
//
//   [syslog header ]CEF:Version|Device Vendor|Device Product|Device Version|
//                   Signature ID|Name|Severity|Extension
//
// Header fields may escape '|' and '\' as "\|" and "\\". The extension is
// space-separated key=value pairs; a value may contain spaces and ends where
// the next " key=" begins; "\=", "\\", "\n" and "\r" are unescaped (other
// backslashes are kept as written).
//
// Fields, in this order:
//   the syslog header's fields (see SyslogParser), when there is one
//   cef.version, cef.device_vendor, cef.device_product, cef.device_version,
//   cef.signature_id, cef.name, cef.severity
//   each extension key as written (src, dst, suser, request, cs1, cs1Label…)
//   for each custom field with a label (cs1Label=x and cs1=v, likewise cn*,
//   cfp*, c6a*, deviceCustomDate*, flexString*, …: any key K with a KLabel),
//   a field named by the label: x=v
// The event time is the syslog header's, else the extension's "rt" (epoch
// milliseconds, RFC 3339, or "Mmm dd yyyy hh:mm:ss[.fff]" as UTC).
//
// Errors (Error::Parse with the reason): no "CEF:" prefix, fewer than seven
// header fields, an extension text before the first key, or a bad syslog
// header. Not thread-safe; one parser per thread.

#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "ingest/syslog_parser.h"

namespace dv {

class CefParser {
 public:
  explicit CefParser(Timestamp reference = Timestamp::Now()) : syslog_(reference) {}

  // The reference time for years of BSD syslog headers (see SyslogParser).
  void set_reference_time(Timestamp reference) { syslog_.set_reference_time(reference); }

  // Clears `event` and fills it from one line. `event.origin` is left empty.
  Status ParseLine(std::string_view line, Event& event);

  // True when `line` is CEF: it starts with "CEF:" or a syslog header's
  // message does.
  bool LooksLikeCef(std::string_view line) const;

 private:
  Status ParseCef(std::string_view cef, Event& event);
  Status ParseExtension(std::string_view extension, Event& event);
  void AddUnescaped(std::string_view name, std::string_view raw, bool header, Event& event);

  SyslogParser syslog_;
  std::string scratch_;        // an unescaped value
  std::string label_scratch_;  // a custom label's name, copied out of the Event
};

}  // namespace dv
