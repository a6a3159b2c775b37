// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small text helpers shared by every subsystem.

#include <string>
#include <string_view>

namespace dv {

// `text` without leading and trailing ASCII white space (space, tab, CR, LF).
constexpr std::string_view TrimSpace(std::string_view text) {
  constexpr auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// ASCII lower case of one byte, or of every byte of `text`; other bytes
// (UTF-8 included) unchanged. For case-insensitive names that are ASCII by
// their standard (CPE, purl, hash and indicator types); FoldCase for text.
constexpr char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string AsciiLower(std::string_view text);

// The value of one hexadecimal digit (either case), or -1.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lower-cases ASCII and the Latin-1 letters of UTF-8 text (Æ→æ, Ø→ø, Å→å,
// É→é, …) for case-insensitive search of Danish names. Other bytes pass
// through unchanged, so invalid UTF-8 never fails.
std::string FoldForSearch(std::string_view text);

// Unicode-aware simple case folding of UTF-8 text for case-insensitive
// matching: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters map
// to their lower-case forms (İ and other special cases map to their simple
// lower case). Invalid UTF-8 bytes pass through unchanged. A pure-ASCII input
// takes a fast path.
std::string FoldCase(std::string_view text);
// Appends the folded form of `text` to `out` (no allocation when `out` has room).
void AppendFoldedCase(std::string_view text, std::string& out);

// Appends the UTF-8 encoding of code point `cp` (at most U+10FFFF; the
// caller replaces surrogates).
void AppendUtf8(char32_t cp, std::string& out);

// Escapes `text` for XML and HTML text and attribute values (& < > " ').
std::string XmlEscape(std::string_view text);

// The 1-based line of byte `offset` in `text`, for messages that name a place.
std::size_t LineOfOffset(std::string_view text, std::size_t offset);

// The value of `count` decimal digits at `pos`, or -1 when any is not a digit
// or the text is too short.
int ReadDigits(std::string_view text, std::size_t pos, std::size_t count);

// The one JSON string escaper. Escapes exactly as nlohmann::json::dump() does
// (ensure_ascii off): `"` and `\` with a backslash; \b \f \n \r \t by their
// short escapes; every other byte below 0x20 as \u00xx (lower-case hex); all
// other bytes, 0x7f and UTF-8 included, unchanged. Unlike dump(), invalid
// UTF-8 is passed through rather than refused, so callers that may hold
// invalid UTF-8 and must emit valid JSON check it first. Pure, thread-safe.
//
// JsonEscape returns `text` escaped, without quotes; AppendJsonEscaped appends
// the same to `out`; AppendJsonString appends it between double quotes.
std::string JsonEscape(std::string_view text);
void AppendJsonEscaped(std::string& out, std::string_view text);
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace dv
