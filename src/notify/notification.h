// SPDX-License-Identifier: Apache-2.0
#pragma once

// One notification to one person or endpoint (issue 16, docs/notify.md): the
// message model every channel (e-mail, webhook, SMS) delivers, its
// validation, and the one rendering of it as text that every channel uses,
// so that an e-mail, a webhook and an SMS say the same thing.
//
// The author writes the subject and text in Danish, English or both. The
// rendering always puts the recipient's language first and the other one
// second; the default recipient language is Danish, so the default
// rendering is Danish first, English second. An exercise is marked
// "ØVELSE / EXERCISE" at the start of the subject and as the first line of
// every body. A grouped notification says "og N mere" / "and N more".
//
// Pure functions; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dv::notify {

// The recipient's preferred language (a contact's `language`).
enum class Language { kDa, kEn };

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };

std::string_view LanguageName(Language language);  // "da", "en"
std::string_view SeverityName(Severity severity);  // "info", "low", "medium", "high", "critical"

// The same text in both languages; either may be empty when the author wrote
// only one, not both.
struct Localized {
  std::string da;
  std::string en;
};

// Limits, checked by ValidateNotification.
inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kMaxSubjectBytes = 200;                  // per language, UTF-8
inline constexpr std::size_t kMaxTextBytes = std::size_t{16} * 1024;  // per language, UTF-8
inline constexpr std::size_t kMaxAckUrlBytes = 2048;

// The marker of an exercise, in the subject and on the first line.
inline constexpr std::string_view kExerciseMarker = "ØVELSE / EXERCISE";

struct Notification {
  // Stable id of this notification (the duty chain's), 1-64 of [A-Za-z0-9._-].
  // Receivers use it to recognise a repeated delivery; e-mail puts it in the
  // Message-ID, SMS templates in {id}.
  std::string id;
  Language language = Language::kDa;  // the recipient's, first in the rendering
  Localized subject;                  // one line each, no control characters; at least one language
  Localized text;                     // plain UTF-8, lines separated by "\n"; tabs allowed, no other control characters
  // Where the recipient acknowledges; empty when there is nothing to
  // acknowledge. An http or https URL without spaces or control characters.
  std::string ack_url;
  Severity severity = Severity::kHigh;
  bool exercise = false;
  int more = 0;  // further notifications grouped into this one ("and N more"); >= 0
};

// Checks the limits and forms above. Errors are kInvalidArgument and name the
// field ("subject.da"), never its value.
Status ValidateNotification(const Notification& notification);

// The subject line (no line break): "ØVELSE / EXERCISE: " for an exercise,
// the severity ("[KRITISK/CRITICAL]"), the subjects joined by " / ", and
// " (+N)" when grouped. Expects a valid notification.
std::string RenderSubject(const Notification& notification);

// The full plain-text body, "\n" line ends, for e-mail and webhooks: the
// exercise marker as the first line when set, then one section per language
// present (recipient's first) with severity, subject, text, "og N mere" /
// "and N more" and the acknowledgement link, then the reference (id).
// Expects a valid notification.
std::string RenderBody(const Notification& notification);

// The short text for SMS, at most `max_chars` Unicode code points: the
// exercise marker line, the subject line(s) and the acknowledgement link.
// When it is too long the subjects are shortened (ending in "…") so that the
// marker and the link survive whole; when even those do not fit, the whole
// text is cut at `max_chars` code points. Expects a valid notification.
std::string RenderShortText(const Notification& notification, std::size_t max_chars);

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or
// code points above U+10FFFF).
bool IsValidUtf8(std::string_view text);
// The number of code points in valid UTF-8 `text`.
std::size_t CountCodePoints(std::string_view text);
// The longest prefix of valid UTF-8 `text` with at most `max_chars` code
// points; never splits a code point.
std::string_view TruncateCodePoints(std::string_view text, std::size_t max_chars);

}  // namespace dv::notify
