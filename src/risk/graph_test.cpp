// SPDX-License-Identifier: Apache-2.0
#include "risk/graph.h"

#include <gtest/gtest.h>

#include <cmath>

#include "risk/test_graphs.h"

namespace dv::risk {
namespace {

std::vector<Organisation> Orgs() {
  std::vector<Organisation> orgs(4);
  orgs[0] = {"0101", "København", OrgKind::kMunicipality, "1084", 600000, "", std::nullopt};
  orgs[1] = {"0751", "Aarhus", OrgKind::kMunicipality, "1082", 350000, "", std::nullopt};
  orgs[2] = {"NEMLOGIN", "NemLog-in", OrgKind::kSharedSystem, std::nullopt, std::nullopt, "", "DIGST"};
  orgs[3] = {"KMD", "KMD", OrgKind::kSupplier, std::nullopt, std::nullopt, "", std::nullopt};
  return orgs;
}

std::vector<Dependency> Deps() {
  return {{"0101", "NEMLOGIN", Relation::kUsesSystem, 0.8, false, ""},
          {"0751", "NEMLOGIN", Relation::kUsesSystem, 0.8, false, ""},
          {"NEMLOGIN", "KMD", Relation::kSuppliedBy, 0.6, true, ""},
          {"0101", "KMD", Relation::kSharedAdminAccess, 0.9, true, ""}};
}

TEST(RiskGraph, BuildsBothAdjacenciesAndTheEdgeFormula) {
  auto graph = RiskGraph::Build(Orgs(), Deps());
  ASSERT_TRUE(graph.ok()) << graph.error().ToString();
  EXPECT_EQ(graph->NodeCount(), 4U);
  EXPECT_EQ(graph->EdgeCount(), 4U);
  const std::uint32_t kmd = *graph->Find("KMD");
  const std::uint32_t cph = *graph->Find("0101");
  EXPECT_EQ(graph->SpreadEdges(kmd).size(), 2U);      // NEMLOGIN and 0101 depend on KMD
  EXPECT_EQ(graph->DependencyEdges(cph).size(), 2U);  // 0101 depends on NEMLOGIN and KMD
  // 0101 → KMD shared_admin_access: 0.9 × 1.0 × (1 − 0.5).
  EXPECT_NEAR(graph->EdgeProbability(3), 0.45, 1e-12);
  // NEMLOGIN → KMD supplied_by: 0.6 × 0.8 × (1 − 0.75).
  EXPECT_NEAR(graph->EdgeProbability(2), 0.12, 1e-12);
}

TEST(RiskGraph, DerivesPopulationServedFromDependents) {
  auto graph = RiskGraph::Build(Orgs(), Deps());
  ASSERT_TRUE(graph.ok());
  const RiskNode& nemlogin = graph->node(*graph->Find("NEMLOGIN"));
  EXPECT_EQ(nemlogin.population, 950000);
  EXPECT_TRUE(nemlogin.population_derived);
  // KMD serves 0101 directly and NEMLOGIN's 950,000; capped at the country.
  EXPECT_EQ(graph->node(*graph->Find("KMD")).population, 950000);
}

TEST(RiskGraph, InitialProbabilityFollowsTheThreatPicture) {
  auto graph = RiskGraph::Build(Orgs(), Deps());
  ASSERT_TRUE(graph.ok());
  // Municipality at 0.5, exposure 1: rates 0.2·1 + 0.2·0.3 + 0.08·0.5 + 0.03·0.1 = 0.303.
  EXPECT_NEAR(graph->InitialProbability(0), 1 - std::exp(-0.5 * 0.303), 1e-12);
  ModelParams calm;
  calm.threat.levels.fill(ThreatLevel::kNone);
  auto quiet = RiskGraph::Build(Orgs(), Deps(), calm);
  ASSERT_TRUE(quiet.ok());
  EXPECT_EQ(quiet->InitialProbability(0), 0.0);
}

TEST(RiskGraph, NamesThePlaceOfBadInput) {
  auto deps = Deps();
  deps.push_back({"0751", "EG", Relation::kSuppliedBy, 0.6, true, ""});
  auto graph = RiskGraph::Build(Orgs(), deps);
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(graph.error().message().find("dependencies[4] 0751 → EG: unknown organisation 'EG'"), std::string::npos)
      << graph.error().message();

  deps = Deps();
  deps[1].strength = 1.5;
  graph = RiskGraph::Build(Orgs(), deps);
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.error().message().find("dependencies[1] 0751 → NEMLOGIN: strength"), std::string::npos);

  std::map<std::string, NodeInput, std::less<>> inputs;
  inputs["0101"].security = 1.2;
  graph = RiskGraph::Build(Orgs(), Deps(), {}, inputs);
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.error().message().find("0101: security must be in [0, 1]"), std::string::npos);

  inputs.clear();
  inputs["NOPE"].security = 0.5;
  graph = RiskGraph::Build(Orgs(), Deps(), {}, inputs);
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.error().message().find("'NOPE'"), std::string::npos);

  ModelParams params;
  params.relation_factor[RelationIndex(Relation::kRemoteAccess)] = -1;
  graph = RiskGraph::Build(Orgs(), Deps(), params);
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.error().message().find("relation_factor.remote_access"), std::string::npos);
}

TEST(RiskGraph, PerRelationLevelsAndSetSecurity) {
  std::map<std::string, NodeInput, std::less<>> inputs;
  inputs["0101"].security = 0.6;
  inputs["0101"].security_by_relation[RelationIndex(Relation::kSharedAdminAccess)] = 0.2;
  auto graph = RiskGraph::Build(Orgs(), Deps(), {}, inputs);
  ASSERT_TRUE(graph.ok());
  EXPECT_NEAR(graph->EdgeProbability(3), 0.9 * 0.8, 1e-12);  // uses the 0.2 for admin access
  EXPECT_NEAR(graph->EdgeProbability(0), 0.8 * 0.8 * 0.4, 1e-12);
  const double before = graph->InitialProbability(0);
  ASSERT_TRUE(graph->SetSecurity(0, 0.8).ok());
  EXPECT_NEAR(graph->EdgeProbability(3), 0.9 * 0.6, 1e-12);
  EXPECT_NEAR(graph->EdgeProbability(0), 0.8 * 0.8 * 0.2, 1e-12);
  EXPECT_LT(graph->InitialProbability(0), before);
  EXPECT_EQ(graph->EdgeThreshold(0), RiskGraph::ProbabilityThreshold(0.8 * 0.8 * 0.2));
  EXPECT_FALSE(graph->SetSecurity(0, 1.5).ok());
  EXPECT_FALSE(graph->SetEdgeProbability(99, 0.5).ok());
}

TEST(RiskGraph, ThresholdsCoverTheEnds) {
  EXPECT_EQ(RiskGraph::ProbabilityThreshold(0.0), 0U);
  EXPECT_EQ(RiskGraph::ProbabilityThreshold(1.0), std::uint64_t{1} << 32);
  EXPECT_EQ(RiskGraph::ProbabilityThreshold(0.5), std::uint64_t{1} << 31);
}

TEST(ThreatNames, RoundTrip) {
  for (auto level :
       {ThreatLevel::kNone, ThreatLevel::kLow, ThreatLevel::kMedium, ThreatLevel::kHigh, ThreatLevel::kVeryHigh}) {
    EXPECT_EQ(*ParseThreatLevel(ThreatLevelName(level)), level);
  }
  EXPECT_EQ(*ParseThreatActor("espionage"), ThreatActor::kEspionage);
  EXPECT_FALSE(ParseThreatLevel("severe").ok());
}

}  // namespace
}  // namespace dv::risk
