// SPDX-License-Identifier: Apache-2.0
// A correlation rule under a flood of group-by values (docs/sensor.md,
// "Correlation rules"): someone who can write to a log the sensor follows
// (a web form feeding a log, a spoofed syslog source) writes 100,000 failed
// logons, each from a different address, to make a shared correlation keep
// one window per address. The rule comes from the coordinator through a
// real hub; Copenhagen's sensor follows the log. Its open groups stay within
// the cap, the overflow is counted and said, and a real burst after the
// flood is still reported and sighted.

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/organisation.h"
#include "core/uuid.h"
#include "sensor/follow.h"
#include "sensor/sensor.h"
#include "sensor/taxii_client.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
constexpr const char* kFloodTaxii = "application/taxii+json;version=2.1";

std::string FloodCollectionId() { return Uuid::V5(DannevirkeNamespace(), "collection:national").ToString(); }

// A failed-logon rule and an event_count correlation per source address
// that refers to it by id, in one indicator from the coordinator.
Json FloodCorrelationIndicator() {
  Organisation cfcs;
  cfcs.code = "CFCS";
  const std::string time = Timestamp(Timestamp::Now().unix_ms() - 3'600'000).ToRfc3339();
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", "indicator--" + Uuid::V5(DannevirkeNamespace(), "adversarial:correlation-flood").ToString()},
          {"created", time},
          {"modified", time},
          {"name", "Password guessing from one address"},
          {"pattern",
           "title: Failed logon\n"
           "id: 7d2c4b1a-0e9f-4a8b-9c7d-6e5f4a3b2c01\n"
           "logsource: {product: windows, service: security}\n"
           "detection:\n"
           "  selection: {EventID: 4625}\n"
           "  condition: selection\n"
           "---\n"
           "title: Password guessing from one address\n"
           "id: 7d2c4b1a-0e9f-4a8b-9c7d-6e5f4a3b2c02\n"
           "correlation:\n"
           "  type: event_count\n"
           "  rules: [7d2c4b1a-0e9f-4a8b-9c7d-6e5f4a3b2c01]\n"
           "  group-by: [IpAddress]\n"
           "  timespan: 1h\n"
           "  condition: {gte: 5}\n"
           "level: high\n"},
          {"pattern_type", "sigma"},
          {"valid_from", time},
          {"created_by_ref", cfcs.StixId()},
          {"object_marking_refs", {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"}}};
}

TEST(CorrelationFlood, AFloodOfGroupByValuesStaysWithinTheCapIsReportedAndARealBurstStillAlerts) {
  test::TestHub hub("adv-correlation-flood");
  Collection national;
  national.id = FloodCollectionId();
  national.title = "Nationale indikatorer";
  national.default_tlp = Tlp::kGreen;
  ASSERT_TRUE(hub.store().UpsertCollection(national, "test").ok());
  hub.AddMember("cfcs-analyst", "CFCS", MemberRole::kCoordinator);
  hub.AddMember("0101-sensor", "0101", MemberRole::kSensor);
  hub.Start();
  const Json indicator = FloodCorrelationIndicator();
  auto posted = test::HubClient(hub.port(), 60)
                    .Post("/taxii2/dannevirke/collections/" + FloodCollectionId() + "/objects/",
                          test::BearerHeaders(hub.tokens().at("cfcs-analyst"), kFloodTaxii),
                          Json{{"objects", {indicator}}}.dump(), kFloodTaxii);
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 202) << posted->body;
  ASSERT_EQ(Json::parse(posted->body)["success_count"], 1) << posted->body;

  sensor::TaxiiClientOptions client_options;
  client_options.hub_url = "http://127.0.0.1:" + std::to_string(hub.port());
  client_options.token = hub.tokens().at("0101-sensor");
  auto client = sensor::TaxiiClient::Create(client_options);
  ASSERT_TRUE(client.ok());
  sensor::SensorOptions options;
  options.collections = {FloodCollectionId()};
  options.org_code = "0101";
  options.state_dir = hub.dir() / "sensor-0101";
  options.archive = false;
  std::vector<std::string> notices;
  std::vector<std::string> alerts;
  options.on_notice = [&](const std::string& notice) { notices.push_back(notice); };
  options.on_alert = [&](const detect::Alert& alert, bool) { alerts.push_back(alert.rule_id); };
  auto created = sensor::Sensor::Create(**client, options);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  sensor::Sensor& sensor = **created;
  ASSERT_TRUE(sensor.Pull().ok());
  ASSERT_EQ(sensor.stats().sigma_indicators, 1U);

  const fs::path log = hub.dir() / "security.jsonl";
  std::ofstream(log).flush();
  auto follower = sensor::FileFollower::Create({log.string()}, sensor::FollowOptions{});
  ASSERT_TRUE(follower.ok()) << follower.error().ToString();
  const std::int64_t start = Timestamp::Now().unix_ms() - 30 * 60'000;
  constexpr int kFlood = 100'000;
  {
    std::ofstream out(log, std::ios::app);
    for (int address = 0; address < kFlood; ++address) {
      // One try from each address: none reaches the threshold.
      const std::string ip = "10." + std::to_string(address >> 16) + "." + std::to_string((address >> 8) & 255) + "." +
                             std::to_string(address & 255);
      out << R"({"@timestamp": ")" << Timestamp(start + address / 100).ToRfc3339()
          << R"(", "Channel": "Security", "EventID": 4625, "IpAddress": ")" << ip << "\"}\n";
    }
  }
  auto poll = [&] { return (*follower)->Poll([&](const Event& event) { sensor.ProcessEvent(event); }); };
  EXPECT_EQ(poll(), static_cast<std::size_t>(kFlood));
  const detect::CorrelationLimits limits;  // the defaults
  auto live = sensor.LiveCorrelations();
  ASSERT_EQ(live.size(), 1U);
  EXPECT_EQ(live[0].open_groups, limits.max_groups);
  EXPECT_LE(live[0].entries, limits.max_entries);
  EXPECT_EQ(live[0].dropped_groups, kFlood - limits.max_groups);
  EXPECT_EQ(sensor.stats().correlation_overflows, 2 * (kFlood - limits.max_groups));  // a group of one event each
  EXPECT_TRUE(alerts.empty());
  bool said = false;
  for (const auto& notice : notices) {
    said = said || (notice.rfind(indicator["id"].get<std::string>() + ": correlation 'Password guessing", 0) == 0 &&
                    notice.find("reached its limit (10000 open groups") != std::string::npos);
  }
  EXPECT_TRUE(said) << (notices.empty() ? "no notice" : notices.back());

  // The real attack after the flood: five tries from one address.
  {
    std::ofstream out(log, std::ios::app);
    for (int attempt = 0; attempt < 5; ++attempt) {
      out << R"({"@timestamp": ")" << Timestamp(start + 1'000'000 + attempt * 1000).ToRfc3339()
          << R"(", "Channel": "Security", "EventID": 4625, "IpAddress": "203.0.113.99"})"
          << "\n";
    }
  }
  EXPECT_EQ(poll(), 5U);
  EXPECT_EQ(alerts, std::vector<std::string>{indicator["id"].get<std::string>()});
  ASSERT_EQ(*sensor.Publish(), 1U);
  live = sensor.LiveCorrelations();
  EXPECT_LE(live[0].open_groups, limits.max_groups);
}

}  // namespace
}  // namespace dv
