// SPDX-License-Identifier: Apache-2.0
#include "incident/competence.h"

#include <gtest/gtest.h>

namespace dv::incident {
namespace {

using Json = nlohmann::json;

CompetenceRegister Parse(const Json& json) {
  auto reg = RegisterFromJson(json);
  EXPECT_TRUE(reg.ok()) << reg.error().ToString();
  return reg.ok() ? *reg : CompetenceRegister{};
}

TEST(CompetenceTest, TwelveEcsfProfilesWithDanishAndEnglishNames) {
  ASSERT_EQ(RoleProfiles().size(), 12U);
  for (const auto& profile : RoleProfiles()) {
    EXPECT_FALSE(profile.da.empty()) << profile.id;
    EXPECT_FALSE(profile.en.empty()) << profile.id;
    EXPECT_EQ(FindRole(profile.id), &profile);
  }
}

TEST(CompetenceTest, ErrorsNameTheField) {
  auto bad = RegisterFromJson({{"roles", {{{"role", "wizard"}}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "field 'roles[0].role': 'wizard' is not one of the 12 ECSF role profiles");
  bad = RegisterFromJson({{"roles", {{{"role", "ciso"}, {"holders", {{{"kind", "staff"}}}}}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "field 'roles[0].holders[0].initials': is required");
  bad = RegisterFromJson({{"roles", {{{"role", "ciso"}, {"holders", {{{"kind", "contracted"}}}}}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "field 'roles[0].holders[0].provider': is required");
  bad = RegisterFromJson({{"trainings", {{{"title", "NIS2"}, {"kind", "management"}, {"date", "2026-13-01"}}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "field 'trainings[0].date': must be a date YYYY-MM-DD");
}

TEST(CompetenceTest, SizeBandsFollowPopulation) {
  EXPECT_EQ(BandFor(OrgKind::kMunicipality, 1800), SizeBand::kSmall);
  EXPECT_EQ(BandFor(OrgKind::kMunicipality, std::nullopt), SizeBand::kSmall);
  EXPECT_EQ(BandFor(OrgKind::kMunicipality, 30000), SizeBand::kMedium);
  EXPECT_EQ(BandFor(OrgKind::kMunicipality, 100000), SizeBand::kLarge);
  EXPECT_EQ(BandFor(OrgKind::kRegion, 1'800'000), SizeBand::kMedium);
  EXPECT_EQ(TargetRoles(SizeBand::kSmall).size(), 4U);
  EXPECT_EQ(TargetRoles(SizeBand::kMedium).size(), 8U);
  EXPECT_EQ(TargetRoles(SizeBand::kLarge).size(), 11U);
}

TEST(CompetenceTest, GapsCountContractedAsPartlyAndFlagSinglePersons) {
  const auto reg =
      Parse({{"roles",
              {{{"role", "ciso"}, {"holders", {{{"initials", "AB"}}}}},
               {{"role", "incident_responder"}, {"holders", {{{"kind", "contracted"}, {"provider", "Regional SOC"}}}}},
               {{"role", "risk_manager"}, {"holders", {{{"initials", "CD"}}, {{"initials", "EF"}}}}}}},
             {"trainings",
              {{{"title", "NIS2-ledelsesuddannelse"},
                {"kind", "management"},
                {"date", "2024-06-01"},
                {"participants", {"management"}}}}}});
  EXPECT_TRUE(RegisterFromJson(RegisterToJson(reg)).ok());  // a service without initials round-trips
  const GapReport gaps = AnalyseGaps(reg, SizeBand::kSmall, "2026-05-01");
  EXPECT_EQ(gaps.gaps, (std::vector<std::string>{"incident_responder", "legal_compliance"}));
  EXPECT_EQ(gaps.single_person, std::vector<std::string>{"ciso"});
  EXPECT_DOUBLE_EQ(gaps.score, (1 + 0.5 + 1 + 0) / 4.0);
  EXPECT_TRUE(gaps.management_training_current);
  EXPECT_FALSE(AnalyseGaps(reg, SizeBand::kSmall, "2026-06-02").management_training_current);
  const Json evidence = BaselineEvidence(gaps);
  EXPECT_EQ(evidence["ciso_assigned"], true);
  EXPECT_EQ(evidence["incident_response_capacity"], true);
  EXPECT_EQ(evidence["last_management_training"], "2024-06-01");
}

TEST(CompetenceTest, NationalSummarySuggestsSharedCapacityWhereARegionLacksARole) {
  const auto empty = CompetenceRegister{};
  const auto with_responder =
      Parse({{"roles", {{{"role", "incident_responder"}, {"holders", {{{"initials", "X"}}}}}}}});
  std::vector<MemberCompetence> members = {
      {"0250", "1084", AnalyseGaps(empty, SizeBand::kSmall, "2026-05-01")},
      {"0260", "1084", AnalyseGaps(empty, SizeBand::kSmall, "2026-05-01")},
      {"0270", "1084", AnalyseGaps(with_responder, SizeBand::kSmall, "2026-05-01")},
      {"0751", "1082", AnalyseGaps(empty, SizeBand::kLarge, "2026-05-01")},
  };
  const NationalCompetence national = SummariseNational(members, 2);
  EXPECT_EQ(national.registers, 4);
  bool responder_suggested = false;
  for (const auto& suggestion : national.suggestions) {
    EXPECT_EQ(suggestion.region_code, "1084");  // one member of 1082 is below the threshold
    EXPECT_GE(suggestion.members.size(), 2U);
    if (suggestion.role == "incident_responder") {
      responder_suggested = true;
      EXPECT_EQ(suggestion.members, (std::vector<std::string>{"0250", "0260"}));
    }
  }
  EXPECT_TRUE(responder_suggested);
  EXPECT_EQ(national.suggestions.front().members.size(), 3U);  // ciso etc. lacking in all three
  EXPECT_EQ(national.single_person, (std::vector<std::pair<std::string, std::string>>{{"0270", "incident_responder"}}));
  for (const auto& count : national.roles) {
    if (count.role == "incident_responder") {
      EXPECT_EQ(count.covered, 1);
      EXPECT_EQ(count.missing, 3);
    }
  }
}

}  // namespace
}  // namespace dv::incident
