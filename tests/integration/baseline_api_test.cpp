// SPDX-License-Identifier: Apache-2.0
// The baseline API over real HTTP, with the demo federation and the demo
// baseline in a temporary database: who may read and change a member's
// assessment, refused input that leaves the stored assessment as it was,
// history and optimistic concurrency, XCCDF results as dated evidence,
// measured evidence from the hub's own facts, and the national picture as
// the coordinator and a member see it.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "baseline/stored.h"
#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
const std::string kCollection = "5b7d4c1e-9f3a-4e2b-8c6d-0000000000b1";

struct Who {
  std::string id;
  std::string org;
  MemberRole role;
};
const std::vector<Who> kPrincipals = {
    {"kbh", "0101", MemberRole::kMember},         // København's security officer
    {"kbh-sensor", "0101", MemberRole::kSensor},  // København's sensor
    {"odense", "0461", MemberRole::kMember},      // another municipality
    {"cfcs", "CFCS", MemberRole::kCoordinator},   // the national coordinator
};

// An OpenSCAP `oscap xccdf eval --results` file with one TestResult.
std::string XccdfResults(const std::string& end_time, const std::vector<std::pair<std::string, std::string>>& rules) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Benchmark xmlns=\"http://checklists.nist.gov/xccdf/1.2\" id=\"xccdf_test_benchmark\" resolved=\"1\">\n"
      "  <TestResult id=\"xccdf_org.open-scap_testresult_test\" end-time=\"" +
      end_time +
      "\">\n"
      "    <target>server-07.odense.test</target>\n";
  for (const auto& [rule, result] : rules) {
    xml += "    <rule-result idref=\"xccdf_org.ssgproject.content_rule_" + rule + "\"><result>" + result +
           "</result></rule-result>\n";
  }
  xml += "  </TestResult>\n</Benchmark>\n";
  return xml;
}

class BaselineApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("baseline-api");
    store_ = &hub_->store();
    Collection national;
    national.id = kCollection;
    national.title = "National";
    ASSERT_TRUE(store_->UpsertCollection(national, "test").ok());
    for (const auto& who : kPrincipals) {
      hub_->AddMember(who.id, who.org, who.role);
    }
    auto seeded = baseline::SeedDemoBaseline(*store_);
    ASSERT_TRUE(seeded.ok()) << seeded.error().ToString();
    seeded_versions_ = *seeded;
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static httplib::Headers Auth(const std::string& member) {
    if (member.empty()) return {};
    return test::BearerHeaders(tokens_[member]);
  }
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "", const std::string& type = "application/json",
                              httplib::Headers headers = {}) {
    for (const auto& header : Auth(member)) headers.insert(header);
    return test::HubClient(port_).Send(method, path, headers, body, type);
  }
  static Json Call(const std::string& method, const std::string& path, const std::string& member, int expected,
                   const std::string& body = "", httplib::Headers headers = {},
                   const std::string& type = "application/json") {
    auto res = Send(method, path, member, body, type, std::move(headers));
    EXPECT_TRUE(res) << method << " " << path;
    if (!res) return Json();
    EXPECT_EQ(res->status, expected) << method << " " << path << " as " << member << ": " << res->body.substr(0, 400);
    return Json::parse(res->body, nullptr, false);
  }
  static Json Member(const std::string& code, const std::string& as) {
    return Call("GET", "/api/v1/baseline/members/" + code, as, 200);
  }
  static const Json* Requirement(const Json& view, const std::string& id) {
    for (const auto& item : view["requirements"]) {
      if (item["id"] == id) return &item;
    }
    return nullptr;
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline Store* store_ = nullptr;
  static inline int port_ = 0;
  static inline int seeded_versions_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(BaselineApi, DemoSeedStoresEveryMunicipalityAndRegionOnceAndIsIdempotent) {
  // 98 municipalities and 5 regions, 4 snapshots each (3 years, yearly).
  EXPECT_EQ(seeded_versions_, 103 * 4);
  auto again = baseline::SeedDemoBaseline(*store_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  RecordQuery query;
  query.kind = std::string(baseline::kAssessmentRecordKind);
  EXPECT_EQ(store_->ListRecords(query).value().size(), 103U);
}

TEST_F(BaselineApi, CatalogueIsPublicAndCountsAddUp) {
  const Json catalogue = Call("GET", "/api/v1/baseline/catalogue", "", 200);
  ASSERT_EQ(catalogue["requirements"].size(), 80U);
  int per_discipline = 0;
  for (const auto& discipline : catalogue["disciplines"]) per_discipline += discipline["requirements"].get<int>();
  EXPECT_EQ(per_discipline, 80);
  ASSERT_EQ(catalogue["nis2"].size(), 10U);
  for (const auto& letter : catalogue["nis2"]) EXPECT_GT(letter["requirements"].get<int>(), 0) << letter;
  auto oscal = Send("GET", "/api/v1/baseline/catalogue/oscal", "");
  ASSERT_TRUE(oscal);
  ASSERT_EQ(oscal->status, 200);
  const Json catalog = Json::parse(oscal->body);
  EXPECT_EQ(catalog["catalog"]["groups"].size(), catalogue["disciplines"].size());
  // Importing the export gives the active catalogue back; a broken one is refused with its place.
  const Json check = Call("POST", "/api/v1/baseline/catalogue/oscal", "kbh", 200, oscal->body);
  EXPECT_EQ(check["same_as_active"], true);
  EXPECT_EQ(check["requirements"], 80);
  Json broken = catalog;
  broken["catalog"]["groups"][0]["controls"][0]["id"] = "not an id";
  const Json refused = Call("POST", "/api/v1/baseline/catalogue/oscal", "kbh", 400, broken.dump());
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("not an id"), std::string::npos) << refused;
}

TEST_F(BaselineApi, AMemberCannotReadOrChangeAnotherMembersAssessmentThroughAnyEndpoint) {
  const std::string base = "/api/v1/baseline/members/0101";
  const std::int64_t version = Member("0101", "kbh")["version"];
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"GET", base},
      {"GET", base + "/oscal"},
      {"GET", base + "/report"},
      {"PUT", base + "/requirements/DV-LOG-01"},
      {"POST", base + "/import"},
      {"POST", base + "/xccdf"},
  };
  for (const auto& [method, path] : endpoints) {
    const std::string body = method == "PUT" ? R"({"status": "met"})" : "{}";
    auto res = Send(method, path, "odense", body);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 403) << method << " " << path << ": " << res->body;
    EXPECT_EQ(res->body.find("DV-"), std::string::npos) << path << " leaks requirement data";
    auto anonymous = Send(method, path, "", body);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401) << method << " " << path;
  }
  // Odense's national picture names no other member.
  const Json national = Call("GET", "/api/v1/baseline/national", "odense", 200);
  ASSERT_EQ(national["rows"].size(), 1U);
  EXPECT_EQ(national["rows"][0]["code"], "0461");
  EXPECT_TRUE(national["weakest"].empty());
  EXPECT_EQ(national.dump().find("\"0101\""), std::string::npos);
  EXPECT_EQ(Member("0101", "kbh")["version"], version) << "refused writes stored nothing";
  bool audited = false;
  const auto audit = store_->ListAudit(200);
  ASSERT_TRUE(audit.ok());
  for (const auto& entry : *audit) {
    audited |= entry.actor == "member:odense" && entry.action == "read.refused" &&
               entry.object == "baseline assessment of 0101";
  }
  EXPECT_TRUE(audited) << "refused reads are audited";
}

TEST_F(BaselineApi, SensorReadsButCannotWriteAndCoordinatorReadsButCannotWrite) {
  const std::string put = "/api/v1/baseline/members/0101/requirements/DV-GOV-01";
  EXPECT_EQ(Member("0101", "kbh-sensor")["member"]["code"], "0101");
  Call("PUT", put, "kbh-sensor", 403, R"({"status": "met"})");
  Call("POST", "/api/v1/baseline/members/0101/xccdf", "kbh-sensor", 403, "<x/>", {}, "application/xml");
  const Json as_coordinator = Member("0101", "cfcs");
  EXPECT_EQ(as_coordinator["requirements"].size(), 80U);
  Call("PUT", put, "cfcs", 403, R"({"status": "met"})");
  Call("POST", "/api/v1/baseline/members/0101/import", "cfcs", 403, "{}");
  EXPECT_EQ(Member("0101", "kbh")["version"], as_coordinator["version"]);
}

TEST_F(BaselineApi, BadEditsAreRefusedWithTheFieldAndNothingIsLost) {
  const Json before = Member("0461", "odense");
  const std::string base = "/api/v1/baseline/members/0461/requirements/";
  const struct {
    std::string requirement;
    std::string body;
    std::string names;
  } cases[] = {
      {"DV-LOG-01", R"({"maturity": 7})", "maturity: 7 is out of range 1–5"},
      {"DV-LOG-01", R"({"maturity": "high"})", "maturity"},
      {"DV-LOG-01", R"({"status": "done"})", "status: unknown status 'done'"},
      {"DV-LOG-01", R"({"due": "2026-13-40"})", "due"},
      {"DV-LOG-01", R"({"colour": "red"})", "unknown field 'colour'"},
      {"DV-LOG-01", R"({"evidence": [{"kind": "declared", "source": "x", "collected": "2026-02-01",
                         "valid_until": "2026-01-01"}]})",
       "evidence[0].valid_until: is before collected"},
      {"DV-LOG-03", R"({"evidence": [{"kind": "measured", "source": "hub:sightings", "collected": "2026-01-01",
                         "result": "pass"}]})",
       "reserved for the hub"},
      {"DV-NOPE-01", R"({"status": "met"})", "DV-NOPE-01"},
      {"DV-LOG-01", R"({"status": )", "not JSON"},
  };
  for (const auto& bad : cases) {
    const Json error = Call("PUT", base + bad.requirement, "odense", 400, bad.body);
    EXPECT_NE(error["error"]["message"].get<std::string>().find(bad.names), std::string::npos)
        << bad.body << " → " << error;
  }
  const Json after = Member("0461", "odense");
  EXPECT_EQ(after["version"], before["version"]);
  EXPECT_EQ(*Requirement(after, "DV-LOG-01"), *Requirement(before, "DV-LOG-01"));
}

TEST_F(BaselineApi, BadImportsAreRefusedWithThePlaceAndNothingIsLost) {
  const Json before = Member("0461", "odense");
  const std::string path = "/api/v1/baseline/members/0461/import";
  const std::string head =
      R"({"format": "dannevirke-baseline-assessment/1", "member": "0461", "catalogue_version": "2025.1",
          "assessed_at": "2026-01-10", "requirements": )";
  const struct {
    std::string body;
    std::string names;
  } cases[] = {
      {head + "[{\"id\": \"DV-LOG-01\", \"status\": \"met\"},\n{\"id\": ", "request body:3"},
      {head + R"([{"id": "DV-AAA-09", "status": "met"}]})", "$.requirements[0] (DV-AAA-09).id: unknown requirement"},
      {head + R"([{"id": "DV-LOG-01", "status": "met", "maturity": 0}]})", "(DV-LOG-01).maturity: 0 is out of range"},
      {head + R"([{"id": "DV-LOG-01", "status": "met"}, {"id": "DV-LOG-01", "status": "met"}]})", "listed twice"},
      {R"({"format": "dannevirke-baseline-assessment/1", "member": "0101", "catalogue_version": "2025.1",
          "assessed_at": "2026-01-10", "requirements": []})",
       "$.member"},
  };
  for (const auto& bad : cases) {
    const Json error = Call("POST", path, "odense", 400, bad.body);
    EXPECT_NE(error["error"]["message"].get<std::string>().find(bad.names), std::string::npos)
        << bad.body << " → " << error;
  }
  const Json after = Member("0461", "odense");
  EXPECT_EQ(after["version"], before["version"]);
  EXPECT_EQ(after["requirements"], before["requirements"]);
}

TEST_F(BaselineApi, EditsGrowTheHistoryChangeTheScoreAndStaleVersionsAreRefused) {
  const Json aarhus = Member("0751", "cfcs");
  const Json odense = Member("0461", "odense");
  const std::int64_t version = odense["version"];
  const std::size_t history = odense["history"].size();
  // A requirement declared not met, with no measurement in the way.
  std::string target;
  for (const auto& item : odense["requirements"]) {
    if (item["effective_status"] == "not_met" && item["basis"] == "declared" && !item["has_current_measurement"]) {
      target = item["id"];
      break;
    }
  }
  ASSERT_FALSE(target.empty());
  const std::string path = "/api/v1/baseline/members/0461/requirements/" + target;
  const Json edited =
      Call("PUT", path, "odense", 200, R"({"status": "met", "maturity": 4, "owner": "IT-chef", "due": "2027-03-31"})",
           {{"If-Match", "\"" + std::to_string(version) + "\""}});
  EXPECT_EQ(edited["version"], version + 1);
  EXPECT_EQ(edited["history"].size(), history + 1);
  EXPECT_EQ(edited["history"].back()["actor"], "member:odense");
  const Json* item = Requirement(edited, target);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ((*item)["status"], "met");
  EXPECT_EQ((*item)["effective_status"], "met");
  EXPECT_EQ((*item)["maturity"], 4);
  EXPECT_EQ((*item)["owner"], "IT-chef");
  EXPECT_EQ((*item)["due"], "2027-03-31");
  EXPECT_GT(edited["score"]["overall"].get<double>(), odense["score"]["overall"].get<double>());
  EXPECT_EQ(Member("0461", "odense")["version"], version + 1) << "the edit is stored";

  // The same expected version again is stale: 409, by header or by field, and nothing is written.
  Call("PUT", path, "odense", 409, R"({"status": "partly"})", {{"If-Match", std::to_string(version)}});
  Call("PUT", path, "odense", 409, R"({"status": "partly", "expected_version": )" + std::to_string(version) + "}");
  Call("POST", "/api/v1/baseline/members/0461/import", "odense", 409,
       R"({"format": "dannevirke-baseline-assessment/1", "member": "0461", "catalogue_version": "2025.1",
           "assessed_at": "2026-01-10", "requirements": []})",
       {{"If-Match", std::to_string(version)}});
  const Json now = Member("0461", "odense");
  EXPECT_EQ(now["version"], version + 1);
  EXPECT_EQ((*Requirement(now, target))["status"], "met");
  EXPECT_EQ(Member("0751", "cfcs")["version"], aarhus["version"]) << "another member's assessment is untouched";
  bool audited = false;
  const auto audit = store_->ListAudit(200);
  ASSERT_TRUE(audit.ok());
  for (const auto& entry : *audit) {
    audited |= entry.actor == "member:odense" && entry.action == "record.baseline.assessment.put";
  }
  EXPECT_TRUE(audited);
}

TEST_F(BaselineApi, XccdfResultsBecomeDatedMeasuredEvidence) {
  const std::string path = "/api/v1/baseline/members/0461/xccdf";
  const Json before = Member("0461", "odense");
  // Malformed XML and a file without TestResult are refused; nothing is stored.
  const Json malformed =
      Call("POST", path, "odense", 400, "<Benchmark>\n<TestResult id=\"x\">\n</Benchmark>", {}, "application/xml");
  EXPECT_NE(malformed["error"]["message"].get<std::string>().find("request body:"), std::string::npos) << malformed;
  Call("POST", path, "odense", 400, "<Benchmark/>", {}, "application/xml");
  EXPECT_EQ(Member("0461", "odense")["version"], before["version"]);

  const std::string end_time = Timestamp::Now().ToRfc3339();
  const Json imported = Call("POST", path, "odense", 200,
                             XccdfResults(end_time, {{"service_firewalld_enabled", "pass"},
                                                     {"package_aide_installed", "fail"},
                                                     {"sysctl_kernel_randomize_va_space", "fail"},
                                                     {"something_unrelated", "pass"},
                                                     {"luks_encrypted_root", "notapplicable"}}),
                             {}, "application/xml");
  EXPECT_EQ(imported["version"], before["version"].get<std::int64_t>() + 1);
  EXPECT_EQ(imported["import"]["rule_results"], 5);
  EXPECT_EQ(imported["import"]["mapped"], 3);
  EXPECT_EQ(imported["import"]["unmapped"], 1);
  EXPECT_EQ(imported["import"]["ignored"], 1);
  std::map<std::string, std::string> results;
  for (const auto& item : imported["import"]["requirements"]) results[item["id"]] = item["result"];
  EXPECT_EQ(results, (std::map<std::string, std::string>{{"DV-CFG-01", "fail"}, {"DV-DEV-03", "pass"}}));

  const Json* config = Requirement(imported, "DV-CFG-01");
  ASSERT_NE(config, nullptr);
  const Json& evidence = (*config)["evidence"].back();
  EXPECT_EQ(evidence["kind"], "measured");
  EXPECT_EQ(evidence["result"], "fail");
  EXPECT_EQ(evidence["collected"], end_time.substr(0, 10));
  EXPECT_EQ(evidence["valid_until"],
            Timestamp(Timestamp::Now().unix_ms() + 30LL * 86'400'000).ToRfc3339().substr(0, 10));
  EXPECT_EQ(evidence["live"], false) << "imported evidence is stored";
  // A current failed measurement caps whatever was declared.
  EXPECT_NE((*config)["effective_status"], "met");
  EXPECT_EQ((*config)["basis"], "measured");
}

TEST_F(BaselineApi, ASightingFromAMembersSensorIsMeasuredEvidenceOfSensorContact) {
  const std::string now = Timestamp::Now().ToRfc3339();
  NewObject sighting;
  sighting.id = "sighting--" + Uuid::V4().ToString();
  sighting.type = "sighting";
  sighting.spec_version = "2.1";
  sighting.version = now;
  sighting.json = Json({{"type", "sighting"},
                        {"spec_version", "2.1"},
                        {"id", sighting.id},
                        {"created", now},
                        {"modified", now},
                        {"sighting_of_ref", "indicator--" + Uuid::V4().ToString()},
                        {"count", 1}})
                      .dump();
  ASSERT_TRUE(store_->AddObjects(kCollection, {sighting}, "0101", "member:kbh-sensor").ok());
  const Json kbh = Member("0101", "kbh");
  EXPECT_EQ(kbh["facts"]["sensors"], 1);
  EXPECT_EQ(kbh["facts"]["sightings_published"], 1);
  const Json* log03 = Requirement(kbh, "DV-LOG-03");
  ASSERT_NE(log03, nullptr);
  bool live = false;
  for (const auto& evidence : (*log03)["evidence"]) {
    if (evidence["live"] == true) {
      live = true;
      EXPECT_EQ(evidence["kind"], "measured");
      EXPECT_EQ(evidence["source"], "hub:sensor_contact");
      EXPECT_EQ(evidence["result"], "pass");
      EXPECT_EQ(evidence["current"], true);
    }
  }
  EXPECT_TRUE(live) << *log03;
  // Odense has no sensor: nothing of its sensor's is measured for it. The
  // register is the hub's own knowledge: Odense registered nothing, which is
  // measured as a fail of the registered-presence requirement.
  const Json odense = Member("0461", "odense");
  int register_measured = 0;
  for (const auto& item : odense["requirements"]) {
    for (const auto& evidence : item["evidence"]) {
      if (item["id"] != "DV-AST-05" || evidence["live"] != true) {
        EXPECT_EQ(evidence["live"], false) << item["id"];
        continue;
      }
      ++register_measured;
      EXPECT_EQ(evidence["kind"], "measured");
      EXPECT_EQ(evidence["result"], "fail");
      EXPECT_NE(evidence["note"].get<std::string>().find("0 domains"), std::string::npos) << evidence;
    }
  }
  EXPECT_EQ(register_measured, 1);
}

TEST_F(BaselineApi, NationalPictureIsFullForTheCoordinatorAndAggregateForAMember) {
  const Json full = Call("GET", "/api/v1/baseline/national", "cfcs", 200);
  EXPECT_EQ(full["audience"], "coordinator");
  EXPECT_EQ(full["members"], 103);
  EXPECT_EQ(full["rows"].size(), 103U);
  EXPECT_EQ(full["weakest"].size(), 10U);
  const Json& national = full["groups"][0];
  EXPECT_EQ(national["dimension"], "national");
  int histogram = 0;
  for (const auto& count : national["overall"]["histogram"]) histogram += count.get<int>();
  EXPECT_EQ(histogram, 103);
  EXPECT_TRUE(national["overall"].contains("min"));
  for (std::size_t idx = 1; idx < full["weakest"].size(); ++idx) {
    EXPECT_LE(full["weakest"][idx - 1]["overall"].get<double>(), full["weakest"][idx]["overall"].get<double>());
  }
  EXPECT_FALSE(full["most_unmet"].empty());

  const Json net = Call("GET", "/api/v1/baseline/national?discipline=NET", "cfcs", 200);
  std::size_t net_idx = 0;
  while (net["disciplines"][net_idx]["id"] != "NET") ++net_idx;
  for (const auto& row : net["rows"]) EXPECT_EQ(row["score"], row["disciplines"][net_idx]) << row["code"];
  Call("GET", "/api/v1/baseline/national?discipline=XYZ", "cfcs", 400);
  Call("GET", "/api/v1/baseline/national?region=1084", "cfcs", 400);

  const Json member = Call("GET", "/api/v1/baseline/national", "kbh", 200);
  EXPECT_EQ(member["audience"], "member");
  EXPECT_EQ(member["rows"].size(), 1U);
  EXPECT_TRUE(member["weakest"].empty());
  EXPECT_FALSE(member["groups"][0]["overall"].contains("min"));
  for (const auto& group : member["groups"]) {
    if (group["members"].get<int>() < 5) {
      EXPECT_TRUE(group["suppressed"].get<bool>()) << group;
      EXPECT_TRUE(group["overall"].is_null()) << group;
    }
    if (group["overall"].is_null()) continue;
    for (const auto& count : group["overall"]["histogram"]) {
      if (!count.is_null()) {
        EXPECT_TRUE(count == 0 || count.get<int>() >= 5) << group;
      }
    }
  }
  for (const auto& unmet : member["most_unmet"]) {
    if (!unmet["not_met"].is_null()) {
      EXPECT_TRUE(unmet["not_met"] == 0 || unmet["not_met"].get<int>() >= 5);
    }
  }
}

TEST_F(BaselineApi, MemberViewHasComparisonGapsByPriorityAndExports) {
  const Json kbh = Member("0101", "kbh");
  EXPECT_EQ(kbh["synthetic"], true);
  EXPECT_EQ(kbh["disciplines"].size(), 17U);
  EXPECT_EQ(kbh["nis2"].size(), 10U);
  EXPECT_EQ(kbh["comparison"]["region_code"], "1084");
  EXPECT_EQ(kbh["comparison"]["size_band"], "100k_plus");
  EXPECT_TRUE(kbh["comparison"]["national_median"].is_number());
  EXPECT_TRUE(kbh["comparison"]["region_median"].is_number());
  for (std::size_t idx = 1; idx < kbh["gaps"].size(); ++idx) {
    EXPECT_GE(kbh["gaps"][idx - 1]["priority"].get<double>(), kbh["gaps"][idx]["priority"].get<double>());
  }
  EXPECT_EQ(kbh["history"].size(), 4U);
  auto oscal = Send("GET", "/api/v1/baseline/members/0101/oscal", "kbh");
  ASSERT_TRUE(oscal);
  ASSERT_EQ(oscal->status, 200);
  EXPECT_TRUE(Json::parse(oscal->body).contains("assessment-results"));
  auto report = Send("GET", "/api/v1/baseline/members/0101/report", "cfcs");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 200);
  EXPECT_EQ(report->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(report->body.find("København"), std::string::npos);
  Call("GET", "/api/v1/baseline/members/9999", "cfcs", 404);
}

}  // namespace
}  // namespace dv
