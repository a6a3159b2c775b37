// SPDX-License-Identifier: Apache-2.0
// Integrity attacks by a hostile member, over real HTTP against a hub on
// loopback (docs/security.md, "Integrity"; docs/stix.md, "Ownership",
// "Markings", "Posting rules"): versioning, revoking or deleting another
// organisation's object, publishing as another organisation, forged
// sightings, a TLP:RED id in upper case, and deeply nested JSON bodies. Each
// test checks what the victim relies on: its object, as a third member is
// served it, is unchanged, and the hub still answers.

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>
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
const std::string kNational = "8e1b0f4e-2a47-4c6f-8a53-000000000001";
const std::string kUpperRed = "marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1";
const std::string kStatement = "marking-definition--70d034e6-3d0c-479b-877f-8bba8486dd86";

// Principals: København (the victim, 0101), Aarhus (the attacker, 0751),
// Odense (a third member, 0461), their sensors, and the national coordinator.
const std::vector<std::tuple<std::string, std::string, MemberRole>> kMembers = {
    {"kbh", "0101", MemberRole::kMember},           {"aarhus", "0751", MemberRole::kMember},
    {"odense", "0461", MemberRole::kMember},        {"kbh-sensor", "0101", MemberRole::kSensor},
    {"odense-sensor", "0461", MemberRole::kSensor}, {"cfcs", "CFCS", MemberRole::kCoordinator},
};

std::string Id(const std::string& type, const std::string& key) {
  return type + "--" + Uuid::V5(DannevirkeNamespace(), "integrity-test:" + key).ToString();
}

Json Indicator(const std::string& key, const std::string& address, const std::string& modified, Tlp tlp = Tlp::kGreen) {
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", Id("indicator", key)},
          {"created", "2026-01-01T00:00:00.000Z"},
          {"modified", modified},
          {"name", "Bad address " + address},
          {"pattern", "[ipv4-addr:value = '" + address + "']"},
          {"pattern_type", "stix"},
          {"valid_from", "2026-01-01T00:00:00Z"},
          {"object_marking_refs", {std::string(TlpMarkingId(tlp))}}};
}

Json Sighting(const std::string& indicator_id, const std::string& at) {
  return {{"type", "sighting"}, {"spec_version", "2.1"}, {"id", "sighting--" + Uuid::V4().ToString()},
          {"created", at},      {"modified", at},        {"sighting_of_ref", indicator_id},
          {"count", 1},         {"first_seen", at},      {"last_seen", at}};
}

std::string OrgIdentity(const std::string& code) {
  Organisation org;
  org.code = code;
  return org.StixId();
}

class Integrity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("integrity");
    store_ = &hub_->store();
    Collection national;
    national.id = kNational;
    national.title = "National";
    national.default_tlp = Tlp::kGreen;
    ASSERT_TRUE(store_->UpsertCollection(national, "test").ok());
    for (const auto& [id, org, role] : kMembers) hub_->AddMember(id, org, role);
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  static httplib::Headers Auth(const std::string& member, const char* accept) {
    return test::BearerHeaders(tokens_[member], accept);
  }
  static httplib::Result Get(const std::string& path, const std::string& member, const char* accept = kTaxii) {
    return test::HubClient(port_).Get(path, Auth(member, accept));
  }
  static httplib::Result Delete(const std::string& path, const std::string& member) {
    return test::HubClient(port_).Delete(path, Auth(member, kTaxii));
  }
  static std::string Objects() { return std::string(kRoot) + "collections/" + kNational + "/objects/"; }
  static std::string ObjectUrl(const std::string& id) { return Objects() + id + "/"; }

  // Posts an envelope; returns the status resource after checking that its counts add up.
  static Json Post(const std::vector<Json>& objects, const std::string& member) {
    Json list = Json::array();
    for (const auto& object : objects) list.push_back(object);
    auto res = test::HubClient(port_).Post(Objects(), Auth(member, kTaxii), Json{{"objects", list}}.dump(), kTaxii);
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, 202) << res->body;
    const Json status = Json::parse(res->body);
    EXPECT_EQ(
        status["total_count"].get<int>(),
        status["success_count"].get<int>() + status["failure_count"].get<int>() + status["pending_count"].get<int>())
        << status;
    EXPECT_EQ(status["total_count"].get<std::size_t>(), objects.size());
    return status;
  }
  // The failure messages of a status resource, joined.
  static std::string Failures(const Json& status) {
    std::string text;
    for (const auto& failure : status.value("failures", Json::array()))
      text += failure["message"].get<std::string>() + "\n";
    return text;
  }
  // Every version of `id` as a member is served it, oldest first.
  static std::vector<Json> Versions(const std::string& id, const std::string& member) {
    auto res = Get(Objects() + "?match[id]=" + id + "&match[version]=all", member);
    EXPECT_TRUE(res);
    if (!res || res->status != 200) return {};
    const Json envelope = Json::parse(res->body);
    std::vector<Json> out;
    for (const auto& object : envelope.value("objects", Json::array())) out.push_back(object);
    return out;
  }
  static Json Api(const std::string& path, const std::string& member, int expected_status = 200) {
    auto res = Get(path, member, "application/json");
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    return Json::parse(res->body, nullptr, false);
  }
  static int Audited(const std::string& actor, const std::string& action, const std::string& object) {
    auto audit = store_->ListAudit(1000);
    EXPECT_TRUE(audit.ok());
    int count = 0;
    for (const auto& entry : *audit) {
      count += entry.actor == actor && entry.action == action && entry.object == object ? 1 : 0;
    }
    return count;
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline Store* store_ = nullptr;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(Integrity, AnotherOrganisationCannotVersionOrRevokeAnObject) {
  const Json original = Indicator("victim", "198.51.100.10", "2026-02-01T00:00:00.000Z");
  const std::string id = original["id"];
  ASSERT_EQ(Post({original}, "kbh")["success_count"], 1);

  // A newer version with another pattern, beside a legitimate object of the attacker's own.
  Json hijack = original;
  hijack["modified"] = "2026-03-01T00:00:00.000Z";
  hijack["pattern"] = "[ipv4-addr:value = '10.0.0.1']";
  const Json own = Indicator("attacker-own", "198.51.100.11", "2026-02-01T00:00:00.000Z");
  const Json status = Post({own, hijack}, "aarhus");
  EXPECT_EQ(status["success_count"], 1);
  EXPECT_EQ(status["failure_count"], 1);
  ASSERT_EQ(status["failures"].size(), 1U);
  EXPECT_EQ(status["failures"][0]["id"], id);
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find(id), std::string::npos);
  EXPECT_NE(status["failures"][0]["message"].get<std::string>().find("another organisation"), std::string::npos);

  // Revoking is a new version too.
  Json revoke = original;
  revoke["modified"] = "2026-03-02T00:00:00.000Z";
  revoke["revoked"] = true;
  EXPECT_EQ(Post({revoke}, "aarhus")["failure_count"], 1);

  // As a third member is served it: the victim's one version, unchanged.
  const auto versions = Versions(id, "odense");
  ASSERT_EQ(versions.size(), 1U);
  EXPECT_EQ(versions[0], original);
  const Json view = Api("/api/v1/indicators/" + id, "odense");
  EXPECT_EQ(view["producer"]["code"], "0101");
  EXPECT_EQ(view["revoked"], false);
  EXPECT_EQ(view["pattern"], original["pattern"]);

  // The producer itself, and a coordinator for the federation (audited), may add versions.
  Json newer = original;
  newer["modified"] = "2026-04-01T00:00:00.000Z";
  EXPECT_EQ(Post({newer}, "kbh")["success_count"], 1);
  Json by_coordinator = original;
  by_coordinator["modified"] = "2026-05-01T00:00:00.000Z";
  EXPECT_EQ(Post({by_coordinator}, "cfcs")["success_count"], 1);
  EXPECT_EQ(Audited("cfcs", "object.for_federation", id), 1);
  EXPECT_EQ(Api("/api/v1/indicators/" + id, "odense")["producer"]["code"], "0101")
      << "a coordinator's version does not make the coordinator the producer";
}

TEST_F(Integrity, DeleteRemovesOnlyTheCallersOwnVersions) {
  const Json original = Indicator("delete-victim", "198.51.100.20", "2026-02-01T00:00:00.000Z");
  const std::string id = original["id"];
  ASSERT_EQ(Post({original}, "kbh")["success_count"], 1);
  // The decoy version is refused, so the attacker has nothing of its own to delete.
  Json decoy = original;
  decoy["modified"] = "2026-03-01T00:00:00.000Z";
  EXPECT_EQ(Post({decoy}, "aarhus")["failure_count"], 1);
  auto refused = Delete(ObjectUrl(id), "aarhus");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(Versions(id, "odense").size(), 1U);

  // A decoy stored before ownership was enforced: deleting removes only the decoy.
  NewObject legacy;
  legacy.id = id;
  legacy.type = "indicator";
  legacy.spec_version = "2.1";
  legacy.version = "2026-03-01T00:00:00.000Z";
  legacy.tlp = Tlp::kGreen;
  legacy.json = decoy.dump();
  ASSERT_TRUE(store_->AddObjects(kNational, {legacy}, "0751", "aarhus").ok());
  ASSERT_EQ(Versions(id, "odense").size(), 2U);
  auto deleted = Delete(ObjectUrl(id), "aarhus");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200) << deleted->body;
  const auto remaining = Versions(id, "odense");
  ASSERT_EQ(remaining.size(), 1U);
  EXPECT_EQ(remaining[0], original);
}

TEST_F(Integrity, DeletingAnObjectTheCallerCannotSeeIs404AndChangesNothing) {
  const Json strict = Indicator("strict-victim", "198.51.100.30", "2026-02-01T00:00:00.000Z", Tlp::kAmberStrict);
  const std::string id = strict["id"];
  ASSERT_EQ(Post({strict}, "kbh")["success_count"], 1);
  auto refused = Delete(ObjectUrl(id), "aarhus");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 404);
  EXPECT_EQ(Versions(id, "kbh").size(), 1U);
  EXPECT_EQ(Audited("aarhus", "read.refused", id), 1);
}

TEST_F(Integrity, CreatedByRefMustBeThePostersOwnIdentity) {
  Json forged = Indicator("forged-creator", "198.51.100.40", "2026-02-01T00:00:00.000Z");
  forged["created_by_ref"] = OrgIdentity("0101");
  const Json status = Post({forged}, "aarhus");
  EXPECT_EQ(status["failure_count"], 1);
  EXPECT_NE(Failures(status).find("created_by_ref"), std::string::npos) << status;
  EXPECT_EQ(Versions(forged["id"], "odense").size(), 0U);

  Json honest = Indicator("honest-creator", "198.51.100.41", "2026-02-01T00:00:00.000Z");
  honest["created_by_ref"] = OrgIdentity("0751");
  EXPECT_EQ(Post({honest}, "aarhus")["success_count"], 1);
  // A coordinator publishes for the federation, audited.
  Json national = Indicator("national-creator", "198.51.100.42", "2026-02-01T00:00:00.000Z");
  national["created_by_ref"] = OrgIdentity("0101");
  EXPECT_EQ(Post({national}, "cfcs")["success_count"], 1);
  EXPECT_EQ(Audited("cfcs", "object.for_federation", national["id"]), 1);
}

TEST_F(Integrity, AMemberCannotSquatAnotherOrganisationsIdentity) {
  const Json squatted = {{"type", "identity"},
                         {"spec_version", "2.1"},
                         {"id", OrgIdentity("0101")},
                         {"created", "2026-02-01T00:00:00.000Z"},
                         {"modified", "2026-02-01T00:00:00.000Z"},
                         {"name", "Københavns Kommune (forged)"},
                         {"identity_class", "organization"}};
  const Json status = Post({squatted}, "aarhus");
  EXPECT_EQ(status["failure_count"], 1) << status;
  EXPECT_NE(Failures(status).find("identity of organisation '0101'"), std::string::npos) << status;
  EXPECT_EQ(Versions(squatted["id"], "odense").size(), 0U);
  // The organisation itself publishes its identity, and then owns it.
  Json own = squatted;
  own["name"] = "Københavns Kommune";
  EXPECT_EQ(Post({own}, "kbh")["success_count"], 1);
  Json later = squatted;
  later["modified"] = "2026-03-01T00:00:00.000Z";
  EXPECT_EQ(Post({later}, "aarhus")["failure_count"], 1);
}

TEST_F(Integrity, PublishingDetectionContentIsRateLimitedForMembers) {
  // 200 new regex patterns an hour from one member; the 201st is refused,
  // exact values and the coordinator's content are not limited.
  std::vector<Json> patterns;
  for (int idx = 0; idx <= 200; ++idx) {
    Json regex = Indicator("regex-" + std::to_string(idx), "198.51.100.1", "2026-02-01T00:00:00.000Z");
    regex["pattern"] = "[process:command_line MATCHES '^probe" + std::to_string(idx) + "']";
    patterns.push_back(regex);
  }
  const Json status = Post(patterns, "odense");
  EXPECT_EQ(status["success_count"], 200) << status["failures"];
  EXPECT_EQ(status["failure_count"], 1);
  EXPECT_NE(Failures(status).find("regex/substring patterns this hour"), std::string::npos) << status;
  EXPECT_EQ(
      Post({Indicator("exact-after-limit", "198.51.100.77", "2026-02-01T00:00:00.000Z")}, "odense")["success_count"],
      1);
  Json national = Indicator("coordinator-regex", "198.51.100.1", "2026-02-01T00:00:00.000Z");
  national["pattern"] = "[process:command_line MATCHES '^national']";
  EXPECT_EQ(Post({national}, "cfcs")["success_count"], 1);
}

TEST_F(Integrity, ForgedSightingsAreRefusedWithAReason) {
  const std::string indicator = Id("indicator", "sighted");
  const std::string now = Timestamp::Now().ToRfc3339();
  Json future = Sighting(indicator, now);
  future["last_seen"] = "2099-01-01T00:00:00.000Z";
  Json huge = Sighting(indicator, now);
  huge["count"] = 1'000'000'000'000LL;
  Json large = Sighting(indicator, now);
  large["count"] = 2'000'000;
  Json backwards = Sighting(indicator, now);
  backwards["first_seen"] = "2099-01-01T00:00:00.000Z";
  const Json status = Post({future, huge, large, backwards, Sighting(indicator, now)}, "odense-sensor");
  EXPECT_EQ(status["success_count"], 1);
  EXPECT_EQ(status["failure_count"], 4);
  const std::string failures = Failures(status);
  EXPECT_NE(failures.find("'last_seen': 2099-01-01T00:00:00.000Z lies in the future"), std::string::npos) << failures;
  EXPECT_NE(failures.find("'count'"), std::string::npos) << failures;
  EXPECT_NE(failures.find("is more than the hub accepts in one sighting (1000000)"), std::string::npos) << failures;
  EXPECT_NE(failures.find("first_seen"), std::string::npos) << failures;
}

TEST_F(Integrity, NewSightingsPerIndicatorAreCappedPerOrganisationAndHour) {
  const std::string indicator = Id("indicator", "flooded");
  const std::string now = Timestamp::Now().ToRfc3339();
  std::vector<Json> flood;
  for (int sighting_idx = 0; sighting_idx < 1001; ++sighting_idx) flood.push_back(Sighting(indicator, now));
  const Json status = Post(flood, "kbh-sensor");
  EXPECT_EQ(status["success_count"], 1000);
  EXPECT_EQ(status["failure_count"], 1);
  EXPECT_NE(Failures(status).find("new sightings of '" + indicator + "' this hour"), std::string::npos);
  // Another organisation has its own budget.
  EXPECT_EQ(Post({Sighting(indicator, now)}, "odense-sensor")["success_count"], 1);
}

TEST_F(Integrity, OnlySensorSightingsRaiseConfidence) {
  // An address indicator (30-day lifetime) valid from 45 days ago: expired.
  const std::string old = Timestamp(Timestamp::Now().unix_ms() - 45LL * 86'400'000).ToRfc3339();
  Json indicator = Indicator("decayed", "192.0.2.45", old);
  indicator["created"] = old;
  indicator["valid_from"] = old;
  indicator["confidence"] = 80;
  const std::string id = indicator["id"];
  ASSERT_EQ(Post({indicator}, "kbh")["success_count"], 1);
  EXPECT_EQ(Api("/api/v1/indicators/" + id, "odense")["status"], "expired");

  const std::string now = Timestamp::Now().ToRfc3339();
  ASSERT_EQ(Post({Sighting(id, now)}, "odense")["success_count"], 1);
  const Json after_person = Api("/api/v1/indicators/" + id, "odense");
  EXPECT_EQ(after_person["status"], "expired") << "a person's sighting is no measured evidence";
  EXPECT_EQ(after_person["sightings"]["objects"], 1) << "but it is shown";
  ASSERT_EQ(after_person["sightings"]["visible"].size(), 1U);
  EXPECT_EQ(after_person["sightings"]["visible"][0]["measured"], false);

  ASSERT_EQ(Post({Sighting(id, now)}, "odense-sensor")["success_count"], 1);
  const Json after_sensor = Api("/api/v1/indicators/" + id, "odense");
  EXPECT_EQ(after_sensor["status"], "active");
  EXPECT_GT(after_sensor["confidence"]["current"].get<double>(), 79.0);
}

TEST_F(Integrity, AnUpperCaseRedMarkingIsNeverServedOutsideRedsAudience) {
  Json red = Indicator("upper-red", "198.51.100.50", "2026-02-01T00:00:00.000Z");
  red["object_marking_refs"] = {kUpperRed};
  // Recognised as RED: without recipients it is refused, not shared as the collection's GREEN.
  const Json refused = Post({red}, "kbh");
  EXPECT_EQ(refused["failure_count"], 1);
  EXPECT_NE(Failures(refused).find("TLP:RED"), std::string::npos) << refused;
  red["x_dannevirke_recipients"] = {"0461"};
  ASSERT_EQ(Post({red}, "kbh")["success_count"], 1);
  const std::string id = red["id"];

  EXPECT_EQ(Get(ObjectUrl(id), "odense")->status, 200) << "the named recipient reads it";
  for (const std::string member : {"aarhus", "cfcs"}) {
    EXPECT_EQ(Get(ObjectUrl(id), member)->status, 404) << member;
    EXPECT_EQ(Get(ObjectUrl(id) + "versions/", member)->status, 404) << member;
    EXPECT_EQ(Get(Objects() + "?limit=1000", member)->body.find(id), std::string::npos) << member;
    EXPECT_EQ(Get(std::string(kRoot) + "collections/" + kNational + "/manifest/?limit=1000", member)->body.find(id),
              std::string::npos)
        << member;
    Api("/api/v1/indicators/" + id, member, 404);
  }
  // The refused reads are audited, once per member and object per minute.
  EXPECT_EQ(Audited("aarhus", "read.refused", id), 1);
  EXPECT_EQ(Audited("member:aarhus", "read.refused", id), 1);

  // A marking the hub does not know is RED too, and the refusal names it.
  Json statement = Indicator("statement-marked", "198.51.100.51", "2026-02-01T00:00:00.000Z");
  statement["object_marking_refs"] = {kStatement};
  const Json unknown = Post({statement}, "kbh");
  EXPECT_EQ(unknown["failure_count"], 1);
  EXPECT_NE(Failures(unknown).find(kStatement), std::string::npos) << unknown;
}

TEST_F(Integrity, ARowStoredBeforeMarkingsFailedClosedIsServedAsRed) {
  // What an older hub stored for an upper-case RED id: no TLP, so the collection's GREEN.
  Json red = Indicator("legacy-red", "198.51.100.60", "2026-02-01T00:00:00.000Z");
  red["object_marking_refs"] = {kUpperRed};
  NewObject legacy;
  legacy.id = red["id"];
  legacy.type = "indicator";
  legacy.spec_version = "2.1";
  legacy.version = "2026-02-01T00:00:00.000Z";
  legacy.json = red.dump();
  ASSERT_TRUE(store_->AddObjects(kNational, {legacy}, "0101", "kbh").ok());
  EXPECT_EQ(Get(ObjectUrl(legacy.id), "kbh")->status, 200);
  EXPECT_EQ(Get(ObjectUrl(legacy.id), "aarhus")->status, 404);
  EXPECT_EQ(Get(Objects() + "?limit=1000", "odense")->body.find(legacy.id), std::string::npos);
}

TEST_F(Integrity, OnlyTheFirstPostersOrganisationGivesTheVerdict) {
  Json original = Indicator("verdict-victim", "198.51.100.70", "2026-02-01T00:00:00.000Z");
  original["valid_from"] = Timestamp::Now().ToRfc3339();  // active, so that the verdict is what changes it
  const std::string id = original["id"];
  ASSERT_EQ(Post({original}, "kbh")["success_count"], 1);
  // A newer version by another organisation, stored before ownership was enforced.
  Json hijack = original;
  hijack["modified"] = "2026-03-01T00:00:00.000Z";
  NewObject legacy;
  legacy.id = id;
  legacy.type = "indicator";
  legacy.spec_version = "2.1";
  legacy.version = "2026-03-01T00:00:00.000Z";
  legacy.tlp = Tlp::kGreen;
  legacy.json = hijack.dump();
  ASSERT_TRUE(store_->AddObjects(kNational, {legacy}, "0751", "aarhus").ok());
  EXPECT_EQ(Api("/api/v1/indicators/" + id, "odense")["producer"]["code"], "0101");

  test::HubClient client(port_);
  auto post = [&](const std::string& path, const Json& body, const std::string& member) {
    return client.Post(path, test::BearerHeaders(tokens_[member]), body.dump());
  };
  const std::string path = "/api/v1/indicators/" + id;
  auto proposal = post(path + "/false-positive", {{"scope", "all"}, {"reason", "harmless"}}, "aarhus");
  ASSERT_TRUE(proposal);
  ASSERT_EQ(proposal->status, 201) << proposal->body;
  auto usurped = post(path + "/verdict", {{"reason", "mine now"}}, "aarhus");
  ASSERT_TRUE(usurped);
  EXPECT_EQ(usurped->status, 403);
  EXPECT_EQ(Api(path, "odense")["status"], "active");
  auto accepted = post(path + "/verdict", {{"reason", "agreed"}}, "kbh");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 201) << accepted->body;
  EXPECT_EQ(Api(path, "odense")["status"], "false_positive");
}

// ~180 KB bodies nested far beyond the limit, in both shapes, and a valid
// envelope around a deep object.
std::vector<std::pair<std::string, std::string>> DeepBodies() {
  constexpr std::size_t kBrackets = 90'000;
  constexpr std::size_t kObjects = 30'000;
  std::string objects;
  objects.reserve(kObjects * 6 + 2);
  for (std::size_t level = 0; level < kObjects; ++level) objects += "{\"a\":";
  objects += "1" + std::string(kObjects, '}');
  return {{"arrays", std::string(kBrackets, '[') + std::string(kBrackets, ']')},
          {"objects", objects},
          {"envelope", "{\"objects\":[" + objects + "]}"}};
}

TEST_F(Integrity, DeeplyNestedTaxiiBodiesAreRefusedAndTheHubStaysUp) {
  test::HubClient client(port_);
  for (const auto& [shape, body] : DeepBodies()) {
    auto res = client.Post(Objects(), Auth("odense-sensor", kTaxii), body, kTaxii);
    ASSERT_TRUE(res) << shape << ": the hub did not answer";
    EXPECT_EQ(res->status, 400) << shape << ": " << res->body.substr(0, 300);
    EXPECT_NE(res->body.find("nested deeper than"), std::string::npos) << shape << ": " << res->body.substr(0, 300);
  }
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(Integrity, DeeplyNestedRestBodiesAreRefusedOnEveryJsonWriteRoute) {
  // Every POST/PUT route with a JSON body in the OpenAPI fragments (src/hub/modules/*/*.openapi.json), with the
  // principal that may write it, so the body is what gets judged.
  // A real incident of the writer's, so that its routes get as far as the body.
  test::HubClient creator(port_);
  auto created = creator.Post("/api/v1/incidents", test::BearerHeaders(tokens_["kbh"]),
                              Json{{"title", "Deep bodies"},
                                   {"description", "Target for the nesting test."},
                                   {"became_aware_at", Timestamp(Timestamp::Now().unix_ms() - 3'600'000).ToRfc3339()},
                                   {"suspected_malicious", true},
                                   {"affected_services", {"ESDH"}}}
                                  .dump());
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string incident = Json::parse(created->body)["id"];
  const std::string indicator = Id("indicator", "deep-target");
  ASSERT_EQ(Post({Indicator("deep-target", "198.51.100.80", "2026-02-01T00:00:00.000Z")}, "kbh")["success_count"], 1);
  const std::vector<std::tuple<std::string, std::string, std::string>> routes = {
      {"POST", "/api/v1/baseline/catalogue/oscal", "cfcs"},
      {"PUT", "/api/v1/baseline/members/0101/requirements/DV-LOG-03", "kbh"},
      {"POST", "/api/v1/baseline/members/0101/import", "kbh"},
      {"POST", "/api/v1/incidents", "kbh"},
      {"PUT", "/api/v1/incidents/" + incident, "kbh"},
      {"POST", "/api/v1/incidents/" + incident + "/reports/early_warning", "kbh"},
      {"POST", "/api/v1/incidents/" + incident + "/share", "kbh"},
      {"POST", "/api/v1/guidance", "cfcs"},
      {"PUT", "/api/v1/competences/0101", "kbh"},
      {"POST", "/api/v1/indicators/" + indicator + "/false-positive", "odense"},
      {"POST", "/api/v1/indicators/" + indicator + "/verdict", "kbh"},
      {"POST", "/api/v1/graph/edges", "cfcs"},
      {"PUT", "/api/v1/graph/edges", "cfcs"},
      {"POST", "/api/v1/graph/import?format=json", "cfcs"},
      {"POST", "/api/v1/risk/plan", "kbh"},
      {"PUT", "/api/v1/assets/0101", "kbh"},
      {"POST", "/api/v1/assets/0101/import?format=json", "kbh"},
      {"POST", "/api/v1/vulnerabilities/feeds/nvd", "cfcs"},
      {"PUT", "/api/v1/exposure/members/0101/decisions", "kbh"},
  };
  test::HubClient client(port_);
  for (const auto& [shape, body] : DeepBodies()) {
    for (const auto& [method, path, member] : routes) {
      auto res = client.Send(method, path, test::BearerHeaders(tokens_[member]), body);
      ASSERT_TRUE(res) << method << " " << path << " (" << shape << "): the hub did not answer";
      EXPECT_EQ(res->status, 400) << method << " " << path << " (" << shape << "): " << res->body.substr(0, 300);
      EXPECT_NE(res->body.find("nested deeper than"), std::string::npos)
          << method << " " << path << " (" << shape << "): " << res->body.substr(0, 300);
    }
  }
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace dv
