// SPDX-License-Identifier: Apache-2.0
// Webhooks and SMS against a real receiver on loopback
// (testdata/http_receiver.py, Python's http.server, https on a certificate
// made by `openssl req`), which checks the webhook signature with Python's
// hmac; and the server-side request forgery rules under the production
// policy, where a listening socket shows that nothing connected.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>

#include "notify/sms.h"
#include "notify/test_servers.h"
#include "notify/webhook.h"

namespace dv::notify {
namespace {

namespace fs = std::filesystem;
using test::LoopbackServer;

constexpr std::string_view kChannelSecret = "whsec_kolding_2f6c1e0b9a7d";

Notification Alert() {
  Notification notification;
  notification.id = "n-202";
  notification.subject = {"Mistænkelig login: \"admin\" & VPN på Ærø", "Suspicious sign-in: \"admin\" & VPN on Ærø"};
  notification.text = {"Kontoen er låst.\nKvittér venligst.", "The account is locked.\nPlease acknowledge."};
  notification.ack_url = "https://hub.example.dk/ack/n-202";
  notification.severity = Severity::kHigh;
  notification.exercise = true;
  return notification;
}

HttpHeaders HeadersOf(const nlohmann::json& record) {
  HttpHeaders headers;
  for (const auto& header : record["headers"]) headers.emplace_back(header[0], header[1]);
  return headers;
}

class HttpChannels : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(test::kPython, X_OK) != 0) GTEST_SKIP() << test::kPython << " is not installed";
    ASSERT_TRUE(test::MakeSelfSignedCertificate(dir_.path())) << "openssl req failed";
    std::ofstream(dir_.path() / "secret") << kChannelSecret;
  }

  std::unique_ptr<LoopbackServer> Start(bool https) {
    std::vector<std::string> args = {"--secret-file", (dir_.path() / "secret").string()};
    if (https) args.insert(args.end(), {"--cert", Cert(), "--key", (dir_.path() / "key.pem").string()});
    auto server = std::make_unique<LoopbackServer>("http_receiver.py",
                                                   dir_.path() / ("http-" + std::to_string(++servers_)), args);
    EXPECT_NE(server->port(), 0) << server->Log();
    return server;
  }

  // Tests only: the receiver is on loopback.
  HttpPolicy TestPolicy() const {
    HttpPolicy policy;
    policy.allow_loopback_and_private = true;
    policy.ca_file = Cert();
    policy.connect_timeout = std::chrono::seconds(5);
    policy.total_timeout = std::chrono::seconds(10);
    return policy;
  }

  std::string Cert() const { return (dir_.path() / "cert.pem").string(); }
  static std::string Url(const std::string& scheme, int port, const std::string& path) {
    return scheme + "://127.0.0.1:" + std::to_string(port) + path;
  }

  test::TempDir dir_;
  int servers_ = 0;
};

TEST_F(HttpChannels, WebhookArrivesSignedOverHttpsAndVerifies) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  const WebhookSender sender(TestPolicy());
  auto response = sender.Send({Url("https", server->port(), "/ok"), std::string(kChannelSecret)}, Alert());
  ASSERT_TRUE(response.ok()) << response.error().message() << "\n" << server->Log();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");

  const auto requests = server->WaitForRecords("request", 1);
  ASSERT_EQ(requests.size(), 1u);
  const nlohmann::json& request = requests[0];
  EXPECT_EQ(request["method"], "POST");
  EXPECT_EQ(request["signature_ok"], true) << "Python's hmac disagrees with the signature";
  EXPECT_EQ(test::HeaderOf(request, "Content-Type"), "application/json; charset=utf-8");
  const nlohmann::json& body = request["json"];
  EXPECT_EQ(body["id"], "n-202");
  EXPECT_EQ(body["exercise"], true);
  const std::string subject = body["subject"];
  const std::string text = body["text"];
  EXPECT_EQ(subject.rfind("ØVELSE / EXERCISE: [HØJ/HIGH] Mistænkelig login: \"admin\" & VPN på Ærø", 0), 0u);
  EXPECT_EQ(text.substr(0, text.find('\n')), "ØVELSE / EXERCISE");
  EXPECT_NE(text.find("Kvittér her: https://hub.example.dk/ack/n-202"), std::string::npos);
  EXPECT_EQ(body["content"]["en"]["text"], "The account is locked.\nPlease acknowledge.");

  // The receiver's check in C++: fresh is fine, the same delivery later is a replay.
  const HttpHeaders headers = HeadersOf(request);
  const std::string received = request["body"];
  const auto now = std::chrono::system_clock::now();
  EXPECT_TRUE(VerifyWebhook(kChannelSecret, headers, received, now).ok());
  const Status replay = VerifyWebhook(kChannelSecret, headers, received, now + std::chrono::minutes(10));
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().kind(), ErrorKind::kUnauthorized);
  EXPECT_NE(replay.error().message().find("replay window"), std::string::npos);
  EXPECT_FALSE(VerifyWebhook("another-member-secret", headers, received, now).ok());
}

TEST_F(HttpChannels, AHostNameIsResolvedOnceAndPinned) {
  // "localhost" is checked (allowed by the test policy), then libcurl is
  // pinned to the address that was checked; TLS still verifies the name.
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  const std::string url = "https://localhost:" + std::to_string(server->port()) + "/ok";
  auto response = WebhookSender(TestPolicy()).Send({url, std::string(kChannelSecret)}, Alert());
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(server->WaitForRecords("request", 1).at(0)["signature_ok"], true);
}

TEST_F(HttpChannels, WebhookOverHttpOnlyWithTheTestPolicy) {
  auto server = Start(false);
  ASSERT_NE(server->port(), 0);
  auto delivered =
      WebhookSender(TestPolicy()).Send({Url("http", server->port(), "/ok"), std::string(kChannelSecret)}, Alert());
  ASSERT_TRUE(delivered.ok()) << delivered.error().message();
  EXPECT_EQ(server->WaitForRecords("request", 1).at(0)["signature_ok"], true);

  auto refused =
      WebhookSender(HttpPolicy{}).Send({Url("http", server->port(), "/ok"), std::string(kChannelSecret)}, Alert());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(refused.error().message().find("must use https"), std::string::npos);
  EXPECT_EQ(server->Records("request").size(), 1u);
}

TEST_F(HttpChannels, WebhookFailureNamesHostAndStatusButNoSecrets) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  const WebhookSender sender(TestPolicy());
  auto failed =
      sender.Send({Url("https", server->port(), "/fail?token=hook-token-123"), std::string(kChannelSecret)}, Alert());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind(), ErrorKind::kIo);
  const std::string& message = failed.error().message();
  EXPECT_NE(message.find("webhook host 127.0.0.1 port " + std::to_string(server->port()) + " answered HTTP 500"),
            std::string::npos)
      << message;
  for (const std::string& secret :
       {std::string("hook-token-123"), std::string(kChannelSecret), std::string("Mistænkelig"), std::string("/fail")}) {
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
  }
}

TEST_F(HttpChannels, RedirectsAreNotFollowed) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  auto redirected = WebhookSender(TestPolicy())
                        .Send({Url("https", server->port(), "/redirect"), std::string(kChannelSecret)}, Alert());
  ASSERT_FALSE(redirected.ok());
  EXPECT_NE(redirected.error().message().find("answered HTTP 302 (redirects are not followed)"), std::string::npos)
      << redirected.error().message();
  const auto requests = server->WaitForRecords("request", 1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["path"], "/redirect");
}

TEST_F(HttpChannels, TheResponseIsReadOnlyUpToTheCap) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  auto response =
      WebhookSender(TestPolicy()).Send({Url("https", server->port(), "/big"), std::string(kChannelSecret)}, Alert());
  ASSERT_TRUE(response.ok()) << response.error().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->truncated);
  EXPECT_EQ(response->body.size(), 64u * 1024u);
}

TEST_F(HttpChannels, TheTotalTimeoutEndsASlowReceiver) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  HttpPolicy policy = TestPolicy();
  policy.total_timeout = std::chrono::milliseconds(1000);
  const auto start = std::chrono::steady_clock::now();
  auto response =
      WebhookSender(policy).Send({Url("https", server->port(), "/slow"), std::string(kChannelSecret)}, Alert());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().kind(), ErrorKind::kIo);
  EXPECT_NE(response.error().message().find("timed out"), std::string::npos) << response.error().message();
  EXPECT_LT(elapsed, std::chrono::milliseconds(2900));
}

TEST_F(HttpChannels, AnUntrustedCertificateIsATlsFailure) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  HttpPolicy policy = TestPolicy();
  policy.ca_file.clear();  // the system's store does not know the test certificate
  auto response =
      WebhookSender(policy).Send({Url("https", server->port(), "/ok"), std::string(kChannelSecret)}, Alert());
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message().find("TLS failed"), std::string::npos) << response.error().message();
  EXPECT_TRUE(server->Records("request").empty());
}

SmsGatewayConfig Gateway(const std::string& url, HttpPolicy policy) {
  SmsGatewayConfig config;
  config.url_template = url;
  config.headers = {{"Authorization", "Bearer sms-gateway-token"}};
  config.policy = std::move(policy);
  return config;
}

TEST_F(HttpChannels, SmsWithAJsonTemplateArrivesEscapedAndDecodesToTheText) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  SmsGatewayConfig config = Gateway(Url("https", server->port(), "/sms?to={to}&ref={id}"), TestPolicy());
  config.body_template = R"({"recipient":"{to}","message":"{text}","sender":"Dannevirke"})";
  config.content_type = "application/json";
  auto sender = SmsSender::Create(config);
  ASSERT_TRUE(sender.ok()) << sender.error().message();
  auto sent = sender->Send("+4512345678", Alert());
  ASSERT_TRUE(sent.ok()) << sent.error().message();

  const auto requests = server->WaitForRecords("request", 1);
  ASSERT_EQ(requests.size(), 1u);
  const nlohmann::json& request = requests[0];
  const std::string expected = RenderShortText(Alert(), 160);
  ASSERT_NE(expected.find('"'), std::string::npos);
  ASSERT_NE(expected.find('&'), std::string::npos);
  ASSERT_NE(expected.find('\n'), std::string::npos);
  ASSERT_NE(expected.find("Ærø"), std::string::npos);
  EXPECT_EQ(request["json"]["message"], expected);
  EXPECT_EQ(request["json"]["recipient"], "+4512345678");
  EXPECT_EQ(request["json"]["sender"], "Dannevirke");
  EXPECT_EQ(request["query"]["to"][0], "+4512345678");
  EXPECT_EQ(request["query"]["ref"][0], "n-202");
  EXPECT_EQ(test::HeaderOf(request, "Authorization"), "Bearer sms-gateway-token");
}

TEST_F(HttpChannels, SmsWithAFormTemplateArrivesEscapedAndDecodesToTheText) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  SmsGatewayConfig config = Gateway(Url("https", server->port(), "/send"), TestPolicy());
  config.body_template = "to={to}&text={text}&from=Dannevirke";
  config.content_type = "application/x-www-form-urlencoded";
  config.max_chars = 120;
  auto sender = SmsSender::Create(config);
  ASSERT_TRUE(sender.ok()) << sender.error().message();
  ASSERT_TRUE(sender->Send("+4512345678", Alert()).ok());

  const auto requests = server->WaitForRecords("request", 1);
  ASSERT_EQ(requests.size(), 1u);
  const nlohmann::json& form = requests[0]["form"];
  const std::string text = form["text"][0];
  // The English line did not fit in 120 characters; the Danish one did.
  EXPECT_EQ(text, RenderShortText(Alert(), 120));
  EXPECT_EQ(text,
            "ØVELSE / EXERCISE\n[HØJ] Mistænkelig login: \"admin\" & VPN på Ærø\n"
            "Kvittér/Acknowledge: https://hub.example.dk/ack/n-202");
  EXPECT_EQ(form["to"][0], "+4512345678") << "a '+' must arrive as '+', not as a space";
  EXPECT_EQ(form["from"][0], "Dannevirke");
}

TEST_F(HttpChannels, SmsGatewayErrorStatusIsAFailure) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  SmsGatewayConfig config = Gateway(Url("https", server->port(), "/fail?to={to}&text={text}"), TestPolicy());
  auto sender = SmsSender::Create(config);
  ASSERT_TRUE(sender.ok()) << sender.error().message();
  auto sent = sender->Send("+4512345678", Alert());
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message().find("SMS gateway host 127.0.0.1"), std::string::npos);
  EXPECT_NE(sent.error().message().find("HTTP 500"), std::string::npos);
  EXPECT_EQ(sent.error().message().find("4512345678"), std::string::npos) << sent.error().message();
  EXPECT_EQ(sent.error().message().find("sms-gateway-token"), std::string::npos);
}

// The production policy: every one of these is refused before any
// connection is made; a listening socket on the target port shows nobody
// knocked.
class Ssrf : public ::testing::Test {
 protected:
  static void ExpectRefusedBeforeConnecting(const std::string& url, const test::HeldPort* listener) {
    const WebhookSender sender(HttpPolicy{});
    const auto start = std::chrono::steady_clock::now();
    auto sent = sender.Send({url, std::string(kChannelSecret)}, Alert());
    ASSERT_FALSE(sent.ok()) << url;
    EXPECT_EQ(sent.error().kind(), ErrorKind::kForbidden) << url << ": " << sent.error().message();
    EXPECT_NE(sent.error().message().find("notifications go only to public addresses"), std::string::npos)
        << sent.error().message();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << "it must not try to connect";
    if (listener != nullptr) {
      EXPECT_FALSE(listener->HasPendingConnection()) << url;
    }
  }
};

TEST_F(Ssrf, LoopbackIpv4IsRefused) {
  test::HeldPort listener(false, true);
  ASSERT_NE(listener.port(), 0);
  const std::string port = std::to_string(listener.port());
  ExpectRefusedBeforeConnecting("https://127.0.0.1:" + port + "/hook", &listener);
  // Other spellings of the same address.
  ExpectRefusedBeforeConnecting("https://2130706433:" + port + "/hook", &listener);
  ExpectRefusedBeforeConnecting("https://0x7f.0.0.1:" + port + "/hook", &listener);
  ExpectRefusedBeforeConnecting("https://127.1:" + port + "/hook", &listener);
  ExpectRefusedBeforeConnecting("https://[::ffff:127.0.0.1]:" + port + "/hook", &listener);
}

TEST_F(Ssrf, LoopbackIpv6IsRefused) {
  test::HeldPort listener(true, true);
  if (listener.port() == 0) GTEST_SKIP() << "no IPv6 loopback here";
  ExpectRefusedBeforeConnecting("https://[::1]:" + std::to_string(listener.port()) + "/hook", &listener);
}

TEST_F(Ssrf, ANameThatResolvesToLoopbackIsRefused) {
  test::HeldPort listener(false, true);
  ASSERT_NE(listener.port(), 0);
  ExpectRefusedBeforeConnecting("https://localhost:" + std::to_string(listener.port()) + "/hook", &listener);
  ExpectRefusedBeforeConnecting("https://LocalHost:" + std::to_string(listener.port()) + "/hook", &listener);
}

TEST_F(Ssrf, PrivateLinkLocalAndOtherNonPublicAddressesAreRefused) {
  for (const char* url :
       {"https://10.0.0.1/hook", "https://192.168.1.1/hook", "https://172.16.0.1/hook", "https://100.64.0.1/hook",
        "https://169.254.169.254/latest/meta-data/", "https://0.0.0.0/hook", "https://[fd00::1]/hook",
        "https://[fe80::1]/hook", "https://224.0.0.1/hook", "https://255.255.255.255/hook", "https://192.0.2.1/hook",
        "https://[64:ff9b::a00:1]/hook", "https://[2002:7f00:1::1]/hook"}) {
    ExpectRefusedBeforeConnecting(url, nullptr);
  }
}

TEST_F(Ssrf, SmsGatewaysFollowTheSameRules) {
  test::HeldPort listener(false, true);
  ASSERT_NE(listener.port(), 0);
  SmsGatewayConfig config;
  config.url_template = "https://127.0.0.1:" + std::to_string(listener.port()) + "/send?to={to}&text={text}";
  auto sender = SmsSender::Create(config);
  ASSERT_TRUE(sender.ok()) << sender.error().message();
  auto sent = sender->Send("+4512345678", Alert());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().kind(), ErrorKind::kForbidden) << sent.error().message();
  EXPECT_FALSE(listener.HasPendingConnection());
}

}  // namespace
}  // namespace dv::notify
