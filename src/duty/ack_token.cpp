// SPDX-License-Identifier: Apache-2.0
#include "duty/ack_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>
#include <vector>

#include "duty/ids.h"

namespace dv::duty {

namespace {

constexpr std::string_view kVersion = "v1";
constexpr std::string_view kKeyIdLabel = "dv-duty-ack-key-id";
constexpr std::string_view kSignatureLabel = "dv-duty-ack-v1\n";
constexpr std::size_t kKeyIdBytes = 6;
constexpr std::size_t kSignatureBytes = 32;
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using Digest = std::array<unsigned char, kSignatureBytes>;

Digest HmacSha256(std::string_view secret, std::string_view message) {
  Digest digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length);
  return digest;
}

std::string_view AsText(const Digest& digest, std::size_t length) {
  return {reinterpret_cast<const char*>(digest.data()), length};
}

std::string KeyId(std::string_view secret) {
  return Base64UrlEncode(AsText(HmacSha256(secret, kKeyIdLabel), kKeyIdBytes));
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsValidNonce(std::string_view nonce) {
  if (nonce.size() < 16 || nonce.size() > 64) return false;
  for (const char c : nonce) {
    if (kAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool IsValidNotificationId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

Status CheckSecret(std::string_view secret) {
  if (secret.size() < kMinAckSecretBytes) {
    return Error::InvalidArgument("ack token secret is too short: at least " + std::to_string(kMinAckSecretBytes) +
                                  " bytes are needed");
  }
  return Ok();
}

Error Refused(std::string message) { return Error::Unauthorized(std::move(message)); }

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t pos = 0;
  for (; pos + 3 <= bytes.size(); pos += 3) {
    const std::uint32_t group = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[pos])) << 16U) |
                                (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[pos + 1])) << 8U) |
                                static_cast<unsigned char>(bytes[pos + 2]);
    for (const unsigned shift : {18U, 12U, 6U, 0U}) out += kAlphabet[(group >> shift) & 0x3FU];
  }
  const std::size_t rest = bytes.size() - pos;
  if (rest > 0) {
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[pos])) << 16U;
    if (rest == 2) group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[pos + 1])) << 8U;
    out += kAlphabet[(group >> 18U) & 0x3FU];
    out += kAlphabet[(group >> 12U) & 0x3FU];
    if (rest == 2) out += kAlphabet[(group >> 6U) & 0x3FU];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  unsigned bits = 0;
  for (const char c : text) {
    const std::size_t value = kAlphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6U) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFU);
    }
  }
  // The leftover bits (2 or 4) must be zero, so every byte string has one encoding.
  if ((buffer & ((1U << bits) - 1U)) != 0) return std::nullopt;
  return out;
}

Result<std::string> IssueAckToken(std::string_view secret, const AckClaims& claims) {
  DV_TRY(CheckSecret(secret));
  if (!IsValidNotificationId(claims.notification_id)) {
    return Error::InvalidArgument("ack token: notification id must be 1–128 printable ASCII characters");
  }
  if (!IsValidId(claims.participant)) {
    return Error::InvalidArgument("ack token: " + Quoted(claims.participant) + " is not a participant id");
  }
  if (!IsValidNonce(claims.nonce)) {
    return Error::InvalidArgument("ack token: the nonce must be 16–64 characters of [A-Za-z0-9_-]");
  }
  const std::string body = claims.notification_id + "\n" + claims.participant + "\n" +
                           std::to_string(claims.expires_at.unix_ms()) + "\n" + claims.nonce;
  const std::string signed_part = KeyId(secret) + "." + Base64UrlEncode(body);
  const Digest signature = HmacSha256(secret, std::string(kSignatureLabel) + signed_part);
  return std::string(kVersion) + "." + signed_part + "." + Base64UrlEncode(AsText(signature, kSignatureBytes));
}

Result<AckClaims> VerifyAckToken(std::string_view secret, std::string_view token, Timestamp now) {
  DV_TRY(CheckSecret(secret));
  if (token.size() > kMaxAckTokenBytes) return Refused("ack token is malformed");
  const std::vector<std::string_view> parts = Split(token, '.');
  if (parts.size() > 4 || parts[0] != kVersion) return Refused("ack token is malformed");
  // 32 bytes are 43 characters of unpadded base64.
  constexpr std::size_t kSignatureChars = (kSignatureBytes * 4 + 2) / 3;
  if (parts.size() < 4 || parts[3].size() < kSignatureChars) return Refused("ack token is truncated");
  const auto key_id = Base64UrlDecode(parts[1]);
  const auto body = Base64UrlDecode(parts[2]);
  const auto signature = Base64UrlDecode(parts[3]);
  if (!key_id || !body || !signature || key_id->size() != kKeyIdBytes || signature->size() != kSignatureBytes) {
    return Refused("ack token is malformed");
  }
  if (!ConstantTimeEqual(parts[1], KeyId(secret))) return Refused("ack token was signed with another key");

  const std::string signed_part = std::string(parts[1]) + "." + std::string(parts[2]);
  const Digest expected = HmacSha256(secret, std::string(kSignatureLabel) + signed_part);
  if (!ConstantTimeEqual(*signature, AsText(expected, kSignatureBytes))) {
    return Refused("ack token signature does not match");
  }

  // Genuine from here on: the claims were written by IssueAckToken.
  const std::vector<std::string_view> fields = Split(*body, '\n');
  if (fields.size() != 4) return Refused("ack token is malformed");
  AckClaims claims;
  claims.notification_id = std::string(fields[0]);
  claims.participant = std::string(fields[1]);
  claims.nonce = std::string(fields[3]);
  std::int64_t expires_ms = 0;
  const auto [end, error] = std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), expires_ms);
  if (error != std::errc() || end != fields[2].data() + fields[2].size()) return Refused("ack token is malformed");
  claims.expires_at = Timestamp(expires_ms);
  if (now >= claims.expires_at) return Refused("ack token expired at " + claims.expires_at.ToRfc3339());
  return claims;
}

}  // namespace dv::duty
