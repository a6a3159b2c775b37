// SPDX-License-Identifier: Apache-2.0
#pragma once

// The e-mail message itself (internal to notify; email.h sends it): an
// RFC 5322 message with one RFC 2045 text/plain UTF-8 part in
// quoted-printable, non-ASCII header text as RFC 2047 encoded-words, and
// "Auto-Submitted: auto-generated" (RFC 3834) so that vacation responders
// stay silent. CRLF line ends throughout, no line longer than 78 characters
// except an ASCII subject that cannot be folded (at most 998).
//
// Header injection is impossible by construction: every header value is
// checked for CR, LF and NUL before use and refused, and addresses must be
// plain ASCII addr-specs.
//
// Pure functions; thread-safe.

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dv::notify {

// Checks an ASCII addr-spec "local@domain" (RFC 5322 dot-atom local part of
// at most 64 characters; a domain of letter-digit-hyphen labels; at most 254
// in all). Quoted local parts, comments, domain literals and
// internationalised addresses are refused. Errors are kInvalidArgument and
// name `field`, never the value.
Status ValidateMailbox(std::string_view address, std::string_view field);

// The part of a valid addr-spec after the '@'.
std::string_view MailboxDomain(std::string_view address);

// `text` as the value of a header named `name`: as it is when it is
// printable ASCII without "=?" and fits on a 78-character line; otherwise
// as RFC 2047 "=?UTF-8?B?…?=" encoded-words of at most 75 characters, each
// holding whole UTF-8 characters, folded onto continuation lines. Expects
// valid UTF-8 without line breaks.
std::string EncodeHeaderText(std::string_view name, std::string_view text);

// `text` ("\n" or "\r\n" line ends) as quoted-printable (RFC 2045 §6.7) with
// CRLF line ends: lines of at most 76 characters with soft breaks, '=' and
// non-ASCII bytes and control characters as =XX, whitespace before a line
// end encoded, a '.' at the start of a line as =2E. Always ends in CRLF.
std::string QuotedPrintable(std::string_view text);

// "Thu, 01 Jan 2026 12:00:00 +0000" (RFC 5322 §3.3), in UTC, locale-free.
std::string FormatRfc5322Date(std::chrono::system_clock::time_point time);

struct EmailHeaders {
  std::string from;             // addr-spec of the sender
  std::string from_name;        // display name, UTF-8; may be empty
  std::string to;               // addr-spec of the one recipient
  std::string subject;          // UTF-8, one line
  std::string message_id;       // "<unique@domain>"
  std::string notification_id;  // X-Dannevirke-Notification; may be empty
  std::chrono::system_clock::time_point date;
};

// The whole message, headers and quoted-printable `body` (UTF-8, "\n" line
// ends). kInvalidArgument, naming the header, when an address is not a
// valid addr-spec, a value holds CR, LF or NUL, or text is not valid UTF-8.
Result<std::string> BuildEmailMessage(const EmailHeaders& headers, std::string_view body);

}  // namespace dv::notify
