// SPDX-License-Identifier: Apache-2.0
#include "baseline/auto_evidence.h"

#include <gtest/gtest.h>

#include "baseline/test_util.h"

namespace dv::baseline {
namespace {

using testing::Builtin;

const Timestamp kNow = Timestamp::FromCivil(2025, 3, 1, 12);

std::vector<const RequirementEvidence*> For(const std::vector<RequirementEvidence>& all, std::string_view id) {
  std::vector<const RequirementEvidence*> out;
  for (const auto& item : all) {
    if (item.requirement_id == id) out.push_back(&item);
  }
  return out;
}

TEST(AutoEvidenceTest, LogChannels) {
  MemberFacts facts;
  facts.observed = kNow;
  facts.log_channels = std::vector<std::string>{"security",
                                                "System",
                                                "Microsoft-Windows-Sysmon/Operational",
                                                "Microsoft-Windows-PowerShell/Operational",
                                                "firewall",
                                                "DNS",
                                                "Application"};
  const auto evidence = EvidenceFromFacts(Builtin(), facts);
  const auto log01 = For(evidence, "DV-LOG-01");
  ASSERT_EQ(log01.size(), 1u);
  EXPECT_EQ(log01[0]->evidence.kind, EvidenceKind::kMeasured);
  EXPECT_EQ(log01[0]->evidence.result, EvidenceResult::kPass);
  EXPECT_EQ(log01[0]->evidence.source, "sensor:log_channels");
  EXPECT_EQ(log01[0]->evidence.collected, kNow);
  EXPECT_EQ(*log01[0]->evidence.valid_until, Timestamp::FromCivil(2025, 3, 8, 12));
  EXPECT_EQ(log01[0]->evidence.note, "7 log channels received; 6 of 6 required");
  EXPECT_EQ(For(evidence, "DV-LOG-05").size(), 1u);
  EXPECT_TRUE(For(evidence, "DV-LOG-03").empty());

  facts.log_channels = std::vector<std::string>{"Security", "System", "dns"};
  const auto partial = EvidenceFromFacts(Builtin(), facts);
  EXPECT_EQ(For(partial, "DV-LOG-01")[0]->evidence.result, EvidenceResult::kPartial);
  EXPECT_EQ(For(partial, "DV-LOG-01")[0]->evidence.note,
            "3 log channels received; 3 of 6 required; missing: Microsoft-Windows-Sysmon/Operational "
            "Microsoft-Windows-PowerShell/Operational firewall");
  facts.log_channels = std::vector<std::string>{};
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-LOG-01")[0]->evidence.result, EvidenceResult::kFail);
}

TEST(AutoEvidenceTest, RulesSightingsAndContact) {
  MemberFacts facts;
  facts.observed = kNow;
  facts.active_rules = 2400;
  facts.sightings_total = 40;
  facts.sightings_handled_in_time = 30;
  facts.last_sensor_contact = Timestamp::FromCivil(2025, 3, 1, 11);
  const auto evidence = EvidenceFromFacts(Builtin(), facts);
  const auto log03 = For(evidence, "DV-LOG-03");
  ASSERT_EQ(log03.size(), 2u);  // active_rules and sensor_contact
  EXPECT_EQ(log03[0]->evidence.result, EvidenceResult::kPass);
  EXPECT_EQ(log03[0]->evidence.note, "2400 active detection rules (threshold 100)");
  EXPECT_EQ(log03[1]->evidence.result, EvidenceResult::kPass);
  const auto inc02 = For(evidence, "DV-INC-02");
  ASSERT_EQ(inc02.size(), 1u);
  // 30 / 40 = 75 %: below 90 %, at or above 50 % → partial.
  EXPECT_EQ(inc02[0]->evidence.result, EvidenceResult::kPartial);
  EXPECT_EQ(inc02[0]->evidence.note, "30 of 40 sightings handled within 24 hours (75%)");

  facts.active_rules = 5;
  facts.sightings_total = 0;
  facts.last_sensor_contact = Timestamp::FromCivil(2025, 2, 1);
  const auto weak = EvidenceFromFacts(Builtin(), facts);
  EXPECT_EQ(For(weak, "DV-LOG-03")[0]->evidence.result, EvidenceResult::kFail);
  EXPECT_EQ(For(weak, "DV-LOG-03")[1]->evidence.result, EvidenceResult::kFail);
  EXPECT_TRUE(For(weak, "DV-INC-02").empty());  // no sightings: no verdict
}

TEST(AutoEvidenceTest, RegisteredPresence) {
  MemberFacts facts;
  facts.observed = kNow;
  facts.register_presence = MemberFacts::RegisterPresence{.domains = 2, .proven_domains = 1, .prefixes = 1, .asns = 0};
  const auto evidence = EvidenceFromFacts(Builtin(), facts);
  const auto ast05 = For(evidence, "DV-AST-05");
  ASSERT_EQ(ast05.size(), 1u);
  EXPECT_EQ(ast05[0]->evidence.result, EvidenceResult::kPass);
  EXPECT_EQ(ast05[0]->evidence.source, "hub:register_presence");
  EXPECT_EQ(ast05[0]->evidence.note, "register: 2 domains (1 proven), 1 networks, 0 AS numbers, 0 open conflicts");
  EXPECT_EQ(evidence.size(), 1u);  // only the requirement that lists the fact
  // An open conflict, or no proven domain, or no network: partial.
  facts.register_presence->open_conflicts = 1;
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-AST-05")[0]->evidence.result, EvidenceResult::kPartial);
  facts.register_presence = MemberFacts::RegisterPresence{.domains = 3, .proven_domains = 0, .prefixes = 4};
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-AST-05")[0]->evidence.result, EvidenceResult::kPartial);
  facts.register_presence = MemberFacts::RegisterPresence{.domains = 1, .proven_domains = 1, .prefixes = 0};
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-AST-05")[0]->evidence.result, EvidenceResult::kPartial);
  // Nothing registered: the hub knows nothing of the member's presence.
  facts.register_presence = MemberFacts::RegisterPresence{};
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-AST-05")[0]->evidence.result, EvidenceResult::kFail);
}

TEST(AutoEvidenceTest, KnownExploitedFindingsPastTheirDueDate) {
  MemberFacts facts;
  facts.observed = kNow;
  facts.kev_fix =
      MemberFacts::KevFix{.open = 2, .open_overdue = 0, .fixed = 3, .median_days_to_fix = 4.0, .p90_days_to_fix = 12.5};
  const auto evidence = EvidenceFromFacts(Builtin(), facts);
  // The vulnerability handling process and timely application updates list it.
  for (const auto* id : {"DV-VUL-02", "DV-VUL-04"}) {
    const auto items = For(evidence, id);
    ASSERT_EQ(items.size(), 1u) << id;
    EXPECT_EQ(items[0]->evidence.result, EvidenceResult::kPass) << id;
    EXPECT_EQ(items[0]->evidence.source, "hub:kev_fix");
    EXPECT_EQ(items[0]->evidence.note,
              "known exploited: 2 open (0 past the KEV due date, longest 0 days), 3 fixed; days to fix median 4.0, "
              "90th percentile 12.5");
  }
  EXPECT_EQ(evidence.size(), 2u);
  facts.kev_fix->open_overdue = 1;
  facts.kev_fix->longest_overdue_days = 7;
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-VUL-04")[0]->evidence.result, EvidenceResult::kPartial);
  facts.kev_fix->longest_overdue_days = 8;
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-VUL-04")[0]->evidence.result, EvidenceResult::kFail);
  // No finding of a known-exploited vulnerability says nothing: no verdict.
  facts.kev_fix = MemberFacts::KevFix{};
  EXPECT_TRUE(EvidenceFromFacts(Builtin(), facts).empty());
}

TEST(AutoEvidenceTest, DutyNotificationsAcknowledgedWithinTheHour) {
  MemberFacts facts;
  facts.observed = kNow;
  facts.duty_acknowledge = MemberFacts::DutyAcknowledge{
      .routed = 10, .acknowledged_in_time = 9, .window_minutes = 60, .median_minutes = 12.0};
  const auto evidence = EvidenceFromFacts(Builtin(), facts);
  const auto inc02 = For(evidence, "DV-INC-02");
  ASSERT_EQ(inc02.size(), 1u);
  EXPECT_EQ(inc02[0]->evidence.result, EvidenceResult::kPass);
  EXPECT_EQ(inc02[0]->evidence.source, "hub:duty_acknowledge");
  EXPECT_EQ(inc02[0]->evidence.note,
            "9 of 10 duty notifications acknowledged within 60 minutes (90%); median 12.0 minutes");
  facts.duty_acknowledge->acknowledged_in_time = 5;
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-INC-02")[0]->evidence.result, EvidenceResult::kPartial);
  facts.duty_acknowledge->acknowledged_in_time = 4;
  EXPECT_EQ(For(EvidenceFromFacts(Builtin(), facts), "DV-INC-02")[0]->evidence.result, EvidenceResult::kFail);
  facts.duty_acknowledge = MemberFacts::DutyAcknowledge{};
  EXPECT_TRUE(EvidenceFromFacts(Builtin(), facts).empty());
}

MemberFacts::MailCheck Mail(std::string check, int pass, int warn, int fail, int error, Timestamp measured,
                            std::vector<std::string> failing = {}) {
  MemberFacts::MailCheck out;
  out.check = std::move(check);
  out.pass = pass;
  out.warn = warn;
  out.fail = fail;
  out.error = error;
  out.failing = std::move(failing);
  out.oldest_measured = measured;
  return out;
}

TEST(AutoEvidenceTest, MailMeasuredFromOutsideIsDatedWhenMeasured) {
  MemberFacts facts;
  facts.observed = kNow;
  const Timestamp measured = Timestamp::FromCivil(2025, 2, 27, 3);
  facts.mail_posture = {Mail("spf", 2, 0, 0, 0, measured),
                        Mail("dmarc", 1, 0, 1, 0, measured, {"b.test: p=none does not protect the domain"}),
                        Mail("tls_rpt", 0, 2, 0, 0, measured)};
  const auto evidence = EvidenceFromFacts(Builtin(), facts);
  const auto dex01 = For(evidence, "DV-DEX-01");
  ASSERT_EQ(dex01.size(), 2u);  // SPF and DMARC; TLS-RPT supports no requirement
  EXPECT_EQ(dex01[0]->evidence.source, "hub:mail_spf");
  EXPECT_EQ(dex01[0]->evidence.result, EvidenceResult::kPass);
  EXPECT_EQ(dex01[0]->evidence.collected, measured);  // not when the facts were gathered
  EXPECT_EQ(dex01[0]->evidence.valid_until, Timestamp(measured.unix_ms() + 7 * 86'400'000LL));
  EXPECT_EQ(dex01[1]->evidence.source, "hub:mail_dmarc");
  EXPECT_EQ(dex01[1]->evidence.result, EvidenceResult::kFail);
  EXPECT_EQ(dex01[1]->evidence.note,
            "dmarc measured from outside on 2 domains: 1 pass, 0 warn, 1 fail; b.test: p=none does not protect the "
            "domain");
  // A warning is partial; lookups that all failed give no verdict; DNSSEC counts too.
  facts.mail_posture = {Mail("dmarc", 1, 1, 0, 0, measured), Mail("spf", 0, 0, 0, 2, measured),
                        Mail("dnssec", 0, 0, 1, 0, measured)};
  const auto measured_again = EvidenceFromFacts(Builtin(), facts);
  const auto partial = For(measured_again, "DV-DEX-01");
  ASSERT_EQ(partial.size(), 2u);
  EXPECT_EQ(partial[0]->evidence.source, "hub:mail_dmarc");
  EXPECT_EQ(partial[0]->evidence.result, EvidenceResult::kPartial);
  EXPECT_EQ(partial[1]->evidence.source, "hub:dnssec");
  EXPECT_EQ(partial[1]->evidence.result, EvidenceResult::kFail);
}

TEST(AutoEvidenceTest, NoFactsNoEvidence) {
  MemberFacts facts;
  facts.observed = kNow;
  EXPECT_TRUE(EvidenceFromFacts(Builtin(), facts).empty());
}

}  // namespace
}  // namespace dv::baseline
