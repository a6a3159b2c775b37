// SPDX-License-Identifier: Apache-2.0
// Attacks on the duty chain (docs/duty.md "In the hub"): a member tries to
// page another member's people by naming their contacts, rotas or policies
// without being shared with; a sharing withdrawn later must not crash the
// engine nor reach anyone; a sensor or another member reads or writes a
// member's duty or acknowledges its notifications; configs that try to make
// the hub work hard (many rotas, a huge body, a year-long calendar) are
// refused before the work; acknowledge links that are forged, for another
// notification, or replayed do nothing; a sensor's sighting of an indicator
// its member may not see wakes nobody and puts nothing of it in a message;
// a mail server that accepts and never answers does not hold up an
// acknowledgement.

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/time.h"
#include "core/tlp.h"
#include "core/uuid.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
const std::string kDuty = "/api/v1/duty/members/";
const std::string kNational = "7c1b0f4e-2a47-4c6f-8a53-0000000000d8";
constexpr const char* kTaxii = "application/taxii+json;version=2.1";

Json ContactList(const std::string& id) {
  return {{"contacts",
           {{{"id", id},
             {"kind", "role"},
             {"name", "Vagt"},
             {"channels", {{"email", id + "@example.dk"}}},
             {"priority", 1}},
            {{"id", id + "-oob"},
             {"kind", "role"},
             {"name", "Nødkontakt"},
             {"channels", {{"phone", "+4533663366"}}},
             {"priority", 2},
             {"out_of_band", true}}}}};
}

Json Rota(const std::string& participant) {
  return {{"layers",
           {{{"participants", {participant}}, {"rotation_days", 7}, {"handoff", "08:00"}, {"start", "2026-01-05"}}}}};
}

class DutyAttacks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = std::make_unique<test::TestHub>("duty-attacks");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("frb", "0147", MemberRole::kMember);
    Collection national;
    national.id = kNational;
    national.title = "National";
    national.default_tlp = Tlp::kGreen;
    ASSERT_TRUE(hub_->store().UpsertCollection(national, "test").ok());
    hub_->Start();
    for (const auto& [member, code, contact] :
         {std::tuple{"kbh", "0101", "kbh-soc"}, std::tuple{"frb", "0147", "frb-soc"}}) {
      auto put = Send("PUT", std::string("/api/v1/contacts/members/") + code, member, ContactList(contact).dump());
      ASSERT_TRUE(put);
      ASSERT_EQ(put->status, 200) << put->body;
    }
  }
  static void TearDownTestSuite() { hub_.reset(); }
  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "") {
    httplib::Headers headers;
    if (!member.empty()) headers = test::BearerHeaders(hub_->tokens().at(member));
    return test::HubClient(hub_->port()).Send(method, path, headers, body, test::kJsonType);
  }
  static int Status(const std::string& method, const std::string& path, const std::string& member,
                    const std::string& body = "") {
    auto res = Send(method, path, member, body);
    return res ? res->status : -1;
  }
  static void Publish(const Json& object, const std::string& member) {
    auto res =
        test::HubClient(hub_->port())
            .Post("/taxii2/dannevirke/collections/" + kNational + "/objects/",
                  test::BearerHeaders(hub_->tokens().at(member), kTaxii), Json{{"objects", {object}}}.dump(), kTaxii);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    ASSERT_EQ(Json::parse(res->body)["success_count"], 1) << res->body;
  }
  static inline std::unique_ptr<test::TestHub> hub_;
};

TEST_F(DutyAttacks, AMemberCannotPageAnotherMembersPeopleWithoutBeingSharedWith) {
  // Copenhagen names Frederiksberg's contact, rota and policy: all refused.
  Json contact = {{"rotas", {{"r", Rota("member:0147/frb-soc")}}}};
  EXPECT_EQ(Status("PUT", kDuty + "0101/config", "kbh", contact.dump()), 400);
  ASSERT_EQ(
      Status("PUT", kDuty + "0147/config", "frb",
             Json{{"rotas", {{"frb-rota", Rota("frb-soc")}}},
                  {"policies", {{"frb-p", {{"steps", {{{"targets", {{{"kind", "rota"}, {"ref", "frb-rota"}}}}}}}}}}}}
                 .dump()),
      200);
  Json pool = {{"rotas", {{"r", Rota("kbh-soc")}}}, {"pools", {{"p", {{"rotas", {"member:0147/frb-rota"}}}}}}};
  EXPECT_EQ(Status("PUT", kDuty + "0101/config", "kbh", pool.dump()), 400);
  Json hand_over = {
      {"rotas", {{"r", Rota("kbh-soc")}}},
      {"policies", {{"p", {{"steps", {{{"targets", {{{"kind", "policy"}, {"ref", "member:0147/frb-p"}}}}}}}}}}}};
  EXPECT_EQ(Status("PUT", kDuty + "0101/config", "kbh", hand_over.dump()), 400);

  // Once Frederiksberg shares with Copenhagen, the pool is accepted; when it
  // stops sharing, Copenhagen's stored pool reaches nobody at Frederiksberg
  // and the hub goes on.
  ASSERT_EQ(Status("PUT", kDuty + "0147/config", "frb",
                   Json{{"rotas", {{"frb-rota", Rota("frb-soc")}}}, {"share_with", {"0101"}}}.dump()),
            200);
  EXPECT_EQ(Status("PUT", kDuty + "0101/config", "kbh", pool.dump()), 200);
  ASSERT_EQ(Status("PUT", kDuty + "0147/config", "frb", Json{{"rotas", {{"frb-rota", Rota("frb-soc")}}}}.dump()), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // engine rounds run over the changed configs
  EXPECT_EQ(Status("GET", kDuty + "0101/on-duty", "kbh"), 200);
}

TEST_F(DutyAttacks, OnlyTheMembersPeopleWriteAndOnlyThemAndTheCoordinatorRead) {
  const std::string config = Json{{"rotas", {{"r", Rota("kbh-soc")}}}}.dump();
  ASSERT_EQ(Status("PUT", kDuty + "0101/config", "kbh", config), 200);
  for (const auto* who : {"kbh-sensor", "frb", "cfcs"}) {
    EXPECT_EQ(Status("PUT", kDuty + "0101/config", who, config), 403) << who;
    EXPECT_EQ(Status("POST", kDuty + "0101/webhook-secret", who), 403) << who;
  }
  for (const auto* path : {"/config", "/on-duty", "/notifications", "/rotas/r/ical"}) {
    EXPECT_EQ(Status("GET", kDuty + "0101" + path, "kbh-sensor"), 403) << path;
    EXPECT_EQ(Status("GET", kDuty + "0101" + path, "frb"), 403) << path;
    EXPECT_EQ(Status("GET", kDuty + "0101" + path, ""), 401) << path;
    EXPECT_EQ(Status("GET", kDuty + "0101" + path, "cfcs"), 200) << path;
  }
  // Acknowledging an unknown or another member's notification looks the same.
  EXPECT_EQ(Status("POST", "/api/v1/duty/notifications/dn-00000000000000000000000000000000/ack", "frb"), 404);
}

TEST_F(DutyAttacks, WorkIsBoundedBeforeItIsDone) {
  Json many = {{"rotas", Json::object()}};
  for (int index = 0; index < 51; ++index) many["rotas"]["r" + std::to_string(index)] = Rota("kbh-soc");
  auto res = Send("PUT", kDuty + "0101/config", "kbh", many.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("rotas: at most 50"), std::string::npos) << res->body;
  const std::string huge = "{\"rotas\": {}, \"x\": \"" + std::string(1100 * 1024, 'a') + "\"}";
  EXPECT_EQ(Status("PUT", kDuty + "0101/config", "kbh", huge), 400);
  ASSERT_EQ(Status("PUT", kDuty + "0101/config", "kbh", Json{{"rotas", {{"r", Rota("kbh-soc")}}}}.dump()), 200);
  EXPECT_EQ(Status("GET", kDuty + "0101/rotas/r/ical?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z", "kbh"), 400);
  EXPECT_EQ(Status("GET", kDuty + "0101/rotas/r/ical?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "kbh"), 400);
}

TEST_F(DutyAttacks, ForgedAndMalformedAcknowledgeLinksDoNothing) {
  for (const std::string& token :
       std::vector<std::string>{"dva_v1.AAAAAAAA.AAAA.AAAA", "dva_x", "dva_" + std::string(1000, 'A'), "dva_v1..."}) {
    auto res = Send("POST", "/api/v1/duty/ack/" + token, "");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << token.substr(0, 40);
    auto page = Send("GET", "/api/v1/duty/ack/" + token, "");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 401);
    EXPECT_EQ(page->body.find("<script"), std::string::npos);
  }
  // A flood of forged links leaves at most a few audit rows.
  auto before = hub_->store().ListAudit(Store::kMaxPageSize);
  ASSERT_TRUE(before.ok());
  for (int attempt = 0; attempt < 200; ++attempt)
    (void)Send("POST", "/api/v1/duty/ack/dva_forged" + std::to_string(attempt), "");
  auto after = hub_->store().ListAudit(Store::kMaxPageSize);
  ASSERT_TRUE(after.ok());
  const auto newest_before = before->empty() ? 0 : before->front().id;
  std::size_t added = 0;
  for (const auto& entry : *after) added += entry.id > newest_before ? 1 : 0;
  EXPECT_LE(added, 3u);
}

// Copenhagen's sensor reports a sighting of an indicator only the
// coordinator may see (TLP:AMBER+STRICT): nobody at Copenhagen is woken and
// no message carries its name. A sighting of a TLP:GREEN indicator, posted
// after it, does wake Copenhagen, so the engine did run over both.
TEST_F(DutyAttacks, ASightingOfAnIndicatorTheMemberMayNotSeeWakesNobody) {
  const Json config = {{"rotas", {{"r", Rota("kbh-soc")}}},
                       {"policies", {{"p", {{"steps", {{{"targets", {{{"kind", "rota"}, {"ref", "r"}}}}}}}}}}},
                       {"routes", {{"routes", {{{"event", "sighting"}, {"policy", "p"}}}}}}};
  ASSERT_EQ(Status("PUT", kDuty + "0101/config", "kbh", config.dump()), 200);
  const auto indicator = [](const std::string& name, Tlp tlp) {
    const std::string id = "indicator--" + Uuid::V4().ToString();
    const std::string now = Timestamp::Now().ToRfc3339();
    Publish({{"type", "indicator"},
             {"spec_version", "2.1"},
             {"id", id},
             {"created", now},
             {"modified", now},
             {"name", name},
             {"pattern", "[domain-name:value = 'c2.example']"},
             {"pattern_type", "stix"},
             {"valid_from", now},
             {"confidence", 95},
             {"object_marking_refs", {std::string(TlpMarkingId(tlp))}}},
            "cfcs");
    return id;
  };
  const auto sighting = [](const std::string& of) {
    const std::string now = Timestamp::Now().ToRfc3339();
    Publish({{"type", "sighting"},
             {"spec_version", "2.1"},
             {"id", "sighting--" + Uuid::V4().ToString()},
             {"created", now},
             {"modified", now},
             {"sighting_of_ref", of},
             {"count", 1},
             {"first_seen", now},
             {"last_seen", now}},
            "kbh-sensor");
  };
  const std::string hidden = indicator("Secret coordinator lead", Tlp::kAmberStrict);
  const std::string shared = indicator("Shared green lead", Tlp::kGreen);
  sighting(hidden);
  sighting(shared);
  Json list;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = Send("GET", kDuty + "0101/notifications", "kbh");
    ASSERT_TRUE(res);
    list = Json::parse(res->body)["notifications"];
    if (!list.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_NE(list.dump().find("Shared green lead"), std::string::npos);
  EXPECT_EQ(list.dump().find("Secret coordinator lead"), std::string::npos);
  EXPECT_EQ(list.dump().find(hidden), std::string::npos);
}

// A calendar subscription link needs no login, so it must show no more than
// the rota's shifts, only its member's people may make or revoke one, and
// a revoked, forged or truncated link shows nothing.
TEST_F(DutyAttacks, ACalendarLinkShowsOnlyShiftsAndDiesWhenRevoked) {
  ASSERT_EQ(Status("PUT", kDuty + "0101/config", "kbh", Json{{"rotas", {{"r", Rota("kbh-soc")}}}}.dump()), 200);
  for (const auto* who : {"frb", "cfcs", "kbh-sensor"}) {
    EXPECT_EQ(Status("POST", kDuty + "0101/rotas/r/calendar-link", who), 403) << who;
  }
  EXPECT_EQ(Status("POST", kDuty + "0101/rotas/nope/calendar-link", "kbh"), 404);
  auto made = Send("POST", kDuty + "0101/rotas/r/calendar-link", "kbh");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  const Json link = Json::parse(made->body);
  const std::string url = link["url"];
  const std::string path = url.substr(url.find("/api/v1/duty/calendar/"));
  auto calendar = test::HubClient(hub_->port()).Send("GET", path, {}, "", test::kJsonType);
  ASSERT_TRUE(calendar);
  ASSERT_EQ(calendar->status, 200) << calendar->body;
  EXPECT_NE(calendar->body.find("BEGIN:VCALENDAR"), std::string::npos);
  EXPECT_NE(calendar->body.find("kbh-soc"), std::string::npos);
  EXPECT_EQ(calendar->body.find("@example.dk"), std::string::npos) << "an address in a calendar anyone may hold";
  EXPECT_EQ(calendar->body.find("+4533663366"), std::string::npos);
  // The list names the link, never its token; the coordinator may read it.
  auto listed = Send("GET", kDuty + "0101/calendar-links", "cfcs");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200);
  EXPECT_EQ(listed->body.find(path.substr(path.rfind('/') + 1)), std::string::npos);
  EXPECT_NE(listed->body.find(link["id"].get<std::string>()), std::string::npos);
  EXPECT_EQ(Status("GET", kDuty + "0101/calendar-links", "frb"), 403);
  // Forged and truncated links show nothing.
  std::string forged = path;
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  for (const auto& bad : {forged, path.substr(0, path.size() - 1)}) {
    auto refused = test::HubClient(hub_->port()).Send("GET", bad, {}, "", test::kJsonType);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 404) << bad;
    EXPECT_EQ(refused->body.find("VCALENDAR"), std::string::npos);
  }
  // Another member cannot revoke it; its member can, and then it is dead.
  const std::string revoke = kDuty + "0101/calendar-links/" + link["id"].get<std::string>();
  EXPECT_EQ(Status("DELETE", revoke, "frb"), 403);
  EXPECT_EQ(Status("DELETE", revoke, "kbh"), 204);
  auto dead = test::HubClient(hub_->port()).Send("GET", path, {}, "", test::kJsonType);
  ASSERT_TRUE(dead);
  EXPECT_EQ(dead->status, 404);
  // Links are bounded per member.
  int made_count = 0;
  for (int index = 0; index < 25; ++index)
    made_count += Status("POST", kDuty + "0101/rotas/r/calendar-link", "kbh") == 201;
  EXPECT_EQ(made_count, 20);
}

// A TCP server on loopback that accepts connections and never says a word
// (a mail server gone silent, or one an attacker slows down on purpose).
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;
        clients_.push_back(client);  // held open, never written to
      }
    });
  }
  ~SilentServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
    for (const int client : clients_) ::close(client);
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::vector<int> clients_;
};

// The engine sends a step's mail while a member acknowledges. The mail
// server accepts and never answers, so the send hangs until its timeout;
// the acknowledgement does not wait for it: it is answered while the
// delivery is still pending (no delivery recorded yet), not after.
TEST(DutySilentMail, ASilentMailServerDoesNotHoldUpAnAcknowledgement) {
  SilentServer silent;
  ASSERT_NE(silent.port(), 0);
  ::setenv("DV_SMTP_URL", ("smtp://127.0.0.1:" + std::to_string(silent.port())).c_str(), 1);
  ::setenv("DV_DUTY_TICK_MS", "100", 1);
  test::TestHub hub("duty-silent-mail");
  hub.AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
  hub.AddMember("kbh", "0101", MemberRole::kMember);
  hub.Start();
  const auto send = [&hub](const std::string& method, const std::string& path, const std::string& member,
                           const std::string& body, const std::string& type) {
    return test::HubClient(hub.port()).Send(method, path, test::BearerHeaders(hub.tokens().at(member)), body, type);
  };
  ASSERT_EQ(send("PUT", "/api/v1/contacts/members/0101", "kbh", ContactList("kbh-soc").dump(), test::kJsonType)->status,
            200);
  const Json config = {{"rotas", {{"r", Rota("kbh-soc")}}},
                       {"policies", {{"p", {{"steps", {{{"targets", {{{"kind", "rota"}, {"ref", "r"}}}}}}}}}}},
                       {"routes", {{"routes", {{{"event", "outside_report"}, {"policy", "p"}}}}}}};
  ASSERT_EQ(send("PUT", kDuty + "0101/config", "kbh", config.dump(), test::kJsonType)->status, 200);
  ASSERT_EQ(send("PUT", "/api/v1/register/members/0101", "kbh", R"({"prefixes":["198.51.100.0/24"]})", test::kJsonType)
                ->status,
            200);
  auto report = send("POST", "/api/v1/notices/reports?format=shadowserver:scan_rdp&source=Test&severity=high", "cfcs",
                     "timestamp,ip,port\n2026-12-01 03:00:00,198.51.100.20,3389\n", "text/csv");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 201) << report->body;
  std::string id;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (id.empty() && std::chrono::steady_clock::now() < deadline) {
    auto list = send("GET", kDuty + "0101/notifications", "kbh", "", test::kJsonType);
    ASSERT_TRUE(list);
    const Json notifications = Json::parse(list->body)["notifications"];
    if (!notifications.empty()) id = notifications[0]["id"];
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(id.empty());
  auto ack = send("POST", "/api/v1/duty/notifications/" + id + "/ack", "kbh", "", test::kJsonType);
  ASSERT_TRUE(ack);
  ASSERT_EQ(ack->status, 200) << ack->body;
  const Json acked = Json::parse(ack->body);
  EXPECT_EQ(acked["state"]["phase"], "acknowledged");
  EXPECT_TRUE(acked["deliveries"].empty())
      << "the acknowledgement waited for the silent mail server: " << acked["deliveries"].dump();
  ::unsetenv("DV_SMTP_URL");
  ::unsetenv("DV_DUTY_TICK_MS");
}

}  // namespace
}  // namespace dv
