// SPDX-License-Identifier: Apache-2.0
#include "notify/webhook.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <nlohmann/json.hpp>

#include "core/time.h"

namespace dv::notify {
namespace {

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr std::size_t kSignatureHexDigits = 64;
constexpr std::string_view kSignaturePrefix = "v1=";

bool EqualsIgnoringCase(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (std::size_t idx = 0; idx < left.size(); ++idx) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(left[idx]) != lower(right[idx])) return false;
  }
  return true;
}

// The one value of header `name`; kUnauthorized when absent or repeated.
Result<std::string_view> OneHeader(const HttpHeaders& headers, std::string_view name) {
  const std::pair<std::string, std::string>* found = nullptr;
  for (const auto& header : headers) {
    if (!EqualsIgnoringCase(header.first, name)) continue;
    if (found != nullptr) return Error::Unauthorized("more than one " + std::string(name) + " header");
    found = &header;
  }
  if (found == nullptr) return Error::Unauthorized("no " + std::string(name) + " header");
  return std::string_view(found->second);
}

// "v1=" and the hex HMAC-SHA256 of "<timestamp>.<body>".
std::string SignatureOf(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + 1 + body.size());
  message += timestamp;
  message += '.';
  message += body;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length);
  std::string signature(kSignaturePrefix);
  for (unsigned int byte_idx = 0; byte_idx < length; ++byte_idx) {
    signature += kLowerHex[digest[byte_idx] >> 4];
    signature += kLowerHex[digest[byte_idx] & 0x0f];
  }
  return signature;
}

}  // namespace

std::string SignWebhook(std::string_view secret, std::int64_t unix_seconds, std::string_view body) {
  return SignatureOf(secret, std::to_string(unix_seconds), body);
}

Status VerifyWebhook(std::string_view secret, const HttpHeaders& headers, std::string_view body,
                     std::chrono::system_clock::time_point now, std::chrono::seconds window) {
  if (secret.empty()) return Error::InvalidArgument("the webhook secret is empty");
  auto timestamp_text = OneHeader(headers, kTimestampHeader);
  if (!timestamp_text.ok()) return timestamp_text.error();
  auto signature = OneHeader(headers, kSignatureHeader);
  if (!signature.ok()) return signature.error();

  // At most 18 digits: no overflow, and far beyond any real clock.
  const std::string_view digits = *timestamp_text;
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Error::Unauthorized(std::string(kTimestampHeader) + " is not a decimal number of seconds");
  }
  std::int64_t timestamp = 0;
  for (char digit : digits) timestamp = timestamp * 10 + (digit - '0');
  const std::int64_t now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t skew = timestamp > now_seconds ? timestamp - now_seconds : now_seconds - timestamp;
  if (skew > window.count()) {
    return Error::Unauthorized(std::string(kTimestampHeader) + " is " + std::to_string(skew) +
                               " s away from now, outside the " + std::to_string(window.count()) + " s replay window");
  }

  const std::string_view given = *signature;
  if (given.size() != kSignaturePrefix.size() + kSignatureHexDigits || !given.starts_with(kSignaturePrefix) ||
      given.find_first_not_of("0123456789abcdef", kSignaturePrefix.size()) != std::string_view::npos) {
    return Error::Unauthorized(std::string(kSignatureHeader) + " is not of the form v1=<64 lowercase hex digits>");
  }
  // Over the decimal text as received: the sender signed exactly that.
  const std::string expected = SignatureOf(secret, digits, body);
  if (CRYPTO_memcmp(expected.data(), given.data(), expected.size()) != 0) {
    return Error::Unauthorized(std::string(kSignatureHeader) + " does not match the body and timestamp");
  }
  return Ok();
}

std::string WebhookBody(const Notification& notification, std::chrono::system_clock::time_point sent_at) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(sent_at.time_since_epoch()).count();
  nlohmann::ordered_json body;
  body["type"] = "dannevirke.notification";
  body["version"] = 1;
  body["id"] = notification.id;
  body["sent_at"] = Timestamp(ms).ToRfc3339();
  body["severity"] = SeverityName(notification.severity);
  body["exercise"] = notification.exercise;
  body["language"] = LanguageName(notification.language);
  body["more"] = notification.more;
  body["ack_url"] =
      notification.ack_url.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(notification.ack_url);
  body["subject"] = RenderSubject(notification);
  body["text"] = RenderBody(notification);
  nlohmann::ordered_json content = nlohmann::ordered_json::object();
  for (Language language : {Language::kDa, Language::kEn}) {
    const std::string& subject = language == Language::kDa ? notification.subject.da : notification.subject.en;
    const std::string& text = language == Language::kDa ? notification.text.da : notification.text.en;
    if (subject.empty() && text.empty()) continue;
    content[std::string(LanguageName(language))] = {{"subject", subject}, {"text", text}};
  }
  body["content"] = std::move(content);
  return body.dump();
}

Result<HttpRequest> BuildWebhookRequest(const WebhookEndpoint& endpoint, const Notification& notification,
                                        std::chrono::system_clock::time_point now) {
  if (endpoint.secret.size() < kMinWebhookSecretBytes) {
    return Error::InvalidArgument("the webhook secret is shorter than " + std::to_string(kMinWebhookSecretBytes) +
                                  " bytes");
  }
  DV_TRY(ValidateNotification(notification));
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint.url;
  request.body = WebhookBody(notification, now);
  const std::int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  request.headers = {
      {"Content-Type", "application/json; charset=utf-8"},
      {std::string(kTimestampHeader), std::to_string(seconds)},
      {std::string(kSignatureHeader), SignWebhook(endpoint.secret, seconds, request.body)},
  };
  return request;
}

Result<HttpResponse> WebhookSender::Send(const WebhookEndpoint& endpoint, const Notification& notification) const {
  auto request = BuildWebhookRequest(endpoint, notification, std::chrono::system_clock::now());
  if (!request.ok()) return request.error().WithContext("webhook");
  return SendHttp(*request, policy_, "webhook");
}

}  // namespace dv::notify
