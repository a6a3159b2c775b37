// SPDX-License-Identifier: Apache-2.0
// Attacks on the outside measurements (docs/posture.md, "In the hub"):
// another member, a sensor or a stranger tries to read a member's results,
// their history or its regressions, or to make the hub query a member's DNS
// (a visibility matrix over every posture endpoint, each refusal 401/403,
// audited, leaking nothing); a member tries to have a domain it has not
// proven measured, or to read the results of a domain that has since lost
// its proof; the national figures never show a group smaller than five;
// a member cannot make the hub scan for it more than once in ten minutes.

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "posture/stored.h"
#include "register/register_store.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
const std::string kBase = "/api/v1/posture/members/";
// A reason only Copenhagen's results carry: it must never reach anyone else.
const std::string kSecretReason = "p=none on the secret mail domain";

class PostureAttacks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("posture-attacks");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("frb", "0147", MemberRole::kMember);
    hub_->AddMember("frb-sensor", "0147", MemberRole::kSensor);
    Store& store = hub_->store();
    // Copenhagen registers two domains and one is approved; Frederiksberg
    // registers one it never proves.
    reg::Registration kbh;
    kbh.domains = {"kk-secret.dk", "kk-old.dk"};
    ASSERT_TRUE(reg::SaveRegistration(store, "0101", kbh, "kbh", std::nullopt).ok());
    ASSERT_TRUE(reg::ApproveDomain(store, "0101", "kk-secret.dk", "test", "cfcs").ok());
    ASSERT_TRUE(reg::ApproveDomain(store, "0101", "kk-old.dk", "test", "cfcs").ok());
    reg::Registration frb;
    frb.domains = {"frb-unproven.dk"};
    ASSERT_TRUE(reg::SaveRegistration(store, "0147", frb, "frb", std::nullopt).ok());
    // Measurements as the scanner stores them.
    const Timestamp now = Timestamp::Now();
    for (const std::string& domain : {std::string("kk-secret.dk"), std::string("kk-old.dk")}) {
      posture::DomainScan scan;
      scan.domain = domain;
      scan.measured_at = now;
      posture::CheckResult dmarc;
      dmarc.check = "dmarc";
      dmarc.domain = domain;
      dmarc.status = posture::Status::kFail;
      dmarc.reasons = {kSecretReason};
      scan.checks = {dmarc};
      ASSERT_TRUE(posture::StoreScan(store, "0101", scan, "system:posture").ok());
    }
    // A result stored for Frederiksberg's unproven domain (as a forged or
    // stale record would be) must never be shown or counted.
    posture::DomainScan forged;
    forged.domain = "frb-unproven.dk";
    forged.measured_at = now;
    posture::CheckResult spf;
    spf.check = "spf";
    spf.domain = forged.domain;
    spf.status = posture::Status::kPass;
    forged.checks = {spf};
    ASSERT_TRUE(posture::StoreScan(store, "0147", forged, "system:posture").ok());
    // Copenhagen removes kk-old.dk from its register: its proof and results go.
    kbh.domains = {"kk-secret.dk"};
    ASSERT_TRUE(reg::SaveRegistration(store, "0101", kbh, "kbh", std::nullopt).ok());
    hub_->Start();
  }
  static void TearDownTestSuite() { hub_.reset(); }
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "") {
    httplib::Headers headers;
    if (!member.empty()) headers = test::BearerHeaders(hub_->tokens().at(member));
    return test::HubClient(hub_->port()).Send(method, path, headers, body, test::kJsonType);
  }
  static std::size_t Refusals() {
    auto audit = hub_->store().ListAudit(Store::kMaxPageSize);
    std::size_t count = 0;
    if (audit.ok()) {
      for (const auto& entry : *audit) count += entry.action == "read.refused" || entry.action == "write.refused";
    }
    return count;
  }
  static inline std::unique_ptr<test::TestHub> hub_;
};

TEST_F(PostureAttacks, VisibilityMatrixOverEveryPostureEndpoint) {
  const std::vector<std::pair<std::string, std::string>> reads = {
      {"GET", kBase + "0101"},
      {"GET", kBase + "0101/history?domain=kk-secret.dk"},
      {"GET", kBase + "0101/regressions"},
      {"GET", kBase + "0101/dkim"},
  };
  for (const auto& [method, path] : reads) {
    SCOPED_TRACE(path);
    for (const std::string reader : {"kbh", "kbh-sensor", "cfcs"}) {
      auto res = Send(method, path, reader);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 200) << reader << " " << res->body;
    }
    for (const std::string stranger : {"frb", "frb-sensor"}) {
      const std::size_t before = Refusals();
      auto res = Send(method, path, stranger);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 403) << stranger;
      EXPECT_EQ(res->body.find(kSecretReason), std::string::npos);
      EXPECT_EQ(res->body.find("kk-secret"), std::string::npos);
      EXPECT_GT(Refusals(), before) << stranger << ": the refusal is audited";
    }
    auto anonymous = Send(method, path, "");
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401);
  }
  // Asking for a scan: another member, a sensor (of the member or not) and a stranger cannot.
  for (const std::string asker : {"frb", "frb-sensor", "kbh-sensor"}) {
    auto res = Send("POST", kBase + "0101/scan", asker, "{}");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << asker;
  }
  auto anonymous = Send("POST", kBase + "0101/scan", "", "{}");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  // Listing DKIM selectors (which steers what the hub asks the DNS): only the
  // member's people and coordinators, and only for its proven domains.
  const std::string selectors = R"({"selectors": {"kk-secret.dk": ["s1"]}})";
  for (const std::string writer : {"frb", "frb-sensor", "kbh-sensor"}) {
    auto res = Send("PUT", kBase + "0101/dkim", writer, selectors);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << writer;
  }
  auto own = Send("PUT", kBase + "0147/dkim", "frb", R"({"selectors": {"kk-secret.dk": ["s1"]}})");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 400) << "another member's domain is not Frederiksberg's proven domain: " << own->body;
  // No other answer carries the member's results.
  for (const std::string path : {"/api/v1/posture/national", "/api/v1/baseline/national"}) {
    auto res = Send("GET", path, "frb");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body.find(kSecretReason), std::string::npos) << path;
    EXPECT_EQ(res->body.find("kk-secret"), std::string::npos) << path;
  }
}

TEST_F(PostureAttacks, OnlyDomainsStillProvenAreShownScannedOrCounted) {
  auto res = Send("GET", kBase + "0101", "kbh");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const Json answer = Json::parse(res->body);
  ASSERT_EQ(answer["domains"].size(), 1u) << res->body;
  EXPECT_EQ(answer["domains"][0]["domain"], "kk-secret.dk");
  EXPECT_EQ(res->body.find("kk-old.dk"), std::string::npos) << "a domain no longer registered is gone";
  auto history = Send("GET", kBase + "0101/history?domain=kk-old.dk", "kbh");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->status, 404);
  // Frederiksberg never proved its domain: nothing to show, nothing to scan.
  auto frb = Send("GET", kBase + "0147", "frb");
  ASSERT_TRUE(frb);
  ASSERT_EQ(frb->status, 200);
  EXPECT_TRUE(Json::parse(frb->body)["domains"].empty()) << frb->body;
  auto scan = Send("POST", kBase + "0147/scan", "frb", "{}");
  ASSERT_TRUE(scan);
  EXPECT_EQ(scan->status, 409) << "no proven domain: nothing is looked up";
  // One member measured: the national figures are hidden, and the forged
  // result of the unproven domain is not counted.
  auto national = Send("GET", "/api/v1/posture/national", "frb");
  ASSERT_TRUE(national);
  ASSERT_EQ(national->status, 200);
  const Json shares = Json::parse(national->body);
  for (const auto& check : shares["checks"]) {
    EXPECT_TRUE(check["hidden"].get<bool>()) << check.dump();
    EXPECT_TRUE(check["passing"].is_null()) << check.dump();
    if (check["check"] == "spf") {
      EXPECT_EQ(check["members"], 0) << "the unproven domain's result is not counted";
    }
  }
}

TEST_F(PostureAttacks, AMembersPeopleCannotMakeTheHubScanForThemOverAndOver) {
  auto first = Send("POST", kBase + "0101/scan", "kbh", "{}");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 202) << first->body;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto again = Send("POST", kBase + "0101/scan", "kbh", "{}");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 429);
    EXPECT_EQ(again->get_header_value("Retry-After"), "600");
  }
}

}  // namespace
}  // namespace dv
