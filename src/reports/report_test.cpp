// SPDX-License-Identifier: Apache-2.0
// Unit tests of the rules the golden cases do not show one by one: the
// announced format, limits, refusals before any row, keys and problems.
#include "reports/report.h"

#include <gtest/gtest.h>

#include <string>

namespace dv::reports {
namespace {

ReadOptions Options(std::string_view format) {
  ReadOptions options;
  options.format = *ParseAnnouncedFormat(format);
  options.origin = "r.csv";
  return options;
}

Report Read(std::string_view text, const ReadOptions& options) {
  auto report = ReadReport(text, options);
  EXPECT_TRUE(report.ok()) << report.error().message();
  return report.ok() ? *report : Report{};
}

std::string Refusal(std::string_view text, const ReadOptions& options) {
  std::size_t rows = 0;
  auto summary = ReadReport(text, options, [&rows](Row&&) { ++rows; });
  EXPECT_EQ(rows, 0U) << "a refused file hands out no row";
  return summary.ok() ? "accepted" : summary.error().message();
}

TEST(AnnouncedFormat, ParsesAndNamesTheFormats) {
  auto format = ParseAnnouncedFormat("shadowserver:scan_rdp");
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(format->format, Format::kShadowserver);
  EXPECT_EQ(format->report_type, "scan_rdp");
  EXPECT_EQ(FormatName(*format), "shadowserver:scan_rdp");
  EXPECT_EQ(ParseAnnouncedFormat("csv")->report_type, "csv");
  EXPECT_EQ(FormatName(*ParseAnnouncedFormat("json:exposures")), "json:exposures");
  EXPECT_FALSE(ParseAnnouncedFormat("shadowserver").ok());
  EXPECT_FALSE(ParseAnnouncedFormat("shadowserver:").ok());
  EXPECT_FALSE(ParseAnnouncedFormat("shadowserver:Scan RDP").ok());
  EXPECT_FALSE(ParseAnnouncedFormat("xml").ok());
  EXPECT_FALSE(ParseAnnouncedFormat("csv:" + std::string(65, 'a')).ok());
}

TEST(ReadReport, RefusesBeforeAnyRowOnTheBytesAlone) {
  ReadOptions options = Options("csv");
  EXPECT_EQ(Refusal(std::string("\x1f\x8b\x08\x00", 4), options), "r.csv: gzip-compressed; unpack it first");
  EXPECT_EQ(Refusal(std::string("PK\x03\x04", 4), options), "r.csv: a ZIP archive; unpack it first");
  EXPECT_EQ(Refusal(std::string("ip\n192.0.2.1\n19\0", 16), options),
            "r.csv:3: binary content (a NUL byte), not a text report");
  options.limits.max_file_bytes = 10;
  EXPECT_EQ(Refusal("ip\n192.0.2.1\n", options), "r.csv: file of 13 bytes; the limit is 10");
  options = Options("csv");
  options.limits.max_lines = 2;
  EXPECT_EQ(Refusal("ip\n192.0.2.1\n192.0.2.2\n", options), "r.csv: 3 lines; the limit is 2");
}

TEST(ReadReport, RefusesAHeaderThatCannotCarryRows) {
  EXPECT_EQ(Refusal("", Options("csv")), "r.csv: empty file: no CSV header");
  EXPECT_EQ(Refusal("192.0.2.1,3389\n", Options("csv")), "r.csv:1: no header: the first line holds data (192.0.2.1)");
  EXPECT_EQ(Refusal("ip,IP\n", Options("csv")), "r.csv:1: header: column ip appears twice");
  EXPECT_EQ(Refusal("ip,\n", Options("csv")), "r.csv:1: header: an empty column name");
  EXPECT_EQ(Refusal("ip,port\n192.0.2.1,1\n", Options("shadowserver:scan_rdp")),
            "r.csv:1: not a Shadowserver report: no timestamp column");
  ReadOptions named = Options("csv");
  named.address_column = "Source";
  EXPECT_EQ(Refusal("ip,port\n192.0.2.1,1\n", named), "r.csv:1: no column named source");
}

TEST(ReadReport, AChosenColumnIsUsedWhateverItsCase) {
  ReadOptions options = Options("csv");
  options.address_column = "Kilde";
  options.domain_column = "NAVN";
  const Report report = Read("ip,kilde,navn\n198.51.100.1,192.0.2.7,Example.DK\n", options);
  ASSERT_EQ(report.rows.size(), 1U);
  EXPECT_EQ(report.rows[0].address->prefix, 32);
  EXPECT_EQ(report.rows[0].Field("ip"), "198.51.100.1") << "the unchosen column stays a plain field";
  EXPECT_EQ(report.rows[0].domain, "example.dk");
}

TEST(ReadReport, KeysIgnoreLineColumnOrderAndEmptyColumns) {
  const Report first = Read("ip,port,note\n192.0.2.1,80,x\n", Options("csv"));
  const Report second = Read("\n\nnote,extra,port,ip\nx,,80,192.0.2.1\n", Options("csv"));
  const Report other_type = Read("ip,port,note\n192.0.2.1,80,x\n", Options("csv:other"));
  const Report other_value = Read("ip,port,note\n192.0.2.1,80,y\n", Options("csv"));
  ASSERT_EQ(first.rows.size(), 1U);
  ASSERT_EQ(second.rows.size(), 1U);
  EXPECT_EQ(first.rows[0].key.size(), 64U);
  EXPECT_EQ(first.rows[0].key, second.rows[0].key);
  EXPECT_NE(first.rows[0].key, other_type.rows[0].key);
  EXPECT_NE(first.rows[0].key, other_value.rows[0].key);
}

TEST(ReadReport, CountsEveryProblemAndKeepsTheFirstOnes) {
  ReadOptions options = Options("csv");
  options.limits.max_problems_kept = 2;
  const Report report = Read("ip\nx\ny\nz\n192.0.2.1\n", options);
  EXPECT_EQ(report.summary.records, 4U);
  EXPECT_EQ(report.summary.rejected, 3U);
  EXPECT_EQ(report.summary.rows, 1U);
  ASSERT_EQ(report.summary.problems.size(), 2U);
  EXPECT_EQ(ToProblem(report.summary.problems[1], "r.csv").place, "r.csv:3: ip");
}

TEST(ReadReport, ValuesFollowTheStrictRules) {
  const Report report = Read(
      "timestamp,ip,port,asn\n"
      "2026-12-01 10:00:00,192.0.2.1,3389,AS64496\n"   // 2
      "2026-12-01T10:00:00+01:00,192.0.2.2,0,64497\n"  // 3
      "1764583200,192.0.2.3,,\n"                       // 4
      "2026-12-01,192.0.2.4,65536,\n"                  // 5: port out of range
      "2026-12-01,192.0.2.5,1,AS0\n"                   // 6: AS 0
      "2026-13-01,192.0.2.6,1,1\n"                     // 7: no 13th month
      "2026-12-01,010.0.2.7,1,1\n"                     // 8: leading zero
      "2026-12-01,10.1.2.3/8,1,1\n",                   // 9: host bits
      Options("csv"));
  ASSERT_EQ(report.rows.size(), 3U);
  EXPECT_EQ(report.rows[0].timestamp->ToRfc3339(), "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(*report.rows[0].asn, 64496U);
  EXPECT_EQ(report.rows[1].timestamp->ToRfc3339(), "2026-12-01T09:00:00.000Z");
  EXPECT_EQ(*report.rows[1].port, 0);
  EXPECT_EQ(report.rows[2].timestamp->ToRfc3339(), "2025-12-01T10:00:00.000Z");
  std::vector<std::string> places;
  for (const auto& problem : report.summary.problems) places.push_back(ToProblem(problem, "r.csv").place);
  EXPECT_EQ(places, (std::vector<std::string>{"r.csv:5: port", "r.csv:6: asn", "r.csv:7: timestamp", "r.csv:8: ip",
                                              "r.csv:9: ip"}));
}

TEST(ReadReport, RefusesAJsonFileThatIsNotAnArrayOrLines) {
  ReadOptions options = Options("json");
  options.origin = "r.json";
  EXPECT_EQ(Refusal("\"ip\"", options),
            "r.json:1: neither a JSON array nor JSON lines (the file starts with neither '[' nor '{')");
  EXPECT_EQ(Refusal("{\n  \"ip\": \"192.0.2.1\"\n}\n", options),
            "r.json:1: one JSON document over several lines, not an array of objects or JSON lines");
  EXPECT_EQ(Refusal("{\"ip\": \"192.0.2.1\",\n", options), "r.json:1: first line (JSON lines): not valid JSON");
  EXPECT_EQ(Refusal("[{\"ip\": \"192.0.2.1\"},\n", options), "r.json:1: the JSON array opened here is not closed");
  EXPECT_EQ(Refusal("[1, 2]", options), "r.json:1: first element of the array: a JSON number, not an object");
  EXPECT_EQ(Refusal("[{\"ip\": \"192.0.2.1\"},]", options), "r.json:1: empty element in the JSON array");
  EXPECT_EQ(Refusal("[{\"ip\": \"192.0.2.1\"}] x", options), "r.json:1: text after the JSON array");
  EXPECT_EQ(Refusal("{\"rows\": [{\"ip\": \"192.0.2.1\"}]}\n", options),
            "r.json:1: first record: no address column (ip, address, src_ip, ip_address) and no domain column "
            "(domain, fqdn, hostname, host)");
  EXPECT_EQ(Read("[]", options).summary.records, 0U);
}

TEST(ReadReport, AJsonRecordDeeperThanTheLimitIsOneBadRow) {
  ReadOptions options = Options("json");
  std::string deep = "{\"ip\": \"192.0.2.1\", \"x\": " + std::string(100, '[') + std::string(100, ']') + "}";
  const Report report = Read("{\"ip\": \"192.0.2.2\"}\n" + deep + "\n{\"ip\": \"192.0.2.3\"}\n", options);
  EXPECT_EQ(report.summary.rows, 2U);
  EXPECT_EQ(report.summary.rejected, 1U);
  ASSERT_EQ(report.summary.problems.size(), 1U);
  EXPECT_EQ(report.summary.problems[0].line, 2U);
}

}  // namespace
}  // namespace dv::reports
