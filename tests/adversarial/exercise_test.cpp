// SPDX-License-Identifier: Apache-2.0
// Exercises on the live federation (docs/exercise.md), attacked and swept.
//
// - Isolation matrix: with no exercise, while the Zyxel 2023 scenario runs
//   (every inject delivered) and after it is stopped, every GET of the API's
//   contract outside /api/v1/exercises and every TAXII read is asked by
//   nobody, a sensor, a participant's person, a non-participant and a
//   coordinator; no answer may carry an exercise object or any trace of one
//   (the run id, the exercise property, the scenario's indicator address, the
//   incident's title, the banner). The duty chain is the one place an
//   exercise shows, on purpose: there every trace must be marked as exercise.
//   The audit log keeps the start and the stop.
// - Who may do what: only coordinators start and stop; a non-participant
//   cannot tell a run exists; a participant sees only its own part; sensors
//   see nothing; hostile scenarios are refused naming the place, before
//   anything is created.

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hub/hub_server.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;

std::string Fill(const std::string& path, const std::string& code) {
  std::string out;
  for (std::size_t idx = 0; idx < path.size(); ++idx) {
    if (path[idx] != '{') {
      out += path[idx];
      continue;
    }
    const std::size_t end = path.find('}', idx);
    const std::string name = path.substr(idx + 1, end - idx - 1);
    if (name == "code" || name == "org" || name == "member") {
      out += code;
    } else if (name == "token") {
      out += "dva_nothing";  // the form of an acknowledge link, signed by nobody
    } else {
      out += "nothing-here";
    }
    idx = end;
  }
  return out;
}

class Exercises : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("DV_EXERCISE_TICK_MS", "50", 1);
    ::setenv("DV_DUTY_TICK_MS", "50", 1);
    hub_ = std::make_unique<test::TestHub>("exercises");
    hub_->AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("kbh", "0101", MemberRole::kMember);         // in Region Hovedstaden: a participant
    hub_->AddMember("kbh-sensor", "0101", MemberRole::kSensor);  // its sensor
    hub_->AddMember("aarhus", "0751", MemberRole::kMember);      // Region Midtjylland: not in the Zyxel scenario
    hub_->Start();
  }
  void TearDown() override {
    hub_.reset();
    ::unsetenv("DV_EXERCISE_TICK_MS");
    ::unsetenv("DV_DUTY_TICK_MS");
  }

  httplib::Headers As(const std::string& who) {
    return who.empty() ? httplib::Headers{} : test::BearerHeaders(hub_->tokens().at(who));
  }
  httplib::Result Get(const std::string& who, const std::string& path) {
    return test::HubClient(hub_->port()).Send("GET", path, As(who), "", test::kJsonType);
  }
  httplib::Result Post(const std::string& who, const std::string& path, const Json& body) {
    return test::HubClient(hub_->port()).Send("POST", path, As(who), body.dump(), test::kJsonType);
  }

  // Starts the Zyxel scenario at full speed and waits until every inject is delivered.
  Json StartZyxel() {
    auto started = Post("cfcs", "/api/v1/exercises", {{"scenario", "zyxel-2023"}, {"speed", 3600}});
    EXPECT_TRUE(started);
    if (!started) return {};
    EXPECT_EQ(started->status, 201) << started->body;
    Json run = Json::parse(started->body, nullptr, false);
    const std::string id = run.value("id", "");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      auto state = Get("cfcs", "/api/v1/exercises/" + id);
      if (state && state->status == 200) {
        run = Json::parse(state->body);
        if (run.value("delivered", 0) == run.value("injects", -1)) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(run.value("delivered", 0), run.value("injects", -1)) << run.dump();
    return run;
  }

  std::unique_ptr<test::TestHub> hub_;
};

TEST_F(Exercises, NoExerciseTraceOnAnyLiveReadPathBeforeDuringOrAfter) {
  const Json document = Json::parse(HubOpenApiDocument());
  const std::vector<std::string> principals = {"", "kbh-sensor", "kbh", "aarhus", "cfcs"};
  std::vector<std::string> paths;
  for (const auto& [path, operations] : document["paths"].items()) {
    if (!operations.contains("get") || path.starts_with("/api/v1/exercises")) continue;
    paths.push_back(path);
  }
  paths.push_back("/taxii2/");
  paths.push_back("/taxii2/dannevirke/");
  paths.push_back("/taxii2/dannevirke/collections/");

  std::vector<std::string> traces = {"x_dannevirke_exercise", "192.0.2.50", "Kompromitteret firewall på rådhuset",
                                     "ØVELSE", "EXERCISE:"};
  int asked = 0;
  int duty_marked = 0;
  const auto sweep = [&](const std::string& state) {
    for (const auto& who : principals) {
      std::vector<std::string> urls;
      for (const auto& path : paths) urls.push_back(Fill(path, who == "aarhus" ? "0751" : "0101"));
      // Every collection the principal can list, with its objects and manifest.
      if (auto collections = Get(who, "/taxii2/dannevirke/collections/"); collections && collections->status == 200) {
        const Json list = Json::parse(collections->body, nullptr, false);
        for (const auto& collection : list.value("collections", Json::array())) {
          const std::string base = "/taxii2/dannevirke/collections/" + collection.value("id", "") + "/";
          urls.push_back(base + "objects/?limit=1000");
          urls.push_back(base + "manifest/?limit=1000");
        }
      }
      for (const auto& url : urls) {
        auto res = Get(who, url);
        ASSERT_TRUE(res) << state << ": GET " << url << " as " << who;
        ++asked;
        if (url.starts_with("/api/v1/openapi.json")) continue;  // the contract names the property
        const bool duty = url.starts_with("/api/v1/duty/");
        const bool audit = url.starts_with("/api/v1/audit");
        for (const auto& trace : traces) {
          if (res->body.find(trace) == std::string::npos) continue;
          if (duty) continue;  // judged below: marked, on purpose
          if (audit && trace != "x_dannevirke_exercise") continue;
          ADD_FAILURE() << state << ": GET " << url << " as " << (who.empty() ? "nobody" : who) << " shows '" << trace
                        << "': " << res->body.substr(0, 400);
        }
        if (duty && res->status == 200) {
          // Every exercise notification the duty chain shows is marked as one.
          const Json body = Json::parse(res->body, nullptr, false);
          for (const auto& item : body.value("notifications", Json::array())) {
            if (!item.is_object() || !item.contains("exercise")) continue;
            ++duty_marked;
            EXPECT_EQ(item["event"].value("kind", ""), "exercise") << url;
            EXPECT_TRUE(item["event"]["subject"].value("da", "").starts_with("ØVELSE")) << item.dump();
            EXPECT_TRUE(item["event"]["subject"].value("en", "").starts_with("EXERCISE")) << item.dump();
          }
        }
      }
    }
  };
  sweep("before");
  const Json run = StartZyxel();
  const std::string id = run.value("id", "");
  ASSERT_FALSE(id.empty());
  traces.push_back(id);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the duty chain's round
  sweep("running");
  auto stopped = Post("cfcs", "/api/v1/exercises/" + id + "/stop", Json::object());
  ASSERT_TRUE(stopped);
  ASSERT_EQ(stopped->status, 200) << stopped->body;
  sweep("stopped");
  EXPECT_GT(duty_marked, 0) << "the duty chain never showed the exercise's notifications";
  std::cout << "isolation matrix: " << paths.size() << " read paths (+ TAXII collections) x " << principals.size()
            << " principals x 3 exercise states = " << asked << " answers, none with an exercise trace\n";

  // Stopping removed nothing: the participant still sees what it was sent,
  // and the audit log keeps the start and the stop.
  auto own = Get("kbh", "/api/v1/exercises/" + id);
  ASSERT_TRUE(own);
  ASSERT_EQ(own->status, 200);
  EXPECT_FALSE(Json::parse(own->body)["delivered_injects"].empty());
  auto audit = hub_->store().ListAudit(1000);
  ASSERT_TRUE(audit.ok());
  bool start = false;
  bool stop = false;
  for (const auto& entry : *audit) {
    if (entry.action == "exercise.start" && entry.object == id) start = true;
    if (entry.action == "exercise.stop" && entry.object == id) stop = true;
  }
  EXPECT_TRUE(start);
  EXPECT_TRUE(stop);
}

TEST_F(Exercises, OnlyCoordinatorsStartAndStopAndOutsidersCannotTellARunExists) {
  for (const std::string who : {"", "kbh", "kbh-sensor", "aarhus"}) {
    auto res = Post(who, "/api/v1/exercises", {{"scenario", "zyxel-2023"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, who.empty() ? 401 : 403) << who;
  }
  const Json run = StartZyxel();
  const std::string id = run.value("id", "");
  ASSERT_FALSE(id.empty());
  // A non-participant and a sensor: the run answers as one that does not exist.
  for (const std::string who : {"aarhus", "kbh-sensor"}) {
    for (const std::string& path : {"/api/v1/exercises/" + id, "/api/v1/exercises/" + id + "/report"}) {
      auto res = Get(who, path);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 404) << who << " " << path;
      EXPECT_EQ(res->body.find("Zyxel"), std::string::npos);
    }
  }
  auto listed = Get("aarhus", "/api/v1/exercises");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200);
  const Json outsider = Json::parse(listed->body);
  EXPECT_TRUE(outsider["exercises"].empty());
  EXPECT_FALSE(outsider.contains("banner"));
  // The participant: in the list with the banner, and only its own part.
  listed = Get("kbh", "/api/v1/exercises");
  ASSERT_TRUE(listed);
  const Json mine = Json::parse(listed->body);
  ASSERT_EQ(mine["exercises"].size(), 1U);
  EXPECT_EQ(mine["banner"]["da"], "ØVELSE");
  auto own = Get("kbh", "/api/v1/exercises/" + id);
  ASSERT_TRUE(own);
  ASSERT_EQ(own->status, 200);
  const Json view = Json::parse(own->body);
  EXPECT_FALSE(view["delivered_injects"].empty());
  for (const auto& inject : view["delivered_injects"]) EXPECT_EQ(inject["organisation"], "0101");
  for (const auto& row : view["expected"]) EXPECT_EQ(row["organisation"], "0101");
  EXPECT_FALSE(view.contains("participant_codes"));
  // The coordinator sees every participant's injects.
  auto whole = Get("cfcs", "/api/v1/exercises/" + id);
  ASSERT_TRUE(whole);
  const Json all = Json::parse(whole->body);
  std::set<std::string> orgs;
  for (const auto& inject : all["delivered_injects"]) orgs.insert(inject["organisation"].get<std::string>());
  EXPECT_EQ(orgs.size(), all["participant_codes"].size());
  EXPECT_GT(orgs.size(), 20U);  // Region Hovedstaden's municipalities
  // Others cannot act or stop; the coordinator cannot act for a member.
  for (const std::string who : {"aarhus", "kbh-sensor", "cfcs"}) {
    auto acted = Post(who, "/api/v1/exercises/" + id + "/actions", {{"what", "acknowledge"}});
    ASSERT_TRUE(acted);
    EXPECT_EQ(acted->status, who == "cfcs" ? 403 : 404) << who;
  }
  for (const std::string who : {"aarhus", "kbh"}) {
    auto res = Post(who, "/api/v1/exercises/" + id + "/stop", Json::object());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << who;
  }
}

TEST_F(Exercises, AParticipantsActionsAreJudgedInTheAfterActionReport) {
  const Json run = StartZyxel();
  const std::string id = run.value("id", "");
  ASSERT_FALSE(id.empty());
  auto acted = Post("kbh", "/api/v1/exercises/" + id + "/actions", {{"what", "early_warning"}, {"note", "sendt"}});
  ASSERT_TRUE(acted);
  ASSERT_EQ(acted->status, 201) << acted->body;
  EXPECT_EQ(Json::parse(acted->body)["x_dannevirke_exercise"], id);
  auto bad = Post("kbh", "/api/v1/exercises/" + id + "/actions", {{"what", "panic"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("what:"), std::string::npos);
  auto report = Get("kbh", "/api/v1/exercises/" + id + "/report");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 200) << report->body;
  bool judged = false;
  const Json assessed = Json::parse(report->body);
  for (const auto& row : assessed["expected"]) {
    EXPECT_EQ(row["organisation"], "0101");
    if (row["what"] == "early_warning") {
      // Within +24:00 of the incident inject, which was delivered.
      EXPECT_EQ(row["outcome"], "on_time") << row.dump();
      judged = true;
    }
  }
  EXPECT_TRUE(judged) << report->body.substr(0, 2000);
  auto html = Get("cfcs", "/api/v1/exercises/" + id + "/report?format=html");
  ASSERT_TRUE(html);
  ASSERT_EQ(html->status, 200);
  EXPECT_NE(html->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(html->body.find("<html lang=\"da\">"), std::string::npos);
  EXPECT_NE(html->body.find("Zyxel-firewalls under angreb"), std::string::npos);
  EXPECT_NE(html->body.find("København (0101)"), std::string::npos);
  // After the stop nothing more can be recorded.
  ASSERT_EQ(Post("cfcs", "/api/v1/exercises/" + id + "/stop", Json::object())->status, 200);
  auto late = Post("kbh", "/api/v1/exercises/" + id + "/actions", {{"what", "decide"}});
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 409);
  EXPECT_EQ(Post("cfcs", "/api/v1/exercises/" + id + "/stop", Json::object())->status, 409);
}

TEST_F(Exercises, AHostileScenarioIsRefusedNamingThePlaceBeforeAnythingIsCreated) {
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"yaml",
         "id: x\ntitle: {da: a, en: b}\nparticipants:\n  - member: \"9999\"\ninjects:\n  - at: \"+00:00\"\n    kind: "
         "message\n    payload: {title: {da: a, en: b}, body: {da: a, en: b}}\n"},
        {"file", "bad.yaml"}},
       "bad.yaml:4: participants[0].member"},
      {{{"yaml",
         "id: x\ntitle: {da: a, en: b}\nparticipants:\n  - member: \"0101\"\ninjects:\n  - at: \"soon\"\n    kind: "
         "message\n    payload: {title: {da: a, en: b}, body: {da: a, en: b}}\n"}},
       "scenario.yaml:6: injects[0].at"},
      {{{"yaml", std::string(200, '[')}}, "scenario.yaml"},
      {{{"scenario", "../../etc/passwd"}}, "scenario: no built-in scenario"},
      {{{"scenario", "zyxel-2023"}, {"speed", 100000}}, "speed:"},
      {{{"scenario", "zyxel-2023"}, {"yaml", "id: x"}}, "either"},
      {{{"scenario", "zyxel-2023"}, {"x_more", 1}}, "x_more: unknown field"},
  };
  for (const auto& [body, expected] : cases) {
    auto res = Post("cfcs", "/api/v1/exercises", body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body.dump().substr(0, 200) << ": " << res->body;
    EXPECT_NE(res->body.find(expected), std::string::npos) << res->body;
  }
  auto listed = Get("cfcs", "/api/v1/exercises");
  ASSERT_TRUE(listed);
  EXPECT_TRUE(Json::parse(listed->body)["exercises"].empty());
  auto records = hub_->store().ListRecords({"exercise.inject", std::nullopt, false});
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

// The three built-in scenarios, and one for every municipality, played at the
// highest speed: how long until every inject has reached every participant
// (records stored, duty events handed over). Printed, not asserted on time.
TEST_F(Exercises, EveryBuiltInScenarioAndANationalOneRunToTheEnd) {
  const std::string national =
      "id: national-drill\ntitle: {da: \"Landsøvelse\", en: \"National drill\"}\nparticipants:\n"
      "  - kind: municipality\ninjects:\n"
      "  - at: \"+00:00\"\n    kind: message\n    payload: {title: {da: Varsel, en: Warning}, body: {da: Tekst, en: "
      "Text}}\n"
      "  - at: \"+00:30\"\n    kind: indicator\n    label: bad\n    payload: {name: Slem, pattern: "
      "\"[domain-name:value "
      "= 'drill.example']\"}\n"
      "  - at: \"+01:00\"\n    kind: guidance\n    payload: {title: {da: Råd, en: Advice}, body: {da: Gør, en: Do}}\n"
      "expect:\n  - who: participants\n    what: acknowledge\n    after: bad\n    within: \"+00:30\"\n";
  const std::vector<Json> starts = {{{"scenario", "zyxel-2023"}},
                                    {{"scenario", "supplier-ransomware"}},
                                    {{"scenario", "election-ddos"}},
                                    {{"yaml", national}, {"file", "national.yaml"}}};
  for (Json start : starts) {
    start["speed"] = 3600;
    const auto begun = std::chrono::steady_clock::now();
    auto res = Post("cfcs", "/api/v1/exercises", start);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    Json run = Json::parse(res->body);
    const std::string id = run["id"];
    const auto deadline = begun + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      run = Json::parse(Get("cfcs", "/api/v1/exercises/" + id)->body);
      if (run["delivered"] == run["injects"]) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(run["delivered"], run["injects"]) << id;
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
    // Every participant got every inject addressed to it.
    EXPECT_GE(run["delivered_injects"].size(), run["participants"].get<std::size_t>()) << id;
    std::cout << (start.contains("scenario") ? start["scenario"].get<std::string>() : std::string("national (yaml)"))
              << ": " << run["participants"] << " participants, " << run["injects"] << " injects, "
              << run["delivered_injects"].size() << " deliveries, all delivered " << took
              << " s after the start at 3600x (scenario length " << run["length"].get<std::string>() << ")\n";
    // A short scenario may have finished by itself already (409): either way it runs no more.
    const int stopped = Post("cfcs", "/api/v1/exercises/" + id + "/stop", Json::object())->status;
    EXPECT_TRUE(stopped == 200 || stopped == 409) << stopped;
  }
}

}  // namespace
}  // namespace dv
