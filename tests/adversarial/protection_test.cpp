// SPDX-License-Identifier: Apache-2.0
// Attacks on the protection feeds (docs/protect.md, "A feed must never become
// the attack"): a compromised member tries to make other members' resolvers
// block the public sector's own services, another member's domain or whole
// networks; to forge the corroboration that turns monitoring into blocking;
// to write directives into a zone through an indicator's value; to read what
// TLP withholds through any feed route, format or token; to learn from
// tokens that do not work; and to wear the hub down by polling feeds.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/uuid.h"
#include "federation/federation.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";
const std::string kNational = "7c1b0f4e-2a47-4c6f-8a53-0000000000e1";
const std::string kBase = "/api/v1/protection/members/";

const std::vector<std::string> kFormats = {
    "/rpz",
    "/rpz?part=monitor",
    "/rpz/mapping",
    "/feed",
    "/lists/paloalto",
    "/lists/paloalto?kind=domain",
    "/lists/paloalto?kind=url",
    "/lists/fortigate",
    "/lists/fortigate?kind=domain",
    "/lists/mikrotik",
    "/lists/nftables",
    "/lists/ipset",
};

std::string IndicatorId(const std::string& key) {
  return "indicator--" + Uuid::V5(DannevirkeNamespace(), "protection-attack:" + key).ToString();
}

Json Indicator(const std::string& key, const std::string& pattern, Tlp tlp = Tlp::kGreen,
               const std::vector<std::string>& to = {}) {
  const std::string now = Timestamp::Now().ToRfc3339();
  Json object = {{"type", "indicator"},
                 {"spec_version", "2.1"},
                 {"id", IndicatorId(key)},
                 {"created", now},
                 {"modified", now},
                 {"name", "Attack " + key},
                 {"pattern", pattern},
                 {"pattern_type", "stix"},
                 {"valid_from", now},
                 {"confidence", 100},
                 {"object_marking_refs", Json::array({std::string(TlpMarkingId(tlp))})}};
  if (!to.empty()) object["x_dannevirke_recipients"] = to;
  return object;
}

Json Sighting(const std::string& indicator_key, bool block = false) {
  const Timestamp now = Timestamp::Now();
  const std::string hour = Timestamp(now.unix_ms() - now.unix_ms() % 3'600'000).ToRfc3339();
  Json object = {{"type", "sighting"},
                 {"spec_version", "2.1"},
                 {"id", "sighting--" + Uuid::V4().ToString()},
                 {"created", now.ToRfc3339()},
                 {"modified", now.ToRfc3339()},
                 {"sighting_of_ref", IndicatorId(indicator_key)},
                 {"count", 50},
                 {"first_seen", hour},
                 {"last_seen", hour}};
  if (block) object["x_dannevirke_block"] = true;
  return object;
}

// Each attack gets a fresh hub: what one test publishes (a trusting profile,
// a sighting) must not decide another's outcome, whichever order they run in.
class ProtectionAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = std::make_unique<test::TestHub>("protection-attack");
    Collection national;
    national.id = kNational;
    national.title = "National";
    ASSERT_TRUE(hub_->store().UpsertCollection(national, "test").ok());
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("admin", "CFCS", MemberRole::kAdmin);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);  // the victim
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("aarhus", "0751", MemberRole::kMember);  // the compromised member
    hub_->AddMember("aarhus-sensor", "0751", MemberRole::kSensor);
    hub_->AddMember("odense", "0461", MemberRole::kMember);  // a RED recipient, default profile
    hub_->AddMember("odense-sensor", "0461", MemberRole::kSensor);
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  void TearDown() override { hub_.reset(); }

  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "") {
    return test::HubClient(port_, 60).Send(method, path, test::BearerHeaders(tokens_[member]), body);
  }
  static std::string Text(const std::string& path, const std::string& member) {
    auto res = Send("GET", path, member);
    EXPECT_TRUE(res) << path;
    if (!res) return "";
    EXPECT_EQ(res->status, 200) << path << " as " << member << ": " << res->body.substr(0, 300);
    return res->body;
  }
  static void Publish(const Json& object, const std::string& member) {
    auto res = test::HubClient(port_).Post("/taxii2/dannevirke/collections/" + kNational + "/objects/",
                                           test::BearerHeaders(tokens_[member], kTaxii),
                                           Json{{"objects", Json::array({object})}}.dump(), kTaxii);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    const Json status = Json::parse(res->body);
    ASSERT_EQ(status["success_count"], 1) << res->body;
  }
  // Posts `object`; true when the hub stored it (a refusal at intake is
  // also a defence, so attacks use this where either outcome is fine).
  static bool Offer(const Json& object, const std::string& member) {
    auto res = test::HubClient(port_).Post("/taxii2/dannevirke/collections/" + kNational + "/objects/",
                                           test::BearerHeaders(tokens_[member], kTaxii),
                                           Json{{"objects", Json::array({object})}}.dump(), kTaxii);
    EXPECT_TRUE(res);
    return res && res->status == 202 && Json::parse(res->body).value("success_count", 0) == 1;
  }
  // Copenhagen as permissive as a profile may be: enforce, trust the
  // attacker, no corroboration; its own domain and one address allowed.
  static void TrustingProfile(const std::string& code, const std::string& member) {
    auto put = Send("PUT", kBase + code + "/profile", member,
                    Json{{"monitor_only", false},
                         {"require_corroboration", false},
                         {"trusted_producers", Json::array({"0751"})},
                         {"min_confidence", 0},
                         {"allow", {{"domains", Json::array({"kk.dk"})}, {"networks", Json::array({"192.0.2.10"})}}}}
                        .dump());
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
  }
  // Both zones, the mapping and the lists, as the member fetches them (not
  // the feed report: it names what was left out, and why).
  static std::string Everything(const std::string& code, const std::string& member) {
    std::string out;
    for (const auto& format : kFormats) {
      if (format != "/feed") out += Text(kBase + code + format, member) + "\n";
    }
    return out;
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(ProtectionAttack, NeverBlockNamesAndAnotherMembersDomainStayOutOfEveryZone) {
  TrustingProfile("0101", "kbh");
  // The compromised member shares the public sector's services, a parent of
  // them, the victim's own domain, the whole country and a /8.
  Publish(Indicator("borger", "[domain-name:value = 'borger.dk']"), "aarhus");
  Publish(Indicator("mitid-sub", "[domain-name:value = 'login.mitid.dk']"), "aarhus");
  Publish(Indicator("tld", "[domain-name:value = 'dk']"), "aarhus");
  Publish(Indicator("victim", "[domain-name:value = 'selvbetjening.kk.dk']"), "aarhus");
  Publish(Indicator("slash8", "[ipv4-addr:value = '10.0.0.0/8']"), "aarhus");
  Publish(Indicator("everything", "[ipv4-addr:value = '0.0.0.0/0']"), "aarhus");
  Publish(Indicator("covering", "[ipv4-addr:value = '192.0.2.0/24']"), "aarhus");
  Publish(Indicator("real", "[domain-name:value = 'phish.example.org']"), "aarhus");
  // Values on the bundled warning lists: a private address and a vendor's update service.
  Publish(Indicator("private", "[ipv4-addr:value = '10.20.30.40']"), "aarhus");
  Publish(Indicator("vendor", "[domain-name:value = 'update.microsoft.com']"), "aarhus");
  // The coordinator adds a never-block network; a later indicator inside it is left out too.
  auto put = Send("PUT", "/api/v1/protection/never-block", "cfcs",
                  Json{{"domains", Json::array({"aarhus-kommune-hjemmeside.example"})},
                       {"networks", Json::array({"198.51.100.0/24"})}}
                      .dump());
  ASSERT_TRUE(put && put->status == 200);
  Publish(Indicator("national-net", "[ipv4-addr:value = '198.51.100.7']"), "aarhus");

  const std::string zone = Text(kBase + "0101/rpz", "kbh");
  // The control: the profile does enforce what the attacker shared.
  ASSERT_NE(zone.find("\nphish.example.org CNAME ."), std::string::npos) << zone;
  const std::string all = Everything("0101", "kbh");
  for (const std::string_view never :
       {"borger.dk", "mitid.dk", "kk.dk", "\ndk CNAME", "*.dk CNAME", "0.0.0.0", "0.0.0.10.rpz-ip", "198.51.100",
        "24.0.2.0.192.rpz-ip", "microsoft.com", "40.30.20.10.rpz-ip", "10.20.30.40"}) {
    EXPECT_EQ(all.find(never), std::string::npos) << never << " in:\n" << zone;
  }
  // The allowed address is carved out of the shared /24: pieces around it, none holding it.
  EXPECT_NE(zone.find("\n32.11.2.0.192.rpz-ip CNAME ."), std::string::npos) << zone;  // 192.0.2.11/32
  EXPECT_NE(zone.find("\n31.8.2.0.192.rpz-ip CNAME ."), std::string::npos) << zone;   // 192.0.2.8/31
  EXPECT_EQ(zone.find(".10.2.0.192.rpz-ip"), std::string::npos) << zone;
  const Json report = Json::parse(Text(kBase + "0101/feed", "kbh"));
  EXPECT_GE(report["left_out_by_reason"]["never_block"].get<int>(), 3) << report.dump();
  EXPECT_GE(report["left_out_by_reason"]["allow_listed"].get<int>(), 1) << report.dump();
  EXPECT_GE(report["left_out_by_reason"].value("warning_list", 0), 2) << report.dump();
}

TEST_F(ProtectionAttack, ForgedCorroborationNeverTurnsMonitoringIntoBlocking) {
  // Odense trusts Aarhus but wants corroboration (the default) and enforces.
  auto put = Send("PUT", kBase + "0461/profile", "odense",
                  Json{{"monitor_only", false}, {"trusted_producers", Json::array({"0751"})}}.dump());
  ASSERT_TRUE(put && put->status == 200);
  Publish(Indicator("self-vouched", "[domain-name:value = 'self-vouched.example.org']"), "aarhus");
  // Aarhus sights its own indicator with its sensor and its person, and blocks count back from everyone.
  Publish(Sighting("self-vouched"), "aarhus-sensor");
  Publish(Sighting("self-vouched"), "aarhus");
  Publish(Sighting("self-vouched", /*block=*/true), "kbh-sensor");
  Publish(Sighting("self-vouched", /*block=*/true), "odense-sensor");
  EXPECT_EQ(Text(kBase + "0461/rpz", "odense").find("self-vouched"), std::string::npos);
  EXPECT_NE(Text(kBase + "0461/rpz?part=monitor", "odense").find("self-vouched.example.org CNAME rpz-passthru."),
            std::string::npos);
  // A member with the default profile never enforces the attacker's indicators at all.
  EXPECT_EQ(Text(kBase + "0101/rpz", "kbh").find("self-vouched"), std::string::npos);

  // The control: a detection by another organisation's sensor corroborates.
  Publish(Sighting("self-vouched"), "kbh-sensor");
  EXPECT_NE(Text(kBase + "0461/rpz", "odense").find("\nself-vouched.example.org CNAME ."), std::string::npos);
}

TEST_F(ProtectionAttack, ValuesCannotWriteDirectivesIntoAZone) {
  TrustingProfile("0101", "kbh");
  const std::vector<std::string> hostile = {
      "evil.example.com. 3600 IN NS attacker.example",
      "$INCLUDE /etc/passwd",
      "line\nbreak.example.com",
      "*.wild.example.org",
      "semi;colon.example.org",
      "quote\".example.org",
      std::string(64, 'a') + ".example.org",
      "xn--.example.org",
      "example..org",
      "trailing.example.org..",
      "rpz-ip.example.org.rpz-client-ip",
  };
  std::size_t stored = 0;
  for (std::size_t idx = 0; idx < hostile.size(); ++idx) {
    stored +=
        Offer(Indicator("hostile-" + std::to_string(idx), "[domain-name:value = '" + hostile[idx] + "']"), "aarhus");
  }
  Publish(Indicator("fine", "[domain-name:value = 'Fine.Example.ORG.']"), "aarhus");
  const std::string zone = Text(kBase + "0101/rpz", "kbh");
  EXPECT_NE(zone.find("\nfine.example.org CNAME ."), std::string::npos) << zone;
  for (const std::string_view needle :
       {"attacker", "INCLUDE", "passwd", "break", "wild", "colon", "quote", "aaaa", "xn--.", "..", "rpz-client-ip"}) {
    EXPECT_EQ(zone.find(needle), std::string::npos) << needle << " in:\n" << zone;
  }
  const Json report = Json::parse(Text(kBase + "0101/feed", "kbh"));
  // Every hostile value the hub stored was left out of the feed as invalid.
  EXPECT_EQ(report["left_out_by_reason"].value("invalid_value", 0), static_cast<int>(stored)) << report.dump();
  EXPECT_GE(stored, hostile.size() - 2);
  if (!std::filesystem::exists("/usr/bin/named-checkzone")) GTEST_SKIP() << "named-checkzone is not installed";
  const auto file = hub_->dir() / "attacked.rpz";
  std::ofstream(file) << zone;
  EXPECT_EQ(std::system(("/usr/bin/named-checkzone -q rpz.test " + file.string()).c_str()), 0) << zone;
}

TEST_F(ProtectionAttack, TlpMatrixOverEveryFeedRouteFormatAndReader) {
  TrustingProfile("0101", "kbh");
  // RED to Odense alone, by the coordinator and by Aarhus; and a GREEN control.
  Publish(Indicator("red-coord", "[domain-name:value = 'red-coordinator.example.net']", Tlp::kRed, {"0461"}), "cfcs");
  Publish(Indicator("red-addr", "[ipv4-addr:value = '203.0.113.77']", Tlp::kRed, {"0461"}), "cfcs");
  Publish(Indicator("red-url", "[url:value = 'https://red-url.example.net/x']", Tlp::kRed, {"0461"}), "aarhus");
  Publish(Indicator("red-own", "[domain-name:value = 'red-aarhus-only.example.net']", Tlp::kRed, {"0751"}), "aarhus");
  Publish(Indicator("green", "[domain-name:value = 'green-control.example.net']"), "cfcs");
  auto created = Send("POST", kBase + "0101/tokens", "kbh", Json{{"label", "resolver"}}.dump());
  ASSERT_TRUE(created && created->status == 201);
  const std::string token = Json::parse(created->body)["token"];

  const std::vector<std::string> secrets = {"red-coordinator",      "203.0.113.77",           "red-url",
                                            "red-aarhus-only",      IndicatorId("red-coord"), IndicatorId("red-addr"),
                                            IndicatorId("red-url"), IndicatorId("red-own")};
  int cells = 0;
  bool control_seen = false;
  const auto check = [&](const std::string& what, const std::string& body) {
    for (const auto& secret : secrets) EXPECT_EQ(body.find(secret), std::string::npos) << secret << " in " << what;
    control_seen = control_seen || body.find("green-control") != std::string::npos;
    ++cells;
  };
  for (const auto& format : kFormats) {
    for (const std::string reader : {"kbh", "kbh-sensor", "admin"}) {
      check(format + " as " + reader, Text(kBase + "0101" + format, reader));
    }
    auto by_token = test::HubClient(port_).Get("/api/v1/protection/feeds/" + token + format, {});
    ASSERT_TRUE(by_token);
    EXPECT_EQ(by_token->status, 200) << format;
    check(format + " by token", by_token->body);
  }
  for (const std::string path : {"/history", "/profile"}) check(path, Text(kBase + "0101" + path, "kbh"));
  check("national", Text("/api/v1/protection/national", "cfcs"));
  // The recipient's own monitor zone does hold them: the matrix is not vacuous.
  const std::string odense = Text(kBase + "0461/rpz?part=monitor", "odense");
  EXPECT_NE(odense.find("red-coordinator.example.net"), std::string::npos) << odense;
  // Frozen feeds are served from the history: the same rule holds.
  auto freeze = Send("PUT", "/api/v1/protection/freeze", "cfcs", Json{{"frozen", true}, {"reason", "test"}}.dump());
  ASSERT_TRUE(freeze && freeze->status == 200);
  for (const auto& format : kFormats) check(format + " frozen, as admin", Text(kBase + "0101" + format, "admin"));
  EXPECT_TRUE(control_seen);
  std::printf("feed TLP matrix: %d cells (route × format × reader), %zu withheld values each\n", cells, secrets.size());
}

TEST_F(ProtectionAttack, BadTokensLearnNothingAndTokensAreCapped) {
  auto created = Send("POST", kBase + "0101/tokens", "kbh", "{}");
  ASSERT_TRUE(created && created->status == 201);
  const Json token = Json::parse(created->body);
  auto revoked = Send("DELETE", kBase + "0101/tokens/" + token["id"].get<std::string>(), "kbh");
  ASSERT_TRUE(revoked && revoked->status == 204);
  test::HubClient client(port_);
  auto old = client.Get("/api/v1/protection/feeds/" + token["token"].get<std::string>() + "/rpz", {});
  auto never = client.Get("/api/v1/protection/feeds/dvf_" + std::string(64, '0') + "/rpz", {});
  ASSERT_TRUE(old && never);
  EXPECT_EQ(old->status, 404);
  EXPECT_EQ(never->status, 404);
  EXPECT_EQ(old->body, never->body);  // a revoked token and an unknown one look the same
  for (const std::string& bad : std::vector<std::string>{"dvf_" + std::string(63, 'a'), "dvf_" + std::string(64, 'A'),
                                                         "dvt_" + std::string(64, 'a'), "../members/0101"}) {
    auto res = client.Get("/api/v1/protection/feeds/" + bad + "/rpz", {});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << bad;
  }
  // Limits before work: a member holds at most 20 feed tokens.
  int made = 0;
  for (int idx = 0; idx < 25; ++idx) {
    auto res = Send("POST", kBase + "0101/tokens", "kbh", "{}");
    ASSERT_TRUE(res);
    if (res->status == 201)
      ++made;
    else
      EXPECT_EQ(res->status, 409) << res->body;
  }
  EXPECT_EQ(made, 20);
}

TEST_F(ProtectionAttack, PollingFloodsLeaveTheHubAnswering) {
  TrustingProfile("0101", "kbh");
  for (int idx = 0; idx < 50; ++idx) {
    Publish(Indicator("bulk-" + std::to_string(idx),
                      "[domain-name:value = 'bulk-" + std::to_string(idx) + ".example.org']"),
            "aarhus");
  }
  std::vector<std::string> tokens;
  for (int idx = 0; idx < 4; ++idx) {
    auto res = Send("POST", kBase + "0101/tokens", "kbh", "{}");
    ASSERT_TRUE(res && res->status == 201);
    tokens.push_back(Json::parse(res->body)["token"]);
  }
  std::atomic<int> ok{0};
  std::atomic<int> limited{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 8; ++thread) {
    threads.emplace_back([&, thread] {
      httplib::Client client("127.0.0.1", port_);
      client.set_read_timeout(60, 0);
      for (int idx = 0; idx < 60; ++idx) {
        const std::string path =
            thread % 2 == 0 ? "/api/v1/protection/feeds/" + tokens[thread / 2] + kFormats[idx % kFormats.size()]
                            : kBase + "0101" + kFormats[idx % kFormats.size()];
        auto res = thread % 2 == 0 ? client.Get(path) : client.Get(path, test::BearerHeaders(tokens_["kbh"]));
        if (res && (res->status == 200 || res->status == 304))
          ++ok;
        else if (res && res->status == 429)
          ++limited;
        else
          ++other;
      }
    });
  }
  // Meanwhile another member is served.
  int answered = 0;
  for (int idx = 0; idx < 10; ++idx) {
    auto res = test::HubClient(port_, 30).Get("/api/v1/protection/freeze", test::BearerHeaders(tokens_["odense"]));
    if (res && res->status == 200) ++answered;
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered, 10);
  EXPECT_EQ(other.load(), 0) << "a fetch failed other than by the rate limit";
  EXPECT_GT(ok.load(), 0);
  std::printf("flood: %d served, %d rate-limited\n", ok.load(), limited.load());
}

}  // namespace
}  // namespace dv
