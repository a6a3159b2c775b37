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
  static void Publish(const Json& object, const std::string& member = "cfcs") {
    auto res = test::HubClient(port_).Post(std::string(kRoot) + "collections/" + kNational + "/objects/",
                                           test::BearerHeaders(tokens_[member], kTaxii),
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
  // Copenhagen proposes the indicator as a false positive and the coordinator accepts it.
  static void FalsePositive(const std::string& key) {
    const std::string id = IndicatorId(key);
    auto proposal = Send("POST", "/api/v1/indicators/" + id + "/false-positive", "kbh",
                         Json{{"scope", "all"}, {"reason", "our own web shop"}}.dump());
    ASSERT_TRUE(proposal);
    ASSERT_EQ(proposal->status, 201) << proposal->body;
    auto verdict =
        Send("POST", "/api/v1/indicators/" + id + "/verdict", "cfcs", Json{{"reason", "confirmed benign"}}.dump());
    ASSERT_TRUE(verdict);
    ASSERT_EQ(verdict->status, 201) << verdict->body;
  }

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

// ---- Feed tokens, history, rollback, freeze, never-block, national view ----

// A token's feed path: "/api/v1/protection/feeds/dvf_…" + suffix.
std::string TokenPath(const std::string& token, const std::string& suffix) {
  return "/api/v1/protection/feeds/" + token + suffix;
}

TEST_F(Protection, FeedTokenServesTheFeedWithoutAHeaderAndNothingElse) {
  auto created = Send("POST", kBase + "0101/tokens", "kbh", Json{{"label", "unbound at the town hall"}}.dump());
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const Json token = Json::parse(created->body);
  const std::string secret = token["token"];
  ASSERT_EQ(token["urls"]["rpz"], TokenPath(secret, "/rpz"));

  test::HubClient client(port_);
  const std::string member_zone = Text(kBase + "0101/rpz", "kbh");
  for (const auto& path : kFeedPaths) {
    auto res = client.Send("GET", TokenPath(secret, path), {}, "");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    EXPECT_EQ(res->body.find("red-secret"), std::string::npos) << path;
  }
  auto zone = client.Send("GET", TokenPath(secret, "/rpz"), {}, "");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->body, member_zone);
  auto not_modified =
      client.Send("GET", TokenPath(secret, "/rpz"), {{"If-None-Match", zone->get_header_value("ETag")}}, "");
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);

  // The token authenticates nothing else.
  for (const std::string& path :
       std::vector<std::string>{kBase + "0101/rpz", "/api/v1/indicators", kBase + "0101/profile"}) {
    auto res = client.Send("GET", path, test::BearerHeaders(secret), "");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << path;
  }
  // Nobody but the member's people (and administrators) manages its tokens.
  for (const std::string who : {"aarhus", "kbh-sensor", "cfcs"}) {
    auto res = Send("POST", kBase + "0101/tokens", who, "{}");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << who;
  }
  // The list never shows the secret.
  const std::string list = Text(kBase + "0101/tokens", "kbh");
  EXPECT_EQ(list.find(secret.substr(4)), std::string::npos);
  EXPECT_NE(list.find(token["id"].get<std::string>()), std::string::npos);

  auto revoked = Send("DELETE", kBase + "0101/tokens/" + token["id"].get<std::string>(), "kbh");
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 204);
  auto after = client.Send("GET", TokenPath(secret, "/rpz"), {}, "");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 404);
  EXPECT_EQ(after->body.find("bad.example.net"), std::string::npos);

  // Fetches are audited under the token's id; no audit entry holds the secret.
  auto audit = hub_->store().ListAudit(Store::kMaxPageSize);
  ASSERT_TRUE(audit.ok());
  int by_token = 0;
  for (const auto& entry : *audit) {
    EXPECT_EQ(entry.object.find(secret.substr(4)), std::string::npos) << entry.action;
    EXPECT_EQ(entry.detail.find(secret.substr(4)), std::string::npos) << entry.action;
    if (entry.action == "protection.feed.fetch" &&
        entry.actor == "member:feed-token:" + token["id"].get<std::string>()) {
      ++by_token;
    }
  }
  EXPECT_GE(by_token, static_cast<int>(kFeedPaths.size()));
}

TEST_F(Protection, HistoryNamesWhatWasAddedAndWithdrawnAndWhy) {
  const long long first = Serial(Etag(kBase + "0101/rpz", "kbh"));
  FalsePositive("green-domain");
  const long long second = Serial(Etag(kBase + "0101/rpz", "kbh"));
  ASSERT_GT(second, first);

  const Json history = Json::parse(Text(kBase + "0101/history", "kbh"));
  ASSERT_GE(history["history"].size(), 2u) << history.dump();
  EXPECT_EQ(history["serial"], second);
  const Json& newest = history["history"][0];
  EXPECT_EQ(newest["serial"], second);
  ASSERT_EQ(newest["withdrawn"].size(), 1u) << newest.dump();
  EXPECT_EQ(newest["withdrawn"][0]["value"], "bad.example.net");
  EXPECT_EQ(newest["withdrawn"][0]["reason"], "false_positive");
  EXPECT_EQ(newest["withdrawn"][0]["indicators"][0], IndicatorId("green-domain"));
  const Json& oldest = history["history"][history["history"].size() - 1];
  bool added = false;
  for (const auto& change : oldest["added"]) added = added || change["value"] == "bad.example.net";
  EXPECT_TRUE(added) << oldest.dump();
  // Another member may not read it.
  auto other = Send("GET", kBase + "0101/history", "aarhus");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403);
}

TEST_F(Protection, RollbackServesAnEarlierSerialUnderAHigherOne) {
  const long long first = Serial(Etag(kBase + "0101/rpz", "kbh"));
  FalsePositive("green-domain");
  const long long second = Serial(Etag(kBase + "0101/rpz", "kbh"));
  ASSERT_EQ(Text(kBase + "0101/rpz", "kbh").find("bad.example.net"), std::string::npos);

  for (const auto& [body, field] :
       std::vector<std::pair<Json, std::string>>{{{{"serial", 999999}, {"reason", "x"}}, "serial"},
                                                 {{{"serial", first}}, "reason"},
                                                 {{{"serial", "one"}, {"reason", "x"}}, "serial"},
                                                 {{{"serial", first}, {"reason", "x"}, {"force", true}}, "force"}}) {
    auto bad = Send("PUT", kBase + "0101/pin", "kbh", body.dump());
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400) << body.dump();
    EXPECT_NE(bad->body.find(field), std::string::npos) << bad->body;
  }
  auto refused = Send("PUT", kBase + "0101/pin", "aarhus", Json{{"serial", first}, {"reason", "x"}}.dump());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);

  auto pinned = Send("PUT", kBase + "0101/pin", "kbh",
                     Json{{"serial", first}, {"reason", "the new entries broke the library's catalogue"}}.dump());
  ASSERT_TRUE(pinned);
  ASSERT_EQ(pinned->status, 200) << pinned->body;
  const std::string zone = Text(kBase + "0101/rpz", "kbh");
  EXPECT_NE(zone.find("\nbad.example.net CNAME ."), std::string::npos) << zone;
  const long long third = Serial(Etag(kBase + "0101/rpz", "kbh"));
  EXPECT_GT(third, second);
  const Json report = Json::parse(Text(kBase + "0101/feed", "kbh"));
  EXPECT_EQ(report["mode"], "pinned");
  EXPECT_EQ(report["pinned_to"], first);
  const Json history = Json::parse(Text(kBase + "0101/history", "kbh"));
  EXPECT_EQ(history["pinned"], first);
  EXPECT_EQ(history["history"][0]["rollback_to"], first);

  auto unpinned = Send("DELETE", kBase + "0101/pin", "kbh");
  ASSERT_TRUE(unpinned);
  EXPECT_EQ(unpinned->status, 204);
  EXPECT_EQ(Text(kBase + "0101/rpz", "kbh").find("bad.example.net"), std::string::npos);
  EXPECT_GT(Serial(Etag(kBase + "0101/rpz", "kbh")), third);
}

TEST_F(Protection, FreezeKeepsEveryFeedAtItsLastSerialUntilTheThaw) {
  const std::string before = Text(kBase + "0101/rpz", "kbh");
  const std::string etag = Etag(kBase + "0101/rpz", "kbh");
  auto member = Send("PUT", "/api/v1/protection/freeze", "kbh", Json{{"frozen", true}, {"reason", "x"}}.dump());
  ASSERT_TRUE(member);
  EXPECT_EQ(member->status, 403);
  auto no_reason = Send("PUT", "/api/v1/protection/freeze", "cfcs", Json{{"frozen", true}}.dump());
  ASSERT_TRUE(no_reason);
  EXPECT_EQ(no_reason->status, 400);
  auto frozen = Send("PUT", "/api/v1/protection/freeze", "cfcs",
                     Json{{"frozen", true}, {"reason", "a member's indicators are under suspicion"}}.dump());
  ASSERT_TRUE(frozen);
  ASSERT_EQ(frozen->status, 200) << frozen->body;
  EXPECT_TRUE(Json::parse(Text("/api/v1/protection/freeze", "kbh"))["frozen"].get<bool>());

  Publish(Indicator("during-freeze", "[domain-name:value = 'frozen-new.example.net']", Tlp::kGreen));
  EXPECT_EQ(Text(kBase + "0101/rpz", "kbh"), before);
  EXPECT_EQ(Etag(kBase + "0101/rpz", "kbh"), etag);
  EXPECT_EQ(Json::parse(Text(kBase + "0101/feed", "kbh"))["mode"], "frozen");
  auto pin = Send("PUT", kBase + "0101/pin", "kbh", Json{{"serial", Serial(etag)}, {"reason", "x"}}.dump());
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->status, 409);

  auto thaw = Send("PUT", "/api/v1/protection/freeze", "cfcs", Json{{"frozen", false}, {"reason", "cleared"}}.dump());
  ASSERT_TRUE(thaw && thaw->status == 200);
  EXPECT_NE(Text(kBase + "0101/rpz", "kbh").find("frozen-new.example.net"), std::string::npos);
  EXPECT_GT(Serial(Etag(kBase + "0101/rpz", "kbh")), Serial(etag));
  auto audit = hub_->store().ListAudit(Store::kMaxPageSize);
  ASSERT_TRUE(audit.ok());
  int freezes = 0;
  for (const auto& entry : *audit) freezes += entry.action == "protection.freeze" || entry.action == "protection.thaw";
  EXPECT_EQ(freezes, 2);
}

TEST_F(Protection, NeverBlockBeatsEvenTheCoordinatorsIndicators) {
  Publish(Indicator("public-service", "[domain-name:value = 'login.borger.dk']", Tlp::kGreen));
  EXPECT_EQ(Text(kBase + "0101/rpz", "kbh").find("borger.dk"), std::string::npos);
  const Json report = Json::parse(Text(kBase + "0101/feed", "kbh"));
  EXPECT_EQ(report["left_out_by_reason"]["never_block"], 1) << report.dump();

  ASSERT_NE(Text(kBase + "0101/rpz", "kbh").find("bad.example.net"), std::string::npos);
  auto member = Send("PUT", "/api/v1/protection/never-block", "aarhus", Json{{"domains", {"evil.example"}}}.dump());
  ASSERT_TRUE(member);
  EXPECT_EQ(member->status, 403);
  auto bad = Send("PUT", "/api/v1/protection/never-block", "cfcs",
                  Json{{"domains", Json::array({"ok.example", "not a domain"})}}.dump());
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("domains[1]"), std::string::npos) << bad->body;
  auto put = Send("PUT", "/api/v1/protection/never-block", "cfcs",
                  Json{{"domains", Json::array({"Bad.Example.NET"})}, {"networks", Json::array()}}.dump());
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(Json::parse(put->body)["domains"][0], "bad.example.net");
  EXPECT_EQ(Text(kBase + "0101/rpz", "kbh").find("bad.example.net"), std::string::npos);
  const Json history = Json::parse(Text(kBase + "0101/history", "kbh"));
  EXPECT_EQ(history["history"][0]["withdrawn"][0]["reason"], "never_block") << history.dump();
  EXPECT_EQ(Json::parse(Text("/api/v1/protection/never-block", "aarhus"))["domains"][0], "bad.example.net");
}

TEST_F(Protection, RegisteredPresenceIsNeverBlocked) {
  // Odense registers a domain and a prefix; the coordinator approves the domain.
  auto put =
      Send("PUT", "/api/v1/register/members/0461", "odense",
           Json{{"domains", Json::array({"odense-portal.dk"})}, {"prefixes", Json::array({"192.0.2.0/24"})}}.dump());
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  // Copenhagen registers a prefix of its own, unproven (prefixes need no proof).
  auto own =
      Send("PUT", "/api/v1/register/members/0101", "kbh", Json{{"prefixes", Json::array({"203.0.113.0/25"})}}.dump());
  ASSERT_TRUE(own && own->status == 200) << (own ? own->body : "");
  Publish(Indicator("odense-portal", "[domain-name:value = 'login.odense-portal.dk']", Tlp::kGreen));
  Publish(Indicator("odense-net", "[ipv4-addr:value = '192.0.2.77']", Tlp::kGreen));
  Publish(Indicator("kbh-net", "[ipv4-addr:value = '203.0.113.9']", Tlp::kGreen));
  // Not proven yet: Copenhagen's feed blocks Odense's domain (the control).
  EXPECT_NE(Text(kBase + "0101/rpz", "kbh").find("login.odense-portal.dk"), std::string::npos);
  auto approved = Send("POST", "/api/v1/register/members/0461/domains/odense-portal.dk/approve", "cfcs",
                       Json{{"reason", "confirmed by telephone"}}.dump());
  ASSERT_TRUE(approved);
  ASSERT_EQ(approved->status, 200) << approved->body;
  const std::string zone = Text(kBase + "0101/rpz", "kbh");
  EXPECT_EQ(zone.find("odense-portal"), std::string::npos) << zone;
  // Copenhagen's own registered prefix stays out of its own feed …
  EXPECT_EQ(zone.find("9.113.0.203.rpz-ip"), std::string::npos) << zone;
  // … but Odense's unproven prefix does not shield an address from Copenhagen's feed.
  EXPECT_NE(zone.find("32.77.2.0.192.rpz-ip CNAME ."), std::string::npos) << zone;
  const Json history = Json::parse(Text(kBase + "0101/history", "kbh"));
  EXPECT_EQ(history["history"][0]["withdrawn"][0]["reason"], "never_block") << history.dump();
}

TEST_F(Protection, NationalViewTellsEnforcingFromMonitoringFromNotConnected) {
  ASSERT_FALSE(Text(kBase + "0101/rpz", "kbh").empty());
  ASSERT_FALSE(Text(kBase + "0461/rpz", "odense").empty());
  auto refused = Send("GET", "/api/v1/protection/national", "kbh");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  const Json national = Json::parse(Text("/api/v1/protection/national", "cfcs"));
  std::map<std::string, std::string> state;
  for (const auto& member : national["members"]) state[member["organisation"]] = member["state"];
  EXPECT_EQ(state["0101"], "enforcing");
  EXPECT_EQ(state["0461"], "monitoring");
  EXPECT_EQ(state["0751"], "not_connected");
  EXPECT_GE(national["totals"]["enforcing"].get<int>(), 1);
  EXPECT_GE(national["totals"]["not_connected"].get<int>(), 1);
  EXPECT_EQ(national["totals"]["blocks"], 0);

  // Copenhagen's resolver blocked the shared domain 7 times in one hour: counted back, counts only.
  const Timestamp now = Timestamp::Now();
  const std::string hour = Timestamp(now.unix_ms() - now.unix_ms() % 3'600'000).ToRfc3339();
  Publish({{"type", "sighting"},
           {"spec_version", "2.1"},
           {"id", "sighting--" + Uuid::V4().ToString()},
           {"created", now.ToRfc3339()},
           {"modified", now.ToRfc3339()},
           {"sighting_of_ref", IndicatorId("green-domain")},
           {"count", 7},
           {"first_seen", hour},
           {"last_seen", hour},
           {"x_dannevirke_block", true}},
          "kbh-sensor");
  const Json after = Json::parse(Text("/api/v1/protection/national", "cfcs"));
  EXPECT_EQ(after["totals"]["blocks"], 7) << after.dump();
  EXPECT_EQ(after["totals"]["blocking_members"], 1);
  EXPECT_EQ(after["totals"]["indicators_blocked"], 1);
  for (const auto& member : after["members"]) {
    EXPECT_EQ(member["blocks"], member["organisation"] == "0101" ? 7 : 0) << member.dump();
  }
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
