// SPDX-License-Identifier: Apache-2.0
#include "ingest/line_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/log_time.h"
#include "ingest/test_util.h"

namespace dv {
namespace {

using ::testing::ElementsAre;
using testing::Fields;
using ::testing::Pair;

TEST(DetectFileFormat, SniffsMagicBytes) {
  EXPECT_EQ(DetectFileFormat(std::string_view("ElfFile\0\0\0", 10)), FileFormat::kEvtx);
  EXPECT_EQ(DetectFileFormat("\x1f\x8b\x08\x00"), FileFormat::kGzip);
  EXPECT_EQ(DetectFileFormat("{\"a\":1}"), FileFormat::kText);
  EXPECT_EQ(DetectFileFormat("ElfFile"), FileFormat::kText);
  EXPECT_EQ(DetectFileFormat("\xFF\xFE[\0"), FileFormat::kUtf16Le);
  EXPECT_EQ(DetectFileFormat("\xFE\xFF\0["), FileFormat::kUtf16Be);
  EXPECT_EQ(DetectFileFormat(std::string_view("{\0\"\0", 4)), FileFormat::kUtf16Le);
  EXPECT_EQ(DetectFileFormat(std::string_view("\0{\0\"", 4)), FileFormat::kUtf16Be);
  EXPECT_EQ(DetectFileFormat("\xEF\xBB\xBF{\"a\":1}"), FileFormat::kText);  // UTF-8 with a BOM
  EXPECT_EQ(DetectFileFormat(""), FileFormat::kText);
}

TEST(LineParser, DetectsEachLineFormat) {
  const LineParser parser(*ParseLogTime("2026-11-26T12:00:00Z"));
  EXPECT_EQ(parser.DetectLineFormat(R"({"a":1})"), LogFormat::kJsonLines);
  EXPECT_EQ(parser.DetectLineFormat(R"(  {"a":1})"), LogFormat::kJsonLines);
  EXPECT_EQ(parser.DetectLineFormat("CEF:0|V|P|1|1|n|1|src=1.1.1.1"), LogFormat::kCef);
  EXPECT_EQ(parser.DetectLineFormat("<13>Nov 26 10:00:00 host CEF:0|V|P|1|1|n|1|"), LogFormat::kCef);
  EXPECT_EQ(parser.DetectLineFormat("<13>1 2026-11-26T10:00:00Z h a - - - CEF:0|V|P|1|1|n|1|"), LogFormat::kCef);
  EXPECT_EQ(parser.DetectLineFormat("<13>1 2026-11-26T10:00:00Z h a - - - hi"), LogFormat::kSyslog5424);
  EXPECT_EQ(parser.DetectLineFormat("<13>Nov 26 10:00:00 host app: hi"), LogFormat::kSyslog3164);
  EXPECT_EQ(parser.DetectLineFormat("Nov 26 10:00:00 host app: see CEF:0|in the message"), LogFormat::kSyslog3164);
  EXPECT_EQ(parser.DetectLineFormat("2026-11-26T10:00:00+01:00 host app: hi"), LogFormat::kSyslog3164);
  EXPECT_EQ(parser.DetectLineFormat("2026-11-26 10:00:00 something happened"), LogFormat::kPlain);
  EXPECT_EQ(parser.DetectLineFormat("2026-11-26T10:00:00 no zone"), LogFormat::kPlain);
  EXPECT_EQ(parser.DetectLineFormat("<html>"), LogFormat::kPlain);
  EXPECT_EQ(parser.DetectLineFormat(""), LogFormat::kPlain);
}

TEST(LineParser, PlainLinesBecomeMessages) {
  LineParser parser;
  Event event;
  LogFormat format = LogFormat::kEvtx;
  ASSERT_TRUE(parser.ParseLine("GET /index.html 200", event, format).ok());
  EXPECT_EQ(format, LogFormat::kPlain);
  EXPECT_THAT(Fields(event), ElementsAre(Pair("message", "GET /index.html 200")));
}

TEST(LineParser, ReportsTheFormatOfABadLine) {
  LineParser parser;
  Event event;
  LogFormat format = LogFormat::kPlain;
  EXPECT_FALSE(parser.ParseLine(R"({"a":)", event, format).ok());
  EXPECT_EQ(format, LogFormat::kJsonLines);
  EXPECT_FALSE(parser.ParseLine("<13>1 yesterday h a - - -", event, format).ok());
  EXPECT_EQ(format, LogFormat::kSyslog5424);
}

TEST(LogFormatName, NamesEveryFormat) {
  EXPECT_EQ(LogFormatName(LogFormat::kJsonLines), "jsonl");
  EXPECT_EQ(LogFormatName(LogFormat::kSyslog5424), "syslog5424");
  EXPECT_EQ(LogFormatName(LogFormat::kEvtx), "evtx");
}

}  // namespace
}  // namespace dv
