// SPDX-License-Identifier: Apache-2.0
#include "risk/graph_io.h"

#include <gtest/gtest.h>

#include "risk/test_graphs.h"

namespace dv::risk {
namespace {

void ExpectSameGraph(const RiskGraph& a, const RiskGraph& b) {
  ASSERT_EQ(a.NodeCount(), b.NodeCount());
  ASSERT_EQ(a.EdgeCount(), b.EdgeCount());
  for (std::uint32_t node = 0; node < a.NodeCount(); ++node) {
    const RiskNode& x = a.node(node);
    const RiskNode& y = b.node(node);
    EXPECT_EQ(x.code, y.code);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.region_code, y.region_code);
    EXPECT_EQ(x.security, y.security);
    EXPECT_EQ(x.security_by_relation, y.security_by_relation);
    EXPECT_EQ(x.exposure, y.exposure);
    EXPECT_EQ(x.population, y.population);
    EXPECT_EQ(x.population_derived, y.population_derived);
    EXPECT_EQ(x.critical, y.critical);
    EXPECT_EQ(a.InitialProbability(node), b.InitialProbability(node));
  }
  for (std::uint32_t edge = 0; edge < a.EdgeCount(); ++edge) {
    EXPECT_EQ(a.edge(edge).from, b.edge(edge).from);
    EXPECT_EQ(a.edge(edge).to, b.edge(edge).to);
    EXPECT_EQ(a.edge(edge).relation, b.edge(edge).relation);
    EXPECT_EQ(a.edge(edge).strength, b.edge(edge).strength);
    EXPECT_EQ(a.EdgeProbability(edge), b.EdgeProbability(edge));
  }
}

RiskGraph Sample() {
  RiskGraph graph = testing::RandomGraph(30, 90, 21);
  std::array<double, kRelationCount> levels{};
  levels.fill(0.4);
  levels[RelationIndex(Relation::kRemoteAccess)] = 0.15;
  EXPECT_TRUE(graph.SetSecurityLevels(3, 0.4, levels).ok());
  return graph;
}

TEST(GraphIo, JsonRoundTrip) {
  const RiskGraph graph = Sample();
  const std::string text = GraphToJson(graph);
  EXPECT_NE(text.find("\"format\": \"dannevirke-risk-graph\""), std::string::npos);
  auto back = GraphFromJson(text);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  ExpectSameGraph(graph, *back);
}

TEST(GraphIo, GraphMlRoundTrip) {
  RiskGraph graph = Sample();
  const std::string text = GraphToGraphMl(graph);
  EXPECT_NE(text.find("edgedefault=\"directed\""), std::string::npos);
  auto back = GraphFromGraphMl(text);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  ExpectSameGraph(graph, *back);
}

TEST(GraphIo, ReadsOtherToolsGraphMl) {
  // Keys under other ids, a comment, entities, CDATA and a default value.
  constexpr std::string_view kText = R"(<?xml version="1.0"?>
<!-- exported elsewhere -->
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="kind" attr.type="string"><default>supplier</default></key>
  <key id="d1" for="node" attr.name="name" attr.type="string"/>
  <key id="d2" for="edge" attr.name="strength" attr.type="double"/>
  <key id="d9" for="node" attr.name="colour" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="A"><data key="d1">Ærø &amp; Co</data><data key="d9">red</data></node>
    <node id="B"><data key="d0">municipality</data><data key="d1"><![CDATA[B <town>]]></data></node>
    <edge source="B" target="A"><data key="d2">0.7</data></edge>
  </graph>
</graphml>)";
  auto graph = GraphFromGraphMl(kText);
  ASSERT_TRUE(graph.ok()) << graph.error().ToString();
  ASSERT_EQ(graph->NodeCount(), 2U);
  EXPECT_EQ(graph->node(0).name, "Ærø & Co");
  EXPECT_EQ(graph->node(0).kind, OrgKind::kSupplier);
  EXPECT_EQ(graph->node(1).kind, OrgKind::kMunicipality);
  EXPECT_EQ(graph->node(1).name, "B <town>");
  ASSERT_EQ(graph->EdgeCount(), 1U);
  EXPECT_EQ(graph->edge(0).strength, 0.7);
  EXPECT_EQ(graph->edge(0).relation, Relation::kUsesSystem);
  EXPECT_EQ(graph->SpreadEdges(0).size(), 1U);  // A's compromise reaches B
}

TEST(GraphIo, ErrorsNameThePlace) {
  auto bad_edge = GraphFromJson(R"({"format": "dannevirke-risk-graph", "version": 1,
    "nodes": [{"code": "A", "kind": "supplier"}],
    "edges": [{"from": "A", "to": "KMD", "relation": "supplied_by", "strength": 0.6}]})");
  ASSERT_FALSE(bad_edge.ok());
  EXPECT_NE(bad_edge.error().message().find("edges[0] A → KMD: unknown node 'KMD'"), std::string::npos)
      << bad_edge.error().message();
  auto bad_kind = GraphFromJson(R"({"format": "dannevirke-risk-graph", "version": 1,
    "nodes": [{"code": "A", "kind": "castle"}], "edges": []})");
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_NE(bad_kind.error().message().find("nodes[0] A"), std::string::npos) << bad_kind.error().message();
  auto bad_number = GraphFromGraphMl(R"(<graphml><key id="s" for="node" attr.name="security"/>
    <graph edgedefault="directed"><node id="A"><data key="s">high</data></node></graph></graphml>)");
  ASSERT_FALSE(bad_number.ok());
  EXPECT_NE(bad_number.error().message().find("nodes[0] A: security: 'high' is not a number"), std::string::npos)
      << bad_number.error().message();
  EXPECT_FALSE(GraphFromJson("{").ok());
  EXPECT_FALSE(GraphFromGraphMl("<graphml><graph edgedefault=\"undirected\"></graph></graphml>").ok());
  EXPECT_FALSE(GraphFromGraphMl("<graphml><node id=\"A\">").ok());
  EXPECT_FALSE(GraphFromGraphMl("not xml").ok());
}

}  // namespace
}  // namespace dv::risk
