// SPDX-License-Identifier: Apache-2.0
// An incident and its breach record (GDPR Art. 33) hold what a member knows
// about an attack on it and, often, personal data. The attacker here holds a
// token that is not a person's: the member's own sensor's (sensors run on
// exposed machines and their tokens are the likeliest to be stolen), or
// another member's. What the member relies on: every route of an incident —
// the incident, the list and timeline, the breach record, the receipts, the
// dependants and the service notices — answers those tokens 403 with nothing
// of the incident in the answer, while the member's people and the
// coordinator read it.

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/time.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;

constexpr char kSecretTitle[] = "Borgerdata i sagssystemet lækket";
constexpr char kSecretNature[] = "CPR-numre for 1200 borgere";

TEST(IncidentAccess, OnlyTheMembersPeopleAndTheCoordinatorReadAnIncidentAndItsBreachRecord) {
  test::TestHub hub("incident-access");
  hub.AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
  hub.AddMember("kbh", "0101", MemberRole::kMember);
  hub.AddMember("kbh-sensor", "0101", MemberRole::kSensor);
  hub.AddMember("aarhus", "0751", MemberRole::kMember);
  hub.Start();
  auto call = [&](const std::string& method, const std::string& path, const std::string& who,
                  const Json& body = nullptr) {
    return test::HubClient(hub.port())
        .Send(method, path, test::BearerHeaders(hub.tokens().at(who)), body.is_null() ? "" : body.dump(),
              test::kJsonType);
  };
  const std::string aware = Timestamp(Timestamp::Now().unix_ms() - 3'600'000).ToRfc3339();
  auto created = call("POST", "/api/v1/incidents", "kbh",
                      {{"title", kSecretTitle},
                       {"description", "Adgang til sagssystemet fra en ukendt adresse."},
                       {"became_aware_at", aware},
                       {"suspected_malicious", true},
                       {"affected_services", {"ESDH"}}});
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = Json::parse(created->body)["id"];
  const std::string base = "/api/v1/incidents/" + id;
  auto breach =
      call("PUT", base + "/gdpr", "kbh",
           {{"became_aware_at", aware}, {"notification", {{"nature", kSecretNature}, {"approximate_subjects", 1200}}}});
  ASSERT_TRUE(breach);
  ASSERT_EQ(breach->status, 200) << breach->body;

  const std::vector<std::string> reads = {base,
                                          base + "/gdpr",
                                          base + "/receipts",
                                          base + "/dependants",
                                          base + "/service-notices",
                                          "/api/v1/incidents",
                                          "/api/v1/incidents/timeline"};
  int asked = 0;
  for (const std::string& path : reads) {
    for (const std::string who : {"kbh-sensor", "aarhus"}) {
      auto res = call("GET", path, who);
      ASSERT_TRUE(res) << path << " as " << who;
      ++asked;
      if (path == "/api/v1/incidents" || path == "/api/v1/incidents/timeline") {
        // Another member lists its own incidents (none); a sensor lists none at all.
        if (who == "aarhus") {
          EXPECT_EQ(res->status, 200) << path << " as " << who << ": " << res->body.substr(0, 300);
        } else {
          EXPECT_EQ(res->status, 403) << path << " as " << who << ": " << res->body.substr(0, 300);
        }
      } else {
        EXPECT_EQ(res->status, 403) << path << " as " << who << ": " << res->body.substr(0, 300);
      }
      EXPECT_EQ(res->body.find(kSecretTitle), std::string::npos) << path << " as " << who;
      EXPECT_EQ(res->body.find(kSecretNature), std::string::npos) << path << " as " << who;
    }
    for (const std::string who : {"kbh", "cfcs"}) {
      auto res = call("GET", path, who);
      ASSERT_TRUE(res) << path << " as " << who;
      // The coordinator reads every route; the member's own people too.
      EXPECT_EQ(res->status, 200) << path << " as " << who << ": " << res->body.substr(0, 300);
    }
  }
  EXPECT_EQ(asked, 14);
  // Nor may a sensor write: a breach record, a receipt, a service notice.
  for (const auto& [path, body] : std::vector<std::pair<std::string, Json>>{
           {base + "/gdpr", {{"became_aware_at", aware}}},
           {base + "/receipts/gdpr", {{"receipt", "DT-1"}, {"submitted_at", aware}}}}) {
    auto res = call("PUT", path, "kbh-sensor", body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << path << ": " << res->body.substr(0, 300);
  }
  auto notice = call("POST", base + "/service-notices", "kbh-sensor", {{"text", "x"}});
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->status, 403) << notice->body.substr(0, 300);
  // The breach record is as the member wrote it.
  auto kept = call("GET", base + "/gdpr", "kbh");
  ASSERT_TRUE(kept);
  EXPECT_NE(kept->body.find(kSecretNature), std::string::npos);
}

}  // namespace
}  // namespace dv
