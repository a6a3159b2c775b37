// SPDX-License-Identifier: Apache-2.0
#pragma once

// Webhooks (docs/notify.md, "Webhook"): a notification POSTed as a JSON
// document to a member's https endpoint, signed so that the receiver can
// tell it came from Dannevirke and is fresh:
//
//   X-Dannevirke-Timestamp: <unix seconds>
//   X-Dannevirke-Signature: v1=<lowercase hex HMAC-SHA256(secret, timestamp + "." + body)>
//
// The secret is shared with the endpoint's owner and never leaves the
// process otherwise: it is not logged, not put in errors, not sent.
// Receivers (and the tests) check a delivery with VerifyWebhook.
//
// Thread-safe: functions are pure except WebhookSender::Send, which is
// const and uses its own connection per call.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "notify/http_client.h"
#include "notify/notification.h"

namespace dv::notify {

inline constexpr std::string_view kTimestampHeader = "X-Dannevirke-Timestamp";
inline constexpr std::string_view kSignatureHeader = "X-Dannevirke-Signature";
inline constexpr std::chrono::seconds kDefaultReplayWindow{300};
inline constexpr std::size_t kMinWebhookSecretBytes = 16;

// "v1=" and the 64 lowercase hex digits of HMAC-SHA256 keyed with `secret`
// over the decimal `unix_seconds`, ".", and `body`.
std::string SignWebhook(std::string_view secret, std::int64_t unix_seconds, std::string_view body);

// Checks a received delivery: exactly one timestamp header of decimal
// digits, within `window` of `now` in either direction, and exactly one
// signature header "v1=<64 lowercase hex>" equal (compared in constant time)
// to SignWebhook(secret, timestamp, body). Header names are matched without
// regard to case. kUnauthorized saying which check failed; kInvalidArgument
// for an empty secret. A receiver should also remember the notification ids
// it has seen within the window, as a signed delivery can be sent again.
Status VerifyWebhook(std::string_view secret, const HttpHeaders& headers, std::string_view body,
                     std::chrono::system_clock::time_point now, std::chrono::seconds window = kDefaultReplayWindow);

// The JSON document a webhook receives (docs/notify.md): the rendered
// subject and text (with the exercise marker), the structured fields, and
// the author's text per language. Expects a valid notification.
std::string WebhookBody(const Notification& notification, std::chrono::system_clock::time_point sent_at);

// One webhook endpoint: where, and the secret shared with its owner.
struct WebhookEndpoint {
  std::string url;     // https (http only under a policy that allows loopback and private addresses)
  std::string secret;  // at least kMinWebhookSecretBytes bytes
};

// The request SendHttp sends for `notification` at `now`: JSON body, content
// type, timestamp and signature headers. kInvalidArgument for an invalid
// notification or a short secret.
Result<HttpRequest> BuildWebhookRequest(const WebhookEndpoint& endpoint, const Notification& notification,
                                        std::chrono::system_clock::time_point now);

class WebhookSender {
 public:
  explicit WebhookSender(HttpPolicy policy) : policy_(std::move(policy)) {}

  // Delivers `notification` to `endpoint`: errors as SendHttp's (success
  // is a 2xx answer), and BuildWebhookRequest's.
  Result<HttpResponse> Send(const WebhookEndpoint& endpoint, const Notification& notification) const;

 private:
  HttpPolicy policy_;
};

}  // namespace dv::notify
