// SPDX-License-Identifier: Apache-2.0
// Attacks on outside-report notices (docs/notices.md): another member, a
// sensor or a stranger tries to read a member's TLP:AMBER notices, their
// history or the coordinator's ingests and blind spots (a visibility matrix
// over every notices endpoint: each refusal is 401/403, leaks nothing and is
// audited); a member tries to push a report of its own to other members; a
// member registers a longer prefix inside another member's network to
// receive its notices; hostile report content (markup, spreadsheet
// formulas, oversized records and headers, a body over the limit) stays data
// or is refused without a crash.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
const std::string kMembers = "/api/v1/notices/members/";
const std::string kReports = "/api/v1/notices/reports";
// Copenhagen's exposed server: must never appear in an answer to anyone but
// Copenhagen and the coordinator.
const std::string kSecretAddress = "198.51.100.77";

class NoticesAttacks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The hub may close a connection whose body is over its limit while the
    // client still writes; that must not kill the test process.
    ::signal(SIGPIPE, SIG_IGN);
    hub_ = std::make_unique<test::TestHub>("notices-attacks");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("admin", "CFCS", MemberRole::kAdmin);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("frb", "0147", MemberRole::kMember);
    hub_->AddMember("frb-sensor", "0147", MemberRole::kSensor);
    hub_->Start();
    auto put = Send("PUT", "/api/v1/register/members/0101", "kbh", R"({"prefixes":["198.51.100.0/24"]})");
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
    put = Send("PUT", "/api/v1/register/members/0147", "frb", R"({"prefixes":["203.0.113.0/24"]})");
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
    const Json ingest = Ingest("cfcs",
                               "timestamp,ip,port,asn\n"
                               "2026-12-01 03:00:00," +
                                   kSecretAddress +
                                   ",3389,64500\n"
                                   "2026-12-01 03:01:00,203.0.113.5,3389,64500\n"
                                   "2026-12-01 03:02:00,192.0.2.99,3389,64500\n");
    ASSERT_EQ(ingest["routed"], 2) << ingest.dump();
    notice_ = ingest["notices"][0];
    for (const auto& id : ingest["notices"]) {
      auto list = Send("GET", kMembers + "0101", "kbh");
      if (list && list->body.find(id.get<std::string>()) != std::string::npos) notice_ = id;
    }
  }
  static void TearDownTestSuite() { hub_.reset(); }
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "", const std::string& type = test::kJsonType) {
    httplib::Headers headers;
    if (!member.empty()) headers = test::BearerHeaders(hub_->tokens().at(member));
    return test::HubClient(hub_->port()).Send(method, path, headers, body, type);
  }
  static Json Ingest(const std::string& member, const std::string& csv) {
    auto res = Send("POST", kReports + "?format=shadowserver:scan_rdp&source=Test", member, csv, "text/csv");
    if (!res || res->status != 201) return Json{{"status", res ? res->status : -1}};
    return Json::parse(res->body);
  }
  static std::int64_t Refusals() {
    auto audit = hub_->store().ListAudit(Store::kMaxPageSize);
    std::int64_t count = 0;
    if (!audit.ok()) return -1;
    for (const auto& entry : *audit) {
      count += entry.action == "read.refused" || entry.action == "write.refused" ? 1 : 0;
    }
    return count;
  }
  static inline std::unique_ptr<test::TestHub> hub_;
  static inline std::string notice_;
};

TEST_F(NoticesAttacks, OnlyTheMembersPeopleAndTheCoordinatorReadItsNotices) {
  ASSERT_FALSE(notice_.empty());
  const std::string one = kMembers + "0101/notices/" + notice_;
  struct Probe {
    std::string method;
    std::string path;
    std::string body;
  };
  const std::vector<Probe> member_paths = {
      {"GET", kMembers + "0101", ""},
      {"GET", kMembers + "0101/history", ""},
      {"GET", one, ""},
  };
  const std::vector<Probe> coordinator_paths = {
      {"GET", kReports, ""},
      {"GET", "/api/v1/notices/blind-spots", ""},
  };
  // principal -> may read Copenhagen's notices, may read the coordinator's lists
  const std::map<std::string, std::pair<bool, bool>> principals = {
      {"kbh", {true, false}},         {"kbh-sensor", {false, false}}, {"frb", {false, false}},
      {"frb-sensor", {false, false}}, {"cfcs", {true, true}},         {"admin", {true, true}},
  };
  for (const auto& [who, rights] : principals) {
    const auto check = [&, who = who](const Probe& probe, bool allowed) {
      const std::int64_t before = Refusals();
      auto res = Send(probe.method, probe.path, who, probe.body);
      ASSERT_TRUE(res) << who << " " << probe.path;
      if (allowed) {
        EXPECT_EQ(res->status, 200) << who << " " << probe.path << ": " << res->body;
        return;
      }
      EXPECT_EQ(res->status, 403) << who << " " << probe.path;
      EXPECT_EQ(res->body.find(kSecretAddress), std::string::npos) << who << " " << probe.path;
      EXPECT_EQ(res->body.find(notice_), std::string::npos) << who << " " << probe.path;
      EXPECT_EQ(Refusals(), before + 1) << who << " " << probe.path << ": each refusal is audited once";
    };
    for (const auto& probe : member_paths) check(probe, rights.first);
    for (const auto& probe : coordinator_paths) check(probe, rights.second);
  }
  // A stranger without a token learns nothing either.
  for (const auto& probe : member_paths) {
    auto res = Send(probe.method, probe.path, "");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << probe.path;
    EXPECT_EQ(res->body.find(kSecretAddress), std::string::npos);
  }
  // Copenhagen's notice id through Frederiksberg's own path is unknown, as any id.
  auto through_own = Send("GET", kMembers + "0147/notices/" + notice_, "frb");
  ASSERT_TRUE(through_own);
  EXPECT_EQ(through_own->status, 404);
  auto unknown = Send("GET", kMembers + "0147/notices/ntc-00000000000000000000000000000000", "frb");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(through_own->body.find(kSecretAddress), std::string::npos);
  // Nor can it change Copenhagen's notice's status, or a sensor its own member's.
  for (const auto& who : {"frb", "kbh-sensor"}) {
    auto status = Send("POST", one + "/status", who, R"({"status":"resolved"})");
    ASSERT_TRUE(status);
    EXPECT_EQ(status->status, 403) << who;
  }
}

TEST_F(NoticesAttacks, AMemberCannotPushAReportToOtherMembers) {
  for (const auto& who : {"frb", "kbh-sensor", "frb-sensor"}) {
    const Json result = Ingest(who, "timestamp,ip,port\n2026-12-01 03:00:00,198.51.100.9,22\n");
    EXPECT_EQ(result["status"], 403) << who;
  }
  auto list = Send("GET", kMembers + "0101", "kbh");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body.find("198.51.100.9\""), std::string::npos);
}

TEST_F(NoticesAttacks, ALongerPrefixInsideAnotherMembersNetworkReceivesNothingUntilApproved) {
  // Frederiksberg registers the top quarter of Copenhagen's /24.
  auto put =
      Send("PUT", "/api/v1/register/members/0147", "frb", R"({"prefixes":["203.0.113.0/24","198.51.100.192/26"]})");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  const Json result = Ingest("cfcs", "timestamp,ip,port,asn\n2026-12-02 03:00:00,198.51.100.200,445,64500\n");
  ASSERT_EQ(result["routed"], 1) << result.dump();
  EXPECT_EQ(result["members"].count("0147"), 0u) << result.dump();
  EXPECT_EQ(result["members"]["0101"], 1);
  auto conflicts = Send("GET", "/api/v1/register/conflicts", "cfcs");
  ASSERT_TRUE(conflicts);
  const Json nested = Json::parse(conflicts->body)["nested"];
  bool listed = false;
  for (const auto& pair : nested) listed |= pair["inner"] == "198.51.100.192/26" && pair["approved"].empty();
  EXPECT_TRUE(listed) << nested.dump();
  // Only a coordinator approves.
  auto self_approve = Send("POST", "/api/v1/register/nested/approve", "frb",
                           R"({"prefix":"198.51.100.192/26","owner":"0147","reason":"ours"})");
  ASSERT_TRUE(self_approve);
  EXPECT_EQ(self_approve->status, 403);
}

TEST_F(NoticesAttacks, HostileReportContentStaysDataOrIsRefused) {
  // Markup and spreadsheet formulas are stored and answered as JSON strings.
  const std::string hostile =
      "timestamp,ip,port,asn,tag,note\n"
      "2026-12-03 03:00:00,198.51.100.50,80,64500,<script>alert(1)</script>,\"=HYPERLINK(\"\"http://x\"\")\"\n";
  const Json stored = Ingest("cfcs", hostile);
  ASSERT_EQ(stored["routed"], 1) << stored.dump();
  auto notice = Send("GET", kMembers + "0101/notices/" + stored["notices"][0].get<std::string>(), "kbh");
  ASSERT_TRUE(notice);
  ASSERT_EQ(notice->status, 200);
  const Json body = Json::parse(notice->body);
  EXPECT_EQ(body["rows"][0]["fields"]["tag"], "<script>alert(1)</script>");
  EXPECT_EQ(notice->get_header_value("Content-Type").rfind("application/json", 0), 0u);

  // A record over 64 KiB is one bad row; the rest is routed.
  const std::string long_row = "2026-12-03 03:01:00,198.51.100.51,80,64500,x," + std::string(70'000, 'a') + "\n";
  const Json with_long = Ingest(
      "cfcs", "timestamp,ip,port,asn,tag,note\n" + long_row + "2026-12-03 03:02:00,198.51.100.52,80,64500,x,y\n");
  EXPECT_EQ(with_long["rejected"], 1) << with_long.dump();
  EXPECT_EQ(with_long["routed"], 1);
  // A header of 10,000 columns is refused whole.
  std::string wide = "ip";
  for (int column = 0; column < 10'000; ++column) wide += ",c" + std::to_string(column);
  EXPECT_EQ(Ingest("cfcs", wide + "\n198.51.100.53\n")["status"], 400);
  // A body over the request limit (10 MiB) is refused before it is read into
  // a report: 413, or the connection closed while the client still writes.
  // Nothing is ingested, and the hub goes on serving.
  const auto ingests = [] {
    auto list = Send("GET", kReports, "cfcs");
    return list && list->status == 200 ? Json::parse(list->body)["reports"].size() : std::size_t{0};
  };
  const std::size_t before = ingests();
  const std::string huge = "timestamp,ip\n" + std::string(11u << 20, '#');
  auto res = Send("POST", kReports + "?format=csv&source=Test", "cfcs", huge, "text/csv");
  if (res) {
    EXPECT_EQ(res->status, 413);
  }
  EXPECT_EQ(ingests(), before);
  // A comment with control characters is refused, and the notice keeps its status.
  auto bad = Send("POST", kMembers + "0101/notices/" + stored["notices"][0].get<std::string>() + "/status", "kbh",
                  Json{{"status", "resolved"}, {"comment", std::string("a\x1b[2Jb")}}.dump());
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

}  // namespace
}  // namespace dv
