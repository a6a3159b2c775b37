// SPDX-License-Identifier: Apache-2.0
// The hub and the sensor derive an object's TLP the same way. Every
// combination of an object-level and a granular marking (none, each TLP 2.0
// id, each TLP 1.0 id, an upper-case id, a marking that is not TLP) goes
// through the hub's intake, the hub's access rule for rows stored without a
// TLP, and the sensor's indicator loader; all three must agree with each
// other and with the conservative maximum (unknown markings count as RED).

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/tlp.h"
#include "detect/indicators/indicator.h"
#include "hub/access.h"
#include "hub/stix_intake.h"

namespace dv::hub {
namespace {

struct Marking {
  std::string name;               // for failure messages
  std::optional<std::string> id;  // nullopt: no marking in this place
  std::optional<Tlp> expected;    // what this marking alone governs
};

std::vector<Marking> AllMarkings() {
  std::vector<Marking> markings = {{"none", std::nullopt, std::nullopt}};
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    markings.push_back({std::string(TlpName(tlp)), std::string(TlpMarkingId(tlp)), tlp});
  }
  markings.push_back({"TLP 1.0 WHITE", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::kClear});
  markings.push_back({"TLP 1.0 GREEN", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::kGreen});
  markings.push_back({"TLP 1.0 AMBER", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::kAmber});
  markings.push_back({"TLP 1.0 RED", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::kRed});
  markings.push_back({"TLP:GREEN upper case", "marking-definition--BAB4A63C-AED9-4CF5-A766-DFCA5ABAC2BB", Tlp::kGreen});
  markings.push_back({"not TLP", "marking-definition--70d034e6-3d0c-479b-877f-8bba8486dd86", Tlp::kRed});
  return markings;
}

std::optional<Tlp> Max(std::optional<Tlp> a, std::optional<Tlp> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

// A valid STIX 2.1 indicator with the given markings; RED objects name a
// recipient so that the hub's intake accepts them.
std::string IndicatorJson(const Marking& object_level, const Marking& granular) {
  std::string text = R"({"type":"indicator","spec_version":"2.1",)"
                     R"("id":"indicator--6b9c0b4e-1f7a-4d1e-9a51-0c5e3f0f6a01",)"
                     R"("created":"2026-11-26T10:00:00.000Z","modified":"2026-11-26T10:00:00.000Z",)"
                     R"("name":"C2","pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix",)"
                     R"("valid_from":"2026-11-26T10:00:00Z","x_dannevirke_recipients":["0101"])";
  if (object_level.id) text += R"(,"object_marking_refs":[")" + *object_level.id + R"("])";
  if (granular.id) text += R"(,"granular_markings":[{"marking_ref":")" + *granular.id + R"(","selectors":["name"]}])";
  return text + "}";
}

TEST(TlpAgreement, HubAndSensorDeriveTheSameTlpForEveryCombination) {
  const std::vector<Marking> markings = AllMarkings();
  Collection collection;
  collection.id = "national";
  collection.default_tlp = Tlp::kGreen;
  for (const Marking& object_level : markings) {
    for (const Marking& granular : markings) {
      SCOPED_TRACE("object level: " + object_level.name + ", granular: " + granular.name);
      const std::string text = IndicatorJson(object_level, granular);
      const std::optional<Tlp> expected = Max(object_level.expected, granular.expected);

      // Hub: intake stores the TLP it derives.
      auto stored = IntakeObject(text);
      ASSERT_TRUE(stored.ok()) << stored.error().message();
      EXPECT_EQ(stored->tlp, expected);

      // Hub: a row stored without a TLP is judged from its text.
      StoredObject legacy;
      legacy.json = text;
      EXPECT_EQ(EffectiveTlp(collection, legacy), expected.value_or(collection.default_tlp));

      // Sensor: the indicator loader.
      LoadReport report;
      auto loaded = ParseIndicators(text, "feed.json", {}, &report);
      ASSERT_TRUE(loaded.ok()) << loaded.error().message();
      ASSERT_EQ(loaded->size(), 1U);
      EXPECT_EQ(loaded->front().tlp, stored->tlp);

      // The core derivation both sides call.
      EXPECT_EQ(ObjectTlp(nlohmann::json::parse(text)), expected);
    }
  }
}

TEST(TlpAgreement, MalformedMarkingsFailClosedOnBothSides) {
  Collection collection;
  collection.default_tlp = Tlp::kClear;
  const std::string green(TlpMarkingId(Tlp::kGreen));
  for (const std::string& markings : std::vector<std::string>{
           R"("object_marking_refs":")" + green + R"(")", R"("object_marking_refs":[42])",
           R"("granular_markings":{"marking_ref":")" + green + R"("})", R"("granular_markings":["x"])",
           R"("granular_markings":[{"marking_ref":7,"selectors":["name"]}])"}) {
    SCOPED_TRACE(markings);
    const std::string text = R"({"type":"indicator","id":"indicator--6b9c0b4e-1f7a-4d1e-9a51-0c5e3f0f6a01",)"
                             R"("pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix",)" +
                             markings + "}";
    StoredObject legacy;
    legacy.json = text;
    EXPECT_EQ(EffectiveTlp(collection, legacy), Tlp::kRed);
    LoadReport report;
    auto loaded = ParseIndicators(text, "feed.json", {}, &report);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    ASSERT_EQ(loaded->size(), 1U);
    EXPECT_EQ(loaded->front().tlp, Tlp::kRed);
    EXPECT_FALSE(MarkingRefsOf(nlohmann::json::parse(text)).ok());
  }
}

}  // namespace
}  // namespace dv::hub
