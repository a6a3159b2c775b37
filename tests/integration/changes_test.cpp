// SPDX-License-Identifier: Apache-2.0
// The pushed change feed (GET /api/v1/changes) over real HTTP: a waiting
// sensor is answered when an object it may see is published, and only
// then; the TLP and audience rules decide what wakes it; types, cursors,
// limits and refusals; a hub that stops while requests wait.

#include <gtest/gtest.h>
#include <httplib.h>

#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/tlp.h"
#include "core/uuid.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";
const std::string kNational = "7c1b0f4e-2a47-4c6f-8a53-0000000000c1";
const std::string kRegional = "7c1b0f4e-2a47-4c6f-8a53-0000000000c2";  // Region Hovedstaden (1084)

Json Indicator(const std::string& key, Tlp tlp) {
  Json object = {{"type", "indicator"},
                 {"spec_version", "2.1"},
                 {"id", "indicator--" + Uuid::V5(DannevirkeNamespace(), "changes-test:" + key).ToString()},
                 {"created", "2026-12-01T10:00:00.000Z"},
                 {"modified", "2026-12-01T10:00:00.000Z"},
                 {"name", "Test " + key},
                 {"pattern", "[ipv4-addr:value = '198.51.100.7']"},
                 {"pattern_type", "stix"},
                 {"valid_from", "2026-12-01T10:00:00.000Z"},
                 {"object_marking_refs", {std::string(TlpMarkingId(tlp))}}};
  if (tlp == Tlp::kRed) object["x_dannevirke_recipients"] = {"0461"};
  return object;
}

class Changes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("changes");
    Collection national;
    national.id = kNational;
    national.title = "National";
    ASSERT_TRUE(hub_->store().UpsertCollection(national, "test").ok());
    Collection regional;
    regional.id = kRegional;
    regional.title = "Region Hovedstaden";
    regional.audience = AudienceKind::kRegion;
    regional.audience_value = "1084";
    ASSERT_TRUE(hub_->store().UpsertCollection(regional, "test").ok());
    hub_->AddMember("kbh", "0101", MemberRole::kMember);             // the publisher (Region Hovedstaden)
    hub_->AddMember("aarhus-sensor", "0751", MemberRole::kSensor);   // another region
    hub_->AddMember("odense-sensor", "0461", MemberRole::kSensor);   // named as RED recipient
    hub_->AddMember("frb-sensor", "0147", MemberRole::kSensor);      // same region as the publisher
    hub_->AddMember("crowded-sensor", "0751", MemberRole::kSensor);  // for the limit
    hub_->Start();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static std::string Token(const std::string& member) { return hub_->tokens().at(member); }

  // Publishes and returns the object's date_added (the cursor a reader has after pulling it).
  static std::string Publish(const std::string& collection, const Json& object) {
    auto res = test::HubClient(hub_->port())
                   .Post("/taxii2/dannevirke/collections/" + collection + "/objects/",
                         test::BearerHeaders(Token("kbh"), kTaxii), Json{{"objects", {object}}}.dump(), kTaxii);
    EXPECT_TRUE(res);
    if (!res) return "";
    EXPECT_EQ(res->status, 202) << res->body;
    auto page = test::HubClient(hub_->port())
                    .Get("/taxii2/dannevirke/collections/" + collection +
                             "/objects/?match[id]=" + object["id"].get<std::string>(),
                         test::BearerHeaders(Token("kbh"), kTaxii));
    EXPECT_TRUE(page);
    return page ? page->get_header_value("X-TAXII-Date-Added-Last") : "";
  }

  // The newest date_added in a collection that `member` can see ("" when none).
  static std::string Cursor(const std::string& collection, const std::string& member) {
    auto page = test::HubClient(hub_->port())
                    .Get("/taxii2/dannevirke/collections/" + collection + "/objects/?limit=1000",
                         test::BearerHeaders(Token(member), kTaxii));
    EXPECT_TRUE(page);
    return page ? page->get_header_value("X-TAXII-Date-Added-Last") : "";
  }

  static httplib::Result Wait(const std::string& member, const std::string& query) {
    return test::HubClient(hub_->port()).Get("/api/v1/changes?" + query, test::BearerHeaders(Token(member)));
  }

  static std::future<httplib::Result> WaitInBackground(const std::string& member, const std::string& query) {
    return std::async(std::launch::async, [member, query] { return Wait(member, query); });
  }

  static Json Body(const httplib::Result& res, int status = 200) {
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, status) << res->body;  // names the request in the body
    return Json::parse(res->body, nullptr, false);
  }

  static std::unique_ptr<test::TestHub> hub_;
};
std::unique_ptr<test::TestHub> Changes::hub_;

// Percent-encodes what a query value may not hold as it is ('+', ':').
std::string Encode(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '+' || c == ':' || c == '@' || c == ' ') {
      static const char* kHex = "0123456789ABCDEF";
      out += '%';
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

std::string At(const std::string& collection, const std::string& date_added) {
  return "collection=" + collection + (date_added.empty() ? "" : "%40" + Encode(date_added));
}

TEST_F(Changes, AWaitingSensorIsAnsweredWhenAnObjectItMaySeeIsPublished) {
  const std::string cursor = Cursor(kNational, "aarhus-sensor");
  auto waiting = WaitInBackground("aarhus-sensor", At(kNational, cursor) + "&type=indicator&wait=50");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Publish(kNational, Indicator("green-1", Tlp::kGreen));
  const Json news = Body(waiting.get());
  // Answered with news, not at the end of its 50 s wait.
  EXPECT_EQ(news["changed"], true);
  EXPECT_EQ(news["collections"], Json::array({kNational}));
}

TEST_F(Changes, NothingNewAfterTheCursorIsNoChangeWhenTheWaitEnds) {
  Publish(kNational, Indicator("green-2", Tlp::kGreen));
  const std::string cursor = Cursor(kNational, "aarhus-sensor");
  const Json none = Body(Wait("aarhus-sensor", At(kNational, cursor) + "&wait=1"));
  EXPECT_EQ(none["changed"], false);
  EXPECT_EQ(none["collections"], Json::array());
  // Without a cursor, everything it may see counts, at once.
  const Json all = Body(Wait("aarhus-sensor", At(kNational, "") + "&wait=0"));
  EXPECT_EQ(all["changed"], true);
}

TEST_F(Changes, AnObjectTheSensorMayNotSeeNeverWakesIt) {
  const std::string cursor = Cursor(kNational, "aarhus-sensor");
  const std::string odense_cursor = Cursor(kNational, "odense-sensor");
  auto aarhus = WaitInBackground("aarhus-sensor", At(kNational, cursor) + "&wait=3");
  auto odense = WaitInBackground("odense-sensor", At(kNational, odense_cursor) + "&wait=30");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // RED for Odense only, and AMBER+STRICT for the producer only.
  Publish(kNational, Indicator("strict-1", Tlp::kAmberStrict));
  Publish(kNational, Indicator("red-1", Tlp::kRed));
  EXPECT_EQ(Body(aarhus.get())["changed"], false);
  EXPECT_EQ(Body(odense.get())["changed"], true);  // the recipient is woken by the RED object
}

TEST_F(Changes, OnlyTheCollectionsAndTypesAskedForCount) {
  const std::string national = Cursor(kNational, "frb-sensor");
  const std::string regional = Cursor(kRegional, "frb-sensor");
  // A sighting is not an indicator: a sensor that pulls indicators is not woken by one.
  auto waiting = WaitInBackground("frb-sensor",
                                  At(kNational, national) + "&" + At(kRegional, regional) + "&type=indicator&wait=30");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Json sighting = {{"type", "sighting"},
                   {"spec_version", "2.1"},
                   {"id", "sighting--" + Uuid::V5(DannevirkeNamespace(), "changes-test:sighting").ToString()},
                   {"created", "2026-12-01T10:00:00.000Z"},
                   {"modified", "2026-12-01T10:00:00.000Z"},
                   {"sighting_of_ref", Indicator("green-1", Tlp::kGreen)["id"]},
                   {"object_marking_refs", {std::string(TlpMarkingId(Tlp::kGreen))}}};
  Publish(kRegional, sighting);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Publish(kRegional, Indicator("regional-1", Tlp::kAmber));
  const Json news = Body(waiting.get());
  EXPECT_EQ(news["changed"], true);
  EXPECT_EQ(news["collections"], Json::array({kRegional}));
  // A member outside the region may not wait on its collection: 403, audited.
  Body(Wait("aarhus-sensor", At(kRegional, "") + "&wait=0"), 403);
  bool audited = false;
  const auto audit = hub_->store().ListAudit(50);
  ASSERT_TRUE(audit.ok());
  for (const auto& entry : *audit) {
    audited = audited || (entry.action == "read.refused" && entry.actor == "aarhus-sensor" &&
                          entry.object == "collection " + kRegional);
  }
  EXPECT_TRUE(audited);
}

TEST_F(Changes, BadRequestsAreRefusedNamingTheParameter) {
  const auto message = [](const httplib::Result& res) {
    return Json::parse(res->body, nullptr, false)["error"]["message"].get<std::string>();
  };
  auto res = Wait("aarhus-sensor", "wait=0");
  Body(res, 400);
  EXPECT_NE(message(res).find("collection"), std::string::npos);
  res = Wait("aarhus-sensor", At(kNational, "yesterday") + "&wait=0");
  Body(res, 400);
  EXPECT_NE(message(res).find("yesterday"), std::string::npos);
  res = Wait("aarhus-sensor", At(kNational, "") + "&wait=600");
  Body(res, 400);
  EXPECT_NE(message(res).find("wait"), std::string::npos);
  res = Wait("aarhus-sensor", At(kNational, "") + "&type=Indicator%27&wait=0");
  Body(res, 400);
  EXPECT_NE(message(res).find("type"), std::string::npos);
  // The same collection twice, with two cursors (identical pairs are one to the query parser).
  res = Wait("aarhus-sensor", At(kNational, "") + "&" + At(kNational, "2026-12-01T10:00:00Z") + "&wait=0");
  Body(res, 400);
  EXPECT_NE(message(res).find("twice"), std::string::npos);
  Body(Wait("aarhus-sensor", "collection=7c1b0f4e-2a47-4c6f-8a53-00000000dead&wait=0"), 404);
  std::string many;
  for (int idx = 10; idx < 43; ++idx) many += At("7c1b0f4e-2a47-4c6f-8a53-0000000000" + std::to_string(idx), "") + "&";
  Body(Wait("aarhus-sensor", many + "wait=0"), 400);
  // No token: 401 at once, nothing parked.
  auto anonymous = test::HubClient(hub_->port()).Get("/api/v1/changes?" + At(kNational, "") + "&wait=30");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(Changes, AMemberMayHaveOnlyAFewRequestsWaiting) {
  const std::string cursor = Cursor(kNational, "crowded-sensor");
  std::vector<std::future<httplib::Result>> held;
  for (int idx = 0; idx < 4; ++idx)
    held.push_back(WaitInBackground("crowded-sensor", At(kNational, cursor) + "&wait=20"));
  // Once the four are held, a fifth is refused (asked without waiting until then).
  int status = 0;
  for (int tries = 0; tries < 400 && status != 429; ++tries) {
    auto fifth = Wait("crowded-sensor", At(kNational, cursor) + "&wait=0");
    ASSERT_TRUE(fifth);
    status = fifth->status;
    if (status != 429) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(status, 429);
  // Another member is not affected.
  Body(Wait("aarhus-sensor", At(kNational, "") + "&wait=0"));
  // One publication answers all four.
  Publish(kNational, Indicator("green-crowd", Tlp::kGreen));
  for (auto& future : held) EXPECT_EQ(Body(future.get())["changed"], true);
}

TEST(ChangesShutdown, AHubStoppedWhileRequestsWaitClosesThemAndExitsCleanly) {
  std::future<httplib::Result> waiting;
  {
    test::TestHub hub("changes-shutdown");
    Collection national;
    national.id = kNational;
    national.title = "National";
    ASSERT_TRUE(hub.store().UpsertCollection(national, "test").ok());
    const std::string token = hub.AddMember("waiter", "0751", MemberRole::kSensor);
    hub.Start();
    const int port = hub.port();
    waiting = std::async(std::launch::async, [port, token] {
      return test::HubClient(port, 30).Get(
          "/api/v1/changes?collection=" + kNational + "%402030-01-01T00%3A00%3A00Z&wait=50",
          test::BearerHeaders(token));
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }  // the hub stops and its store closes while the request waits
  auto res = waiting.get();
  // The connection was closed, or answered "no change": never a crash or a hang.
  if (res) {
    EXPECT_EQ(Json::parse(res->body, nullptr, false).value("changed", false), false);
  }
}

}  // namespace
}  // namespace dv
