// SPDX-License-Identifier: Apache-2.0
#pragma once

// Acknowledge tokens: the link in an e-mail or SMS with which the person
// notified acknowledges without logging in (docs/duty.md, "Acknowledge
// tokens").
//
// A token is "v1.<key id>.<claims>.<signature>", each part URL-safe base64
// without padding (RFC 4648 §5), so it can stand in a URL path or query:
//   key id     the first 6 bytes of HMAC-SHA256(secret, "dv-duty-ack-key-id"):
//              names the secret (for rotation) without revealing it;
//   claims     "<notification id>\n<participant>\n<expires_at, Unix ms>\n<nonce>";
//   signature  HMAC-SHA256(secret, "dv-duty-ack-v1\n<key id>.<claims>"), 32 bytes.
// The token binds the notification and the participant; it expires at
// expires_at. Verification compares signatures in constant time
// (CRYPTO_memcmp) and reads the claims only after the signature matched.
//
// Single use is the caller's part: the token carries a nonce, and the
// caller remembers the nonces it has accepted (until their expiry) and
// refuses one seen before. Nothing here keeps state.
//
// Errors never contain the secret, the signature or the claims of a token
// whose signature did not match. Pure; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "core/time.h"

namespace dv::duty {

// A secret shorter than this is refused (kInvalidArgument).
inline constexpr std::size_t kMinAckSecretBytes = 32;
// A token longer than this is refused before it is decoded.
inline constexpr std::size_t kMaxAckTokenBytes = 1024;

struct AckClaims {
  std::string notification_id;  // 1–128 bytes, printable ASCII
  std::string participant;      // an id (ids.h)
  Timestamp expires_at;
  std::string nonce;  // 16–64 characters of [A-Za-z0-9_-]

  friend bool operator==(const AckClaims&, const AckClaims&) = default;
};

// The token for `claims`, or kInvalidArgument when the secret is too short
// or a claim has the wrong form.
Result<std::string> IssueAckToken(std::string_view secret, const AckClaims& claims);
inline Result<std::string> IssueAckToken(std::string_view secret, std::string notification_id, std::string participant,
                                         Timestamp expires_at, std::string nonce) {
  return IssueAckToken(secret,
                       AckClaims{std::move(notification_id), std::move(participant), expires_at, std::move(nonce)});
}

// The claims of a genuine, unexpired token. Every refusal is kUnauthorized,
// with one message per cause:
//   "ack token is malformed"                      not v1.<a>.<b>.<c>, bad base64
//   "ack token is truncated"                      parts or signature characters missing at the end
//   "ack token was signed with another key"       key id differs (wrong or rotated secret)
//   "ack token signature does not match"          altered or forged
//   "ack token expired at <RFC 3339>"             expired (now ≥ expires_at)
// A secret shorter than kMinAckSecretBytes is kInvalidArgument.
Result<AckClaims> VerifyAckToken(std::string_view secret, std::string_view token, Timestamp now);

// URL-safe base64 without padding, and its strict inverse (nullopt for any
// character outside the alphabet, a length of 1 mod 4, or non-zero
// trailing bits, so one byte string has exactly one encoding).
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace dv::duty
