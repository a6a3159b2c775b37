// SPDX-License-Identifier: Apache-2.0
#include "ingest/line_parser.h"

#include "ingest/network_json.h"

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
    case LogFormat::kKeyValue:
      return "kv";
    case LogFormat::kZeekTsv:
      return "zeek";
  }
  return "unknown";
}

FileFormat DetectFileFormat(std::string_view head) {
  if (head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b') return FileFormat::kGzip;
  if (head.starts_with(std::string_view("ElfFile\0", 8))) return FileFormat::kEvtx;
  if (head.starts_with("\xFF\xFE")) return FileFormat::kUtf16Le;
  if (head.starts_with("\xFE\xFF")) return FileFormat::kUtf16Be;
  if (head.size() >= 4) {
    const auto ascii = [&](std::size_t pos) { return head[pos] > 0 && static_cast<unsigned char>(head[pos]) < 0x80; };
    if (ascii(0) && head[1] == '\0' && ascii(2) && head[3] == '\0') return FileFormat::kUtf16Le;
    if (head[0] == '\0' && ascii(1) && head[2] == '\0' && ascii(3)) return FileFormat::kUtf16Be;
  }
  return FileFormat::kText;
}

LineParser::LineParser(Timestamp reference) : syslog_(reference), cef_(reference), kv_(reference) {}

void LineParser::set_reference_time(Timestamp reference) {
  syslog_.set_reference_time(reference);
  cef_.set_reference_time(reference);
  kv_.set_reference_time(reference);
}

void LineParser::BeginStream() {
  zeek_.Reset();
  zeek_enabled_ = true;
}

LogFormat LineParser::DetectLineFormat(std::string_view line) const {
  if (zeek_enabled_ && zeek_.Claims(line)) return LogFormat::kZeekTsv;
  std::size_t first = 0;
  while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
  if (first < line.size() && line[first] == '{') return LogFormat::kJsonLines;
  if (line.starts_with("CEF:")) return LogFormat::kCef;
  if (!SyslogParser::LooksLikeSyslog(line)) {
    return kv_.Classify(line) != FirewallVendor::kNone ? LogFormat::kKeyValue : LogFormat::kPlain;
  }
  if (line.find("CEF:") != std::string_view::npos && cef_.LooksLikeCef(line)) return LogFormat::kCef;
  if (kv_.Classify(line) != FirewallVendor::kNone) return LogFormat::kKeyValue;
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
  last_line_was_header_ = false;
  switch (format) {
    case LogFormat::kJsonLines: {
      Status parsed = json_.ParseLine(line, event);
      if (parsed.ok()) CompleteNetworkJson(event);
      return parsed;
    }
    case LogFormat::kKeyValue:
      return kv_.ParseLine(line, event);
    case LogFormat::kZeekTsv:
      return zeek_.ParseLine(line, event, last_line_was_header_);
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
