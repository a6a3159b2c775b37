// SPDX-License-Identifier: Apache-2.0
// Confidentiality of every read path, aggregate and analysis, tried as a
// stranger without a token and as an ordinary member would try it
// (docs/security.md, docs/risk_model.md "The API", docs/stix.md): the
// organisation pages give the dependency graph to no anonymous client, an
// edge removed through the graph API is gone everywhere, no member learns
// another member's baseline score from the graph or any analysis, aggregates
// count nothing an outsider may not read, and a member's burst of expensive
// analyses neither runs in parallel nor slows the hub for others.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "baseline/catalogue.h"
#include "baseline/stored.h"
#include "core/uuid.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";
const std::string kNational = "7c1b0f4e-2a47-4c6f-8a53-0000000000c1";
constexpr const char* kSecretNote = "admin VPN via jump host 10.9.8.7";

class Confidentiality : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("confidentiality");
    store_ = &hub_->store();
    auto seeded = baseline::SeedDemoBaseline(*store_);
    ASSERT_TRUE(seeded.ok()) << seeded.error().ToString();
    Collection national;
    national.id = kNational;
    national.title = "National";
    ASSERT_TRUE(store_->UpsertCollection(national, "test").ok());
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);         // member A
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);  // A's sensor
    hub_->AddMember("frb", "0147", MemberRole::kMember);         // member B, the victim
    hub_->AddMember("odense", "0461", MemberRole::kMember);      // a RED recipient
    hub_->AddMember("aarhus", "0751", MemberRole::kMember);      // an outsider
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static httplib::Headers Auth(const std::string& member) {
    if (member.empty()) return {};
    return test::BearerHeaders(tokens_[member]);
  }
  static httplib::Result Get(const std::string& path, const std::string& member) {
    return test::HubClient(port_, 120).Get(path, Auth(member));
  }
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body) {
    return test::HubClient(port_, 120).Send(method, path, Auth(member), body);
  }
  static Json Expect(const httplib::Result& res, int status, const std::string& what) {
    EXPECT_TRUE(res) << what;
    if (!res) return {};
    EXPECT_EQ(res->status, status) << what << ": " << res->body.substr(0, 400);
    return Json::parse(res->body, nullptr, false);
  }
  static Json GetJson(const std::string& path, const std::string& member, int status = 200) {
    return Expect(Get(path, member), status, path + " as " + (member.empty() ? "anonymous" : member));
  }
  static void Publish(const Json& object, const std::string& member) {
    auto res = test::HubClient(port_).Post("/taxii2/dannevirke/collections/" + kNational + "/objects/",
                                           test::BearerHeaders(tokens_[member], kTaxii),
                                           Json{{"objects", {object}}}.dump(), kTaxii);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    ASSERT_EQ(Json::parse(res->body)["success_count"], 1) << res->body;
  }
  // Sets every assessed requirement of `code`'s baseline to `status`: a new
  // score that only that member and coordinators may know.
  static void RewriteBaseline(const std::string& code, baseline::ReqStatus status) {
    auto catalogue = baseline::BuiltinCatalogue();
    ASSERT_TRUE(catalogue.ok());
    auto record = store_->GetRecord(baseline::kAssessmentRecordKind, code);
    ASSERT_TRUE(record.ok()) << record.error().ToString();
    auto stored = baseline::ParseStoredAssessment(*record, **catalogue);
    ASSERT_TRUE(stored.ok()) << stored.error().ToString();
    for (auto& item : stored->assessment.items) item.status = status;
    auto put = baseline::PutAssessment(*store_, stored->assessment, stored->version, "test");
    ASSERT_TRUE(put.ok()) << put.error().ToString();
  }
  static const Json* Node(const Json& graph, const std::string& code) {
    for (const auto& node : graph["nodes"]) {
      if (node["code"] == code) return &node;
    }
    return nullptr;
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline Store* store_ = nullptr;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(Confidentiality, AnonymousOrganisationPagesCarryNoDependenciesOrNotes) {
  Expect(
      Send(
          "PUT", "/api/v1/graph/edges", "cfcs",
          Json{{"from", "0101"}, {"to", "KMD"}, {"relation", "remote_access"}, {"strength", 0.4}, {"note", kSecretNote}}
              .dump()),
      201, "coordinator adds an edge with a note");
  for (const std::string code : {"0101", "KMD", "0147"}) {
    const Json page = GetJson("/api/v1/organisations/" + code, "");
    EXPECT_EQ(page["code"], code);
    EXPECT_TRUE(page.contains("name") && page.contains("kind") && page.contains("stix_id")) << page.dump();
    EXPECT_TRUE(page["dependencies"].is_null()) << code;
    EXPECT_TRUE(page["dependents"].is_null()) << code;
    EXPECT_EQ(page["scope"], "public");
    // A sensor token gets the public page too: sensors do not read the graph.
    const Json as_sensor = GetJson("/api/v1/organisations/" + code, "kbh-sensor");
    EXPECT_TRUE(as_sensor["dependencies"].is_null()) << code;
  }
  // A bad token is refused, never answered as if anonymous.
  auto bad = test::HubClient(port_).Get("/api/v1/organisations/0101", test::BearerHeaders("not-a-token"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);

  // Signed in: the member sees its own edges, without notes; the coordinator sees notes.
  const Json as_member = GetJson("/api/v1/organisations/0101", "kbh");
  ASSERT_TRUE(as_member["dependencies"].is_array());
  EXPECT_FALSE(as_member["dependencies"].empty());
  EXPECT_EQ(as_member.dump().find(kSecretNote), std::string::npos);
  for (const auto& edge : as_member["dependencies"]) EXPECT_TRUE(edge["note"].is_null()) << edge.dump();
  EXPECT_EQ(GetJson("/api/v1/graph", "kbh").dump().find(kSecretNote), std::string::npos);
  EXPECT_NE(GetJson("/api/v1/organisations/0101", "cfcs").dump().find(kSecretNote), std::string::npos);
  // Another member's couplings to a supplier are not a third member's business.
  const Json kmd = GetJson("/api/v1/organisations/KMD", "aarhus");
  for (const auto& edge : kmd["dependents"]) {
    EXPECT_TRUE(edge["kind"] != "municipality" || edge["code"] == "0751") << edge.dump();
  }
}

TEST_F(Confidentiality, ARemovedEdgeDisappearsFromEveryEndpoint) {
  Expect(Send("PUT", "/api/v1/graph/edges", "cfcs",
              Json{{"from", "0101"}, {"to", "NETS"}, {"relation", "shared_admin_access"}, {"strength", 0.7}}.dump()),
         201, "add");
  auto has_edge = [](const Json& list, const std::string& code) {
    for (const auto& edge : list) {
      if (edge["code"] == code && edge["relation"] == "shared_admin_access") return true;
    }
    return false;
  };
  auto in_graph = [](const Json& graph) {
    for (const auto& edge : graph["edges"]) {
      if (edge["from"] == "0101" && edge["to"] == "NETS" && edge["relation"] == "shared_admin_access") return true;
    }
    return false;
  };
  for (const std::string who : {"cfcs", "kbh"}) {
    EXPECT_TRUE(in_graph(GetJson("/api/v1/graph", who))) << who;
    EXPECT_TRUE(has_edge(GetJson("/api/v1/organisations/0101", who)["dependencies"], "NETS")) << who;
    EXPECT_TRUE(has_edge(GetJson("/api/v1/organisations/NETS", who)["dependents"], "0101")) << who;
  }
  Expect(Send("DELETE", "/api/v1/graph/edges/0101/NETS/shared_admin_access", "cfcs", ""), 200, "remove");
  for (const std::string who : {"cfcs", "kbh"}) {
    EXPECT_FALSE(in_graph(GetJson("/api/v1/graph", who))) << who;
    EXPECT_FALSE(has_edge(GetJson("/api/v1/organisations/0101", who)["dependencies"], "NETS")) << who;
    EXPECT_FALSE(has_edge(GetJson("/api/v1/organisations/NETS", who)["dependents"], "0101")) << who;
  }
}

TEST_F(Confidentiality, AMemberCannotLearnAnotherMembersBaselineFromTheGraphOrAnyAnalysis) {
  // Member A (0101) asks everything it can, member B (0147) changes its
  // baseline from all met to none met, A asks again: every answer A gets is
  // the same, while the coordinator's answers change.
  RewriteBaseline("0147", baseline::ReqStatus::kMet);
  const std::string plan_body = R"({"budget": 20000000, "samples": 2000, "runs": 500, "seed": 3})";
  auto ask = [&](const std::string& who) {
    std::map<std::string, Json> answers;
    answers["graph"] = GetJson("/api/v1/graph", who);
    answers["weakest"] = GetJson("/api/v1/risk/weakest?top=0&runs=2000&seed=5", who);
    answers["simulate"] = GetJson("/api/v1/risk/simulate?source=0147&runs=2000&seed=5&top=50", who);
    answers["simulate_threat"] = GetJson("/api/v1/risk/simulate?runs=2000&seed=5&top=200", who);
    answers["plan"] = Expect(Send("POST", "/api/v1/risk/plan", who, plan_body), 200, "plan as " + who);
    return answers;
  };
  const auto member_before = ask("kbh");
  const auto coordinator_before = ask("cfcs");

  // What A sees of B: withheld, no score; of itself: its own score.
  const Json* b = Node(member_before.at("graph"), "0147");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ((*b)["security_source"], "withheld");
  EXPECT_TRUE((*b)["baseline_score"].is_null());
  const Json* a = Node(member_before.at("graph"), "0101");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ((*a)["security_source"], "baseline");
  EXPECT_TRUE((*a)["baseline_score"].is_number());
  const Json* b_for_coordinator = Node(coordinator_before.at("graph"), "0147");
  ASSERT_NE(b_for_coordinator, nullptr);
  EXPECT_TRUE((*b_for_coordinator)["baseline_score"].is_number());
  // A member's ranking names no other municipality or region, and gives A its place.
  for (const auto& entry : member_before.at("weakest")["ranking"]) {
    EXPECT_TRUE((entry["kind"] != "municipality" && entry["kind"] != "region") || entry["code"] == "0101")
        << entry["code"];
    EXPECT_NE(entry["security_source"], "withheld");
  }
  EXPECT_EQ(member_before.at("weakest")["own"]["code"], "0101");
  EXPECT_TRUE(member_before.at("weakest")["own"]["rank"].is_number());

  RewriteBaseline("0147", baseline::ReqStatus::kNotMet);
  const auto member_after = ask("kbh");
  const auto coordinator_after = ask("cfcs");
  for (const auto& [name, before] : member_before) {
    EXPECT_EQ(member_after.at(name), before) << name << ": member A's answer changed with B's baseline";
  }
  EXPECT_NE((*Node(coordinator_after.at("graph"), "0147"))["baseline_score"], (*b_for_coordinator)["baseline_score"]);
  EXPECT_NE(coordinator_after.at("simulate_threat")["most_hit"], coordinator_before.at("simulate_threat")["most_hit"])
      << "the coordinator's analyses do use B's baseline";
}

TEST_F(Confidentiality, AggregatesCountNothingAnOutsiderMayNotRead) {
  const std::string now = Timestamp::Now().ToRfc3339();
  const std::string id = "indicator--" + Uuid::V4().ToString();
  Publish({{"type", "indicator"},
           {"spec_version", "2.1"},
           {"id", id},
           {"created", now},
           {"modified", now},
           {"name", "Shared with everyone"},
           {"pattern", "[ipv4-addr:value = '198.51.100.77']"},
           {"pattern_type", "stix"},
           {"valid_from", now},
           {"object_marking_refs", {std::string(TlpMarkingId(Tlp::kClear))}}},
          "aarhus");
  for (const auto& [tlp, recipients] :
       std::vector<std::pair<Tlp, Json>>{{Tlp::kRed, Json::array({"0461"})}, {Tlp::kAmberStrict, Json()}}) {
    Json sighting = {
        {"type", "sighting"}, {"spec_version", "2.1"}, {"id", "sighting--" + Uuid::V4().ToString()},
        {"created", now},     {"modified", now},       {"sighting_of_ref", id},
        {"count", 50},        {"last_seen", now},      {"object_marking_refs", {std::string(TlpMarkingId(tlp))}}};
    if (!recipients.is_null()) sighting["x_dannevirke_recipients"] = recipients;
    Publish(sighting, "kbh-sensor");
    Json opinion = {
        {"type", "opinion"},     {"spec_version", "2.1"}, {"id", "opinion--" + Uuid::V4().ToString()},
        {"created", now},        {"modified", now},       {"opinion", "strongly-disagree"},
        {"explanation", "ours"}, {"object_refs", {id}},   {"object_marking_refs", {std::string(TlpMarkingId(tlp))}}};
    if (!recipients.is_null()) opinion["x_dannevirke_recipients"] = recipients;
    Publish(opinion, "kbh");
  }
  const Json outsider = GetJson("/api/v1/indicators/" + id, "aarhus");
  EXPECT_EQ(outsider["sightings"]["objects"], 0);
  EXPECT_EQ(outsider["sightings"]["count"], 0);
  EXPECT_EQ(outsider["sightings"]["members"], 0);
  EXPECT_TRUE(outsider["sightings"]["last_seen"].is_null());
  EXPECT_EQ(outsider["false_positives"]["reports"], 0);
  EXPECT_EQ(outsider.dump().find("0101"), std::string::npos);
  const Json recipient = GetJson("/api/v1/indicators/" + id, "odense");
  EXPECT_EQ(recipient["sightings"]["count"], 50) << "the RED recipient counts the RED sighting only";
  EXPECT_EQ(recipient["false_positives"]["reports"], 1);
  const Json producer = GetJson("/api/v1/indicators/" + id, "kbh");
  EXPECT_EQ(producer["sightings"]["count"], 100);
  EXPECT_EQ(producer["false_positives"]["reports"], 2);
}

TEST_F(Confidentiality, MembersAreCappedAndOneMembersBurstOfPlansRunsOneAtATime) {
  // Caps: refused before any work, naming the parameter.
  for (const auto& [method, path, body, needle] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"GET", "/api/v1/risk/simulate?runs=200000", "", "'runs'"},
           {"GET", "/api/v1/risk/weakest?runs=500000", "", "'runs'"},
           {"POST", "/api/v1/risk/plan", R"({"budget": 1e6, "samples": 500000})", "'samples'"},
           {"POST", "/api/v1/risk/plan", R"({"budget": 1e6, "runs": 200000})", "'runs'"},
           {"POST", "/api/v1/risk/plan", R"({"budget": 1e11})", "'budget'"},
           {"POST", "/api/v1/risk/plan", R"({"budget": 1e6, "costs": {"step": 0.001}})", "'costs.step'"}}) {
    const Json error = Expect(method == "GET" ? Get(path, "kbh") : Send("POST", path, "kbh", body), 400, path + body);
    EXPECT_NE(error.dump().find(needle), std::string::npos) << error.dump();
  }

  // Ten expensive plans at once from one member, each with a fresh seed (no cache).
  std::mt19937_64 random(std::random_device{}());
  constexpr int kPlans = 10;
  std::vector<int> statuses(kPlans, 0);
  std::vector<std::string> retry_after(kPlans);
  std::vector<std::thread> threads;
  for (int plan = 0; plan < kPlans; ++plan) {
    const std::uint64_t seed = random() >> 1;
    threads.emplace_back([&, plan, seed] {
      auto res =
          Send("POST", "/api/v1/risk/plan", "kbh",
               R"({"budget": 500000000, "samples": 50000, "runs": 20000, "seed": )" + std::to_string(seed) + "}");
      if (!res) return;
      statuses[plan] = res->status;
      retry_after[plan] = res->get_header_value("Retry-After");
    });
  }
  // While they run, the hub answers others promptly.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (const auto& [path, who] : std::vector<std::pair<std::string, std::string>>{
           {"/healthz", ""}, {"/api/v1/organisations/0751", "aarhus"}, {"/api/v1/me", "aarhus"}}) {
    const auto start = std::chrono::steady_clock::now();
    auto res = Get(path, who);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_LT(std::chrono::duration<double>(elapsed).count(), 2.0) << path << " was slow during the burst";
  }
  for (auto& thread : threads) thread.join();
  int ran = 0;
  int refused = 0;
  for (int plan = 0; plan < kPlans; ++plan) {
    if (statuses[plan] == 200) ++ran;
    if (statuses[plan] == 429) {
      ++refused;
      EXPECT_FALSE(retry_after[plan].empty()) << "a 429 says when to come back";
    }
    EXPECT_TRUE(statuses[plan] == 200 || statuses[plan] == 429) << statuses[plan];
  }
  EXPECT_GE(ran, 1);
  EXPECT_GE(refused, kPlans / 2) << "the member's plans ran side by side";
}

}  // namespace
}  // namespace dv
