// SPDX-License-Identifier: Apache-2.0
// SMS gateway templates without a network: configuration checks, and each
// placeholder escaped for where it stands.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "notify/sms.h"

namespace dv::notify {
namespace {

Notification Tricky() {
  Notification notification;
  notification.id = "n-9";
  notification.subject = {"Blåt lys & \"rødt\" flag", ""};
  notification.ack_url = "https://hub.example.dk/ack/n-9?x=1&y=2";
  notification.severity = Severity::kCritical;
  notification.exercise = true;  // the marker line gives the text a newline
  return notification;
}

SmsGatewayConfig JsonGateway() {
  SmsGatewayConfig config;
  config.url_template = "https://sms.example/v1/send?ref={id}";
  config.headers = {{"Authorization", "Bearer gateway-token"}};
  config.body_template = R"({"recipient":"{to}","message":"{text}","options":{"flash":false}})";
  config.content_type = "application/json";
  return config;
}

TEST(SmsEncoding, PercentAndFormEncoding) {
  EXPECT_EQ(PercentEncode("+45 12&34=ø~\n\"/"), "%2B45%2012%2634%3D%C3%B8~%0A%22%2F");
  EXPECT_EQ(FormEncode("+45 12&34=ø~\n\"/"), "%2B45+12%2634%3D%C3%B8%7E%0A%22%2F");
  EXPECT_EQ(PercentEncode("AZaz09-._"), "AZaz09-._");
  // The table in docs/notify.md.
  EXPECT_EQ(PercentEncode("Blåt \"lys\" & +45"), "Bl%C3%A5t%20%22lys%22%20%26%20%2B45");
  EXPECT_EQ(FormEncode("Blåt \"lys\" & +45"), "Bl%C3%A5t+%22lys%22+%26+%2B45");
}

TEST(SmsPhone, OnlyE164) {
  for (const char* good : {"+4512345678", "+12025550123", "+2901234", "+123456789012345"}) {
    EXPECT_TRUE(ValidatePhoneNumber(good).ok()) << good;
  }
  for (const char* bad : {"", "4512345678", "+45 12 34 56 78", "+0451234567", "+451234", "+1234567890123456",
                          "+45-12345678", "++4512345678", "+45123456789a", "0045123456"}) {
    const Status status = ValidatePhoneNumber(bad);
    ASSERT_FALSE(status.ok()) << bad;
    EXPECT_EQ(status.error().message().find(bad[0] == '\0' ? "\x01" : bad), std::string::npos)
        << "the message repeats the number";
  }
}

TEST(SmsTemplate, JsonBodyEscapesQuotesAmpersandsNewlinesAndDanishLetters) {
  auto sender = SmsSender::Create(JsonGateway());
  ASSERT_TRUE(sender.ok()) << sender.error().message();
  auto request = sender->BuildRequest("+4512345678", Tricky());
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->url, "https://sms.example/v1/send?ref=n-9");
  const nlohmann::json body = nlohmann::json::parse(request->body);
  EXPECT_EQ(body["recipient"], "+4512345678");
  EXPECT_EQ(body["message"], RenderShortText(Tricky(), 160));
  EXPECT_EQ(body["message"],
            "ØVELSE / EXERCISE\n[KRITISK] Blåt lys & \"rødt\" flag\n"
            "Kvittér: https://hub.example.dk/ack/n-9?x=1&y=2");
  EXPECT_EQ(body["options"]["flash"], false);
  EXPECT_NE(request->body.find(R"(Blåt lys & \"rødt\" flag)"), std::string::npos) << request->body;
  EXPECT_EQ(request->headers.back(), (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
}

TEST(SmsTemplate, FormBodyAndUrlAreEncodedForTheirPlace) {
  SmsGatewayConfig config;
  config.url_template = "https://sms.example/send/{to}?ref={id}";
  config.body_template = "from=Dannevirke&to={to}&text={text}";
  config.content_type = "application/x-www-form-urlencoded";
  auto sender = SmsSender::Create(config);
  ASSERT_TRUE(sender.ok()) << sender.error().message();
  auto request = sender->BuildRequest("+4512345678", Tricky());
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->url, "https://sms.example/send/%2B4512345678?ref=n-9");
  EXPECT_EQ(request->body, "from=Dannevirke&to=%2B4512345678&text=" + FormEncode(RenderShortText(Tricky(), 160)));
  EXPECT_EQ(request->body.find('"'), std::string::npos);
  EXPECT_EQ(request->body.find('\n'), std::string::npos);
  EXPECT_EQ(request->body.find(' '), std::string::npos);
}

TEST(SmsTemplate, XmlBodyIsEscaped) {
  SmsGatewayConfig config;
  config.url_template = "https://sms.example/xml";
  config.body_template = "<sms><to>{to}</to><text>{text}</text></sms>";
  config.content_type = "text/xml; charset=utf-8";
  auto sender = SmsSender::Create(config);
  ASSERT_TRUE(sender.ok()) << sender.error().message();
  auto request = sender->BuildRequest("+4512345678", Tricky());
  ASSERT_TRUE(request.ok());
  EXPECT_NE(request->body.find("Blåt lys &amp; &quot;rødt&quot; flag"), std::string::npos) << request->body;
}

TEST(SmsTemplate, TextIsCutToMaxCharsAtACharacterBoundary) {
  SmsGatewayConfig config = JsonGateway();
  config.max_chars = 30;
  auto sender = SmsSender::Create(config);
  ASSERT_TRUE(sender.ok());
  Notification notification = Tricky();
  notification.ack_url.clear();
  notification.subject.da = "æøå æøå æøå æøå æøå æøå æøå æøå æøå æøå";
  auto request = sender->BuildRequest("+4512345678", notification);
  ASSERT_TRUE(request.ok());
  const std::string message = nlohmann::json::parse(request->body)["message"];
  EXPECT_EQ(CountCodePoints(message), 30u);
  EXPECT_TRUE(IsValidUtf8(message));
  EXPECT_TRUE(message.ends_with("…")) << message;
}

TEST(SmsTemplate, RefusesABadNumberBeforeBuildingAnything) {
  auto sender = SmsSender::Create(JsonGateway());
  ASSERT_TRUE(sender.ok());
  auto request = sender->BuildRequest("12345678", Tricky());
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(request.error().message().find("E.164"), std::string::npos);
}

TEST(SmsConfig, RefusesWhatCouldGoWrongLater) {
  struct Case {
    const char* name;
    void (*change)(SmsGatewayConfig&);
    const char* message;
  };
  const Case cases[] = {
      {"unknown placeholder", [](SmsGatewayConfig& c) { c.body_template = R"({"to":"{to}","m":"{txt}"})"; },
       "unknown placeholder {txt}"},
      {"placeholder in host", [](SmsGatewayConfig& c) { c.url_template = "https://{id}.sms.example/?t={text}"; },
       "placeholder in its scheme or host"},
      {"placeholder outside a JSON string",
       [](SmsGatewayConfig& c) { c.body_template = R"({"to":{to},"m":"{text}"})"; },
       "placeholders must stand inside string literals"},
      {"GET with a body", [](SmsGatewayConfig& c) { c.method = "GET"; }, "body_template must be empty with GET"},
      {"DELETE", [](SmsGatewayConfig& c) { c.method = "DELETE"; }, "method must be POST, PUT or GET"},
      {"no text", [](SmsGatewayConfig& c) { c.body_template = R"({"to":"{to}"})"; }, "both {to} and {text}"},
      {"content type header", [](SmsGatewayConfig& c) { c.headers.emplace_back("content-type", "text/plain"); },
       "headers must not set content-type"},
      {"header injection",
       [](SmsGatewayConfig& c) {
         c.headers = {{"Authorization", "Bearer x\r\nX-Evil: 1"}};
       },
       "line break or control character"},
      {"header name",
       [](SmsGatewayConfig& c) {
         c.headers = {{"Bad Name", "x"}};
       },
       "invalid name"},
      {"plain text body", [](SmsGatewayConfig& c) { c.content_type = "text/plain"; }, "content_type must be"},
      {"http", [](SmsGatewayConfig& c) { c.url_template = "http://sms.example/send"; }, "must use https"},
      {"credentials in URL", [](SmsGatewayConfig& c) { c.url_template = "https://user:pw@sms.example/"; },
       "must not hold a user name or password"},
      {"max_chars", [](SmsGatewayConfig& c) { c.max_chars = 5; }, "max_chars must be between 20 and 1600"},
  };
  ASSERT_TRUE(SmsSender::Create(JsonGateway()).ok());
  for (const Case& test_case : cases) {
    SmsGatewayConfig config = JsonGateway();
    test_case.change(config);
    auto sender = SmsSender::Create(config);
    ASSERT_FALSE(sender.ok()) << test_case.name;
    EXPECT_EQ(sender.error().kind(), ErrorKind::kInvalidArgument) << test_case.name;
    EXPECT_NE(sender.error().message().find(test_case.message), std::string::npos)
        << test_case.name << ": " << sender.error().message();
    EXPECT_EQ(sender.error().message().find("gateway-token"), std::string::npos) << test_case.name;
  }
  // http is for tests and development, with the policy that allows loopback.
  SmsGatewayConfig dev = JsonGateway();
  dev.url_template = "http://127.0.0.1:9/send";
  dev.policy.allow_loopback_and_private = true;
  EXPECT_TRUE(SmsSender::Create(dev).ok());
}

}  // namespace
}  // namespace dv::notify
