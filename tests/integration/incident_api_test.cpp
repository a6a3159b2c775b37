// SPDX-License-Identifier: Apache-2.0
// The incidents API over real HTTP, with the demo federation in a temporary
// database: members reach only their own incidents and competence registers
// through every endpoint; bad input is refused naming the field and leaves
// what is stored as it was; every version of an incident and of each report
// is kept; two members hit through the same supplier form a campaign; the
// coordinator's guidance reaches only the members it addresses; sharing puts
// the incident's indicators in the national collection under the chosen TLP.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/tlp.h"
#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;

struct Who {
  std::string id;
  std::string org;
  MemberRole role;
};
const std::vector<Who> kPrincipals = {
    {"kbh", "0101", MemberRole::kMember},         // København's security officer
    {"kbh-sensor", "0101", MemberRole::kSensor},  // København's sensor
    {"odense", "0461", MemberRole::kMember},
    {"aarhus", "0751", MemberRole::kMember},
    {"cfcs", "CFCS", MemberRole::kCoordinator},
    {"kmd", "KMD", MemberRole::kMember},  // a supplier that is a member too
};

Json Incident(const std::string& title, const std::string& via) {
  Json json = {{"title", title},
               {"description", "Unusual administrator logins on servers run by the supplier."},
               {"became_aware_at", Timestamp(Timestamp::Now().unix_ms() - 3'600'000).ToRfc3339()},
               {"suspected_malicious", true},
               {"affected_services", {"ESDH"}}};
  if (!via.empty()) json["suspected_via"] = {via};
  return json;
}

class IncidentApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("incident-api");
    store_ = &hub_->store();
    Collection national;
    national.id = Uuid::V5(DannevirkeNamespace(), "collection:national").ToString();
    national.title = "National";
    national.default_tlp = Tlp::kGreen;
    ASSERT_TRUE(store_->UpsertCollection(national, "test").ok());
    for (const auto& who : kPrincipals) {
      hub_->AddMember(who.id, who.org, who.role);
    }
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "") {
    const httplib::Headers headers = member.empty() ? httplib::Headers() : test::BearerHeaders(tokens_[member]);
    return test::HubClient(port_).Send(method, path, headers, body);
  }
  static Json Call(const std::string& method, const std::string& path, const std::string& member, int expected,
                   const Json& body = Json()) {
    auto res = Send(method, path, member, body.is_null() ? "" : body.dump());
    EXPECT_TRUE(res) << method << " " << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expected) << method << " " << path << " as " << member << ": " << res->body;
    if (res->get_header_value("Content-Type") != "application/json") return {};
    return Json::parse(res->body);
  }
  static std::string Create(const std::string& member, const Json& body) {
    const Json created = Call("POST", "/api/v1/incidents", member, 201, body);
    return created.value("id", "");
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline Store* store_ = nullptr;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(IncidentApi, AMemberReportsAnIncidentAndSeesItsClock) {
  const Json created = Call("POST", "/api/v1/incidents", "kbh", 201, Incident("Ransomware", ""));
  EXPECT_EQ(created["org"]["code"], "0101");
  EXPECT_EQ(created["version"], 1);
  ASSERT_EQ(created["clock"].size(), 4U);
  EXPECT_EQ(created["clock"][0]["stage"], "early_warning");
  EXPECT_EQ(created["clock"][0]["state"], "due");
  const auto aware = Timestamp::Parse(created["became_aware_at"].get<std::string>()).value();
  const auto due = Timestamp::Parse(created["clock"][0]["due"]["utc"].get<std::string>()).value();
  EXPECT_EQ(due.unix_ms() - aware.unix_ms(), 24LL * 3'600'000);
  EXPECT_NE(created["clock"][1]["due"]["display"].get<std::string>().find(" kl. "), std::string::npos);
  EXPECT_EQ(created["clock"][3]["state"], "waiting");
}

TEST_F(IncidentApi, MembersCannotReachAnotherMembersIncidentThroughAnyEndpoint) {
  const std::string id = Create("kbh", Incident("Phishing", ""));
  ASSERT_FALSE(id.empty());
  const std::string base = "/api/v1/incidents/" + id;
  Call("POST", base + "/reports/early_warning", "kbh", 201,
       {{"contents", {{"summary", "s"}, {"suspected_malicious", true}, {"cross_border_impact", false}}}});
  Call("GET", base, "odense", 403);
  Call("PUT", base, "odense", 403, Incident("Taken over", ""));
  Call("POST", base + "/reports/early_warning", "odense", 403,
       {{"contents", {{"summary", "x"}, {"suspected_malicious", true}, {"cross_border_impact", false}}}});
  Call("GET", base + "/reports/early_warning", "odense", 403);
  Call("POST", base + "/share", "odense", 403, {{"tlp", "green"}});
  Call("GET", "/api/v1/incidents?org=0101", "odense", 403);
  const Json listed = Call("GET", "/api/v1/incidents", "odense", 200);
  const Json timeline = Call("GET", "/api/v1/incidents/timeline", "odense", 200);
  for (const auto& item : listed["items"]) EXPECT_NE(item["id"], id);
  for (const auto& item : timeline["items"]) EXPECT_NE(item["id"], id);
  EXPECT_NE(Call("GET", "/api/v1/incidents/timeline", "cfcs", 200).dump().find(id), std::string::npos);
  Call("GET", "/api/v1/campaigns", "odense", 403);
  // The member's own sensor neither reads nor writes (an incident may hold personal data, and a
  // sensor has no use for it: tests/adversarial/incident_access_test.cpp); the coordinator reads
  // but does not edit.
  Call("GET", base, "kbh-sensor", 403);
  Call("PUT", base, "kbh-sensor", 403, Incident("x", ""));
  Call("GET", base, "cfcs", 200);
  Call("PUT", base, "cfcs", 403, Incident("x", ""));
  // Refusals are audited.
  bool audited = false;
  auto audit = store_->ListAudit(50);
  ASSERT_TRUE(audit.ok());
  for (const auto& entry : *audit) {
    audited = audited ||
              (entry.action == "read.refused" && entry.actor == "member:odense" && entry.object == "incident " + id);
  }
  EXPECT_TRUE(audited);
}

TEST_F(IncidentApi, BadInputIsRefusedNamingTheFieldAndNothingIsLost) {
  Json bad = Incident("x", "");
  bad["became_aware_at"] = "last night";
  Json error = Call("POST", "/api/v1/incidents", "kbh", 400, bad);
  EXPECT_NE(error["error"]["message"].get<std::string>().find("field 'became_aware_at'"), std::string::npos);
  bad = Incident("x", "NOSUCHORG");
  error = Call("POST", "/api/v1/incidents", "kbh", 400, bad);
  EXPECT_NE(error["error"]["message"].get<std::string>().find("field 'suspected_via[0]'"), std::string::npos);
  bad = Incident("x", "");
  bad["new_indicators"] = {{{"name", "c2"}, {"pattern", "[ipv4-addr:value = "}}};
  error = Call("POST", "/api/v1/incidents", "kbh", 400, bad);
  EXPECT_NE(error["error"]["message"].get<std::string>().find("field 'new_indicators[0].pattern'"), std::string::npos);

  const std::string id = Create("kbh", Incident("Data leak", ""));
  const std::string base = "/api/v1/incidents/" + id;
  Json update = Incident("Data leak", "");
  update["version"] = 1;
  update["citizens_affected"] = {{"count", "many"}};
  error = Call("PUT", base, "kbh", 400, update);
  EXPECT_NE(error["error"]["message"].get<std::string>().find("field 'citizens_affected.count'"), std::string::npos);
  const Json report = Call("POST", base + "/reports/notification", "kbh", 400,
                           {{"contents", {{"summary", "s"}, {"suspected_malicious", true}}}});
  EXPECT_NE(report["error"]["message"].get<std::string>().find("contents.cross_border_impact"), std::string::npos);
  const Json stored = Call("GET", base, "kbh", 200);
  EXPECT_EQ(stored["version"], 1);
  EXPECT_EQ(stored["title"], "Data leak");
  EXPECT_TRUE(stored["reports"]["notification"].empty());
}

TEST_F(IncidentApi, EveryVersionIsKeptAndStaleUpdatesConflict) {
  const std::string id = Create("kbh", Incident("Outage", ""));
  const std::string base = "/api/v1/incidents/" + id;
  Json update = Incident("Outage of the web site", "");
  update["version"] = 1;
  EXPECT_EQ(Call("PUT", base, "kbh", 200, update)["version"], 2);
  update["title"] = "Stale edit";
  Call("PUT", base, "kbh", 409, update);  // still says version 1
  Json current = Call("GET", base, "kbh", 200);
  EXPECT_EQ(current["title"], "Outage of the web site");
  ASSERT_EQ(current["versions"].size(), 2U);

  const Json ew = {
      {"contents", {{"summary", "first"}, {"suspected_malicious", false}, {"cross_border_impact", false}}}};
  Call("POST", base + "/reports/progress", "kbh", 409, {{"contents", {{"current_status", "s"}, {"mitigation", "m"}}}});
  EXPECT_EQ(Call("POST", base + "/reports/early_warning", "kbh", 201, ew)["version"], 1);
  Json corrected = ew;
  corrected["contents"]["summary"] = "corrected";
  EXPECT_EQ(Call("POST", base + "/reports/early_warning", "kbh", 201, corrected)["version"], 2);
  const Json latest = Call("GET", base + "/reports/early_warning", "kbh", 200);
  EXPECT_EQ(latest["version"], 2);
  EXPECT_EQ(latest["versions"].size(), 2U);
  EXPECT_EQ(latest["document"]["contents"][0]["value"], "corrected");
  const Json first = Call("GET", base + "/reports/early_warning?version=1", "kbh", 200);
  EXPECT_EQ(first["document"]["contents"][0]["value"], "first");
  auto html = Send("GET", base + "/reports/early_warning?format=html", "cfcs");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200);
  EXPECT_NE(html->body.find("Tidlig varsling"), std::string::npos);
  current = Call("GET", base, "kbh", 200);
  EXPECT_EQ(current["clock"][0]["state"], "submitted");
  EXPECT_EQ(current["reports"]["early_warning"].size(), 2U);
}

TEST_F(IncidentApi, TwoMembersThroughTheSameSupplierFormACampaignAndGuidanceReachesOnlyThem) {
  const std::string kbh = Create("kbh", Incident("Supplier remote access abused", "KMD"));
  const std::string odense = Create("odense", Incident("Odd admin logins at supplier", "KMD"));
  Create("aarhus", Incident("Phishing", "EG"));
  const Json campaigns = Call("GET", "/api/v1/campaigns", "cfcs", 200);
  const Json* found = nullptr;
  for (const auto& campaign : campaigns["items"]) {
    for (const auto& incident : campaign["incidents"]) {
      if (incident["id"] == kbh) found = &campaign;
    }
  }
  ASSERT_NE(found, nullptr) << campaigns.dump();
  std::set<std::string> members;
  for (const auto& member : (*found)["members"]) members.insert(member["code"].get<std::string>());
  EXPECT_EQ(members, (std::set<std::string>{"0101", "0461"}));
  bool via_kmd = false;
  for (const auto& cause : (*found)["causes"])
    via_kmd = via_kmd || (cause["kind"] == "supplier" && cause["id"] == "KMD");
  EXPECT_TRUE(via_kmd);

  Call("POST", "/api/v1/guidance", "kbh", 403, {{"title", "t"}, {"body", "b"}, {"recipients", {"0461"}}});
  const Json posted = Call("POST", "/api/v1/guidance", "cfcs", 201,
                           {{"title", "Close supplier remote access"},
                            {"body", "Disable the supplier's remote accounts."},
                            {"campaign", (*found)["id"]}});
  EXPECT_EQ(posted["recipients"], (Json{"0101", "0461"}));
  auto titles = [&](const std::string& member) {
    std::set<std::string> out;
    const Json list = Call("GET", "/api/v1/guidance", member, 200);
    for (const auto& item : list["items"]) out.insert(item["title"]);
    return out;
  };
  EXPECT_TRUE(titles("kbh").count("Close supplier remote access"));
  EXPECT_TRUE(titles("odense").count("Close supplier remote access"));
  EXPECT_FALSE(titles("aarhus").count("Close supplier remote access"));
  EXPECT_TRUE(titles("cfcs").count("Close supplier remote access"));
  const Json bad = Call("POST", "/api/v1/guidance", "cfcs", 400, {{"title", "t"}, {"body", "b"}});
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("field 'recipients'"), std::string::npos);
  (void)odense;
}

TEST_F(IncidentApi, SharingPutsTheIndicatorsInTheNationalCollectionUnderTheChosenTlp) {
  Json body = Incident("C2 traffic", "");
  body["new_indicators"] = {{{"name", "C2 server"}, {"pattern", "[ipv4-addr:value = '198.51.100.23']"}}};
  const std::string id = Create("kbh", body);
  const std::string base = "/api/v1/incidents/" + id;
  Call("POST", base + "/share", "kbh", 400, {{"tlp", "red"}});
  const Json shared = Call("POST", base + "/share", "kbh", 201, {{"tlp", "green"}});
  EXPECT_EQ(shared["tlp"], "TLP:GREEN");
  ASSERT_EQ(shared["objects"].size(), 2U);  // the indicator and the report
  ObjectQuery query;
  query.collection_id = Uuid::V5(DannevirkeNamespace(), "collection:national").ToString();
  query.types = {"indicator"};
  auto page = store_->QueryObjects(query, [](const StoredObject&) { return true; });
  ASSERT_TRUE(page.ok());
  bool found = false;
  for (const auto& object : page->objects) {
    if (object.id == shared["objects"][0]) {
      found = true;
      EXPECT_EQ(object.tlp, Tlp::kGreen);
      EXPECT_EQ(object.producer_org, "0101");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(Call("GET", base, "kbh", 200)["shares"].size(), 1U);
}

TEST_F(IncidentApi, CompetenceRegistersAreOwnOrgOnlyAndTheNationSeesAggregates) {
  const Json reg = {
      {"roles",
       {{{"role", "ciso"}, {"holders", {{{"initials", "MH"}, {"name", "Mette Hansen"}}}}},
        {{"role", "incident_responder"}, {"holders", {{{"kind", "contracted"}, {"provider", "Regional SOC"}}}}}}},
      {"trainings",
       {{{"title", "NIS2 management"},
         {"kind", "management"},
         {"date", "2026-01-10"},
         {"participants", {"management"}}}}}};
  const Json stored = Call("PUT", "/api/v1/competences/0101", "kbh", 200, reg);
  EXPECT_EQ(stored["version"], 1);
  EXPECT_EQ(stored["gaps"]["band"], "large");
  Call("PUT", "/api/v1/competences/0101", "odense", 403, reg);
  Call("GET", "/api/v1/competences/0101", "odense", 403);
  Call("GET", "/api/v1/competences/0101", "cfcs", 200);
  Json bad = reg;
  bad["roles"][0]["role"] = "wizard";
  const Json error = Call("PUT", "/api/v1/competences/0101", "kbh", 400, bad);
  EXPECT_NE(error["error"]["message"].get<std::string>().find("field 'roles[0].role'"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/competences/0101", "kbh", 200)["version"], 1);

  Call("PUT", "/api/v1/competences/0461", "odense", 200,
       {{"roles", {{{"role", "ciso"}, {"holders", {{{"initials", "CB"}}}}}}}});
  const auto national = Send("GET", "/api/v1/competences", "odense");
  ASSERT_TRUE(national);
  EXPECT_EQ(national->status, 200);
  EXPECT_EQ(national->body.find("Mette"), std::string::npos);
  EXPECT_EQ(national->body.find("\"MH\""), std::string::npos);
  const Json aggregate = Json::parse(national->body);
  EXPECT_EQ(aggregate["scope"], "aggregate");
  EXPECT_FALSE(aggregate.contains("members"));
  EXPECT_FALSE(aggregate.contains("single_person"));
  const Json nation = Call("GET", "/api/v1/competences", "cfcs", 200);
  EXPECT_EQ(nation["registers"], 2);
  EXPECT_EQ(nation["scope"], "national");
  EXPECT_EQ(nation.dump().find("Mette"), std::string::npos);
}

TEST_F(IncidentApi, OneSupplierIncidentBecomesADraftForEveryAffectedMemberAndOnlyThemselvesSeeIt) {
  const std::string kbh = Create("kbh", Incident("KMD remote access abused", "KMD"));
  Create("odense", Incident("KMD admin logins", "KMD"));
  std::string campaign;
  const Json campaigns = Call("GET", "/api/v1/campaigns", "cfcs", 200);
  for (const auto& item : campaigns["items"]) {
    for (const auto& incident : item["incidents"]) {
      if (incident["id"] == kbh) campaign = item["id"].get<std::string>();
    }
  }
  ASSERT_FALSE(campaign.empty());
  Call("POST", "/api/v1/campaigns/drafts", "kbh", 403, {{"campaign", campaign}});
  Call("POST", "/api/v1/campaigns/drafts", "cfcs", 404, {{"campaign", "campaign--nothing"}});
  Call("POST", "/api/v1/campaigns/drafts", "cfcs", 404, {{"supplier", "NOBODY"}});
  Call("POST", "/api/v1/campaigns/drafts", "cfcs", 400, {{"supplier", "KMD"}, {"campaign", campaign}});
  const auto started = std::chrono::steady_clock::now();
  const Json fanned = Call("POST", "/api/v1/campaigns/drafts", "cfcs", 201, {{"campaign", campaign}});
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::map<std::string, std::string> draft_of;
  for (const auto& item : fanned["created"]) draft_of[item["organisation"]] = item["draft"];
  // Both members in the campaign, and the other municipalities the graph says KMD supplies.
  ASSERT_TRUE(draft_of.count("0101") && draft_of.count("0461")) << fanned.dump();
  EXPECT_TRUE(draft_of.count("0151")) << "0151 is supplied by KMD in the demo graph";
  EXPECT_FALSE(draft_of.count("KMD"));
  std::cout << "fan-out of the demo KMD campaign: " << draft_of.size() << " drafts in " << took << " s\n";
  // Run again: nobody gets a second draft.
  const Json again = Call("POST", "/api/v1/campaigns/drafts", "cfcs", 201, {{"campaign", campaign}});
  EXPECT_TRUE(again["created"].empty());
  EXPECT_EQ(again["already_drafted"].size(), draft_of.size());

  // København's draft: prefilled NIS2 early warning and GDPR Art. 33, its own incident named, no other member.
  const Json mine = Call("GET", "/api/v1/incidents/drafts/" + draft_of["0101"], "kbh", 200);
  // Its (earliest) incident in the campaign is named: one of København's own.
  const Json existing = Call("GET", "/api/v1/incidents/" + mine["existing_incident"].get<std::string>(), "kbh", 200);
  EXPECT_EQ(existing["org"]["code"], "0101");
  EXPECT_EQ(mine["incident"]["suspected_via"], (Json{"KMD"}));
  EXPECT_FALSE(mine["reports"]["early_warning"]["summary"].get<std::string>().empty());
  EXPECT_EQ(mine["gdpr"]["due_hours_after_awareness"], 72);
  EXPECT_NE(mine["manual_submission"]["da"].get<std::string>().find("indsender intet"), std::string::npos);
  EXPECT_EQ(mine.dump().find("0461"), std::string::npos);
  EXPECT_EQ(mine.dump().find("Odense"), std::string::npos);
  // Another member, and a sensor, cannot see it: the same answer as for nothing.
  Call("GET", "/api/v1/incidents/drafts/" + draft_of["0101"], "odense", 404);
  Call("GET", "/api/v1/incidents/drafts/" + draft_of["0101"], "kbh-sensor", 404);
  Call("POST", "/api/v1/incidents/drafts/" + draft_of["0101"] + "/adopt", "odense", 404, Json::object());
  const Json odense_drafts = Call("GET", "/api/v1/incidents/drafts", "odense", 200);
  for (const auto& item : odense_drafts["items"]) {
    EXPECT_EQ(item["organisation"], "0461");
  }
  Call("GET", "/api/v1/incidents/drafts?org=0101", "odense", 403);
  Call("GET", "/api/v1/incidents/drafts", "kbh-sensor", 403);
  EXPECT_EQ(Call("GET", "/api/v1/incidents/drafts?org=0101", "cfcs", 200)["total"], 1);
  // The coordinator cannot adopt for a member.
  Call("POST", "/api/v1/incidents/drafts/" + draft_of["0151"] + "/adopt", "cfcs", 403, Json::object());

  // Odense adopts with its own awareness time: a real incident with a running clock.
  const std::string aware = Timestamp(Timestamp::Now().unix_ms() - 7'200'000).ToRfc3339();
  const Json adopted = Call("POST", "/api/v1/incidents/drafts/" + draft_of["0461"] + "/adopt", "odense", 201,
                            {{"incident", {{"became_aware_at", aware}, {"affected_services", {"Fagsystemer"}}}}});
  EXPECT_EQ(adopted["state"], "adopted");
  const Json incident = Call("GET", "/api/v1/incidents/" + adopted["incident_id"].get<std::string>(), "odense", 200);
  EXPECT_EQ(incident["suspected_via"], (Json{"KMD"}));
  EXPECT_EQ(incident["clock"][0]["stage"], "early_warning");
  Call("POST", "/api/v1/incidents/drafts/" + draft_of["0461"] + "/adopt", "odense", 409, Json::object());
  // A bad change is refused naming the field, and the draft stays open.
  const Json bad = Call("POST", "/api/v1/incidents/drafts/" + draft_of["0101"] + "/adopt", "kbh", 400,
                        {{"incident", {{"became_aware_at", "yesterday"}}}});
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("became_aware_at"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/incidents/drafts/" + draft_of["0101"], "kbh", 200)["state"], "open");
  // Declining needs a reason.
  Call("POST", "/api/v1/incidents/drafts/" + draft_of["0101"] + "/decline", "kbh", 400, Json::object());
  EXPECT_EQ(Call("POST", "/api/v1/incidents/drafts/" + draft_of["0101"] + "/decline", "kbh", 200,
                 {{"reason", "We reported it already as our own incident."}})["state"],
            "declined");
}

TEST_F(IncidentApi, APersonalDataBreachRunsItsOwn72HourClockAndReceiptsAreTheMembersOwn) {
  const std::string id = Create("kbh", Incident("Citizen records exposed", ""));
  const std::string path = "/api/v1/incidents/" + id + "/gdpr";
  Call("GET", path, "kbh", 404);
  const std::string aware = Timestamp(Timestamp::Now().unix_ms() - 80LL * 3'600'000).ToRfc3339();
  // Art. 34: a decision without its reason is refused naming the field; nothing is stored.
  const Json refused =
      Call("PUT", path, "kbh", 400, {{"became_aware_at", aware}, {"subjects_decision", {{"inform", false}}}});
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("reason"), std::string::npos);
  Call("GET", path, "kbh", 404);
  Call("PUT", path, "kbh", 400, {{"became_aware_at", aware}, {"notification", {{"colour", "red"}}}});
  Call("PUT", path, "odense", 403, {{"became_aware_at", aware}});
  Call("PUT", path, "cfcs", 403, {{"became_aware_at", aware}});
  const Json breach =
      Call("PUT", path, "kbh", 200,
           {{"became_aware_at", aware},
            {"notification", {{"nature", "Borgerdata lå frit tilgængeligt"}, {"approximate_subjects", 1200}}},
            {"subjects_decision", {{"inform", true}, {"reason", "Høj risiko for de registrerede"}}}});
  // 80 hours after awareness: overdue, and a submission must give the reasons for the delay.
  EXPECT_EQ(breach["clock"]["state"], "overdue");
  EXPECT_TRUE(breach["clock"]["late"].get<bool>());
  EXPECT_LT(breach["clock"]["remaining_seconds"].get<std::int64_t>(), 0);
  const auto missing = breach["missing_for_submission"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(missing.begin(), missing.end(), "reasons_for_delay"), missing.end());
  EXPECT_NE(std::find(missing.begin(), missing.end(), "contact"), missing.end());
  EXPECT_EQ(std::find(missing.begin(), missing.end(), "nature"), missing.end());
  EXPECT_EQ(std::find(missing.begin(), missing.end(), "approximate_subjects"), missing.end());
  // Read by the member and coordinators, never by another member.
  EXPECT_EQ(Call("GET", path, "cfcs", 200)["version"], 1);
  Call("GET", path, "odense", 403);
  // A stale edit conflicts; the right version goes through.
  Call("PUT", path, "kbh", 409, {{"became_aware_at", aware}, {"version", 7}});
  const std::string notified = Timestamp(Timestamp::Now().unix_ms() - 3'600'000).ToRfc3339();
  const Json done =
      Call("PUT", path, "kbh", 200, {{"became_aware_at", aware}, {"notified_at", notified}, {"version", 1}});
  EXPECT_EQ(done["clock"]["state"], "submitted");
  EXPECT_TRUE(done["clock"]["late"].get<bool>());
  // The receipts of the member's own submissions.
  const std::string receipts = "/api/v1/incidents/" + id + "/receipts";
  Call("PUT", receipts + "/gdpr", "kbh", 400, {{"submitted_at", notified}});
  Call("PUT", receipts + "/gdpr", "odense", 403, {{"receipt", "DT-1"}, {"submitted_at", notified}});
  Call("PUT", receipts + "/nowhere", "kbh", 404, {{"receipt", "X"}, {"submitted_at", notified}});
  Call("PUT", receipts + "/gdpr", "kbh", 200, {{"receipt", "DT-2026-00042"}, {"submitted_at", notified}});
  Call("PUT", receipts + "/nis2_early_warning", "kbh", 200, {{"receipt", "VIRK-123"}, {"submitted_at", notified}});
  const Json listed = Call("GET", receipts, "cfcs", 200);
  EXPECT_EQ(listed["receipts"]["gdpr"]["receipt"], "DT-2026-00042");
  EXPECT_EQ(listed["receipts"]["nis2_early_warning"]["receipt"], "VIRK-123");
  Call("GET", receipts, "odense", 403);
}

TEST_F(IncidentApi, AMemberNotifiesTheRecipientsOfItsServicesItChoosesAndNobodyElse) {
  const std::string id = Create("kmd", Incident("Driftsplatform kompromitteret", ""));
  const Json dependants = Call("GET", "/api/v1/incidents/" + id + "/dependants", "kmd", 200);
  std::set<std::string> codes;
  for (const auto& item : dependants["dependants"]) codes.insert(item["code"].get<std::string>());
  ASSERT_TRUE(codes.count("0101") && codes.count("0151")) << dependants.dump().substr(0, 500);
  Call("GET", "/api/v1/incidents/" + id + "/dependants", "kbh", 403);
  const std::string path = "/api/v1/incidents/" + id + "/service-notices";
  const Json notice = {{"title", "Mulig påvirkning af jeres ESDH"},
                       {"content", "Vi undersøger et brud; skift adgangskoder."}};
  // Only the member's people send, only to its dependants, only with its own words.
  Call("POST", path, "kbh", 403, {{"title", "x"}, {"content", "y"}, {"recipients", {"0101"}}});
  Call("POST", path, "cfcs", 403, {{"title", "x"}, {"content", "y"}, {"recipients", {"0101"}}});
  Json with = notice;
  with["recipients"] = {"0101", "CFCS"};
  const Json refused = Call("POST", path, "kmd", 400, with);
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("recipients[1]"), std::string::npos);
  Call("POST", path, "kmd", 400, {{"title", "x"}, {"recipients", {"0101"}}});
  with["recipients"] = {"0101", "0151"};
  const auto started = std::chrono::steady_clock::now();
  const Json sent = Call("POST", path, "kmd", 201, with);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "Art. 23(1) notices to 2 dependants stored and readable " << took << " s after the member's choice\n";
  EXPECT_EQ(sent["sent"].size(), 2U);
  // The recipient reads a TLP:AMBER STIX note in the member's words.
  const Json received = Call("GET", "/api/v1/incidents/service-notices", "kbh", 200);
  ASSERT_EQ(received["total"], 1);
  const Json& note = received["items"][0]["note"];
  EXPECT_EQ(note["type"], "note");
  EXPECT_EQ(note["content"], "Vi undersøger et brud; skift adgangskoder.");
  EXPECT_EQ(note["object_marking_refs"][0], std::string(TlpMarkingId(Tlp::kAmber)));
  // A dependant the member did not choose, and another member, see nothing.
  EXPECT_EQ(Call("GET", "/api/v1/incidents/service-notices", "odense", 200)["total"], 0);
  EXPECT_EQ(Call("GET", "/api/v1/incidents/service-notices", "aarhus", 200)["total"], 0);
  Call("GET", "/api/v1/incidents/service-notices", "kbh-sensor", 403);
  // The sender sees whom it notified.
  EXPECT_EQ(Call("GET", path, "kmd", 200)["total"], 2);
  Call("GET", path, "kbh", 403);
  bool marked = false;
  const Json after = Call("GET", "/api/v1/incidents/" + id + "/dependants", "kmd", 200);
  for (const auto& item : after["dependants"]) {
    if (item["code"] == "0101") marked = item["notified"].get<bool>();
    if (item["code"] == "0461") {
      EXPECT_FALSE(item["notified"].get<bool>());
    }
  }
  EXPECT_TRUE(marked);
}

}  // namespace
}  // namespace dv
