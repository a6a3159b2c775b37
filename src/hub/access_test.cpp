// SPDX-License-Identifier: Apache-2.0
// The TLP 2.0 matrix: every kind of member against every marking, in a
// national and a regional collection.

#include "hub/access.h"

#include <gtest/gtest.h>

namespace dv::hub {
namespace {

Organisation Org(std::string code, std::string region, OrgKind kind = OrgKind::kMunicipality) {
  Organisation org;
  org.code = std::move(code);
  org.name = org.code;
  org.kind = kind;
  if (!region.empty()) org.region_code = std::move(region);
  return org;
}

Principal As(const Organisation& org, MemberRole role = MemberRole::kMember) {
  return {Member{"m-" + org.code, org.code, "M", role}, org};
}

StoredObject Object(std::optional<Tlp> tlp, std::string producer, std::vector<std::string> recipients = {}) {
  StoredObject object;
  object.id = "indicator--x";
  object.tlp = tlp;
  object.producer_org = std::move(producer);
  object.recipients = std::move(recipients);
  return object;
}

const Organisation kProducer = Org("0101", "1084");   // København, Hovedstaden
const Organisation kNeighbour = Org("0147", "1084");  // Frederiksberg, same region
const Organisation kFar = Org("0751", "1082");        // Aarhus, another region
const Organisation kRecipient = Org("0461", "1083");  // Odense, named for RED
const Organisation kNational = Org("CFCS", "", OrgKind::kStateBody);

struct Row {
  const char* who;
  Principal principal;
  // Expected visibility for CLEAR, GREEN, AMBER, AMBER+STRICT, RED, unmarked (collection default AMBER).
  std::array<bool, 6> national;
  std::array<bool, 6> regional;
};

TEST(AccessMatrix, EveryMemberKindAgainstEveryMarking) {
  Collection national;
  national.id = "national";
  national.audience = AudienceKind::kNational;
  Collection regional;
  regional.id = "hovedstaden";
  regional.audience = AudienceKind::kRegion;
  regional.audience_value = "1084";
  const std::vector<Row> rows = {
      {"the producer's organisation", As(kProducer), {1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}},
      {"a member in the same region", As(kNeighbour), {1, 1, 1, 0, 0, 1}, {1, 1, 1, 0, 0, 1}},
      {"a member in another region", As(kFar), {1, 1, 1, 0, 0, 1}, {0, 0, 0, 0, 0, 0}},
      {"a named RED recipient", As(kRecipient), {1, 1, 1, 0, 1, 1}, {0, 0, 0, 0, 0, 0}},
      {"a national coordinator", As(kNational, MemberRole::kCoordinator), {1, 1, 1, 0, 0, 1}, {1, 1, 0, 0, 0, 0}},
      {"an administrator", As(kFar, MemberRole::kAdmin), {1, 1, 1, 0, 0, 1}, {1, 1, 0, 0, 0, 0}},
      {"a sensor of another region", As(kFar, MemberRole::kSensor), {1, 1, 1, 0, 0, 1}, {0, 0, 0, 0, 0, 0}},
  };
  const std::array<std::optional<Tlp>, 6> markings = {Tlp::kClear,       Tlp::kGreen, Tlp::kAmber,
                                                      Tlp::kAmberStrict, Tlp::kRed,   std::nullopt};
  int checked = 0;
  for (const auto& row : rows) {
    for (std::size_t marking_idx = 0; marking_idx < markings.size(); ++marking_idx) {
      const StoredObject object = Object(markings[marking_idx], kProducer.code, {kRecipient.code});
      const char* marking = markings[marking_idx] ? TlpName(*markings[marking_idx]).data() : "unmarked";
      EXPECT_EQ(CanSeeObject(row.principal, national, object), row.national[marking_idx])
          << row.who << ", " << marking << ", national collection";
      EXPECT_EQ(CanSeeObject(row.principal, regional, object), row.regional[marking_idx])
          << row.who << ", " << marking << ", regional collection";
      checked += 2;
    }
  }
  EXPECT_EQ(checked, 84);
}

TEST(Access, AudiencesAndWriting) {
  Collection sector;
  sector.audience = AudienceKind::kSector;
  sector.audience_value = "utility";
  EXPECT_TRUE(InAudience(sector, Org("HOFOR", "1084", OrgKind::kUtility)));
  EXPECT_FALSE(InAudience(sector, kProducer));
  Collection group;
  group.audience = AudienceKind::kGroup;
  group.group_orgs = {"0101", "0751"};
  EXPECT_TRUE(CanWriteCollection(As(kFar), group));
  EXPECT_FALSE(CanWriteCollection(As(kNeighbour), group));
  EXPECT_FALSE(CanWriteCollection(As(kNational, MemberRole::kCoordinator), group));
  EXPECT_TRUE(CanReadCollection(As(kNational, MemberRole::kCoordinator), group));
  Collection region;
  region.audience = AudienceKind::kRegion;
  region.audience_value = "1084";
  EXPECT_TRUE(InAudience(region, Org("1084", "1084", OrgKind::kRegion)));
}

TEST(Access, OnlyTheProducerDeletes) {
  EXPECT_TRUE(CanDeleteObject(As(kProducer), Object(Tlp::kGreen, "0101")));
  EXPECT_FALSE(CanDeleteObject(As(kNeighbour), Object(Tlp::kGreen, "0101")));
  EXPECT_TRUE(CanDeleteObject(As(kFar, MemberRole::kAdmin), Object(Tlp::kGreen, "0101")));
}

TEST(Access, CoordinatorsDeleteForTheFederation) {
  EXPECT_TRUE(CanDeleteObject(As(kNational, MemberRole::kCoordinator), Object(Tlp::kGreen, "0101")));
  EXPECT_FALSE(CanDeleteObject(As(kProducer, MemberRole::kSensor), Object(Tlp::kGreen, "0751")));
}

TEST(Access, OnlyTheProducerOrACoordinatorAddsVersions) {
  EXPECT_TRUE(CanVersionObject(As(kNeighbour), std::nullopt));  // a new object: the poster becomes its producer
  EXPECT_TRUE(CanVersionObject(As(kProducer), std::string("0101")));
  EXPECT_TRUE(CanVersionObject(As(kProducer, MemberRole::kSensor), std::string("0101")));
  EXPECT_FALSE(CanVersionObject(As(kNeighbour), std::string("0101")));
  EXPECT_FALSE(CanVersionObject(As(kRecipient), std::string("0101")));
  EXPECT_TRUE(CanVersionObject(As(kNational, MemberRole::kCoordinator), std::string("0101")));
  EXPECT_TRUE(CanVersionObject(As(kFar, MemberRole::kAdmin), std::string("0101")));
}

TEST(Access, UnknownMarkingsFailClosed) {
  Collection national;
  national.id = "national";
  national.default_tlp = Tlp::kGreen;
  // A row stored before intake applied GoverningTlp: no TLP, an upper-case RED id in its text.
  StoredObject legacy = Object(std::nullopt, "0101");
  legacy.json =
      R"({"type":"indicator","object_marking_refs":["marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1"]})";
  EXPECT_EQ(EffectiveTlp(national, legacy), Tlp::kRed);
  EXPECT_FALSE(CanSeeObject(As(kFar), national, legacy));
  EXPECT_TRUE(CanSeeObject(As(kProducer), national, legacy));
  legacy.json = R"({"type":"indicator","granular_markings":[{"marking_ref":"marking-definition--)"
                R"(70d034e6-3d0c-479b-877f-8bba8486dd86","selectors":["name"]}]})";
  EXPECT_EQ(EffectiveTlp(national, legacy), Tlp::kRed);
  legacy.json = R"({"type":"indicator","object_marking_refs":"not a list"})";
  EXPECT_EQ(EffectiveTlp(national, legacy), Tlp::kRed);
  // Unmarked objects still take the collection's default.
  legacy.json = R"({"type":"indicator","name":"unmarked"})";
  EXPECT_EQ(EffectiveTlp(national, legacy), Tlp::kGreen);
}

}  // namespace
}  // namespace dv::hub
