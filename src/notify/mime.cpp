// SPDX-License-Identifier: Apache-2.0
#include "notify/mime.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>

#include "notify/notification.h"

namespace dv::notify {
namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";
constexpr std::size_t kMaxLine = 78;
constexpr std::size_t kMaxQpLine = 76;
// RFC 2047 §2: a line holding encoded-words is at most 76 characters.
constexpr std::size_t kMaxEncodedLine = 76;

bool IsAtext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool IsLdh(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

Status RefuseLineBreaks(std::string_view header, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return Error::InvalidArgument(std::string(header) + " contains a line break or NUL");
  }
  return Ok();
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

void AppendHexEscape(std::string& out, unsigned char byte) {
  out += '=';
  out += kUpperHex[byte >> 4];
  out += kUpperHex[byte & 0x0f];
}

// One input line (no line break) as quoted-printable output lines joined by
// soft breaks, without the final CRLF.
void AppendQpLine(std::string& out, std::string_view line) {
  std::string current;
  for (std::size_t pos = 0; pos < line.size(); ++pos) {
    const auto byte = static_cast<unsigned char>(line[pos]);
    const bool last = pos + 1 == line.size();
    std::string token;
    const bool inner_space = (byte == ' ' || byte == '\t') && !last;
    const bool literal = byte > 0x20 && byte < 0x7f && byte != '=' && !(byte == '.' && current.empty());
    if (inner_space || literal) {
      token = static_cast<char>(byte);
    } else {
      AppendHexEscape(token, byte);
    }
    // Room for the token and a soft break's '='.
    if (current.size() + token.size() > kMaxQpLine - 1) {
      out += current + "=\r\n";
      current.clear();
      if (token == ".") token = "=2E";
    }
    current += token;
  }
  out += current;
}

// `text` as RFC 2047 "=?UTF-8?B?…?=" words of whole characters, folded so
// that no line, the first with "<name>: " before it, is longer than 76.
std::string EncodedWords(std::size_t name_length, std::string_view text) {
  std::string out;
  std::size_t line_used = name_length + 2;
  while (!text.empty()) {
    // Whole base64 groups that fit beside the 12 delimiter characters.
    const std::size_t room = kMaxEncodedLine > line_used + 12 ? kMaxEncodedLine - line_used - 12 : 4;
    std::size_t take = std::min(text.size(), std::max<std::size_t>(room / 4, 1) * 3);
    while (take > 1 && take < text.size() && (static_cast<unsigned char>(text[take]) & 0xc0u) == 0x80u) --take;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(0, take)) + "?=";
    text.remove_prefix(take);
    line_used = 1;
  }
  return out;
}

}  // namespace

Status ValidateMailbox(std::string_view address, std::string_view field) {
  const std::string name(field);
  if (address.empty()) return Error::InvalidArgument(name + " is empty");
  if (address.size() > 254) return Error::InvalidArgument(name + " is longer than 254 characters");
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) {
    return Error::InvalidArgument(name + " is not an address of the form local@domain");
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.size() > 64) return Error::InvalidArgument(name + " has a local part longer than 64 characters");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return Error::InvalidArgument(name + " has a misplaced '.' in its local part");
  }
  for (char c : local) {
    if (!IsAtext(c) && c != '.') {
      return Error::InvalidArgument(name + " has a character that is not allowed in its local part");
    }
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::string_view label = domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return Error::InvalidArgument(name + " has an invalid domain");
    }
    for (char c : label) {
      if (!IsLdh(c)) return Error::InvalidArgument(name + " has an invalid domain");
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return Ok();
}

std::string_view MailboxDomain(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

std::string EncodeHeaderText(std::string_view name, std::string_view text) {
  if (IsPrintableAscii(text) && text.find("=?") == std::string_view::npos &&
      name.size() + 2 + text.size() <= kMaxLine) {
    return std::string(text);
  }
  return EncodedWords(name.size(), text);
}

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  while (true) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (end == std::string_view::npos) {
      if (!line.empty()) {
        AppendQpLine(out, line);
        out += "\r\n";
      }
      break;
    }
    AppendQpLine(out, line);
    out += "\r\n";
    text.remove_prefix(end + 1);
  }
  if (out.empty()) out = "\r\n";
  return out;
}

std::string FormatRfc5322Date(std::chrono::system_clock::time_point time) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[utc.tm_wday], utc.tm_mday,
                kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return buffer;
}

Result<std::string> BuildEmailMessage(const EmailHeaders& headers, std::string_view body) {
  DV_TRY(RefuseLineBreaks("From", headers.from));
  DV_TRY(RefuseLineBreaks("From display name", headers.from_name));
  DV_TRY(RefuseLineBreaks("To", headers.to));
  DV_TRY(RefuseLineBreaks("Subject", headers.subject));
  DV_TRY(RefuseLineBreaks("Message-ID", headers.message_id));
  DV_TRY(RefuseLineBreaks("X-Dannevirke-Notification", headers.notification_id));
  DV_TRY(ValidateMailbox(headers.from, "From"));
  DV_TRY(ValidateMailbox(headers.to, "To"));
  if (!IsValidUtf8(headers.subject) || !IsValidUtf8(headers.from_name)) {
    return Error::InvalidArgument("Subject or From display name is not valid UTF-8");
  }
  if (!IsValidUtf8(body)) return Error::InvalidArgument("the body is not valid UTF-8");
  const std::string_view id = headers.message_id;
  if (id.size() < 5 || id.size() > 250 || id.front() != '<' || id.back() != '>' ||
      id.find('@') == std::string_view::npos || !IsPrintableAscii(id) || id.find(' ') != std::string_view::npos) {
    return Error::InvalidArgument("Message-ID is not of the form <unique@domain>");
  }
  if (!IsPrintableAscii(headers.notification_id)) {
    return Error::InvalidArgument("X-Dannevirke-Notification is not printable ASCII");
  }

  std::string from = headers.from;
  if (!headers.from_name.empty()) {
    // A phrase of atoms as it is; anything else (specials, non-ASCII) as
    // encoded-words, which RFC 2047 §5(3) allows in a phrase.
    bool plain = headers.from_name.front() != ' ' && headers.from_name.back() != ' ';
    for (char c : headers.from_name) plain = plain && (IsAtext(c) || c == ' ');
    from = (plain ? headers.from_name : EncodedWords(4, headers.from_name)) + " <" + headers.from + ">";
  }

  std::string message;
  message += "Date: " + FormatRfc5322Date(headers.date) + "\r\n";
  message += "From: " + from + "\r\n";
  message += "To: " + headers.to + "\r\n";
  message += "Subject: " + EncodeHeaderText("Subject", headers.subject) + "\r\n";
  message += "Message-ID: " + headers.message_id + "\r\n";
  if (!headers.notification_id.empty()) {
    message += "X-Dannevirke-Notification: " + headers.notification_id + "\r\n";
  }
  message += "Auto-Submitted: auto-generated\r\n";
  message += "X-Auto-Response-Suppress: All\r\n";
  message += "MIME-Version: 1.0\r\n";
  message += "Content-Type: text/plain; charset=utf-8\r\n";
  message += "Content-Transfer-Encoding: quoted-printable\r\n";
  message += "\r\n";
  message += QuotedPrintable(body);
  return message;
}

}  // namespace dv::notify
