// SPDX-License-Identifier: Apache-2.0
// A scenario played on a simulated clock: what is due when, what each inject
// becomes for a participant, and how the after-action report judges what the
// participants did.
#include "exercise/run.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "federation/federation.h"

namespace dv::exercise {
namespace {

const std::vector<Organisation>& DemoOrganisations() {
  static const std::vector<Organisation> organisations = LoadDemoFederation().value().organisations;
  return organisations;
}

const std::string kScenario = R"(id: drill
title: {da: "Øvelse <b>", en: "Drill"}
participants:
  - member: "0101"
  - member: "0147"
injects:
  - at: "+00:00"
    kind: indicator
    label: bad
    payload: {name: "Slem adresse", pattern: "[ipv4-addr:value = '192.0.2.1']", valid_days: 2}
  - at: "+00:10"
    kind: sighting
    label: seen
    to: "0147"
    payload: {of: bad, by: "0147", count: 2}
  - at: "+01:00"
    kind: incident
    label: incident
    to: "0101"
    payload: {member: "0101", title: {da: "Hændelse", en: "Incident"}}
expect:
  - who: participants
    what: acknowledge
    after: bad
    within: "+00:15"
  - who: "0101"
    what: early_warning
    after: incident
    within: "+24:00"
)";

Scenario Drill() { return ParseScenario(kScenario, "drill.yaml", DemoOrganisations()).value(); }

const Timestamp kStart = Timestamp::FromCivil(2026, 11, 3, 9, 0, 0);

Timestamp At(std::int64_t real_seconds) { return Timestamp(kStart.unix_ms() + real_seconds * 1000); }

TEST(ExerciseRun, InjectsFallDueOnTheCompressedClock) {
  const Scenario scenario = Drill();
  const RunClock clock{kStart, 60};  // an hour of scenario per real minute
  EXPECT_EQ(ScenarioSeconds(clock, Timestamp(kStart.unix_ms() - 5000)), 0);
  EXPECT_EQ(DueCount(scenario, ScenarioSeconds(clock, kStart)), 1U);  // +00:00 is due at once
  EXPECT_EQ(DueCount(scenario, ScenarioSeconds(clock, At(9))), 1U);   // +00:09
  EXPECT_EQ(DueCount(scenario, ScenarioSeconds(clock, At(10))), 2U);  // +00:10
  EXPECT_EQ(DueCount(scenario, ScenarioSeconds(clock, At(59))), 2U);
  EXPECT_EQ(DueCount(scenario, ScenarioSeconds(clock, At(60))), 3U);  // +01:00
  // RealTime is the first instant at which the scenario time is reached.
  for (const std::int64_t seconds : {0, 1, 59, 61, 600, 3599, 86400}) {
    for (const int speed : {1, 7, 60, 3600}) {
      const RunClock other{kStart, speed};
      EXPECT_GE(ScenarioSeconds(other, RealTime(other, seconds)), seconds) << seconds << " at " << speed;
      if (seconds == 0) continue;
      EXPECT_LT(ScenarioSeconds(other, Timestamp(RealTime(other, seconds).unix_ms() - 1)), seconds)
          << seconds << " at " << speed;
    }
  }
  EXPECT_EQ(Recipients(scenario, 0).size(), 2U);
  EXPECT_EQ(Recipients(scenario, 1), std::vector<std::string>{"0147"});
}

TEST(ExerciseRun, EveryInjectIsMarkedAsExerciseAndStableAcrossDeliveries) {
  const Scenario scenario = Drill();
  const auto indicator = InjectFor(scenario, "ex-1", 0, "0101", kStart);
  EXPECT_EQ(indicator["exercise"], "ex-1");
  EXPECT_EQ(indicator["label"], "bad");
  EXPECT_EQ(indicator["banner"]["da"], "ØVELSE");
  EXPECT_EQ(indicator["object"]["type"], "indicator");
  EXPECT_EQ(indicator["object"][std::string(kExerciseProperty)], "ex-1");
  EXPECT_EQ(indicator["object"]["name"], "ØVELSE: Slem adresse");
  EXPECT_EQ(indicator["object"]["valid_until"], Timestamp(kStart.unix_ms() + 2 * 86'400'000).ToRfc3339());
  EXPECT_TRUE(indicator["title"]["da"].get<std::string>().starts_with("ØVELSE: "));
  EXPECT_TRUE(indicator["title"]["en"].get<std::string>().starts_with("EXERCISE: "));
  // Delivered again (a hub restarted between storing and marking it
  // delivered): the same object id, so nothing is doubled.
  EXPECT_EQ(InjectFor(scenario, "ex-1", 0, "0101", At(5))["object"]["id"], indicator["object"]["id"]);
  // Another participant, another run: other ids.
  EXPECT_NE(InjectFor(scenario, "ex-1", 0, "0147", kStart)["object"]["id"], indicator["object"]["id"]);
  EXPECT_NE(InjectFor(scenario, "ex-2", 0, "0101", kStart)["object"]["id"], indicator["object"]["id"]);
  // A sighting refers to the participant's own copy of the indicator.
  const auto sighting = InjectFor(scenario, "ex-1", 1, "0147", At(10));
  EXPECT_EQ(sighting["object"]["sighting_of_ref"], InjectFor(scenario, "ex-1", 0, "0147", kStart)["object"]["id"]);
  EXPECT_EQ(sighting["object"]["count"], 2);
  EXPECT_EQ(sighting["object"][std::string(kExerciseProperty)], "ex-1");
  const auto incident = InjectFor(scenario, "ex-1", 2, "0101", At(60));
  EXPECT_EQ(incident["object"][std::string(kExerciseProperty)], "ex-1");
  EXPECT_EQ(incident["title"]["da"], "ØVELSE: Hændelse");
}

// The outcomes, row by row, for actions at given real seconds after the start.
struct Case {
  std::string name;
  std::vector<std::pair<std::string, std::pair<ActionKind, std::int64_t>>> actions;  // org, what, real second
  std::int64_t now;                                                                  // real second
  std::optional<std::int64_t> end;
  std::vector<std::string> outcomes;  // in Assess order: ack 0101, ack 0147, early warning 0101
};

TEST(ExerciseRun, TheAfterActionAssessmentJudgesEachExpectedAction) {
  const Scenario scenario = Drill();
  const RunClock clock{kStart, 60};  // within +00:15 = 15 real seconds; +24:00 = 24 real minutes
  const std::vector<Case> cases = {
      {"nothing yet", {}, 5, std::nullopt, {"pending", "pending", "not_started"}},
      {"acknowledged in time and late",
       {{"0101", {ActionKind::kAcknowledge, 14}}, {"0147", {ActionKind::kAcknowledge, 16}}},
       30,
       std::nullopt,
       {"on_time", "late", "not_started"}},
      {"deadline passed without action", {}, 16, std::nullopt, {"missed", "missed", "not_started"}},
      {"another kind of action does not count",
       {{"0101", {ActionKind::kDecide, 3}}},
       10,
       std::nullopt,
       {"pending", "pending", "not_started"}},
      {"another member's action does not count",
       {{"0147", {ActionKind::kAcknowledge, 3}}},
       10,
       std::nullopt,
       {"pending", "on_time", "not_started"}},
      {"the early warning's clock starts at the incident",
       {{"0101", {ActionKind::kEarlyWarning, 30}}, {"0101", {ActionKind::kEarlyWarning, 70}}},
       120,
       std::nullopt,
       {"missed", "missed", "on_time"}},
      {"stopped before the deadline: what was not done is missed",
       {{"0101", {ActionKind::kAcknowledge, 2}}},
       8,
       8,
       {"on_time", "missed", "not_started"}},
  };
  for (const auto& test : cases) {
    std::vector<TakenAction> actions;
    for (const auto& [org, action] : test.actions) actions.push_back({org, action.first, At(action.second)});
    const Timestamp now = At(test.now);
    const std::size_t delivered = DueCount(scenario, ScenarioSeconds(clock, now));
    const auto end = test.end ? std::optional<Timestamp>(At(*test.end)) : std::nullopt;
    const auto assessed = Assess(scenario, clock, delivered, actions, now, end);
    ASSERT_EQ(assessed.size(), test.outcomes.size()) << test.name;
    for (std::size_t idx = 0; idx < assessed.size(); ++idx) {
      EXPECT_EQ(OutcomeName(assessed[idx].outcome), test.outcomes[idx]) << test.name << " row " << idx;
    }
  }
  // Time taken is scenario time: 14 real seconds at 60× is 14 scenario minutes.
  const auto assessed = Assess(scenario, clock, 3, {{"0101", ActionKind::kAcknowledge, At(14)}}, At(20), std::nullopt);
  ASSERT_TRUE(assessed[0].taken.has_value());
  EXPECT_EQ(*assessed[0].taken, 14 * 60);
  EXPECT_EQ(AssessmentJson(assessed[0])["taken"], "+00:14:00");
}

TEST(ExerciseRun, TheAfterActionReportIsDanishFirstAndEscaped) {
  const Scenario scenario = Drill();
  const RunClock clock{kStart, 60};
  const auto assessed =
      Assess(scenario, clock, 3, {{"0101", ActionKind::kAcknowledge, At(14)}}, At(2000), std::nullopt);
  const std::string html = AfterActionHtml(scenario, {"ex-1", clock, At(2000), At(2001), "stopped"}, assessed,
                                           [](const std::string& code) { return "Kommune <" + code + ">"; });
  EXPECT_NE(html.find("<html lang=\"da\">"), std::string::npos);
  EXPECT_NE(html.find("ØVELSE / EXERCISE"), std::string::npos);
  EXPECT_NE(html.find("Øvelse &lt;b&gt;"), std::string::npos);  // the title, escaped
  EXPECT_EQ(html.find("Øvelse <b>"), std::string::npos);
  EXPECT_NE(html.find("Kommune &lt;0101&gt;"), std::string::npos);
  EXPECT_NE(html.find("1 Til tiden"), std::string::npos);
  EXPECT_NE(html.find("2 Ikke gjort"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
}

TEST(ExerciseRun, TheBuiltInScenariosRunToTheEndOnACompressedClock) {
  const std::filesystem::path folder = std::filesystem::path(DV_SOURCE_DIR) / "data" / "exercise";
  int scenarios = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto scenario = ParseScenario(text.str(), entry.path().filename().string(), DemoOrganisations());
    ASSERT_TRUE(scenario.ok()) << scenario.error().ToString();
    ++scenarios;
    const RunClock clock{kStart, kMaxSpeed};
    const Timestamp end = RealTime(clock, scenario->length_seconds);
    // Every inject is due by the end, and none before its time.
    EXPECT_EQ(DueCount(*scenario, ScenarioSeconds(clock, end)), scenario->injects.size()) << entry.path();
    // Nobody acted: every expected action is missed once the run is over.
    const auto assessed = Assess(*scenario, clock, scenario->injects.size(), {}, end, end);
    for (const auto& item : assessed) EXPECT_EQ(item.outcome, Outcome::kMissed) << entry.path() << " " << item.org;
    for (std::size_t idx = 0; idx < scenario->injects.size(); ++idx) {
      for (const auto& org : Recipients(*scenario, idx)) {
        const auto inject = InjectFor(*scenario, "ex-x", idx, org, end);
        ASSERT_EQ(inject["object"][std::string(kExerciseProperty)], "ex-x") << entry.path() << " inject " << idx;
      }
    }
  }
  EXPECT_EQ(scenarios, 3);
}

}  // namespace
}  // namespace dv::exercise
