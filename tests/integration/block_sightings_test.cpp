// SPDX-License-Identifier: Apache-2.0
// Blocks counted back (docs/protect.md, "Counting blocks") over real HTTP: a
// sighting with x_dannevirke_block: true shows in the indicator views as
// `blocks` and `blocked_members`, never as a detection: the sighting
// figures, the decay and the corroboration of a member's feed stay as they
// were. A block sighting another member may not see (TLP:RED to someone
// else) adds nothing to its figures. Every JSON response is checked against
// the OpenAPI document by HubClient.

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/uuid.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";
constexpr const char* kRoot = "/taxii2/dannevirke/";
const std::string kNational = "7c1b0f4e-2a47-4c6f-8a53-0000000000b1";
constexpr std::int64_t kDayMs = 86'400'000;

std::string IndicatorId(const std::string& key) {
  return "indicator--" + Uuid::V5(DannevirkeNamespace(), "block-sightings-test:" + key).ToString();
}

Json Indicator(const std::string& key, const std::string& pattern, Timestamp valid_from) {
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", IndicatorId(key)},
          {"created", valid_from.ToRfc3339()},
          {"modified", valid_from.ToRfc3339()},
          {"name", "Block sightings test " + key},
          {"pattern", pattern},
          {"pattern_type", "stix"},
          {"valid_from", valid_from.ToRfc3339()},
          {"confidence", 90},
          {"object_marking_refs", {std::string(TlpMarkingId(Tlp::kGreen))}}};
}

// A block sighting as the sensor sends it: counts only, the hour as first and last seen.
Json Block(const std::string& indicator_id, std::int64_t count) {
  const Timestamp now = Timestamp::Now();
  const Timestamp hour(now.unix_ms() - now.unix_ms() % 3'600'000);
  return {{"type", "sighting"},
          {"spec_version", "2.1"},
          {"id", "sighting--" + Uuid::V4().ToString()},
          {"created", now.ToRfc3339()},
          {"modified", now.ToRfc3339()},
          {"sighting_of_ref", indicator_id},
          {"count", count},
          {"first_seen", hour.ToRfc3339()},
          {"last_seen", hour.ToRfc3339()},
          {"x_dannevirke_block", true}};
}

class BlockSightings : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("block-sightings");
    Collection national;
    national.id = kNational;
    national.title = "National";
    ASSERT_TRUE(hub_->store().UpsertCollection(national, "test").ok());
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("odense", "0461", MemberRole::kMember);
    hub_->AddMember("odense-sensor", "0461", MemberRole::kSensor);
    hub_->AddMember("aarhus", "0751", MemberRole::kMember);
    hub_->AddMember("aarhus-sensor", "0751", MemberRole::kSensor);
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "") {
    return test::HubClient(port_).Send(method, path, test::BearerHeaders(tokens_[member]), body);
  }
  static void Publish(const Json& object, const std::string& member) {
    auto res = test::HubClient(port_).Post(std::string(kRoot) + "collections/" + kNational + "/objects/",
                                           test::BearerHeaders(tokens_[member], kTaxii),
                                           Json{{"objects", {object}}}.dump(), kTaxii);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    ASSERT_EQ(Json::parse(res->body)["success_count"], 1) << res->body;
  }
  static Json Get(const std::string& path, const std::string& member) {
    auto res = Send("GET", path, member);
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, 200) << path << " as " << member << ": " << res->body;
    return Json::parse(res->body, nullptr, false);
  }
  static std::string Text(const std::string& path, const std::string& member) {
    auto res = Send("GET", path, member);
    EXPECT_TRUE(res && res->status == 200);
    return res ? res->body : "";
  }
  // The indicator as `member` sees it in the list view.
  static Json Listed(const std::string& id, const std::string& member) {
    const Json list = Get("/api/v1/indicators?limit=1000", member);
    for (const auto& entry : list["items"]) {
      if (entry["id"] == id) return entry;
    }
    ADD_FAILURE() << id << " is not in " << member << "'s list";
    return Json();
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(BlockSightings, BlocksAreCountedApartAndNeverCorroborate) {
  // Copenhagen enforces what Aarhus shares, once a second producer saw it.
  auto put = Send("PUT", "/api/v1/protection/members/0101/profile", "kbh",
                  Json{{"monitor_only", false}, {"trusted_producers", {"0751"}}}.dump());
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  const std::string id = IndicatorId("aarhus-domain");
  Publish(Indicator("aarhus-domain", "[domain-name:value = 'blocked-twice.example.org']", Timestamp::Now()), "aarhus");
  const std::string enforce = "/api/v1/protection/members/0101/rpz";
  const std::string monitor = enforce + "?part=monitor";
  ASSERT_NE(Text(monitor, "kbh").find("\nblocked-twice.example.org CNAME rpz-passthru."), std::string::npos);
  const Json before = Get("/api/v1/indicators/" + id, "kbh");
  EXPECT_EQ(before["blocks"], 0);
  EXPECT_EQ(before["blocked_members"], 0);

  Publish(Block(id, 5), "odense-sensor");
  Publish(Block(id, 2), "kbh-sensor");
  Publish(Block(id, 1), "kbh-sensor");
  for (const Json& view : {Get("/api/v1/indicators/" + id, "kbh"), Listed(id, "kbh")}) {
    EXPECT_EQ(view["blocks"], 8) << view.dump();
    EXPECT_EQ(view["blocked_members"], 2);
    EXPECT_EQ(view["sightings"]["objects"], 0);
    EXPECT_EQ(view["sightings"]["count"], 0);
    EXPECT_EQ(view["sightings"]["members"], 0);
    EXPECT_TRUE(view["sightings"]["first_seen"].is_null());
    EXPECT_TRUE(view["sightings"]["last_seen"].is_null());
    EXPECT_EQ(view["confidence"]["decay_from"], before["confidence"]["decay_from"]);
  }
  EXPECT_TRUE(Get("/api/v1/indicators/" + id, "kbh")["sightings"]["visible"].empty());
  // Blocks by two other members' sensors corroborate nothing: still monitored.
  EXPECT_EQ(Text(enforce, "kbh").find("blocked-twice.example.org"), std::string::npos);
  EXPECT_NE(Text(monitor, "kbh").find("\nblocked-twice.example.org CNAME rpz-passthru."), std::string::npos);

  // A detection by another member's sensor does: the same path is open to sightings.
  Json detection = Block(id, 1);
  detection.erase("x_dannevirke_block");
  Publish(detection, "odense-sensor");
  const Json seen = Get("/api/v1/indicators/" + id, "kbh");
  EXPECT_EQ(seen["sightings"]["objects"], 1);
  EXPECT_EQ(seen["blocks"], 8);
  EXPECT_NE(Text(enforce, "kbh").find("\nblocked-twice.example.org CNAME ."), std::string::npos);
}

TEST_F(BlockSightings, BlocksDoNotRestartDecay) {
  // An address indicator (lifetime 30 days) valid from 45 days ago has expired.
  const Timestamp old(Timestamp::Now().unix_ms() - 45 * kDayMs);
  const std::string id = IndicatorId("stale-address");
  Publish(Indicator("stale-address", "[ipv4-addr:value = '192.0.2.45']", old), "aarhus");
  Publish(Block(id, 40), "odense-sensor");
  const Json view = Get("/api/v1/indicators/" + id, "kbh");
  EXPECT_EQ(view["blocks"], 40);
  EXPECT_EQ(view["status"], "expired") << view.dump();
  EXPECT_EQ(view["confidence"]["decay_from"], old.ToRfc3339());
  EXPECT_EQ(view["confidence"]["current"], 0.0);
}

TEST_F(BlockSightings, ABlockAMemberMayNotSeeAddsNothingForIt) {
  const std::string id = IndicatorId("red-blocks");
  Publish(Indicator("red-blocks", "[domain-name:value = 'red-blocks.example.org']", Timestamp::Now()), "aarhus");
  Publish(Block(id, 3), "aarhus-sensor");
  // Odense's block, TLP:RED for Odense alone.
  Json red = Block(id, 100);
  red["object_marking_refs"] = {std::string(TlpMarkingId(Tlp::kRed))};
  red["x_dannevirke_recipients"] = {"0461"};
  Publish(red, "odense-sensor");
  for (const std::string member : {"kbh", "aarhus"}) {
    const Json view = Get("/api/v1/indicators/" + id, member);
    EXPECT_EQ(view["blocks"], 3) << member;
    EXPECT_EQ(view["blocked_members"], 1) << member;
    EXPECT_EQ(Listed(id, member)["blocks"], 3) << member;
  }
  const Json odense = Get("/api/v1/indicators/" + id, "odense");
  EXPECT_EQ(odense["blocks"], 103);
  EXPECT_EQ(odense["blocked_members"], 2);
}

TEST_F(BlockSightings, ABlockSightingThatNamesMoreThanCountsIsRefused) {
  Json block = Block(IndicatorId("aarhus-domain"), 1);
  block["observed_data_refs"] = {"observed-data--" + Uuid::V4().ToString()};
  auto res = test::HubClient(port_).Post(std::string(kRoot) + "collections/" + kNational + "/objects/",
                                         test::BearerHeaders(tokens_["odense-sensor"], kTaxii),
                                         Json{{"objects", {block}}}.dump(), kTaxii);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const Json status = Json::parse(res->body);
  EXPECT_EQ(status["failure_count"], 1) << res->body;
  EXPECT_NE(res->body.find("observed_data_refs"), std::string::npos) << res->body;
}

}  // namespace
}  // namespace dv
