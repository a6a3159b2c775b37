// SPDX-License-Identifier: Apache-2.0
#include "ingest/syslog_parser.h"

#include <charconv>
#include <string>

#include "ingest/log_time.h"

namespace dv {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The text up to the next space (or the end); `rest` moves past one space.
std::string_view NextWord(std::string_view& rest) {
  const std::size_t space = rest.find(' ');
  const std::string_view word = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  return word;
}

std::string_view Nil(std::string_view word) { return word == "-" ? std::string_view() : word; }

constexpr std::string_view kBom = "\xEF\xBB\xBF";

Error SdError(std::size_t pos, std::string_view why) {
  return Error::Parse("structured data at byte " + std::to_string(pos) + ": " + std::string(why));
}

// 3164 after the timestamp: "[HOSTNAME ]TAG[PID]: CONTENT", or just content.
void SplitBsdBody(std::string_view rest, SyslogHeader& header) {
  constexpr std::string_view kCef = "CEF:";  // a CEF message has no tag
  if (rest.starts_with(kCef)) {
    header.message = rest;
    return;
  }
  std::string_view probe = rest;
  const std::string_view first = NextWord(probe);
  const bool first_is_tag = !first.empty() && (first.back() == ':' || first.find('[') != std::string_view::npos);
  if (!first.empty() && !first_is_tag) {
    header.host = first;
    rest = probe;
    if (rest.starts_with(kCef)) {
      header.message = rest;
      return;
    }
  }
  std::size_t pos = 0;
  while (pos < rest.size() && rest[pos] != '[' && rest[pos] != ':' && rest[pos] != ' ') ++pos;
  if (pos == 0 || pos == rest.size() || rest[pos] == ' ') {
    header.message = rest;  // no TAG: the rest is content
    return;
  }
  const std::string_view tag = rest.substr(0, pos);
  std::string_view pid;
  if (rest[pos] == '[') {
    const std::size_t close = rest.find(']', pos);
    if (close == std::string_view::npos) {
      header.message = rest;
      return;
    }
    pid = rest.substr(pos + 1, close - pos - 1);
    pos = close + 1;
    if (pos < rest.size() && rest[pos] == ':') ++pos;
  } else {
    ++pos;  // the ':'
  }
  header.app = tag;
  header.procid = pid;
  if (pos < rest.size() && rest[pos] == ' ') ++pos;
  header.message = rest.substr(pos);
}

}  // namespace

bool SyslogParser::LooksLikeSyslog(std::string_view line) {
  if (line.size() >= 3 && line[0] == '<' && IsDigit(line[1])) {
    for (std::size_t pos = 2; pos < line.size() && pos <= 4; ++pos) {
      if (line[pos] == '>') return true;
      if (!IsDigit(line[pos])) return false;
    }
    return false;
  }
  if (line.size() >= kBsdTimeLength && MonthFromAbbreviation(line) != 0 && line[3] == ' ' && line[6] == ' ' &&
      line[9] == ':' && line[12] == ':') {
    return true;
  }
  // rsyslog's high-precision format: an RFC 3339 time with a zone, then a space.
  const std::size_t space = line.find(' ');
  return space >= 20 && space != std::string_view::npos && IsDigit(line[0]) && line[4] == '-' && line[10] == 'T' &&
         Timestamp::Parse(line.substr(0, space)).ok();
}

Result<SyslogHeader> SyslogParser::ParseHeader(std::string_view line) const {
  SyslogHeader header;
  std::string_view rest = line;
  if (!rest.empty() && rest.front() == '<') {
    std::size_t pos = 1;
    int pri = 0;
    while (pos < rest.size() && pos <= 4 && IsDigit(rest[pos])) pri = pri * 10 + (rest[pos++] - '0');
    if (pos == 1 || pos > 4 || pos >= rest.size() || rest[pos] != '>' || pri > 191) {
      return Error::Parse("bad PRI: want <0> to <191>");
    }
    header.pri = pri;
    rest.remove_prefix(pos + 1);
    if (rest.size() >= 2 && IsDigit(rest[0]) && rest[1] == ' ') {
      if (rest[0] != '1') return Error::Parse("unsupported syslog version " + std::string(1, rest[0]));
      header.rfc5424 = true;
      rest.remove_prefix(2);
    }
  }

  if (header.rfc5424) {
    const std::string_view timestamp = NextWord(rest);
    if (timestamp.empty()) return Error::Parse("RFC 5424 header: missing TIMESTAMP");
    if (timestamp != "-") {
      auto parsed = Timestamp::Parse(timestamp);
      if (!parsed.ok()) return parsed.error().WithContext("RFC 5424 TIMESTAMP");
      header.time = *parsed;
    }
    static constexpr std::string_view kParts[] = {"HOSTNAME", "APP-NAME", "PROCID", "MSGID"};
    std::string_view* targets[] = {&header.host, &header.app, &header.procid, &header.msgid};
    for (std::size_t part_idx = 0; part_idx < 4; ++part_idx) {
      const std::string_view word = NextWord(rest);
      if (word.empty()) return Error::Parse("RFC 5424 header: missing " + std::string(kParts[part_idx]));
      *targets[part_idx] = Nil(word);
    }
    if (rest.empty()) return Error::Parse("RFC 5424 header: missing STRUCTURED-DATA");
    std::size_t pos = 0;
    if (rest.front() == '-') {
      pos = 1;
    } else if (rest.front() == '[') {
      // Find the end of the last SD element; params are checked when added.
      bool in_quotes = false;
      while (pos < rest.size()) {
        const char c = rest[pos];
        if (in_quotes) {
          if (c == '\\')
            ++pos;
          else if (c == '"')
            in_quotes = false;
        } else if (c == '"') {
          in_quotes = true;
        } else if (c == ']') {
          if (pos + 1 >= rest.size() || rest[pos + 1] != '[') {
            ++pos;
            break;
          }
        }
        ++pos;
      }
      if (pos > rest.size() || rest[pos - 1] != ']' || in_quotes) return SdError(pos, "unterminated element");
      header.structured_data = rest.substr(0, pos);
    } else {
      return Error::Parse("RFC 5424 header: STRUCTURED-DATA must be '-' or start with '['");
    }
    if (pos < rest.size()) {
      if (rest[pos] != ' ') return SdError(pos, "want a space before MSG");
      header.message = rest.substr(pos + 1);
      if (header.message.starts_with(kBom)) header.message.remove_prefix(kBom.size());
    }
    return header;
  }

  if (auto bsd_time = ParseBsdTime(rest, reference_)) {
    header.time = bsd_time;
    rest.remove_prefix(kBsdTimeLength);
  } else if (rest.size() > 20 && IsDigit(rest[0]) && rest[4] == '-' && rest[7] == '-') {
    std::string_view after = rest;
    const std::string_view word = NextWord(after);
    if (auto iso_time = ParseLogTime(word)) {
      header.time = iso_time;
      rest = after;
    }
  }
  if (!header.time) {
    if (header.pri < 0) return Error::Parse("not syslog: no PRI and no timestamp");
    header.message = rest;
    return header;
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  SplitBsdBody(rest, header);
  return header;
}

Status SyslogParser::AddHeaderFields(const SyslogHeader& header, Event& event) {
  if (header.pri >= 0) {
    char digits[4];
    const auto facility = std::to_chars(digits, digits + sizeof digits, header.pri / 8);
    event.Add("facility", std::string_view(digits, static_cast<std::size_t>(facility.ptr - digits)));
    const auto severity = std::to_chars(digits, digits + sizeof digits, header.pri % 8);
    event.Add("severity", std::string_view(digits, static_cast<std::size_t>(severity.ptr - digits)));
  }
  if (!header.host.empty()) event.Add("host", header.host);
  if (!header.app.empty()) event.Add("app", header.app);
  if (!header.procid.empty()) event.Add("procid", header.procid);
  if (!header.msgid.empty()) event.Add("msgid", header.msgid);

  const std::string_view sd = header.structured_data;
  std::size_t pos = 0;
  auto is_name_char = [](char c) { return c != ' ' && c != '=' && c != ']' && c != '"'; };
  while (pos < sd.size()) {
    if (sd[pos] != '[') return SdError(pos, "want '['");
    ++pos;
    const std::size_t id_start = pos;
    while (pos < sd.size() && is_name_char(sd[pos])) ++pos;
    if (pos == id_start) return SdError(pos, "empty SD-ID");
    const std::string_view id = sd.substr(id_start, pos - id_start);
    while (true) {
      if (pos >= sd.size()) return SdError(pos, "unterminated element");
      if (sd[pos] == ']') {
        ++pos;
        break;
      }
      if (sd[pos] != ' ') return SdError(pos, "want ' ' or ']'");
      ++pos;
      const std::size_t name_start = pos;
      while (pos < sd.size() && is_name_char(sd[pos])) ++pos;
      if (pos == name_start) return SdError(pos, "empty PARAM-NAME");
      const std::string_view name = sd.substr(name_start, pos - name_start);
      if (pos + 1 >= sd.size() || sd[pos] != '=' || sd[pos + 1] != '"') return SdError(pos, "want '=\"'");
      pos += 2;
      value_scratch_.clear();
      bool closed = false;
      while (pos < sd.size()) {
        const char c = sd[pos++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && pos < sd.size() && (sd[pos] == '"' || sd[pos] == '\\' || sd[pos] == ']')) {
          value_scratch_.push_back(sd[pos++]);
        } else {
          value_scratch_.push_back(c);
        }
      }
      if (!closed) return SdError(pos, "unterminated PARAM-VALUE");
      name_scratch_.assign("sd.");
      name_scratch_.append(id);
      name_scratch_.push_back('.');
      name_scratch_.append(name);
      event.Add(name_scratch_, value_scratch_);
    }
  }
  return Ok();
}

Status SyslogParser::ParseLine(std::string_view line, Event& event) {
  event.Clear();
  auto header = ParseHeader(line);
  if (!header.ok()) return header.error();
  DV_TRY(AddHeaderFields(*header, event));
  if (!header->message.empty()) event.Add("message", header->message);
  event.time = header->time;
  return Ok();
}

}  // namespace dv
