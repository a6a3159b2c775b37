// SPDX-License-Identifier: Apache-2.0
#include "sensor/suricata_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dv::sensor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kIkeRule =
    R"(alert udp any any -> $HOME_NET 500 (msg:"DV IKE from listed address"; sid:9000001; rev:1;))";

TEST(SuricataRules, AcceptsAOneLineRuleWithAnActionAndASid) {
  auto rule = ValidateSuricataRule(std::string("  ") + std::string(kIkeRule) + " ");
  ASSERT_TRUE(rule.ok()) << rule.error().message();
  EXPECT_EQ(*rule, kIkeRule);
  EXPECT_TRUE(ValidateSuricataRule(R"(drop tcp any any -> any 445 (msg:"SMB æøå"; sid : 9000002 ;))").ok());
}

TEST(SuricataRules, RefusesHostileRulesWithTheReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string(kIkeRule) + "\nalert ip any any -> any any (sid:1;)", "control byte 0x0a at offset"},
      {std::string("alert udp any any -> any 500 (msg:\"a\r\"; sid:1;)"), "control byte 0x0d"},
      {std::string("alert udp any any -> any 500 (msg:\"a") + '\0' + "\"; sid:1;)", "control byte 0x00"},
      {"alert udp any any -> any 500 (msg:\"\xff\"; sid:1;)", "invalid UTF-8"},
      {"include /etc/passwd", "does not start with a Suricata action"},
      {"alertudp any any -> any 500 (sid:1;)", "does not start with a Suricata action"},
      {"alert udp any any -> any 500 (msg:\"no sid\";)", "no 'sid:<number>;' option"},
      {"alert udp any any -> any 500 (msg:\"sid:1;\")", "no 'sid:<number>;' option"},
      {"alert udp any any -> any 500 (sid:1;) trailing", "no options in parentheses"},
      {"alert udp any any -> any 500 (msg:\"" + std::string(9000, 'a') + "\"; sid:1;)", "more than 8192"},
      // Another member's rule may inspect traffic, not run scripts or touch the member's files.
      {"alert http any any -> any any (msg:\"x\"; lua:/tmp/evil.lua; sid:2;)", "option 'lua' runs a Lua script"},
      {"alert http any any -> any any (luajit:evil.lua; sid:2;)", "option 'luajit' runs a Lua script"},
      {"alert http any any -> any any (filestore; sid:2;)", "option 'filestore' writes files"},
      {"alert dns any any -> any any (dns.query; dataset:set,seen,type string,save /etc/cron.d/x; sid:3;)",
       "option 'dataset' reads or writes a file through its dataset (save)"},
      {"alert dns any any -> any any (dns.query; dataset:isset,seen,type string,load /etc/shadow; sid:3;)", "(load)"},
      {"alert dns any any -> any any (dns.query; datarep:rep,>,20,type string,state /var/x; sid:3;)", "(state)"},
  };
  for (const auto& [rule, reason] : cases) {
    SCOPED_TRACE(rule.substr(0, 60));
    auto validated = ValidateSuricataRule(rule);
    ASSERT_FALSE(validated.ok());
    EXPECT_THAT(validated.error().message(), HasSubstr(reason));
  }
}

TEST(SuricataRules, OptionNamesInsideQuotedTextAreNotOptions) {
  // "lua:" inside a message, and a dataset without file options, are fine.
  EXPECT_TRUE(ValidateSuricataRule("alert http any any -> any any (msg:\"lua: a; filestore\"; sid:4;)").ok());
  EXPECT_TRUE(
      ValidateSuricataRule("alert dns any any -> any any (dns.query; dataset:isset,bad-domains,type string; sid:5;)")
          .ok());
}

TEST(SuricataRules, BuildsOneRulePerLineSkipsBadExpiredAndRepeatedSids) {
  const Timestamp now = Timestamp::FromCivil(2026, 3, 1, 12);
  const SuricataRules rules = BuildSuricataRules(
      {
          {"indicator--0000000c-0000-4000-8000-000000000000", std::string(kIkeRule), ""},
          {"indicator--0000000a-0000-4000-8000-000000000000", R"(alert tcp any any -> any 443 (msg:"b"; sid:9000003;))",
           "2027-01-01T00:00:00Z"},
          {"indicator--0000000b-0000-4000-8000-000000000000", "alert ip any any -> any any (sid:7;)",
           "2026-02-01T00:00:00Z"},
          {"indicator--0000000d-0000-4000-8000-000000000000", "alert ip any any -> any any (msg:\"x\nY\"; sid:8;)", ""},
          {"indicator--0000000e-0000-4000-8000-000000000000", "alert ip any any -> any any (msg:\"dup\"; sid:9000001;)",
           ""},
          {"indicator--x\n", "alert ip any any -> any any (sid:9;)", ""},
      },
      now);
  EXPECT_EQ(rules.rules, 2U);
  EXPECT_EQ(rules.expired, 1U);
  EXPECT_THAT(rules.skipped,
              ElementsAre(HasSubstr("indicator--0000000d-0000-4000-8000-000000000000: Suricata rule skipped: control"),
                          HasSubstr("indicator--0000000e-0000-4000-8000-000000000000: Suricata rule skipped: sid "
                                    "9000001 is used by another shared rule"),
                          HasSubstr("its id is not a STIX indicator id")));
  EXPECT_EQ(rules.text,
            "# Suricata rules shared as STIX indicators, written by the Dannevirke sensor.\n"
            "# Replaced whole at every change; do not edit (edits are lost).\n"
            "# indicator--0000000a-0000-4000-8000-000000000000\n"
            "alert tcp any any -> any 443 (msg:\"b\"; sid:9000003;)\n"
            "# indicator--0000000c-0000-4000-8000-000000000000\n" +
                std::string(kIkeRule) + "\n");
}

}  // namespace
}  // namespace dv::sensor
