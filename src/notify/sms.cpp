// SPDX-License-Identifier: Apache-2.0
#include "notify/sms.h"

#include <functional>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace dv::notify {
namespace {

constexpr char kPercentHex[] = "0123456789ABCDEF";
constexpr std::size_t kMinChars = 20;
constexpr std::size_t kMaxChars = 1600;

struct Values {
  std::string_view to;
  std::string_view text;
  std::string_view id;
};

using Escape = std::function<std::string(std::string_view)>;

bool IsUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Expands the placeholders of `text` with escaped values. `field` names the
// template in errors. A '{' that does not start "{letters}" is literal.
Result<std::string> Expand(std::string_view text, const Values& values, const Escape& escape, std::string_view field) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    if (open == std::string_view::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, open - pos);
    std::size_t end = open + 1;
    while (end < text.size() && ((text[end] >= 'a' && text[end] <= 'z') || text[end] == '_')) ++end;
    if (end == open + 1 || end >= text.size() || text[end] != '}') {
      out += '{';
      pos = open + 1;
      continue;
    }
    const std::string_view name = text.substr(open + 1, end - open - 1);
    if (name == "to") {
      out += escape(values.to);
    } else if (name == "text") {
      out += escape(values.text);
    } else if (name == "id") {
      out += escape(values.id);
    } else {
      return Error::InvalidArgument(std::string(field) + " has an unknown placeholder {" + std::string(name) +
                                    "}; known are {to}, {text} and {id}");
    }
    pos = end + 1;
  }
  return out;
}

Result<BodyEncoding> EncodingOf(const SmsGatewayConfig& config) {
  if (config.body_template.empty()) {
    if (!config.content_type.empty()) return Error::InvalidArgument("content_type is set but body_template is empty");
    return BodyEncoding::kNone;
  }
  std::string type = config.content_type.substr(0, config.content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (type == "application/json") return BodyEncoding::kJson;
  if (type == "application/x-www-form-urlencoded") return BodyEncoding::kForm;
  if (type == "application/xml" || type == "text/xml") return BodyEncoding::kXml;
  return Error::InvalidArgument(
      "content_type must be application/json, application/x-www-form-urlencoded, application/xml or text/xml");
}

Escape BodyEscape(BodyEncoding encoding) {
  switch (encoding) {
    case BodyEncoding::kJson:
      return [](std::string_view value) { return JsonEscape(value); };
    case BodyEncoding::kForm:
      return [](std::string_view value) { return FormEncode(value); };
    case BodyEncoding::kXml:
      return [](std::string_view value) { return XmlEscape(value); };
    case BodyEncoding::kNone:
      break;
  }
  return [](std::string_view value) { return std::string(value); };
}

bool Mentions(const SmsGatewayConfig& config, std::string_view placeholder) {
  return config.url_template.find(placeholder) != std::string::npos ||
         config.body_template.find(placeholder) != std::string::npos;
}

}  // namespace

Status ValidatePhoneNumber(std::string_view phone) {
  if (phone.size() < 8 || phone.size() > 16 || phone[0] != '+' || phone[1] < '1' || phone[1] > '9' ||
      phone.find_first_not_of("0123456789", 1) != std::string_view::npos) {
    return Error::InvalidArgument(
        "the phone number is not in E.164 form (+, country code and number: 7 to 15 digits in all)");
  }
  return Ok();
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kPercentHex[byte >> 4];
      out += kPercentHex[byte & 0x0f];
    }
  }
  return out;
}

std::string FormEncode(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ') {
      out += '+';
    } else if (IsUnreserved(c) && c != '~') {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kPercentHex[byte >> 4];
      out += kPercentHex[byte & 0x0f];
    }
  }
  return out;
}

Result<SmsSender> SmsSender::Create(SmsGatewayConfig config) {
  if (config.method != "POST" && config.method != "PUT" && config.method != "GET") {
    return Error::InvalidArgument("method must be POST, PUT or GET");
  }
  if (config.method == "GET" && !config.body_template.empty()) {
    return Error::InvalidArgument("body_template must be empty with GET");
  }
  if (config.max_chars < kMinChars || config.max_chars > kMaxChars) {
    return Error::InvalidArgument("max_chars must be between " + std::to_string(kMinChars) + " and " +
                                  std::to_string(kMaxChars));
  }
  auto encoding = EncodingOf(config);
  if (!encoding.ok()) return encoding.error();
  DV_TRY(CheckHttpHeaders(config.headers, "SMS gateway"));
  DV_TRY(CheckHttpHeaders({{"Content-Type", config.content_type}}, "SMS gateway content_type"));
  for (const auto& header : config.headers) {
    std::string name = header.first;
    for (char& c : name) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (name == "content-type" || name == "content-length" || name == "host") {
      return Error::InvalidArgument("headers must not set " + header.first + "; it follows from the request");
    }
  }
  // The scheme and host are fixed: no value chooses where the request goes.
  const std::size_t authority = config.url_template.find("://");
  const std::size_t path = authority == std::string::npos ? 0 : config.url_template.find_first_of("/?#", authority + 3);
  if (config.url_template.substr(0, path).find('{') != std::string::npos) {
    return Error::InvalidArgument("url_template must not hold a placeholder in its scheme or host");
  }
  // Values with every character that needs escaping.
  const Values sample{"+4512345678", "æøå \"'&<>{}\\\n\t%+=?#/", "sample-1"};
  auto url = Expand(config.url_template, sample, PercentEncode, "url_template");
  if (!url.ok()) return url.error();
  auto target = CheckHttpUrl(*url, config.policy, "SMS gateway");
  if (!target.ok()) return target.error().WithContext("url_template");
  auto body = Expand(config.body_template, sample, BodyEscape(*encoding), "body_template");
  if (!body.ok()) return body.error();
  if (!Mentions(config, "{to}") || !Mentions(config, "{text}")) {
    return Error::InvalidArgument("the URL or body template must hold both {to} and {text}");
  }
  if (*encoding == BodyEncoding::kJson && !nlohmann::json::accept(*body)) {
    return Error::InvalidArgument(
        "body_template is not valid JSON once expanded; placeholders must stand inside string literals");
  }
  return SmsSender(std::move(config), *encoding);
}

Result<HttpRequest> SmsSender::BuildRequest(std::string_view phone, const Notification& notification) const {
  DV_TRY(ValidatePhoneNumber(phone));
  DV_TRY(ValidateNotification(notification));
  const std::string text = RenderShortText(notification, config_.max_chars);
  const Values values{phone, text, notification.id};
  HttpRequest request;
  request.method = config_.method;
  auto url = Expand(config_.url_template, values, PercentEncode, "url_template");
  if (!url.ok()) return url.error();
  request.url = std::move(*url);
  request.headers = config_.headers;
  if (encoding_ != BodyEncoding::kNone) {
    auto body = Expand(config_.body_template, values, BodyEscape(encoding_), "body_template");
    if (!body.ok()) return body.error();
    request.body = std::move(*body);
    request.headers.emplace_back("Content-Type", config_.content_type);
  }
  return request;
}

Result<HttpResponse> SmsSender::Send(std::string_view phone, const Notification& notification) const {
  auto request = BuildRequest(phone, notification);
  if (!request.ok()) return request.error().WithContext("SMS");
  return SendHttp(*request, config_.policy, "SMS gateway");
}

}  // namespace dv::notify
