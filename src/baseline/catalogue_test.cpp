// SPDX-License-Identifier: Apache-2.0
#include "baseline/catalogue.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "baseline/test_util.h"

namespace dv::baseline {
namespace {

using testing::Builtin;
using testing::ReadTestFile;

TEST(CatalogueTest, BuiltinLoadsAndHasTheIssuesDisciplines) {
  const Catalogue& catalogue = Builtin();
  EXPECT_EQ(catalogue.id, "dannevirke-baseline");
  EXPECT_FALSE(catalogue.version.empty());
  std::set<std::string> ids;
  for (const auto& discipline : catalogue.disciplines) ids.insert(discipline.id);
  // Device protection, user rights, encryption, data exchange, segmentation,
  // IoT, assets, patching, configuration, MFA, logging, backup, incidents,
  // suppliers, awareness, governance, continuity.
  for (const char* expected : {"DEV", "IAM", "CRY", "DEX", "NET", "IOT", "AST", "VUL", "CFG", "MFA", "LOG", "BAK",
                               "INC", "SUP", "AWR", "GOV", "BCM"}) {
    EXPECT_TRUE(ids.count(expected)) << expected;
  }
  EXPECT_GE(catalogue.requirements.size(), 60u);
  EXPECT_LE(catalogue.requirements.size(), 90u);
}

TEST(CatalogueTest, BuiltinIntegrity) {
  const Catalogue& catalogue = Builtin();
  std::set<std::string> ids;
  std::set<char> letters;
  std::map<std::string, int> per_discipline;
  for (const auto& requirement : catalogue.requirements) {
    EXPECT_TRUE(ids.insert(requirement.id).second) << "duplicate " << requirement.id;
    int nis2 = 0;
    for (const auto& mapping : requirement.mappings) {
      if (mapping.framework == Framework::kNis2) {
        ++nis2;
        letters.insert(mapping.ref[0]);
      }
      if (mapping.framework == Framework::kCis) {
        EXPECT_GE(mapping.ig, 1) << requirement.id;
        EXPECT_LE(mapping.ig, 3) << requirement.id;
      }
    }
    EXPECT_GE(nis2, 1) << requirement.id << " has no NIS2 mapping";
    ++per_discipline[requirement.discipline];
    EXPECT_TRUE(catalogue.RequirementIndex(requirement.id).has_value());
  }
  for (char letter : kNis2Letters) EXPECT_TRUE(letters.count(letter)) << "NIS2 (" << letter << ") not covered";
  for (const auto& discipline : catalogue.disciplines) EXPECT_GE(per_discipline[discipline.id], 3) << discipline.id;
  EXPECT_TRUE(catalogue.Validate().ok());
}

TEST(CatalogueTest, SomeRequirementsAreMeasurable) {
  const Catalogue& catalogue = Builtin();
  std::map<std::string, int> facts;
  for (const auto& requirement : catalogue.requirements) {
    for (const auto& fact : requirement.facts) ++facts[fact];
  }
  EXPECT_GE(facts["log_channels"], 1);
  EXPECT_GE(facts["active_rules"], 1);
  EXPECT_GE(facts["sightings_handled"], 1);
  EXPECT_GE(facts["xccdf"], 10);
  // Every XCCDF-mapped requirement says it can be measured by XCCDF.
  for (const auto& entry : catalogue.xccdf_map) {
    for (const auto& requirement_id : entry.requirement_ids) {
      const auto& requirement = catalogue.requirements[*catalogue.RequirementIndex(requirement_id)];
      EXPECT_NE(std::find(requirement.facts.begin(), requirement.facts.end(), "xccdf"), requirement.facts.end())
          << requirement_id << " is in xccdf_map but does not list the xccdf fact";
    }
  }
}

TEST(CatalogueTest, XccdfRuleLookup) {
  const Catalogue& catalogue = Builtin();
  EXPECT_EQ(catalogue.RequirementsForXccdfRule("xccdf_org.ssgproject.content_rule_service_firewalld_enabled"),
            (std::vector<std::string>{"DV-DEV-03"}));
  EXPECT_TRUE(catalogue.RequirementsForXccdfRule("xccdf_org.example_rule_nothing_known").empty());
}

TEST(CatalogueTest, GlobMatch) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("a*c", "abbbc"));
  EXPECT_TRUE(GlobMatch("*_rule_*aide*", "xccdf_org.ssgproject.content_rule_package_aide_installed"));
  EXPECT_FALSE(GlobMatch("a*c", "abbbd"));
  EXPECT_FALSE(GlobMatch("abc", "abcd"));
  EXPECT_TRUE(GlobMatch("*_disabled", "x_service_y_disabled"));
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(CatalogueTest, ErrorsNameTheLineAndField) {
  const std::string good = ReadTestFile("tiny_catalogue.yaml");
  ASSERT_TRUE(ParseCatalogueYaml(good).ok());

  auto bad_relation = ParseCatalogueYaml(Replace(good, "nis2: {a: equal}", "nis2: {a: sameish}"), "c.yaml");
  ASSERT_FALSE(bad_relation.ok());
  EXPECT_EQ(bad_relation.error().message(),
            "c.yaml:23: requirements[0] (DV-AAA-01).nis2.a: unknown mapping relation 'sameish' (expected equal, "
            "subset, superset or intersects)");

  auto no_nis2 = ParseCatalogueYaml(Replace(good, "    nis2: {b: equal}\n", ""), "c.yaml");
  ASSERT_FALSE(no_nis2.ok());
  EXPECT_EQ(no_nis2.error().message(),
            "c.yaml:36: requirements[2] (DV-BBB-01).nis2: every requirement needs a NIS2 mapping");

  auto duplicate = ParseCatalogueYaml(Replace(good, "id: DV-AAA-02", "id: DV-AAA-01"), "c.yaml");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.error().message().find("requirements[1] (DV-AAA-01).id: duplicate requirement id"),
            std::string::npos)
      << duplicate.error().message();

  auto letter = ParseCatalogueYaml(Replace(good, "nis2: {b: equal}", "nis2: {k: equal}"), "c.yaml");
  ASSERT_FALSE(letter.ok());
  EXPECT_NE(letter.error().message().find("unknown Article 21(2) letter 'k'"), std::string::npos);

  auto weight = ParseCatalogueYaml(Replace(good, "weight: 3", "weight: 9"), "c.yaml");
  ASSERT_FALSE(weight.ok());
  EXPECT_NE(weight.error().message().find("(DV-AAA-01).weight: 9 is outside 1–3"), std::string::npos);

  auto unknown_field = ParseCatalogueYaml(Replace(good, "weight: 3", "weigth: 3"), "c.yaml");
  ASSERT_FALSE(unknown_field.ok());
  EXPECT_NE(unknown_field.error().message().find("unknown field 'weigth'"), std::string::npos);

  auto uncovered = ParseCatalogueYaml(Replace(good, ", j: equal", ""), "c.yaml");
  ASSERT_FALSE(uncovered.ok());
  EXPECT_NE(uncovered.error().message().find("no requirement maps to NIS2 Article 21(2)(j)"), std::string::npos);

  auto syntax = ParseCatalogueYaml("catalogue: [unclosed", "c.yaml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().kind(), ErrorKind::kParse);
  EXPECT_EQ(syntax.error().message().rfind("c.yaml:", 0), 0u);
}

}  // namespace
}  // namespace dv::baseline
