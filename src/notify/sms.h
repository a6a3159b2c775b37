// SPDX-License-Identifier: Apache-2.0
#pragma once

// SMS through any HTTP gateway (docs/notify.md, "SMS"): the operator
// describes the gateway's request as templates, so that no vendor is built
// in. Placeholders:
//   {to}    the recipient's E.164 number ("+4512345678")
//   {text}  the notification as RenderShortText makes it
//   {id}    the notification's id
// Each is escaped for where it stands: percent-encoded in the URL template
// (RFC 3986: all but A-Z a-z 0-9 - . _ ~); in the body by the content type:
// JSON string escaping (application/json), form encoding
// (application/x-www-form-urlencoded), XML escaping (application/xml,
// text/xml). In a JSON body placeholders stand inside string literals.
// Any other "{name}" of lower-case letters is a configuration error; other
// braces (JSON's) are literal. Placeholders may not stand in the URL's
// scheme or host.
//
// The request goes through SendHttp (http_client.h) with its SSRF
// protections; success is a 2xx answer.
//
// Thread-safe: an SmsSender is immutable; Send uses its own connection per call.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "notify/http_client.h"
#include "notify/notification.h"

namespace dv::notify {

enum class BodyEncoding { kNone, kJson, kForm, kXml };

struct SmsGatewayConfig {
  std::string method = "POST";  // POST, PUT or GET (GET has no body)
  std::string url_template;     // https://gateway.example/send?to={to}
  HttpHeaders headers;          // sent as they are (e.g. Authorization); no placeholders, no Content-Type
  std::string body_template;    // {"to":"{to}","message":"{text}"}; empty: no body
  std::string content_type;     // of the body; decides its escaping (see above)
  std::size_t max_chars = 160;  // of {text}, in Unicode code points; 20..1600
  HttpPolicy policy;
};

// Checks an E.164 number: "+", a non-zero digit, 7 to 15 digits in all.
// kInvalidArgument; the message does not repeat the number.
Status ValidatePhoneNumber(std::string_view phone);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string PercentEncode(std::string_view text);
// application/x-www-form-urlencoded: as PercentEncode, but space as '+'
// and '~' encoded (WHATWG URL standard).
std::string FormEncode(std::string_view text);

class SmsSender {
 public:
  // Checks the configuration: method, templates (known placeholders, none
  // in the scheme or host, {to} and {text} present, a JSON body that is
  // valid JSON for any values), content type, headers, max_chars, and the
  // URL under the policy. kInvalidArgument naming the field.
  static Result<SmsSender> Create(SmsGatewayConfig config);

  // The request for `notification` to `phone` (E.164), without sending it.
  Result<HttpRequest> BuildRequest(std::string_view phone, const Notification& notification) const;

  // Builds and sends the request: errors as BuildRequest's and SendHttp's.
  Result<HttpResponse> Send(std::string_view phone, const Notification& notification) const;

  const SmsGatewayConfig& config() const { return config_; }

 private:
  SmsSender(SmsGatewayConfig config, BodyEncoding encoding) : config_(std::move(config)), encoding_(encoding) {}
  SmsGatewayConfig config_;
  BodyEncoding encoding_;
};

}  // namespace dv::notify
