// SPDX-License-Identifier: Apache-2.0
#include "notify/notification.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dv::notify {
namespace {

constexpr std::string_view kEllipsis = "…";

std::string_view SeverityLabel(Severity severity, Language language) {
  const bool da = language == Language::kDa;
  switch (severity) {
    case Severity::kInfo:
      return "INFO";
    case Severity::kLow:
      return da ? "LAV" : "LOW";
    case Severity::kMedium:
      return da ? "MIDDEL" : "MEDIUM";
    case Severity::kHigh:
      return da ? "HØJ" : "HIGH";
    case Severity::kCritical:
      return da ? "KRITISK" : "CRITICAL";
  }
  return "";
}

const std::string& In(const Localized& text, Language language) {
  return language == Language::kDa ? text.da : text.en;
}

// The languages with a subject or text, the recipient's first.
std::vector<Language> LanguagesPresent(const Notification& notification) {
  const Language first = notification.language;
  const Language second = first == Language::kDa ? Language::kEn : Language::kDa;
  std::vector<Language> present;
  for (Language language : {first, second}) {
    if (!In(notification.subject, language).empty() || !In(notification.text, language).empty()) {
      present.push_back(language);
    }
  }
  return present;
}

// "[KRITISK/CRITICAL]" over the languages present, the first one first.
std::string SeverityTag(const Notification& notification, const std::vector<Language>& languages) {
  std::string tag = "[";
  for (std::size_t idx = 0; idx < languages.size(); ++idx) {
    const std::string_view label = SeverityLabel(notification.severity, languages[idx]);
    // INFO is the same word in both languages.
    if (idx > 0 && label == SeverityLabel(notification.severity, languages[0])) continue;
    if (idx > 0) tag += '/';
    tag += label;
  }
  return tag + "]";
}

std::string MoreLine(Language language, int more) {
  return (language == Language::kDa ? "Og " : "And ") + std::to_string(more) +
         (language == Language::kDa ? " mere." : " more.");
}

std::string_view AckLabel(Language language) {
  return language == Language::kDa ? "Kvittér her: " : "Acknowledge here: ";
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// Refuses every C0 control character and DEL, except those in `allowed`.
bool HasControl(std::string_view text, std::string_view allowed) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 || byte == 0x7f) && allowed.find(c) == std::string_view::npos) return true;
  }
  return false;
}

Status ValidateLine(std::string_view field, std::string_view text, std::size_t max_bytes, std::string_view allowed) {
  if (text.size() > max_bytes) {
    return Error::InvalidArgument(std::string(field) + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (!IsValidUtf8(text)) return Error::InvalidArgument(std::string(field) + " is not valid UTF-8");
  if (HasControl(text, allowed)) {
    return Error::InvalidArgument(std::string(field) + " contains a control character" +
                                  (allowed.empty() ? " or line break" : ""));
  }
  return Ok();
}

Status ValidateAckUrl(std::string_view url) {
  if (url.empty()) return Ok();
  if (url.size() > kMaxAckUrlBytes) {
    return Error::InvalidArgument("ack_url is longer than " + std::to_string(kMaxAckUrlBytes) + " bytes");
  }
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    return Error::InvalidArgument("ack_url is not an http or https URL");
  }
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) {
      return Error::InvalidArgument("ack_url contains a character that must be percent-encoded");
    }
  }
  return Ok();
}

}  // namespace

std::string_view LanguageName(Language language) { return language == Language::kDa ? "da" : "en"; }

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "";
}

Status ValidateNotification(const Notification& notification) {
  if (notification.id.empty() || notification.id.size() > kMaxIdLength) {
    return Error::InvalidArgument("id must be 1 to " + std::to_string(kMaxIdLength) + " characters");
  }
  for (char c : notification.id) {
    if (!IsIdChar(c)) return Error::InvalidArgument("id may hold only letters, digits, '.', '_' and '-'");
  }
  if (notification.subject.da.empty() && notification.subject.en.empty()) {
    return Error::InvalidArgument("subject is empty in both languages");
  }
  DV_TRY(ValidateLine("subject.da", notification.subject.da, kMaxSubjectBytes, ""));
  DV_TRY(ValidateLine("subject.en", notification.subject.en, kMaxSubjectBytes, ""));
  DV_TRY(ValidateLine("text.da", notification.text.da, kMaxTextBytes, "\n\t"));
  DV_TRY(ValidateLine("text.en", notification.text.en, kMaxTextBytes, "\n\t"));
  DV_TRY(ValidateAckUrl(notification.ack_url));
  if (notification.more < 0) return Error::InvalidArgument("more is negative");
  return Ok();
}

std::string RenderSubject(const Notification& notification) {
  const std::vector<Language> languages = LanguagesPresent(notification);
  std::string subject;
  if (notification.exercise) subject += std::string(kExerciseMarker) + ": ";
  subject += SeverityTag(notification, languages);
  bool first = true;
  for (Language language : languages) {
    const std::string& line = In(notification.subject, language);
    if (line.empty()) continue;
    subject += first ? " " : " / ";
    subject += line;
    first = false;
  }
  if (notification.more > 0) subject += " (+" + std::to_string(notification.more) + ")";
  return subject;
}

std::string RenderBody(const Notification& notification) {
  std::string body;
  if (notification.exercise) body += std::string(kExerciseMarker) + "\n\n";
  const std::vector<Language> languages = LanguagesPresent(notification);
  for (std::size_t idx = 0; idx < languages.size(); ++idx) {
    const Language language = languages[idx];
    if (idx > 0) body += "\n----\n\n";
    body += SeverityTag(notification, {language});
    if (const std::string& subject = In(notification.subject, language); !subject.empty()) body += " " + subject;
    body += "\n";
    if (const std::string& text = In(notification.text, language); !text.empty()) {
      body += "\n" + text;
      if (!text.ends_with('\n')) body += "\n";
    }
    if (notification.more > 0 || !notification.ack_url.empty()) body += "\n";
    if (notification.more > 0) body += MoreLine(language, notification.more) + "\n";
    if (!notification.ack_url.empty()) body += std::string(AckLabel(language)) + notification.ack_url + "\n";
  }
  body += "\n--\nDannevirke, reference " + notification.id + "\n";
  return body;
}

std::string RenderShortText(const Notification& notification, std::size_t max_chars) {
  const std::vector<Language> languages = LanguagesPresent(notification);
  const std::string head = notification.exercise ? std::string(kExerciseMarker) + "\n" : "";
  std::string tail;
  if (!notification.ack_url.empty()) {
    tail = "\n";
    for (std::size_t idx = 0; idx < languages.size(); ++idx) {
      if (idx > 0) tail += '/';
      const std::string_view label = AckLabel(languages[idx]);
      tail += label.substr(0, label.find(' '));
    }
    tail += ": " + notification.ack_url;
  }
  const std::string suffix = notification.more > 0 ? " (+" + std::to_string(notification.more) + ")" : "";
  struct Line {
    std::string prefix;
    std::string subject;
  };
  std::vector<Line> lines;
  for (Language language : languages) {
    if (In(notification.subject, language).empty()) continue;
    lines.push_back({SeverityTag(notification, {language}) + " ", In(notification.subject, language)});
  }
  if (lines.empty()) lines.push_back({SeverityTag(notification, languages), ""});

  const auto join = [&] {
    std::string text = head;
    for (std::size_t idx = 0; idx < lines.size(); ++idx) {
      if (idx > 0) text += "\n";
      text += lines[idx].prefix + lines[idx].subject + suffix;
    }
    return text + tail;
  };
  std::string text = join();
  if (CountCodePoints(text) <= max_chars) return text;
  // The second language goes first, then the first subject is shortened.
  lines.resize(1);
  text = join();
  if (CountCodePoints(text) <= max_chars) return text;
  const std::size_t fixed = CountCodePoints(text) - CountCodePoints(lines[0].subject);
  if (fixed + 1 + CountCodePoints(kEllipsis) <= max_chars) {
    const std::size_t room = max_chars - fixed - CountCodePoints(kEllipsis);
    lines[0].subject = std::string(TruncateCodePoints(lines[0].subject, room)) + std::string(kEllipsis);
    return join();
  }
  return std::string(TruncateCodePoints(text, max_chars));
}

bool IsValidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      code = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      code = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      code = lead & 0x07u;
    } else {
      return false;
    }
    if (pos + length > text.size()) return false;
    for (std::size_t idx = 1; idx < length; ++idx) {
      const auto next = static_cast<unsigned char>(text[pos + idx]);
      if ((next & 0xc0u) != 0x80u) return false;
      code = (code << 6) | (next & 0x3fu);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    pos += length;
  }
  return true;
}

std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xc0u) != 0x80u) ++count;
  }
  return count;
}

std::string_view TruncateCodePoints(std::string_view text, std::size_t max_chars) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if ((static_cast<unsigned char>(text[pos]) & 0xc0u) != 0x80u) {
      if (count == max_chars) return text.substr(0, pos);
      ++count;
    }
  }
  return text;
}

}  // namespace dv::notify
