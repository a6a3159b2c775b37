// SPDX-License-Identifier: Apache-2.0
// The contacts module over real HTTP (hub/modules/contacts, docs/contacts.md):
// a member keeps its contacts; a bad field is refused naming it and its
// index, and nothing stored changes; who may read, write and erase (every
// role × every operation); every read audited naming the reader; erasure
// leaves the person's name, e-mail and phone in no response, no record
// version, no audit entry and no byte of the database or its log. Every JSON
// response is checked against the OpenAPI document by HubClient.

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
const std::string kBase = "/api/v1/contacts/members/";

Json Role() {
  return {{"id", "it-sikkerhed"},
          {"kind", "role"},
          {"name", "IT-sikkerhed"},
          {"channels", {{"email", "it-sikkerhed@kk.dk"}, {"webhook", "https://hooks.kk.dk/dannevirke"}}},
          {"language", "da"},
          {"priority", 1}};
}
Json Night() {
  return {{"id", "vagt"},
          {"kind", "role"},
          {"name", "Vagttelefon"},
          {"channels", {{"phone", "+4533663366"}}},
          {"hours", {{"windows", {{{"days", {"sat", "sun"}}, {"from", "00:00"}, {"to", "24:00"}}}}}},
          {"priority", 2},
          {"out_of_band", true}};
}
Json Person() {
  return {{"id", "p-ingeborg"},
          {"kind", "person"},
          {"name", "Ingeborg Testesen"},
          {"channels", {{"email", "ingeborg.testesen@kk.dk"}, {"phone", "+4561616161"}}},
          {"language", "en"},
          {"priority", 3}};
}

class Contacts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("contacts");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("admin", "CFCS", MemberRole::kAdmin);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("odense", "0461", MemberRole::kMember);
    hub_->Start();
  }
  static void TearDownTestSuite() { hub_.reset(); }

  // `member` empty: anonymous.
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "") {
    const auto headers = member.empty() ? httplib::Headers{} : test::BearerHeaders(hub_->tokens().at(member));
    return test::HubClient(hub_->port()).Send(method, path, headers, body);
  }
  static Json Put(const std::string& code, const std::string& member, const Json& contacts, int want = 200) {
    auto res = Send("PUT", kBase + code, member, Json{{"contacts", contacts}}.dump());
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, want) << res->body;
    return Json::parse(res->body);
  }
  static std::vector<AuditEntry> Audit() {
    auto audit = hub_->store().ListAudit(1000);
    return audit.ok() ? *audit : std::vector<AuditEntry>();
  }

  static inline std::unique_ptr<test::TestHub> hub_;
};

TEST_F(Contacts, AMemberKeepsItsContactsRolesFirst) {
  const Json stored = Put("0101", "kbh", {Person(), Night(), Role()});
  EXPECT_EQ(stored["organisation"], "0101");
  ASSERT_EQ(stored["contacts"].size(), 3u);
  EXPECT_EQ(stored["contacts"][0]["id"], "it-sikkerhed");  // ordered by priority
  EXPECT_EQ(stored["contacts"][1]["hours"]["time_zone"], "Europe/Copenhagen");
  EXPECT_EQ(stored["contacts"][2]["language"], "en");
  EXPECT_EQ(stored["contacts"][0]["hours"], "always");
  EXPECT_TRUE(stored["problems"].empty());

  auto res = Send("GET", kBase + "0101", "kbh");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  const Json read = Json::parse(res->body);
  EXPECT_EQ(read["contacts"], stored["contacts"]);
  EXPECT_EQ(read["version"], stored["version"]);

  // A new contact gets an id from the hub; a stale expected_version is 409.
  Json fresh = Person();
  fresh.erase("id");
  fresh["name"] = "Karl Nyansat";
  fresh["channels"] = {{"email", "karl@kk.dk"}};
  fresh["priority"] = 4;
  const Json more = Put("0101", "kbh", {Role(), Night(), Person(), fresh});
  EXPECT_EQ(more["contacts"][3]["id"].get<std::string>().rfind("c-", 0), 0u);
  auto stale =
      Send("PUT", kBase + "0101", "kbh", Json{{"contacts", {Role(), Night()}}, {"expected_version", 1}}.dump());
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409) << stale->body;
  // An unknown organisation is 404 for those who may act on any.
  EXPECT_EQ(Send("GET", kBase + "9999", "cfcs")->status, 404);
}

TEST_F(Contacts, BadInputIsRefusedNamingTheFieldAndNothingChanges) {
  Put("0461", "odense", {Role(), Night()});
  const auto before = hub_->store().RecordHistory("contacts.list", "0461")->size();
  struct Case {
    std::string pointer;
    Json value;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"/1/channels/email", "it sikkerhed@kk.dk", "contacts[1].channels.email: "},
      {"/1/channels/email", "a@[192.0.2.1]", "contacts[1].channels.email: "},
      {"/1/channels/phone", "33 66 33 66", "contacts[1].channels.phone: "},
      {"/0/channels/webhook", "http://hooks.kk.dk/", "contacts[0].channels.webhook: "},
      {"/0/channels/webhook", "https://user:secret@hooks.kk.dk/", "contacts[0].channels.webhook: "},
      {"/1/language", "de", "contacts[1].language: "},
      {"/1/hours", Json{{"windows", {{{"days", {"sat"}}, {"from", "22:00"}, {"to", "06:00"}}}}},
       "contacts[1].hours.windows[0].to: "},
      {"/0/priority", 2, "contacts[1].priority: "},
      {"/0/kind", "team", "contacts[0].kind: "},
      {"/0/out_of_band", true, "contacts[1].out_of_band: another contact"},
      {"/1/out_of_band", false, "contacts: needs exactly one"},
      {"/1/secret", 1, "contacts[1].secret: unknown field"},
  };
  for (const auto& bad : cases) {
    Json list = {Role(), Night()};
    list[Json::json_pointer(bad.pointer)] = bad.value;
    auto res = Send("PUT", kBase + "0461", "odense", Json{{"contacts", list}}.dump());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad.pointer << ": " << res->body;
    const std::string message = Json::parse(res->body)["error"]["message"];
    EXPECT_EQ(message.rfind(bad.field, 0), 0u) << bad.pointer << ": " << message;
  }
  auto not_json = Send("PUT", kBase + "0461", "odense", "{\"contacts\": [");
  EXPECT_EQ(not_json->status, 400);
  EXPECT_EQ(hub_->store().RecordHistory("contacts.list", "0461")->size(), before);
}

TEST_F(Contacts, WhoMayReadWriteAndEraseAndEveryRefusalIsAudited) {
  Put("0101", "kbh", {Role(), Night(), Person()});
  struct Who {
    std::string member;
    int read, write, erase;  // expected status
  };
  // Erase with a selector nothing matches: 404 means "allowed, nothing there".
  const std::vector<Who> matrix = {
      {"kbh", 200, 200, 404},  {"kbh-sensor", 403, 403, 403}, {"odense", 403, 403, 403},
      {"cfcs", 200, 403, 403}, {"admin", 200, 200, 404},      {"", 401, 401, 401},
  };
  const std::string list = Json{{"contacts", {Role(), Night(), Person()}}}.dump();
  const std::string erase = Json{{"contact_id", "nobody"}, {"reason", "other"}}.dump();
  for (const auto& who : matrix) {
    const std::string name = who.member.empty() ? "anonymous" : who.member;
    EXPECT_EQ(Send("GET", kBase + "0101", who.member)->status, who.read) << name << " read";
    EXPECT_EQ(Send("PUT", kBase + "0101", who.member, list)->status, who.write) << name << " write";
    EXPECT_EQ(Send("POST", kBase + "0101/erase", who.member, erase)->status, who.erase) << name << " erase";
  }
  // Refusals name the refused member and what it tried; the data is in no answer.
  for (const std::string member : {"kbh-sensor", "odense"}) {
    auto res = Send("GET", kBase + "0101", member);
    EXPECT_EQ(res->body.find("Ingeborg"), std::string::npos);
    bool audited = false;
    for (const auto& entry : Audit()) {
      audited = audited || (entry.action == "read.refused" && entry.actor == "member:" + member &&
                            entry.object == "the contacts of 0101");
    }
    EXPECT_TRUE(audited) << member;
  }
}

TEST_F(Contacts, EveryReadIsAuditedNamingTheReaderAndTheMember) {
  Put("0101", "kbh", {Role(), Night()});
  for (const std::string reader : {"kbh", "cfcs", "admin"}) {
    const auto before = Audit().front().id;
    ASSERT_EQ(Send("GET", kBase + "0101", reader)->status, 200);
    int reads = 0;
    for (const auto& entry : Audit()) {
      if (entry.id <= before) break;
      if (entry.action != "contacts.read") continue;
      ++reads;
      EXPECT_EQ(entry.actor, "member:" + reader);
      EXPECT_EQ(entry.object, "0101");
      EXPECT_EQ(Json::parse(entry.detail)["count"], 2);
    }
    EXPECT_EQ(reads, 1) << reader;
  }
  // Writes are audited by the store, without the contacts' data.
  bool write_audited = false;
  for (const auto& entry : Audit()) {
    if (entry.action != "record.contacts.list.put") continue;
    write_audited = true;
    EXPECT_EQ(entry.detail.find("it-sikkerhed@"), std::string::npos);
  }
  EXPECT_TRUE(write_audited);
}

TEST_F(Contacts, ErasureLeavesThePersonNowhere) {
  // Several versions hold her; then she is removed by an ordinary write; and
  // re-registered under a new id.
  Put("0101", "kbh", {Role(), Night(), Person()});
  Json changed = Person();
  changed["hours"] = {{"windows", {{{"days", {"mon"}}, {"from", "08:00"}, {"to", "12:00"}}}}};
  Put("0101", "kbh", {Role(), Night(), changed});
  Put("0101", "kbh", {Role(), Night()});
  Json again = Person();
  again["id"] = "p-ingeborg-2";
  Put("0101", "admin", {Role(), Night(), again});
  ASSERT_NE(Send("GET", kBase + "0101", "cfcs")->body.find("Ingeborg"), std::string::npos);

  auto bad = Send("POST", kBase + "0101/erase", "kbh", Json{{"contact_id", "p-ingeborg"}}.dump());
  EXPECT_EQ(bad->status, 400);  // no reason
  bad = Send("POST", kBase + "0101/erase", "kbh",
             Json{{"contact_id", "p-ingeborg"}, {"reason", "other"}, {"reference", "Ingeborg asked"}}.dump());
  EXPECT_EQ(bad->status, 400);  // free text in the reference

  auto res = Send(
      "POST", kBase + "0101/erase", "kbh",
      Json{{"email", "Ingeborg.Testesen@kk.dk"}, {"reason", "data_subject_request"}, {"reference", "SAG-17"}}.dump());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const Json outcome = Json::parse(res->body);
  EXPECT_EQ(outcome["removed_from_current"], 1);
  EXPECT_GE(outcome["versions_rewritten"], 3);

  const std::vector<std::string> traces = {"Ingeborg", "Testesen", "ingeborg.testesen", "4561616161"};
  const auto holds_trace = [&](const std::string& text) {
    for (const auto& trace : traces) {
      if (text.find(trace) != std::string::npos) return trace;
    }
    return std::string();
  };
  for (const std::string reader : {"kbh", "cfcs", "admin"}) {
    auto read = Send("GET", kBase + "0101", reader);
    ASSERT_EQ(read->status, 200);
    EXPECT_EQ(holds_trace(read->body), "") << reader;
    EXPECT_EQ(Json::parse(read->body)["contacts"].size(), 2u);
  }
  const auto history = hub_->store().RecordHistory("contacts.list", "0101");
  ASSERT_TRUE(history.ok());
  for (const auto& version : *history) {
    EXPECT_EQ(holds_trace(version.body), "") << "version " << version.version;
  }
  bool erasure_audited = false;
  for (const auto& entry : Audit()) {
    EXPECT_EQ(holds_trace(entry.actor + entry.action + entry.object + entry.detail), "") << entry.action;
    if (entry.action == "record.contacts.list.erase") {
      erasure_audited = true;
      EXPECT_EQ(entry.actor, "member:kbh");
      const Json detail = Json::parse(entry.detail);
      EXPECT_EQ(detail["reason"], "data_subject_request");
      EXPECT_EQ(detail["reference"], "SAG-17");
    }
  }
  EXPECT_TRUE(erasure_audited);
  // Nor in the bytes of the database and its write-ahead log.
  for (const auto& file : std::filesystem::directory_iterator(hub_->dir())) {
    std::ifstream in(file.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(holds_trace(bytes), "") << file.path();
  }
  // Erasing again finds nothing.
  EXPECT_EQ(
      Send("POST", kBase + "0101/erase", "admin", Json{{"phone", "+4561616161"}, {"reason", "other"}}.dump())->status,
      404);
}

}  // namespace
}  // namespace dv
