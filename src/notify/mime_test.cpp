// SPDX-License-Identifier: Apache-2.0
// The e-mail message: addresses, RFC 2047 headers, quoted-printable,
// header injection.

#include "notify/mime.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

#include "notify/notification.h"

namespace dv::notify {
namespace {

using std::chrono::system_clock;

std::vector<std::string> SplitCrlf(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// Decodes "=?UTF-8?B?…?=" words separated by folding whitespace.
std::string DecodeWords(const std::string& encoded) {
  std::string out;
  std::size_t pos = 0;
  while ((pos = encoded.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const std::size_t start = pos + 10;
    const std::size_t end = encoded.find("?=", start);
    const std::string base64 = encoded.substr(start, end - start);
    std::string bytes(base64.size(), '\0');
    int length =
        EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                        reinterpret_cast<const unsigned char*>(base64.data()), static_cast<int>(base64.size()));
    if (base64.ends_with("==")) {
      length -= 2;
    } else if (base64.ends_with("=")) {
      length -= 1;
    }
    const std::string word = bytes.substr(0, static_cast<std::size_t>(length));
    EXPECT_TRUE(IsValidUtf8(word)) << "a word splits a character: " << encoded;
    out += word;
    pos = end + 2;
  }
  return out;
}

EmailHeaders Headers() {
  EmailHeaders headers;
  headers.from = "vagt@dannevirke.example";
  headers.from_name = "Dannevirke";
  headers.to = "it-sikkerhed@kolding.example";
  headers.subject = "[KRITISK] Ransomware hos Kolding Kommune";
  headers.message_id = "<n-42.abc@dannevirke.example>";
  headers.notification_id = "n-42";
  headers.date = system_clock::from_time_t(1767268800);  // 2026-01-01T12:00:00Z
  return headers;
}

TEST(Mailbox, AcceptsPlainAddressesOnly) {
  for (const char* good : {"vagt@kolding.dk", "it-sikkerhed@region.example", "a.b+c@x-y.example.org",
                           "o'neil@example.com", "x@localhost"}) {
    EXPECT_TRUE(ValidateMailbox(good, "to").ok()) << good;
  }
  for (const char* bad : {"",        "vagt",     "@kolding.dk",  "vagt@",         "a..b@x.dk", ".a@x.dk",
                          "a.@x.dk", "a b@x.dk", "\"a b\"@x.dk", "a@[127.0.0.1]", "a@-x.dk",   "a@x-.dk",
                          "a@x..dk", "a@x_y.dk", "æble@x.dk",    "a@æble.dk",     "a@b@c.dk",  "a@x.dk\r\nBcc: y@z.dk",
                          "a@x.dk>", "<a@x.dk"}) {
    const Status status = ValidateMailbox(bad, "to");
    ASSERT_FALSE(status.ok()) << bad;
    EXPECT_EQ(status.error().message().rfind("to ", 0), 0u) << status.error().message();
  }
  EXPECT_FALSE(ValidateMailbox(std::string(65, 'a') + "@x.dk", "to").ok());
  EXPECT_FALSE(ValidateMailbox("a@" + std::string(64, 'b') + ".dk", "to").ok());
}

TEST(HeaderText, AsciiStaysAndAnythingElseIsEncodedWordsOfWholeCharacters) {
  EXPECT_EQ(EncodeHeaderText("Subject", "[HIGH] Phishing"), "[HIGH] Phishing");
  // "=?" in plain text would be read as an encoded-word: it is encoded.
  EXPECT_EQ(EncodeHeaderText("Subject", "a =?x?= b").rfind("=?UTF-8?B?", 0), 0u);

  const std::string danish = "ØVELSE / EXERCISE: [KRITISK/CRITICAL] Ransomware hos Kolding Kommune – æøå ÆØÅ";
  const std::string encoded = EncodeHeaderText("Subject", danish);
  EXPECT_EQ(DecodeWords(encoded), danish);
  const std::vector<std::string> lines = SplitCrlf(encoded);
  ASSERT_GT(lines.size(), 1u);
  EXPECT_LE(std::string("Subject: ").size() + lines[0].size(), 76u);
  for (std::size_t line_idx = 1; line_idx < lines.size(); ++line_idx) {
    EXPECT_EQ(lines[line_idx].front(), ' ');
    EXPECT_LE(lines[line_idx].size(), 76u);
  }
  // A long ASCII subject is encoded too rather than run past 78 characters.
  const std::string long_ascii(120, 'x');
  EXPECT_EQ(DecodeWords(EncodeHeaderText("Subject", long_ascii)), long_ascii);
}

TEST(QuotedPrintable, Rfc2045Golden) {
  EXPECT_EQ(QuotedPrintable("Kvittér her: https://hub.example.dk/ack?a=b\n"),
            "Kvitt=C3=A9r her: https://hub.example.dk/ack?a=3Db\r\n");
  EXPECT_EQ(QuotedPrintable("trailing space \nand tab\t\n"), "trailing space=20\r\nand tab=09\r\n");
  EXPECT_EQ(QuotedPrintable(".\n..\nFrom here\n"), "=2E\r\n=2E.\r\nFrom here\r\n");
  EXPECT_EQ(QuotedPrintable("a\r\nb"), "a\r\nb\r\n");
  EXPECT_EQ(QuotedPrintable(""), "\r\n");
  EXPECT_EQ(QuotedPrintable("æ"), "=C3=A6\r\n");
}

TEST(QuotedPrintable, LongLinesGetSoftBreaksThatNeverSplitAnEscape) {
  std::string text;
  for (int idx = 0; idx < 40; ++idx) text += "Søren ";
  const std::string encoded = QuotedPrintable(text + "\n");
  const std::vector<std::string> lines = SplitCrlf(encoded);
  ASSERT_GT(lines.size(), 2u);
  std::string decoded_hex_free;
  for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    const std::string& line = lines[line_idx];
    EXPECT_LE(line.size(), 76u);
    if (line_idx + 1 < lines.size()) {
      EXPECT_TRUE(line.ends_with("=")) << line;
    }
    // Every '=' that is not a soft break starts a whole "=XX".
    for (std::size_t pos = line.find('='); pos != std::string::npos; pos = line.find('=', pos + 1)) {
      if (pos + 1 == line.size()) break;
      ASSERT_LE(pos + 3, line.size()) << line;
      EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(line[pos + 1])) &&
                  std::isxdigit(static_cast<unsigned char>(line[pos + 2])))
          << line;
    }
  }
}

TEST(Rfc5322Date, UtcWithoutLocale) {
  EXPECT_EQ(FormatRfc5322Date(system_clock::from_time_t(1767268800)), "Thu, 01 Jan 2026 12:00:00 +0000");
  EXPECT_EQ(FormatRfc5322Date(system_clock::from_time_t(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(EmailMessage, HasTheHeadersAndCrlfOnly) {
  EmailHeaders headers = Headers();
  headers.subject = "[KRITISK] Ransomware hos Kolding Kommune – å";
  auto message = BuildEmailMessage(headers, "Linje ét\nLinje to\n");
  ASSERT_TRUE(message.ok()) << message.error().message();
  const std::string text = *message;
  for (std::size_t pos = text.find('\n'); pos != std::string::npos; pos = text.find('\n', pos + 1)) {
    ASSERT_TRUE(pos > 0 && text[pos - 1] == '\r') << "bare LF at " << pos;
  }
  const std::size_t end = text.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  const std::string head = text.substr(0, end + 2);
  for (const char* expected :
       {"Date: Thu, 01 Jan 2026 12:00:00 +0000\r\n", "From: Dannevirke <vagt@dannevirke.example>\r\n",
        "To: it-sikkerhed@kolding.example\r\n", "Message-ID: <n-42.abc@dannevirke.example>\r\n",
        "X-Dannevirke-Notification: n-42\r\n", "Auto-Submitted: auto-generated\r\n", "MIME-Version: 1.0\r\n",
        "Content-Type: text/plain; charset=utf-8\r\n", "Content-Transfer-Encoding: quoted-printable\r\n",
        "Subject: =?UTF-8?B?"}) {
    EXPECT_NE(head.find(expected), std::string::npos) << expected;
  }
  EXPECT_EQ(text.substr(end + 4), "Linje =C3=A9t\r\nLinje to\r\n");
  for (const std::string& line : SplitCrlf(text)) EXPECT_LE(line.size(), 78u) << line;
}

TEST(EmailMessage, NonAsciiDisplayNameIsEncoded) {
  EmailHeaders headers = Headers();
  headers.from_name = "Dannevirke – vagt";
  auto message = BuildEmailMessage(headers, "x");
  ASSERT_TRUE(message.ok());
  EXPECT_NE(message->find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(message->find("?= <vagt@dannevirke.example>\r\n"), std::string::npos);
  headers.from_name = "Dannevirke, CFCS";  // a comma is a special: encoded, not a second address
  message = BuildEmailMessage(headers, "x");
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->find("Dannevirke, CFCS"), std::string::npos);
}

TEST(EmailMessage, RefusesHeaderInjection) {
  struct Case {
    const char* name;
    void (*change)(EmailHeaders&);
    const char* message;
  };
  const Case cases[] = {
      {"subject", [](EmailHeaders& h) { h.subject = "x\r\nBcc: victim@x.dk"; }, "Subject contains a line break"},
      {"subject LF", [](EmailHeaders& h) { h.subject = "x\nBcc: victim@x.dk"; }, "Subject contains a line break"},
      {"to", [](EmailHeaders& h) { h.to = "a@x.dk\r\nBcc: victim@x.dk"; }, "To contains a line break"},
      {"to two", [](EmailHeaders& h) { h.to = "a@x.dk, b@y.dk"; }, "To has a character"},
      {"from", [](EmailHeaders& h) { h.from = "a@x.dk\nX: y"; }, "From contains a line break"},
      {"from name", [](EmailHeaders& h) { h.from_name = "D\rX"; }, "From display name contains a line break"},
      {"NUL", [](EmailHeaders& h) { h.subject = std::string("a\0b", 3); }, "Subject contains a line break or NUL"},
      {"message id", [](EmailHeaders& h) { h.message_id = "<a b@x>"; }, "Message-ID is not of the form"},
      {"bad UTF-8", [](EmailHeaders& h) { h.subject = "\xC3("; }, "not valid UTF-8"},
  };
  for (const Case& test_case : cases) {
    EmailHeaders headers = Headers();
    test_case.change(headers);
    auto message = BuildEmailMessage(headers, "body");
    ASSERT_FALSE(message.ok()) << test_case.name;
    EXPECT_EQ(message.error().kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(message.error().message().find(test_case.message), std::string::npos)
        << test_case.name << ": " << message.error().message();
    EXPECT_EQ(message.error().message().find("victim"), std::string::npos);
  }
}

}  // namespace
}  // namespace dv::notify
