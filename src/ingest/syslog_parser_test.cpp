// SPDX-License-Identifier: Apache-2.0
#include "ingest/syslog_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/log_time.h"
#include "ingest/test_util.h"

namespace dv {
namespace {

using ::testing::ElementsAre;
using testing::Fields;
using ::testing::HasSubstr;
using ::testing::Pair;

const Timestamp kReference = *ParseLogTime("2026-11-26T12:00:00Z");

TEST(SyslogParser, Reads5424WithStructuredData) {
  SyslogParser parser(kReference);
  Event event;
  const std::string line =
      R"(<165>1 2026-11-26T09:14:02.003+01:00 fw01.aarhus.dk evntslog 8710 ID47 )"
      R"([exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][meta q="a \"b\" \\ \]c"] )"
      "\xEF\xBB\xBF"
      "An application event log entry";
  ASSERT_TRUE(parser.ParseLine(line, event).ok());
  EXPECT_THAT(
      Fields(event),
      ElementsAre(Pair("facility", "20"), Pair("severity", "5"), Pair("host", "fw01.aarhus.dk"),
                  Pair("app", "evntslog"), Pair("procid", "8710"), Pair("msgid", "ID47"),
                  Pair("sd.exampleSDID@32473.iut", "3"), Pair("sd.exampleSDID@32473.eventSource", "Application"),
                  Pair("sd.exampleSDID@32473.eventID", "1011"), Pair("sd.meta.q", R"(a "b" \ ]c)"),
                  Pair("message", "An application event log entry")));
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-26T08:14:02.003Z");
}

TEST(SyslogParser, Reads5424WithoutStructuredDataOrNilValues) {
  SyslogParser parser(kReference);
  Event event;
  ASSERT_TRUE(parser
                  .ParseLine("<34>1 2026-11-26T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed "
                             "for lonvick on /dev/pts/8",
                             event)
                  .ok());
  EXPECT_THAT(Fields(event),
              ElementsAre(Pair("facility", "4"), Pair("severity", "2"), Pair("host", "mymachine.example.com"),
                          Pair("app", "su"), Pair("msgid", "ID47"),
                          Pair("message", "'su root' failed for lonvick on /dev/pts/8")));
  ASSERT_TRUE(parser.ParseLine("<13>1 - - - - - -", event).ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("facility", "1"), Pair("severity", "5")));
  EXPECT_FALSE(event.time.has_value());
}

TEST(SyslogParser, Reads3164Lines) {
  SyslogParser parser(kReference);
  Event event;
  ASSERT_TRUE(parser
                  .ParseLine("<38>Nov 26 08:01:44 srv-kmd-3 sshd[21344]: Failed password for invalid user admin "
                             "from 203.0.113.7 port 51514 ssh2",
                             event)
                  .ok());
  EXPECT_THAT(Fields(event),
              ElementsAre(Pair("facility", "4"), Pair("severity", "6"), Pair("host", "srv-kmd-3"), Pair("app", "sshd"),
                          Pair("procid", "21344"),
                          Pair("message", "Failed password for invalid user admin from 203.0.113.7 port 51514 ssh2")));
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-26T08:01:44.000Z");

  // No PRI, space-padded day, a tag without PID.
  ASSERT_TRUE(parser.ParseLine("Nov  6 07:00:01 web01 CRON: pam_unix(cron:session): session opened", event).ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("host", "web01"), Pair("app", "CRON"),
                                         Pair("message", "pam_unix(cron:session): session opened")));
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-06T07:00:01.000Z");

  // No HOSTNAME: the first word is the tag.
  ASSERT_TRUE(parser.ParseLine("<86>Dec 31 23:59:59 sudo[77]: alice : TTY=pts/0 ; COMMAND=/bin/sh", event).ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("facility", "10"), Pair("severity", "6"), Pair("app", "sudo"),
                                         Pair("procid", "77"), Pair("message", "alice : TTY=pts/0 ; COMMAND=/bin/sh")));
  EXPECT_EQ(event.time->ToRfc3339(), "2025-12-31T23:59:59.000Z");

  // No tag at all.
  ASSERT_TRUE(parser.ParseLine("<13>Nov 26 10:00:00 host last message repeated 3 times", event).ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("facility", "1"), Pair("severity", "5"), Pair("host", "host"),
                                         Pair("message", "last message repeated 3 times")));

  // rsyslog's high-precision timestamp in the 3164 layout.
  ASSERT_TRUE(
      parser.ParseLine("2026-11-26T10:00:00.123456+01:00 dc01 kernel: [  12.5] usb 1-1: new device", event).ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("host", "dc01"), Pair("app", "kernel"),
                                         Pair("message", "[  12.5] usb 1-1: new device")));
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-26T09:00:00.123Z");

  // PRI and then no timestamp: the rest is the message.
  ASSERT_TRUE(parser.ParseLine("<13>hello there", event).ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("facility", "1"), Pair("severity", "5"), Pair("message", "hello there")));
}

struct BadSyslogLine {
  std::string line;
  std::string reason;
};

class SyslogParserBad : public ::testing::TestWithParam<BadSyslogLine> {};

TEST_P(SyslogParserBad, IsRejectedWithItsReason) {
  SyslogParser parser(kReference);
  Event event;
  const Status status = parser.ParseLine(GetParam().line, event);
  ASSERT_FALSE(status.ok()) << GetParam().line;
  EXPECT_THAT(status.error().message(), HasSubstr(GetParam().reason));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SyslogParserBad,
    ::testing::Values(BadSyslogLine{"<13>1 2026-13-01T00:00:00Z host app - - - msg", "RFC 5424 TIMESTAMP: '2026-13-01"},
                      BadSyslogLine{"<13>1 26/11/2026 host app - - - msg", "not an RFC 3339 timestamp"},
                      BadSyslogLine{"<192>1 - - - - - -", "bad PRI"}, BadSyslogLine{"<x>hello", "bad PRI"},
                      BadSyslogLine{"<13>2 - - - - - -", "unsupported syslog version 2"},
                      BadSyslogLine{"<13>1 - host app 12", "missing MSGID"},
                      BadSyslogLine{"<13>1 - host app - - [a b=\"1\"", "unterminated"},
                      BadSyslogLine{"<13>1 - host app - - [a b=1]", "want '=\"'"},
                      BadSyslogLine{"<13>1 - host app - - [a b=\"1\"]x", "want a space before MSG"},
                      BadSyslogLine{"<13>1 - host app - - x", "STRUCTURED-DATA must be"},
                      BadSyslogLine{"plain text", "not syslog"}));

}  // namespace
}  // namespace dv
