// SPDX-License-Identifier: Apache-2.0
// Vulnerability exposure over the hub's REST API and TAXII, over real HTTP:
// inventories, feed ingestion with the exposure delta and notifications,
// access between members, decisions, bad and shrinking feeds. Feeds and
// inventories are written by the tests; the Zyxel scenario runs on the
// public records when ../shared has them.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "hub/modules/vulnerabilities/vuln_service.h"
#include "support/hub_client.h"

namespace dv {
namespace {

using Json = nlohmann::json;

constexpr char kTaxii[] = "application/taxii+json;version=2.1";
constexpr char kCve[] = "CVE-2099-1001";

std::string NationalId() { return Uuid::V5(DannevirkeNamespace(), "collection:national").ToString(); }

// An NVD API 2.0 page: one CVE whose configuration is firmware AND hardware
// (Zyxel style), modified at `modified`.
std::string NvdPage(const std::string& modified, const std::string& end_excluding = "5.36") {
  Json fw_hw = {
      {"operator", "AND"},
      {"nodes",
       {{{"operator", "OR"},
         {"negate", false},
         {"cpeMatch",
          {{{"vulnerable", true},
            {"criteria", "cpe:2.3:o:zyxel:usg_flex_50_firmware:*:*:*:*:*:*:*:*"},
            {"versionStartIncluding", "4.60"},
            {"versionEndExcluding", end_excluding}}}}},
        {{"operator", "OR"},
         {"negate", false},
         {"cpeMatch", {{{"vulnerable", false}, {"criteria", "cpe:2.3:h:zyxel:usg_flex_50:-:*:*:*:*:*:*:*"}}}}}}}};
  Json cve = {{"id", kCve},
              {"published", "2099-01-10T10:00:00.000"},
              {"lastModified", modified},
              {"descriptions", {{{"lang", "en"}, {"value", "Test record: command injection in a firewall."}}}},
              {"metrics",
               {{"cvssMetricV31",
                 {{{"source", "nvd@nist.gov"},
                   {"type", "Primary"},
                   {"cvssData", {{"version", "3.1"}, {"baseScore", 9.8}, {"baseSeverity", "CRITICAL"}}}}}}}},
              {"configurations", {fw_hw}}};
  return Json{{"timestamp", modified}, {"vulnerabilities", {{{"cve", cve}}}}}.dump();
}

std::string KevCatalog(int entries, const std::string& version) {
  Json list = Json::array();
  list.push_back({{"cveID", kCve},
                  {"vendorProject", "Zyxel"},
                  {"product", "Firewalls"},
                  {"vulnerabilityName", "Test entry"},
                  {"dateAdded", "2099-01-20"},
                  {"dueDate", "2099-02-10"},
                  {"requiredAction", "Apply updates."},
                  {"knownRansomwareCampaignUse", "Unknown"}});
  for (int idx = 1; idx < entries; ++idx) {
    list.push_back({{"cveID", "CVE-2098-" + std::to_string(10000 + idx)},
                    {"vendorProject", "Other"},
                    {"product", "Thing"},
                    {"vulnerabilityName", "Filler"},
                    {"dateAdded", "2098-01-01"},
                    {"dueDate", "2098-02-01"},
                    {"requiredAction", "Apply updates."},
                    {"knownRansomwareCampaignUse", "Unknown"}});
  }
  return Json{{"catalogVersion", version}, {"dateReleased", "2099-01-20T12:00:00.000Z"}, {"vulnerabilities", list}}
      .dump();
}

struct Reply {
  int status = 0;
  Json json;
  std::string body;
};

class VulnApi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dv-vuln-api-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    auto store = Store::Open("sqlite:" + (dir_ / "hub.db").string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(store).value();
    auto data = LoadDemoFederation();
    ASSERT_TRUE(data.ok()) << data.error().ToString();
    ASSERT_TRUE(SeedFederation(*store_, *data).ok());
    Collection national;
    national.id = NationalId();
    national.title = "National";
    national.default_tlp = Tlp::kGreen;
    ASSERT_TRUE(store_->UpsertCollection(national, "test").ok());
    const std::vector<Member> members = {{"coord", "CFCS", "Coordinator", MemberRole::kCoordinator},
                                         {"admin", "CFCS", "Administrator", MemberRole::kAdmin},
                                         {"aarhus", "0751", "Aarhus SOC", MemberRole::kMember},
                                         {"kbh", "0101", "København SOC", MemberRole::kMember},
                                         {"aarhus-sensor", "0751", "Aarhus sensor", MemberRole::kSensor}};
    for (const auto& member : members) {
      ASSERT_TRUE(store_->UpsertMember(member, "test").ok());
      const std::string token = hub::NewToken();
      ASSERT_TRUE(store_->AddToken(hub::HashToken(token), member.id, "test", "test").ok());
      tokens_[member.id] = token;
    }
    StartServer();
  }

  void TearDown() override {
    StopServer();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void StartServer() {
    HubOptions options;
    options.port = 0;
    options.version = "test";
    server_ = std::make_unique<HubServer>(*store_, options);
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.error().ToString();
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Serve(); });
  }
  void StopServer() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    server_.reset();
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& member,
             const std::string& body = "", const std::string& type = "application/json") {
    httplib::Result res =
        test::HubClient(port_, 60).Send(method, path, test::BearerHeaders(tokens_.at(member)), body, type);
    Reply reply;
    if (!res) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return reply;
    }
    reply.status = res->status;
    reply.body = res->body;
    reply.json = Json::parse(res->body, nullptr, false);
    return reply;
  }

  // Aarhus: a USG FLEX 50 running 5.10 (vulnerable). København: the same
  // firmware 5.10 only as an image on a TFTP server (another device) and an
  // ATP100 firewall — the firmware-and-hardware rule must not flag it.
  void SeedInventories() {
    Json aarhus = {{"assets",
                    {{{"device", "fw-1"},
                      {"asset_id", "fw-1/hw"},
                      {"name", "USG FLEX 50"},
                      {"cpe", "cpe:2.3:h:zyxel:usg_flex_50:-:*:*:*:*:*:*:*"}},
                     {{"device", "fw-1"},
                      {"asset_id", "fw-1/fw"},
                      {"name", "ZLD firmware"},
                      {"cpe", "cpe:2.3:o:zyxel:usg_flex_50_firmware:*:*:*:*:*:*:*:*"},
                      {"version", "V5.10(ABWV.0)"}},
                     {{"device", "pc-1"}, {"asset_id", "pc-1/bms"}, {"name", "Building control, vendor unknown"}}}}};
    auto put = Call("PUT", "/api/v1/assets/0751", "aarhus", aarhus.dump());
    ASSERT_EQ(put.status, 200) << put.body;
    ASSERT_EQ(put.json["blind_spots"].size(), 1u) << put.body;
    EXPECT_EQ(put.json["blind_spots"][0]["asset_id"], "pc-1/bms");
    const std::string kbh_csv =
        "device,asset_id,name,cpe,version\n"
        "tftp-1,tftp-1/image,Firmware image,cpe:2.3:o:zyxel:usg_flex_50_firmware:*:*:*:*:*:*:*:*,5.10\n"
        "fw-9,fw-9/hw,ATP100,cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*,\n";
    auto imported = Call("POST", "/api/v1/assets/0101/import", "kbh", kbh_csv, "text/csv");
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_EQ(imported.json["assets"].size(), 2u);
  }

  std::set<std::string> ExposedMembers(const std::string& member, const std::string& cve = kCve) {
    auto reply = Call("GET", "/api/v1/exposure?cve=" + cve, member);
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::set<std::string> out;
    for (const auto& item : reply.json["members"]) {
      for (const auto& finding : item["findings"]) {
        if (finding["status"] == "open") out.insert(item["code"].get<std::string>());
      }
    }
    return out;
  }

  std::vector<AuditEntry> Audit() {
    auto entries = store_->ListAudit(200);
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? *entries : std::vector<AuditEntry>{};
  }

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<HubServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::map<std::string, std::string> tokens_;
};

TEST_F(VulnApi, IngestFlagsExactlyTheMembersWithFirmwareOnTheDevice) {
  SeedInventories();
  auto ingest =
      Call("POST", "/api/v1/vulnerabilities/feeds/nvd?origin=page-1.json", "coord", NvdPage("2099-01-15T00:00:00.000"));
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  EXPECT_EQ(ingest.json["added"], 1);
  EXPECT_EQ(ingest.json["source_date"], "2099-01-15T00:00:00.000");
  ASSERT_EQ(ingest.json["delta"]["new_exposures"].size(), 1u) << ingest.body;
  EXPECT_EQ(ingest.json["delta"]["new_exposures"][0]["member"], "0751");
  EXPECT_EQ(ingest.json["delta"]["new_exposures"][0]["why"], "newly exposed");

  EXPECT_EQ(ExposedMembers("coord"), std::set<std::string>{"0751"});
  // The same page again changes nothing, tells nobody and is not stored twice.
  auto again =
      Call("POST", "/api/v1/vulnerabilities/feeds/nvd?origin=page-1.json", "coord", NvdPage("2099-01-15T00:00:00.000"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json["unchanged"], 1);
  EXPECT_TRUE(again.json["delta"]["new_exposures"].empty());
  auto files = store_->ListRecords({hub::kVulnFeedFileKind, std::nullopt, false});
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 1u);
  auto detail = Call("GET", std::string("/api/v1/exposure?cve=") + kCve, "coord");
  const Json& finding = detail.json["members"][0]["findings"][0];
  EXPECT_EQ(finding["asset_id"], "fw-1/fw");
  EXPECT_NE(finding["criterion"].get<std::string>().find("5.36"), std::string::npos) << finding.dump();
  EXPECT_NE(finding["context"].get<std::string>().find("usg_flex_50:-"), std::string::npos) << finding.dump();

  // KEV listing makes it known exploited: the same member is told again, with the KEV due date.
  auto kev = Call("POST", "/api/v1/vulnerabilities/feeds/kev", "coord", KevCatalog(3, "2099.01.20"));
  ASSERT_EQ(kev.status, 200) << kev.body;
  ASSERT_EQ(kev.json["delta"]["new_exposures"].size(), 1u) << kev.body;
  EXPECT_EQ(kev.json["delta"]["new_exposures"][0]["why"], "newly known exploited");
  auto member = Call("GET", "/api/v1/exposure/members/0751", "aarhus");
  ASSERT_EQ(member.status, 200) << member.body;
  ASSERT_EQ(member.json["findings"].size(), 1u);
  EXPECT_EQ(member.json["findings"][0]["kev"], true);
  EXPECT_EQ(member.json["findings"][0]["due"], "2099-02-10");

  auto feeds = Call("GET", "/api/v1/vulnerabilities/feeds", "aarhus");
  ASSERT_EQ(feeds.status, 200);
  EXPECT_EQ(feeds.json["sources"].size(), 2u);
}

// The list's search reads vendor, product, asset name and description as
// well as the CVE id, and an empty answer says why it is empty: a search for
// a product must never read as an all-clear for a member that has it.
TEST_F(VulnApi, SearchFindsVendorAndProductAndAnEmptyAnswerSaysWhy) {
  auto before = Call("GET", "/api/v1/exposure?q=zyxel", "coord");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(before.json["items"].empty());
  EXPECT_EQ(before.json["empty_reason"], "no_inventory") << before.body;

  SeedInventories();
  ASSERT_EQ(Call("POST", "/api/v1/vulnerabilities/feeds/nvd", "coord", NvdPage("2099-01-15T00:00:00.000")).status, 200);
  struct Case {
    std::string member;
    std::string query;
    std::size_t items;
    std::string empty_reason;  // when items == 0
  };
  const std::vector<Case> cases = {
      {"coord", "zyxel", 1, ""},
      {"coord", "ZyXEL", 1, ""},
      {"coord", "usg flex", 1, ""},
      {"coord", "usg-flex-50", 1, ""},
      {"coord", "ZLD firmware", 1, ""},
      {"coord", "command injection", 1, ""},
      {"coord", "cve-2099-1001", 1, ""},
      {"coord", "citrix", 0, "no_matching_assets"},
      {"aarhus", "zyxel", 1, ""},
      // København has Zyxel assets, but no affected firmware on a Zyxel device.
      {"kbh", "zyxel", 0, "no_affected_version"},
      {"kbh", "netscaler", 0, "no_matching_assets"},
  };
  for (const Case& c : cases) {
    std::string encoded = c.query;
    for (std::size_t at = encoded.find(' '); at != std::string::npos; at = encoded.find(' ', at)) {
      encoded.replace(at, 1, "%20");
    }
    auto reply = Call("GET", "/api/v1/exposure?q=" + encoded, c.member);
    ASSERT_EQ(reply.status, 200) << c.member << " " << c.query << ": " << reply.body;
    EXPECT_EQ(reply.json["items"].size(), c.items) << c.member << " " << c.query << ": " << reply.body;
    if (c.items == 0) {
      EXPECT_EQ(reply.json.value("empty_reason", std::string()), c.empty_reason) << c.member << " " << c.query;
      EXPECT_GT(reply.json["inventory"].value("assets", 0), 0) << reply.body;
    } else {
      EXPECT_FALSE(reply.json.contains("empty_reason")) << reply.body;
      const Json& products = reply.json["items"][0]["products"];
      EXPECT_NE(
          std::find(products.begin(), products.end(), Json{{"vendor", "zyxel"}, {"product", "usg_flex_50_firmware"}}),
          products.end())
          << reply.body;
    }
  }
  auto kbh = Call("GET", "/api/v1/exposure?q=zyxel", "kbh");
  EXPECT_EQ(kbh.json["inventory"]["matching_assets"], 2) << kbh.body;
  auto detail = Call("GET", std::string("/api/v1/exposure?cve=") + kCve, "kbh");
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_TRUE(detail.json["members"].empty());
  EXPECT_EQ(detail.json["empty_reason"], "no_affected_version") << detail.body;
  auto finding = Call("GET", std::string("/api/v1/exposure?cve=") + kCve, "aarhus");
  EXPECT_EQ(finding.json["members"][0]["findings"][0]["vendor"], "zyxel") << finding.body;
  EXPECT_EQ(finding.json["members"][0]["findings"][0]["product"], "usg_flex_50_firmware") << finding.body;

  // Decided: the open list for Zyxel is empty because everything is decided, and says so.
  ASSERT_EQ(
      Call("PUT", "/api/v1/exposure/members/0751/decisions", "aarhus",
           Json{{"cve", kCve}, {"asset_id", "fw-1/fw"}, {"status", "fixed"}, {"reason", "updated to 5.36"}}.dump())
          .status,
      200);
  auto open = Call("GET", "/api/v1/exposure?q=zyxel&status=open", "aarhus");
  ASSERT_EQ(open.status, 200) << open.body;
  EXPECT_TRUE(open.json["items"].empty());
  EXPECT_EQ(open.json["empty_reason"], "all_decided") << open.body;
  auto too_long = Call("GET", "/api/v1/exposure?q=" + std::string(201, 'a'), "aarhus");
  EXPECT_EQ(too_long.status, 400) << too_long.body;
}

TEST_F(VulnApi, MembersCannotSeeEachOthersAssetsOrExposures) {
  SeedInventories();
  ASSERT_EQ(Call("POST", "/api/v1/vulnerabilities/feeds/nvd", "coord", NvdPage("2099-01-15T00:00:00.000")).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/assets/0751", "kbh").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/exposure/members/0751", "kbh").status, 403);
  EXPECT_EQ(Call("PUT", "/api/v1/assets/0751", "kbh", R"({"assets":[]})").status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/assets/0751/import", "kbh", "name\nx\n", "text/csv").status, 403);
  EXPECT_EQ(Call("PUT", "/api/v1/exposure/members/0751/decisions", "kbh",
                 Json{{"cve", kCve}, {"asset_id", "fw-1/fw"}, {"status", "fixed"}}.dump())
                .status,
            403);
  // The national picture is the coordinator's; a member sees only itself.
  EXPECT_TRUE(ExposedMembers("kbh").empty());
  auto list = Call("GET", "/api/v1/exposure", "kbh");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["scope"], "0101");
  EXPECT_TRUE(list.json["items"].empty()) << list.body;
  // Coordinators read but do not write a member's inventory or decisions; only coordinators ingest.
  EXPECT_EQ(Call("GET", "/api/v1/assets/0751", "coord").status, 200);
  EXPECT_EQ(Call("PUT", "/api/v1/assets/0751", "coord", R"({"assets":[]})").status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/vulnerabilities/feeds/nvd", "aarhus", NvdPage("2099-01-16T00:00:00.000")).status,
            403);
  // The sensor may merge software inventory into its own organisation only.
  EXPECT_EQ(Call("POST", "/api/v1/assets/0751/import", "aarhus-sensor",
                 "device,name,purl\nsrv-1,OpenSSL,pkg:deb/debian/openssl@3.0.11-1\n", "text/csv")
                .status,
            200);
  EXPECT_EQ(Call("POST", "/api/v1/assets/0101/import", "aarhus-sensor", "name\nx\n", "text/csv").status, 403);
  auto assets = Call("GET", "/api/v1/assets/0751", "aarhus");
  EXPECT_EQ(assets.json["assets"].size(), 4u) << "the sensor's import merged, nothing lost";

  int refused = 0;
  for (const auto& entry : Audit()) {
    if ((entry.action == "read.refused" || entry.action == "write.refused") && entry.actor == "member:kbh" &&
        entry.object.find("0751") != std::string::npos) {
      ++refused;
    }
  }
  EXPECT_EQ(refused, 5);
}

TEST_F(VulnApi, DecisionsAreAuditedAndSurviveReingestAndRestart) {
  SeedInventories();
  ASSERT_EQ(Call("POST", "/api/v1/vulnerabilities/feeds/nvd", "coord", NvdPage("2099-01-15T00:00:00.000")).status, 200);
  auto missing_reason = Call("PUT", "/api/v1/exposure/members/0751/decisions", "aarhus",
                             Json{{"cve", kCve}, {"asset_id", "fw-1/fw"}, {"status", "not_applicable"}}.dump());
  EXPECT_EQ(missing_reason.status, 400);
  auto decided = Call("PUT", "/api/v1/exposure/members/0751/decisions", "aarhus",
                      Json{{"cve", kCve},
                           {"asset_id", "fw-1/fw"},
                           {"status", "not_applicable"},
                           {"reason", "IPsec VPN is disabled on this firewall"}}
                          .dump());
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json["decided_by"], "member:aarhus");
  bool audited = false;
  for (const auto& entry : Audit()) audited = audited || entry.action == "record.vuln.decision.put";
  EXPECT_TRUE(audited);

  auto status_of_finding = [&] {
    auto reply = Call("GET", "/api/v1/exposure/members/0751", "aarhus");
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.json["findings"].size() != 1)
      return std::string("count ") + std::to_string(reply.json["findings"].size());
    return reply.json["findings"][0]["status"].get<std::string>() + "|" +
           reply.json["findings"][0]["decision_reason"].get<std::string>();
  };
  EXPECT_EQ(status_of_finding(), "not_applicable|IPsec VPN is disabled on this firewall");
  // A newer NVD record for the same CVE (range widened) re-matches it: the decision stays.
  auto reingest =
      Call("POST", "/api/v1/vulnerabilities/feeds/nvd", "coord", NvdPage("2099-02-01T00:00:00.000", "5.37"));
  ASSERT_EQ(reingest.status, 200) << reingest.body;
  EXPECT_EQ(reingest.json["updated"], 1);
  EXPECT_TRUE(reingest.json["delta"]["new_exposures"].empty()) << "a decided finding is not newly exposed";
  EXPECT_EQ(status_of_finding(), "not_applicable|IPsec VPN is disabled on this firewall");
  // A restarted hub rebuilds the feeds from the store.
  StopServer();
  StartServer();
  EXPECT_EQ(status_of_finding(), "not_applicable|IPsec VPN is disabled on this firewall");
  auto detail = Call("GET", std::string("/api/v1/exposure?cve=") + kCve, "coord");
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_NE(detail.json["members"][0]["findings"][0]["criterion"].get<std::string>().find("5.37"), std::string::npos);
}

TEST_F(VulnApi, MalformedFeedIsRefusedWithThePlaceAndNothingIsLost) {
  SeedInventories();
  ASSERT_EQ(Call("POST", "/api/v1/vulnerabilities/feeds/nvd", "coord", NvdPage("2099-01-15T00:00:00.000")).status, 200);
  Json broken = Json::parse(NvdPage("2099-03-01T00:00:00.000"));
  broken["vulnerabilities"][0]["cve"]["configurations"][0]["nodes"][1]["cpeMatch"][0]["criteria"] = "cpe:2.3:h:zyxel";
  auto refused = Call("POST", "/api/v1/vulnerabilities/feeds/nvd?origin=bad.json", "coord", broken.dump());
  EXPECT_EQ(refused.status, 400);
  const std::string message = refused.json["error"]["message"];
  EXPECT_NE(message.find("bad.json"), std::string::npos) << message;
  EXPECT_NE(message.find("configurations[0].nodes[1].cpeMatch[0].criteria"), std::string::npos) << message;
  EXPECT_EQ(Call("POST", "/api/v1/vulnerabilities/feeds/kev", "coord", "{\"vulnerabilities\": [").status, 400);
  EXPECT_EQ(ExposedMembers("coord"), std::set<std::string>{"0751"});

  // An inventory import with a bad line is refused naming line and field; the stored one stays.
  auto bad = Call("POST", "/api/v1/assets/0751/import?replace=true", "aarhus",
                  "device,name,cpe,version\nfw-2,ok,cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*,\nfw-3,bad,cpe:2.3:o:x,1\n",
                  "text/csv");
  EXPECT_EQ(bad.status, 400);
  const std::string bad_message = bad.json["error"]["message"];
  EXPECT_NE(bad_message.find("import.csv:3"), std::string::npos) << bad_message;
  EXPECT_NE(bad_message.find("cpe"), std::string::npos) << bad_message;
  EXPECT_EQ(Call("GET", "/api/v1/assets/0751", "aarhus").json["assets"].size(), 3u);
  EXPECT_EQ(ExposedMembers("coord"), std::set<std::string>{"0751"});
}

TEST_F(VulnApi, ShrinkingKevNeedsConfirmation) {
  ASSERT_EQ(Call("POST", "/api/v1/vulnerabilities/feeds/kev", "coord", KevCatalog(20, "2099.01.20")).status, 200);
  auto shrunk = Call("POST", "/api/v1/vulnerabilities/feeds/kev", "coord", KevCatalog(5, "2099.01.21"));
  EXPECT_EQ(shrunk.status, 409) << shrunk.body;
  EXPECT_EQ(shrunk.json["applied"], false);
  auto feeds = Call("GET", "/api/v1/vulnerabilities/feeds", "coord");
  ASSERT_EQ(feeds.json["sources"].size(), 1u);
  EXPECT_EQ(feeds.json["sources"][0]["records"], 20);
  auto confirmed = Call("POST", "/api/v1/vulnerabilities/feeds/kev?confirm=true", "coord", KevCatalog(5, "2099.01.21"));
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json["removed"], 15);
  feeds = Call("GET", "/api/v1/vulnerabilities/feeds", "coord");
  EXPECT_EQ(feeds.json["sources"][0]["records"], 5);
  // The superseded snapshot is not replayed after a restart.
  StopServer();
  StartServer();
  feeds = Call("GET", "/api/v1/vulnerabilities/feeds", "coord");
  EXPECT_EQ(feeds.json["sources"][0]["records"], 5);
}

TEST_F(VulnApi, NotificationIsVisibleOverTaxiiOnlyToTheExposedMember) {
  SeedInventories();
  auto ingest = Call("POST", "/api/v1/vulnerabilities/feeds/nvd", "coord", NvdPage("2099-01-15T00:00:00.000"));
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  const std::string note_id = ingest.json["delta"]["new_exposures"][0]["notification"];
  ASSERT_EQ(note_id.rfind("note--", 0), 0u);
  auto notes_for = [&](const std::string& member) {
    auto res =
        test::HubClient(port_).Get("/taxii2/dannevirke/collections/" + NationalId() + "/objects/?match[type]=note",
                                   test::BearerHeaders(tokens_.at(member), kTaxii));
    std::set<std::string> ids;
    if (!res || res->status != 200) {
      ADD_FAILURE() << member << ": " << (res ? res->body : "no response");
      return ids;
    }
    const Json envelope = Json::parse(res->body);
    for (const auto& object : envelope.value("objects", Json::array())) ids.insert(object["id"].get<std::string>());
    return ids;
  };
  EXPECT_TRUE(notes_for("aarhus").contains(note_id));
  EXPECT_FALSE(notes_for("kbh").contains(note_id));
  // The member's dashboard lists it too.
  auto mine = Call("GET", "/api/v1/exposure/members/0751", "aarhus");
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json["notifications"].size(), 1u) << mine.body;
  EXPECT_EQ(mine.json["notifications"][0]["id"], note_id);
  EXPECT_EQ(mine.json["notifications"][0]["cve"], kCve);
  EXPECT_TRUE(Call("GET", "/api/v1/exposure/members/0101", "kbh").json["notifications"].empty());
  // The vulnerability itself is public and has a stable id.
  auto vulns = test::HubClient(port_).Get(
      "/taxii2/dannevirke/collections/" + NationalId() + "/objects/?match[type]=vulnerability",
      test::BearerHeaders(tokens_.at("kbh"), kTaxii));
  ASSERT_TRUE(vulns);
  EXPECT_NE(vulns->body.find(kCve), std::string::npos);
}

TEST_F(VulnApi, DemoSeedIsIdempotentAndShowsExposures) {
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(hub::SeedVulnDemo(*store_).ok());
  std::printf("  demo seed: %.1f ms\n",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
  auto count = [&] {
    std::size_t total = 0;
    for (const char* kind : {hub::kVulnAssetsKind, hub::kVulnFeedKind, hub::kVulnFeedFileKind}) {
      auto records = store_->ListRecords({kind, std::nullopt, false});
      EXPECT_TRUE(records.ok());
      total += records.ok() ? records->size() : 0;
    }
    return total;
  };
  const std::size_t first = count();
  EXPECT_GT(first, 9u);
  const std::size_t audit_before = Audit().size();
  ASSERT_TRUE(hub::SeedVulnDemo(*store_).ok());
  EXPECT_EQ(count(), first);
  EXPECT_EQ(Audit().size(), audit_before) << "a second seed writes nothing";
  // Zyxel: vulnerable firmware on the firewall (0751, ENERGINET, FJVFYN); fixed firmware (HOFOR),
  // 4.73 Patch 1 (AARHUSVAND) and a firmware image on a TFTP server (VCS) are not exposed.
  EXPECT_EQ(ExposedMembers("coord", "CVE-2023-28771"), (std::set<std::string>{"0751", "ENERGINET", "FJVFYN"}));
  EXPECT_EQ(ExposedMembers("coord", "CVE-2023-4966"), std::set<std::string>{"0101"});
  auto blind = Call("GET", "/api/v1/assets/0101", "kbh");
  ASSERT_EQ(blind.status, 200);
  ASSERT_EQ(blind.json["blind_spots"].size(), 1u);
  EXPECT_EQ(blind.json["blind_spots"][0]["asset_id"], "byg-1/bms");

  // A newer KEV replaces the demo's; seeding again on restart does not bring the old one back.
  ASSERT_EQ(Call("POST", "/api/v1/vulnerabilities/feeds/kev?confirm=true", "coord", KevCatalog(3, "2099.01.20")).status,
            200);
  StopServer();
  ASSERT_TRUE(hub::SeedVulnDemo(*store_).ok());
  StartServer();
  auto feeds = Call("GET", "/api/v1/vulnerabilities/feeds", "coord");
  bool checked = false;
  for (const auto& source : feeds.json["sources"]) {
    if (source["source"] != "kev") continue;
    EXPECT_EQ(source["records"], 3) << feeds.body;
    checked = true;
  }
  EXPECT_TRUE(checked) << feeds.body;
}

// The May 2023 Zyxel case on the public records, when present.
TEST_F(VulnApi, ZyxelScenarioThroughTheHub) {
  const std::string scenario = std::string(DV_SHARED_DIR) + "/data/vuln/zyxel-scenario";
  const std::string assets_csv = std::string(DV_SOURCE_DIR) + "/src/vuln/testdata/zyxel-assets.csv";
  if (!std::filesystem::exists(scenario + "/nvd-CVE-2023-28771.json")) GTEST_SKIP() << "zyxel scenario data absent";
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  // One import per member (the CSV lists several), as the administrator.
  std::map<std::string, std::string> per_member;
  std::istringstream lines(read(assets_csv));
  std::string header;
  std::getline(lines, header);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    auto& text = per_member[line.substr(0, line.find(','))];
    if (text.empty()) text = header + "\n";
    text += line + "\n";
  }
  for (const auto& [member, text] : per_member) {
    auto imported = Call("POST", "/api/v1/assets/" + member + "/import", "admin", text, "text/csv");
    ASSERT_EQ(imported.status, 200) << member << ": " << imported.body;
  }
  const auto started = std::chrono::steady_clock::now();
  Json delta = Json::array();
  for (const auto& [kind, file] :
       std::vector<std::pair<std::string, std::string>>{{"nvd", "nvd-CVE-2023-28771.json"},
                                                        {"cve5", "cve5-CVE-2023-28771.json"},
                                                        {"kev", "kev-zyxel.json"},
                                                        {"epss", "epss-CVE-2023-28771-changepoints.csv"}}) {
    auto ingest = Call("POST", "/api/v1/vulnerabilities/feeds/" + kind + "?origin=" + file, "coord",
                       read(scenario + "/" + file), kind == "epss" ? "text/csv" : "application/json");
    ASSERT_EQ(ingest.status, 200) << file << ": " << ingest.body;
    for (const auto& item : ingest.json["delta"]["new_exposures"]) delta.push_back(item);
  }
  auto detail = Call("GET", "/api/v1/exposure?cve=CVE-2023-28771", "coord");
  const double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(detail.status, 200) << detail.body;
  std::map<std::string, std::string> status_by_member;
  for (const auto& member : detail.json["members"]) {
    for (const auto& finding : member["findings"]) {
      status_by_member[member["code"]] = finding["status"];
      std::printf("  %-10s %-13s %s\n", member["code"].get<std::string>().c_str(),
                  finding["status"].get<std::string>().c_str(), finding["why"].get<std::string>().c_str());
    }
  }
  const std::map<std::string, std::string> expected = {
      {"ENERGINET", "open"}, {"FJVFYN", "open"}, {"0751", "open"}, {"BIOFOS", "needs_review"}};
  EXPECT_EQ(status_by_member, expected);
  std::set<std::string> notified;
  for (const auto& item : delta) notified.insert(item["member"].get<std::string>());
  EXPECT_EQ(notified, (std::set<std::string>{"ENERGINET", "FJVFYN", "0751"}));
  std::printf("  ingest of 4 feed files + exposure query over HTTP: %.1f ms\n", elapsed_ms);
}

}  // namespace
}  // namespace dv
