// SPDX-License-Identifier: Apache-2.0
// Attacks on the contacts register (docs/contacts.md): a member (Odense)
// tries to read, overwrite or erase another member's (Copenhagen's) contacts
// through every route, path spelling, query parameter and body field it can
// think of, with its person and its sensor tokens and with a borrowed user
// name; and tries to wear the hub down with oversized lists. Copenhagen's
// contacts must be in no answer Odense gets, and unchanged afterwards.

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

std::string Base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

using Json = nlohmann::json;
const std::string kBase = "/api/v1/contacts/members/";
constexpr const char* kSecret = "Kirsten Fortrolig";

Json List(const std::string& person) {
  return {{"contacts",
           {{{"id", "role"},
             {"kind", "role"},
             {"name", "IT-sikkerhed"},
             {"channels", {{"email", "it-sikkerhed@example.dk"}, {"phone", "+4570101010"}}},
             {"priority", 1},
             {"out_of_band", true}},
            {{"id", "person"},
             {"kind", "person"},
             {"name", person},
             {"channels", {{"phone", "+4520202020"}}},
             {"priority", 2}}}}};
}

class ContactsAttack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("contacts-attack");
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("odense", "0461", MemberRole::kMember);
    hub_->AddMember("odense-sensor", "0461", MemberRole::kSensor);
    hub_->Start();
    auto res = Send("PUT", kBase + "0101", "kbh", List(kSecret).dump());
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    ASSERT_EQ(Send("PUT", kBase + "0461", "odense", List("Ole Odense").dump())->status, 200);
  }
  static void TearDownTestSuite() { hub_.reset(); }

  // Through the contract-checking client.
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "") {
    return test::HubClient(hub_->port()).Send(method, path, test::BearerHeaders(hub_->tokens().at(member)), body);
  }
  // Raw, for paths no document describes.
  static httplib::Result Raw(const std::string& method, const std::string& path, const httplib::Headers& headers,
                             const std::string& body = "") {
    httplib::Client client("127.0.0.1", hub_->port());
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = headers;
    req.body = body;
    if (!body.empty()) req.set_header("Content-Type", "application/json");
    return client.send(req);
  }
  // Copenhagen's stored list, as Copenhagen sees it; and how many versions it has.
  static std::string Stored() { return Send("GET", kBase + "0101", "kbh")->body; }
  static std::size_t Versions() { return hub_->store().RecordHistory("contacts.list", "0101")->size(); }
  static inline std::unique_ptr<test::TestHub> hub_;
};

TEST_F(ContactsAttack, AnotherMemberCannotReadOverwriteOrEraseThroughAnyRoute) {
  const std::size_t versions = Versions();
  const std::string attack = List("Mallory Overskrevet").dump();
  const std::string erase = Json{{"name", kSecret}, {"reason", "data_subject_request"}}.dump();
  for (const std::string member : {"odense", "odense-sensor"}) {
    EXPECT_EQ(Send("GET", kBase + "0101", member)->status, 403) << member;
    EXPECT_EQ(Send("PUT", kBase + "0101", member, attack)->status, 403) << member;
    EXPECT_EQ(Send("POST", kBase + "0101/erase", member, erase)->status, 403) << member;
  }
  // A sensor does not even read its own member's contacts.
  EXPECT_EQ(Send("GET", kBase + "0461", "odense-sensor")->status, 403);

  // Path spellings, methods and parameters: never Copenhagen's data, never a write.
  const auto odense = test::BearerHeaders(hub_->tokens().at("odense"));
  const std::vector<std::pair<std::string, std::string>> probes = {
      {"GET", kBase + "0101/"},
      {"GET", kBase + "0101%00"},
      {"GET", kBase + "0461/../0101"},
      {"GET", kBase + "0461%2F..%2F0101"},
      {"GET", kBase + "%30101"},
      {"GET", kBase + "0461?code=0101"},
      {"GET", kBase + "0461?org=0101&member=0101"},
      {"GET", kBase + "0101/erase"},
      {"GET", "/api/v1/contacts/members"},
      {"GET", "/api/v1/contacts"},
      {"GET", "/api/v1/organisations/0101"},
      {"DELETE", kBase + "0101"},
      {"PATCH", kBase + "0101"},
      {"POST", kBase + "0101"},
      {"PUT", kBase + "0101/"},
      {"PUT", kBase + "0461/../0101"},
      {"POST", kBase + "0461/../0101/erase"},
  };
  for (const auto& [method, path] : probes) {
    auto res =
        Raw(method, path, odense, method == "GET" ? "" : (path.find("erase") != std::string::npos ? erase : attack));
    ASSERT_TRUE(res) << method << " " << path;
    EXPECT_EQ(res->body.find(kSecret), std::string::npos) << method << " " << path << ": " << res->body;
    EXPECT_EQ(res->body.find("+4520202020"), std::string::npos) << method << " " << path;
    EXPECT_NE(res->status, 500) << method << " " << path;
  }
  // A borrowed user name with its own token is no one.
  httplib::Headers borrowed = {{"Authorization", "Basic " + Base64("kbh:" + hub_->tokens().at("odense"))}};
  EXPECT_EQ(Raw("GET", kBase + "0101", borrowed)->status, 401);
  // Fields that try to name another organisation are refused, not followed.
  Json redirected = List("Ole Odense");
  redirected["organisation"] = "0101";
  EXPECT_EQ(Send("PUT", kBase + "0461", "odense", redirected.dump())->status, 400);
  // Erasing in its own list with Copenhagen's data touches only its own list.
  EXPECT_EQ(Send("POST", kBase + "0461/erase", "odense", erase)->status, 404);

  EXPECT_EQ(Versions(), versions);
  EXPECT_NE(Stored().find(kSecret), std::string::npos);
  EXPECT_EQ(Stored().find("Mallory"), std::string::npos);
}

TEST_F(ContactsAttack, OversizedInputIsRefusedBeforeWorkAndChangesNothing) {
  const std::size_t versions = Versions();
  // 201 contacts: refused on the count, before any contact is read.
  Json many = Json::array();
  for (int idx = 0; idx < 201; ++idx) many.push_back(Json::array({idx}));
  auto res = Send("PUT", kBase + "0101", "kbh", Json{{"contacts", many}}.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("at most 200"), std::string::npos) << res->body;
  // A body over the module's limit (but under the server's).
  Json big = List("Ole");
  big["contacts"][1]["name"] = std::string(2 * 1024 * 1024, 'x');
  res = Send("PUT", kBase + "0101", "kbh", big.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body.substr(0, 200);
  // Long fields, deep nesting, too many windows.
  Json long_name = List("Ole");
  long_name["contacts"][1]["name"] = std::string(201, 'x');
  EXPECT_EQ(Send("PUT", kBase + "0101", "kbh", long_name.dump())->status, 400);
  Json long_mail = List("Ole");
  long_mail["contacts"][1]["channels"]["email"] = std::string(300, 'a') + "@example.dk";
  EXPECT_EQ(Send("PUT", kBase + "0101", "kbh", long_mail.dump())->status, 400);
  std::string deep = R"({"contacts":)" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_EQ(Send("PUT", kBase + "0101", "kbh", deep)->status, 400);
  Json windows = List("Ole");
  windows["contacts"][1]["hours"] = {{"windows", Json::array()}};
  for (int idx = 0; idx < 29; ++idx) {
    windows["contacts"][1]["hours"]["windows"].push_back({{"days", {"mon"}}, {"from", "00:00"}, {"to", "01:00"}});
  }
  EXPECT_EQ(Send("PUT", kBase + "0101", "kbh", windows.dump())->status, 400);
  Json long_erase = {{"name", std::string(100000, 'x')}, {"reason", "other"}};
  EXPECT_EQ(Send("POST", kBase + "0101/erase", "kbh", long_erase.dump())->status, 400);
  EXPECT_EQ(Versions(), versions);
  EXPECT_NE(Stored().find(kSecret), std::string::npos);

  // The largest list accepted is served whole.
  Json full = Json::array();
  for (int idx = 0; idx < 200; ++idx) {
    full.push_back({{"kind", idx == 0 ? "role" : "person"},
                    {"name", "Kontakt " + std::to_string(idx)},
                    {"channels", {{"phone", "+45" + std::to_string(30000000 + idx)}}},
                    {"priority", idx + 1},
                    {"out_of_band", idx == 0}});
  }
  ASSERT_EQ(Send("PUT", kBase + "0461", "odense", Json{{"contacts", full}}.dump())->status, 200);
  EXPECT_EQ(Json::parse(Send("GET", kBase + "0461", "odense")->body)["contacts"].size(), 200u);
}

}  // namespace
}  // namespace dv
