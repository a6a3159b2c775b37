// SPDX-License-Identifier: Apache-2.0
#include "stix/object.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace dv::stix {
namespace {

std::string ReadTestData(const std::string& name) {
  std::ifstream file(std::string(DV_SOURCE_DIR) + "/src/stix/testdata/" + name, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string ErrorOf(const Result<ValidatedObject>& result) { return result.ok() ? "valid" : result.error().message(); }

constexpr std::string_view kTool = R"({"type": "tool", "spec_version": "2.1",
  "id": "tool--27c51eae-81cf-49ee-bbe4-8ceb7aade458",
  "created": "2026-03-01T10:00:00.000Z", "modified": "2026-03-01T10:00:00.000Z", "name": "x")";

// kTool plus extra properties (text starting with ", ").
std::string Tool(std::string_view extra) { return std::string(kTool) + std::string(extra) + "}"; }

TEST(StixObjectTest, EveryTypeOfTheValidBundlePasses) {
  auto bundle = ValidateBundle(ReadTestData("valid_bundle.json"));
  ASSERT_TRUE(bundle.ok()) << bundle.error().message();
  EXPECT_EQ(bundle->id, "bundle--5cb8fe3c-c8e1-4572-9d62-f25c30c763b3");
  std::set<std::string> types;
  for (const BundleEntry& entry : bundle->entries) {
    EXPECT_TRUE(entry.result.ok()) << entry.index << ": " << ErrorOf(entry.result);
    if (entry.result.ok()) types.insert(entry.result->type);
  }
  EXPECT_EQ(bundle->invalid_count, 0u);
  for (std::string_view type : {"attack-pattern",
                                "campaign",
                                "course-of-action",
                                "grouping",
                                "identity",
                                "incident",
                                "indicator",
                                "infrastructure",
                                "intrusion-set",
                                "location",
                                "malware",
                                "malware-analysis",
                                "note",
                                "observed-data",
                                "opinion",
                                "report",
                                "threat-actor",
                                "tool",
                                "vulnerability",
                                "relationship",
                                "sighting",
                                "ipv4-addr",
                                "ipv6-addr",
                                "domain-name",
                                "url",
                                "email-addr",
                                "file",
                                "process",
                                "windows-registry-key",
                                "user-account",
                                "network-traffic",
                                "marking-definition",
                                "language-content"}) {
    EXPECT_TRUE(types.count(std::string(type))) << type;
  }
}

TEST(StixObjectTest, InvalidObjectsFailWithTheirMessage) {
  const auto cases = nlohmann::json::parse(ReadTestData("invalid_objects.json"));
  ASSERT_GT(cases.size(), 40u);
  for (const auto& test_case : cases) {
    const std::string name = test_case["name"].get<std::string>();
    auto result = ValidateObject(test_case["object"]);
    if (result.ok()) {
      ADD_FAILURE() << name << ": passed";
      continue;
    }
    EXPECT_EQ(result.error().kind(), ErrorKind::kInvalidArgument) << name;
    EXPECT_EQ(result.error().message(), test_case["error"].get<std::string>()) << name;
  }
}

TEST(StixObjectTest, ValidatedFieldsOfAnIndicator) {
  auto bundle = ValidateBundle(ReadTestData("valid_bundle.json"));
  ASSERT_TRUE(bundle.ok());
  const ValidatedObject& indicator = *bundle->entries[6].result;
  EXPECT_EQ(indicator.id, "indicator--7083ad24-e434-4721-ad7c-274a7ce513bf");
  EXPECT_EQ(indicator.type, "indicator");
  EXPECT_EQ(indicator.kind, ObjectKind::kSdo);
  EXPECT_EQ(indicator.spec_version, "2.1");
  EXPECT_EQ(indicator.created, Timestamp::FromCivil(2026, 3, 1, 10));
  EXPECT_EQ(TaxiiVersion(indicator), "2026-03-01T10:00:00.000Z");
  EXPECT_EQ(indicator.tlp, Tlp::kGreen);
  EXPECT_FALSE(indicator.revoked);
  EXPECT_EQ(indicator.references, std::vector<std::string>{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"});

  const ValidatedObject& sighting = *bundle->entries[20].result;
  EXPECT_EQ(sighting.kind, ObjectKind::kSro);
  EXPECT_EQ(sighting.created_by_ref, "identity--ca3f5d61-eda5-4da6-ad8a-3d72b663839e");
  EXPECT_EQ(sighting.references, (std::vector<std::string>{"identity--ca3f5d61-eda5-4da6-ad8a-3d72b663839e",
                                                           "indicator--7083ad24-e434-4721-ad7c-274a7ce513bf",
                                                           "observed-data--5bf05b49-0bf0-4ad3-979b-45e3dbe0983d"}));
  EXPECT_FALSE(sighting.tlp.has_value());

  const ValidatedObject& campaign = *bundle->entries[2].result;
  EXPECT_EQ(TaxiiVersion(campaign), "2026-03-02T10:00:00.000Z");
}

TEST(StixObjectTest, VersionRule) {
  auto bundle = ValidateBundle(ReadTestData("valid_bundle.json"));
  ASSERT_TRUE(bundle.ok());
  for (const BundleEntry& entry : bundle->entries) {
    ASSERT_TRUE(entry.result.ok());
    const ValidatedObject& object = *entry.result;
    if (object.kind == ObjectKind::kSco) {
      EXPECT_FALSE(object.created.has_value()) << object.id;
      EXPECT_EQ(TaxiiVersion(object), kUnversionedVersion) << object.id;
      EXPECT_EQ(object.spec_version, "2.1") << object.id;  // implied where absent
    } else if (object.type == "marking-definition") {
      EXPECT_FALSE(object.modified.has_value());
      EXPECT_EQ(object.version, *object.created);
    } else {
      EXPECT_EQ(object.version, *object.modified) << object.id;
    }
  }
}

TEST(StixObjectTest, KindsOfCustomObjects) {
  auto bundle = ValidateBundle(ReadTestData("valid_bundle.json"));
  ASSERT_TRUE(bundle.ok());
  const auto& custom = bundle->entries[bundle->entries.size() - 2];
  const auto& extension_sco = bundle->entries.back();
  ASSERT_TRUE(custom.result.ok());
  ASSERT_TRUE(extension_sco.result.ok());
  EXPECT_EQ(custom.result->kind, ObjectKind::kCustom);
  EXPECT_EQ(extension_sco.result->kind, ObjectKind::kSco);
  EXPECT_TRUE(IsSdo("malware-analysis"));
  EXPECT_TRUE(IsSro("sighting"));
  EXPECT_TRUE(IsSco("windows-registry-key"));
  EXPECT_FALSE(IsSco("x-asset"));
  EXPECT_FALSE(IsSdo("relationship"));
}

TEST(StixObjectTest, BundleWithGoodAndBadObjects) {
  const std::string text = R"({"type": "bundle", "id": "bundle--0a3584d3-c594-4c02-aba9-23d3d258406a", "objects": [
    )" + Tool("") + R"(,
    {"type": "tool", "spec_version": "2.1", "id": "tool--b93187b5-7ed6-4b6f-a834-28210ba92b99", "created": "2026-03-01T10:00:00.000Z", "modified": "2026-03-01T10:00:00.000Z"},
    42,
    {"type": "ipv4-addr", "id": "ipv4-addr--b0788d7d-4d86-434f-b34d-c62801568749", "value": "192.0.2.1"}
  ]})";
  auto bundle = ValidateBundle(text);
  ASSERT_TRUE(bundle.ok()) << bundle.error().message();
  ASSERT_EQ(bundle->entries.size(), 4u);
  EXPECT_EQ(bundle->valid_count, 2u);
  EXPECT_EQ(bundle->invalid_count, 2u);
  EXPECT_TRUE(bundle->entries[0].result.ok());
  EXPECT_EQ(bundle->entries[1].index, 1u);
  EXPECT_EQ(bundle->entries[1].id, "tool--b93187b5-7ed6-4b6f-a834-28210ba92b99");
  EXPECT_EQ(ErrorOf(bundle->entries[1].result),
            "objects[1]: tool--b93187b5-7ed6-4b6f-a834-28210ba92b99: property 'name' is required");
  EXPECT_EQ(bundle->entries[2].id, "");
  EXPECT_EQ(ErrorOf(bundle->entries[2].result), "objects[2]: object: want a JSON object, found a number");
  EXPECT_TRUE(bundle->entries[3].result.ok());
}

TEST(StixObjectTest, BundleEnvelopeErrors) {
  EXPECT_EQ(ValidateBundle("{").error().kind(), ErrorKind::kParse);
  EXPECT_EQ(
      ValidateBundle(R"({"type": "report", "id": "bundle--0a3584d3-c594-4c02-aba9-23d3d258406a"})").error().message(),
      "bundle: property 'type': want 'bundle'");
  EXPECT_EQ(
      ValidateBundle(R"({"type": "bundle", "id": "report--0a3584d3-c594-4c02-aba9-23d3d258406a"})").error().message(),
      "bundle: property 'id': 'report--0a3584d3-c594-4c02-aba9-23d3d258406a' does not start with 'bundle--'");
  EXPECT_EQ(ValidateBundle(R"({"type": "bundle", "id": "bundle--0a3584d3-c594-4c02-aba9-23d3d258406a",
                               "objects": {}})")
                .error()
                .message(),
            "bundle--0a3584d3-c594-4c02-aba9-23d3d258406a: property 'objects': want a list, found an object");
  auto empty = ValidateBundle(R"({"type": "bundle", "id": "bundle--0a3584d3-c594-4c02-aba9-23d3d258406a"})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
}

TEST(StixObjectTest, StoredTextIsByteIdentical) {
  const std::string bundle_text = ReadTestData("valid_bundle.json");
  auto bundle = ValidateBundle(bundle_text);
  ASSERT_TRUE(bundle.ok());
  for (const BundleEntry& entry : bundle->entries) {
    ASSERT_TRUE(entry.result.ok());
    const std::string& stored = entry.result->canonical_json;
    // Exactly the bytes of the element in the bundle, in the sender's order.
    EXPECT_NE(bundle_text.find(stored), std::string::npos) << entry.id;
    EXPECT_EQ(stored.front(), '{');
    EXPECT_EQ(stored.back(), '}');
    // Validating the stored text again stores the same text.
    auto again = ValidateObject(std::string_view(stored));
    ASSERT_TRUE(again.ok()) << ErrorOf(again);
    EXPECT_EQ(again->canonical_json, stored);
  }
  // Key order, spacing, escapes and number spellings survive.
  const std::string odd = R"({"name":"caf\u00e9 \"x\"" ,  "type":"tool","spec_version":"2.1","confidence":1E1,)"
                          R"("id":"tool--27c51eae-81cf-49ee-bbe4-8ceb7aade458","modified":"2026-03-01T10:00:00.000Z",)"
                          R"("created":"2026-03-01T10:00:00.000Z"})";
  auto validated = ValidateObject("  \n" + odd + "\n");
  ASSERT_FALSE(validated.ok());  // 1E1 is a number, but not an integer in JSON's grammar
  const std::string fixed =
      R"({"name":"caf\u00e9 \"x\"" ,  "type":"tool","spec_version":"2.1","confidence":10,)"
      R"("id":"tool--27c51eae-81cf-49ee-bbe4-8ceb7aade458","modified":"2026-03-01T10:00:00.000Z",)"
      R"("created":"2026-03-01T10:00:00.000Z"})";
  validated = ValidateObject("  \n" + fixed + "\n");
  ASSERT_TRUE(validated.ok()) << ErrorOf(validated);
  EXPECT_EQ(validated->canonical_json, fixed);
}

TEST(StixObjectTest, TextErrors) {
  auto broken = ValidateObject(std::string_view(R"({"type": "tool",)"));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().kind(), ErrorKind::kParse);
  EXPECT_EQ(broken.error().message().rfind("object: not JSON: parse error at line 1", 0), 0u)
      << broken.error().message();
  auto duplicate = ValidateObject(std::string_view(Tool(R"(, "name": "y")")));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().message(), "object: duplicate property name 'name'");
  auto nested_duplicate = ValidateObject(std::string_view(Tool(
      R"(, "external_references": [{"source_name": "a", "url": "u"}, {"source_name": "a", "url": "u", "url": "v"}])")));
  ASSERT_FALSE(nested_duplicate.ok());
  EXPECT_EQ(nested_duplicate.error().message(), "object: duplicate property name 'url'");
  // The same key in sibling objects is fine.
  EXPECT_TRUE(
      ValidateObject(
          std::string_view(
              Tool(R"(, "external_references": [{"source_name": "a", "url": "u"}, {"source_name": "b", "url": "v"}])")))
          .ok());
  std::string deep = Tool(", \"x_deep\": " + std::string(100, '[') + std::string(100, ']'));
  EXPECT_EQ(ErrorOf(ValidateObject(std::string_view(deep))).find("nested deeper than 64 levels") != std::string::npos,
            true)
      << ErrorOf(ValidateObject(std::string_view(deep)));
}

TEST(StixObjectTest, CustomPropertiesAndExtensions) {
  EXPECT_EQ(ErrorOf(ValidateObject(std::string_view(Tool(R"(, "x_dannevirke_owner": "0751")")))), "valid");
  EXPECT_EQ(
      ErrorOf(ValidateObject(std::string_view(Tool(
          R"(, "extensions": {"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e": {"extension_type": "property-extension", "rank": 5}})")))),
      "valid");
  EXPECT_EQ(ErrorOf(ValidateObject(std::string_view(Tool(R"(, "extensions": {"rank": {}})")))),
            "tool--27c51eae-81cf-49ee-bbe4-8ceb7aade458: property 'extensions.rank': an extension key is an "
            "extension-definition id or a predefined name ending in '-ext'");
}

TEST(StixObjectTest, TlpDerivation) {
  auto tlp_of = [](std::string_view refs) -> std::optional<Tlp> {
    auto result =
        ValidateObject(std::string_view(Tool(std::string(", \"object_marking_refs\": [") + std::string(refs) + "]")));
    EXPECT_TRUE(result.ok()) << ErrorOf(result);
    return result.ok() ? result->tlp : std::nullopt;
  };
  // TLP 2.0 ids.
  EXPECT_EQ(tlp_of(R"("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487")"), Tlp::kClear);
  EXPECT_EQ(tlp_of(R"("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003")"), Tlp::kAmberStrict);
  EXPECT_EQ(tlp_of(R"("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1")"), Tlp::kRed);
  // TLP 1.0 ids.
  EXPECT_EQ(tlp_of(R"("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9")"), Tlp::kClear);
  EXPECT_EQ(tlp_of(R"("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82")"), Tlp::kAmber);
  // The most restrictive wins, whatever the order; other markings do not count.
  EXPECT_EQ(tlp_of(R"("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
                      "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb")"),
            Tlp::kRed);
  EXPECT_EQ(tlp_of(R"("marking-definition--70d034e6-3d0c-479b-877f-8bba8486dd86",
                      "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
                      "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421")"),
            Tlp::kAmber);
  EXPECT_EQ(tlp_of(R"("marking-definition--70d034e6-3d0c-479b-877f-8bba8486dd86")"), std::nullopt);
  // A granular TLP marking makes the whole object that restrictive.
  auto granular = ValidateObject(
      std::string_view(Tool(R"(, "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
              "granular_markings": [{"marking_ref": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "selectors": ["name"]}])")));
  ASSERT_TRUE(granular.ok()) << ErrorOf(granular);
  EXPECT_EQ(granular->tlp, Tlp::kAmberStrict);
  EXPECT_EQ(granular->marking_refs,
            (std::vector<std::string>{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
                                      "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"}));
  auto none = ValidateObject(std::string_view(Tool("")));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->tlp, std::nullopt);
  // A TLP id in upper case is the same marking (UUIDs are case-insensitive).
  EXPECT_EQ(tlp_of(R"("marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1")"), Tlp::kRed);
  auto upper_granular = ValidateObject(
      std::string_view(Tool(R"(, "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
              "granular_markings": [{"marking_ref": "marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1", "selectors": ["name"]}])")));
  ASSERT_TRUE(upper_granular.ok()) << ErrorOf(upper_granular);
  EXPECT_EQ(upper_granular->tlp, Tlp::kRed);
  // The definitions themselves keep the published, lower-case ids.
  std::string upper_definition = TlpMarkingDefinitionJson(Tlp::kRed);
  upper_definition.replace(upper_definition.find("e828b379"), 8, "E828B379");
  EXPECT_NE(ErrorOf(ValidateObject(std::string_view(upper_definition))).find("written in lower case"),
            std::string::npos);
}

TEST(StixObjectTest, OfficialTlpMarkingDefinitions) {
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    const std::string text = TlpMarkingDefinitionJson(tlp);
    auto validated = ValidateObject(std::string_view(text));
    ASSERT_TRUE(validated.ok()) << ErrorOf(validated);
    EXPECT_EQ(validated->id, TlpMarkingId(tlp));
    EXPECT_EQ(validated->kind, ObjectKind::kMeta);
    EXPECT_EQ(validated->canonical_json, text);
  }
  EXPECT_EQ(TlpMarkingDefinitionJson(Tlp::kAmberStrict),
            R"({"type":"marking-definition","spec_version":"2.1",)"
            R"("id":"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003","created":"2022-10-01T00:00:00.000Z",)"
            R"("name":"TLP:AMBER+STRICT","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":)"
            R"({"extension_type":"property-extension","tlp_2_0":"amber+strict"}}})");
  // The predefined TLP 1.0 objects of STIX 2.1 §7.2.1.4 validate as well.
  auto white = ValidateObject(std::string_view(
      R"({"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
          "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "name": "TLP:WHITE", "definition": {"tlp": "white"}})"));
  EXPECT_TRUE(white.ok()) << ErrorOf(white);
}

TEST(StixObjectTest, MakeSighting) {
  SightingSpec spec;
  spec.id = "sighting--e0790847-696b-483b-8981-d2d95cc32dd7";
  spec.sighting_of_ref = "indicator--7083ad24-e434-4721-ad7c-274a7ce513bf";
  spec.created_by_ref = "identity--ca3f5d61-eda5-4da6-ad8a-3d72b663839e";
  spec.created = Timestamp::FromCivil(2026, 3, 1, 10, 0, 0, 250);
  spec.first_seen = Timestamp::FromCivil(2026, 3, 1, 9);
  spec.last_seen = Timestamp::FromCivil(2026, 3, 1, 9, 30);
  spec.count = 12;
  spec.where_sighted_refs = {"identity--ca3f5d61-eda5-4da6-ad8a-3d72b663839e"};
  spec.tlp = Tlp::kAmber;
  auto sighting = MakeSighting(spec);
  ASSERT_TRUE(sighting.ok()) << ErrorOf(sighting);
  EXPECT_EQ(
      sighting->canonical_json,
      R"({"type":"sighting","spec_version":"2.1","id":"sighting--e0790847-696b-483b-8981-d2d95cc32dd7",)"
      R"("created_by_ref":"identity--ca3f5d61-eda5-4da6-ad8a-3d72b663839e","created":"2026-03-01T10:00:00.250Z",)"
      R"("modified":"2026-03-01T10:00:00.250Z","sighting_of_ref":"indicator--7083ad24-e434-4721-ad7c-274a7ce513bf",)"
      R"("first_seen":"2026-03-01T09:00:00.000Z","last_seen":"2026-03-01T09:30:00.000Z","count":12,)"
      R"("where_sighted_refs":["identity--ca3f5d61-eda5-4da6-ad8a-3d72b663839e"],)"
      R"("object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]})");
  EXPECT_EQ(sighting->tlp, Tlp::kAmber);

  // Counts only, with a fresh id.
  SightingSpec minimal;
  minimal.sighting_of_ref = spec.sighting_of_ref;
  minimal.count = 3;
  auto counted = MakeSighting(minimal);
  ASSERT_TRUE(counted.ok()) << ErrorOf(counted);
  EXPECT_EQ(counted->id.rfind("sighting--", 0), 0u);

  spec.count = kMaxCount + 1;
  EXPECT_EQ(ErrorOf(MakeSighting(spec)),
            "sighting--e0790847-696b-483b-8981-d2d95cc32dd7: property 'count': 1000000000 is out of range (0 to "
            "999999999)");
}

TEST(StixObjectTest, MakeOrganisationIdentity) {
  Organisation aarhus;
  aarhus.code = "0751";
  aarhus.name = "Aarhus Kommune";
  aarhus.kind = OrgKind::kMunicipality;
  auto identity = MakeOrganisationIdentity(aarhus, Timestamp::FromCivil(2026, 1, 1));
  ASSERT_TRUE(identity.ok()) << ErrorOf(identity);
  EXPECT_EQ(identity->id, aarhus.StixId());
  EXPECT_EQ(identity->canonical_json,
            R"({"type":"identity","spec_version":"2.1","id":")" + aarhus.StixId() +
                R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
                R"("name":"Aarhus Kommune","identity_class":"organization","sectors":["government-local"]})");
  EXPECT_EQ(SectorForOrgKind(OrgKind::kRegion), "government-regional");
  EXPECT_EQ(SectorForOrgKind(OrgKind::kStateBody), "government-national");

  IdentitySpec unnamed;
  unnamed.id = "identity--ca3f5d61-eda5-4da6-ad8a-3d72b663839e";
  EXPECT_EQ(ErrorOf(MakeIdentity(unnamed)),
            "identity--ca3f5d61-eda5-4da6-ad8a-3d72b663839e: property 'name': must not be empty");
}

TEST(StixObjectTest, HostileInputNeverCrashes) {
  for (std::string_view text : {"", "null", "[]", "\"x\"", "{\"type\": null}", "{\"type\": \"tool\", \"id\": 5}",
                                "{\"type\": \"indicator\", \"id\": \"indicator--\"}",
                                "{\"type\": \"x\", \"id\": \"--\"}", "{\"type\":\"bundle\"}"}) {
    EXPECT_FALSE(ValidateObject(text).ok()) << text;
    EXPECT_FALSE(ValidateBundle(text).ok()) << text;
  }
}

}  // namespace
}  // namespace dv::stix
