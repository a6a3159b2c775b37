// SPDX-License-Identifier: Apache-2.0
#include "hub/stix_intake.h"

#include <gtest/gtest.h>

#include <cstdio>
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

}  // namespace
}  // namespace dv::hub
