// SPDX-License-Identifier: Apache-2.0
#include "duty/escalation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "duty/test_support.h"

namespace dv::duty {
namespace {

using testing::At;
using testing::FakeDirectory;
using testing::MustParseRota;
using Json = nlohmann::json;

Policy MustParseEscalationPolicy(std::string_view json) {
  auto policy = ParsePolicy(Json::parse(json));
  if (!policy.ok()) throw std::runtime_error("policy refused: " + policy.error().message());
  return *policy;
}

FakeDirectory SocDirectory() {
  FakeDirectory directory;
  directory.contacts = {"anna", "bo"};
  // Day shift until midnight, night shift from midnight (Copenhagen).
  directory.rotas.emplace("soc", MustParseRota(R"({"layers": [
      {"participants": ["nat"], "rotation_days": 1, "handoff": "00:00", "start": "2026-01-01"},
      {"participants": ["dag"], "rotation_days": 1, "handoff": "08:00", "start": "2026-01-01",
       "windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "08:00", "to": "24:00"}]}]})"));
  directory.rotas.emplace("ballerup", MustParseRota(R"({"coverage": "partial", "layers": [{"participants":
      ["member:0151/vagt"], "rotation_days": 7, "handoff": "08:00", "start": "2026-01-05",
      "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "16:00"}]}]})"));
  directory.rotas.emplace("gentofte", MustParseRota(R"({"coverage": "partial", "layers": [{"participants":
      ["member:0157/vagt"], "rotation_days": 7, "handoff": "08:00", "start": "2026-01-05",
      "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "15:00"}]}]})"));
  directory.pools.emplace("nord", Pool{"Nord", {"ballerup", "gentofte"}});
  directory.coordinators.emplace("", MustParseRota(R"({"layers": [{"participants": ["koordinator"],
      "rotation_days": 7, "handoff": "08:00", "start": "2026-01-05"}]})"));
  return directory;
}

// Calls Advance at every next_at up to `until` and lists what was sent:
// "<UTC time> <participant> run <r> step <s> via <target>", then the end.
std::vector<std::string> Drive(NotificationState& state, const Policy& policy, const Directory& directory,
                               Timestamp until) {
  std::vector<std::string> sent;
  std::optional<Timestamp> next = state.due_at;
  for (int call_idx = 0; call_idx < 1000 && next && *next <= until; ++call_idx) {
    AdvanceResult result = Advance(state, policy, directory, *next);
    for (const Notified& item : result.notify) {
      sent.push_back(item.at.ToRfc3339().substr(11, 5) + " " + item.participant + " run " + std::to_string(item.run) +
                     " step " + std::to_string(item.step) + " via " + item.via);
    }
    // The same call again changes nothing: Advance is idempotent.
    const AdvanceResult again = Advance(result.state, policy, directory, *next);
    EXPECT_TRUE(again.notify.empty());
    EXPECT_EQ(again.state, result.state);
    state = std::move(result.state);
    next = result.next_at;
  }
  if (state.phase == Phase::kUnacknowledged) {
    sent.push_back(state.unacknowledged_at->ToRfc3339().substr(11, 5) + " unacknowledged");
  }
  return sent;
}

TEST(Escalation, WalksTheStepsRepeatsAndEndsUnacknowledged) {
  const FakeDirectory directory = SocDirectory();
  const Policy policy = MustParseEscalationPolicy(R"({"steps": [
      {"delay_minutes": 0, "targets": [{"kind": "rota", "ref": "soc"}]},
      {"delay_minutes": 10, "targets": [{"kind": "contact", "ref": "anna"}, {"kind": "rota", "ref": "soc"}]},
      {"delay_minutes": 5, "targets": [{"kind": "coordinator"}]}],
      "repeat": 1, "final_wait_minutes": 20})");
  NotificationState state = StartNotification("n-1", "p-soc", At("2026-03-10T10:00:00Z"));
  EXPECT_EQ(Drive(state, policy, directory, At("2026-03-11T00:00:00Z")),
            (std::vector<std::string>{
                "10:00 dag run 0 step 0 via rota:soc",
                "10:10 anna run 0 step 1 via contact:anna",
                "10:10 dag run 0 step 1 via rota:soc",
                "10:15 koordinator run 0 step 2 via coordinator",
                "10:35 dag run 1 step 0 via rota:soc",
                "10:45 anna run 1 step 1 via contact:anna",
                "10:45 dag run 1 step 1 via rota:soc",
                "10:50 koordinator run 1 step 2 via coordinator",
                "11:10 unacknowledged",
            }));
  EXPECT_EQ(state.phase, Phase::kUnacknowledged);
  EXPECT_EQ(state.notified.size(), 8U);
}

TEST(Escalation, NothingHappensBeforeAStepIsDue) {
  const FakeDirectory directory = SocDirectory();
  const Policy policy = MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]},
      {"delay_minutes": 10, "targets": [{"kind": "contact", "ref": "bo"}]}]})");
  const NotificationState start = StartNotification("n-1", "p", At("2026-03-10T10:00:00Z"));
  const AdvanceResult first = Advance(start, policy, directory, At("2026-03-10T10:00:00Z"));
  ASSERT_EQ(first.notify.size(), 1U);
  EXPECT_EQ(first.next_at, At("2026-03-10T10:10:00Z"));
  const AdvanceResult early = Advance(first.state, policy, directory, At("2026-03-10T10:09:59.999Z"));
  EXPECT_TRUE(early.notify.empty());
  EXPECT_EQ(early.next_at, At("2026-03-10T10:10:00Z"));
}

TEST(Escalation, AcknowledgingStopsIt) {
  const FakeDirectory directory = SocDirectory();
  const Policy policy = MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]},
      {"delay_minutes": 10, "targets": [{"kind": "contact", "ref": "bo"}]}]})");
  const NotificationState start = StartNotification("n-1", "p", At("2026-03-10T10:00:00Z"));
  const AdvanceResult first = Advance(start, policy, directory, At("2026-03-10T10:00:00Z"));
  EXPECT_TRUE(WasNotified(first.state, "anna"));
  EXPECT_FALSE(WasNotified(first.state, "bo"));
  auto acknowledged = Acknowledge(first.state, "anna", At("2026-03-10T10:04:00Z"));
  ASSERT_TRUE(acknowledged.ok());
  EXPECT_EQ(acknowledged->phase, Phase::kAcknowledged);
  const AdvanceResult later = Advance(*acknowledged, policy, directory, At("2026-03-10T12:00:00Z"));
  EXPECT_TRUE(later.notify.empty());
  EXPECT_FALSE(later.next_at.has_value());

  auto twice = Acknowledge(*acknowledged, "bo", At("2026-03-10T10:05:00Z"));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(twice.error().message(),
            "notification 'n-1' was already acknowledged by 'anna' at 2026-03-10T10:04:00.000Z");
  EXPECT_EQ(Acknowledge(first.state, "anna", At("2026-03-10T09:00:00Z")).error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(Acknowledge(first.state, "", At("2026-03-10T10:01:00Z")).error().kind(), ErrorKind::kInvalidArgument);
}

TEST(Escalation, AStepDelayOverMidnightReachesWhoeverIsOnDutyAfterMidnight) {
  const FakeDirectory directory = SocDirectory();
  const Policy policy = MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "rota", "ref": "soc"}]},
      {"delay_minutes": 30, "targets": [{"kind": "rota", "ref": "soc"}]}], "final_wait_minutes": 60})");
  // 23:50 Copenhagen (CET) on 10 March; the second step is due at 00:20 on 11 March.
  NotificationState state = StartNotification("n-2", "p", At("2026-03-10T22:50:00Z"));
  EXPECT_EQ(Drive(state, policy, directory, At("2026-03-12T00:00:00Z")),
            (std::vector<std::string>{"22:50 dag run 0 step 0 via rota:soc", "23:20 nat run 0 step 1 via rota:soc",
                                      "00:20 unacknowledged"}));
  // A caller that comes back only at 01:00 fires both steps at once, exactly as scheduled.
  const AdvanceResult late =
      Advance(StartNotification("n-2", "p", At("2026-03-10T22:50:00Z")), policy, directory, At("2026-03-11T00:00:00Z"));
  ASSERT_EQ(late.notify.size(), 2U);
  EXPECT_EQ(late.notify[0].participant, "dag");
  EXPECT_EQ(late.notify[1].participant, "nat");
  EXPECT_EQ(late.notify[1].at, At("2026-03-10T23:20:00Z"));
  EXPECT_EQ(late.next_at, At("2026-03-11T00:20:00Z"));
}

TEST(Escalation, APoolWithEveryMemberOffDutyMovesOnAtOnce) {
  const FakeDirectory directory = SocDirectory();
  const Policy policy = MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "pool", "ref": "nord"}]},
      {"delay_minutes": 15, "targets": [{"kind": "coordinator"}]}], "final_wait_minutes": 30})");
  // Saturday: nobody in the pool is at work, so the coordinator is reached at once.
  NotificationState saturday = StartNotification("n-3", "p", At("2026-03-14T10:00:00Z"));
  const AdvanceResult result = Advance(saturday, policy, directory, At("2026-03-14T10:00:00Z"));
  ASSERT_EQ(result.notify.size(), 1U);
  EXPECT_EQ(result.notify[0].participant, "koordinator");
  EXPECT_EQ(result.notify[0].step, 1);
  EXPECT_EQ(result.notify[0].at, At("2026-03-14T10:00:00Z"));
  EXPECT_EQ(result.next_at, At("2026-03-14T10:30:00Z"));
  ASSERT_EQ(result.state.notes.size(), 1U);
  EXPECT_EQ(result.state.notes[0].text, "p step 0 reached nobody; moving on at once");
  // Tuesday 09:00 CET: both members are reached, and the coordinator only after 15 minutes.
  NotificationState tuesday = StartNotification("n-4", "p", At("2026-03-10T08:00:00Z"));
  EXPECT_EQ(Drive(tuesday, policy, directory, At("2026-03-11T00:00:00Z")),
            (std::vector<std::string>{"08:00 member:0151/vagt run 0 step 0 via pool:nord",
                                      "08:00 member:0157/vagt run 0 step 0 via pool:nord",
                                      "08:15 koordinator run 0 step 1 via coordinator", "08:45 unacknowledged"}));
}

TEST(Escalation, APolicyThatReachesNobodyEndsAtOnce) {
  const FakeDirectory directory = SocDirectory();
  const Policy policy =
      MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "pool", "ref": "nord"}]}], "repeat": 5})");
  const AdvanceResult result =
      Advance(StartNotification("n-5", "p", At("2026-03-14T10:00:00Z")), policy, directory, At("2026-03-14T10:00:00Z"));
  EXPECT_TRUE(result.notify.empty());
  EXPECT_EQ(result.state.phase, Phase::kUnacknowledged);
  EXPECT_EQ(result.state.unacknowledged_at, At("2026-03-14T10:00:00Z"));
  EXPECT_EQ(result.state.notes.size(), 6U);  // one per run
  EXPECT_FALSE(result.next_at.has_value());
}

TEST(Escalation, HandsOverToAnotherPolicy) {
  FakeDirectory directory = SocDirectory();
  directory.policies.emplace("p-national",
                             MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "coordinator"}]}],
      "final_wait_minutes": 10})"));
  const Policy region = MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "rota", "ref": "soc"}]},
      {"delay_minutes": 30, "targets": [{"kind": "policy", "ref": "p-national"}]}]})");
  NotificationState state = StartNotification("n-6", "p-region", At("2026-03-10T10:00:00Z"));
  EXPECT_EQ(Drive(state, region, directory, At("2026-03-11T00:00:00Z")),
            (std::vector<std::string>{"10:00 dag run 0 step 0 via rota:soc",
                                      "10:30 koordinator run 0 step 0 via coordinator", "10:40 unacknowledged"}));
  EXPECT_EQ(state.current_policy, "p-national");
  EXPECT_EQ(state.hand_overs, 1);
}

TEST(Escalation, AHandOverLoopCreatedAfterValidationStillEnds) {
  FakeDirectory directory = SocDirectory();
  directory.policies.emplace("p-x",
                             MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]},
      {"delay_minutes": 1, "targets": [{"kind": "policy", "ref": "p-y"}]}]})"));
  directory.policies.emplace(
      "p-y", MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "policy", "ref": "p-x"}]}]})"));
  NotificationState state = StartNotification("n-7", "p-x", At("2026-03-10T10:00:00Z"));
  const auto sent = Drive(state, directory.policies.at("p-x"), directory, At("2026-03-11T00:00:00Z"));
  EXPECT_EQ(state.phase, Phase::kUnacknowledged);
  EXPECT_EQ(state.hand_overs, kMaxHandOvers);
  // p-x and p-y alternate: anna is reached in each of p-x's six turns, then the limit ends it.
  EXPECT_EQ(sent.size(), 7U);
  EXPECT_EQ(sent.back(), "10:06 unacknowledged");
  EXPECT_EQ(state.notes.back().text, "cannot hand over to 'p-y': 10 hand-overs already");
}

TEST(Escalation, AnAcknowledgementAfterExhaustionIsRecorded) {
  const FakeDirectory directory = SocDirectory();
  const Policy policy = MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]}],
      "final_wait_minutes": 5})");
  const AdvanceResult result =
      Advance(StartNotification("n-8", "p", At("2026-03-10T10:00:00Z")), policy, directory, At("2026-03-10T11:00:00Z"));
  ASSERT_EQ(result.state.phase, Phase::kUnacknowledged);
  auto late = Acknowledge(result.state, "anna", At("2026-03-10T11:00:00Z"));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->phase, Phase::kAcknowledged);
  EXPECT_EQ(late->unacknowledged_at, At("2026-03-10T10:05:00Z"));
}

TEST(Escalation, StateRoundTripsThroughJsonAndContinuesTheSame) {
  FakeDirectory directory = SocDirectory();
  directory.policies.emplace("p-national",
                             MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "coordinator"}]}]})"));
  const Policy policy = MustParseEscalationPolicy(R"({"steps": [{"targets": [{"kind": "pool", "ref": "nord"}]},
      {"delay_minutes": 20, "targets": [{"kind": "contact", "ref": "anna"}]},
      {"delay_minutes": 20, "targets": [{"kind": "policy", "ref": "p-national"}]}]})");
  const AdvanceResult first = Advance(StartNotification("n-9", "p-region", At("2026-03-10T08:00:00Z")), policy,
                                      directory, At("2026-03-10T08:25:00Z"));
  const Json json = NotificationToJson(first.state);
  auto restored = NotificationFromJson(Json::parse(json.dump()));
  ASSERT_TRUE(restored.ok()) << restored.error().message();
  EXPECT_EQ(*restored, first.state);
  const AdvanceResult from_original = Advance(first.state, policy, directory, At("2026-03-10T09:00:00Z"));
  const AdvanceResult from_restored = Advance(*restored, policy, directory, At("2026-03-10T09:00:00Z"));
  EXPECT_EQ(from_restored.state, from_original.state);
  EXPECT_EQ(from_restored.notify, from_original.notify);
  ASSERT_EQ(from_original.notify.size(), 1U);
  EXPECT_EQ(from_original.notify[0].participant, "koordinator");

  const auto acknowledged = *Acknowledge(from_original.state, "koordinator", At("2026-03-10T08:50:00Z"));
  EXPECT_EQ(*NotificationFromJson(NotificationToJson(acknowledged)), acknowledged);
}

TEST(Escalation, StateJsonIsValidated) {
  const Json good = NotificationToJson(StartNotification("n-1", "p", At("2026-03-10T10:00:00Z")));
  Json bad = good;
  bad["phase"] = "sleeping";
  EXPECT_EQ(NotificationFromJson(bad).error().message(),
            "phase: expected active, acknowledged or unacknowledged, got 'sleeping'");
  bad = good;
  bad["run"] = 9;
  EXPECT_EQ(NotificationFromJson(bad).error().message(), "run: must be 0–5, got 9");
  bad = good;
  bad["phase"] = "acknowledged";
  EXPECT_EQ(NotificationFromJson(bad).error().message(),
            "acknowledged: present exactly when the phase is acknowledged");
  bad = good;
  bad["due_at"] = "soon";
  EXPECT_EQ(NotificationFromJson(bad).error().message().substr(0, 8), "due_at: ");
  bad = good;
  bad["notified"] = Json::array({{{"participant", "Anna"}}});
  EXPECT_EQ(NotificationFromJson(bad).error().message(), "notified[0].participant: 'Anna' is not an id");
}

}  // namespace
}  // namespace dv::duty
