// SPDX-License-Identifier: Apache-2.0
#pragma once

// LineParser: recognises the format of each line and hands it to the right
// parser. This is the entry point for every line-oriented stream — files,
// stdin, and later live tails and network listeners.
//
// Per-line detection (DetectLineFormat), in this order:
//   in a file (see BeginStream), a Zeek ASCII log header line ("#separator",
//   "#fields"), and after one every line but a JSON object → Zeek TSV
//   first non-blank byte '{'                → JSON lines
//   "CEF:" or a syslog header then "CEF:"   → CEF
//   firewall key=value pairs (KeyValueParser::Classify: a vendor signature
//   or enough known network keys), alone or after a syslog header → key=value
//   "<PRI>1 "                               → syslog RFC 5424
//   "<PRI>", "Mmm dd hh:mm:ss" or an RFC 3339
//   time with a zone and a space           → syslog RFC 3164
//   anything else                           → plain: the line is `message`
// JSON lines that are Suricata EVE or Zeek JSON records are completed by
// CompleteNetworkJson (network_json.h).
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
#include "ingest/kv_parser.h"
#include "ingest/syslog_parser.h"
#include "ingest/zeek_parser.h"

namespace dv {

enum class LogFormat {
  kPlain,
  kJsonLines,
  kSyslog5424,
  kSyslog3164,
  kCef,
  kEvtx,
  kKeyValue,
  kZeekTsv,
};
inline constexpr std::size_t kLogFormatCount = 8;

// "plain", "jsonl", "syslog5424", "syslog3164", "cef", "evtx", "kv", "zeek".
std::string_view LogFormatName(LogFormat format);

// kUtf16Le/kUtf16Be: text in UTF-16, by its byte order mark or, without
// one, by the NUL bytes of its first two ASCII characters ("{\0\"\0").
enum class FileFormat { kText, kGzip, kEvtx, kUtf16Le, kUtf16Be };

// `head` is the first bytes of a file (8 suffice; fewer are fine).
FileFormat DetectFileFormat(std::string_view head);

class LineParser {
 public:
  // `reference` dates BSD syslog lines (see SyslogParser).
  explicit LineParser(Timestamp reference = Timestamp::Now());

  void set_reference_time(Timestamp reference);

  // Starts a file or stream whose lines belong together: forgets the Zeek
  // header of the previous one and enables Zeek ASCII log detection, which
  // keeps state across lines and so is off for sources of unrelated lines
  // (a syslog listener) that never call this.
  void BeginStream();

  LogFormat DetectLineFormat(std::string_view line) const;

  // True when the last line parsed was a Zeek header line: it changed the
  // stream's state and gave no event.
  bool last_line_was_header() const { return last_line_was_header_; }

  // Clears `event` and fills it from `line` (without its line ending);
  // `format` receives the detected format, also when parsing fails.
  // `event.origin` is left to the caller.
  Status ParseLine(std::string_view line, Event& event, LogFormat& format);

 private:
  JsonLineParser json_;
  SyslogParser syslog_;
  CefParser cef_;
  KeyValueParser kv_;
  ZeekTsvParser zeek_;
  bool zeek_enabled_ = false;
  bool last_line_was_header_ = false;
};

}  // namespace dv
