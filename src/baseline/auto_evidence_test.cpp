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

TEST(AutoEvidenceTest, NoFactsNoEvidence) {
  MemberFacts facts;
  facts.observed = kNow;
  EXPECT_TRUE(EvidenceFromFacts(Builtin(), facts).empty());
}

}  // namespace
}  // namespace dv::baseline
