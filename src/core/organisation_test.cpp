// SPDX-License-Identifier: Apache-2.0
#include "core/organisation.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

Organisation Copenhagen() {
  Organisation org;
  org.code = "0101";
  org.name = "København";
  org.kind = OrgKind::kMunicipality;
  org.region_code = "1084";
  org.population = 632340;
  return org;
}

TEST(Organisation, ValidMunicipalityPasses) { EXPECT_TRUE(Copenhagen().Validate().ok()); }

TEST(Organisation, StixIdIsStableUuidV5OfTheCode) {
  // uuid5(uuid5(NAMESPACE_DNS, "dannevirke.dk"), "organisation:0101"), computed independently.
  EXPECT_EQ(Copenhagen().StixId(), "identity--ecc0acf1-c904-5dc1-ae03-7781e58a42e1");
}

TEST(Organisation, RejectsBadFieldsNamingTheField) {
  Organisation org = Copenhagen();
  org.code = "KBH";
  auto status = org.Validate();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("4-digit"), std::string::npos);

  org = Copenhagen();
  org.region_code.reset();
  status = org.Validate();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("region_code"), std::string::npos);

  org = Copenhagen();
  org.name.clear();
  EXPECT_NE(org.Validate().error().message().find("'name'"), std::string::npos);
}

TEST(Organisation, CodesFollowTheirForm) {
  EXPECT_TRUE(IsValidOrgCode("0101"));
  EXPECT_TRUE(IsValidOrgCode("NEMLOGIN"));
  EXPECT_TRUE(IsValidOrgCode("FAELLES-ADG_2"));
  EXPECT_FALSE(IsValidOrgCode("nemlogin"));
  EXPECT_FALSE(IsValidOrgCode("1"));
  EXPECT_FALSE(IsValidOrgCode("2ABC"));
  EXPECT_FALSE(IsValidOrgCode("ABCDEFGHIJKLMNOPQ"));
  EXPECT_FALSE(IsValidOrgCode("ÆRØ"));
}

TEST(Organisation, KindAndRelationNamesRoundTrip) {
  for (OrgKind kind : AllOrgKinds()) EXPECT_EQ(ParseOrgKind(OrgKindName(kind)).value(), kind);
  EXPECT_FALSE(ParseOrgKind("county").ok());
  EXPECT_EQ(ParseRelation("shared_admin_access").value(), Relation::kSharedAdminAccess);
  const auto bad = ParseRelation("likes");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("uses_system"), std::string::npos);
}

TEST(Dependency, ValidatesStrengthAndSelfEdges) {
  Dependency dep{"0101", "NEMLOGIN", Relation::kUsesSystem, 0.8, false, ""};
  EXPECT_TRUE(dep.Validate().ok());
  dep.strength = 0.0;
  EXPECT_FALSE(dep.Validate().ok());
  dep.strength = 1.5;
  EXPECT_FALSE(dep.Validate().ok());
  dep.strength = 1.0;
  dep.to = "0101";
  EXPECT_NE(dep.Validate().error().message().find("itself"), std::string::npos);
}

}  // namespace
}  // namespace dv
