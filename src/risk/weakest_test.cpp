// SPDX-License-Identifier: Apache-2.0
#include "risk/weakest.h"

#include <gtest/gtest.h>

#include "risk/test_graphs.h"

namespace dv::risk {
namespace {

using testing::MakeGraph;

TEST(WeakestLinks, TheHubOfAStarComesFirstWithItsReasons) {
  // N0 is a supplier to four members (p = 0.5 each); N5 stands alone.
  RiskGraph graph = MakeGraph({10, 100, 100, 100, 100, 100}, {{0, 1, 0.5}, {0, 2, 0.5}, {0, 3, 0.5}, {0, 4, 0.5}});
  WeakestOptions options;
  options.rr_sets = 100000;
  options.threads = 2;
  options.top = 0;
  auto report = WeakestLinks(graph, options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_EQ(report->ranking.size(), 6U);
  const WeakLink& first = report->ranking[0];
  EXPECT_EQ(first.code, "N0");
  // harm(N0) = 10 + 4 · 0.5 · 100 = 210; members 1 + 4 · 0.5 = 3.
  EXPECT_NEAR(first.harm.mean, 210, 1.5 * first.harm.HalfWidth());
  EXPECT_NEAR(first.members.mean, 3, 1.5 * first.members.HalfWidth());
  EXPECT_NEAR(first.score.mean, first.harm.mean * first.likelihood, 1e-9);
  EXPECT_EQ(first.dependents, 4U);
  ASSERT_EQ(first.top_edges.size(), 3U);
  EXPECT_NEAR(first.top_edges[0].probability, 0.5, 1e-12);
  EXPECT_NEAR(first.top_edges[0].share, 0.5 * 100 / 210, 0.03);
  EXPECT_NE(first.reason.find("4 organisations depend on it"), std::string::npos) << first.reason;
  // The best cut node is the hub; every star edge carries a quarter of its spread.
  ASSERT_FALSE(report->cut_nodes.empty());
  EXPECT_EQ(report->cut_nodes[0].label, "N0");
  ASSERT_FALSE(report->cut_edges.empty());
  EXPECT_NE(report->cut_edges[0].label.find("→ N0"), std::string::npos) << report->cut_edges[0].label;
  for (const CutPoint& cut : report->cut_nodes) EXPECT_GE(cut.harm_reduction, 0);
  EXPECT_GT(report->expected_harm.mean, 0);
  EXPECT_LE(report->expected_harm.low, report->expected_harm.mean);
}

TEST(WeakestLinks, ReportsGapsBelowTheGeneralLevel) {
  RiskGraph graph = MakeGraph({10, 100}, {{0, 1, 0.5}});
  std::array<double, kRelationCount> levels{};
  levels.fill(0.5);
  levels[RelationIndex(Relation::kRemoteAccess)] = 0.1;
  ASSERT_TRUE(graph.SetSecurityLevels(1, 0.5, levels).ok());
  WeakestOptions options;
  options.rr_sets = 2000;
  options.top = 0;
  auto report = WeakestLinks(graph, options);
  ASSERT_TRUE(report.ok());
  bool found = false;
  for (const WeakLink& link : report->ranking) {
    if (link.code != "N1") continue;
    found = true;
    ASSERT_EQ(link.gaps.size(), 1U);
    EXPECT_EQ(link.gaps[0].first, Relation::kRemoteAccess);
    EXPECT_NE(link.reason.find("0.10 for remote_access"), std::string::npos) << link.reason;
  }
  EXPECT_TRUE(found);
}

TEST(WeakestLinks, DeterministicWhateverTheThreads) {
  const RiskGraph graph = testing::RandomGraph(100, 400, 12);
  WeakestOptions options;
  options.rr_sets = 20000;
  options.threads = 1;
  auto one = WeakestLinks(graph, options);
  options.threads = 2;
  auto two = WeakestLinks(graph, options);
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_EQ(one->ranking.size(), two->ranking.size());
  for (std::size_t rank = 0; rank < one->ranking.size(); ++rank) {
    EXPECT_EQ(one->ranking[rank].code, two->ranking[rank].code);
    EXPECT_EQ(one->ranking[rank].harm.mean, two->ranking[rank].harm.mean);
  }
  EXPECT_EQ(one->expected_harm.mean, two->expected_harm.mean);
}

}  // namespace
}  // namespace dv::risk
