// SPDX-License-Identifier: Apache-2.0
#include "ingest/json_line_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/test_util.h"

namespace dv {
namespace {

using ::testing::ElementsAre;
using testing::Fields;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(JsonLineParser, FlattensAWinlogbeatSysmonEvent) {
  JsonLineParser parser;
  Event event;
  const std::string line =
      R"({"@timestamp":"2026-11-26T09:14:02.412Z","event":{"code":"1","kind":"event","provider":)"
      R"("Microsoft-Windows-Sysmon"},"host":{"name":"WS-0751-17"},"winlog":{"channel":)"
      R"("Microsoft-Windows-Sysmon/Operational","event_id":1,"record_id":48213,"event_data":{)"
      R"("Image":"C:\\Windows\\System32\\cmd.exe","CommandLine":"cmd.exe /c \"whoami /all\"",)"
      R"("ParentImage":"C:\\Windows\\explorer.exe","IntegrityLevel":"Medium","Hashes":)"
      R"("SHA256=AB12,IMPHASH=CD34"},"process":{"pid":4312}},"tags":["sysmon","beats"],"agent":null,)"
      R"("ecs":{"version":"8.0.0"},"ratio":-1.50e3,"ok":true})";
  ASSERT_TRUE(parser.ParseLine(line, event).ok());
  EXPECT_THAT(
      Fields(event),
      ElementsAre(Pair("@timestamp", "2026-11-26T09:14:02.412Z"), Pair("event.code", "1"), Pair("event.kind", "event"),
                  Pair("event.provider", "Microsoft-Windows-Sysmon"), Pair("host.name", "WS-0751-17"),
                  Pair("winlog.channel", "Microsoft-Windows-Sysmon/Operational"), Pair("winlog.event_id", "1"),
                  Pair("winlog.record_id", "48213"), Pair("winlog.event_data.Image", "C:\\Windows\\System32\\cmd.exe"),
                  Pair("winlog.event_data.CommandLine", "cmd.exe /c \"whoami /all\""),
                  Pair("winlog.event_data.ParentImage", "C:\\Windows\\explorer.exe"),
                  Pair("winlog.event_data.IntegrityLevel", "Medium"),
                  Pair("winlog.event_data.Hashes", "SHA256=AB12,IMPHASH=CD34"), Pair("winlog.process.pid", "4312"),
                  Pair("tags", "sysmon"), Pair("tags", "beats"), Pair("agent", "<null>"), Pair("ecs.version", "8.0.0"),
                  Pair("ratio", "-1.50e3"), Pair("ok", "true")));
  ASSERT_TRUE(event.time.has_value());
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-26T09:14:02.412Z");
  EXPECT_TRUE(event.origin.empty());
}

TEST(JsonLineParser, ReadsFlatSysmonJsonWithUtcTime) {
  JsonLineParser parser;
  Event event;
  ASSERT_TRUE(parser
                  .ParseLine(R"({"EventID":3,"UtcTime":"2026-11-26 09:15:00.250","Image":"C:\\x\\y.exe",)"
                             R"("DestinationIp":"10.1.2.3","DestinationPort":445,"Initiated":"true"})",
                             event)
                  .ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("EventID", "3"), Pair("UtcTime", "2026-11-26 09:15:00.250"),
                                         Pair("Image", "C:\\x\\y.exe"), Pair("DestinationIp", "10.1.2.3"),
                                         Pair("DestinationPort", "445"), Pair("Initiated", "true")));
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-26T09:15:00.250Z");
}

TEST(JsonLineParser, PrefersTimeFieldsInTheDocumentedOrder) {
  JsonLineParser parser;
  Event event;
  ASSERT_TRUE(parser
                  .ParseLine(R"({"event":{"created":"2026-01-01T00:00:00Z"},"time":"not a time",)"
                             R"("winlog":{"time_created":"2026-02-02T00:00:00Z"},"timestamp":"2026-03-03T00:00:00Z"})",
                             event)
                  .ok());
  EXPECT_EQ(event.time->ToRfc3339(), "2026-03-03T00:00:00.000Z");
  ASSERT_TRUE(parser.ParseLine(R"({"TimeCreated":{"SystemTime":"2026-04-04T01:02:03.4567890Z"}})", event).ok());
  EXPECT_EQ(event.time->ToRfc3339(), "2026-04-04T01:02:03.456Z");
  ASSERT_TRUE(parser.ParseLine(R"({"EventTime":"2026-05-05 06:07:08","EventID":4624})", event).ok());  // NXLog
  EXPECT_EQ(event.time->ToRfc3339(), "2026-05-05T06:07:08.000Z");
  ASSERT_TRUE(parser.ParseLine(R"({"message":"no time here"})", event).ok());
  EXPECT_FALSE(event.time.has_value());
}

TEST(JsonLineParser, FlattensArraysOfObjectsAndNestedArrays) {
  JsonLineParser parser;
  Event event;
  ASSERT_TRUE(
      parser.ParseLine(R"({"a":[{"b":1},{"b":2,"c":[[3],[]]}],"e":{},"f":[],"g":"\u00e6\u00f8\u00e5"})", event).ok());
  EXPECT_THAT(Fields(event),
              ElementsAre(Pair("a.b", "1"), Pair("a.b", "2"), Pair("a.c", "3"), Pair("g", "\xC3\xA6\xC3\xB8\xC3\xA5")));
}

TEST(JsonLineParser, ReusesTheEvent) {
  JsonLineParser parser;
  Event event;
  ASSERT_TRUE(parser.ParseLine(R"({"a":"1","b":"2","c":"3"})", event).ok());
  ASSERT_TRUE(parser.ParseLine(R"({"d":"4"})", event).ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("d", "4")));
}

struct BadLine {
  std::string line;
  std::string reason;
};

class JsonLineParserBad : public ::testing::TestWithParam<BadLine> {};

TEST_P(JsonLineParserBad, IsRejectedWithItsReason) {
  JsonLineParser parser;
  Event event;
  const Status status = parser.ParseLine(GetParam().line, event);
  ASSERT_FALSE(status.ok()) << GetParam().line;
  EXPECT_EQ(status.error().kind(), ErrorKind::kParse);
  EXPECT_THAT(status.error().message(), HasSubstr(GetParam().reason));
  // The parser is still usable afterwards.
  ASSERT_TRUE(parser.ParseLine(R"({"next":"line"})", event).ok());
  EXPECT_THAT(Fields(event), ElementsAre(Pair("next", "line")));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonLineParserBad,
    ::testing::Values(BadLine{R"({"a":"b","c":{"d":1)", "truncated"}, BadLine{R"({"a":"unterminated})", "invalid JSON"},
                      BadLine{"{\"a\":\"\xff\xfe\"}", "invalid UTF-8"}, BadLine{"[1,2,3]", "not a JSON object"},
                      BadLine{R"("just a string")", "not a JSON object"},
                      BadLine{R"({"a":1} {"b":2})", "trailing text"}, BadLine{R"({"a":1}})", "JSON"},
                      BadLine{R"({"a":1} x})", "JSON"}, BadLine{R"({"a":01})", "invalid JSON"},
                      BadLine{R"({"a":1.})", "invalid JSON"}, BadLine{R"({"a":tru})", "invalid JSON"},
                      BadLine{R"({"a":nul})", "invalid JSON"}, BadLine{R"({"a" 1})", "invalid JSON"},
                      BadLine{R"({"a":1,})", "invalid JSON"},
                      BadLine{std::string(100, '{') + std::string(100, '}'), "invalid JSON"},
                      BadLine{"", "empty line"}));

TEST(JsonLineParser, RejectsDeepNesting) {
  JsonLineParser parser;
  Event event;
  std::string line;
  for (int level = 0; level < 70; ++level) line += R"({"a":)";
  line += "1";
  for (int level = 0; level < 70; ++level) line += "}";
  const Status status = parser.ParseLine(line, event);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("nested deeper than 64"));
}

}  // namespace
}  // namespace dv
