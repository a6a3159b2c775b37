// SPDX-License-Identifier: Apache-2.0
// Outside reports routed to members over real HTTP (hub/modules/notices):
// members register their networks, the coordinator ingests a
// Shadowserver-style report, each member reads exactly its own rows as a
// TLP:AMBER notice, re-ingesting routes nothing twice, what nobody owns is a
// blind spot until it is registered, and a member's "not ours" reaches the
// coordinator. Every JSON response is checked against the OpenAPI document
// by HubClient.

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
const std::string kReports = "/api/v1/notices/reports";
const std::string kMembers = "/api/v1/notices/members/";

const std::string kReport =
    "\"timestamp\",\"ip\",\"protocol\",\"port\",\"hostname\",\"asn\",\"severity\"\n"
    "\"2026-12-01 03:14:07\",\"198.51.100.10\",\"tcp\",\"3389\",\"\",\"64500\",\"high\"\n"
    "\"2026-12-01 03:15:44\",\"198.51.100.200\",\"tcp\",\"3389\",\"\",\"64500\",\"\"\n"
    "\"2026-12-01 03:16:02\",\"2001:db8:147::3389\",\"tcp\",\"3389\",\"\",\"64500\",\"\"\n"
    "\"2026-12-01 03:17:00\",\"203.0.113.77\",\"tcp\",\"3389\",\"\",\"64511\",\"\"\n"
    "\"2026-12-01 03:18:00\",\"not-an-address\",\"tcp\",\"3389\",\"\",\"64511\",\"\"\n";

class NoticesApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("notices-api");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("frb", "0147", MemberRole::kMember);
    hub_->AddMember("odense", "0461", MemberRole::kMember);
    hub_->Start();
    Register("0101", "kbh", {{"prefixes", {"198.51.100.0/24"}}});
    Register("0147", "frb", {{"prefixes", {"198.51.100.192/26", "2001:db8:147::/48"}}});
    // 0147's /26 lies inside 0101's /24: it routes once the coordinator approves it.
    auto approve = Send("POST", "/api/v1/register/nested/approve", "cfcs",
                        Json{{"prefix", "198.51.100.192/26"}, {"owner", "0147"}, {"reason", "checked"}}.dump());
    ASSERT_TRUE(approve);
    ASSERT_EQ(approve->status, 200) << approve->body;
  }
  static void TearDownTestSuite() { hub_.reset(); }
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "", const std::string& type = test::kJsonType) {
    return test::HubClient(hub_->port()).Send(method, path, test::BearerHeaders(hub_->tokens().at(member)), body, type);
  }
  static void Register(const std::string& code, const std::string& member, const Json& lists) {
    auto res = Send("PUT", "/api/v1/register/members/" + code, member, lists.dump());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  static Json Ingest(const std::string& report) {
    auto res = Send("POST", kReports + "?format=shadowserver:scan_rdp&source=Shadowserver&origin=scan_rdp.csv", "cfcs",
                    report, "text/csv");
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, 201) << res->body;
    return Json::parse(res->body);
  }
  static Json Get(const std::string& path, const std::string& member) {
    auto res = Send("GET", path, member);
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    return Json::parse(res->body);
  }
  static std::set<std::string> Addresses(const std::string& code, const std::string& member) {
    std::set<std::string> out;
    const Json list = Get(kMembers + code, member);
    for (const auto& notice : list["notices"]) {
      const Json full = Get(kMembers + code + "/notices/" + notice["id"].get<std::string>(), member);
      for (const auto& row : full["rows"]) out.insert(row["address"].get<std::string>());
    }
    return out;
  }
  static inline std::unique_ptr<test::TestHub> hub_;
};

TEST_F(NoticesApi, EachMemberReadsItsOwnRowsAndReingestingRoutesNothingTwice) {
  const Json first = Ingest(kReport);
  EXPECT_EQ(first["records"], 5);
  EXPECT_EQ(first["rejected"], 1);
  ASSERT_EQ(first["problems"].size(), 1u);
  EXPECT_EQ(first["problems"][0]["line"], 6);
  EXPECT_EQ(first["routed"], 3);
  EXPECT_EQ(first["blind_spots"], 1);
  EXPECT_EQ(first["members"]["0101"], 1);
  EXPECT_EQ(first["members"]["0147"], 2);
  EXPECT_EQ(first["highest_severity"], "high");

  EXPECT_EQ(Addresses("0101", "kbh"), std::set<std::string>{"198.51.100.10"});
  EXPECT_EQ(Addresses("0147", "frb"), (std::set<std::string>{"198.51.100.200", "2001:db8:147::3389"}));
  EXPECT_TRUE(Get(kMembers + "0461", "odense")["notices"].empty());
  const Json list = Get(kMembers + "0101", "kbh");
  EXPECT_EQ(list["tlp"], "amber");
  EXPECT_EQ(list["notices"][0]["severity"], "high");
  EXPECT_EQ(list["notices"][0]["source"], "Shadowserver");
  EXPECT_FALSE(list["notices"][0].contains("rows"));

  const Json again = Ingest(kReport);
  EXPECT_EQ(again["routed"], 0);
  EXPECT_EQ(again["already_routed"], 3);
  EXPECT_EQ(again["blind_spots"], 0);
  EXPECT_EQ(Get(kMembers + "0147", "frb")["notices"].size(), 1u);

  // The coordinator sees the ingests and the blind spot until Odense registers it.
  const Json reports = Get(kReports, "cfcs");
  EXPECT_GE(reports["reports"].size(), 2u);
  Json spots = Get("/api/v1/notices/blind-spots", "cfcs");
  ASSERT_EQ(spots["blind_spots"].size(), 1u);
  EXPECT_EQ(spots["blind_spots"][0]["key"], "203.0.113.0/24");
  EXPECT_EQ(spots["blind_spots"][0]["reason"], "unregistered");
  Register("0461", "odense", {{"prefixes", {"203.0.113.0/24"}}});
  EXPECT_TRUE(Get("/api/v1/notices/blind-spots", "cfcs")["blind_spots"].empty());
  const Json third = Ingest(kReport);
  EXPECT_EQ(third["routed"], 1);
  EXPECT_EQ(third["members"]["0461"], 1);
  EXPECT_EQ(Addresses("0461", "odense"), std::set<std::string>{"203.0.113.77"});
}

TEST_F(NoticesApi, AMembersStatusAndHistoryAndNotOursReachTheCoordinator) {
  Ingest(
      "timestamp,ip,port,asn\n"
      "2026-11-02 10:00:00,198.51.100.11,445,64500\n"
      "2026-12-02 10:00:00,198.51.100.12,445,64500\n");
  const Json list = Get(kMembers + "0101?status=open", "kbh");
  ASSERT_FALSE(list["notices"].empty());
  const std::string id = list["notices"][0]["id"];
  const std::string path = kMembers + "0101/notices/" + id + "/status";
  auto bad = Send("POST", path, "kbh", R"({"status":"closed"})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto set = Send("POST", path, "kbh", R"({"status":"not_ours","comment":"198.51.100.11 is our ISP's"})");
  ASSERT_TRUE(set);
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(Json::parse(set->body)["status"], "not_ours");
  const Json spots = Get("/api/v1/notices/blind-spots", "cfcs");
  bool disputed = false;
  for (const auto& notice : spots["disputed"]) disputed |= notice["id"] == id;
  EXPECT_TRUE(disputed);

  const Json history = Get(kMembers + "0101/history", "kbh");
  ASSERT_FALSE(history["report_types"].empty());
  // The rows by the month they were observed: one in November, one in December.
  std::set<std::string> months;
  for (const auto& type : history["report_types"]) {
    for (const auto& month : type["by_month"]) months.insert(month["month"].get<std::string>());
  }
  EXPECT_TRUE(months.count("2026-11")) << history.dump();
  EXPECT_TRUE(months.count("2026-12")) << history.dump();
  // A coordinator reads the member's notices too; the member cannot set the
  // status of a notice through another member's path.
  EXPECT_FALSE(Get(kMembers + "0101", "cfcs")["notices"].empty());
  auto other = Send("POST", kMembers + "0147/notices/" + id + "/status", "frb", R"({"status":"resolved"})");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST_F(NoticesApi, AFileThatIsNotTheAnnouncedFormatIsRefusedWholeNamingTheProblem) {
  const Json before = Get(kReports, "cfcs");
  auto res = Send("POST", kReports + "?format=shadowserver:scan_rdp&source=X&origin=rdp.csv", "cfcs", "{\"a\": 1}\n",
                  "text/csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("rdp.csv"), std::string::npos) << res->body;
  auto no_source = Send("POST", kReports + "?format=csv", "cfcs", kReport, "text/csv");
  ASSERT_TRUE(no_source);
  EXPECT_EQ(no_source->status, 400);
  auto bad_format = Send("POST", kReports + "?format=xls&source=X", "cfcs", kReport, "text/csv");
  ASSERT_TRUE(bad_format);
  EXPECT_EQ(bad_format->status, 400);
  EXPECT_EQ(Get(kReports, "cfcs")["reports"].size(), before["reports"].size());
}

}  // namespace
}  // namespace dv
