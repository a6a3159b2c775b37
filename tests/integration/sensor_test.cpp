// SPDX-License-Identifier: Apache-2.0
// The sensor against a real hub over HTTP: member A (Aarhus) publishes
// indicators; member B's sensor (Copenhagen) pulls them, finds one in a log
// it scanned before the indicator existed (retro-hunt) and one in a new log,
// and posts sightings that A can read — with counts, and without log lines.

#include "sensor/sensor.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/organisation.h"
#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "sensor/follow.h"
#include "support/hub_client.h"

namespace dv {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";

std::string NationalId() { return Uuid::V5(DannevirkeNamespace(), "collection:national").ToString(); }

Json IndicatorFor(const std::string& ip, Timestamp now) {
  const std::string time = now.ToRfc3339();
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", "indicator--" + Uuid::V4().ToString()},
          {"created", time},
          {"modified", time},
          {"name", "C2 server " + ip},
          {"pattern", "[ipv4-addr:value = '" + ip + "']"},
          {"pattern_type", "stix"},
          {"valid_from", time},
          {"object_marking_refs", {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"}}};
}

// A Sigma rule (`yaml`, one or more documents) shared by Aarhus as a STIX
// indicator (pattern_type sigma).
Json SigmaIndicatorByAarhus(const std::string& name, const std::string& yaml) {
  Json rule = IndicatorFor("0.0.0.0", Timestamp::Now());
  rule["name"] = name;
  rule["pattern_type"] = "sigma";
  Organisation aarhus;
  aarhus.code = "0751";
  rule["created_by_ref"] = aarhus.StixId();
  rule["pattern"] = yaml;
  return rule;
}

class SensorEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dv-sensor-it-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = Store::Open("sqlite:" + (dir_ / "hub.db").string()).value();
    ASSERT_TRUE(SeedFederation(*store_, LoadDemoFederation().value()).ok());
    Collection national;
    national.id = NationalId();
    national.title = "Nationale indikatorer";
    national.default_tlp = Tlp::kGreen;
    ASSERT_TRUE(store_->UpsertCollection(national, "test").ok());
    for (const auto& [id, org, role] :
         std::vector<std::tuple<std::string, std::string, MemberRole>>{{"0751-soc", "0751", MemberRole::kMember},
                                                                       {"0101-soc", "0101", MemberRole::kMember},
                                                                       {"0101-sensor", "0101", MemberRole::kSensor}}) {
      ASSERT_TRUE(store_->UpsertMember({id, org, id, role}, "test").ok());
      const std::string token = hub::NewToken();
      ASSERT_TRUE(store_->AddToken(hub::HashToken(token), id, "test", "test").ok());
      tokens_[id] = token;
    }
    HubOptions options;
    options.port = 0;
    options.taxii.requests_per_second = 1000;
    options.taxii.burst = 1000;
    server_ = std::make_unique<HubServer>(*store_, options);
    port_ = server_->Bind().value();
    thread_ = std::thread([this] { (void)server_->Serve(); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
    server_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  httplib::Headers Headers(const std::string& member) { return test::BearerHeaders(tokens_[member], kTaxii); }
  std::string ObjectsPath() { return "/taxii2/dannevirke/collections/" + NationalId() + "/objects/"; }

  void PostAsAarhus(const std::vector<Json>& objects) {
    auto res =
        test::HubClient(port_).Post(ObjectsPath(), Headers("0751-soc"), Json{{"objects", objects}}.dump(), kTaxii);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 202) << res->body;
    ASSERT_EQ(Json::parse(res->body)["success_count"], objects.size()) << res->body;
  }
  // The sightings in the national collection as Aarhus sees them, and the raw body.
  std::pair<std::vector<Json>, std::string> SightingsAsAarhus() {
    auto res = test::HubClient(port_).Get(ObjectsPath() + "?match[type]=sighting", Headers("0751-soc"));
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    const Json body = Json::parse(res->body);
    std::vector<Json> out;
    if (body.contains("objects")) out.assign(body["objects"].begin(), body["objects"].end());
    return {out, res->body};
  }

  // Copenhagen's sensor's client to this hub.
  sensor::TaxiiClientOptions CopenhagenClientOptions() {
    sensor::TaxiiClientOptions client_options;
    client_options.hub_url = "http://127.0.0.1:" + std::to_string(port_);
    client_options.token = tokens_["0101-sensor"];
    return client_options;
  }
  // Copenhagen's sensor on the national collection, its state in `state`.
  sensor::SensorOptions CopenhagenSensorOptions(const std::string& state) {
    sensor::SensorOptions options;
    options.collections = {NationalId()};
    options.org_code = "0101";
    options.state_dir = dir_ / state;
    return options;
  }

  // One `--once` run of Copenhagen's sensor: a new client and Sensor over the same state folder.
  sensor::SensorStats RunSensorOnce(const std::vector<std::string>& logs) {
    auto client = sensor::TaxiiClient::Create(CopenhagenClientOptions());
    EXPECT_TRUE(client.ok());
    sensor::SensorOptions options = CopenhagenSensorOptions("sensor-0101");
    auto created = sensor::Sensor::Create(**client, options);
    EXPECT_TRUE(created.ok()) << created.error().ToString();
    auto pulled = (*created)->Pull();
    EXPECT_TRUE(pulled.ok()) << pulled.error().ToString();
    EXPECT_TRUE((*created)->ScanLogs(logs).ok());
    auto published = (*created)->Publish();
    EXPECT_TRUE(published.ok()) << published.error().ToString();
    return (*created)->stats();
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<HubServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::map<std::string, std::string> tokens_;
};

TEST_F(SensorEndToEnd, TheChangeFeedAnnouncesANewIndicatorAndTheNextPullFetchesIt) {
  sensor::TaxiiClientOptions client_options;
  client_options.hub_url = "http://127.0.0.1:" + std::to_string(port_);
  client_options.token = tokens_["0101-sensor"];
  client_options.timeout = std::chrono::seconds(60);
  auto client = sensor::TaxiiClient::Create(client_options);
  ASSERT_TRUE(client.ok());
  auto waiter = sensor::TaxiiClient::Create(client_options);  // the feed's own client, as the CLI has
  ASSERT_TRUE(waiter.ok());
  sensor::SensorOptions options;
  options.collections = {NationalId()};
  options.org_code = "0101";
  options.state_dir = dir_ / "sensor-push";
  auto created = sensor::Sensor::Create(**client, options);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  sensor::Sensor& sensor = **created;
  ASSERT_TRUE(sensor.Pull().ok());
  auto waiting = std::async(std::launch::async, [&, cursors = sensor.ChangeCursors()] {
    return (*waiter)->WaitForChanges(cursors, std::chrono::seconds(40));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  PostAsAarhus({IndicatorFor("203.0.113.77", Timestamp::Now())});
  auto news = waiting.get();
  ASSERT_TRUE(news.ok()) << news.error().ToString();
  EXPECT_EQ(*news, std::vector<std::string>{NationalId()});
  auto pulled = sensor.Pull();
  ASSERT_TRUE(pulled.ok());
  EXPECT_EQ(pulled->added, 1u);
  // With the cursor past it, nothing is new.
  auto quiet = (*waiter)->WaitForChanges(sensor.ChangeCursors(), std::chrono::seconds(0));
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE(quiet->empty());
  // Interrupt ends a wait in progress (the sensor stopping).
  auto interrupted = std::async(std::launch::async, [&, cursors = sensor.ChangeCursors()] {
    return (*waiter)->WaitForChanges(cursors, std::chrono::seconds(40));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  (*waiter)->Interrupt();
  ASSERT_EQ(interrupted.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_FALSE(interrupted.get().ok());
}

TEST_F(SensorEndToEnd, PublishedIndicatorsComeBackAsSightingsLiveAndByRetroHunt) {
  // Yesterday's firewall log, scanned while no indicator knew the address.
  const fs::path old_log = dir_ / "firewall-yesterday.jsonl";
  const Timestamp yesterday(Timestamp::Now().unix_ms() - 24 * 3'600'000);
  std::ofstream(old_log) << Json{{"@timestamp", yesterday.ToRfc3339()},
                                 {"SourceIp", "10.1.2.3"},
                                 {"DestinationIp", "203.0.113.66"},
                                 {"user", "kbh-secret-user"}}
                                .dump()
                         << "\n";
  auto first = RunSensorOnce({old_log.string()});
  EXPECT_EQ(first.events, 1U);
  EXPECT_EQ(first.indicator_hits, 0U);
  EXPECT_EQ(first.archived, 1U);
  EXPECT_TRUE(SightingsAsAarhus().first.empty());

  // Aarhus publishes two indicators; Copenhagen's next run sees one live and one in its archive.
  const auto published_at = std::chrono::steady_clock::now();
  const Json retro_indicator = IndicatorFor("203.0.113.66", Timestamp::Now());
  const Json live_indicator = IndicatorFor("198.51.100.23", Timestamp::Now());
  PostAsAarhus({retro_indicator, live_indicator});
  const fs::path new_log = dir_ / "proxy-today.jsonl";
  {
    std::ofstream out(new_log);
    for (int line_idx = 0; line_idx < 3; ++line_idx) {
      out << Json{{"@timestamp", Timestamp::Now().ToRfc3339()},
                  {"DestinationIp", line_idx < 2 ? "198.51.100.23" : "192.0.2.8"},
                  {"url", "http://intranet.kk.dk/secret-path"}}
                 .dump()
          << "\n";
    }
  }
  auto second = RunSensorOnce({new_log.string()});
  EXPECT_EQ(second.indicators_matchable, 2U);
  EXPECT_EQ(second.indicator_hits, 2U);
  EXPECT_EQ(second.retro_hits, 1U);
  EXPECT_EQ(second.sightings_posted, 2U);

  auto [sightings, body] = SightingsAsAarhus();
  const auto visible_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - published_at).count();
  std::cout << "[ measure  ] indicator POST -> sighting visible at the hub: " << visible_ms << " ms\n";
  ASSERT_EQ(sightings.size(), 2U) << body;
  Organisation copenhagen;
  copenhagen.code = "0101";
  std::map<std::string, Json> by_indicator;
  for (const auto& sighting : sightings) by_indicator[sighting["sighting_of_ref"]] = sighting;
  ASSERT_TRUE(by_indicator.contains(live_indicator["id"]));
  ASSERT_TRUE(by_indicator.contains(retro_indicator["id"]));
  const Json& live = by_indicator[live_indicator["id"]];
  EXPECT_EQ(live["count"], 2);
  EXPECT_EQ(live["where_sighted_refs"], Json::array({copenhagen.StixId()}));
  const Json& retro = by_indicator[retro_indicator["id"]];
  EXPECT_EQ(retro["count"], 1);
  EXPECT_EQ(retro["first_seen"], yesterday.ToRfc3339());
  // Nothing of the logs reaches the hub.
  for (const char* secret : {"kbh-secret-user", "secret-path", "10.1.2.3", "firewall-yesterday", "proxy-today",
                             "intranet", "203.0.113.66", "198.51.100.23"}) {
    EXPECT_EQ(body.find(secret), std::string::npos) << secret;
  }
  for (const auto& sighting : sightings) {
    std::set<std::string> keys;
    for (const auto& [key, value] : sighting.items()) keys.insert(key);
    EXPECT_EQ(keys, (std::set<std::string>{"type", "spec_version", "id", "created", "modified", "created_by_ref",
                                           "sighting_of_ref", "first_seen", "last_seen", "count", "where_sighted_refs",
                                           "object_marking_refs"}));
  }

  // A third run with nothing new posts nothing and hunts nothing again.
  auto third = RunSensorOnce({});
  EXPECT_EQ(third.retro_hunts, 0U);
  EXPECT_EQ(third.sightings_posted, 0U);
  EXPECT_EQ(SightingsAsAarhus().first.size(), 2U);
}

// Issue 4: a Sigma rule shared as a STIX indicator (pattern_type sigma)
// matches at Copenhagen's sensor and is sighted; when Copenhagen's SOC
// reports an address indicator as a false positive at the hub, the sensor's
// next cycle stops alerting on it.
TEST_F(SensorEndToEnd, SharedSigmaRulesAlertAndAFalsePositiveStopsAlertsAtTheNextCycle) {
  Json address = IndicatorFor("185.220.101.77", Timestamp::Now());
  Json rule = SigmaIndicatorByAarhus("SSH password guessing with unknown users",
                                     "title: SSH password guessing with unknown users\n"
                                     "id: 0b8f3c2a-6a3e-4a57-9a4b-1c2d3e4f5a6b\n"
                                     "logsource: {product: linux, service: sshd}\n"
                                     "detection:\n"
                                     "  selection:\n"
                                     "    message|contains: 'Failed password for invalid user'\n"
                                     "  condition: selection\n"
                                     "level: high\n");
  PostAsAarhus({address, rule});

  auto client = sensor::TaxiiClient::Create(CopenhagenClientOptions());
  ASSERT_TRUE(client.ok());
  sensor::SensorOptions options = CopenhagenSensorOptions("sensor-0101-live");
  options.trusted_publishers = {"0751"};  // Aarhus is not the coordinator: Copenhagen trusts it explicitly
  std::vector<std::string> notices;
  options.on_notice = [&](const std::string& notice) { notices.push_back(notice); };
  auto created = sensor::Sensor::Create(**client, options);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  sensor::Sensor& sensor = **created;
  auto pulled = sensor.Pull();
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(sensor.stats().sigma_indicators, 1U);
  EXPECT_EQ(sensor.stats().state_polls, 1U);

  const fs::path log = dir_ / "auth.log";
  std::ofstream(log) << "<38>1 " << Timestamp::Now().ToRfc3339()
                     << " kbh-web01 sshd 4242 - - Failed password for invalid user kbh-admin from 185.220.101.77\n"
                     << Json{{"DestinationIp", "185.220.101.77"}}.dump() << "\n";
  const std::vector<std::string> logs = {log.string()};
  ASSERT_TRUE(sensor.ScanLogs(logs).ok());
  EXPECT_EQ(sensor.stats().indicator_hits, 2U);
  EXPECT_EQ(sensor.stats().sigma_indicator_hits, 1U);
  ASSERT_EQ(*sensor.Publish(), 2U);
  auto [sightings, body] = SightingsAsAarhus();
  std::set<std::string> sighted;
  for (const auto& sighting : sightings) sighted.insert(sighting["sighting_of_ref"].get<std::string>());
  EXPECT_EQ(sighted, (std::set<std::string>{address["id"], rule["id"]}));
  EXPECT_EQ(body.find("kbh-admin"), std::string::npos);

  // Copenhagen's SOC: the address is our own scanner, a false positive for us.
  test::HubClient hub(port_);
  auto reported = hub.Post("/api/v1/indicators/" + address["id"].get<std::string>() + "/false-positive",
                           test::BearerHeaders(tokens_["0101-soc"]),
                           Json{{"scope", "self"}, {"reason", "our vulnerability scanner"}}.dump());
  ASSERT_TRUE(reported);
  ASSERT_EQ(reported->status, 201) << reported->body;

  pulled = sensor.Pull();  // the next cycle
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->inactive, 1U);
  EXPECT_TRUE(pulled->rebuilt);
  ASSERT_TRUE(sensor.ScanLogs(logs).ok());
  EXPECT_EQ(sensor.stats().indicator_hits, 3U);  // only the Sigma rule hit again
  EXPECT_EQ(sensor.stats().sigma_indicator_hits, 2U);
  bool noticed = false;
  for (const auto& notice : notices) {
    noticed =
        noticed || notice.rfind(address["id"].get<std::string>() + " is inactive at the hub (false_positive", 0) == 0;
  }
  EXPECT_TRUE(noticed);
}

// A correlation rule shared from the hub: Aarhus publishes one indicator
// holding a failed-logon rule and an event_count correlation that refers to
// it by name (a multi-document YAML). Copenhagen's sensor follows its log as
// `dannevirke sensor` does (FileFollower into Sensor::ProcessEvent); four
// failed logons from one address within the timespan report nothing, five
// from another report the correlation once, and the hub receives one
// sighting of the correlation's indicator.
TEST_F(SensorEndToEnd, AFollowedLogReportsASharedCorrelationOnceAtItsThresholdAndNotBelowIt) {
  Json rule = SigmaIndicatorByAarhus("Password guessing from one address",
                                     "title: Failed logon\n"
                                     "id: 5f0e2a1b-7c3d-4e5f-8a9b-0c1d2e3f4a01\n"
                                     "name: failed_logon\n"
                                     "logsource: {product: windows, service: security}\n"
                                     "detection:\n"
                                     "  selection: {EventID: 4625}\n"
                                     "  condition: selection\n"
                                     "level: low\n"
                                     "---\n"
                                     "title: Password guessing from one address\n"
                                     "id: 5f0e2a1b-7c3d-4e5f-8a9b-0c1d2e3f4a02\n"
                                     "correlation:\n"
                                     "  type: event_count\n"
                                     "  rules: [failed_logon]\n"
                                     "  group-by: [IpAddress]\n"
                                     "  timespan: 10m\n"
                                     "  condition: {gte: 5}\n"
                                     "level: high\n");
  PostAsAarhus({rule});

  auto client = sensor::TaxiiClient::Create(CopenhagenClientOptions());
  ASSERT_TRUE(client.ok());
  sensor::SensorOptions options = CopenhagenSensorOptions("sensor-0101-follow");
  options.trusted_publishers = {"0751"};
  std::vector<std::string> alerts;
  options.on_alert = [&](const detect::Alert& alert, bool) {
    alerts.push_back(std::string(detect::AlertKindName(alert.kind)) + " " + alert.rule_id);
  };
  auto created = sensor::Sensor::Create(**client, options);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  sensor::Sensor& sensor = **created;
  ASSERT_TRUE(sensor.Pull().ok());
  ASSERT_EQ(sensor.stats().sigma_indicators, 1U);

  const fs::path log = dir_ / "security.jsonl";
  std::ofstream(log).flush();  // exists, empty: followed from its end
  auto follower = sensor::FileFollower::Create({log.string()}, sensor::FollowOptions{});
  ASSERT_TRUE(follower.ok()) << follower.error().ToString();
  const Timestamp start(Timestamp::Now().unix_ms() - 30 * 60'000);
  int second = 0;
  auto failed_logons = [&](const std::string& address, int count) {
    std::ofstream out(log, std::ios::app);
    for (int attempt = 0; attempt < count; ++attempt) {
      second += 20;
      out << Json{{"@timestamp", Timestamp(start.unix_ms() + second * 1000).ToRfc3339()},
                  {"Channel", "Security"},
                  {"EventID", 4625},
                  {"IpAddress", address},
                  {"TargetUserName", "kbh-user-" + std::to_string(attempt)}}
                 .dump()
          << "\n";
    }
  };
  auto poll = [&] { return (*follower)->Poll([&](const Event& event) { sensor.ProcessEvent(event); }); };

  failed_logons("198.51.100.4", 4);  // N-1
  EXPECT_EQ(poll(), 4U);
  EXPECT_TRUE(alerts.empty());
  EXPECT_EQ(*sensor.Publish(), 0U);

  failed_logons("203.0.113.99", 5);  // N
  EXPECT_EQ(poll(), 5U);
  EXPECT_EQ(alerts, std::vector<std::string>{"correlation " + rule["id"].get<std::string>()});
  failed_logons("203.0.113.99", 2);  // the burst goes on, below a second threshold
  EXPECT_EQ(poll(), 2U);
  EXPECT_EQ(alerts.size(), 1U);
  EXPECT_EQ(sensor.stats().correlation_alerts, 1U);
  EXPECT_EQ(sensor.stats().correlation_overflows, 0U);
  ASSERT_EQ(*sensor.Publish(), 1U);

  auto [sightings, body] = SightingsAsAarhus();
  ASSERT_EQ(sightings.size(), 1U) << body;
  EXPECT_EQ(sightings[0]["sighting_of_ref"], rule["id"]);
  EXPECT_EQ(sightings[0]["count"], 1);
  EXPECT_EQ(body.find("203.0.113.99"), std::string::npos);
  EXPECT_EQ(body.find("kbh-user"), std::string::npos);
}

}  // namespace
}  // namespace dv
