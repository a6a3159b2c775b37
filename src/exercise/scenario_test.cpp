// SPDX-License-Identifier: Apache-2.0
#include "exercise/scenario.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "federation/federation.h"

namespace dv::exercise {
namespace {

const std::vector<Organisation>& Demo() {
  static const std::vector<Organisation> organisations = LoadDemoFederation().value().organisations;
  return organisations;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string kSmall = R"(id: small
title: {da: "Lille øvelse", en: "Small exercise"}
participants:
  - member: "0101"
  - region: "1084"
injects:
  - at: "+00:00"
    kind: indicator
    label: bad
    payload: {name: "Slem adresse", pattern: "[ipv4-addr:value = '192.0.2.1']"}
  - at: "+00:10"
    kind: sighting
    to: "0147"
    payload: {of: bad, by: "0147", count: 2}
expect:
  - who: participants
    what: acknowledge
    after: bad
    within: "+00:30"
)";

TEST(Scenario, ParsesParticipantsInjectsAndDeadlines) {
  auto scenario = ParseScenario(kSmall, "small.yaml", Demo());
  ASSERT_TRUE(scenario.ok()) << scenario.error().ToString();
  EXPECT_EQ(scenario->id, "small");
  EXPECT_EQ(scenario->title.da, "Lille øvelse");
  // 0101 once, then the rest of Region Hovedstaden's 29 municipalities.
  ASSERT_EQ(scenario->participants.size(), 29U);
  EXPECT_EQ(scenario->participants.front(), "0101");
  EXPECT_EQ(std::count(scenario->participants.begin(), scenario->participants.end(), "0101"), 1);
  ASSERT_EQ(scenario->injects.size(), 2U);
  EXPECT_EQ(scenario->injects[0].kind, InjectKind::kIndicator);
  EXPECT_EQ(scenario->injects[0].payload["tlp"], "GREEN");
  EXPECT_EQ(scenario->injects[0].payload["confidence"], 80);
  EXPECT_EQ(scenario->injects[1].at_seconds, 600);
  EXPECT_EQ(scenario->injects[1].to, std::vector<std::string>{"0147"});
  EXPECT_EQ(scenario->injects[1].line, 11);
  ASSERT_EQ(scenario->expect.size(), 1U);
  EXPECT_EQ(scenario->expect[0].who.size(), 29U);
  EXPECT_EQ(scenario->expect[0].after_inject, 0);
  EXPECT_EQ(scenario->expect[0].within_seconds, 1800);
  EXPECT_EQ(scenario->length_seconds, 1800);
}

// Each bad scenario is refused naming the file, the line and the field.
struct Bad {
  std::string from;
  std::string to;
  std::string error;
};

class BadScenario : public ::testing::TestWithParam<Bad> {};

TEST_P(BadScenario, IsRefusedNamingThePlace) {
  const Bad& bad = GetParam();
  std::string text = kSmall;
  const auto at = text.find(bad.from);
  ASSERT_NE(at, std::string::npos) << bad.from;
  text.replace(at, bad.from.size(), bad.to);
  auto scenario = ParseScenario(text, "bad.yaml", Demo());
  ASSERT_FALSE(scenario.ok()) << bad.to;
  EXPECT_EQ(scenario.error().message(), bad.error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadScenario,
    ::testing::Values(
        Bad{"member: \"0101\"", "member: \"9999\"", "bad.yaml:4: participants[0].member: no organisation '9999'"},
        Bad{"region: \"1084\"", "region: \"0101\"", "bad.yaml:5: participants[1].region: no region '0101'"},
        Bad{"at: \"+00:10\"", "at: \"+00:61\"",
            "bad.yaml:11: injects[1].at: '+00:61' is not a time after the start (+HH:MM or +HH:MM:SS)"},
        Bad{"at: \"+00:10\"", "at: \"10 minutes\"",
            "bad.yaml:11: injects[1].at: '10 minutes' is not a time after the start (+HH:MM or +HH:MM:SS)"},
        Bad{"192.0.2.1']", "192.0.2.1'",
            "bad.yaml:10: injects[0].payload.pattern: pattern offset 30: expected ']', found end of pattern"},
        Bad{"to: \"0147\"", "to: \"0751\"", "bad.yaml:13: injects[1].to: '0751' does not take part in this exercise"},
        Bad{"of: bad,", "of: worse,",
            "bad.yaml:14: injects[1].payload.of: no earlier indicator inject labelled 'worse'"},
        Bad{"kind: sighting", "kind: rumour",
            "bad.yaml:12: injects[1].kind: 'rumour' is not indicator, sighting, kev, exposure, incident, guidance or "
            "message"},
        Bad{"what: acknowledge", "what: panic",
            "bad.yaml:17: expect[0].what: 'panic' is not acknowledge, decide, early_warning, notification or "
            "final_report"},
        Bad{"after: bad", "after: nothing", "bad.yaml:18: expect[0].after: no inject labelled 'nothing'"},
        Bad{"id: small", "id: Small Exercise",
            "bad.yaml:1: id: 'Small Exercise' must be lower-case letters, digits and '-' (at most 64)"},
        Bad{"count: 2}", "count: -2}",
            "bad.yaml:14: injects[1].payload.count: '-2' is not a whole number from 1 to 1000000"},
        Bad{"title: {da: \"Lille øvelse\", en: \"Small exercise\"}", "title: {da: \"Lille øvelse\"}",
            "bad.yaml:2: title: field 'en' is missing"},
        Bad{"    label: bad\n", "    label: bad\n    colour: red\n",
            "bad.yaml:10: injects[0]: unknown field 'colour'"}));

TEST(Scenario, InjectsOutOfTimeOrderAreRefused) {
  std::string text = kSmall;
  text.replace(text.find("+00:10"), 6, "+00:00");
  text.replace(text.find("at: \"+00:00\""), 12, "at: \"+00:05\"");
  auto scenario = ParseScenario(text, "late.yaml", Demo());
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.error().message(), "late.yaml:11: injects[1].at: injects must be written in time order");
}

TEST(Scenario, MalformedYamlNamesTheLine) {
  auto scenario = ParseScenario("id: x\ntitle: [unclosed\n", "broken.yaml", Demo());
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.error().message().rfind("broken.yaml:", 0), 0U) << scenario.error().message();
}

TEST(Scenario, HostileInputIsRefusedNotACrash) {
  EXPECT_FALSE(ParseScenario("id: x\ntitle: " + std::string(100000, '[') + "\n", "deep.yaml", Demo()).ok());
  EXPECT_FALSE(ParseScenario(std::string(5 * 1024 * 1024, '#'), "huge.yaml", Demo()).ok());
  EXPECT_FALSE(ParseScenario("just text", "scalar.yaml", Demo()).ok());
  EXPECT_FALSE(ParseScenario("", "empty.yaml", Demo()).ok());
}

TEST(Scenario, OffsetsAreHoursMinutesAndSeconds) {
  EXPECT_EQ(*ParseOffset("+00:00"), 0);
  EXPECT_EQ(*ParseOffset("+24:00"), 86400);
  EXPECT_EQ(*ParseOffset("+01:02:03"), 3723);
  EXPECT_FALSE(ParseOffset("00:10").ok());
  EXPECT_FALSE(ParseOffset("+1:00").ok());
  EXPECT_FALSE(ParseOffset("+01:00:60").ok());
}

// YAML as JSON for the schema: maps, lists, and every scalar as text (the
// schema types no scalar as anything else).
nlohmann::json AsJson(const YAML::Node& node) {
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& entry : node) out[entry.first.Scalar()] = AsJson(entry.second);
    return out;
  }
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(AsJson(item));
    return out;
  }
  return node.IsScalar() ? nlohmann::json(node.Scalar()) : nlohmann::json();
}

// The schema and the parser agree: every built-in scenario is valid by the
// schema, and a scenario the schema refuses for its form is refused by the parser too.
TEST(Scenario, TheSchemaAcceptsTheBuiltInScenariosAndRefusesWhatTheParserRefuses) {
  const std::filesystem::path dir = std::filesystem::path(DV_SOURCE_DIR) / "data" / "exercise";
  const auto schema_json = nlohmann::json::parse(ReadFile(dir / "scenario.schema.json"));
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  const auto valid = [&](const nlohmann::json& document) {
    valijson::Validator validator;
    valijson::adapters::NlohmannJsonAdapter target(document);
    return validator.validate(schema, target, nullptr);
  };
  for (const auto& name : {"zyxel-2023.yaml", "supplier-ransomware.yaml", "election-ddos.yaml"}) {
    EXPECT_TRUE(valid(AsJson(YAML::Load(ReadFile(dir / name))))) << name;
  }
  EXPECT_TRUE(valid(AsJson(YAML::Load(kSmall))));
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"at: \"+00:10\"", "at: \"+00:61\""},
                                                        {"kind: sighting", "kind: rumour"},
                                                        {"what: acknowledge", "what: panic"},
                                                        {"id: small", "id: Small Exercise"},
                                                        {"    label: bad\n", "    label: bad\n    colour: red\n"}}) {
    std::string text = kSmall;
    text.replace(text.find(from), from.size(), to);
    EXPECT_FALSE(valid(AsJson(YAML::Load(text)))) << to;
    EXPECT_FALSE(ParseScenario(text, "bad.yaml", Demo()).ok()) << to;
  }
}

// The built-in scenarios parse against the demo federation.
TEST(Scenario, TheBuiltInScenariosParse) {
  const std::filesystem::path dir = std::filesystem::path(DV_SOURCE_DIR) / "data" / "exercise";
  int parsed = 0;
  for (const auto& name : {"zyxel-2023.yaml", "supplier-ransomware.yaml", "election-ddos.yaml"}) {
    auto scenario = ParseScenario(ReadFile(dir / name), name, Demo());
    ASSERT_TRUE(scenario.ok()) << scenario.error().ToString();
    EXPECT_FALSE(scenario->injects.empty()) << name;
    EXPECT_FALSE(scenario->expect.empty()) << name;
    ++parsed;
  }
  EXPECT_EQ(parsed, 3);
}

}  // namespace
}  // namespace dv::exercise
