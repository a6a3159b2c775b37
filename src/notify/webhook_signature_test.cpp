// SPDX-License-Identifier: Apache-2.0
// The webhook signature scheme: a vector computed independently (Python's
// hmac), and every way VerifyWebhook refuses a delivery.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "notify/webhook.h"

namespace dv::notify {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr std::string_view kSecret = "whsec_test_0123456789";
constexpr std::int64_t kTime = 1767268800;  // 2026-01-01T12:00:00Z
const std::string kBody = R"({"id":"n-1"})";
// python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test_0123456789",
//   b"1767268800." + b"{\"id\":\"n-1\"}", hashlib.sha256).hexdigest())'
const std::string kSignature = "v1=a0bf35a20eb1dd65e4440619cdd9c44b3e00163e245a47528a0735429fde733a";

system_clock::time_point At(std::int64_t unix_seconds) { return system_clock::time_point(seconds(unix_seconds)); }

HttpHeaders Signed(std::string timestamp, std::string signature) {
  return {{"Content-Type", "application/json"},
          {"X-Dannevirke-Timestamp", std::move(timestamp)},
          {"X-Dannevirke-Signature", std::move(signature)}};
}

void ExpectRefused(const Status& status, const std::string& reason) {
  ASSERT_FALSE(status.ok()) << reason;
  EXPECT_EQ(status.error().kind(), ErrorKind::kUnauthorized);
  EXPECT_NE(status.error().message().find(reason), std::string::npos) << status.error().message();
  EXPECT_EQ(status.error().message().find(kSecret), std::string::npos);
}

TEST(WebhookSignature, MatchesAnIndependentImplementation) {
  EXPECT_EQ(SignWebhook(kSecret, kTime, kBody), kSignature);
  EXPECT_EQ(SignWebhook(kSecret, kTime, ""), "v1=a6df76f8a2ffc8774101fb1510ad6804394e63578eb57488acee48ab28b962b4");
}

TEST(WebhookSignature, VerifiesWithinTheWindowInEitherDirection) {
  const HttpHeaders headers = Signed("1767268800", kSignature);
  EXPECT_TRUE(VerifyWebhook(kSecret, headers, kBody, At(kTime)).ok());
  EXPECT_TRUE(VerifyWebhook(kSecret, headers, kBody, At(kTime + 300)).ok());
  EXPECT_TRUE(VerifyWebhook(kSecret, headers, kBody, At(kTime - 300)).ok());
  // Header names in any case, as HTTP has them.
  const HttpHeaders lower = {{"x-dannevirke-timestamp", "1767268800"}, {"x-dannevirke-signature", kSignature}};
  EXPECT_TRUE(VerifyWebhook(kSecret, lower, kBody, At(kTime)).ok());
}

TEST(WebhookSignature, RefusesAReplayOutsideTheWindow) {
  const HttpHeaders headers = Signed("1767268800", kSignature);
  ExpectRefused(VerifyWebhook(kSecret, headers, kBody, At(kTime + 301)), "outside the 300 s replay window");
  ExpectRefused(VerifyWebhook(kSecret, headers, kBody, At(kTime - 301)), "outside the 300 s replay window");
  ExpectRefused(VerifyWebhook(kSecret, headers, kBody, At(kTime + 61), seconds(60)), "outside the 60 s");
  // A fresh timestamp on an old signature does not match.
  ExpectRefused(VerifyWebhook(kSecret, Signed("1767269800", kSignature), kBody, At(kTime + 1000)), "does not match");
}

TEST(WebhookSignature, RefusesAWrongSecretOrAChangedBody) {
  const HttpHeaders headers = Signed("1767268800", kSignature);
  ExpectRefused(VerifyWebhook("whsec_test_0123456788", headers, kBody, At(kTime)), "does not match");
  ExpectRefused(VerifyWebhook(kSecret, headers, R"({"id":"n-2"})", At(kTime)), "does not match");
  ExpectRefused(VerifyWebhook(kSecret, headers, kBody + " ", At(kTime)), "does not match");
  const Status empty = VerifyWebhook("", headers, kBody, At(kTime));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind(), ErrorKind::kInvalidArgument);
}

TEST(WebhookSignature, RefusesBadFormats) {
  std::string upper = kSignature;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad : {upper, "v2=" + kSignature.substr(3), kSignature.substr(3), kSignature + "0",
                                 kSignature.substr(0, kSignature.size() - 1), std::string("v1="),
                                 kSignature + "," + kSignature, " " + kSignature}) {
    ExpectRefused(VerifyWebhook(kSecret, Signed("1767268800", bad), kBody, At(kTime)),
                  "is not of the form v1=<64 lowercase hex digits>");
  }
  for (const char* bad : {"", "-1767268800", "+1767268800", "1767268800.0", "1.7e9", " 1767268800", "0x695662c0",
                          "9999999999999999999999"}) {
    ExpectRefused(VerifyWebhook(kSecret, Signed(bad, kSignature), kBody, At(kTime)),
                  "is not a decimal number of seconds");
  }
}

TEST(WebhookSignature, RefusesMissingOrRepeatedHeaders) {
  ExpectRefused(VerifyWebhook(kSecret, {{"X-Dannevirke-Signature", kSignature}}, kBody, At(kTime)),
                "no X-Dannevirke-Timestamp header");
  ExpectRefused(VerifyWebhook(kSecret, {{"X-Dannevirke-Timestamp", "1767268800"}}, kBody, At(kTime)),
                "no X-Dannevirke-Signature header");
  HttpHeaders twice = Signed("1767268800", kSignature);
  twice.emplace_back("x-dannevirke-signature", kSignature);
  ExpectRefused(VerifyWebhook(kSecret, twice, kBody, At(kTime)), "more than one X-Dannevirke-Signature header");
}

Notification Exercise() {
  Notification notification;
  notification.id = "n-7";
  notification.subject = {"Mistænkelig login fra udlandet", "Suspicious sign-in from abroad"};
  notification.text = {"Tjek kontoen \"admin\" & nulstil.", "Check the \"admin\" account & reset."};
  notification.ack_url = "https://hub.example.dk/ack/n-7";
  notification.exercise = true;
  notification.more = 1;
  return notification;
}

TEST(WebhookRequest, IsSignedJsonWithTheRenderedAndTheStructuredMessage) {
  const WebhookEndpoint endpoint{"https://soc.kolding.example/hooks/dannevirke", std::string(kSecret)};
  auto request = BuildWebhookRequest(endpoint, Exercise(), At(kTime));
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->method, "POST");
  EXPECT_TRUE(VerifyWebhook(kSecret, request->headers, request->body, At(kTime + 5)).ok());
  const nlohmann::json body = nlohmann::json::parse(request->body);
  EXPECT_EQ(body["type"], "dannevirke.notification");
  EXPECT_EQ(body["version"], 1);
  EXPECT_EQ(body["id"], "n-7");
  EXPECT_EQ(body["sent_at"], "2026-01-01T12:00:00.000Z");
  EXPECT_EQ(body["severity"], "high");
  EXPECT_EQ(body["exercise"], true);
  EXPECT_EQ(body["language"], "da");
  EXPECT_EQ(body["more"], 1);
  EXPECT_EQ(body["ack_url"], "https://hub.example.dk/ack/n-7");
  EXPECT_EQ(body["subject"], RenderSubject(Exercise()));
  EXPECT_EQ(body["text"], RenderBody(Exercise()));
  EXPECT_EQ(body["content"]["da"]["text"], "Tjek kontoen \"admin\" & nulstil.");
  EXPECT_EQ(body["content"]["en"]["subject"], "Suspicious sign-in from abroad");
  const std::string subject = body["subject"];
  EXPECT_EQ(subject.rfind("ØVELSE / EXERCISE: ", 0), 0u);

  Notification no_ack = Exercise();
  no_ack.ack_url.clear();
  no_ack.subject.en.clear();
  no_ack.text.en.clear();
  auto plain = BuildWebhookRequest(endpoint, no_ack, At(kTime));
  ASSERT_TRUE(plain.ok());
  const nlohmann::json plain_body = nlohmann::json::parse(plain->body);
  EXPECT_TRUE(plain_body["ack_url"].is_null());
  EXPECT_FALSE(plain_body["content"].contains("en"));
}

TEST(WebhookRequest, RefusesAShortSecretAndAnInvalidNotification) {
  auto short_secret = BuildWebhookRequest({"https://x.example/", "too-short"}, Exercise(), At(kTime));
  ASSERT_FALSE(short_secret.ok());
  EXPECT_NE(short_secret.error().message().find("shorter than 16 bytes"), std::string::npos);
  EXPECT_EQ(short_secret.error().message().find("too-short"), std::string::npos);
  Notification bad = Exercise();
  bad.id.clear();
  EXPECT_FALSE(BuildWebhookRequest({"https://x.example/", std::string(kSecret)}, bad, At(kTime)).ok());
}

}  // namespace
}  // namespace dv::notify
