// SPDX-License-Identifier: Apache-2.0
// E-mail against a real SMTP server on loopback: Debian's aiosmtpd
// (testdata/smtp_server.py) with STARTTLS on a certificate made for the
// test by `openssl req`. What arrives is decoded by Python's email package,
// not by our code. Skipped where python3-aiosmtpd is not installed.

#include "notify/email.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "notify/test_servers.h"

namespace dv::notify {
namespace {

namespace fs = std::filesystem;
using test::LoopbackServer;

Notification Drill() {
  Notification notification;
  notification.id = "n-101";
  notification.subject = {"Ransomware hos Kolding Kommune – handling påkrævet",
                          "Ransomware at Kolding Municipality – action required"};
  notification.text = {"Krypterede filer på filserveren FS01.\nRing til vagthavende på 70 20 00 00.",
                       "Encrypted files on file server FS01.\nCall the duty officer on +45 70 20 00 00."};
  notification.ack_url = "https://hub.example.dk/ack/n-101?token=abc";
  notification.severity = Severity::kCritical;
  notification.exercise = true;
  notification.more = 2;
  return notification;
}

std::vector<std::string> Events(const LoopbackServer& server) {
  std::ifstream in(server.dir() / "events.jsonl");
  std::vector<std::string> events;
  for (std::string line; std::getline(in, line);) events.push_back(line);
  return events;
}

class Email : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::PythonHasModule("aiosmtpd")) {
      GTEST_SKIP() << "Debian's python3-aiosmtpd is not installed (/usr/bin/python3 cannot import aiosmtpd)";
    }
    ASSERT_TRUE(test::MakeSelfSignedCertificate(dir_.path())) << "openssl req failed";
  }

  // A server with STARTTLS (required before MAIL), or without any TLS.
  std::unique_ptr<LoopbackServer> Start(bool starttls, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = std::move(extra);
    if (starttls) {
      args.insert(args.end(), {"--cert", Cert(), "--key", (dir_.path() / "key.pem").string()});
    }
    auto server =
        std::make_unique<LoopbackServer>("smtp_server.py", dir_.path() / ("smtp-" + std::to_string(++servers_)), args);
    EXPECT_NE(server->port(), 0) << server->Log();
    return server;
  }

  SmtpConfig Config(int port) const {
    SmtpConfig config;
    config.url = "smtp://127.0.0.1:" + std::to_string(port);
    config.from = "vagt@dannevirke.example";
    config.ca_file = Cert();
    config.connect_timeout = std::chrono::seconds(5);
    config.total_timeout = std::chrono::seconds(20);
    return config;
  }

  std::string Cert() const { return (dir_.path() / "cert.pem").string(); }

  test::TempDir dir_;
  int servers_ = 0;
};

TEST_F(Email, ArrivesOverStartTlsWithProperHeadersAndABilingualBody) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  auto sender = EmailSender::Create(Config(server->port()));
  ASSERT_TRUE(sender.ok()) << sender.error().message();
  auto message_id = sender->Send("it-sikkerhed@kolding.example", Drill());
  ASSERT_TRUE(message_id.ok()) << message_id.error().message() << "\n" << server->Log();

  const auto mails = server->WaitForRecords("mail", 1);
  ASSERT_EQ(mails.size(), 1u);
  const nlohmann::json& mail = mails[0];
  EXPECT_TRUE(mail["tls"].get<bool>());
  EXPECT_EQ(mail["mail_from"], "vagt@dannevirke.example");
  EXPECT_EQ(mail["rcpt_tos"], nlohmann::json::array({"it-sikkerhed@kolding.example"}));
  EXPECT_EQ(mail["defects"], nlohmann::json::array()) << mail["raw"];

  // Headers, as Python's email package reads them.
  EXPECT_EQ(mail["subject"], RenderSubject(Drill()));
  EXPECT_EQ(mail["subject"].get<std::string>().rfind("ØVELSE / EXERCISE: [KRITISK/CRITICAL] Ransomware hos", 0), 0u);
  EXPECT_EQ(test::HeaderOf(mail, "Message-ID"), *message_id);
  EXPECT_EQ(message_id->rfind("<n-101.", 0), 0u);
  EXPECT_TRUE(message_id->ends_with("@dannevirke.example>"));
  EXPECT_EQ(test::HeaderOf(mail, "From"), "Dannevirke <vagt@dannevirke.example>");
  EXPECT_EQ(test::HeaderOf(mail, "To"), "it-sikkerhed@kolding.example");
  EXPECT_EQ(test::HeaderOf(mail, "MIME-Version"), "1.0");
  EXPECT_EQ(test::HeaderOf(mail, "Auto-Submitted"), "auto-generated");
  EXPECT_NE(test::HeaderOf(mail, "Date").find(" +0000"), std::string::npos);
  EXPECT_EQ(mail["content_type"], "text/plain");
  EXPECT_EQ(mail["charset"], "utf-8");
  EXPECT_EQ(mail["transfer_encoding"], "quoted-printable");

  // The decoded body: the exercise marker first, Danish then English, the link in both.
  const std::string body = mail["body"];
  EXPECT_EQ(body.substr(0, body.find('\n')), "ØVELSE / EXERCISE");
  const std::size_t danish = body.find("Krypterede filer på filserveren FS01.\nRing til vagthavende");
  const std::size_t english = body.find("Encrypted files on file server FS01.\nCall the duty officer");
  ASSERT_NE(danish, std::string::npos) << body;
  ASSERT_NE(english, std::string::npos) << body;
  EXPECT_LT(danish, english);
  EXPECT_NE(body.find("Kvittér her: https://hub.example.dk/ack/n-101?token=abc\n"), std::string::npos) << body;
  EXPECT_NE(body.find("Acknowledge here: https://hub.example.dk/ack/n-101?token=abc\n"), std::string::npos);
  EXPECT_NE(body.find("Og 2 mere."), std::string::npos);
  EXPECT_EQ(body, RenderBody(Drill()));

  // On the wire: CRLF only, short lines, ASCII only.
  const std::string raw = mail["raw"];
  for (std::size_t pos = raw.find('\n'); pos != std::string::npos; pos = raw.find('\n', pos + 1)) {
    ASSERT_TRUE(pos > 0 && raw[pos - 1] == '\r') << "bare LF at byte " << pos;
  }
  std::istringstream lines(raw);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 79u) << line;  // 78 + '\r'
  for (char c : raw) ASSERT_LT(static_cast<unsigned char>(c), 0x80u);

  // Nothing before STARTTLS: every command the server saw came over TLS.
  for (const std::string& event : Events(*server)) {
    EXPECT_TRUE(nlohmann::json::parse(event)["tls"].get<bool>()) << event;
  }
}

TEST_F(Email, AServerWithoutStartTlsGetsNothing) {
  auto server = Start(false);
  ASSERT_NE(server->port(), 0);
  auto sender = EmailSender::Create(Config(server->port()));
  ASSERT_TRUE(sender.ok());
  auto sent = sender->Send("it-sikkerhed@kolding.example", Drill());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().kind(), ErrorKind::kIo);
  EXPECT_NE(sent.error().message().find("does not offer STARTTLS; nothing was sent in cleartext"), std::string::npos)
      << sent.error().message();
  // Not even the envelope: no MAIL, RCPT or DATA reached the server.
  EXPECT_TRUE(Events(*server).empty());
  EXPECT_TRUE(server->Records("mail").empty());
}

TEST_F(Email, AnUntrustedCertificateFailsBeforeAnythingIsSent) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  SmtpConfig config = Config(server->port());
  // Trusting another certificate than the server's.
  ASSERT_TRUE(fs::create_directories(dir_.path() / "other"));
  ASSERT_TRUE(test::MakeSelfSignedCertificate(dir_.path() / "other"));
  config.ca_file = (dir_.path() / "other" / "cert.pem").string();
  auto sender = EmailSender::Create(config);
  ASSERT_TRUE(sender.ok());
  auto sent = sender->Send("it-sikkerhed@kolding.example", Drill());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().kind(), ErrorKind::kIo);
  EXPECT_NE(sent.error().message().find("TLS"), std::string::npos) << sent.error().message();
  EXPECT_TRUE(Events(*server).empty());

  // The test-only switch skips the check (and still speaks TLS).
  config.insecure_skip_verify = true;
  auto insecure = EmailSender::Create(config);
  ASSERT_TRUE(insecure.ok());
  auto delivered = insecure->Send("it-sikkerhed@kolding.example", Drill());
  ASSERT_TRUE(delivered.ok()) << delivered.error().message();
  const auto mails = server->WaitForRecords("mail", 1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0]["tls"].get<bool>());
}

TEST_F(Email, ARejectedRecipientIsReportedWithTheServersReply) {
  auto server = Start(true, {"--reject-domain", "gone.example"});
  ASSERT_NE(server->port(), 0);
  auto sender = EmailSender::Create(Config(server->port()));
  ASSERT_TRUE(sender.ok());
  auto sent = sender->Send("former@gone.example", Drill());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().kind(), ErrorKind::kIo);
  const std::string& message = sent.error().message();
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(server->port())), std::string::npos) << message;
  EXPECT_NE(message.find("550 5.1.1"), std::string::npos) << message;
  EXPECT_NE(message.find("Recipient address rejected"), std::string::npos) << message;
  EXPECT_EQ(message.find("Krypterede"), std::string::npos) << "the body is never in an error";
  EXPECT_TRUE(server->Records("mail").empty());
}

TEST_F(Email, LogsInOverTlsAndNeverRepeatsThePassword) {
  auto server = Start(true, {"--user", "dannevirke", "--password", "correct horse battery"});
  ASSERT_NE(server->port(), 0);
  SmtpConfig config = Config(server->port());
  config.username = "dannevirke";
  config.password = "correct horse battery";
  auto sender = EmailSender::Create(config);
  ASSERT_TRUE(sender.ok());
  auto sent = sender->Send("it-sikkerhed@kolding.example", Drill());
  ASSERT_TRUE(sent.ok()) << sent.error().message();
  const auto mails = server->WaitForRecords("mail", 1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0]["authenticated"].get<bool>());

  config.password = "wrong horse battery";
  auto wrong = EmailSender::Create(config);
  ASSERT_TRUE(wrong.ok());
  auto refused = wrong->Send("it-sikkerhed@kolding.example", Drill());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kUnauthorized) << refused.error().message();
  EXPECT_EQ(refused.error().message().find("horse"), std::string::npos) << refused.error().message();
  EXPECT_EQ(server->Records("mail").size(), 1u);
}

TEST_F(Email, ConnectionRefusedIsAClearError) {
  test::HeldPort closed(false, false);  // bound, not listening: connections are refused
  ASSERT_NE(closed.port(), 0);
  auto sender = EmailSender::Create(Config(closed.port()));
  ASSERT_TRUE(sender.ok());
  auto sent = sender->Send("it-sikkerhed@kolding.example", Drill());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().kind(), ErrorKind::kIo);
  EXPECT_NE(sent.error().message().find("cannot connect"), std::string::npos) << sent.error().message();
}

TEST_F(Email, RefusesHeaderInjectionBeforeConnecting) {
  auto server = Start(true);
  ASSERT_NE(server->port(), 0);
  auto sender = EmailSender::Create(Config(server->port()));
  ASSERT_TRUE(sender.ok());
  for (const char* to : {"a@kolding.example\r\nBcc: victim@x.example", "a@kolding.example, victim@x.example",
                         "a@kolding.example>\r\nRCPT TO:<victim@x.example"}) {
    auto sent = sender->Send(to, Drill());
    ASSERT_FALSE(sent.ok()) << to;
    EXPECT_EQ(sent.error().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(sent.error().message().find("victim"), std::string::npos);
  }
  EXPECT_TRUE(Events(*server).empty());
}

TEST(EmailConfig, RefusesCleartextSchemesAndMisplacedCredentials) {
  SmtpConfig config;
  config.from = "vagt@dannevirke.example";
  for (const char* url : {"http://mail.example:587", "mail.example:587", "smtp://user:pw@mail.example:587", ""}) {
    config.url = url;
    auto sender = EmailSender::Create(config);
    ASSERT_FALSE(sender.ok()) << url;
    EXPECT_EQ(sender.error().message().find("pw@"), std::string::npos);
  }
  config.url = "smtp://mail.example:587";
  config.from = "not an address";
  EXPECT_FALSE(EmailSender::Create(config).ok());
  config.from = "vagt@dannevirke.example";
  config.password = "secret";
  EXPECT_FALSE(EmailSender::Create(config).ok()) << "a password without a user name";
  config.username = "vagt";
  EXPECT_TRUE(EmailSender::Create(config).ok());
  config.url = "smtps://mail.example:465";
  EXPECT_TRUE(EmailSender::Create(config).ok());
}

}  // namespace
}  // namespace dv::notify
