// SPDX-License-Identifier: Apache-2.0
#pragma once

// SyslogParser: syslog lines as relays and files carry them.
//
// RFC 5424: "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]".
// RFC 3164 (BSD): "[<PRI>]Mmm dd hh:mm:ss HOSTNAME TAG[PID]: CONTENT"; the
// year is inferred from a reference time (see ParseBsdTime) and the time is
// taken as UTC. The same layout with an RFC 3339 timestamp instead of the BSD
// one (rsyslog's high-precision file format) is read as 3164 too. A line
// whose HOSTNAME is missing ("sshd[42]: ...") is accepted: a first word that
// ends in ':' or contains '[' is the tag.
//
// Fields, in this order, each only when present (5424's "-" is absent):
//   facility, severity   PRI / 8 and PRI % 8, as decimal text
//   host, app, procid    HOSTNAME, APP-NAME or TAG, PROCID or PID
//   msgid                5424 only
//   sd.<SD-ID>.<name>    each 5424 structured-data parameter, unescaped
//                        (\" \\ \] as the RFC defines)
//   message              MSG (a leading UTF-8 BOM removed) or CONTENT
// The event time is the header's timestamp.
//
// Errors (Error::Parse, reason only; the caller adds file and line): a bad
// PRI, an unsupported version, a 5424 timestamp that is not RFC 3339, and
// malformed structured data. RFC 3164 is lenient: text after a valid PRI
// that has no BSD timestamp becomes the message.
//
// Not thread-safe (the reference time and scratch buffers are per parser).

#include <optional>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "core/time.h"

namespace dv {

// The header of a syslog line, as views into it; what ParseHeader found.
struct SyslogHeader {
  int pri = -1;  // -1: no PRI (3164 allows that)
  bool rfc5424 = false;
  std::optional<Timestamp> time;
  std::string_view host, app, procid, msgid;
  std::string_view structured_data;  // raw 5424 SD, empty when "-"
  std::string_view message;
};

class SyslogParser {
 public:
  // `reference` is when the lines were written at the latest (a file's
  // modification time, or now for a live stream); it decides BSD years.
  explicit SyslogParser(Timestamp reference = Timestamp::Now()) : reference_(reference) {}

  void set_reference_time(Timestamp reference) { reference_ = reference; }
  Timestamp reference_time() const { return reference_; }

  // Clears `event` and fills it from one line. `event.origin` is left empty.
  Status ParseLine(std::string_view line, Event& event);

  // Splits a line into its header and message without touching an Event;
  // used by the CEF reader for "syslog header + CEF:" lines.
  Result<SyslogHeader> ParseHeader(std::string_view line) const;

  // Appends the header's fields (all but `message`) to `event`; fails only on
  // malformed structured data.
  Status AddHeaderFields(const SyslogHeader& header, Event& event);

  // True when `line` starts like syslog: "<digits>", a BSD timestamp, or an
  // RFC 3339 timestamp with 'T' and a zone followed by a space.
  static bool LooksLikeSyslog(std::string_view line);

 private:
  Timestamp reference_;
  std::string name_scratch_;   // "sd.<id>.<param>"
  std::string value_scratch_;  // an unescaped SD value
};

}  // namespace dv
