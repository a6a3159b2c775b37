// SPDX-License-Identifier: Apache-2.0
// TAXII 2.1 conformance walk over real HTTP, the way a client does it:
// discovery, API root, collections, POST + status, paging, filters, object
// by id, versions, manifest, DELETE, every error code, and TLP through
// every read endpoint.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";
constexpr const char* kRoot = "/taxii2/dannevirke/";
const std::string kNational = "6d1b0f4e-2a47-4c6f-8a53-000000000001";
const std::string kRegional = "6d1b0f4e-2a47-4c6f-8a53-000000000002";
const char* kGreen = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const char* kRed = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
const char* kAmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";

Json Indicator(const std::string& value, const std::string& modified, const char* marking = kGreen) {
  Json object = {{"type", "indicator"},
                 {"spec_version", "2.1"},
                 {"id", "indicator--" + Uuid::V5(DannevirkeNamespace(), value).ToString()},
                 {"created", "2026-11-26T10:00:00.000Z"},
                 {"modified", modified},
                 {"name", "Bad IP " + value},
                 {"pattern", "[ipv4-addr:value = '" + value + "']"},
                 {"pattern_type", "stix"},
                 {"valid_from", "2026-11-26T10:00:00Z"},
                 {"object_marking_refs", {marking}}};
  return object;
}

class Taxii : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("taxii");
    store_ = &hub_->store();
    Collection national;
    national.id = kNational;
    national.title = "National";
    ASSERT_TRUE(store_->UpsertCollection(national, "test").ok());
    Collection regional;
    regional.id = kRegional;
    regional.title = "Region Hovedstaden";
    regional.audience = AudienceKind::kRegion;
    regional.audience_value = "1084";
    ASSERT_TRUE(store_->UpsertCollection(regional, "test").ok());
    for (const auto& [id, org] : std::vector<std::pair<std::string, std::string>>{
             {"kbh", "0101"}, {"aarhus", "0751"}, {"odense", "0461"}, {"frb", "0147"}}) {
      hub_->AddMember(id, org, MemberRole::kMember);
    }
    HubOptions options = test::TestHub::Options();
    options.taxii.max_content_length = 64 * 1024;
    options.taxii.requests_per_second = 1000;
    options.taxii.burst = 1000;
    hub_->Start(options);
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static httplib::Headers Headers(const std::string& member) {
    if (member.empty()) return {{"Accept", kTaxii}};
    return test::BearerHeaders(tokens_[member], kTaxii);
  }
  static httplib::Result Get(const std::string& path, const std::string& member = "kbh") {
    return test::HubClient(port_).Get(path, Headers(member));
  }
  static httplib::Result Post(const std::string& path, const std::string& body, const std::string& member = "kbh",
                              const char* type = kTaxii) {
    return test::HubClient(port_).Post(path, Headers(member), body, type);
  }
  static Json Body(const httplib::Result& res) { return Json::parse(res->body); }
  static std::string Objects(const std::string& collection) {
    return std::string(kRoot) + "collections/" + collection + "/objects/";
  }
  // Posts an envelope and returns the status resource.
  static Json PostEnvelope(const std::string& collection, const std::vector<Json>& objects,
                           const std::string& member = "kbh") {
    Json list = Json::array();
    for (const auto& object : objects) list.push_back(object);
    auto res = Post(Objects(collection), Json{{"objects", list}}.dump(), member);
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 202) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), kTaxii);
    return Body(res);
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline Store* store_ = nullptr;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(Taxii, DiscoveryApiRootAndCollections) {
  for (const char* path : {"/taxii2/", "/taxii2"}) {
    auto res = Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), kTaxii);
    EXPECT_EQ(Body(res)["api_roots"][0], kRoot);
  }
  for (const char* path : {"/taxii2/dannevirke/", "/taxii2/dannevirke"}) {
    auto root = Body(Get(path));
    EXPECT_EQ(root["versions"][0], kTaxii);
    EXPECT_EQ(root["max_content_length"], 64 * 1024);
  }
  auto collections = Body(Get(std::string(kRoot) + "collections/", "aarhus"))["collections"];
  ASSERT_EQ(collections.size(), 1U);  // Aarhus is not in Region Hovedstaden's audience
  EXPECT_EQ(collections[0]["id"], kNational);
  EXPECT_EQ(collections[0]["can_write"], true);
  EXPECT_EQ(Body(Get(std::string(kRoot) + "collections/", "kbh"))["collections"].size(), 2U);
  EXPECT_EQ(Body(Get(std::string(kRoot) + "collections/" + kNational))["title"], "National");
  EXPECT_EQ(Get(std::string(kRoot) + "collections/" + kRegional, "aarhus")->status, 404);
}

TEST_F(Taxii, PostGivesAStatusWhoseCountsAddUpAndRefusesBadObjectsOneByOne) {
  Json bad = Indicator("198.51.100.9", "2026-11-26T09:00:00.000Z");  // modified before created
  Json broken_pattern = Indicator("198.51.100.10", "2026-11-26T10:00:00.000Z");
  broken_pattern["pattern"] = "[ipv4-addr:value = ";
  auto status = PostEnvelope(kNational, {Indicator("198.51.100.1", "2026-11-26T10:00:00.000Z"), bad, broken_pattern,
                                         Json{{"type", "nonsense"}}});
  EXPECT_EQ(status["total_count"], 4);
  EXPECT_EQ(status["success_count"], 1);
  EXPECT_EQ(status["failure_count"], 3);
  EXPECT_EQ(status["pending_count"], 0);
  EXPECT_EQ(status["total_count"].get<int>(), status["success_count"].get<int>() + status["failure_count"].get<int>() +
                                                  status["pending_count"].get<int>());
  ASSERT_EQ(status["failures"].size(), 3U);
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("modified"), std::string::npos)
      << status["failures"][0];
  EXPECT_NE(status["failures"][1]["message"].get<std::string>().find("pattern"), std::string::npos);
  // The status resource, followed by its relative link.
  auto again = Get(std::string(kRoot) + "status/" + status["id"].get<std::string>() + "/");
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(Body(again)["success_count"], 1);
  // Only its requester sees a status.
  EXPECT_EQ(Get(std::string(kRoot) + "status/" + status["id"].get<std::string>() + "/", "aarhus")->status, 404);
  // Posting the same version again is a success that adds nothing.
  auto repeat = PostEnvelope(kNational, {Indicator("198.51.100.1", "2026-11-26T10:00:00.000Z")});
  EXPECT_EQ(repeat["success_count"], 1);
}

TEST_F(Taxii, PagingFiltersVersionsAndManifest) {
  std::vector<Json> batch;
  for (int idx = 0; idx < 7; ++idx)
    batch.push_back(Indicator("203.0.113." + std::to_string(idx), "2026-11-26T10:00:00.000Z"));
  batch.push_back(Indicator("203.0.113.0", "2026-11-26T12:00:00.000Z"));  // a second version
  PostEnvelope(kRegional, batch);
  std::vector<std::string> seen;
  std::string url = Objects(kRegional) + "?limit=3";
  std::string last_added;
  for (int page_idx = 0; page_idx < 10; ++page_idx) {
    auto res = Get(url);
    ASSERT_EQ(res->status, 200) << res->body;
    ASSERT_TRUE(res->has_header("X-TAXII-Date-Added-First"));
    last_added = res->get_header_value("X-TAXII-Date-Added-Last");
    const Json envelope = Body(res);
    for (const auto& object : envelope["objects"]) seen.push_back(object["id"]);
    if (!envelope["more"].get<bool>()) break;
    url = Objects(kRegional) + "?limit=3&next=" + envelope["next"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), 7U);  // last versions only
  // added_after the last date gives nothing new.
  EXPECT_EQ(Body(Get(Objects(kRegional) + "?added_after=" + last_added)).size(), 0U);
  const std::string id = "indicator--" + Uuid::V5(DannevirkeNamespace(), "203.0.113.0").ToString();
  auto all = Body(Get(Objects(kRegional) + "?match[id]=" + id + "&match[version]=all"));
  EXPECT_EQ(all["objects"].size(), 2U);
  auto first = Body(Get(Objects(kRegional) + "?match[id]=" + id + "&match[version]=first"));
  EXPECT_EQ(first["objects"][0]["modified"], "2026-11-26T10:00:00.000Z");
  EXPECT_EQ(Body(Get(Objects(kRegional) + "?match[type]=malware")).size(), 0U);
  EXPECT_EQ(Body(Get(Objects(kRegional) + "?match[spec_version]=2.1&limit=1"))["objects"].size(), 1U);
  auto one = Get(Objects(kRegional) + id + "/");
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(Body(one)["objects"][0]["modified"], "2026-11-26T12:00:00.000Z");
  auto versions = Body(Get(Objects(kRegional) + id + "/versions/"));
  EXPECT_EQ(versions["versions"], Json({"2026-11-26T10:00:00.000Z", "2026-11-26T12:00:00.000Z"}));
  auto manifest = Body(Get(std::string(kRoot) + "collections/" + kRegional + "/manifest/?limit=2"));
  EXPECT_EQ(manifest["objects"].size(), 2U);
  EXPECT_EQ(manifest["objects"][0]["media_type"], "application/stix+json;version=2.1");
  EXPECT_EQ(manifest["more"], true);
}

TEST_F(Taxii, StoredTextIsServedAsPosted) {
  Json object = Indicator("192.0.2.77", "2026-11-26T10:00:00.000Z");
  object["x_note"] = "æøå and \"quotes\"";
  PostEnvelope(kNational, {object});
  auto got = Body(Get(Objects(kNational) + object["id"].get<std::string>() + "/"));
  EXPECT_EQ(got["objects"][0], object);
}

TEST_F(Taxii, DeleteIsForTheProducerOnly) {
  const Json object = Indicator("192.0.2.200", "2026-11-26T10:00:00.000Z");
  PostEnvelope(kNational, {object}, "kbh");
  const std::string url = Objects(kNational) + object["id"].get<std::string>() + "/";
  test::HubClient client(port_);
  auto refused = client.Delete(url, Headers("aarhus"));
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(refused->get_header_value("Content-Type"), kTaxii);
  auto deleted = client.Delete(url, Headers("kbh"));
  EXPECT_EQ(deleted->status, 200);
  EXPECT_EQ(Get(url)->status, 404);
}

TEST_F(Taxii, ErrorsUseTheTaxiiMediaTypeAndStatusCodes) {
  auto expect_error = [](const httplib::Result& res, int status) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), kTaxii);
    const Json body = Json::parse(res->body);
    EXPECT_TRUE(body.contains("title"));
    EXPECT_EQ(body["http_status"], std::to_string(status));
  };
  expect_error(Get(std::string(kRoot) + "collections/", ""), 401);
  {
    test::HubClient client(port_);
    auto res = client.Get(std::string(kRoot) + "collections/", test::BearerHeaders("dvt_wrong", kTaxii));
    expect_error(res, 401);
    EXPECT_TRUE(res->has_header("WWW-Authenticate"));
    auto basic = client.Get(std::string(kRoot) + "collections/",
                            {{"Accept", kTaxii}, {"Authorization", "Basic " + std::string("YWFyaHVzOnh4")}});
    expect_error(basic, 401);
  }
  expect_error(Get(Objects(kRegional), "aarhus"), 403);
  expect_error(Post(Objects(kRegional), R"({"objects": []})", "aarhus"), 403);
  expect_error(Get(Objects("6d1b0f4e-2a47-4c6f-8a53-00000000dead")), 404);
  expect_error(Get(std::string(kRoot) + "no/such/thing"), 404);
  {
    auto res = test::HubClient(port_).Get(Objects(kNational), test::BearerHeaders(tokens_["kbh"], "application/json"));
    expect_error(res, 406);
  }
  expect_error(Post(Objects(kNational), R"({"objects": []})", "kbh", "application/json"), 415);
  expect_error(Post(Objects(kNational), std::string(70 * 1024, ' '), "kbh"), 413);
  expect_error(Post(Objects(kNational), "not json", "kbh"), 400);
  expect_error(Get(Objects(kNational) + "?limit=zero"), 400);
  expect_error(Get(Objects(kNational) + "?added_after=yesterday"), 400);
  expect_error(Get(Objects(kNational) + "?colour=red"), 400);
}

// TLP through every read endpoint: objects, object by id, versions, manifest.
TEST_F(Taxii, TlpIsEnforcedOnEveryReadPath) {
  Json red = Indicator("192.0.2.1", "2026-11-26T10:00:00.000Z", kRed);
  red["x_dannevirke_recipients"] = {"0461"};
  Json strict = Indicator("192.0.2.2", "2026-11-26T10:00:00.000Z", kAmberStrict);
  auto status = PostEnvelope(kNational, {red, strict}, "kbh");
  ASSERT_EQ(status["success_count"], 2) << status;
  Json red_without_recipients = Indicator("192.0.2.3", "2026-11-26T10:00:00.000Z", kRed);
  EXPECT_EQ(PostEnvelope(kNational, {red_without_recipients})["failure_count"], 1);

  const std::map<std::string, std::pair<bool, bool>> expected = {
      // member → (sees RED, sees AMBER+STRICT)
      {"kbh", {true, true}},      // the producer
      {"odense", {true, false}},  // the named recipient
      {"aarhus", {false, false}},
      {"frb", {false, false}},  // same region as the producer, still not named
  };
  for (const auto& [member, sees] : expected) {
    for (const auto& [object, visible] : {std::pair{red, sees.first}, std::pair{strict, sees.second}}) {
      const std::string id = object["id"];
      const std::string why = member + " reading " + id;
      EXPECT_EQ(Get(Objects(kNational) + id + "/", member)->status, visible ? 200 : 404) << why;
      EXPECT_EQ(Get(Objects(kNational) + id + "/versions/", member)->status, visible ? 200 : 404) << why;
      const std::string listing = Get(Objects(kNational) + "?limit=1000", member)->body;
      EXPECT_EQ(listing.find(id) != std::string::npos, visible) << why << " (objects)";
      const std::string manifest =
          Get(std::string(kRoot) + "collections/" + kNational + "/manifest/?limit=1000", member)->body;
      EXPECT_EQ(manifest.find(id) != std::string::npos, visible) << why << " (manifest)";
    }
  }
}

}  // namespace
}  // namespace dv
