// SPDX-License-Identifier: Apache-2.0
#include "ingest/kv_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/line_parser.h"
#include "ingest/log_time.h"
#include "ingest/test_util.h"

namespace dv {
namespace {

using ::testing::Contains;
using testing::Fields;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

const Timestamp kKvReference = *ParseLogTime("2026-11-26T12:00:00Z");

// Example lines written from the vendors' documented formats (docs/ingest.md).
constexpr std::string_view kZyxel =
    R"(<134>Mar  1 10:15:00 usgflex100 src="203.0.113.7:500" dst="192.0.2.10:500" )"
    R"(msg="priority:1, from WAN to ZyWALL, UDP, service IKE, DROP" note="ACCESS BLOCK" user="unknown" )"
    R"(devID="bc99a1b2c3d4" cat="Firewall" class="Access Control" ob="0" ob_mac="000000000000" )"
    R"(dir="WAN1:ZyWALL" protoID=17 proto="ike")";
constexpr std::string_view kFortinet =
    R"(<189>date=2026-03-01 time=11:15:00 devname="FGT60F-Kommune" devid="FGT60FTK2099XXXX" )"
    R"(eventtime=1772360100000000000 tz="+0100" logid="0000000013" type="traffic" subtype="forward" )"
    R"(level="notice" vd="root" srcip=203.0.113.7 srcport=500 srcintf="wan1" dstip=192.0.2.10 dstport=500 )"
    R"(dstintf="internal" proto=17 action="deny" policyid=0 service="IKE" msg="a \"quoted\" word")";
constexpr std::string_view kSophos =
    R"(<30>device_name="SFW" timestamp="2026-03-01T10:15:00+0000" device_model="XGS2100" )"
    R"(device_serial_id="X21000000000" log_id=010101600002 log_type="Firewall" log_component="Firewall Rule" )"
    R"(log_subtype="Denied" log_version=1 severity="Information" fw_rule_id=7 src_ip=203.0.113.7 )"
    R"(dst_ip=192.0.2.10 protocol="UDP" src_port=500 dst_port=500 status="Deny")";

TEST(KeyValueParser, ReadsZyxelAndSplitsAddressAndPort) {
  KeyValueParser parser(kKvReference);
  EXPECT_EQ(parser.Classify(kZyxel), FirewallVendor::kZyxel);
  Event event;
  ASSERT_TRUE(parser.ParseLine(kZyxel, event).ok());
  const auto fields = Fields(event);
  EXPECT_THAT(fields, Contains(Pair("host", "usgflex100")));
  EXPECT_THAT(fields, Not(Contains(Pair("app", ::testing::_))));
  EXPECT_THAT(fields, Contains(Pair("src", "203.0.113.7:500")));
  EXPECT_THAT(fields, Contains(Pair("msg", "priority:1, from WAN to ZyWALL, UDP, service IKE, DROP")));
  EXPECT_THAT(fields, Contains(Pair("protoID", "17")));
  EXPECT_THAT(fields, Contains(Pair("observer.vendor", "Zyxel")));
  EXPECT_THAT(fields, Contains(Pair("source.ip", "203.0.113.7")));
  EXPECT_THAT(fields, Contains(Pair("source.port", "500")));
  EXPECT_THAT(fields, Contains(Pair("destination.ip", "192.0.2.10")));
  EXPECT_THAT(fields, Contains(Pair("destination.port", "500")));
  ASSERT_TRUE(event.time.has_value());
  EXPECT_EQ(event.time->ToRfc3339(), "2026-03-01T10:15:00.000Z");
}

TEST(KeyValueParser, ReadsFortinetWithItsOwnDateTimeAndZone) {
  KeyValueParser parser(kKvReference);
  EXPECT_EQ(parser.Classify(kFortinet), FirewallVendor::kFortinet);
  Event event;
  ASSERT_TRUE(parser.ParseLine(kFortinet, event).ok());
  const auto fields = Fields(event);
  EXPECT_THAT(fields, Contains(Pair("facility", "23")));
  EXPECT_THAT(fields, Contains(Pair("srcip", "203.0.113.7")));
  EXPECT_THAT(fields, Contains(Pair("dstport", "500")));
  EXPECT_THAT(fields, Contains(Pair("action", "deny")));
  EXPECT_THAT(fields, Contains(Pair("msg", "a \"quoted\" word")));
  EXPECT_THAT(fields, Contains(Pair("observer.vendor", "Fortinet")));
  ASSERT_TRUE(event.time.has_value());
  EXPECT_EQ(event.time->ToRfc3339(), "2026-03-01T10:15:00.000Z");  // 11:15 at +0100
}

TEST(KeyValueParser, ReadsSophosAndNetfilterAsGeneric) {
  KeyValueParser parser(kKvReference);
  EXPECT_EQ(parser.Classify(kSophos), FirewallVendor::kSophos);
  Event event;
  ASSERT_TRUE(parser.ParseLine(kSophos, event).ok());
  EXPECT_THAT(Fields(event), Contains(Pair("src_ip", "203.0.113.7")));
  EXPECT_THAT(Fields(event), Contains(Pair("observer.vendor", "Sophos")));

  const std::string netfilter =
      "Mar  1 10:15:00 gw kernel: [8812.123456] DROP-IN: IN=eth0 OUT= MAC=00:11:22:33:44:55 SRC=203.0.113.7 "
      "DST=192.0.2.10 LEN=120 TOS=0x00 TTL=52 ID=0 PROTO=UDP SPT=500 DPT=500 LEN=100";
  EXPECT_EQ(parser.Classify(netfilter), FirewallVendor::kGeneric);
  ASSERT_TRUE(parser.ParseLine(netfilter, event).ok());
  EXPECT_THAT(Fields(event), Contains(Pair("SRC", "203.0.113.7")));
  EXPECT_THAT(Fields(event), Contains(Pair("OUT", "")));
  EXPECT_THAT(Fields(event), Contains(Pair("observer.type", "firewall")));
  EXPECT_THAT(Fields(event), Not(Contains(Pair("observer.vendor", ::testing::_))));
}

TEST(KeyValueParser, OrdinarySyslogWithAFewPairsIsNotAFirewall) {
  KeyValueParser parser(kKvReference);
  for (const std::string_view line : {
           std::string_view("<38>Mar  1 10:15:00 web sshd[42]: Accepted publickey for user=bob from 10.0.0.5"),
           std::string_view("<14>1 2026-03-01T10:15:00Z host app - - - key=value other=thing"),
           std::string_view(R"(<14>1 2026-03-01T10:15:00Z host app - - [net src="10.0.0.1" dst="10.0.0.2" )"
                            R"(proto="udp" action="allow"] login ok for user=bob)"),
           std::string_view(R"(Mar  1 10:15:00 host kernel: audit: type=1400 apparmor="DENIED" )"
                            R"(operation="open" profile="snap" name="/etc/x" pid=1 comm="a" requested_mask="r")"),
           std::string_view("Mar  1 10:15:00 dhcp dhcpd: DHCPACK src=10.0.0.1 dst=10.0.0.5 via eth0"),
           std::string_view("plain text with a=b and c=d"),
           std::string_view("no pairs at all"),
       }) {
    SCOPED_TRACE(line);
    EXPECT_EQ(parser.Classify(line), FirewallVendor::kNone);
  }
  LineParser lines(kKvReference);
  LogFormat format = LogFormat::kPlain;
  Event event;
  ASSERT_TRUE(lines.ParseLine("<38>Mar  1 10:15:00 web sshd[42]: Accepted publickey for user=bob", event, format).ok());
  EXPECT_EQ(format, LogFormat::kSyslog3164);
  ASSERT_TRUE(lines.ParseLine(kZyxel, event, format).ok());
  EXPECT_EQ(format, LogFormat::kKeyValue);
  ASSERT_TRUE(
      lines.ParseLine("date=2026-03-01 time=10:15:00 devname=fw devid=FG1 logid=13 srcip=1.2.3.4", event, format).ok());
  EXPECT_EQ(format, LogFormat::kKeyValue);  // no syslog header at all
}

TEST(KeyValueParser, UnterminatedQuotesTooManyPairsAndGarbageAreReasons) {
  KeyValueParser parser(kKvReference);
  Event event;
  const std::string unterminated = std::string(kZyxel) + R"( note2="never closed)";
  EXPECT_EQ(parser.Classify(unterminated), FirewallVendor::kZyxel);
  const Status status = parser.ParseLine(unterminated, event);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("unterminated quoted value of 'note2'"));
  EXPECT_TRUE(event.empty());

  std::string many = "devname=fw devid=FG1 logid=13";
  for (int key_idx = 0; key_idx < 5000; ++key_idx) many += " k" + std::to_string(key_idx) + "=v";
  const Status too_many = parser.ParseLine(many, event);
  ASSERT_FALSE(too_many.ok());
  EXPECT_THAT(too_many.error().message(), HasSubstr("more than 1024 key=value pairs"));

  std::string garbage;
  for (int byte = 0; byte < 4096; ++byte) garbage.push_back(static_cast<char>((byte * 131 + 7) % 256));
  EXPECT_EQ(parser.Classify(garbage), FirewallVendor::kNone);
  (void)parser.ParseLine(garbage, event);  // must not crash; the outcome is unspecified
  const std::string backslash_end = R"(devname=fw devid=FG1 logid=13 msg="ends in \)";
  EXPECT_FALSE(parser.ParseLine(backslash_end, event).ok());
}

TEST(KeyValueParser, SplitsSonicWallAndIpv6Addresses) {
  KeyValueParser parser(kKvReference);
  Event event;
  const std::string sonicwall =
      R"(<134>id=firewall sn=0017C5000000 time="2026-03-01 10:15:00 UTC" fw=192.0.2.1 pri=1 c=32 m=537 )"
      R"(msg="Connection Closed" n=1 src=203.0.113.7:500:X1 dst=[2001:db8::10]:500:X0 proto=udp/500)";
  EXPECT_EQ(parser.Classify(sonicwall), FirewallVendor::kSonicWall);
  ASSERT_TRUE(parser.ParseLine(sonicwall, event).ok());
  EXPECT_THAT(Fields(event), Contains(Pair("source.ip", "203.0.113.7")));
  EXPECT_THAT(Fields(event), Contains(Pair("source.port", "500")));
  EXPECT_THAT(Fields(event), Contains(Pair("destination.ip", "2001:db8::10")));
  EXPECT_THAT(Fields(event), Contains(Pair("destination.port", "500")));
}

}  // namespace
}  // namespace dv
