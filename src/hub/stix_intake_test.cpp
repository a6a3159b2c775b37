// SPDX-License-Identifier: Apache-2.0
#include "hub/stix_intake.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dv::hub {
namespace {

// A valid indicator with a given id suffix and pattern address, compact.
std::string Indicator(const std::string& uuid, const std::string& address) {
  return R"({"type":"indicator","spec_version":"2.1","id":"indicator--)" + uuid +
         R"(","created":"2026-11-26T10:00:00.000Z","modified":"2026-11-27T09:30:00.000Z",)"
         R"("pattern":"[ipv4-addr:value = ')" +
         address + R"(']","pattern_type":"stix","valid_from":"2026-11-26T10:00:00Z"})";
}

constexpr const char* kUuidA = "6b9c0b4e-1f7a-4d1e-9a51-0c5e3f0f6a01";
constexpr const char* kUuidB = "6b9c0b4e-1f7a-4d1e-9a51-0c5e3f0f6a02";

TEST(IntakeEnvelope, StoresEachElementAsTheBytesItWasSent) {
  // Pretty-printed, with an escaped solidus, a \u escape and a number
  // spelling that a re-serialiser would change: all kept as sent.
  const std::string pretty =
      "{\n  \"type\": \"indicator\",\n  \"spec_version\": \"2.1\",\n"
      "  \"id\": \"indicator--" +
      std::string(kUuidB) +
      "\",\n  \"created\": \"2026-11-26T10:00:00.000Z\",\n"
      "  \"modified\": \"2026-11-26T10:00:00.000Z\",\n"
      "  \"name\": \"http:\\/\\/example.org \\u00e6\",\n"
      "  \"x_score\": 8.0e1,\n"
      "  \"pattern\": \"[domain-name:value = 'example.org']\",\n"
      "  \"pattern_type\": \"stix\",\n  \"valid_from\": \"2026-11-26T10:00:00Z\"\n}";
  const std::string compact = Indicator(kUuidA, "10.0.0.1");
  auto intake = IntakeEnvelope("{\"more\": false, \"objects\": [ " + compact + " ,\n" + pretty + "\n]}");
  ASSERT_TRUE(intake.ok()) << intake.error().message();
  EXPECT_EQ(intake->total, 2U);
  EXPECT_TRUE(intake->failures.empty()) << intake->failures.front().message;
  ASSERT_EQ(intake->accepted.size(), 2U);
  EXPECT_EQ(intake->accepted[0].json, compact);
  EXPECT_EQ(intake->accepted[0].id, std::string("indicator--") + kUuidA);
  EXPECT_EQ(intake->accepted[0].version, "2026-11-27T09:30:00.000Z");
  EXPECT_EQ(intake->accepted[1].json, pretty);
}

TEST(IntakeEnvelope, JudgesEachElementOnItsOwn) {
  const std::string bad_pattern = R"({"type":"indicator","spec_version":"2.1","id":"indicator--)" +
                                  std::string(kUuidB) +
                                  R"(","created":"2026-11-26T10:00:00.000Z","modified":"2026-11-26T11:00:00.000Z",)"
                                  R"("pattern":"[ipv4-addr:value = ","pattern_type":"stix",)"
                                  R"("valid_from":"2026-11-26T10:00:00Z"})";
  const std::string duplicate = R"({"type":"indicator","type":"malware"})";
  auto intake = IntakeEnvelope("{\"objects\":[" + bad_pattern + ",\"text\",42," + Indicator(kUuidA, "10.0.0.2") + "," +
                               duplicate + "]}");
  ASSERT_TRUE(intake.ok()) << intake.error().message();
  EXPECT_EQ(intake->total, 5U);
  ASSERT_EQ(intake->accepted.size(), 1U);
  EXPECT_EQ(intake->accepted[0].id, std::string("indicator--") + kUuidA);
  ASSERT_EQ(intake->failures.size(), 4U);
  EXPECT_EQ(intake->failures[0].id, std::string("indicator--") + kUuidB);
  EXPECT_EQ(intake->failures[0].version, "2026-11-26T11:00:00.000Z");
  EXPECT_EQ(intake->failures[0].message.rfind("objects[0]: indicator--", 0), 0U) << intake->failures[0].message;
  EXPECT_NE(intake->failures[0].message.find("pattern"), std::string::npos);
  EXPECT_EQ(intake->failures[1].id, "objects[1]");
  EXPECT_NE(intake->failures[1].message.find("want a JSON object"), std::string::npos);
  EXPECT_EQ(intake->failures[2].id, "objects[2]");
  EXPECT_EQ(intake->failures[3].id, "objects[4]");
  EXPECT_NE(intake->failures[3].message.find("duplicate property name 'type'"), std::string::npos)
      << intake->failures[3].message;
}

TEST(IntakeEnvelope, KeepsTheOrderOfLargeEnvelopes) {
  // Enough elements to be validated on several threads; every 7th is broken.
  std::string body = "{\"objects\":[";
  std::vector<std::string> ids;
  for (int idx = 0; idx < 1000; ++idx) {
    char uuid[37];
    std::snprintf(uuid, sizeof uuid, "6b9c0b4e-1f7a-4d1e-9a51-%012d", idx);
    if (idx > 0) body += ',';
    body += idx % 7 == 3 ? "{\"type\":\"indicator\",\"id\":\"indicator--" + std::string(uuid) + "\"}"
                         : Indicator(uuid, "10.0." + std::to_string(idx / 256) + "." + std::to_string(idx % 256));
    ids.push_back(std::string("indicator--") + uuid);
  }
  body += "]}";
  auto intake = IntakeEnvelope(body);
  ASSERT_TRUE(intake.ok()) << intake.error().message();
  ASSERT_EQ(intake->total, 1000U);
  std::size_t accepted = 0;
  std::size_t failed = 0;
  for (std::size_t idx = 0; idx < ids.size(); ++idx) {
    if (idx % 7 == 3) {
      ASSERT_LT(failed, intake->failures.size());
      EXPECT_EQ(intake->failures[failed].id, ids[idx]);
      EXPECT_EQ(intake->failures[failed].message.rfind("objects[" + std::to_string(idx) + "]: ", 0), 0U);
      ++failed;
    } else {
      ASSERT_LT(accepted, intake->accepted.size());
      EXPECT_EQ(intake->accepted[accepted].id, ids[idx]);
      ++accepted;
    }
  }
  EXPECT_EQ(accepted, intake->accepted.size());
  EXPECT_EQ(failed, intake->failures.size());
}

TEST(IntakeEnvelope, RefusesBodiesThatAreNotEnvelopes) {
  for (const std::string body : {"", "[]", "{\"objects\": [}", "not json", "{\"objects\": []} trailing"}) {
    auto intake = IntakeEnvelope(body);
    ASSERT_FALSE(intake.ok()) << body;
    EXPECT_EQ(intake.error().message(), "the body is not a JSON object (a TAXII envelope)") << body;
  }
  for (const std::string body : {"{}", "{\"objects\": {}}", "{\"more\": true}"}) {
    auto intake = IntakeEnvelope(body);
    ASSERT_FALSE(intake.ok()) << body;
    EXPECT_EQ(intake.error().message(), "the envelope has no 'objects' list") << body;
  }
  auto empty = IntakeEnvelope(R"({"objects": []})");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->total, 0U);
}

TEST(IntakeEnvelope, ReadsWhatTheFastReaderLeavesToTheGeneralParser) {
  // An integer beyond 64 bits (simdjson refuses it, nlohmann reads it as a
  // double) and an escaped "objects" key: both still judged element by element.
  std::string object = Indicator(kUuidA, "10.0.0.3");
  object.insert(object.size() - 1, R"(,"x_big":123456789012345678901234567890)");
  auto big = IntakeEnvelope("{\"objects\":[" + object + "]}");
  ASSERT_TRUE(big.ok()) << big.error().message();
  ASSERT_EQ(big->accepted.size(), 1U);
  EXPECT_EQ(big->accepted[0].id, std::string("indicator--") + kUuidA);

  auto escaped_key = IntakeEnvelope("{\"obj\\u0065cts\":[" + Indicator(kUuidB, "10.0.0.4") + ",1]}");
  ASSERT_TRUE(escaped_key.ok()) << escaped_key.error().message();
  EXPECT_EQ(escaped_key->total, 2U);
  EXPECT_EQ(escaped_key->accepted.size(), 1U);
  EXPECT_EQ(escaped_key->failures.size(), 1U);
}

TEST(IntakeEnvelope, RedObjectsNeedRecipients) {
  std::string red = Indicator(kUuidA, "10.0.0.5");
  red.insert(red.size() - 1, R"(,"object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"])");
  auto refused = IntakeEnvelope("{\"objects\":[" + red + "]}");
  ASSERT_TRUE(refused.ok());
  ASSERT_EQ(refused->failures.size(), 1U);
  EXPECT_NE(refused->failures[0].message.find("x_dannevirke_recipients"), std::string::npos);

  red.insert(red.size() - 1, R"(,"x_dannevirke_recipients":["0101","0751"])");
  auto accepted = IntakeEnvelope("{\"objects\":[" + red + "]}");
  ASSERT_TRUE(accepted.ok());
  ASSERT_EQ(accepted->accepted.size(), 1U);
  EXPECT_EQ(accepted->accepted[0].recipients, (std::vector<std::string>{"0101", "0751"}));
}

TEST(IntakeEnvelope, RefusesADeepBodyBeforeParsing) {
  for (const std::string& body :
       {std::string(200'000, '[') + std::string(200'000, ']'), "{\"objects\":[" + std::string(100'000, '[') + "]}"}) {
    auto intake = IntakeEnvelope(body);
    ASSERT_FALSE(intake.ok());
    EXPECT_EQ(intake.error().kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(intake.error().message().find("nested deeper than 66 levels"), std::string::npos)
        << intake.error().message();
  }
}

TEST(IntakeObject, MarkingsThatAreNotTlpMakeTheObjectRed) {
  auto marked = [](const std::string& refs, const std::string& extra = "") {
    std::string object = Indicator(kUuidA, "10.0.0.9");
    object.insert(object.size() - 1, ",\"object_marking_refs\":[" + refs + "]" + extra);
    return IntakeObject(object);
  };
  // The TLP:RED id in upper case is RED, and RED needs recipients.
  auto upper = marked(R"("marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1")");
  ASSERT_FALSE(upper.ok());
  EXPECT_NE(upper.error().message().find("needs 'x_dannevirke_recipients'"), std::string::npos);
  auto named =
      marked(R"("marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1")", R"(,"x_dannevirke_recipients":["0461"])");
  ASSERT_TRUE(named.ok()) << named.error().message();
  EXPECT_EQ(named->tlp, Tlp::kRed);
  // A statement marking beside GREEN: RED, and the refusal names the marking.
  auto statement = marked(R"("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",)"
                          R"("marking-definition--70d034e6-3d0c-479b-877f-8bba8486dd86")");
  ASSERT_FALSE(statement.ok());
  EXPECT_NE(statement.error().message().find("marking 'marking-definition--70d034e6-3d0c-479b-877f-8bba8486dd86' is "
                                             "not a TLP marking definition"),
            std::string::npos)
      << statement.error().message();
  // TLP markings alone keep their level; no marking keeps none (the collection decides).
  auto green = marked(R"("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb")");
  ASSERT_TRUE(green.ok());
  EXPECT_EQ(green->tlp, Tlp::kGreen);
  EXPECT_EQ(IntakeObject(Indicator(kUuidA, "10.0.0.9"))->tlp, std::nullopt);
}

TEST(CheckPosting, CreatedByRefIsThePostersOwnIdentity) {
  NewObject object;
  object.id = std::string("indicator--") + kUuidA;
  object.type = "indicator";
  object.version = "2026-11-27T09:30:00.000Z";
  PostingRules rules;
  rules.identity = "identity--00000000-0000-5000-8000-000000000101";
  rules.now = Timestamp::FromCivil(2026, 11, 27);
  PostedFacts facts;
  EXPECT_TRUE(CheckPosting(object, facts, rules).ok());
  facts.created_by_ref = rules.identity;
  EXPECT_TRUE(CheckPosting(object, facts, rules).ok());
  facts.created_by_ref = "identity--00000000-0000-5000-8000-000000000751";
  const auto forged = CheckPosting(object, facts, rules);
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().message(), object.id +
                                          ": property 'created_by_ref': "
                                          "'identity--00000000-0000-5000-8000-000000000751' is not the poster's "
                                          "organisation ('identity--00000000-0000-5000-8000-000000000101'); a member "
                                          "publishes only as itself");
  rules.for_federation = true;
  EXPECT_TRUE(CheckPosting(object, facts, rules).ok());
}

TEST(CheckPosting, SightingsAreBoundedInTimeAndCount) {
  NewObject sighting;
  sighting.id = "sighting--6b9c0b4e-1f7a-4d1e-9a51-0c5e3f0f6a03";
  sighting.type = "sighting";
  sighting.version = "2026-11-27T10:00:00.000Z";
  PostingRules rules;
  rules.now = *Timestamp::Parse("2026-11-27T10:00:00.000Z");
  PostedFacts facts;
  facts.last_seen = *Timestamp::Parse("2026-11-27T10:04:59.000Z");  // within the 5-minute skew
  facts.count = 1'000'000;
  EXPECT_TRUE(CheckPosting(sighting, facts, rules).ok());
  facts.last_seen = *Timestamp::Parse("2099-01-01T00:00:00.000Z");
  const auto future = CheckPosting(sighting, facts, rules);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().message(), sighting.id +
                                          ": property 'last_seen': 2099-01-01T00:00:00.000Z lies in the future (more "
                                          "than 300 s after the hub's clock, 2026-11-27T10:00:00.000Z)");
  facts.last_seen.reset();
  facts.first_seen = *Timestamp::Parse("2026-11-27T11:00:00.000Z");
  EXPECT_NE(CheckPosting(sighting, facts, rules).error().message().find("'first_seen'"), std::string::npos);
  facts.first_seen.reset();
  sighting.version = "2027-01-01T00:00:00.000Z";
  EXPECT_NE(CheckPosting(sighting, facts, rules).error().message().find("'modified'"), std::string::npos);
  sighting.version = "2026-11-27T10:00:00.000Z";
  facts.count = 1'000'001;
  EXPECT_NE(CheckPosting(sighting, facts, rules).error().message().find("'count': 1000001 is more than"),
            std::string::npos);
}

TEST(IntakeEnvelope, KeepsEachAcceptedElementsFacts) {
  const std::string sighting = R"({"type":"sighting","spec_version":"2.1","id":"sighting--)" + std::string(kUuidB) +
                               R"(","created":"2026-11-27T10:00:00.000Z","modified":"2026-11-27T10:00:00.000Z",)"
                               R"("sighting_of_ref":"indicator--)" +
                               std::string(kUuidA) +
                               R"(","count":7,"first_seen":"2026-11-27T09:00:00Z","last_seen":"2026-11-27T09:30:00Z",)"
                               R"("created_by_ref":"identity--00000000-0000-5000-8000-000000000101"})";
  auto intake = IntakeEnvelope("{\"objects\":[42," + sighting + "]}");
  ASSERT_TRUE(intake.ok()) << intake.error().message();
  ASSERT_EQ(intake->facts.size(), 1U);
  const PostedFacts& facts = intake->facts[0];
  EXPECT_EQ(facts.index, 1U);
  EXPECT_EQ(facts.created_by_ref, "identity--00000000-0000-5000-8000-000000000101");
  EXPECT_EQ(facts.sighting_of_ref, std::string("indicator--") + kUuidA);
  EXPECT_EQ(facts.count, 7);
  EXPECT_EQ(facts.first_seen, Timestamp::Parse("2026-11-27T09:00:00Z").value());
  EXPECT_EQ(facts.last_seen, Timestamp::Parse("2026-11-27T09:30:00Z").value());
}

// A block sighting (docs/protect.md, "Counting blocks") carries a boolean
// x_dannevirke_block and only counts: a property that could carry an
// observation or the member's own identity is refused, naming it.
TEST(IntakeObject, BlockSightingsAreBooleanAndCountsOnly) {
  auto block = [](const std::string& extra) {
    return R"({"type":"sighting","spec_version":"2.1","id":"sighting--)" + std::string(kUuidB) +
           R"(","created":"2026-11-27T10:00:00.000Z","modified":"2026-11-27T10:00:00.000Z",)"
           R"("sighting_of_ref":"indicator--)" +
           std::string(kUuidA) +
           R"(","count":3,"first_seen":"2026-11-27T09:00:00Z","last_seen":"2026-11-27T09:00:00Z")" + extra + "}";
  };
  EXPECT_TRUE(IntakeObject(block(R"(,"x_dannevirke_block":true)")).ok());
  EXPECT_TRUE(IntakeObject(block(R"(,"x_dannevirke_block":false)")).ok());
  const auto text = IntakeObject(block(R"(,"x_dannevirke_block":"yes")"));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message(),
            "sighting--" + std::string(kUuidB) + ": property 'x_dannevirke_block' must be true or false");
  const auto observed = IntakeObject(
      block(R"(,"x_dannevirke_block":true,"observed_data_refs":["observed-data--)" + std::string(kUuidA) + R"("])"));
  ASSERT_FALSE(observed.ok());
  EXPECT_NE(observed.error().message().find("property 'observed_data_refs' is not allowed on a block sighting"),
            std::string::npos);
  const auto where = IntakeObject(
      block(R"(,"x_dannevirke_block":true,"where_sighted_refs":["identity--00000000-0000-5000-8000-000000000101"])"));
  ASSERT_FALSE(where.ok());
  EXPECT_NE(where.error().message().find("'where_sighted_refs'"), std::string::npos);
  // A detection may name where it was seen.
  EXPECT_TRUE(IntakeObject(block(R"(,"where_sighted_refs":["identity--00000000-0000-5000-8000-000000000101"])")).ok());
}

// Shared detection content runs in every member's sensor: a Sigma rule over
// the budgets every sensor applies is refused at intake, naming the limit.
TEST(IntakeObject, SigmaRulesOverBudgetAreRefused) {
  auto sigma = [](const std::string& uuid, const std::string& condition) {
    nlohmann::json object = nlohmann::json::parse(Indicator(uuid, "10.0.0.1"));
    object["pattern_type"] = "sigma";
    object["pattern"] =
        "title: t\nlogsource: {product: linux}\ndetection:\n  sel: {message: x}\n  condition: " + condition + "\n";
    return object.dump();
  };
  EXPECT_TRUE(IntakeObject(sigma(kUuidA, "sel")).ok());
  auto deep = IntakeObject(sigma(kUuidA, std::string(65, '(') + "sel" + std::string(65, ')')));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().message(), std::string("indicator--") + kUuidA +
                                        ": the Sigma rule in 'pattern' is over budget: line 5: condition column 65: "
                                        "parentheses nested deeper than the limit of 64");
  auto long_chain = IntakeObject(sigma(kUuidB, [] {
    std::string chain;
    for (int not_idx = 0; not_idx < 50'000; ++not_idx) chain += "not ";
    return chain + "sel";
  }()));
  ASSERT_FALSE(long_chain.ok());
  EXPECT_NE(long_chain.error().message().find("condition is 200003 bytes, over the limit of 65536 bytes"),
            std::string::npos)
      << long_chain.error().message();
  nlohmann::json nested = nlohmann::json::parse(sigma(kUuidB, "sel"));
  nested["pattern"] = "title: t\nlist: " + std::string(1000, '[') + std::string(1000, ']') + "\n";
  auto yaml = IntakeObject(nested.dump());
  ASSERT_FALSE(yaml.ok());
  EXPECT_EQ(yaml.error().message(), std::string("indicator--") + kUuidB +
                                        ": the Sigma rule in 'pattern' is over budget: YAML nesting deeper than 64 "
                                        "levels at line 2");
}

}  // namespace
}  // namespace dv::hub
