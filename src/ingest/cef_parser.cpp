// SPDX-License-Identifier: Apache-2.0
#include "ingest/cef_parser.h"

#include <array>
#include <charconv>

#include "ingest/log_time.h"

namespace dv {
namespace {

constexpr std::string_view kCef = "CEF:";
constexpr std::array<std::string_view, 7> kHeaderNames = {
    "cef.version",      "cef.device_vendor", "cef.device_product", "cef.device_version",
    "cef.signature_id", "cef.name",          "cef.severity"};

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-' || c == '[' || c == ']';
}

// Where the key of an unescaped '=' at `eq` starts, if the key is preceded by
// a space (or is at `floor`); npos when this '=' is part of a value.
std::size_t KeyStart(std::string_view text, std::size_t eq, std::size_t floor) {
  std::size_t start = eq;
  while (start > floor && IsKeyChar(text[start - 1])) --start;
  if (start == eq) return std::string_view::npos;
  if (start == floor || text[start - 1] == ' ') return start;
  return std::string_view::npos;
}

// CEF's "rt": epoch milliseconds, RFC 3339, or "Mmm dd yyyy hh:mm:ss[.fff]".
std::optional<Timestamp> ParseCefTime(std::string_view text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos && text.size() <= 15) {
    std::int64_t millis = 0;
    std::from_chars(text.data(), text.data() + text.size(), millis);
    return Timestamp(millis);
  }
  if (auto iso = ParseLogTime(text)) return iso;
  // "Nov 26 2026 10:00:00[.123]" → "2026-11-26 10:00:00[.123]"
  const int month = MonthFromAbbreviation(text);
  if (month == 0 || text.size() < 20 || text[3] != ' ' || text[6] != ' ' || text[11] != ' ') return std::nullopt;
  std::array<char, 40> iso_text{};
  const std::string_view clock = text.substr(12);
  if (clock.size() > 20) return std::nullopt;
  std::size_t len = 0;
  auto put = [&](std::string_view part) {
    for (char c : part) iso_text[len++] = c;
  };
  put(text.substr(7, 4));
  iso_text[len++] = '-';
  iso_text[len++] = static_cast<char>('0' + month / 10);
  iso_text[len++] = static_cast<char>('0' + month % 10);
  iso_text[len++] = '-';
  put(text.substr(4, 2));
  iso_text[len++] = ' ';
  put(clock);
  return ParseLogTime(std::string_view(iso_text.data(), len));
}

}  // namespace

bool CefParser::LooksLikeCef(std::string_view line) const {
  if (line.starts_with(kCef)) return true;
  if (!SyslogParser::LooksLikeSyslog(line)) return false;
  auto header = syslog_.ParseHeader(line);
  return header.ok() && header->message.starts_with(kCef);
}

void CefParser::AddUnescaped(std::string_view name, std::string_view raw, bool header, Event& event) {
  if (raw.find('\\') == std::string_view::npos) {
    event.Add(name, raw);
    return;
  }
  scratch_.clear();
  for (std::size_t pos = 0; pos < raw.size(); ++pos) {
    const char c = raw[pos];
    if (c != '\\' || pos + 1 == raw.size()) {
      scratch_.push_back(c);
      continue;
    }
    const char next = raw[pos + 1];
    if (next == '\\' || (header && next == '|') || (!header && next == '=')) {
      scratch_.push_back(next);
      ++pos;
    } else if (!header && next == 'n') {
      scratch_.push_back('\n');
      ++pos;
    } else if (!header && next == 'r') {
      scratch_.push_back('\r');
      ++pos;
    } else {
      scratch_.push_back(c);
    }
  }
  event.Add(name, scratch_);
}

Status CefParser::ParseLine(std::string_view line, Event& event) {
  event.Clear();
  if (line.starts_with(kCef)) return ParseCef(line, event);
  auto header = syslog_.ParseHeader(line);
  if (!header.ok()) return header.error().WithContext("syslog header before CEF");
  if (!header->message.starts_with(kCef)) return Error::Parse("no 'CEF:' after the syslog header");
  DV_TRY(syslog_.AddHeaderFields(*header, event));
  event.time = header->time;
  return ParseCef(header->message, event);
}

Status CefParser::ParseCef(std::string_view cef, Event& event) {
  if (!cef.starts_with(kCef)) return Error::Parse("no 'CEF:' prefix");
  std::size_t pos = kCef.size();
  for (std::size_t part_idx = 0; part_idx < kHeaderNames.size(); ++part_idx) {
    const std::size_t start = pos;
    while (pos < cef.size() && cef[pos] != '|') {
      if (cef[pos] == '\\' && pos + 1 < cef.size()) ++pos;
      ++pos;
    }
    if (pos >= cef.size()) {
      // Severity may end the line when there is no extension at all.
      if (part_idx + 1 != kHeaderNames.size()) {
        return Error::Parse("CEF header: missing " + std::string(kHeaderNames[part_idx + 1].substr(4)));
      }
      AddUnescaped(kHeaderNames[part_idx], cef.substr(start), true, event);
      return Ok();
    }
    AddUnescaped(kHeaderNames[part_idx], cef.substr(start, pos - start), true, event);
    ++pos;  // the '|'
  }
  return ParseExtension(cef.substr(pos), event);
}

Status CefParser::ParseExtension(std::string_view extension, Event& event) {
  const std::size_t first_field = event.size();
  while (!extension.empty() && extension.front() == ' ') extension.remove_prefix(1);
  while (!extension.empty() && (extension.back() == ' ' || extension.back() == '\r')) extension.remove_suffix(1);
  if (extension.empty()) return Ok();

  std::size_t key_start = 0;
  std::size_t eq = 0;
  while (eq < extension.size() && extension[eq] != '=') ++eq;
  if (eq == extension.size() || KeyStart(extension, eq, 0) != 0) {
    return Error::Parse("CEF extension: want key=value at the start");
  }
  while (key_start < extension.size()) {
    const std::string_view key = extension.substr(key_start, eq - key_start);
    const std::size_t value_start = eq + 1;
    std::size_t value_end = extension.size();
    std::size_t next_key = extension.size();
    std::size_t next_eq = extension.size();
    for (std::size_t pos = value_start; pos < extension.size(); ++pos) {
      if (extension[pos] == '\\') {
        ++pos;
        continue;
      }
      if (extension[pos] != '=') continue;
      const std::size_t start = KeyStart(extension, pos, value_start);
      if (start == std::string_view::npos || start == value_start) continue;
      next_key = start;
      next_eq = pos;
      value_end = start - 1;
      break;
    }
    std::string_view value = extension.substr(value_start, value_end - value_start);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    AddUnescaped(key, value, false, event);
    key_start = next_key;
    eq = next_eq;
  }

  // Custom labels: for each "<K>Label" field, a field named by its value
  // holding the value of K. Values are copied out first, as adding a field
  // may move the Event's storage.
  const std::size_t last_field = event.size();
  for (std::size_t label_idx = first_field; label_idx < last_field; ++label_idx) {
    const EventField& label = event.fields()[label_idx];
    if (label.name.size() <= 5 || !label.name.ends_with("Label") || label.value.empty()) continue;
    const std::string_view base = std::string_view(label.name).substr(0, label.name.size() - 5);
    for (std::size_t value_idx = first_field; value_idx < last_field; ++value_idx) {
      if (event.fields()[value_idx].name != base) continue;
      label_scratch_.assign(label.value);
      scratch_.assign(event.fields()[value_idx].value);
      event.Add(label_scratch_, scratch_);
      break;
    }
  }
  if (!event.time) {
    for (std::size_t field_idx = first_field; field_idx < last_field; ++field_idx) {
      if (event.fields()[field_idx].name == "rt") {
        event.time = ParseCefTime(event.fields()[field_idx].value);
        break;
      }
    }
  }
  return Ok();
}

}  // namespace dv
