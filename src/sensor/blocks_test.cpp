// SPDX-License-Identifier: Apache-2.0
// Block logs (sensor/blocks.h), golden: testdata/blocks/unbound.log and
// unbound_ascii.log were written by Debian's Unbound 1.17.1 answering queries
// against the golden zones of src/protect/testdata/basic; bind.log and
// firewall.log are written from BIND 9.18's rpz_log_rewrite format and the
// kernel's nf_log format (docs/protect.md, "Counting blocks"). The mapping is
// protect's golden mapping for the same zones.

#include "sensor/blocks.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace dv::sensor {
namespace {

using Kind = BlockLine::Kind;
const Timestamp kBlocksReference = Timestamp::FromCivil(2026, 12, 6, 12, 0, 0);

std::vector<std::string> Lines(const std::string& name) {
  std::ifstream in(std::string(DV_SENSOR_TESTDATA) + "/blocks/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

RpzMapping GoldenMapping() {
  auto mapping = RpzMapping::Parse(Slurp(std::string(DV_SENSOR_TESTDATA) + "/../../protect/testdata/basic/"
                                                                           "expected.mapping.json"));
  EXPECT_TRUE(mapping.ok()) << mapping.error().message();
  return std::move(mapping).value();
}

std::string Ind(int n) {
  char id[64];
  std::snprintf(id, sizeof(id), "indicator--0a6f0f77-54a7-4a3b-9b0c-%012d", n);
  return id;
}

struct Expected {
  Kind kind;
  std::string trigger;
  std::string time;  // RFC 3339, or empty: not checked
};

void ExpectLines(BlockLogFormat format, const std::string& file, const std::vector<Expected>& expected) {
  const auto lines = Lines(file);
  ASSERT_EQ(lines.size(), expected.size()) << file;
  for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    const BlockLine got = ParseBlockLine(format, lines[line_idx], kBlocksReference);
    const Expected& want = expected[line_idx];
    EXPECT_EQ(got.kind, want.kind) << file << ":" << line_idx + 1 << " " << got.reason;
    EXPECT_EQ(got.trigger, want.trigger) << file << ":" << line_idx + 1;
    if (!want.time.empty()) {
      EXPECT_EQ(got.time.ToRfc3339(), want.time) << file << ":" << line_idx + 1;
    }
  }
}

TEST(BlockLines, UnboundRpzLogAsUnboundWritesIt) {
  const std::string t = "2026-12-06T03:59:34.000Z";
  const std::string t2 = "2026-12-06T03:59:42.000Z";
  ExpectLines(BlockLogFormat::kUnbound, "unbound.log",
              {{Kind::kOther, "", ""},
               {Kind::kBlock, "phish-login.example", t},
               {Kind::kBlock, "*.phish-login.example", t},
               {Kind::kBlock, "c2.xn--rdgrd-vuad.example", t},
               {Kind::kBlock, "198.51.100.23/32", t},
               {Kind::kBlock, "203.0.113.0/24", t},
               {Kind::kMonitor, "single.example", t},
               {Kind::kMonitor, "*.single.example", t},
               {Kind::kOther, "", ""},
               {Kind::kBlock, "2001:db8:bad::/48", t2},
               {Kind::kBlock, "phish-login.example", t2},
               {Kind::kBlock, "phish-login.example", t2},
               {Kind::kBlock, "*.phish-login.example", t2}});
}

TEST(BlockLines, UnboundWithLogTimeAsciiAndALogNameWithSpaces) {
  const std::string t = "2026-12-06T03:59:45.000Z";
  ExpectLines(BlockLogFormat::kUnbound, "unbound_ascii.log",
              {{Kind::kOther, "", ""},
               {Kind::kBlock, "phish-login.example", t},
               {Kind::kBlock, "203.0.113.0/24", t},
               {Kind::kMonitor, "*.single.example", t},
               {Kind::kBlock, "2001:db8:bad::/48", t},
               {Kind::kOther, "", ""}});
}

TEST(BlockLines, BindRpzCategory) {
  ExpectLines(BlockLogFormat::kBind, "bind.log",
              {{Kind::kBlock, "*.phish-login.example.rpz.dannevirke.dk", "2026-12-06T03:59:45.123Z"},
               {Kind::kBlock, "phish-login.example.rpz.dannevirke.dk", "2026-12-06T03:59:46.001Z"},
               {Kind::kBlock, "24.0.113.0.203.rpz-ip.rpz.dannevirke.dk", "2026-12-06T04:10:00.500Z"},
               {Kind::kMonitor, "*.single.example.monitor.dannevirke.dk", "2026-12-06T04:11:00.000Z"},
               {Kind::kMonitor, "c2.xn--rdgrd-vuad.example.rpz.dannevirke.dk", "2026-12-06T04:12:00.000Z"},
               {Kind::kBlock, "*.phish-login.example.rpz.dannevirke.dk", "2026-12-06T04:13:00.000Z"},
               {Kind::kOther, "", ""},
               {Kind::kMalformed, "", ""}});
}

TEST(BlockLines, FirewallLogPrefix) {
  const auto lines = Lines("firewall.log");
  ASSERT_EQ(lines.size(), 8U);
  const std::vector<Kind> kinds = {Kind::kBlock, Kind::kBlock,     Kind::kBlock,     Kind::kBlock,
                                   Kind::kOther, Kind::kMalformed, Kind::kMalformed, Kind::kBlock};
  for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    const BlockLine got = ParseBlockLine(BlockLogFormat::kFirewall, lines[line_idx], kBlocksReference);
    EXPECT_EQ(got.kind, kinds[line_idx]) << "firewall.log:" << line_idx + 1 << " " << got.reason;
    EXPECT_TRUE(got.trigger.empty());
  }
  const BlockLine first = ParseBlockLine(BlockLogFormat::kFirewall, lines[0], kBlocksReference);
  ASSERT_EQ(first.addresses.size(), 2U);
  EXPECT_EQ(FormatIp(first.addresses[1]), "198.51.100.23");
  EXPECT_EQ(first.time.ToRfc3339(), "2026-12-06T05:00:01.000Z");
  const BlockLine v6 = ParseBlockLine(BlockLogFormat::kFirewall, lines[3], kBlocksReference);
  ASSERT_EQ(v6.addresses.size(), 2U);
  EXPECT_EQ(FormatIp(v6.addresses[1]), "2001:db8:bad::5");
  // Another prefix is another rule.
  EXPECT_EQ(ParseBlockLine(BlockLogFormat::kFirewall, lines[4], kBlocksReference, "other-rule").kind, Kind::kBlock);
  EXPECT_EQ(
      ParseBlockLine(BlockLogFormat::kFirewall, "kernel: dv-blocker IN=x SRC=1.2.3.4 DST=1.2.3.5", kBlocksReference)
          .kind,
      Kind::kOther);
}

// Garbage, truncated lines, very long lines and odd bytes: counted by kind,
// never a crash, never a trigger that is not a clean name.
TEST(BlockLines, GarbageTruncatedLongAndOddBytes) {
  const std::string good = Lines("unbound.log")[2];
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    const BlockLine got = ParseBlockLine(BlockLogFormat::kUnbound, good.substr(0, cut), kBlocksReference);
    EXPECT_NE(got.kind, Kind::kMonitor) << cut;
    for (const char c : got.trigger)
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '*' || c == '_' ||
                  c == '/' || c == ':')
          << cut;
  }
  EXPECT_EQ(ParseBlockLine(BlockLogFormat::kUnbound, "[1] unbound[1:0] info: rpz: applied", kBlocksReference).kind,
            Kind::kOther);
  EXPECT_EQ(ParseBlockLine(BlockLogFormat::kUnbound, "[1] info: rpz: applied x. y", kBlocksReference).kind,
            Kind::kMalformed);
  std::string odd = good;
  odd.replace(odd.find("*.phish"), 1, "\xff\x01");
  EXPECT_EQ(ParseBlockLine(BlockLogFormat::kUnbound, odd, kBlocksReference).kind, Kind::kMalformed);
  std::string nul = good;
  nul[nul.find("phish")] = '\0';
  EXPECT_EQ(ParseBlockLine(BlockLogFormat::kUnbound, nul, kBlocksReference).kind, Kind::kMalformed);
  EXPECT_EQ(
      ParseBlockLine(BlockLogFormat::kUnbound, good + std::string(kMaxBlockLineBytes, 'a'), kBlocksReference).kind,
      Kind::kMalformed);
  const std::string long_name = "[1] info: rpz: applied " + std::string(300, 'a') + ". rpz-nxdomain 1.2.3.4@5 q. A IN";
  EXPECT_EQ(ParseBlockLine(BlockLogFormat::kUnbound, long_name, kBlocksReference).kind, Kind::kMalformed);
  EXPECT_EQ(ParseBlockLine(BlockLogFormat::kUnbound, "[1] info: rpz: applied 10.0.0.1/99 rpz-nxdomain a@1 q. A IN",
                           kBlocksReference)
                .kind,
            Kind::kMalformed);
  for (const auto format : {BlockLogFormat::kUnbound, BlockLogFormat::kBind, BlockLogFormat::kFirewall}) {
    for (const std::string& garbage :
         {std::string(), std::string("\x00\x01\x02", 3), std::string(5000, ' '), std::string("rpz rpz rpz rewrite"),
          std::string("[99999999999999999999] x"), std::string("dv-block SRC= DST=")}) {
      const BlockLine got = ParseBlockLine(format, garbage, kBlocksReference);
      EXPECT_NE(got.kind, Kind::kBlock) << BlockLogFormatName(format);
    }
  }
  // A time the parser does not know: the line is dated when it is read.
  EXPECT_EQ(ParseBlockLine(BlockLogFormat::kUnbound,
                           "info: rpz: applied a.example. rpz-nxdomain 1.2.3.4@5 a.example. A IN", kBlocksReference)
                .time,
            kBlocksReference);
}

TEST(RpzMapping, FindsOwnersExactlyWithTheZoneNameAndByAddress) {
  const RpzMapping mapping = GoldenMapping();
  EXPECT_EQ(mapping.serial(), 1042);
  const auto* phish = mapping.Find("*.phish-login.example", true);
  ASSERT_NE(phish, nullptr);
  EXPECT_EQ(phish->indicators, (std::vector<std::string>{Ind(1), Ind(2)}));
  EXPECT_EQ(mapping.Find("*.phish-login.example.rpz.dannevirke.dk", true), nullptr);
  EXPECT_EQ(mapping.Find("*.phish-login.example.rpz.dannevirke.dk", false), phish);
  ASSERT_NE(mapping.Find("203.0.113.0/24", true), nullptr);
  EXPECT_EQ(mapping.Find("203.0.113.0/24", true)->indicators, std::vector<std::string>{Ind(5)});
  EXPECT_TRUE(mapping.Find("*.single.example", true)->monitor);
  EXPECT_EQ(mapping.Find("unknown.example", true), nullptr);
  const auto inside = ParseIp("203.0.113.9");
  ASSERT_TRUE(inside);
  EXPECT_EQ(mapping.FindAddress(*inside), mapping.Find("203.0.113.0/24", true));
  EXPECT_EQ(mapping.FindAddress(*ParseIp("10.20.30.40")), nullptr);
  EXPECT_FALSE(RpzMapping::Parse("[]").ok());
  EXPECT_FALSE(RpzMapping::Parse("{\"serial\": 1}").ok());
}

// Each format through the counter: per indicator per hour, counts only,
// x_dannevirke_block, and no trace of the query, the client or the resolver.
TEST(BlockCounter, CountsPerIndicatorPerHourAndSendsNothingElse) {
  BlockCounter counter;
  // Before the first mapping, blocks are held.
  for (const auto& line : Lines("unbound.log")) counter.AddLine(BlockLogFormat::kUnbound, line, kBlocksReference);
  EXPECT_EQ(counter.stats().blocks, 0U);
  EXPECT_EQ(counter.stats().held, 9U);
  counter.SetMapping(GoldenMapping());
  for (const auto& line : Lines("bind.log")) counter.AddLine(BlockLogFormat::kBind, line, kBlocksReference);
  for (const auto& line : Lines("firewall.log")) counter.AddLine(BlockLogFormat::kFirewall, line, kBlocksReference);
  const BlockStats& stats = counter.stats();
  EXPECT_EQ(stats.lines, 13U + 8U + 8U);
  EXPECT_EQ(stats.malformed, 1U + 2U);
  // Unbound: 10 blocks of which 198.51.100.23/32 … all mapped; bind: 4 blocks
  // mapped; firewall: 5 block lines, of which 203.0.113.200 → 203.0.113.0/24.
  EXPECT_EQ(stats.blocks, 9U + 4U + 5U);
  EXPECT_EQ(stats.monitored, 2U + 2U);
  EXPECT_EQ(stats.unmapped, 0U);
  auto pending = counter.TakePending(Timestamp::FromCivil(2026, 12, 6, 12, 30, 0));
  ASSERT_TRUE(pending.ok()) << pending.error().message();
  std::map<std::pair<std::string, std::string>, std::int64_t> counts;
  for (const auto& object : *pending) {
    const auto json = nlohmann::json::parse(object.canonical_json);
    EXPECT_EQ(json["x_dannevirke_block"], true);
    EXPECT_EQ(json["first_seen"], json["last_seen"]);
    for (const auto& [key, value] : json.items()) {
      EXPECT_TRUE(key == "type" || key == "spec_version" || key == "id" || key == "created" || key == "modified" ||
                  key == "sighting_of_ref" || key == "count" || key == "first_seen" || key == "last_seen" ||
                  key == "x_dannevirke_block")
          << key;
    }
    for (const char* secret : {"10.20.30", "127.0.0.1", "www.", "shop.", "resolver1", "fw1", "dannevirke.dk", "@"}) {
      EXPECT_EQ(object.canonical_json.find(secret), std::string::npos) << secret << " in " << object.canonical_json;
    }
    counts[{json["sighting_of_ref"], json["first_seen"]}] += json["count"].get<std::int64_t>();
  }
  // phish-login: Unbound 2 (03h) + 4 (03h), BIND 3 (03h and 04h): both indicators.
  EXPECT_EQ((counts[{Ind(1), "2026-12-06T03:00:00.000Z"}]), 2 + 3 + 2);
  EXPECT_EQ((counts[{Ind(1), "2026-12-06T04:00:00.000Z"}]), 1);
  EXPECT_EQ((counts[{Ind(2), "2026-12-06T03:00:00.000Z"}]), 2 + 3 + 2);
  // 203.0.113.0/24: Unbound once, BIND once, the firewall twice (a DST and a SRC).
  EXPECT_EQ((counts[{Ind(5), "2026-12-06T03:00:00.000Z"}]), 1);
  EXPECT_EQ((counts[{Ind(5), "2026-12-06T04:00:00.000Z"}]), 1);
  EXPECT_EQ((counts[{Ind(5), "2026-12-06T05:00:00.000Z"}]), 2);
  EXPECT_EQ((counts[{Ind(13), "2026-12-06T05:00:00.000Z"}]), 1);  // 192.0.2.250 in 192.0.2.128/25
}

}  // namespace
}  // namespace dv::sensor
