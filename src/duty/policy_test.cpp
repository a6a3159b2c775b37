// SPDX-License-Identifier: Apache-2.0
#include "duty/policy.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "duty/test_support.h"

namespace dv::duty {
namespace {

using testing::At;
using testing::FakeDirectory;
using testing::MustParseRota;
using Json = nlohmann::json;

Policy MustParsePolicy(std::string_view json) {
  auto policy = ParsePolicy(Json::parse(json));
  if (!policy.ok()) throw std::runtime_error("policy refused: " + policy.error().message());
  return *policy;
}

// A region's four municipalities share a duty pool; each has an office-hours rota.
FakeDirectory RegionDirectory() {
  FakeDirectory directory;
  directory.contacts = {"anna", "bo", "member:0101/ciso"};
  const auto office = [](const std::string& who, const std::string& from, const std::string& to) {
    return MustParseRota(R"({"coverage": "partial", "layers": [{"participants": [")" + who +
                         R"("], "rotation_days": 7, "handoff": "08:00", "start": "2026-01-05",
        "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": ")" +
                         from + R"(", "to": ")" + to + R"("}]}]})");
  };
  directory.rotas.emplace("ballerup", office("member:0151/vagt", "08:00", "16:00"));
  directory.rotas.emplace("gentofte", office("member:0157/vagt", "08:00", "15:00"));
  directory.rotas.emplace("furesoe", office("member:0190/vagt", "09:00", "15:00"));
  directory.rotas.emplace("soc", MustParseRota(R"({"layers": [{"participants": ["soc-a", "soc-b"],
      "rotation_days": 1, "handoff": "08:00", "start": "2026-01-05"}]})"));
  directory.pools.emplace("nordsjaelland", Pool{"Nordsjælland", {"ballerup", "gentofte", "furesoe"}});
  directory.coordinators.emplace("", MustParseRota(R"({"layers": [{"participants": ["koordinator"],
      "rotation_days": 7, "handoff": "08:00", "start": "2026-01-05"}]})"));
  return directory;
}

TEST(Resolve, APoolReachesWhoeverIsOnDutyInAnyOfItsRotas) {
  const FakeDirectory directory = RegionDirectory();
  const Target pool{TargetKind::kPool, "nordsjaelland"};
  // Tuesday 10:00 CET: all three are at work.
  EXPECT_EQ(Resolve(pool, At("2026-03-10T09:00:00Z"), directory).participants,
            (std::vector<std::string>{"member:0151/vagt", "member:0157/vagt", "member:0190/vagt"}));
  // Tuesday 15:30: only Ballerup.
  EXPECT_EQ(Resolve(pool, At("2026-03-10T14:30:00Z"), directory).participants,
            (std::vector<std::string>{"member:0151/vagt"}));
}

TEST(Resolve, APoolWhoseMembersAreAllOffDutyReachesNobody) {
  const FakeDirectory directory = RegionDirectory();
  const Resolution saturday = Resolve({TargetKind::kPool, "nordsjaelland"}, At("2026-03-14T10:00:00Z"), directory);
  EXPECT_TRUE(saturday.participants.empty());
  EXPECT_TRUE(saturday.problems.empty());
}

TEST(Resolve, EachKindOfTarget) {
  FakeDirectory directory = RegionDirectory();
  const Timestamp tuesday = At("2026-03-10T09:00:00Z");
  EXPECT_EQ(Resolve({TargetKind::kContact, "anna"}, tuesday, directory).participants, std::vector<std::string>{"anna"});
  EXPECT_EQ(Resolve({TargetKind::kRota, "soc"}, tuesday, directory).participants,
            std::vector<std::string>{"soc-a"});  // day 64 of a two-person daily rotation
  EXPECT_EQ(Resolve({TargetKind::kCoordinator, ""}, tuesday, directory).participants,
            std::vector<std::string>{"koordinator"});
  EXPECT_TRUE(Resolve({TargetKind::kPolicy, "other"}, tuesday, directory).participants.empty());
  // References that went away reach nobody and say why; the rest of a pool still works.
  EXPECT_EQ(Resolve({TargetKind::kRota, "gone"}, tuesday, directory).problems,
            std::vector<std::string>{"no rota 'gone'"});
  directory.rotas.erase("gentofte");
  const Resolution pool = Resolve({TargetKind::kPool, "nordsjaelland"}, tuesday, directory);
  EXPECT_EQ(pool.participants, (std::vector<std::string>{"member:0151/vagt", "member:0190/vagt"}));
  EXPECT_EQ(pool.problems, std::vector<std::string>{"pool 'nordsjaelland': no rota 'gentofte'"});
  EXPECT_EQ(Resolve({TargetKind::kCoordinator, "1084"}, tuesday, directory).problems,
            std::vector<std::string>{"no coordinator rota for '1084'"});
}

TEST(Policy, ParsesAndRoundTrips) {
  const Policy policy = MustParsePolicy(R"({"name": "SOC", "steps": [
      {"delay_minutes": 0, "targets": [{"kind": "rota", "ref": "soc"}]},
      {"delay_minutes": 15, "targets": [{"kind": "pool", "ref": "nordsjaelland"}, {"kind": "coordinator"}]}],
      "repeat": 2})");
  EXPECT_EQ(policy.steps.size(), 2U);
  EXPECT_EQ(policy.steps[1].targets[1], (Target{TargetKind::kCoordinator, ""}));
  EXPECT_EQ(policy.final_wait_minutes, kDefaultFinalWaitMinutes);
  EXPECT_EQ(*ParsePolicy(PolicyToJson(policy)), policy);
  EXPECT_TRUE(CheckPolicyRefs(policy, "p-soc", RegionDirectory()).ok());
}

struct PolicyCase {
  const char* json;
  const char* message;
};

class PolicyRefusal : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(PolicyRefusal, NamesTheField) {
  FakeDirectory directory = RegionDirectory();
  directory.policies.emplace("p-b", MustParsePolicy(R"({"steps": [{"targets": [{"kind": "policy", "ref": "p-c"}]}]})"));
  directory.policies.emplace("p-c", MustParsePolicy(R"({"steps": [{"targets": [{"kind": "policy", "ref": "p-a"}]}]})"));
  directory.policies.emplace("p-d", MustParsePolicy(R"({"steps": [{"targets": [{"kind": "policy", "ref": "p-e"}]}]})"));
  directory.policies.emplace("p-e", MustParsePolicy(R"({"steps": [{"targets": [{"kind": "policy", "ref": "p-d"}]}]})"));
  auto policy = PolicyFromJson(Json::parse(GetParam().json), "p-a", directory);
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.error().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, PolicyRefusal,
    ::testing::Values(
        PolicyCase{R"({"steps": []})", "steps: must not be empty"}, PolicyCase{R"({"name": "x"})", "missing 'steps'"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]}, {"delay_minutes": 1441,
                   "targets": [{"kind": "contact", "ref": "bo"}]}]})",
                   "steps[1].delay_minutes: must be 0–1440 minutes, got 1441"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]}, {"delay_minutes": -5,
                   "targets": [{"kind": "contact", "ref": "bo"}]}]})",
                   "steps[1].delay_minutes: must be 0–1440 minutes, got -5"},
        PolicyCase{R"({"steps": [{"delay_minutes": 5, "targets": [{"kind": "contact", "ref": "anna"}]}]})",
                   "steps[0].delay_minutes: the first step starts at once: must be 0, got 5"},
        PolicyCase{R"({"steps": [{"targets": []}]})", "steps[0].targets: must not be empty"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "team", "ref": "anna"}]}]})",
                   "steps[0].targets[0].kind: expected contact, rota, pool, coordinator or policy, got 'team'"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "rota"}]}]})", "steps[0].targets[0]: missing 'ref'"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "Anna"}]}]})",
                   "steps[0].targets[0].ref: 'Anna' is not an id ([a-z0-9-]{1,64} or member:<org>/<id>)"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]}], "repeat": 6})",
                   "repeat: must be 0–5, got 6"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]}], "final_wait_minutes": 0})",
                   "final_wait_minutes: must be 1–1440 minutes, got 0"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}], "escalate": true}]})",
                   "steps[0].escalate: unknown field"},
        // Unknown targets, looked up in the directory.
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]}, {"delay_minutes": 10,
                   "targets": [{"kind": "contact", "ref": "anna"}, {"kind": "contact", "ref": "carl"}]}]})",
                   "steps[1].targets[1].ref: no contact 'carl'"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "rota", "ref": "nowhere"}]}]})",
                   "steps[0].targets[0].ref: no rota 'nowhere'"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "pool", "ref": "sydjylland"}]}]})",
                   "steps[0].targets[0].ref: no pool 'sydjylland'"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "coordinator", "ref": "1085"}]}]})",
                   "steps[0].targets[0].ref: no coordinator rota for '1085'"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]},
                   {"targets": [{"kind": "policy", "ref": "p-z"}]}]})",
                   "steps[1].targets[0].ref: no policy 'p-z'"},
        // Hand-overs: only the sole target of the last step, no repeat, no loops.
        PolicyCase{R"({"steps": [{"targets": [{"kind": "policy", "ref": "p-b"}]},
                   {"targets": [{"kind": "contact", "ref": "anna"}]}]})",
                   "steps[0].targets[0]: a hand-over to another policy must be the only target of the last step"},
        PolicyCase{
            R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}, {"kind": "policy", "ref": "p-b"}]}]})",
            "steps[0].targets[1]: a hand-over to another policy must be the only target of the last step"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "policy", "ref": "p-d"}]}], "repeat": 1})",
                   "repeat: a policy that hands over to another cannot repeat (the other policy's repeat applies)"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]},
                   {"targets": [{"kind": "policy", "ref": "p-a"}]}]})",
                   "steps[1].targets[0].ref: hands over in a loop: p-a → p-a"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "contact", "ref": "anna"}]},
                   {"targets": [{"kind": "policy", "ref": "p-b"}]}]})",
                   "steps[1].targets[0].ref: hands over in a loop: p-a → p-b → p-c → p-a"},
        PolicyCase{R"({"steps": [{"targets": [{"kind": "policy", "ref": "p-d"}]}]})",
                   "steps[0].targets[0].ref: hands over in a loop: p-a → p-d → p-e → p-d"}));

TEST(Policy, EnforcesItsLimits) {
  Json policy = {{"steps", Json::array()}};
  for (int step_idx = 0; step_idx < 21; ++step_idx) {
    policy["steps"].push_back(
        {{"delay_minutes", step_idx == 0 ? 0 : 5}, {"targets", {{{"kind", "contact"}, {"ref", "anna"}}}}});
  }
  EXPECT_EQ(ParsePolicy(policy).error().message(), "steps: at most 20 entries (has 21)");
  policy["steps"].erase(20);
  EXPECT_TRUE(ParsePolicy(policy).ok());
}

TEST(Policy, AHandOverChainThatEndsIsAccepted) {
  FakeDirectory directory = RegionDirectory();
  directory.policies.emplace("p-national", MustParsePolicy(R"({"steps": [{"targets": [{"kind": "coordinator"}]}]})"));
  auto policy = PolicyFromJson(Json::parse(R"({"steps": [{"targets": [{"kind": "rota", "ref": "soc"}]},
      {"delay_minutes": 30, "targets": [{"kind": "policy", "ref": "p-national"}]}]})"),
                               "p-region", directory);
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  ASSERT_NE(policy->HandOver(), nullptr);
  EXPECT_EQ(policy->HandOver()->ref, "p-national");
}

TEST(Pool, RefusesUnknownAndDuplicateRotas) {
  const FakeDirectory directory = RegionDirectory();
  EXPECT_TRUE(PoolFromJson(Json::parse(R"({"name": "Nord", "rotas": ["ballerup", "gentofte"]})"), directory).ok());
  EXPECT_EQ(PoolFromJson(Json::parse(R"({"rotas": ["ballerup", "roskilde"]})"), directory).error().message(),
            "rotas[1]: no rota 'roskilde'");
  EXPECT_EQ(PoolFromJson(Json::parse(R"({"rotas": ["ballerup", "ballerup"]})"), directory).error().message(),
            "rotas[1]: 'ballerup' is listed twice");
  EXPECT_EQ(PoolFromJson(Json::parse(R"({"rotas": []})"), directory).error().message(), "rotas: must not be empty");
  const Pool pool = *ParsePool(Json::parse(R"({"name": "Nord", "rotas": ["ballerup"]})"));
  EXPECT_EQ(*ParsePool(PoolToJson(pool)), pool);
}

}  // namespace
}  // namespace dv::duty
