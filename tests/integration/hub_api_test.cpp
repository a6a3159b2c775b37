// SPDX-License-Identifier: Apache-2.0
// The hub's REST API over real HTTP, on a free port, with the demo federation
// in a temporary database: what the dashboard and scripts rely on.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "support/hub_client.h"

namespace dv {
namespace {

using Json = nlohmann::json;

class HubApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("dv-hub-api-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "web");
    std::ofstream(dir_ / "web" / "index.html") << "<!doctype html><title>Dannevirke</title>";
    auto store = Store::Open("sqlite:" + (dir_ / "hub.db").string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(store).value().release();
    auto data = LoadDemoFederation();
    ASSERT_TRUE(data.ok()) << data.error().ToString();
    ASSERT_TRUE(SeedFederation(*store_, *data).ok());
    HubOptions options;
    options.port = 0;
    options.version = "test";
    options.web_root = (dir_ / "web").string();
    options.access_log = [](const std::string& line) {
      std::lock_guard lock(log_mutex_);
      access_log_.push_back(line);
    };
    server_ = new HubServer(*store_, options);
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.error().ToString();
    port_ = *port;
    thread_ = new std::thread([] { (void)server_->Serve(); });
  }
  static void TearDownTestSuite() {
    server_->Stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete store_;
    std::filesystem::remove_all(dir_);
  }

  static httplib::Result Get(const std::string& path, const std::string& token = "") {
    test::HubClient client(port_);
    if (token.empty()) return client.Get(path);
    return client.Get(path, test::BearerHeaders(token));
  }
  static Json GetJson(const std::string& path, int expected_status, const std::string& token = "") {
    auto res = Get(path, token);
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
    return Json::parse(res->body);
  }

  static inline std::filesystem::path dir_;
  static inline Store* store_ = nullptr;
  static inline HubServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
  static inline std::mutex log_mutex_;
  static inline std::vector<std::string> access_log_;
};

TEST_F(HubApi, HealthzReportsVersionAndDatabase) {
  const Json health = GetJson("/healthz", 200);
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["version"], "test");
  EXPECT_EQ(health["database"], "sqlite");
  EXPECT_GE(health["schema_version"].get<int>(), 1);
}

TEST_F(HubApi, Lists98MunicipalitiesAnd5Regions) {
  const Json municipalities = GetJson("/api/v1/organisations?kind=municipality&limit=1000", 200);
  EXPECT_EQ(municipalities["total"], 98);
  EXPECT_EQ(municipalities["items"].size(), 98U);
  const Json regions = GetJson("/api/v1/organisations?kind=region", 200);
  ASSERT_EQ(regions["total"], 5);
  std::set<std::string> codes;
  for (const auto& region : regions["items"]) codes.insert(region["code"].get<std::string>());
  EXPECT_EQ(codes, (std::set<std::string>{"1081", "1082", "1083", "1084", "1085"}));
}

TEST_F(HubApi, PagesAreStableAndAddUp) {
  std::set<std::string> seen;
  std::int64_t total = -1;
  for (int offset = 0; offset < 200; offset += 40) {
    const Json page = GetJson("/api/v1/organisations?limit=40&offset=" + std::to_string(offset), 200);
    total = page["total"].get<std::int64_t>();
    for (const auto& item : page["items"]) EXPECT_TRUE(seen.insert(item["code"].get<std::string>()).second);
  }
  EXPECT_EQ(static_cast<std::int64_t>(seen.size()), total);
}

TEST_F(HubApi, FiltersByRegionAndText) {
  const Json capital = GetJson("/api/v1/organisations?kind=municipality&region=1084&limit=1000", 200);
  EXPECT_EQ(capital["total"], 29);
  for (const auto& org : capital["items"]) EXPECT_EQ(org["region_name"], "Region Hovedstaden");
  const Json aeroe = GetJson("/api/v1/organisations?q=%C3%86R%C3%98", 200);  // "ÆRØ"
  ASSERT_EQ(aeroe["total"], 1);
  EXPECT_EQ(aeroe["items"][0]["code"], "0492");
}

TEST_F(HubApi, MemberPageHasDependenciesAndDependents) {
  // The register is public; the dependency graph is for signed-in people (docs/risk_model.md).
  const Json anonymous = GetJson("/api/v1/organisations/0101", 200);
  EXPECT_EQ(anonymous["name"], "København");
  EXPECT_TRUE(anonymous["dependencies"].is_null());
  EXPECT_TRUE(anonymous["dependents"].is_null());
  ASSERT_TRUE(store_->UpsertMember({"hub-api-cfcs", "CFCS", "hub-api-cfcs", MemberRole::kCoordinator}, "test").ok());
  const std::string token = hub::NewToken();
  ASSERT_TRUE(store_->AddToken(hub::HashToken(token), "hub-api-cfcs", "test", "test").ok());
  const Json kbh = GetJson("/api/v1/organisations/0101", 200, token);
  EXPECT_EQ(kbh["name"], "København");
  EXPECT_EQ(kbh["region_name"], "Region Hovedstaden");
  EXPECT_EQ(kbh["population"], 632340);
  EXPECT_EQ(kbh["stix_id"], "identity--ecc0acf1-c904-5dc1-ae03-7781e58a42e1");
  bool uses_nemlogin = false;
  bool in_region = false;
  for (const auto& dep : kbh["dependencies"]) {
    uses_nemlogin |= dep["code"] == "NEMLOGIN" && dep["relation"] == "uses_system";
    in_region |= dep["code"] == "1084" && dep["relation"] == "member_of_region";
  }
  EXPECT_TRUE(uses_nemlogin);
  EXPECT_TRUE(in_region);
  const Json nemlogin = GetJson("/api/v1/organisations/NEMLOGIN", 200, token);
  EXPECT_GE(nemlogin["dependents"].size(), 98U);
}

TEST_F(HubApi, UnknownCodeIs404WithJsonError) {
  const Json error = GetJson("/api/v1/organisations/9999", 404);
  EXPECT_EQ(error["error"]["kind"], "not_found");
  EXPECT_NE(error["error"]["message"].get<std::string>().find("9999"), std::string::npos);
  EXPECT_EQ(GetJson("/api/v1/nowhere", 404)["error"]["kind"], "not_found");
}

TEST_F(HubApi, BadQueryParametersAre400NamingTheParameter) {
  for (const auto& [query, needle] :
       std::vector<std::pair<std::string, std::string>>{{"limit=abc", "'limit'"},
                                                        {"limit=0", "'limit'"},
                                                        {"limit=1001", "'limit'"},
                                                        {"offset=-1", "'offset'"},
                                                        {"kind=county", "'kind'"},
                                                        {"region=Hovedstaden", "'region'"},
                                                        {"regoin=1084", "'regoin'"}}) {
    const Json error = GetJson("/api/v1/organisations?" + query, 400);
    EXPECT_EQ(error["error"]["kind"], "invalid_argument") << query;
    EXPECT_NE(error["error"]["message"].get<std::string>().find(needle), std::string::npos)
        << query << ": " << error.dump();
  }
}

TEST_F(HubApi, ServesOpenApiDescribingItsPaths) {
  const Json doc = GetJson("/api/v1/openapi.json", 200);
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  EXPECT_TRUE(doc["paths"].contains("/api/v1/organisations"));
  EXPECT_TRUE(doc["paths"].contains("/api/v1/organisations/{code}"));
  EXPECT_TRUE(doc["paths"].contains("/healthz"));
}

TEST_F(HubApi, ServesTheDashboardAndSecurityHeaders) {
  auto res = Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("<title>Dannevirke</title>"), std::string::npos);
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(HubApi, LogsEveryRequestAsJson) {
  (void)Get("/healthz?probe=access-log");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::lock_guard lock(log_mutex_);
  ASSERT_FALSE(access_log_.empty());
  const Json line = Json::parse(access_log_.back());
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["path"], "/healthz");
  EXPECT_EQ(line["status"], 200);
  EXPECT_TRUE(line.contains("duration_ms"));
}

}  // namespace
}  // namespace dv
