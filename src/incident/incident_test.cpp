// SPDX-License-Identifier: Apache-2.0
#include "incident/incident.h"

#include <gtest/gtest.h>

namespace dv::incident {
namespace {

using Json = nlohmann::json;

const Timestamp kNow = Timestamp::FromCivil(2026, 5, 1, 12);

Json Minimal() {
  return {{"title", "Ransomware on file servers"},
          {"description", "Encrypted shares found at 07:10."},
          {"became_aware_at", "2026-04-30T07:10:00+02:00"}};
}

std::string ErrorOf(const Json& json) {
  auto parsed = IncidentFromJson(json, kNow);
  return parsed.ok() ? "" : parsed.error().message();
}

TEST(IncidentTest, MinimalIncidentIsOpenWithAmberSharing) {
  auto parsed = IncidentFromJson(Minimal(), kNow);
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(parsed->status, IncidentStatus::kOpen);
  EXPECT_EQ(parsed->share_tlp, Tlp::kAmber);
  EXPECT_EQ(parsed->became_aware_at, Timestamp::FromCivil(2026, 4, 30, 5, 10));
  EXPECT_EQ(parsed->Start(), parsed->became_aware_at);
}

TEST(IncidentTest, RoundTripsThroughJson) {
  Json full = Minimal();
  full["started_at"] = "2026-04-29T22:00:00Z";
  full["affected_services"] = {"Borgerservice", "ESDH"};
  full["citizens_affected"] = {{"count", 1200}, {"estimate", true}};
  full["suspected_malicious"] = true;
  full["cross_member_impact"] = true;
  full["indicators"] = {"indicator--0b5c1a8e-4a8e-4f54-9d5b-6a2f3c6e1d11"};
  full["new_indicators"] = {{{"name", "C2"}, {"pattern", "[ipv4-addr:value = '198.51.100.7']"}}};
  full["suspected_via"] = {"KMD"};
  full["share_tlp"] = "green";
  auto parsed = IncidentFromJson(full, kNow);
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  auto again = IncidentFromJson(IncidentToJson(*parsed), kNow);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(IncidentToJson(*again), IncidentToJson(*parsed));
  EXPECT_EQ(again->citizens_affected->count, 1200);
  EXPECT_EQ(again->share_tlp, Tlp::kGreen);
}

TEST(IncidentTest, ServerFieldsAreIgnoredSoAReadIncidentCanBeSentBack) {
  Json read = Minimal();
  read["id"] = "5f1c…";
  read["version"] = 3;
  read["clock"] = Json::array();
  EXPECT_EQ(ErrorOf(read), "");
}

TEST(IncidentTest, ErrorsNameTheField) {
  Json json = Minimal();
  json.erase("title");
  EXPECT_EQ(ErrorOf(json), "field 'title': is required");
  json = Minimal();
  json["became_aware_at"] = "yesterday";
  EXPECT_NE(ErrorOf(json).find("field 'became_aware_at': must be an RFC 3339 time"), std::string::npos);
  json = Minimal();
  json["became_aware_at"] = "2026-05-02T12:00:00Z";
  EXPECT_EQ(ErrorOf(json), "field 'became_aware_at': lies in the future");
  json = Minimal();
  json["started_at"] = "2026-04-30T06:00:00Z";
  EXPECT_EQ(ErrorOf(json), "field 'started_at': must not be after became_aware_at");
  json = Minimal();
  json["citizens_affected"] = {{"count", -1}};
  EXPECT_EQ(ErrorOf(json), "field 'citizens_affected.count': must be between 0 and 10000000");
  json = Minimal();
  json["indicators"] = {"indicator--nope"};
  EXPECT_NE(ErrorOf(json).find("field 'indicators[0]'"), std::string::npos);
  json = Minimal();
  json["status"] = "handled";
  EXPECT_EQ(ErrorOf(json), "field 'handled_at': is required when status is handled");
  json = Minimal();
  json["suspected_malicious"] = "yes";
  EXPECT_EQ(ErrorOf(json), "field 'suspected_malicious': must be true or false");
  json = Minimal();
  json["titel"] = "typo";
  EXPECT_NE(ErrorOf(json).find("field 'titel': is not a known field"), std::string::npos);
  json = Minimal();
  json["suspected_via"] = {"not a code"};
  EXPECT_NE(ErrorOf(json).find("field 'suspected_via[0]'"), std::string::npos);
  json = Minimal();
  json["new_indicators"] = {{{"name", "x"}}};
  EXPECT_EQ(ErrorOf(json), "field 'new_indicators[0].pattern': is required");
  json = Minimal();
  json["share_tlp"] = "purple";
  EXPECT_NE(ErrorOf(json).find("field 'share_tlp'"), std::string::npos);
}

TEST(IncidentTest, StixIdsNeedTheRightTypeAndAUuid) {
  EXPECT_TRUE(IsStixId("indicator--0b5c1a8e-4a8e-4f54-9d5b-6a2f3c6e1d11", "indicator"));
  EXPECT_FALSE(IsStixId("sighting--0b5c1a8e-4a8e-4f54-9d5b-6a2f3c6e1d11", "indicator"));
  EXPECT_FALSE(IsStixId("indicator--0b5c1a8e-4a8e-4f54-9d5b-6a2f3c6e1d1x", "indicator"));
}

}  // namespace
}  // namespace dv::incident
