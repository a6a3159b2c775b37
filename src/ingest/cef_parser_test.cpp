// SPDX-License-Identifier: Apache-2.0
#include "ingest/cef_parser.h"

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

const Timestamp kCefReference = *ParseLogTime("2026-11-26T12:00:00Z");

TEST(CefParser, ReadsHeaderEscapesExtensionsAndLabels) {
  CefParser parser(kCefReference);
  Event event;
  const std::string line =
      R"(CEF:0|Security|threatmanager|1.0|100|detected a \| in message|10|src=10.0.0.1 act=blocked a \= )"
      R"(dst=2.1.2.2 request=https://intra.kommune.dk/login?u\=a b cs1Label=Policy Name cs1=Block all )"
      R"(msg=line one\nline two\\end cn1Label=Hits cn1=3)";
  ASSERT_TRUE(parser.ParseLine(line, event).ok());
  EXPECT_THAT(
      Fields(event),
      ElementsAre(Pair("cef.version", "0"), Pair("cef.device_vendor", "Security"),
                  Pair("cef.device_product", "threatmanager"), Pair("cef.device_version", "1.0"),
                  Pair("cef.signature_id", "100"), Pair("cef.name", "detected a | in message"),
                  Pair("cef.severity", "10"), Pair("src", "10.0.0.1"), Pair("act", "blocked a ="),
                  Pair("dst", "2.1.2.2"), Pair("request", "https://intra.kommune.dk/login?u=a b"),
                  Pair("cs1Label", "Policy Name"), Pair("cs1", "Block all"), Pair("msg", "line one\nline two\\end"),
                  Pair("cn1Label", "Hits"), Pair("cn1", "3"), Pair("Policy Name", "Block all"), Pair("Hits", "3")));
  EXPECT_FALSE(event.time.has_value());
}

TEST(CefParser, ReadsCefAfterASyslogHeader) {
  CefParser parser(kCefReference);
  Event event;
  ASSERT_TRUE(parser
                  .ParseLine("<134>Nov 26 09:30:00 pa-fw01 CEF:0|Palo Alto Networks|PAN-OS|10.1|TRAFFIC|end|3|"
                             "rt=Nov 26 2026 09:29:59 src=192.168.1.10 spt=51234 suser=kommune\\\\jens",
                             event)
                  .ok());
  EXPECT_THAT(
      Fields(event),
      ElementsAre(Pair("facility", "16"), Pair("severity", "6"), Pair("host", "pa-fw01"), Pair("cef.version", "0"),
                  Pair("cef.device_vendor", "Palo Alto Networks"), Pair("cef.device_product", "PAN-OS"),
                  Pair("cef.device_version", "10.1"), Pair("cef.signature_id", "TRAFFIC"), Pair("cef.name", "end"),
                  Pair("cef.severity", "3"), Pair("rt", "Nov 26 2026 09:29:59"), Pair("src", "192.168.1.10"),
                  Pair("spt", "51234"), Pair("suser", "kommune\\jens")));
  // The syslog header's time wins over rt.
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-26T09:30:00.000Z");
}

TEST(CefParser, TakesTheTimeFromRt) {
  CefParser parser(kCefReference);
  Event event;
  ASSERT_TRUE(parser.ParseLine("CEF:0|V|P|1|1|n|1|rt=1795683600123 src=1.2.3.4", event).ok());
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-26T09:00:00.123Z");
  ASSERT_TRUE(parser.ParseLine("CEF:0|V|P|1|1|n|1|rt=Nov 26 2026 09:29:59.250", event).ok());
  EXPECT_EQ(event.time->ToRfc3339(), "2026-11-26T09:29:59.250Z");
}

TEST(CefParser, AcceptsAnEmptyExtensionAndEmptyValues) {
  CefParser parser(kCefReference);
  Event event;
  ASSERT_TRUE(parser.ParseLine("CEF:1|V|P|1|1|n|Low", event).ok());
  EXPECT_EQ(event.size(), 7U);
  ASSERT_TRUE(parser.ParseLine("CEF:1|V|P|1|1|n|Low|", event).ok());
  EXPECT_EQ(event.size(), 7U);
  ASSERT_TRUE(parser.ParseLine("CEF:1|V|P|1|1|n|Low|src= dst=1.1.1.1 x=a=b", event).ok());
  EXPECT_THAT(Fields(event).back(), Pair("x", "a=b"));
  EXPECT_THAT(Fields(event)[7], Pair("src", ""));
}

TEST(CefParser, RejectsMalformedLines) {
  CefParser parser(kCefReference);
  Event event;
  Status status = parser.ParseLine("CEF:0|V|P|1|1", event);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("CEF header: missing name"));
  status = parser.ParseLine("CEF:0|V|P|1|1|n|1|no key here", event);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("want key=value"));
  status = parser.ParseLine("<13>Nov 26 10:00:00 host app: hello", event);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("no 'CEF:'"));
}

TEST(CefParser, LooksLikeCef) {
  CefParser parser(kCefReference);
  EXPECT_TRUE(parser.LooksLikeCef("CEF:0|a"));
  EXPECT_TRUE(parser.LooksLikeCef("<13>Nov 26 10:00:00 host CEF:0|a"));
  EXPECT_TRUE(parser.LooksLikeCef("<13>1 2026-11-26T10:00:00Z host app - - - CEF:0|a"));
  // Forwarders often put a tag before the CEF payload; it is still CEF.
  EXPECT_TRUE(parser.LooksLikeCef("<13>Nov 26 10:00:00 host app: CEF:0|a"));
  EXPECT_FALSE(parser.LooksLikeCef("<13>Nov 26 10:00:00 host app: text CEF:0|a"));
  EXPECT_FALSE(parser.LooksLikeCef("hello CEF:0"));
}

}  // namespace
}  // namespace dv
