// SPDX-License-Identifier: Apache-2.0
// The protection module over real HTTP (hub/modules/protection): a member's
// RPZ zone and firewall lists hold what the coordinator shared at a level the
// member may read, never a value shared TLP:RED to another member; another
// member is refused (audited); a false-positive verdict withdraws the entry
// under a higher serial; If-None-Match gives 304; a bad profile is refused
// naming the field and changes nothing. Every JSON response is checked
// against the OpenAPI document by HubClient.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/uuid.h"
#include "federation/federation.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";
constexpr const char* kRoot = "/taxii2/dannevirke/";
const std::string kNational = "7c1b0f4e-2a47-4c6f-8a53-0000000000a1";
const std::string kBase = "/api/v1/protection/members/";

std::string IndicatorId(const std::string& key) {
  return "indicator--" + Uuid::V5(DannevirkeNamespace(), "protection-test:" + key).ToString();
}

Json Indicator(const std::string& key, const std::string& pattern, Tlp tlp, const std::vector<std::string>& to = {}) {
  const std::string now = Timestamp::Now().ToRfc3339();
  Json object = {{"type", "indicator"},
                 {"spec_version", "2.1"},
                 {"id", IndicatorId(key)},
                 {"created", now},
                 {"modified", now},
                 {"name", "Protection test " + key},
                 {"pattern", pattern},
                 {"pattern_type", "stix"},
                 {"valid_from", now},
                 {"confidence", 90},
                 {"object_marking_refs", {std::string(TlpMarkingId(tlp))}}};
  if (!to.empty()) object["x_dannevirke_recipients"] = to;
  return object;
}

class Protection : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("protection");
    Collection national;
    national.id = kNational;
    national.title = "National";
    ASSERT_TRUE(hub_->store().UpsertCollection(national, "test").ok());
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("admin", "CFCS", MemberRole::kAdmin);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("odense", "0461", MemberRole::kMember);
    hub_->AddMember("aarhus", "0751", MemberRole::kMember);
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();

    // Copenhagen enforces what the coordinator shares (the default only monitors).
    auto put = Send("PUT", kBase + "0101/profile", "kbh", Json{{"monitor_only", false}}.dump());
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
    Publish(Indicator("green-domain", "[domain-name:value = 'bad.example.net']", Tlp::kGreen));
    Publish(Indicator("green-address", "[ipv4-addr:value = '198.51.100.9']", Tlp::kGreen));
    Publish(Indicator("red-domain", "[domain-name:value = 'red-secret.example.net']", Tlp::kRed, {"0461"}));
    Publish(Indicator("red-address", "[ipv4-addr:value = '203.0.113.77']", Tlp::kRed, {"0461"}));
    Publish(Indicator("hash", "[file:hashes.'SHA-256' = '" + std::string(64, 'a') + "']", Tlp::kGreen));
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "", const std::string& if_none_match = "") {
    auto headers = test::BearerHeaders(tokens_[member]);
    if (!if_none_match.empty()) headers.emplace("If-None-Match", if_none_match);
    return test::HubClient(port_).Send(method, path, headers, body);
  }
  static void Publish(const Json& object) {
    auto res = test::HubClient(port_).Post(std::string(kRoot) + "collections/" + kNational + "/objects/",
                                           test::BearerHeaders(tokens_["cfcs"], kTaxii),
                                           Json{{"objects", {object}}}.dump(), kTaxii);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    ASSERT_EQ(Json::parse(res->body)["success_count"], 1) << res->body;
  }
  // The body of a 200 answer (failing the test otherwise).
  static std::string Text(const std::string& path, const std::string& member) {
    auto res = Send("GET", path, member);
    EXPECT_TRUE(res);
    if (!res) return "";
    EXPECT_EQ(res->status, 200) << path << " as " << member << ": " << res->body;
    return res->body;
  }
  static std::string Etag(const std::string& path, const std::string& member) {
    auto res = Send("GET", path, member);
    EXPECT_TRUE(res && res->status == 200);
    return res ? res->get_header_value("ETag") : "";
  }
  static long long Serial(const std::string& etag) { return std::stoll(etag.substr(1, etag.size() - 2)); }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

const std::vector<std::string> kFeedPaths = {
    "/rpz",
    "/rpz?part=monitor",
    "/rpz/mapping",
    "/feed",
    "/lists/paloalto",
    "/lists/paloalto?kind=domain",
    "/lists/fortigate",
    "/lists/fortigate?kind=domain",
    "/lists/mikrotik",
    "/lists/nftables",
    "/lists/ipset",
};

TEST_F(Protection, RpzHoldsTheCoordinatorsIndicatorAndPassesNamedCheckzone) {
  const std::string zone = Text(kBase + "0101/rpz", "kbh");
  EXPECT_NE(zone.find("\nbad.example.net CNAME ."), std::string::npos) << zone;
  EXPECT_NE(zone.find("\n*.bad.example.net CNAME ."), std::string::npos) << zone;
  EXPECT_NE(zone.find("32.9.100.51.198.rpz-ip CNAME ."), std::string::npos) << zone;
  // Its own sensor reads the same zone.
  EXPECT_EQ(Text(kBase + "0101/rpz", "kbh-sensor"), zone);
  EXPECT_NE(Text(kBase + "0101/lists/paloalto", "kbh").find("198.51.100.9"), std::string::npos);
  EXPECT_NE(Text(kBase + "0101/lists/paloalto?kind=domain", "kbh").find("bad.example.net"), std::string::npos);

  const Json report = Json::parse(Text(kBase + "0101/feed", "kbh"));
  EXPECT_EQ(report["enforced"], 2) << report.dump();
  EXPECT_EQ(report["left_out_by_reason"]["not_blockable_kind"], 1) << report.dump();
  EXPECT_GE(report["serial"].get<long long>(), 1);

  if (!std::filesystem::exists("/usr/bin/named-checkzone")) GTEST_SKIP() << "named-checkzone is not installed";
  const auto file = hub_->dir() / "member.rpz";
  std::ofstream(file) << zone;
  const std::string command = "/usr/bin/named-checkzone -q rpz.test " + file.string();
  EXPECT_EQ(std::system(command.c_str()), 0) << zone;
}

TEST_F(Protection, RedSharedWithAnotherMemberNeverReachesAnyFeedFormat) {
  for (const auto& path : kFeedPaths) {
    const std::string body = Text(kBase + "0101" + path, "kbh");
    EXPECT_EQ(body.find("red-secret"), std::string::npos) << path << ":\n" << body;
    EXPECT_EQ(body.find("203.0.113.77"), std::string::npos) << path << ":\n" << body;
    EXPECT_EQ(body.find(IndicatorId("red-domain")), std::string::npos) << path;
    // An administrator's copy of Copenhagen's feed holds only what both may see.
    const std::string admin = Text(kBase + "0101" + path, "admin");
    EXPECT_EQ(admin.find("red-secret"), std::string::npos) << path;
    EXPECT_EQ(admin.find("203.0.113.77"), std::string::npos) << path;
  }
  // The recipient's own (monitor-only by default) zone does carry it: the check above is not vacuous.
  const std::string odense = Text(kBase + "0461/rpz?part=monitor", "odense");
  EXPECT_NE(odense.find("red-secret.example.net CNAME rpz-passthru."), std::string::npos) << odense;
  EXPECT_EQ(Text(kBase + "0461/rpz", "odense").find("red-secret"), std::string::npos);
}

TEST_F(Protection, OtherMembersAndCoordinatorsAreRefusedAndAudited) {
  for (const auto& path : kFeedPaths) {
    for (const std::string who : {"aarhus", "odense", "cfcs"}) {
      auto res = Send("GET", kBase + "0101" + path, who);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 403) << path << " as " << who << ": " << res->body;
      EXPECT_EQ(res->body.find("bad.example.net"), std::string::npos);
    }
  }
  auto put = Send("PUT", kBase + "0101/profile", "aarhus", Json{{"monitor_only", true}}.dump());
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 403);
  // Coordinators read profiles.
  EXPECT_EQ(Json::parse(Text(kBase + "0101/profile", "cfcs"))["profile"]["monitor_only"], false);
  auto unknown = Send("GET", kBase + "9999/rpz", "admin");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);

  // The member's own fetch is audited too (ctest runs each test in a process of its own).
  EXPECT_NE(Text(kBase + "0101/rpz", "kbh").find("bad.example.net"), std::string::npos);

  auto audit = hub_->store().ListAudit(Store::kMaxPageSize);
  ASSERT_TRUE(audit.ok());
  int refused = 0;
  int fetched = 0;
  for (const auto& entry : *audit) {
    if (entry.action == "read.refused" && entry.object.find("protection feed of 0101") != std::string::npos) ++refused;
    if (entry.action == "protection.feed.fetch") ++fetched;
  }
  EXPECT_GE(refused, static_cast<int>(kFeedPaths.size()) * 3);
  EXPECT_GE(fetched, 1);
}

TEST_F(Protection, IfNoneMatchGivesNotModified) {
  for (const std::string path : {"/rpz", "/lists/nftables"}) {
    const std::string etag = Etag(kBase + "0101" + path, "kbh");
    ASSERT_FALSE(etag.empty());
    auto again = Send("GET", kBase + "0101" + path, "kbh", "", etag);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304) << path;
    EXPECT_TRUE(again->body.empty());
    EXPECT_EQ(again->get_header_value("ETag"), etag);
    auto other = Send("GET", kBase + "0101" + path, "kbh", "", "\"0\"");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200);
  }
}

TEST_F(Protection, BadProfileIsRefusedNamingTheFieldAndChangesNothing) {
  const Json before = Json::parse(Text(kBase + "0101/profile", "kbh"));
  ASSERT_TRUE(before["stored"].get<bool>());
  const std::vector<std::pair<Json, std::string>> bad = {
      {{{"min_confidence", 150}}, "min_confidence"},
      {{{"action", "walled-garden"}}, "walled_garden"},
      {{{"kinds", {"domain", "sha256"}}}, "kinds[1]"},
      {{{"allow", {{"domains", {"ok.example.org", "bad domain"}}}}}, "allow.domains[1]"},
      {{{"allow", {{"networks", {"10.1.2.3/8"}}}}}, "allow.networks[0]"},
      {{{"monitor_only", "no"}}, "monitor_only"},
      {{{"colour", "red"}}, "colour"},
  };
  for (const auto& [body, field] : bad) {
    auto res = Send("PUT", kBase + "0101/profile", "kbh", body.dump());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body.dump() << ": " << res->body;
    EXPECT_NE(res->body.find(field), std::string::npos) << body.dump() << ": " << res->body;
  }
  EXPECT_EQ(Json::parse(Text(kBase + "0101/profile", "kbh")), before);
  // A member without a stored profile reads the conservative default.
  const Json aarhus = Json::parse(Text(kBase + "0751/profile", "aarhus"));
  EXPECT_FALSE(aarhus["stored"].get<bool>());
  EXPECT_TRUE(aarhus["profile"]["monitor_only"].get<bool>());
  EXPECT_TRUE(aarhus["profile"]["require_corroboration"].get<bool>());
}

// Last in the file: it withdraws the shared domain.
TEST_F(Protection, VerdictWithdrawsTheEntryUnderAHigherSerial) {
  const std::string rpz = kBase + "0101/rpz";
  const std::string etag = Etag(rpz, "kbh");
  ASSERT_NE(Text(rpz, "kbh").find("bad.example.net"), std::string::npos);
  const std::string id = IndicatorId("green-domain");
  auto proposal = Send("POST", "/api/v1/indicators/" + id + "/false-positive", "kbh",
                       Json{{"scope", "all"}, {"reason", "our own web shop"}}.dump());
  ASSERT_TRUE(proposal);
  ASSERT_EQ(proposal->status, 201) << proposal->body;
  // A proposal alone withdraws nothing, and keeps the serial.
  EXPECT_EQ(Etag(rpz, "kbh"), etag);
  auto verdict =
      Send("POST", "/api/v1/indicators/" + id + "/verdict", "cfcs", Json{{"reason", "confirmed benign"}}.dump());
  ASSERT_TRUE(verdict);
  ASSERT_EQ(verdict->status, 201) << verdict->body;

  auto after = Send("GET", rpz, "kbh", "", etag);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->status, 200) << "the old ETag must not match after a verdict";
  EXPECT_EQ(after->body.find("bad.example.net"), std::string::npos) << after->body;
  EXPECT_NE(after->body.find("32.9.100.51.198.rpz-ip CNAME ."), std::string::npos);  // the other entry stays
  const std::string new_etag = after->get_header_value("ETag");
  EXPECT_GT(Serial(new_etag), Serial(etag));
  EXPECT_NE(after->body.find(" " + std::to_string(Serial(new_etag)) + " "), std::string::npos) << after->body;
  const Json report = Json::parse(Text(kBase + "0101/feed", "kbh"));
  EXPECT_EQ(report["enforced"], 1);
  EXPECT_EQ(report["serial"].get<long long>(), Serial(new_etag));
}

}  // namespace
}  // namespace dv
