// SPDX-License-Identifier: Apache-2.0
#include "baseline/oscal.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "baseline/test_util.h"

namespace dv::baseline {
namespace {

using testing::Builtin;
using testing::Tiny;
using Json = nlohmann::json;

TEST(OscalTest, CatalogRoundTripBuiltin) {
  const std::string exported = ExportOscalCatalog(Builtin());
  auto imported = ImportOscalCatalog(exported);
  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_TRUE(*imported == Builtin());
  // Deterministic output.
  EXPECT_EQ(ExportOscalCatalog(*imported), exported);
}

TEST(OscalTest, CatalogRoundTripTiny) {
  auto imported = ImportOscalCatalog(ExportOscalCatalog(Tiny()));
  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_TRUE(*imported == Tiny());
  EXPECT_TRUE(imported->RequirementIndex("DV-BBB-01").has_value());
}

TEST(OscalTest, CatalogShapeFollowsOscal) {
  const Json root = Json::parse(ExportOscalCatalog(Builtin()));
  const Json& catalog = root.at("catalog");
  EXPECT_EQ(catalog.at("uuid").get<std::string>().size(), 36u);
  EXPECT_EQ(catalog.at("metadata").at("oscal-version"), std::string(kOscalVersion));
  EXPECT_EQ(catalog.at("metadata").at("version"), Builtin().version);
  ASSERT_EQ(catalog.at("groups").size(), Builtin().disciplines.size());
  const Json& control = catalog.at("groups")[0].at("controls")[0];
  EXPECT_EQ(control.at("id"), Builtin().requirements[0].id);
  EXPECT_EQ(control.at("parts")[0].at("name"), "statement");
  bool has_nis2 = false;
  for (const auto& prop : control.at("props")) {
    EXPECT_FALSE(prop.at("value").get<std::string>().empty());
    if (prop.at("name") == "nis2") {
      has_nis2 = true;
      EXPECT_EQ(prop.at("ns"), std::string(kOscalNamespace));
      EXPECT_TRUE(prop.contains("class"));
    }
  }
  EXPECT_TRUE(has_nis2);
}

TEST(OscalTest, ImportErrorsNameThePath) {
  Json root = Json::parse(ExportOscalCatalog(Tiny()));
  for (auto& prop : root["catalog"]["groups"][0]["controls"][1]["props"]) {
    if (prop["name"] == "nis2") prop["class"] = "nearly";
  }
  auto bad = ImportOscalCatalog(root.dump(), "c.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "c.json: $.catalog.groups[0].controls[1].props[5].class: unknown mapping relation 'nearly' (expected "
            "equal, subset, superset or intersects)");

  Json missing = Json::parse(ExportOscalCatalog(Tiny()));
  missing["catalog"].erase("metadata");
  auto no_metadata = ImportOscalCatalog(missing.dump(), "c.json");
  ASSERT_FALSE(no_metadata.ok());
  EXPECT_EQ(no_metadata.error().message(), "c.json: $.catalog.metadata: is required");

  auto syntax = ImportOscalCatalog("{\"catalog\": ", "c.json");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().kind(), ErrorKind::kParse);

  // A catalog that parses but breaks integrity (a control without NIS2).
  Json no_nis2 = Json::parse(ExportOscalCatalog(Tiny()));
  Json& props = no_nis2["catalog"]["groups"][1]["controls"][0]["props"];
  for (auto it = props.begin(); it != props.end();) it = (*it)["name"] == "nis2" ? props.erase(it) : it + 1;
  auto invalid = ImportOscalCatalog(no_nis2.dump(), "c.json");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().message(),
            "c.json: requirements[2] (DV-BBB-01).nis2: every requirement needs a NIS2 mapping");
}

TEST(OscalTest, AssessmentResults) {
  Assessment assessment;
  assessment.member = "0101";
  assessment.catalogue_version = "t1";
  assessment.assessed_at = Timestamp::FromCivil(2025, 3, 1);
  RequirementAssessment met;
  met.requirement_id = "DV-AAA-01";
  met.status = ReqStatus::kMet;
  met.maturity = 4;
  met.owner = "IT-chef";
  Evidence evidence;
  evidence.kind = EvidenceKind::kMeasured;
  evidence.source = "sensor:log_channels";
  evidence.collected = Timestamp::FromCivil(2025, 2, 28);
  evidence.valid_until = Timestamp::FromCivil(2025, 3, 7);
  evidence.result = EvidenceResult::kPass;
  met.evidence.push_back(evidence);
  RequirementAssessment not_met;
  not_met.requirement_id = "DV-BBB-01";
  not_met.status = ReqStatus::kNotMet;
  assessment.items = {met, not_met};
  const Scorecard card = Score(Tiny(), assessment);
  const std::string text = ExportOscalAssessmentResults(Tiny(), assessment, card);
  const Json root = Json::parse(text);
  const Json& results = root.at("assessment-results");
  EXPECT_TRUE(results.contains("import-ap"));
  ASSERT_EQ(results.at("results").size(), 1u);
  const Json& result = results.at("results")[0];
  EXPECT_EQ(result.at("start"), "2025-03-01T00:00:00.000Z");
  ASSERT_EQ(result.at("observations").size(), 1u);
  EXPECT_EQ(result.at("observations")[0].at("methods")[0], "TEST");
  EXPECT_EQ(result.at("observations")[0].at("expires"), "2025-03-07T00:00:00.000Z");
  ASSERT_EQ(result.at("findings").size(), 2u);
  EXPECT_EQ(result.at("findings")[0].at("target").at("target-id"), "DV-AAA-01_smt");
  EXPECT_EQ(result.at("findings")[0].at("target").at("status").at("state"), "satisfied");
  EXPECT_EQ(result.at("findings")[0].at("related-observations")[0].at("observation-uuid"),
            result.at("observations")[0].at("uuid"));
  EXPECT_EQ(result.at("findings")[1].at("target").at("status").at("state"), "not-satisfied");
  // Overall: R1 met (3), R2 and R3 not assessed/not met (1 + 2), R4 not assessed (2): 3 / 8 = 37.5
  bool found = false;
  for (const auto& prop : result.at("props")) {
    if (prop.at("name") == "overall-score") {
      EXPECT_EQ(prop.at("value"), "37.5");
      found = true;
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(ExportOscalAssessmentResults(Tiny(), assessment, card), text);
}

}  // namespace
}  // namespace dv::baseline
