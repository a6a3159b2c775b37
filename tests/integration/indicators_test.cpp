// SPDX-License-Identifier: Apache-2.0
// The shared indicators over real HTTP: the TLP 2.0 matrix through every
// read endpoint (TAXII and REST) for every kind of member, false-positive
// reports and verdicts, confidence decay, and the inactive list sensors use.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
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
const std::string kNational = "7c1b0f4e-2a47-4c6f-8a53-000000000001";
const std::string kRegional = "7c1b0f4e-2a47-4c6f-8a53-000000000002";  // Region Hovedstaden (1084)

struct Marking {
  std::string name;
  Tlp tlp;
};
const std::vector<Marking> kMarkings = {{"CLEAR", Tlp::kClear},
                                        {"GREEN", Tlp::kGreen},
                                        {"AMBER", Tlp::kAmber},
                                        {"AMBER+STRICT", Tlp::kAmberStrict},
                                        {"RED", Tlp::kRed}};

// The test's principals: who they are, written out rather than derived
// from the hub's own access code.
struct Who {
  std::string id;
  std::string org;
  MemberRole role;
  bool in_region_1084;  // the regional collection's audience
};
const std::vector<Who> kPrincipals = {
    {"kbh", "0101", MemberRole::kMember, true},         // the producer (København, Region Hovedstaden)
    {"kbh-sensor", "0101", MemberRole::kSensor, true},  // the producer's own sensor
    {"frb", "0147", MemberRole::kMember, true},         // Frederiksberg: same region, not named
    {"odense", "0461", MemberRole::kMember, false},     // named as the RED recipient; another region
    {"aarhus", "0751", MemberRole::kMember, false},     // another region, not named
    {"cfcs", "CFCS", MemberRole::kCoordinator, false},  // the national coordinator
};

// TLP 2.0 as the issue states it, for an object produced by 0101 with 0461
// as the RED recipient.
bool ShouldSee(const Who& who, const std::string& collection, Tlp tlp) {
  const bool producer = who.org == "0101";
  const bool reads_collection = collection == kNational || who.in_region_1084 || who.role == MemberRole::kCoordinator;
  if (!reads_collection) return false;
  const bool audience = collection == kNational || who.in_region_1084;
  switch (tlp) {
    case Tlp::kClear:
    case Tlp::kGreen:
      return true;
    case Tlp::kAmber:
      return audience || producer;
    case Tlp::kAmberStrict:
      return producer;
    case Tlp::kRed:
      return producer || who.org == "0461";
  }
  return false;
}

std::string IndicatorId(const std::string& key) {
  return "indicator--" + Uuid::V5(DannevirkeNamespace(), "indicators-test:" + key).ToString();
}

Json Indicator(const std::string& key, const std::string& value, Tlp tlp, const std::string& valid_from) {
  Json object = {{"type", "indicator"},
                 {"spec_version", "2.1"},
                 {"id", IndicatorId(key)},
                 {"created", valid_from},
                 {"modified", valid_from},
                 {"name", "Test " + key},
                 {"pattern", "[ipv4-addr:value = '" + value + "']"},
                 {"pattern_type", "stix"},
                 {"valid_from", valid_from},
                 {"confidence", 80},
                 {"object_marking_refs", {std::string(TlpMarkingId(tlp))}}};
  if (tlp == Tlp::kRed) object["x_dannevirke_recipients"] = {"0461"};
  return object;
}

class Indicators : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("indicators");
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
    for (const auto& who : kPrincipals) {
      hub_->AddMember(who.id, who.org, who.role);
    }
    // Odense's sensor: only a sensor's sightings are measured evidence (docs/stix.md).
    hub_->AddMember("odense-sensor", "0461", MemberRole::kSensor);
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static httplib::Result Get(const std::string& path, const std::string& member, const char* accept = kTaxii) {
    return test::HubClient(port_).Get(path, test::BearerHeaders(tokens_[member], accept));
  }
  static httplib::Result PostJson(const std::string& path, const Json& body, const std::string& member) {
    return test::HubClient(port_).Post(path, test::BearerHeaders(tokens_[member]), body.dump());
  }
  static void Publish(const std::string& collection, const Json& object, const std::string& member) {
    auto res = test::HubClient(port_).Post(std::string(kRoot) + "collections/" + collection + "/objects/",
                                           test::BearerHeaders(tokens_[member], kTaxii),
                                           Json{{"objects", {object}}}.dump(), kTaxii);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    ASSERT_EQ(Json::parse(res->body)["success_count"], 1) << res->body;
  }
  static Json Api(const std::string& path, const std::string& member, int expected_status = 200) {
    auto res = Get(path, member, "application/json");
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, expected_status) << path << " as " << member << ": " << res->body;
    return Json::parse(res->body, nullptr, false);
  }
  static std::set<std::string> InactiveIds(const std::string& member) {
    std::set<std::string> ids;
    const Json state = Api("/api/v1/indicators/state", member);
    for (const auto& item : state["inactive"]) ids.insert(item["id"]);
    return ids;
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline Store* store_ = nullptr;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(Indicators, TlpMatrixHoldsOnEveryReadEndpointForEveryKindOfMember) {
  const std::string now = Timestamp::Now().ToRfc3339();
  std::map<std::pair<std::string, std::string>, std::string> ids;  // (collection, marking) → id
  int octet = 1;
  for (const auto& collection : {kNational, kRegional}) {
    for (const auto& marking : kMarkings) {
      const std::string key = "matrix-" + collection.substr(collection.size() - 1) + "-" + marking.name;
      Publish(collection, Indicator(key, "198.51.100." + std::to_string(octet++), marking.tlp, now), "kbh");
      ids[{collection, marking.name}] = IndicatorId(key);
    }
  }
  int checks = 0;
  for (const auto& who : kPrincipals) {
    const Json rest_list = Api("/api/v1/indicators?limit=1000", who.id);
    std::set<std::string> rest_ids;
    for (const auto& item : rest_list["items"]) rest_ids.insert(item["id"]);
    for (const auto& collection : {kNational, kRegional}) {
      const std::string objects = std::string(kRoot) + "collections/" + collection + "/objects/";
      auto listing = Get(objects + "?limit=1000", who.id);
      auto manifest = Get(std::string(kRoot) + "collections/" + collection + "/manifest/?limit=1000", who.id);
      ASSERT_TRUE(listing && manifest);
      for (const auto& marking : kMarkings) {
        const std::string& id = ids[{collection, marking.name}];
        const bool visible = ShouldSee(who, collection, marking.tlp);
        const std::string why =
            who.id + " / " + (collection == kNational ? "national" : "regional") + " / " + marking.name;
        EXPECT_EQ(listing->body.find(id) != std::string::npos, visible) << why << " (objects)";
        EXPECT_EQ(manifest->body.find(id) != std::string::npos, visible) << why << " (manifest)";
        auto one = Get(objects + id + "/", who.id);
        auto versions = Get(objects + id + "/versions/", who.id);
        ASSERT_TRUE(one && versions);
        // A collection the member may not read answers 403 or 404; an object it may not see, 404.
        EXPECT_EQ(one->status == 200, visible) << why << " (object by id: " << one->status << ")";
        EXPECT_EQ(versions->status == 200, visible) << why << " (versions: " << versions->status << ")";
        EXPECT_EQ(rest_ids.count(id) == 1, visible) << why << " (REST list)";
        auto detail = Get("/api/v1/indicators/" + id, who.id, "application/json");
        ASSERT_TRUE(detail);
        EXPECT_EQ(detail->status, visible ? 200 : 404) << why << " (REST detail)";
        checks += 6;
      }
    }
  }
  // 6 principals × 2 collections × 5 markings × 6 endpoints.
  EXPECT_EQ(checks, 360);
}

TEST_F(Indicators, SightingsCountAndAreNamedOnlyWhereVisible) {
  const std::string now = Timestamp::Now().ToRfc3339();
  const Json indicator = Indicator("sighted", "203.0.113.7", Tlp::kGreen, now);
  Publish(kNational, indicator, "aarhus");
  for (const auto& [member, tlp] :
       std::vector<std::pair<std::string, Tlp>>{{"kbh", Tlp::kAmberStrict}, {"odense", Tlp::kGreen}}) {
    Json sighting = {{"type", "sighting"},
                     {"spec_version", "2.1"},
                     {"id", "sighting--" + Uuid::V4().ToString()},
                     {"created", now},
                     {"modified", now},
                     {"sighting_of_ref", indicator["id"]},
                     {"count", 3},
                     {"first_seen", now},
                     {"last_seen", now},
                     {"object_marking_refs", {std::string(TlpMarkingId(tlp))}}};
    // Named sightings (a counts-only one names nobody: CountsOnlySightingsNameNoOrganisation).
    auto org = store_->GetOrganisation(member == "kbh" ? "0101" : "0461");
    ASSERT_TRUE(org.ok());
    sighting["where_sighted_refs"] = {org->StixId()};
    Publish(kNational, sighting, member);
  }
  // København's AMBER+STRICT sighting adds nothing for the indicator's producer (docs/stix.md).
  const Json as_producer = Api("/api/v1/indicators/" + indicator["id"].get<std::string>(), "aarhus");
  EXPECT_EQ(as_producer["sightings"]["objects"], 1);
  EXPECT_EQ(as_producer["sightings"]["count"], 3);
  EXPECT_EQ(as_producer["sightings"]["members"], 1);
  std::set<std::string> named;
  for (const auto& s : as_producer["sightings"]["visible"]) named.insert(s["organisation"]["code"]);
  EXPECT_EQ(named, std::set<std::string>{"0461"}) << "København's AMBER+STRICT sighting stays with København";
  const Json as_kbh = Api("/api/v1/indicators/" + indicator["id"].get<std::string>(), "kbh");
  named.clear();
  for (const auto& s : as_kbh["sightings"]["visible"]) named.insert(s["organisation"]["code"]);
  EXPECT_EQ(named, (std::set<std::string>{"0101", "0461"}));
  EXPECT_EQ(as_kbh["sightings"]["objects"], 2);
  EXPECT_EQ(as_kbh["sightings"]["count"], 6);
  EXPECT_EQ(as_kbh["sightings"]["members"], 2);
}

// The matrix for aggregates: København's sensor sights indicators everyone may
// see, once per (collection, marking), and København reports them as false
// positives the same way. For every kind of member, every figure built from
// sightings and reports — counts, members, last seen, confidence and status,
// the sensors' inactive list, false-positive reports — counts exactly the
// sightings and reports ShouldSee allows.
TEST_F(Indicators, TlpMatrixHoldsForEveryAggregate) {
  const Timestamp now = Timestamp::Now();
  const std::string old = Timestamp(now.unix_ms() - 200LL * 86'400'000).ToRfc3339();
  // One indicator that collects every sighting and report (counts are powers
  // of two, so the sum tells which were counted), and one per cell that has
  // expired unless its single measured sighting is counted.
  const Json total = Indicator("aggregate-total", "203.0.113.200", Tlp::kClear, now.ToRfc3339());
  Publish(kNational, total, "aarhus");
  struct Cell {
    std::string collection;
    Marking marking;
    std::string revived;  // the expired indicator its sighting revives
    std::int64_t count;
    Timestamp last_seen;
  };
  std::vector<Cell> cells;
  int octet = 1;
  for (const auto& collection : {kNational, kRegional}) {
    for (const auto& marking : kMarkings) {
      const std::string key = "aggregate-" + collection.substr(collection.size() - 1) + "-" + marking.name;
      const Json expired = Indicator(key, "203.0.113." + std::to_string(octet), Tlp::kClear, old);
      Publish(kNational, expired, "aarhus");
      cells.push_back({collection, marking, expired["id"], std::int64_t{1} << cells.size(),
                       Timestamp(now.unix_ms() - 60'000LL * octet)});
      ++octet;
    }
  }
  const std::string at = now.ToRfc3339();
  for (const auto& cell : cells) {
    auto marked = [&](Json object) {
      object["object_marking_refs"] = {std::string(TlpMarkingId(cell.marking.tlp))};
      if (cell.marking.tlp == Tlp::kRed) object["x_dannevirke_recipients"] = {"0461"};
      return object;
    };
    for (const auto& [ref, count] :
         {std::pair{cell.revived, std::int64_t{1}}, std::pair{total["id"].get<std::string>(), cell.count}}) {
      Publish(cell.collection,
              marked({{"type", "sighting"},
                      {"spec_version", "2.1"},
                      {"id", "sighting--" + Uuid::V4().ToString()},
                      {"created", at},
                      {"modified", at},
                      {"sighting_of_ref", ref},
                      {"count", count},
                      {"first_seen", cell.last_seen.ToRfc3339()},
                      {"last_seen", cell.last_seen.ToRfc3339()}}),
              "kbh-sensor");
    }
    Publish(cell.collection,
            marked({{"type", "opinion"},
                    {"spec_version", "2.1"},
                    {"id", "opinion--" + Uuid::V4().ToString()},
                    {"created", at},
                    {"modified", at},
                    {"opinion", "strongly-disagree"},
                    {"explanation", "matrix " + cell.marking.name},
                    {"object_refs", {total["id"]}}}),
            "kbh");
  }
  int checks = 0;
  for (const auto& who : kPrincipals) {
    std::int64_t count = 0;
    std::int64_t objects = 0;
    std::optional<Timestamp> last_seen;
    for (const auto& cell : cells) {
      if (!ShouldSee(who, cell.collection, cell.marking.tlp)) continue;
      count += cell.count;
      ++objects;
      if (!last_seen || cell.last_seen > *last_seen) last_seen = cell.last_seen;
    }
    const Json detail = Api("/api/v1/indicators/" + total["id"].get<std::string>(), who.id);
    EXPECT_EQ(detail["sightings"]["count"], count) << who.id << " (sum of counts)";
    EXPECT_EQ(detail["sightings"]["objects"], objects) << who.id << " (sightings)";
    EXPECT_EQ(detail["sightings"]["members"], objects > 0 ? 1 : 0) << who.id << " (members)";
    EXPECT_EQ(detail["sightings"]["visible"].size(), static_cast<std::size_t>(objects)) << who.id;
    EXPECT_EQ(detail["sightings"]["last_seen"], last_seen ? Json(last_seen->ToRfc3339()) : Json()) << who.id;
    EXPECT_EQ(detail["false_positives"]["reports"], objects) << who.id << " (false-positive reports)";
    EXPECT_EQ(detail["false_positives"]["visible"].size(), static_cast<std::size_t>(objects)) << who.id;
    const Json list = Api("/api/v1/indicators?limit=1000", who.id);
    bool listed = false;
    for (const auto& item : list["items"]) {
      if (item["id"] != total["id"]) continue;
      listed = true;
      EXPECT_EQ(item["sightings"]["count"], count) << who.id << " (list)";
      EXPECT_EQ(item["false_positives"]["reports"], objects) << who.id << " (list)";
    }
    EXPECT_TRUE(listed) << who.id;
    const std::set<std::string> inactive = InactiveIds(who.id);
    for (const auto& cell : cells) {
      const bool counted = ShouldSee(who, cell.collection, cell.marking.tlp);
      const std::string why = who.id + " / " + cell.marking.name + " in " + cell.collection;
      EXPECT_EQ(Api("/api/v1/indicators/" + cell.revived, who.id)["status"], counted ? "active" : "expired") << why;
      EXPECT_EQ(inactive.count(cell.revived), counted ? 0U : 1U) << why << " (inactive list)";
      checks += 2;
    }
    checks += 9;
  }
  // 6 principals × (9 aggregate figures + 10 cells × 2).
  EXPECT_EQ(checks, 174);
}

// A counts-only sighting (no where_sighted_refs, no created_by_ref) counts for
// everyone who may see it, but names its organisation only to that
// organisation and to coordinators.
TEST_F(Indicators, CountsOnlySightingsNameNoOrganisation) {
  const std::string now = Timestamp::Now().ToRfc3339();
  const Json indicator = Indicator("counts-only", "203.0.113.250", Tlp::kGreen, now);
  Publish(kNational, indicator, "aarhus");
  Publish(kNational,
          {{"type", "sighting"},
           {"spec_version", "2.1"},
           {"id", "sighting--" + Uuid::V4().ToString()},
           {"created", now},
           {"modified", now},
           {"sighting_of_ref", indicator["id"]},
           {"count", 4}},
          "odense-sensor");
  for (const auto& who : kPrincipals) {
    const Json detail = Api("/api/v1/indicators/" + indicator["id"].get<std::string>(), who.id);
    EXPECT_EQ(detail["sightings"]["count"], 4) << who.id;
    ASSERT_EQ(detail["sightings"]["visible"].size(), 1U) << who.id;
    const Json& organisation = detail["sightings"]["visible"][0]["organisation"];
    if (who.org == "0461" || who.role == MemberRole::kCoordinator) {
      EXPECT_EQ(organisation["code"], "0461") << who.id;
    } else {
      EXPECT_TRUE(organisation.is_null()) << who.id << ": " << organisation.dump();
      EXPECT_EQ(detail.dump().find("0461"), std::string::npos) << who.id;
    }
  }
}

TEST_F(Indicators, FalsePositivesStopAlertsForTheReporterThenForAllWhenAccepted) {
  const Json indicator = Indicator("fp", "192.0.2.99", Tlp::kGreen, Timestamp::Now().ToRfc3339());
  const std::string id = indicator["id"];
  Publish(kNational, indicator, "aarhus");
  const std::string path = "/api/v1/indicators/" + id;

  // Bad reports are refused with the field named, and change nothing.
  auto bad_scope = PostJson(path + "/false-positive", {{"scope", "everyone"}, {"reason", "x"}}, "odense");
  ASSERT_TRUE(bad_scope);
  EXPECT_EQ(bad_scope->status, 400);
  EXPECT_NE(bad_scope->body.find("scope"), std::string::npos);
  auto no_reason = PostJson(path + "/false-positive", {{"scope", "self"}}, "odense");
  ASSERT_TRUE(no_reason);
  EXPECT_EQ(no_reason->status, 400);
  EXPECT_NE(no_reason->body.find("reason"), std::string::npos);
  auto sensor = PostJson(path + "/false-positive", {{"scope", "self"}, {"reason", "x"}}, "kbh-sensor");
  ASSERT_TRUE(sensor);
  EXPECT_EQ(sensor->status, 403);
  auto unknown = PostJson("/api/v1/indicators/indicator--00000000-0000-4000-8000-000000000000/false-positive",
                          {{"scope", "self"}, {"reason", "x"}}, "odense");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Api(path, "aarhus")["false_positives"]["reports"], 0);

  // For itself: only the reporter's sensors stop.
  auto self = PostJson(path + "/false-positive", {{"scope", "self"}, {"reason", "our mail relay"}}, "odense");
  ASSERT_TRUE(self);
  ASSERT_EQ(self->status, 201) << self->body;
  EXPECT_EQ(InactiveIds("odense").count(id), 1u);
  EXPECT_EQ(InactiveIds("kbh").count(id), 0u);
  EXPECT_EQ(InactiveIds("kbh-sensor").count(id), 0u);
  EXPECT_EQ(Api(path, "odense")["status"], "false_positive");
  EXPECT_EQ(Api(path, "kbh")["status"], "active");

  // The producer sees the report; a third member does not see who reported it.
  const Json producer_view = Api(path, "aarhus");
  ASSERT_EQ(producer_view["false_positives"]["visible"].size(), 1u);
  EXPECT_EQ(producer_view["false_positives"]["visible"][0]["organisation"]["code"], "0461");
  EXPECT_EQ(producer_view["false_positives"]["visible"][0]["explanation"], "our mail relay");
  EXPECT_EQ(Api(path, "frb")["false_positives"]["visible"].size(), 0u);

  // A verdict needs a proposal, and only the producer or a coordinator may give it.
  auto early = PostJson(path + "/verdict", {{"reason", "agreed"}}, "aarhus");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409);
  auto propose = PostJson(path + "/false-positive", {{"scope", "all"}, {"reason", "a CDN address"}}, "kbh");
  ASSERT_TRUE(propose);
  ASSERT_EQ(propose->status, 201) << propose->body;
  EXPECT_EQ(Api(path, "frb")["false_positives"]["proposals_for_all"], 1);
  EXPECT_EQ(InactiveIds("kbh").count(id), 0u) << "a proposal alone changes nothing";
  auto not_producer = PostJson(path + "/verdict", {{"reason", "agreed"}}, "frb");
  ASSERT_TRUE(not_producer);
  EXPECT_EQ(not_producer->status, 403);
  bool refusal_audited = false;
  auto audit = store_->ListAudit(20);
  ASSERT_TRUE(audit.ok());
  for (const auto& entry : *audit) {
    refusal_audited = refusal_audited || (entry.actor == "member:frb" && entry.action == "write.refused");
  }
  EXPECT_TRUE(refusal_audited);
  auto accept = PostJson(path + "/verdict", {{"reason", "agreed, a CDN"}}, "aarhus");
  ASSERT_TRUE(accept);
  ASSERT_EQ(accept->status, 201) << accept->body;
  for (const auto& who : kPrincipals) {
    EXPECT_EQ(InactiveIds(who.id).count(id), 1u) << who.id;
  }
}

TEST_F(Indicators, ConfidenceDecaysWithoutSightingsAndRecoversWhenSighted) {
  // An IP address indicator (lifetime 30 days) last valid from 45 days ago.
  const Timestamp old(Timestamp::Now().unix_ms() - 45LL * 86'400'000);
  const Json indicator = Indicator("decay", "192.0.2.45", Tlp::kGreen, old.ToRfc3339());
  const std::string id = indicator["id"];
  Publish(kNational, indicator, "aarhus");
  const Json stale = Api("/api/v1/indicators/" + id, "kbh");
  EXPECT_EQ(stale["status"], "expired");
  EXPECT_EQ(stale["confidence"]["current"], 0.0);
  EXPECT_EQ(stale["confidence"]["base"], 80.0);
  EXPECT_EQ(stale["confidence"]["lifetime_days"], 30.0);
  EXPECT_EQ(InactiveIds("kbh").count(id), 1u);

  const std::string now = Timestamp::Now().ToRfc3339();
  Json sighting = {{"type", "sighting"}, {"spec_version", "2.1"}, {"id", "sighting--" + Uuid::V4().ToString()},
                   {"created", now},     {"modified", now},       {"sighting_of_ref", id},
                   {"count", 1},         {"last_seen", now}};
  // A sighting posted with a person's token is shown but is no measured evidence.
  Publish(kNational, sighting, "odense");
  EXPECT_EQ(Api("/api/v1/indicators/" + id, "kbh")["status"], "expired");
  sighting["id"] = "sighting--" + Uuid::V4().ToString();
  Publish(kNational, sighting, "odense-sensor");
  const Json fresh = Api("/api/v1/indicators/" + id, "kbh");
  EXPECT_EQ(fresh["status"], "active");
  EXPECT_GT(fresh["confidence"]["current"].get<double>(), 79.0);
  EXPECT_EQ(InactiveIds("kbh").count(id), 0u);
}

// The state since a cursor, applied to the whole state it followed, is the
// whole state now; and it names nothing the reader may not see.
TEST_F(Indicators, StateSinceACursorListsWhatChangedAndAddsUpToTheWholeState) {
  struct Seen {
    std::set<std::string> inactive;
    std::string cursor;
  };
  const auto whole = [](const std::string& member) {
    const Json state = Api("/api/v1/indicators/state", member);
    EXPECT_EQ(state["complete"], true);
    EXPECT_TRUE(state["active"].empty());
    Seen seen;
    for (const auto& item : state["inactive"]) seen.inactive.insert(item["id"]);
    seen.cursor = state["cursor"];
    return seen;
  };
  std::map<std::string, Seen> before;
  for (const auto& who : kPrincipals) before[who.id] = whole(who.id);
  // Applies the changes since each principal's cursor; returns the ids named.
  const auto catch_up = [&](const std::string& member) {
    const Json delta = Api("/api/v1/indicators/state?since=" + before[member].cursor, member);
    EXPECT_EQ(delta["complete"], false);
    std::set<std::string> named;
    for (const auto& id : delta["active"]) {
      before[member].inactive.erase(id);
      named.insert(id);
    }
    for (const auto& item : delta["inactive"]) {
      before[member].inactive.insert(item["id"]);
      named.insert(item["id"]);
    }
    before[member].cursor = delta["cursor"];
    return named;
  };
  const auto check_all = [&](const std::string& step) {
    std::map<std::string, std::set<std::string>> named;
    for (const auto& who : kPrincipals) {
      named[who.id] = catch_up(who.id);
      EXPECT_EQ(before[who.id].inactive, whole(who.id).inactive) << who.id << " after " << step;
    }
    return named;
  };

  // An address indicator whose valid_until passes two seconds from now, a
  // RED one for Odense only, and an expired one (45 days old).
  const Timestamp now = Timestamp::Now();
  Json soon = Indicator("delta-soon", "192.0.2.201", Tlp::kGreen, now.ToRfc3339());
  soon["valid_until"] = Timestamp(now.unix_ms() + 2000).ToRfc3339();
  Publish(kNational, soon, "aarhus");
  const Json red = Indicator("delta-red", "192.0.2.202", Tlp::kRed, now.ToRfc3339());
  Publish(kNational, red, "kbh");
  const Json old =
      Indicator("delta-old", "192.0.2.203", Tlp::kGreen, Timestamp(now.unix_ms() - 45LL * 86'400'000).ToRfc3339());
  Publish(kNational, old, "aarhus");
  auto named = check_all("publishing");
  EXPECT_EQ(named["frb"].count(soon["id"]), 1u);
  EXPECT_EQ(named["frb"].count(old["id"]), 1u);
  EXPECT_EQ(named["frb"].count(red["id"]), 0u) << "a RED indicator for Odense is not named to Frederiksberg";
  EXPECT_EQ(named["odense"].count(red["id"]), 1u);
  EXPECT_EQ(before["frb"].inactive.count(old["id"]), 1u);

  // Odense's sensor sights the expired one, marked AMBER+STRICT: it is
  // active again for Odense only, and nobody else hears of it.
  const std::string at = Timestamp::Now().ToRfc3339();
  const Json sighting = {{"type", "sighting"},
                         {"spec_version", "2.1"},
                         {"id", "sighting--" + Uuid::V4().ToString()},
                         {"created", at},
                         {"modified", at},
                         {"sighting_of_ref", old["id"]},
                         {"count", 1},
                         {"last_seen", at},
                         {"object_marking_refs", {std::string(TlpMarkingId(Tlp::kAmberStrict))}}};
  Publish(kNational, sighting, "odense-sensor");
  named = check_all("a private sighting");
  EXPECT_EQ(named["odense"].count(old["id"]), 1u);
  EXPECT_EQ(before["odense"].inactive.count(old["id"]), 0u);
  EXPECT_EQ(named["frb"].count(old["id"]), 0u) << "a sighting Frederiksberg may not see changes nothing it is told";
  EXPECT_EQ(before["frb"].inactive.count(old["id"]), 1u);

  // The clock alone: once valid_until has passed, the next answer names it.
  while (Timestamp::Now().unix_ms() <= now.unix_ms() + 2000) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  named = check_all("valid_until passing");
  EXPECT_EQ(named["frb"].count(soon["id"]), 1u);
  EXPECT_EQ(before["frb"].inactive.count(soon["id"]), 1u);

  // A report for itself and a verdict.
  auto report = PostJson("/api/v1/indicators/" + red["id"].get<std::string>() + "/false-positive",
                         {{"scope", "self"}, {"reason", "our own scanner"}}, "odense");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 201) << report->body;
  named = check_all("a report for itself");
  EXPECT_EQ(before["odense"].inactive.count(red["id"]), 1u);

  // Nothing changed: none of them is named again (a verdict given in the
  // last five minutes is named each time, whatever it concerns).
  named = check_all("nothing");
  for (const auto& who : kPrincipals) {
    for (const auto& id : {soon["id"], red["id"], old["id"]}) EXPECT_EQ(named[who.id].count(id), 0u) << who.id;
  }

  Api("/api/v1/indicators/state?since=yesterday", "kbh", 400);
  Api("/api/v1/indicators/state?since=1-2-3", "kbh", 400);
  Api("/api/v1/indicators/state?since=" + std::string(19, '9') + "-1", "kbh", 400);
}

TEST_F(Indicators, ListFiltersAndRefusesUnknownParameters) {
  Api("/api/v1/indicators?colour=red", "kbh", 400);
  Api("/api/v1/indicators?status=sleepy", "kbh", 400);
  Api("/api/v1/indicators?limit=0", "kbh", 400);
  const Json expired = Api("/api/v1/indicators?status=expired&limit=1000", "kbh");
  ASSERT_TRUE(expired["items"].is_array());
  for (const auto& item : expired["items"]) EXPECT_EQ(item["status"], "expired");
  auto anonymous = test::HubClient(port_).Get("/api/v1/indicators");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

}  // namespace
}  // namespace dv
