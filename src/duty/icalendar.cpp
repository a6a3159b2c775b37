// SPDX-License-Identifier: Apache-2.0
#include "duty/icalendar.h"

#include <cstdio>
#include <ctime>

#include "core/uuid.h"
#include "duty/json_read.h"

namespace dv::duty {

namespace {

constexpr std::size_t kMaxLineOctets = 75;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

// The byte length of the valid UTF-8 sequence at `pos`, or 0.
std::size_t Utf8SequenceAt(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
  } else if (lead >= 0x80) {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  return internal::IsValidUtf8(text.substr(pos, length)) ? length : 0;
}

std::string UtcDateTime(Timestamp at) {
  const auto seconds = static_cast<std::time_t>(at.unix_ms() / 1000 - (at.unix_ms() % 1000 < 0 ? 1 : 0));
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                parts.tm_hour, parts.tm_min, parts.tm_sec);
  return text;
}

std::string Uid(const CalendarOptions& options, const Shift& shift) {
  const std::string& scope = options.calendar_id.empty() ? options.name : options.calendar_id;
  const std::string name = "duty-shift\n" + scope + "\n" + shift.source.Name() + "\n" + shift.participant + "\n" +
                           std::to_string(shift.start.unix_ms());
  return Uuid::V5(DannevirkeNamespace(), name).ToString() + "@dannevirke.dk";
}

void AppendProperty(std::string& out, std::string_view name, std::string_view value) {
  out += FoldIcalLine(std::string(name) + ":" + std::string(value));
}

std::string Render(const std::vector<Shift>& shifts, const CalendarOptions& options, const Rota* rota) {
  std::string out;
  AppendProperty(out, "BEGIN", "VCALENDAR");
  AppendProperty(out, "VERSION", "2.0");
  AppendProperty(out, "PRODID", "-//Dannevirke//Duty rota//EN");
  AppendProperty(out, "CALSCALE", "GREGORIAN");
  AppendProperty(out, "METHOD", "PUBLISH");
  if (!options.name.empty()) AppendProperty(out, "X-WR-CALNAME", EscapeIcalText(options.name));
  const std::string stamp = UtcDateTime(options.stamp);
  for (const Shift& shift : shifts) {
    const std::string label = options.label ? options.label(shift.participant) : shift.participant;
    std::string description = "Kilde: " + shift.source.Name();
    if (rota != nullptr && shift.source.kind == ShiftSource::Kind::kLayer &&
        shift.source.index < static_cast<int>(rota->layers.size()) && !rota->layers[shift.source.index].name.empty()) {
      description += " (" + rota->layers[shift.source.index].name + ")";
    }
    if (!options.name.empty()) description = "Vagtplan: " + options.name + "\n" + description;
    AppendProperty(out, "BEGIN", "VEVENT");
    AppendProperty(out, "UID", Uid(options, shift));
    AppendProperty(out, "DTSTAMP", stamp);
    AppendProperty(out, "DTSTART", UtcDateTime(shift.start));
    AppendProperty(out, "DTEND", UtcDateTime(shift.end));
    AppendProperty(out, "SUMMARY", EscapeIcalText("Vagt: " + label));
    AppendProperty(out, "DESCRIPTION", EscapeIcalText(description));
    AppendProperty(out, "END", "VEVENT");
  }
  AppendProperty(out, "END", "VCALENDAR");
  return out;
}

}  // namespace

std::string EscapeIcalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const char c = text[pos];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        // CRLF and a lone CR are one line break.
        out += "\\n";
        if (pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
        break;
      default: {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
          if (byte >= 0x20 && byte != 0x7f) out += c;  // other controls are not allowed in TEXT
          break;
        }
        const std::size_t length = Utf8SequenceAt(text, pos);
        if (length == 0) {
          out += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no valid sequence
          break;
        }
        out.append(text.substr(pos, length));
        pos += length;
        continue;
      }
    }
    ++pos;
  }
  return out;
}

std::string FoldIcalLine(std::string_view line) {
  std::string out;
  std::size_t limit = kMaxLineOctets;
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && IsContinuationByte(line[cut])) --cut;
    if (cut == 0) cut = limit;  // not UTF-8 at all: cut anywhere rather than loop
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;  // the leading space counts
  }
  out.append(line);
  out += "\r\n";
  return out;
}

std::string ToICalendar(const std::vector<Shift>& shifts, const CalendarOptions& options) {
  return Render(shifts, options, nullptr);
}

std::string ToICalendar(const Rota& rota, Timestamp from, Timestamp to, const CalendarOptions& options) {
  return Render(Shifts(rota, from, to), options, &rota);
}

}  // namespace dv::duty
