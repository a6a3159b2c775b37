// SPDX-License-Identifier: Apache-2.0
// The message model: what every channel says, in which order, and what it
// refuses.

#include "notify/notification.h"

#include <gtest/gtest.h>

#include <string>

namespace dv::notify {
namespace {

Notification Kolding() {
  Notification notification;
  notification.id = "n-42";
  notification.subject = {"Ransomware hos Kolding Kommune", "Ransomware at Kolding Municipality"};
  notification.text = {"Krypterede filer på filserveren.\nRing til vagthavende.",
                       "Encrypted files on the file server.\nCall the duty officer."};
  notification.ack_url = "https://hub.example.dk/ack/n-42";
  notification.severity = Severity::kCritical;
  return notification;
}

TEST(Rendering, DefaultIsDanishFirstThenEnglish) {
  const Notification notification = Kolding();
  EXPECT_EQ(RenderSubject(notification),
            "[KRITISK/CRITICAL] Ransomware hos Kolding Kommune / Ransomware at Kolding Municipality");
  EXPECT_EQ(RenderBody(notification),
            "[KRITISK] Ransomware hos Kolding Kommune\n"
            "\n"
            "Krypterede filer på filserveren.\n"
            "Ring til vagthavende.\n"
            "\n"
            "Kvittér her: https://hub.example.dk/ack/n-42\n"
            "\n"
            "----\n"
            "\n"
            "[CRITICAL] Ransomware at Kolding Municipality\n"
            "\n"
            "Encrypted files on the file server.\n"
            "Call the duty officer.\n"
            "\n"
            "Acknowledge here: https://hub.example.dk/ack/n-42\n"
            "\n"
            "--\n"
            "Dannevirke, reference n-42\n");
}

TEST(Rendering, EnglishRecipientReadsEnglishFirst) {
  Notification notification = Kolding();
  notification.language = Language::kEn;
  EXPECT_EQ(RenderSubject(notification),
            "[CRITICAL/KRITISK] Ransomware at Kolding Municipality / Ransomware hos Kolding Kommune");
  const std::string body = RenderBody(notification);
  EXPECT_LT(body.find("Encrypted files"), body.find("Krypterede filer"));
  EXPECT_EQ(body.rfind("[CRITICAL] Ransomware at Kolding Municipality\n", 0), 0u);
}

TEST(Rendering, ExerciseIsMarkedInSubjectAndOnTheFirstLine) {
  Notification notification = Kolding();
  notification.exercise = true;
  EXPECT_EQ(RenderSubject(notification).rfind("ØVELSE / EXERCISE: [KRITISK/CRITICAL] ", 0), 0u);
  const std::string body = RenderBody(notification);
  EXPECT_EQ(body.substr(0, body.find('\n')), "ØVELSE / EXERCISE");
  const std::string sms = RenderShortText(notification, 160);
  EXPECT_EQ(sms.substr(0, sms.find('\n')), "ØVELSE / EXERCISE");
}

TEST(Rendering, GroupedNotificationSaysHowManyMore) {
  Notification notification = Kolding();
  notification.more = 3;
  EXPECT_TRUE(RenderSubject(notification).ends_with(" (+3)"));
  const std::string body = RenderBody(notification);
  EXPECT_NE(body.find("Og 3 mere.\nKvittér her: "), std::string::npos);
  EXPECT_NE(body.find("And 3 more.\nAcknowledge here: "), std::string::npos);
}

TEST(Rendering, OneLanguageOnlyGivesOneSection) {
  Notification notification;
  notification.id = "n-1";
  notification.subject.en = "Phishing campaign against municipalities";
  notification.severity = Severity::kMedium;
  EXPECT_EQ(RenderSubject(notification), "[MEDIUM] Phishing campaign against municipalities");
  EXPECT_EQ(RenderBody(notification),
            "[MEDIUM] Phishing campaign against municipalities\n\n--\nDannevirke, reference n-1\n");
  // INFO is the same word in both languages and is said once.
  notification.subject.da = "Phishing-kampagne mod kommuner";
  notification.severity = Severity::kInfo;
  EXPECT_EQ(RenderSubject(notification),
            "[INFO] Phishing-kampagne mod kommuner / Phishing campaign against municipalities");
}

TEST(ShortText, FitsWholeWhenShortEnough) {
  Notification notification = Kolding();
  notification.exercise = true;
  notification.more = 2;
  EXPECT_EQ(RenderShortText(notification, 1600),
            "ØVELSE / EXERCISE\n"
            "[KRITISK] Ransomware hos Kolding Kommune (+2)\n"
            "[CRITICAL] Ransomware at Kolding Municipality (+2)\n"
            "Kvittér/Acknowledge: https://hub.example.dk/ack/n-42");
}

TEST(ShortText, ShortensTheSubjectAndKeepsMarkerAndLinkWhole) {
  Notification notification = Kolding();
  notification.exercise = true;
  notification.subject.da = "Ransomware hos Kolding Kommune: æøå æøå æøå æøå æøå æøå æøå æøå æøå";
  for (std::size_t max_chars = 200; max_chars >= 20; --max_chars) {
    const std::string sms = RenderShortText(notification, max_chars);
    ASSERT_LE(CountCodePoints(sms), max_chars) << max_chars;
    ASSERT_TRUE(IsValidUtf8(sms)) << max_chars;
    if (max_chars >= 100) {
      ASSERT_EQ(sms.rfind("ØVELSE / EXERCISE\n[KRITISK] ", 0), 0u) << sms;
      ASSERT_TRUE(sms.ends_with("\nKvittér/Acknowledge: https://hub.example.dk/ack/n-42")) << sms;
    }
  }
  const std::string sms = RenderShortText(notification, 110);
  EXPECT_EQ(CountCodePoints(sms), 110u);
  EXPECT_NE(sms.find("…\nKvittér/Acknowledge: "), std::string::npos) << sms;
  EXPECT_EQ(sms.find("[CRITICAL]"), std::string::npos) << "the second language goes first";
}

TEST(Utf8, ValidityFollowsRfc3629) {
  EXPECT_TRUE(IsValidUtf8("Æble, øl og år"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x94\x92"));   // U+1F512
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8, TruncationNeverSplitsACharacter) {
  EXPECT_EQ(TruncateCodePoints("æøå", 2), "æø");
  EXPECT_EQ(TruncateCodePoints("æøå", 3), "æøå");
  EXPECT_EQ(TruncateCodePoints("æøå", 9), "æøå");
  EXPECT_EQ(TruncateCodePoints("a\xF0\x9F\x94\x92z", 2), "a\xF0\x9F\x94\x92");
  EXPECT_EQ(TruncateCodePoints("æ", 0), "");
  EXPECT_EQ(CountCodePoints("Kvittér"), 7u);
}

TEST(Validation, RefusesWithTheFieldNeverTheValue) {
  struct Case {
    const char* name;
    void (*change)(Notification&);
    const char* message;
  };
  const Case cases[] = {
      {"empty id", [](Notification& n) { n.id.clear(); }, "id must be 1 to 64 characters"},
      {"id with space", [](Notification& n) { n.id = "a b"; }, "id may hold only"},
      {"id too long", [](Notification& n) { n.id = std::string(65, 'a'); }, "id must be 1 to 64"},
      {"no subject", [](Notification& n) { n.subject = {}; }, "subject is empty in both languages"},
      {"line break in subject", [](Notification& n) { n.subject.da = "a\r\nBcc: x"; },
       "subject.da contains a control character or line break"},
      {"tab in subject", [](Notification& n) { n.subject.en = "a\tb"; }, "subject.en contains a control"},
      {"long subject", [](Notification& n) { n.subject.en = std::string(201, 'x'); },
       "subject.en is longer than 200 bytes"},
      {"invalid UTF-8", [](Notification& n) { n.text.da = "\xC3("; }, "text.da is not valid UTF-8"},
      {"carriage return in text", [](Notification& n) { n.text.en = "a\r\nb"; }, "text.en contains a control"},
      {"escape in text", [](Notification& n) { n.text.en = "\x1b[2J"; }, "text.en contains a control"},
      {"ack_url scheme", [](Notification& n) { n.ack_url = "javascript:alert(1)"; }, "not an http or https URL"},
      {"ack_url space", [](Notification& n) { n.ack_url = "https://hub.example.dk/a b"; }, "percent-encoded"},
      {"ack_url quote", [](Notification& n) { n.ack_url = "https://hub.example.dk/\"x"; }, "percent-encoded"},
      {"negative more", [](Notification& n) { n.more = -1; }, "more is negative"},
  };
  EXPECT_TRUE(ValidateNotification(Kolding()).ok());
  for (const Case& test_case : cases) {
    Notification notification = Kolding();
    test_case.change(notification);
    const Status status = ValidateNotification(notification);
    ASSERT_FALSE(status.ok()) << test_case.name;
    EXPECT_EQ(status.error().kind(), ErrorKind::kInvalidArgument) << test_case.name;
    EXPECT_NE(status.error().message().find(test_case.message), std::string::npos)
        << test_case.name << ": " << status.error().message();
    EXPECT_EQ(status.error().message().find("Bcc"), std::string::npos) << test_case.name;
  }
  Notification tabbed = Kolding();
  tabbed.text.da = "Kolonne\tværdi\n";
  EXPECT_TRUE(ValidateNotification(tabbed).ok());
}

}  // namespace
}  // namespace dv::notify
