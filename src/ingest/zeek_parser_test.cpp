// SPDX-License-Identifier: Apache-2.0
#include "ingest/zeek_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "ingest/log_source.h"
#include "ingest/test_util.h"

namespace dv {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using testing::Fields;
using ::testing::HasSubstr;
using ::testing::Pair;
using testing::StringSource;

std::string ConnHeader() {
  return "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
         "#open\t2026-03-01-10-00-00\n"
         "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tconn_state\ttunnel_parents\n"
         "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tset[string]\n";
}

// Feeds `text` line by line as LogSource would, collecting (kind, fields or reason).
struct Fed {
  std::vector<Event> events;
  std::vector<std::string> problems;  // "line N: reason"
};

Fed Feed(ZeekTsvParser& parser, const std::string& text) {
  Fed fed;
  Event event;
  std::size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++line_number;
    bool is_header = false;
    const Status status = parser.ParseLine(line, event, is_header);
    if (!status.ok()) {
      fed.problems.push_back("line " + std::to_string(line_number) + ": " + status.error().message());
    } else if (!is_header) {
      fed.events.push_back(event);
    }
  }
  return fed;
}

TEST(ZeekTsvParser, ReadsHeaderUnsetEmptySetsEscapesAndTime) {
  ZeekTsvParser parser;
  const Fed fed =
      Feed(parser, ConnHeader() +
                       "1772360100.123456\tCa1\t203.0.113.7\t500\t192.0.2.10\t500\tudp\t-\tS0\t(empty)\n"
                       "1772360101.5\tCa2\t198.51.100.4\t40000\t192.0.2.10\t443\ttcp\tssl\\x09x\tSF\tCb,Cc\n"
                       "#close\t2026-03-01-11-00-00\n");
  ASSERT_TRUE(fed.problems.empty()) << fed.problems.front();
  ASSERT_EQ(fed.events.size(), 2U);
  EXPECT_THAT(
      Fields(fed.events[0]),
      ElementsAre(Pair("ts", "1772360100.123456"), Pair("uid", "Ca1"), Pair("id.orig_h", "203.0.113.7"),
                  Pair("id.orig_p", "500"), Pair("id.resp_h", "192.0.2.10"), Pair("id.resp_p", "500"),
                  Pair("proto", "udp"), Pair("service", "<null>"), Pair("conn_state", "S0"), Pair("tunnel_parents", ""),
                  Pair("event.module", "zeek"), Pair("event.dataset", "zeek.conn")));
  EXPECT_EQ(fed.events[0].time->ToRfc3339(), "2026-03-01T10:15:00.123Z");
  EXPECT_THAT(Fields(fed.events[1]), Contains(Pair("service", "ssl\tx")));
  EXPECT_THAT(Fields(fed.events[1]), Contains(Pair("tunnel_parents", "Cb")));
  EXPECT_THAT(Fields(fed.events[1]), Contains(Pair("tunnel_parents", "Cc")));
}

TEST(ZeekTsvParser, AHeaderChangeMidFileIsAppliedAndReported) {
  ZeekTsvParser parser;
  const Fed fed =
      Feed(parser, ConnHeader() + "1772360100.0\tCa1\t203.0.113.7\t500\t192.0.2.10\t500\tudp\t-\tS0\t(empty)\n" +
                       "#path\tdns\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tquery\n"
                       "#types\ttime\tstring\taddr\tport\taddr\tport\tstring\n"
                       "1772360102.0\tCd1\t192.0.2.20\t5353\t192.0.2.53\t53\tevil.example\n"
                       "1772360103.0\ttoo\tfew\n");
  ASSERT_EQ(fed.events.size(), 2U);
  EXPECT_THAT(Fields(fed.events[1]), Contains(Pair("query", "evil.example")));
  EXPECT_THAT(Fields(fed.events[1]), Contains(Pair("event.dataset", "zeek.dns")));
  ASSERT_EQ(fed.problems.size(), 2U);
  EXPECT_THAT(fed.problems[0], HasSubstr("line 11: header changed mid-file after 1 records"));
  EXPECT_THAT(fed.problems[0], HasSubstr("now names 7 columns (was 10, #path dns)"));
  EXPECT_THAT(fed.problems[1], HasSubstr("line 14: 3 columns, but #fields names 7"));
}

TEST(ZeekTsvParser, RecordsWithoutAHeaderAfterCloseAndHugeHeadersAreProblems) {
  ZeekTsvParser parser;
  Fed fed = Feed(parser, "#separator \\x09\n1772360100.0\tCa1\n");
  ASSERT_EQ(fed.problems.size(), 1U);
  EXPECT_EQ(fed.problems[0], "line 2: record before any #fields header");

  parser.Reset();
  fed = Feed(parser, ConnHeader() + "#close\t2026-03-01-11-00-00\n1772360100.0\tCa1\n");
  ASSERT_EQ(fed.problems.size(), 1U);
  EXPECT_THAT(fed.problems[0], HasSubstr("line 10: record after #close"));

  parser.Reset();
  std::string wide = "#separator \\x09\n#fields";
  for (int column = 0; column < 5000; ++column) wide += "\tc" + std::to_string(column);
  fed = Feed(parser, wide + "\n#bogus\tx\n");
  ASSERT_EQ(fed.problems.size(), 2U);
  EXPECT_THAT(fed.problems[0], HasSubstr("more than 1024 columns"));
  EXPECT_THAT(fed.problems[1], HasSubstr("unknown Zeek header line '#bogus'"));
}

TEST(ZeekTsvParser, LogSourceReadsZeekPerFileAndPlacesProblems) {
  const std::string text = ConnHeader() +
                           "1772360100.0\tCa1\t203.0.113.7\t500\t192.0.2.10\t500\tudp\t-\tS0\t(empty)\n" +
                           "#fields\tts\tuid\n1772360101.0\tCb\n";
  StringSource input(text);
  LogSource source;
  std::vector<std::string> origins;
  ASSERT_TRUE(source.ReadStream(input, "conn.log", [&](const Event& event) { origins.push_back(event.origin); }).ok());
  EXPECT_THAT(origins, ElementsAre("conn.log:9", "conn.log:11"));
  ASSERT_EQ(source.stats().problems.size(), 1U);
  EXPECT_EQ(source.stats().problems[0].place, "conn.log:10");
  EXPECT_THAT(source.stats().problems[0].message, HasSubstr("zeek: header changed mid-file"));

  // A second file starts without the first one's header.
  StringSource second("1772360100.0\tCa1\t203.0.113.7\n");
  ASSERT_TRUE(
      source.ReadStream(second, "other.log", [&](const Event& event) { origins.push_back(event.origin); }).ok());
  EXPECT_EQ(origins.back(), "other.log:1");
  EXPECT_EQ(source.stats().events_by_format[static_cast<std::size_t>(LogFormat::kPlain)], 1U);
}

TEST(ZeekTsvParser, BinaryGarbageAfterAHeaderGivesProblemsNotCrashes) {
  ZeekTsvParser parser;
  std::string garbage;
  for (int byte = 0; byte < 1 << 16; ++byte) {
    const auto value = static_cast<char>((byte * 197 + 13) % 256);
    garbage.push_back(value == '\n' ? '\t' : value);
  }
  const Fed fed =
      Feed(parser, ConnHeader() + garbage + "\n#fields\t" + garbage.substr(0, 4096) + "\n" + garbage + "\n");
  EXPECT_TRUE(fed.events.empty());
  ASSERT_FALSE(fed.problems.empty());
  EXPECT_THAT(fed.problems[0], HasSubstr("line 9: more than"));
}

// Produces `prefix`, then `filler` bytes of an unclosed JSON string (no line
// ending), then `suffix`, without holding the filler in memory.
class GeneratedSource final : public ByteSource {
 public:
  GeneratedSource(std::string prefix, std::uint64_t filler, std::string suffix)
      : prefix_(std::move(prefix)), filler_(filler), suffix_(std::move(suffix)) {}
  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    std::size_t done = 0;
    while (done < size) {
      if (offset_ < prefix_.size()) {
        buffer[done++] = prefix_[offset_++];
      } else if (offset_ < prefix_.size() + filler_) {
        const std::uint64_t left = prefix_.size() + filler_ - offset_;
        const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(left, size - done));
        std::memset(buffer + done, 'a', count);
        done += count;
        offset_ += count;
      } else if (offset_ < prefix_.size() + filler_ + suffix_.size()) {
        buffer[done++] = suffix_[offset_ - prefix_.size() - filler_];
        ++offset_;
      } else {
        break;
      }
    }
    return done;
  }
  std::uint64_t consumed() const override { return offset_; }

 private:
  std::string prefix_;
  std::uint64_t filler_;
  std::string suffix_;
  std::uint64_t offset_ = 0;
};

TEST(ZeekTsvParser, AGigabyteLineThatNeverClosesIsSkippedWithItsPlaceAndTheRestIsRead) {
  const std::string record = "1772360100.0\tCa1\t203.0.113.7\t500\t192.0.2.10\t500\tudp\t-\tS0\t(empty)\n";
  GeneratedSource input(ConnHeader() + record + "{\"ts\":\"", std::uint64_t{1} << 30, "\n" + record);
  IngestOptions options;
  options.max_line_bytes = std::size_t{1} << 20;
  LogSource source(options);
  std::vector<std::string> origins;
  ASSERT_TRUE(source.ReadStream(input, "conn.log", [&](const Event& event) { origins.push_back(event.origin); }).ok());
  EXPECT_THAT(origins, ElementsAre("conn.log:9", "conn.log:11"));
  ASSERT_EQ(source.stats().problems.size(), 1U);
  EXPECT_EQ(source.stats().problems[0].place, "conn.log:10");
  EXPECT_EQ(source.stats().problems[0].message, "line longer than 1048576 bytes; skipped");
  EXPECT_GT(input.consumed(), std::uint64_t{1} << 30);  // every byte was read, none held
}

}  // namespace
}  // namespace dv
