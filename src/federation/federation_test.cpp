// SPDX-License-Identifier: Apache-2.0
#include "federation/federation.h"

#include <gtest/gtest.h>

#include <map>

namespace dv {
namespace {

constexpr std::string_view kCsv =
    "code,name,region_code,population\n0101,København,1084,632340\n0751,Aarhus,1082,349983\n";
constexpr std::string_view kOrgs = R"([
  {"code": "1084", "name": "Region Hovedstaden", "kind": "region"},
  {"code": "1082", "name": "Region Midtjylland", "kind": "region"},
  {"code": "NEMLOGIN", "name": "NemLog-in", "kind": "shared_system", "operator": "DIGST"},
  {"code": "DIGST", "name": "Digitaliseringsstyrelsen", "kind": "state_body"}
])";
constexpr std::string_view kDeps = R"({"edges": [
  {"from": "NEMLOGIN", "to": "DIGST", "relation": "coordinated_by", "strength": 0.2, "illustrative": false}
], "rules": [
  {"from_kind": "municipality", "to": "NEMLOGIN", "relation": "uses_system", "strength": 0.8, "illustrative": false},
  {"from_kind": "municipality", "from_region": "1084", "to": "1084", "relation": "member_of_region", "strength": 0.2, "illustrative": false}
]})";

TEST(ParseFederation, ExpandsRulesAndPutsRegionsFirst) {
  auto data = ParseFederation(kCsv, kOrgs, kDeps);
  ASSERT_TRUE(data.ok()) << data.error().ToString();
  ASSERT_EQ(data->organisations.size(), 6U);
  EXPECT_EQ(data->organisations[0].kind, OrgKind::kRegion);
  EXPECT_EQ(data->organisations[1].kind, OrgKind::kRegion);
  ASSERT_EQ(data->dependencies.size(), 4U);  // 1 edge + 2 uses_system + 1 member_of_region
  EXPECT_EQ(data->dependencies[3].from, "0101");
  EXPECT_EQ(data->dependencies[3].relation, Relation::kMemberOfRegion);
}

void ExpectParseError(std::string_view csv, std::string_view orgs, std::string_view deps, std::string_view needle) {
  auto data = ParseFederation(csv, orgs, deps);
  ASSERT_FALSE(data.ok()) << "expected an error mentioning " << needle;
  EXPECT_NE(data.error().message().find(needle), std::string::npos) << data.error().message();
}

TEST(ParseFederation, ErrorsNameFileLineAndField) {
  ExpectParseError("code,name,region_code,population\n0101,København,1084,many\n", kOrgs, kDeps,
                   "municipalities.csv:2: field 'population'");
  ExpectParseError("code,name,region_code,population\n0101,København,1084\n", kOrgs, kDeps,
                   "municipalities.csv:2: want 4 fields");
  ExpectParseError("code;name\n", kOrgs, kDeps, "municipalities.csv:1: header");
  ExpectParseError(kCsv, "[\n{\"code\": \"X1\",\n \"name\": }]", kDeps, "organisations.json:3");
  ExpectParseError(kCsv, R"([{"code": "AULA", "name": "Aula", "kind": "app"}])", kDeps,
                   "object 0 (code 'AULA'): field 'kind'");
  ExpectParseError(
      kCsv, kOrgs,
      R"({"edges": [{"from": "0101", "to": "KMD", "relation": "supplied_by", "strength": 0.5, "illustrative": true}]})",
      "edges[0]: unknown organisation 'KMD'");
  ExpectParseError(
      kCsv, kOrgs,
      R"({"edges": [{"from": "0101", "to": "DIGST", "relation": "owns", "strength": 0.5, "illustrative": true}]})",
      "edges[0]: field 'relation'");
  ExpectParseError(
      kCsv, kOrgs,
      R"({"rules": [{"from_kind": "supplier", "to": "DIGST", "relation": "coordinated_by", "strength": 0.5, "illustrative": true}]})",
      "rules[0]: matches no organisation");
}

TEST(ParseFederation, RejectsDuplicatesAndUnknownOperators) {
  ExpectParseError("code,name,region_code,population\n0101,København,1084,1\n0101,Kbh,1084,1\n", kOrgs, kDeps,
                   "'0101' is defined twice");
  ExpectParseError(
      kCsv,
      R"([{"code": "1084", "name": "R", "kind": "region"}, {"code": "1082", "name": "R", "kind": "region"}, {"code": "AULA", "name": "Aula", "kind": "shared_system", "operator": "KOMBIT"}])",
      R"({})", "unknown organisation 'KOMBIT'");
  ExpectParseError(kCsv, kOrgs, R"({"edges": [
    {"from": "0101", "to": "DIGST", "relation": "coordinated_by", "strength": 0.5, "illustrative": true},
    {"from": "0101", "to": "DIGST", "relation": "coordinated_by", "strength": 0.4, "illustrative": true}]})",
                   "duplicate edge");
}

TEST(DemoFederation, HasEveryMunicipalityAndRegionWithConsistentEdges) {
  auto data = LoadDemoFederation();
  ASSERT_TRUE(data.ok()) << data.error().ToString();
  std::map<OrgKind, int> per_kind;
  std::map<std::string, const Organisation*> by_code;
  for (const auto& org : data->organisations) {
    ++per_kind[org.kind];
    by_code[org.code] = &org;
  }
  EXPECT_EQ(per_kind[OrgKind::kMunicipality], 98);
  EXPECT_EQ(per_kind[OrgKind::kRegion], 5);
  EXPECT_GT(per_kind[OrgKind::kSharedSystem], 5);
  EXPECT_GT(per_kind[OrgKind::kSupplier], 3);
  EXPECT_GT(per_kind[OrgKind::kStateBody], 2);
  ASSERT_TRUE(by_code.count("0101"));
  EXPECT_EQ(by_code["0101"]->name, "København");
  EXPECT_EQ(by_code["0101"]->region_code, "1084");
  // Every municipality belongs to exactly its own region in the graph.
  std::map<std::string, int> region_edges;
  for (const auto& dep : data->dependencies) {
    if (dep.relation != Relation::kMemberOfRegion || by_code[dep.from]->kind != OrgKind::kMunicipality) continue;
    EXPECT_EQ(by_code[dep.from]->region_code, dep.to) << dep.from;
    ++region_edges[dep.from];
  }
  EXPECT_EQ(region_edges.size(), 98U);
  for (const auto& [code, count] : region_edges) EXPECT_EQ(count, 1) << code;
}

TEST(DemoFederation, SeedsIdempotently) {
  auto data = LoadDemoFederation();
  ASSERT_TRUE(data.ok());
  auto store = Store::Open("sqlite::memory:");
  ASSERT_TRUE(store.ok());
  auto first = SeedFederation(**store, *data);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->organisations, static_cast<std::int64_t>(data->organisations.size()));
  const auto audit_after_first = (*store)->ListAudit(Store::kMaxPageSize)->size();
  const auto edges_after_first = *(*store)->CountDependencies();
  ASSERT_TRUE(SeedFederation(**store, *data).ok());
  EXPECT_EQ(*(*store)->CountDependencies(), edges_after_first);
  EXPECT_EQ((*store)->ListAudit(Store::kMaxPageSize)->size(), audit_after_first);
  OrganisationQuery query;
  query.kind = OrgKind::kMunicipality;
  EXPECT_EQ((*store)->ListOrganisations(query)->total, 98);
}

TEST(DemoFederation, AFailedSeedLeavesTheStoreUntouched) {
  auto store = Store::Open("sqlite::memory:");
  ASSERT_TRUE(store.ok());
  FederationData data;
  Organisation ok_org;
  ok_org.code = "AULA";
  ok_org.name = "Aula";
  ok_org.kind = OrgKind::kSharedSystem;
  data.organisations.push_back(ok_org);
  data.dependencies.push_back({"AULA", "MISSING", Relation::kSuppliedBy, 0.5, true, ""});
  auto report = SeedFederation(**store, data);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message().find("MISSING"), std::string::npos);
  EXPECT_EQ((*store)->GetOrganisation("AULA").error().kind(), ErrorKind::kNotFound);
}

}  // namespace
}  // namespace dv
