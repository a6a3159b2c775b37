// SPDX-License-Identifier: Apache-2.0
#include "ingest/line_parser.h"

namespace dv {

std::string_view LogFormatName(LogFormat format) {
  switch (format) {
    case LogFormat::kPlain:
      return "plain";
    case LogFormat::kJsonLines:
      return "jsonl";
    case LogFormat::kSyslog5424:
      return "syslog5424";
    case LogFormat::kSyslog3164:
      return "syslog3164";
    case LogFormat::kCef:
      return "cef";
    case LogFormat::kEvtx:
      return "evtx";
  }
  return "unknown";
}

FileFormat DetectFileFormat(std::string_view head) {
  if (head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b') return FileFormat::kGzip;
  if (head.starts_with(std::string_view("ElfFile\0", 8))) return FileFormat::kEvtx;
  return FileFormat::kText;
}

LineParser::LineParser(Timestamp reference) : syslog_(reference), cef_(reference) {}

void LineParser::set_reference_time(Timestamp reference) {
  syslog_.set_reference_time(reference);
  cef_.set_reference_time(reference);
}

LogFormat LineParser::DetectLineFormat(std::string_view line) const {
  std::size_t first = 0;
  while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
  if (first < line.size() && line[first] == '{') return LogFormat::kJsonLines;
  if (line.starts_with("CEF:")) return LogFormat::kCef;
  if (!SyslogParser::LooksLikeSyslog(line)) return LogFormat::kPlain;
  if (line.find("CEF:") != std::string_view::npos && cef_.LooksLikeCef(line)) return LogFormat::kCef;
  if (line[0] == '<') {
    const std::size_t close = line.find('>');
    if (close + 2 < line.size() && line[close + 1] >= '0' && line[close + 1] <= '9' && line[close + 2] == ' ') {
      return LogFormat::kSyslog5424;
    }
  }
  return LogFormat::kSyslog3164;
}

Status LineParser::ParseLine(std::string_view line, Event& event, LogFormat& format) {
  format = DetectLineFormat(line);
  switch (format) {
    case LogFormat::kJsonLines:
      return json_.ParseLine(line, event);
    case LogFormat::kCef:
      return cef_.ParseLine(line, event);
    case LogFormat::kSyslog5424:
    case LogFormat::kSyslog3164:
      return syslog_.ParseLine(line, event);
    case LogFormat::kPlain:
    case LogFormat::kEvtx:
      break;
  }
  event.Clear();
  event.Add("message", line);
  return Ok();
}

}  // namespace dv
