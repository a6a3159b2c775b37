// SPDX-License-Identifier: Apache-2.0
// Tokens that must no longer open the hub (docs/security.md, "Tokens and
// members"): a revoked token, an expired one, a disabled member's, a removed
// member's and that of a member moved to another organisation are refused
// with 401 on the REST API and on TAXII, by Bearer and by Basic, at the very
// next request — also on a kept-alive connection that was let in a moment
// before. And a sensor will not send its token over plain HTTP to a hub that
// is not on this machine.

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "hub/auth.h"
#include "sensor/taxii_client.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";

class Tokens : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("tokens");
    hub_->Start();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static Store& store() { return hub_->store(); }

  // A new member of `org` (its id unique to the calling test) with one fresh token.
  struct Issued {
    std::string member_id;
    std::string token;
    std::string token_id;
  };
  static Issued Issue(const std::string& member_id, const std::string& org = "0101",
                      std::optional<Timestamp> expires_at = std::nullopt) {
    EXPECT_TRUE(store().UpsertMember({member_id, org, member_id, MemberRole::kMember}, "test").ok());
    const std::string token = hub::NewToken();
    auto created = store().CreateToken({hub::HashToken(token), member_id, "test", expires_at}, "test");
    EXPECT_TRUE(created.ok()) << created.error().ToString();
    return {member_id, token, created.ok() ? created->id : std::string()};
  }

  static test::HubClient Client() { return test::HubClient(hub_->port(), 10); }

  // The HTTP status of GET /api/v1/me with the token as Bearer.
  static int Rest(const std::string& token) {
    auto res = Client().Get("/api/v1/me", test::BearerHeaders(token));
    return res ? res->status : -1;
  }
  // The HTTP status of TAXII's collection list, with Bearer and with Basic (member id and token).
  static int Taxii(const std::string& token) {
    auto res = Client().Get("/taxii2/dannevirke/collections/", test::BearerHeaders(token, kTaxii));
    return res ? res->status : -1;
  }
  static int TaxiiBasic(const std::string& member_id, const std::string& token) {
    test::HubClient client = Client();
    client.connection().set_basic_auth(member_id, token);
    auto res = client.Get("/taxii2/dannevirke/collections/", {{"Accept", kTaxii}});
    return res ? res->status : -1;
  }
  static void ExpectAccepted(const Issued& issued) {
    EXPECT_EQ(Rest(issued.token), 200);
    EXPECT_EQ(Taxii(issued.token), 200);
    EXPECT_EQ(TaxiiBasic(issued.member_id, issued.token), 200);
  }
  static void ExpectRefused(const Issued& issued) {
    EXPECT_EQ(Rest(issued.token), 401);
    EXPECT_EQ(Taxii(issued.token), 401);
    EXPECT_EQ(TaxiiBasic(issued.member_id, issued.token), 401);
  }
  static Timestamp In(std::int64_t ms) { return Timestamp(Timestamp::Now().unix_ms() + ms); }

  static inline std::unique_ptr<test::TestHub> hub_;
};

TEST_F(Tokens, ARevokedTokenIsRefused) {
  const Issued issued = Issue("revoked-soc");
  ExpectAccepted(issued);
  ASSERT_TRUE(store().RevokeToken(issued.token_id, "test").ok());
  ExpectRefused(issued);
}

TEST_F(Tokens, AnExpiredTokenIsRefused) {
  const Issued issued = Issue("expired-soc", "0101", In(3'600'000));
  ExpectAccepted(issued);
  ASSERT_TRUE(store().ExpireToken(issued.token_id, In(-1000), "test").ok());
  ExpectRefused(issued);
}

TEST_F(Tokens, ATokenStopsByItselfWhenItsTimeIsUp) {
  const Issued issued = Issue("short-lived-soc", "0101", In(3000));
  EXPECT_EQ(Rest(issued.token), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  ExpectRefused(issued);
}

TEST_F(Tokens, ADisabledMembersTokenIsRefusedUntilItIsEnabled) {
  const Issued issued = Issue("disabled-soc");
  ExpectAccepted(issued);
  ASSERT_TRUE(store().DisableMember(issued.member_id, "test").ok());
  ExpectRefused(issued);
  ASSERT_TRUE(store().EnableMember(issued.member_id, "test").ok());
  ExpectAccepted(issued);
}

TEST_F(Tokens, AMemberMovedToAnotherOrganisationLosesItsTokens) {
  const Issued issued = Issue("moving-soc", "0101");
  ExpectAccepted(issued);
  ASSERT_TRUE(store().UpsertMember({issued.member_id, "0751", issued.member_id, MemberRole::kMember}, "test").ok());
  ExpectRefused(issued);
  // A token issued after the move acts for the new organisation only.
  const std::string token = hub::NewToken();
  ASSERT_TRUE(store().AddToken(hub::HashToken(token), issued.member_id, "after move", "test").ok());
  auto res = Client().Get("/api/v1/me", test::BearerHeaders(token));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Json::parse(res->body)["organisation"]["code"], "0751");
}

TEST_F(Tokens, ARemovedMembersTokenIsRefused) {
  const Issued issued = Issue("removed-soc");
  ExpectAccepted(issued);
  ASSERT_TRUE(store().RemoveMember(issued.member_id, "test").ok());
  ExpectRefused(issued);
}

// No cache between the store and the check: on a connection kept alive (and
// let in a moment ago), the request right after the revocation is refused.
TEST_F(Tokens, ARevocationTakesEffectOnTheNextRequestOfAnOpenConnection) {
  const Issued issued = Issue("keepalive-soc");
  test::HubClient client = Client();
  client.connection().set_keep_alive(true);
  const httplib::Headers headers = test::BearerHeaders(issued.token, kTaxii);
  for (int request_idx = 0; request_idx < 20; ++request_idx) {
    auto res = client.Get("/taxii2/dannevirke/collections/", headers);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
  }
  ASSERT_TRUE(store().RevokeToken(issued.token_id, "test").ok());
  auto res = client.Get("/taxii2/dannevirke/collections/", headers);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  auto rest = client.Get("/api/v1/me", headers);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->status, 401);
}

// The sensor's transport rule, as a pure function…
TEST(SensorTransport, PlainHttpOnlyToLoopback) {
  for (const char* url :
       {"https://hub.example:8443", "https://10.0.0.1/", "http://127.0.0.1:8080", "http://127.1.2.3/taxii2/",
        "http://[::1]:8080", "http://localhost:9000", "http://LOCALHOST"}) {
    EXPECT_TRUE(sensor::CheckHubTransport(url).ok()) << url;
  }
  for (const char* url :
       {"http://hub.example:8080", "http://10.0.0.1", "http://192.168.1.10:8080/", "http://127.0.0.1.evil.example",
        "http://localhost.evil.example", "http://[::ffff:10.0.0.1]:80", "http://[fe80::1]", "http://0.0.0.0:8080",
        "http://127.0.0.1@evil.example", "https://user:pw@hub.example", "ftp://127.0.0.1", "127.0.0.1:8080"}) {
    auto checked = sensor::CheckHubTransport(url);
    EXPECT_FALSE(checked.ok()) << url;
    if (!checked.ok()) {
      EXPECT_EQ(checked.error().kind(), ErrorKind::kInvalidArgument) << url;
      EXPECT_NE(checked.error().message().find(url), std::string::npos) << checked.error().message();
    }
  }
  sensor::TaxiiClientOptions options;
  options.hub_url = "http://hub.example:8080";
  options.token = "dvt_secret";
  EXPECT_FALSE(sensor::TaxiiClient::Create(options).ok());
}

// …and as the program a member runs: exit 2 with the reason, before any connection.
TEST(SensorTransport, TheSensorRefusesPlainHttpToARemoteHub) {
  const std::string command = std::string(DV_BINARY) +
                              " sensor --hub http://hub.example:8080 --token dvt_secret --collection "
                              "8e1b0f4e-2a47-4c6f-8a53-000000000001 --once --no-archive /dev/null 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = ::pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << output;
  EXPECT_NE(output.find("not loopback"), std::string::npos) << output;
  EXPECT_NE(output.find("https://"), std::string::npos) << output;
  EXPECT_EQ(output.find("dvt_secret"), std::string::npos) << output;
}

}  // namespace
}  // namespace dv
