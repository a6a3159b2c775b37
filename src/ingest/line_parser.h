// SPDX-License-Identifier: Apache-2.0
#pragma once

// LineParser: recognises the format of each line and hands it to the right
// parser. This is the entry point for every line-oriented stream — files,
// stdin, and later live tails and network listeners.
//
// Per-line detection (DetectLineFormat), in this order:
//   first non-blank byte '{'                → JSON lines
//   "CEF:" or a syslog header then "CEF:"   → CEF
//   "<PRI>1 "                               → syslog RFC 5424
//   "<PRI>", "Mmm dd hh:mm:ss" or an RFC 3339
//   time with a zone and a space           → syslog RFC 3164
//   anything else                           → plain: the line is `message`
// A line that fails its format's parser is a bad record of that format: the
// reason is returned and the Event is unspecified.
//
// Per-file detection (DetectFileFormat) looks at the first bytes of a file:
// EVTX ("ElfFile\0"), gzip (1F 8B), otherwise text read line by line.
//
// Not thread-safe: one LineParser per stream or thread.

#include <cstddef>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "ingest/cef_parser.h"
#include "ingest/json_line_parser.h"
#include "ingest/syslog_parser.h"

namespace dv {

enum class LogFormat {
  kPlain,
  kJsonLines,
  kSyslog5424,
  kSyslog3164,
  kCef,
  kEvtx,
};
inline constexpr std::size_t kLogFormatCount = 6;

// "plain", "jsonl", "syslog5424", "syslog3164", "cef", "evtx".
std::string_view LogFormatName(LogFormat format);

enum class FileFormat { kText, kGzip, kEvtx };

// `head` is the first bytes of a file (8 suffice; fewer are fine).
FileFormat DetectFileFormat(std::string_view head);

class LineParser {
 public:
  // `reference` dates BSD syslog lines (see SyslogParser).
  explicit LineParser(Timestamp reference = Timestamp::Now());

  void set_reference_time(Timestamp reference);

  LogFormat DetectLineFormat(std::string_view line) const;

  // Clears `event` and fills it from `line` (without its line ending);
  // `format` receives the detected format, also when parsing fails.
  // `event.origin` is left to the caller.
  Status ParseLine(std::string_view line, Event& event, LogFormat& format);

 private:
  JsonLineParser json_;
  SyslogParser syslog_;
  CefParser cef_;
};

}  // namespace dv
