// SPDX-License-Identifier: Apache-2.0
// Attacks on the members' register (docs/register.md): another member or a
// sensor tries to read or change a member's registration, proofs, the
// coordinator's decisions, coverage or routing (a visibility matrix over
// every register endpoint: each refusal is 403, leaks nothing, and is
// audited); a member registers a public suffix to capture everyone's reports
// below it; a member claims another member's proven domain or prefix, which
// must surface as a conflict both see and must not move its routing; and
// oversized registrations, refused before any value is parsed.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
const std::string kMember = "/api/v1/register/members/";

class RegisterAttacks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // A resolver that answers nothing: no request below may reach DNS.
    ::setenv("DV_REGISTER_RESOLVER", "127.0.0.1@9", 1);
    hub_ = std::make_unique<test::TestHub>("register-attacks");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("admin", "CFCS", MemberRole::kAdmin);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("frb", "0147", MemberRole::kMember);
    hub_->AddMember("frb-sensor", "0147", MemberRole::kSensor);
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
    auto put = Send("PUT", kMember + "0101", "kbh", kVictim.dump());
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
    auto approve = Send("POST", kMember + "0101/domains/kk-secret.dk/approve", "cfcs",
                        Json{{"reason", "checked with Copenhagen's IT"}}.dump());
    ASSERT_TRUE(approve);
    ASSERT_EQ(approve->status, 200) << approve->body;
  }
  static void TearDownTestSuite() {
    hub_.reset();
    ::unsetenv("DV_REGISTER_RESOLVER");
  }
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "", const std::string& type = test::kJsonType) {
    return test::HubClient(port_).Send(method, path, test::BearerHeaders(tokens_[member]), body, type);
  }
  // The newest audit entry's id.
  static std::int64_t LastAuditId() {
    auto audit = hub_->store().ListAudit(1);
    return audit.ok() && !audit->empty() ? audit->front().id : 0;
  }
  // Refusals audited after entry `after` (at most a page of entries later).
  static std::int64_t RefusalsSince(std::int64_t after) {
    auto audit = hub_->store().ListAudit(Store::kMaxPageSize);
    std::int64_t count = 0;
    if (!audit.ok()) return -1;
    for (const auto& entry : *audit) {
      count += entry.id > after && (entry.action == "read.refused" || entry.action == "write.refused") ? 1 : 0;
    }
    return count;
  }
  static Json Version(const std::string& code) {
    auto res = Send("GET", kMember + code, "cfcs");
    return res && res->status == 200 ? Json::parse(res->body)["version"] : Json();
  }

  static inline const Json kVictim = {
      {"domains", {"kk-secret.dk"}}, {"prefixes", {"203.0.113.0/24", "2001:db8:101::/48"}}, {"asns", {64496}}};
  static inline std::unique_ptr<test::TestHub> hub_;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(RegisterAttacks, VisibilityMatrixOverEveryRegisterEndpoint) {
  struct Endpoint {
    std::string method;
    std::string path;
    std::string body;
    std::set<std::string> allowed;  // everyone else: 403
  };
  const std::string domain = kMember + "0101/domains/kk-secret.dk";
  const std::vector<Endpoint> endpoints = {
      {"GET", kMember + "0101", "", {"kbh", "kbh-sensor", "cfcs", "admin"}},
      {"PUT", kMember + "0101", kVictim.dump(), {"kbh", "admin"}},
      {"POST", domain + "/challenge", "", {"kbh", "admin"}},
      {"POST", domain + "/verify", "", {}},  // allowed ones would look DNS up: refusals only
      {"POST", domain + "/approve", Json{{"reason", "matrix"}}.dump(), {"cfcs", "admin"}},
      {"GET", "/api/v1/register/conflicts", "", {"cfcs", "admin"}},
      {"POST",
       "/api/v1/register/conflicts/resolve",
       Json{{"kind", "domain"}, {"key", "kk-secret.dk"}, {"owner", "0147"}, {"reason", "matrix"}}.dump(),
       {"cfcs", "admin"}},
      {"GET", "/api/v1/register/coverage", "", {"cfcs", "admin"}},
      {"GET", "/api/v1/register/route?domain=kk-secret.dk", "", {"cfcs", "admin"}},
      {"GET", "/api/v1/register/route?address=203.0.113.7", "", {"cfcs", "admin"}},
  };
  const std::vector<std::string> principals = {"kbh", "kbh-sensor", "frb", "frb-sensor", "cfcs", "admin"};
  const std::set<std::string> verify_allowed = {"kbh", "admin"};
  std::int64_t refused = 0;
  const std::int64_t before = LastAuditId();
  for (const auto& endpoint : endpoints) {
    for (const auto& who : principals) {
      const bool is_verify = endpoint.path.ends_with("/verify");
      if (is_verify && verify_allowed.count(who)) continue;
      auto res = Send(endpoint.method, endpoint.path, who, endpoint.body);
      ASSERT_TRUE(res) << endpoint.method << " " << endpoint.path << " as " << who;
      if (endpoint.allowed.count(who)) {
        EXPECT_NE(res->status, 403) << endpoint.method << " " << endpoint.path << " as " << who << ": " << res->body;
        EXPECT_LT(res->status, 500) << res->body;
      } else {
        ++refused;
        EXPECT_EQ(res->status, 403) << endpoint.method << " " << endpoint.path << " as " << who << ": " << res->body;
        EXPECT_EQ(res->body.find("203.0.113"), std::string::npos) << res->body;
        EXPECT_EQ(res->body.find("64496"), std::string::npos) << res->body;
        EXPECT_EQ(res->body.find("dv-proof-"), std::string::npos) << res->body;
      }
    }
  }
  EXPECT_EQ(RefusalsSince(before), refused) << "every refusal is audited once";
  // The victim's registration is as it was (the matrix's allowed PUTs wrote the same lists).
  auto own = Send("GET", kMember + "0101", "kbh");
  ASSERT_TRUE(own);
  const Json view = Json::parse(own->body);
  EXPECT_EQ(view["prefixes"], Json({"203.0.113.0/24", "2001:db8:101::/48"}));
  EXPECT_EQ(view["domains"][0]["status"], "approved");
}

TEST_F(RegisterAttacks, PublicSuffixesCannotBeRegistered) {
  const Json before = Version("0147");
  for (const std::string suffix : {"github.io", "kommune.no", "dk", "co.uk", "blogspot.com", "x.ck", "GITHUB.IO."}) {
    auto res = Send("PUT", kMember + "0147", "frb", Json{{"domains", {"frb.dk", suffix}}}.dump());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << suffix << ": " << res->body;
    EXPECT_NE(res->body.find("domains[1]: "), std::string::npos) << res->body;
    EXPECT_NE(res->body.find("public suffix"), std::string::npos) << res->body;
    auto csv = Send("PUT", kMember + "0147", "frb", "type,value\ndomain," + suffix + "\n", "text/csv");
    ASSERT_TRUE(csv);
    EXPECT_EQ(csv->status, 400) << suffix << ": " << csv->body;
  }
  EXPECT_EQ(Version("0147"), before);
}

TEST_F(RegisterAttacks, ClaimingAnotherMembersProvenDomainIsAConflictNotATakeover) {
  auto claim = Send("PUT", kMember + "0147", "frb",
                    Json{{"domains", {"kk-secret.dk", "www.kk-secret.dk"}}, {"prefixes", {"203.0.113.0/24"}}}.dump());
  ASSERT_TRUE(claim);
  ASSERT_EQ(claim->status, 200) << claim->body;
  // Both members see the conflicts; the claimant's view shows its own claim unproven.
  const Json thief = Json::parse(claim->body);
  EXPECT_EQ(thief["domains"][0]["status"], "unproven");
  std::set<std::string> keys;
  for (const auto& conflict : thief["conflicts"]) keys.insert(conflict["key"].get<std::string>());
  EXPECT_EQ(keys, (std::set<std::string>{"203.0.113.0/24", "kk-secret.dk"}));
  auto victim = Send("GET", kMember + "0101", "kbh");
  ASSERT_TRUE(victim);
  EXPECT_EQ(Json::parse(victim->body)["conflicts"].size(), 2u) << victim->body;
  // Routing: the proven owner keeps the name; "www." below it is the thief's
  // registration, unproven, so it routes to the owner too. The exact prefix
  // claimed twice routes to both until the coordinator decides.
  const auto route = [](const std::string& query) {
    auto res = Send("GET", "/api/v1/register/route?" + query, "cfcs");
    return res && res->status == 200 ? Json::parse(res->body) : Json();
  };
  EXPECT_EQ(route("domain=kk-secret.dk")["match"]["owners"], Json({"0101"}));
  EXPECT_EQ(route("domain=www.kk-secret.dk")["match"]["owners"], Json({"0101"}));
  EXPECT_EQ(route("address=203.0.113.5")["match"]["owners"], Json({"0101", "0147"}));
  // The thief cannot approve its own claim, nor resolve the conflict.
  auto approve = Send("POST", kMember + "0147/domains/kk-secret.dk/approve", "frb", Json{{"reason", "mine"}}.dump());
  ASSERT_TRUE(approve);
  EXPECT_EQ(approve->status, 403);
  // The coordinator resolves for the proven owner: the thief's claim routes nowhere.
  auto resolve =
      Send("POST", "/api/v1/register/conflicts/resolve", "cfcs",
           Json{{"kind", "prefix"}, {"key", "203.0.113.0/24"}, {"owner", "0101"}, {"reason", "RIPE"}}.dump());
  ASSERT_TRUE(resolve);
  EXPECT_EQ(resolve->status, 200) << resolve->body;
  EXPECT_EQ(route("address=203.0.113.5")["match"]["owners"], Json({"0101"}));

  // A more specific prefix inside the victim's is no exact-prefix conflict and
  // wins by longest match, but the coordinator sees it.
  claim = Send("PUT", kMember + "0147", "frb", Json{{"prefixes", {"203.0.113.128/25"}}}.dump());
  ASSERT_TRUE(claim);
  ASSERT_EQ(claim->status, 200) << claim->body;
  auto listed = Send("GET", "/api/v1/register/conflicts", "cfcs");
  ASSERT_TRUE(listed);
  const Json nested = Json::parse(listed->body)["nested"];
  ASSERT_EQ(nested.size(), 1u) << listed->body;
  EXPECT_EQ(nested[0]["inner"], "203.0.113.128/25");
  EXPECT_EQ(nested[0]["inner_owners"], Json({"0147"}));
  EXPECT_EQ(nested[0]["outer"], "203.0.113.0/24");
  EXPECT_EQ(nested[0]["outer_owners"], Json({"0101"}));
}

TEST_F(RegisterAttacks, OversizedRegistrationsAreRefusedBeforeWork) {
  const Json before = Version("0147");
  // 10,001 values whose first is invalid: refused for the count, not the value.
  Json domains = Json::array({"not a domain"});
  for (int idx = 0; idx < 10'000; ++idx) domains.push_back("d" + std::to_string(idx) + ".frb.dk");
  auto start = std::chrono::steady_clock::now();
  auto res = Send("PUT", kMember + "0147", "frb", Json{{"domains", domains}}.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("domains: at most 10000 values"), std::string::npos) << res->body.substr(0, 300);
  std::string csv = "type,value\n";
  for (int idx = 0; idx < 40'001; ++idx) csv += "asn,64496\n";
  res = Send("PUT", kMember + "0147", "frb", csv, "text/csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("CSV: more than 40000 rows"), std::string::npos) << res->body;
  res = Send("PUT", kMember + "0147", "frb", "type,value\n" + std::string(5 * 1024 * 1024, ' '), "text/csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(Version("0147"), before);
  // The limit itself is accepted.
  domains.erase(domains.begin());
  res = Send("PUT", kMember + "0147", "frb", Json{{"domains", domains}}.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body.substr(0, 300);
}

}  // namespace
}  // namespace dv
