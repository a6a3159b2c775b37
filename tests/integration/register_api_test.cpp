// SPDX-License-Identifier: Apache-2.0
// The members' register over real HTTP (hub/modules/register), with the DNS
// proof against a real authoritative server: Debian's nsd on 127.0.0.1 on a
// spare port, started and restarted by the test with the zone contents each
// step needs, and the hub's resolver pointed at it (DV_REGISTER_RESOLVER).
// Only the token the hub issued to this member for this domain proves it:
// a wrong token, another member's token and a removed record all fail.
// Skipped (the DNS tests only) where nsd is not installed. Every JSON
// response is checked against the OpenAPI document by HubClient.

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "register/txt_resolver.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;
const std::string kBase = "/api/v1/register/members/";
constexpr const char* kNsd = "/usr/sbin/nsd";

// A port no one listens on now (UDP and TCP), chosen by the kernel.
int SparePort() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

// nsd serving `zones` (zone name -> TXT strings at _dannevirke-challenge),
// each zone also answering TXT "ready" at _ready.<zone>. Serve() (re)starts
// it with new contents; the destructor stops it. Only the process it started
// is signalled.
class Nsd {
 public:
  Nsd(fs::path dir, int port) : dir_(std::move(dir)), port_(port) { fs::create_directories(dir_); }
  ~Nsd() { Stop(); }

  bool Serve(const std::map<std::string, std::vector<std::string>>& zones) {
    Stop();
    std::ofstream conf(dir_ / "nsd.conf");
    conf << "server:\n  ip-address: 127.0.0.1\n  port: " << port_ << "\n  username: \"\"\n  zonesdir: \""
         << dir_.string() << "\"\n  database: \"\"\n  pidfile: \"" << (dir_ / "nsd.pid").string()
         << "\"\n  xfrdfile: \"" << (dir_ / "xfrd.state").string() << "\"\n  zonelistfile: \""
         << (dir_ / "zone.list").string() << "\"\n  logfile: \"" << (dir_ / "nsd.log").string()
         << "\"\n  server-count: 1\n"
         << "remote-control:\n  control-enable: no\n";
    for (const auto& [zone, strings] : zones) {
      conf << "zone:\n  name: " << zone << "\n  zonefile: " << zone << ".zone\n";
      std::ofstream file(dir_ / (zone + ".zone"));
      file << "$ORIGIN " << zone << ".\n$TTL 1\n@ IN SOA ns hostmaster 1 60 60 60 1\n@ IN NS ns\nns IN A 127.0.0.1\n"
           << "_ready IN TXT \"ready\"\n";
      for (const auto& text : strings) file << "_dannevirke-challenge IN TXT \"" << text << "\"\n";
    }
    conf.close();
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string conf_path = (dir_ / "nsd.conf").string();
      ::execl(kNsd, kNsd, "-d", "-c", conf_path.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    if (pid_ < 0) return false;
    // Ready when every zone answers.
    auto resolver = reg::MakeUnboundResolver("127.0.0.1@" + std::to_string(port_), std::chrono::milliseconds(500));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (const auto& [zone, strings] : zones) {
      while (true) {
        auto answer = resolver->Lookup("_ready." + zone);
        if (answer.ok() && answer->size() == 1 && answer->front() == "ready") break;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    return true;
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }

 private:
  fs::path dir_;
  int port_;
  pid_t pid_ = 0;
};

class RegisterApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    nsd_port_ = SparePort();
    ::setenv("DV_REGISTER_RESOLVER", ("127.0.0.1@" + std::to_string(nsd_port_)).c_str(), 1);
    hub_ = std::make_unique<test::TestHub>("register");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("admin", "CFCS", MemberRole::kAdmin);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);
    hub_->AddMember("frb", "0147", MemberRole::kMember);
    hub_->AddMember("odense", "0461", MemberRole::kMember);
    hub_->Start();
    port_ = hub_->port();
    tokens_ = hub_->tokens();
  }
  static void TearDownTestSuite() {
    nsd_.reset();
    hub_.reset();
    ::unsetenv("DV_REGISTER_RESOLVER");
  }

  static httplib::Result Send(const std::string& method, const std::string& path, const std::string& member,
                              const std::string& body = "", const std::string& type = test::kJsonType) {
    return test::HubClient(port_).Send(method, path, test::BearerHeaders(tokens_[member]), body, type);
  }
  // The JSON body of an answer with `status` (failing the test otherwise).
  static Json Expect(int status, const httplib::Result& res) {
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, status) << res->body;
    return Json::parse(res->body, nullptr, false);
  }
  static Json Put(const std::string& code, const std::string& member, const Json& lists) {
    return Expect(200, Send("PUT", kBase + code, member, lists.dump()));
  }
  static Json Verify(const std::string& code, const std::string& domain, const std::string& member) {
    return Expect(200, Send("POST", kBase + code + "/domains/" + domain + "/verify", member));
  }
  static std::string Challenge(const std::string& code, const std::string& domain, const std::string& member) {
    const Json out = Expect(201, Send("POST", kBase + code + "/domains/" + domain + "/challenge", member));
    EXPECT_EQ(out["challenge"]["record"], "_dannevirke-challenge." + domain) << out.dump();
    return out["challenge"].value("token", std::string());
  }
  static bool NsdAvailable() { return fs::exists(kNsd) && nsd_port_ != 0; }
  static Nsd& TheNsd() {
    if (!nsd_) nsd_ = std::make_unique<Nsd>(hub_->dir() / "nsd", nsd_port_);
    return *nsd_;
  }

  static inline std::unique_ptr<test::TestHub> hub_;
  static inline std::unique_ptr<Nsd> nsd_;
  static inline int port_ = 0;
  static inline int nsd_port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(RegisterApi, MemberRegistersAndReadsItsOwnPresence) {
  const Json stored = Put("0461", "odense",
                          {{"domains", {"Odense.dk", "www.odense.dk"}},
                           {"prefixes", {"198.51.100.0/24", "2001:db8:461::/48"}},
                           {"asns", {"AS64496"}},
                           {"urls", {"https://www.odense.dk/borger"}}});
  EXPECT_EQ(stored["organisation"], "0461");
  EXPECT_EQ(stored["domains"][0]["name"], "odense.dk");
  EXPECT_EQ(stored["domains"][0]["status"], "unproven");
  EXPECT_EQ(stored["prefixes"], Json({"198.51.100.0/24", "2001:db8:461::/48"}));
  EXPECT_EQ(stored["asns"], Json({64496}));
  // Its own sensor and the coordinator read it; the sensor cannot write it.
  EXPECT_EQ(Expect(200, Send("GET", kBase + "0101", "kbh-sensor"))["organisation"], "0101");
  auto other = Send("GET", kBase + "0461", "kbh");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403);
  EXPECT_EQ(other->body.find("odense.dk"), std::string::npos);
  EXPECT_EQ(Expect(200, Send("GET", kBase + "0461", "cfcs"))["version"], stored["version"]);
  auto sensor_write = Send("PUT", kBase + "0101", "kbh-sensor", Json{{"domains", {"kk.dk"}}}.dump());
  ASSERT_TRUE(sensor_write);
  EXPECT_EQ(sensor_write->status, 403);

  // Errors name the field and the index; nothing changes.
  auto bad = Send("PUT", kBase + "0461", "odense", Json{{"domains", {"odense.dk", "github.io"}}}.dump());
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("domains[1]: 'github.io' is a public suffix"), std::string::npos) << bad->body;
  EXPECT_EQ(Expect(200, Send("GET", kBase + "0461", "odense"))["version"], stored["version"]);

  // CSV import on the same route.
  const Json csv = Expect(200, Send("PUT", kBase + "0461", "odense",
                                    "type,value\ndomain,odense.dk\nprefix,198.51.100.0/24\nasn,64496\n", "text/csv"));
  EXPECT_EQ(csv["domains"].size(), 1u);
  EXPECT_EQ(csv["prefixes"], Json({"198.51.100.0/24"}));
  auto bad_csv = Send("PUT", kBase + "0461", "odense", "type,value\ndomain,odense.dk\nprefix,10.0.0.0/8\n", "text/csv");
  ASSERT_TRUE(bad_csv);
  EXPECT_EQ(bad_csv->status, 400);
  EXPECT_NE(bad_csv->body.find("line 3: value: '10.0.0.0/8' overlaps"), std::string::npos) << bad_csv->body;
}

TEST_F(RegisterApi, DnsProofAcceptsOnlyTheMembersOwnToken) {
  if (!NsdAvailable()) GTEST_SKIP() << "nsd is not installed";
  Put("0101", "kbh", {{"domains", {"kk-proof.dk", "kk-removed.dk"}}, {"prefixes", {"203.0.113.0/24"}}});
  Put("0147", "frb", {{"domains", {"frb-proof.dk"}}});
  // Verifying before any challenge: 409.
  auto early = Send("POST", kBase + "0101/domains/kk-proof.dk/verify", "kbh");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409) << early->body;

  const std::string mine = Challenge("0101", "kk-proof.dk", "kbh");
  const std::string removed = Challenge("0101", "kk-removed.dk", "kbh");
  const std::string theirs = Challenge("0147", "frb-proof.dk", "frb");
  ASSERT_EQ(mine.rfind("dv-proof-", 0), 0u);
  ASSERT_NE(mine, theirs);

  // A wrong token.
  ASSERT_TRUE(TheNsd().Serve({{"kk-proof.dk", {"dv-proof-0123456789abcdef0123456789abcdef"}}}));
  Json outcome = Verify("0101", "kk-proof.dk", "kbh");
  EXPECT_EQ(outcome["proven"], false) << outcome.dump();
  EXPECT_EQ(outcome["domain"]["status"], "pending");
  // The token the hub issued to another member (for its own domain).
  ASSERT_TRUE(TheNsd().Serve({{"kk-proof.dk", {theirs}}}));
  outcome = Verify("0101", "kk-proof.dk", "kbh");
  EXPECT_EQ(outcome["proven"], false) << outcome.dump();
  EXPECT_EQ(outcome["reason"], "no TXT record at _dannevirke-challenge.kk-proof.dk holds the token issued to 0101");
  // A record published, then removed before the hub looked.
  ASSERT_TRUE(TheNsd().Serve({{"kk-removed.dk", {removed}}}));
  ASSERT_TRUE(TheNsd().Serve({{"kk-removed.dk", {}}}));
  outcome = Verify("0101", "kk-removed.dk", "kbh");
  EXPECT_EQ(outcome["proven"], false) << outcome.dump();
  EXPECT_EQ(outcome["reason"], "no TXT record at _dannevirke-challenge.kk-removed.dk");

  // The right token, among other TXT records: proven, audited.
  ASSERT_TRUE(TheNsd().Serve({{"kk-proof.dk", {"v=spf1 -all", mine}}, {"frb-proof.dk", {mine}}}));
  // Another member's people cannot verify (or see) Copenhagen's domain; Frederiksberg
  // cannot prove its own domain with Copenhagen's token.
  auto foreign = Send("POST", kBase + "0101/domains/kk-proof.dk/verify", "frb");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  EXPECT_EQ(Verify("0147", "frb-proof.dk", "frb")["proven"], false);
  outcome = Verify("0101", "kk-proof.dk", "kbh");
  EXPECT_EQ(outcome["proven"], true) << outcome.dump();
  EXPECT_EQ(outcome["domain"]["status"], "proven");
  EXPECT_EQ(outcome["domain"]["method"], "dns");
  bool audited = false;
  auto audit = hub_->store().ListAudit(100);
  ASSERT_TRUE(audit.ok());
  for (const auto& entry : *audit) {
    audited =
        audited || (entry.action == "register.domain.prove" && entry.object.find("kk-proof.dk") != std::string::npos);
  }
  EXPECT_TRUE(audited);

  // The routing table now sends the domain and the prefix to Copenhagen.
  const Json route = Expect(200, Send("GET", "/api/v1/register/route?domain=mail.kk-proof.dk", "cfcs"));
  EXPECT_EQ(route["match"]["owners"], Json({"0101"})) << route.dump();
  EXPECT_EQ(route["by"], "domain");
  // kk-removed.dk is registered but unproven: it routes nowhere.
  EXPECT_TRUE(Expect(200, Send("GET", "/api/v1/register/route?domain=kk-removed.dk", "cfcs"))["match"].is_null());
  const Json by_address =
      Expect(200, Send("GET", "/api/v1/register/route?address=203.0.113.9&domain=kk-removed.dk", "cfcs"));
  EXPECT_EQ(by_address["by"], "prefix");
  EXPECT_EQ(by_address["chain"].size(), 1u);
}

TEST_F(RegisterApi, ApprovalConflictsResolutionAndCoverage) {
  Put("0461", "odense", {{"domains", {"shared-portal.dk"}}, {"prefixes", {"192.0.2.0/24"}}});
  // A member cannot approve; a coordinator must give a reason.
  auto member_approval =
      Send("POST", kBase + "0461/domains/shared-portal.dk/approve", "odense", Json{{"reason", "mine"}}.dump());
  ASSERT_TRUE(member_approval);
  EXPECT_EQ(member_approval->status, 403);
  auto no_reason = Send("POST", kBase + "0461/domains/shared-portal.dk/approve", "cfcs", Json::object().dump());
  ASSERT_TRUE(no_reason);
  EXPECT_EQ(no_reason->status, 400);
  const Json approved = Expect(200, Send("POST", kBase + "0461/domains/shared-portal.dk/approve", "cfcs",
                                         Json{{"reason", "confirmed by telephone with Odense IT"}}.dump()));
  EXPECT_EQ(approved["status"], "approved");
  EXPECT_EQ(approved["method"], "coordinator");

  // Frederiksberg claims the same domain and prefix: a conflict both see.
  Put("0147", "frb", {{"domains", {"frb-proof.dk", "shared-portal.dk"}}, {"prefixes", {"192.0.2.0/24"}}});
  const Json odense = Expect(200, Send("GET", kBase + "0461", "odense"));
  ASSERT_EQ(odense["conflicts"].size(), 2u) << odense.dump();
  EXPECT_EQ(odense["conflicts"][1]["key"], "shared-portal.dk");
  EXPECT_EQ(odense["conflicts"][1]["claimants"], Json({"0147", "0461"}));
  EXPECT_EQ(odense["conflicts"][1]["proven"], Json({"0461"}));
  EXPECT_EQ(Expect(200, Send("GET", kBase + "0147", "frb"))["conflicts"].size(), 2u);
  const Json conflicts = Expect(200, Send("GET", "/api/v1/register/conflicts", "cfcs"));
  EXPECT_GE(conflicts["open"].size(), 2u);
  // The prefix routes to both until the coordinator decides.
  EXPECT_EQ(Expect(200, Send("GET", "/api/v1/register/route?address=192.0.2.1", "cfcs"))["match"]["conflict"], true);
  const Json resolution = Expect(
      200,
      Send("POST", "/api/v1/register/conflicts/resolve", "cfcs",
           Json{{"kind", "prefix"}, {"key", "192.0.2.0/24"}, {"owner", "0461"}, {"reason", "RIPE assignment to Odense"}}
               .dump()));
  EXPECT_EQ(resolution["overruled"], Json({"0147"}));
  EXPECT_EQ(Expect(200, Send("GET", "/api/v1/register/route?address=192.0.2.1", "cfcs"))["match"]["owners"],
            Json({"0461"}));
  auto again = Send("POST", "/api/v1/register/conflicts/resolve", "cfcs",
                    Json{{"kind", "prefix"}, {"key", "192.0.2.0/24"}, {"owner", "0461"}, {"reason", "x"}}.dump());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);

  const Json coverage = Expect(200, Send("GET", "/api/v1/register/coverage", "cfcs"));
  EXPECT_GE(coverage["registered"].get<int>(), 2);
  EXPECT_GE(coverage["domains_approved"].get<int>(), 1);
  EXPECT_GT(coverage["organisations"].get<int>(), 100);
  auto member_coverage = Send("GET", "/api/v1/register/coverage", "odense");
  ASSERT_TRUE(member_coverage);
  EXPECT_EQ(member_coverage->status, 403);
}

}  // namespace
}  // namespace dv
