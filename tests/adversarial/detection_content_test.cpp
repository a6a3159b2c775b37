// SPDX-License-Identifier: Apache-2.0
// Hostile shared detection content (docs/sensor.md, "Whose content runs" and
// "Budgets"): a Sigma rule with a 100,000-deep condition or YAML nesting, a
// 50,000-long `not` chain, a catastrophic regular expression, and a rule from
// a publisher the member does not trust. Each is published through a real
// hub and pulled by a real sensor over TAXII. The hub refuses what is over
// budget at intake; content that reached the store by another way (an older
// hub, a restore) is skipped and reported by the sensor, which keeps
// running and still fires the benign rule.

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/organisation.h"
#include "core/uuid.h"
#include "detect/indicators/indicator_index.h"
#include "sensor/sensor.h"
#include "sensor/taxii_client.h"
#include "sigma/value_matcher.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";

std::string NationalId() { return Uuid::V5(DannevirkeNamespace(), "collection:national").ToString(); }
std::string IdentityOf(const std::string& code) {
  Organisation organisation;
  organisation.code = code;
  return organisation.StixId();
}

std::string Repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t idx = 0; idx < times; ++idx) out += piece;
  return out;
}

// A rule on sshd events whose detection is `selection` with `condition`.
std::string SshRule(const std::string& id, const std::string& condition,
                    const std::string& value_key = "message|contains",
                    const std::string& value = "'Failed password for invalid user'") {
  return "title: Rule " + id + "\nid: " + id + "\nlogsource: {product: linux, service: sshd}\ndetection:\n" +
         "  selection:\n    " + value_key + ": " + value + "\n  condition: " + condition + "\nlevel: high\n";
}

Json SigmaIndicator(const std::string& name, const std::string& yaml, const std::string& publisher) {
  // Valid from an hour ago, before the events of the log.
  const std::string time = Timestamp(Timestamp::Now().unix_ms() - 3'600'000).ToRfc3339();
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", "indicator--" + Uuid::V5(DannevirkeNamespace(), "adversarial:" + name).ToString()},
          {"created", time},
          {"modified", time},
          {"name", name},
          {"pattern", yaml},
          {"pattern_type", "sigma"},
          {"valid_from", time},
          {"created_by_ref", IdentityOf(publisher)},
          {"object_marking_refs", {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"}}};
}

class DetectionContent : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = std::make_unique<test::TestHub>("adv-detection");
    Collection national;
    national.id = NationalId();
    national.title = "Nationale indikatorer";
    national.default_tlp = Tlp::kGreen;
    ASSERT_TRUE(hub_->store().UpsertCollection(national, "test").ok());
    hub_->AddMember("cfcs-analyst", "CFCS", MemberRole::kCoordinator);
    hub_->AddMember("0751-soc", "0751", MemberRole::kMember);
    hub_->AddMember("0101-sensor", "0101", MemberRole::kSensor);
    hub_->Start();
    log_ = hub_->dir() / "auth.jsonl";
    std::ofstream out(log_);
    for (int line_idx = 0; line_idx < 20; ++line_idx) {
      out << Json{{"@timestamp", Timestamp::Now().ToRfc3339()},
                  {"app", "sshd"},
                  {"host", "kbh-web01"},
                  {"DestinationIp", "185.220.101.4"},
                  {"message", "Failed password for invalid user " + Repeat("a", 3000) + "b from 185.220.101.4"}}
                 .dump()
          << "\n";
    }
  }

  // POSTs `objects` as `member`; the TAXII status resource.
  Json Post(const std::string& member, const std::vector<Json>& objects) {
    auto res =
        test::HubClient(hub_->port(), 60)
            .Post("/taxii2/dannevirke/collections/" + NationalId() + "/objects/",
                  test::BearerHeaders(hub_->tokens().at(member), kTaxii), Json{{"objects", objects}}.dump(), kTaxii);
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 202) << res->body;
    return Json::parse(res->body, nullptr, false);
  }

  // Puts `object` in the store past the intake, as content stored before the
  // budgets existed would be.
  void StorePastIntake(const Json& object, const std::string& producer) {
    NewObject stored;
    stored.id = object["id"];
    stored.type = "indicator";
    stored.spec_version = "2.1";
    stored.version = object["modified"];
    stored.tlp = Tlp::kGreen;
    stored.json = object.dump();
    auto added = hub_->store().AddObjects(NationalId(), {stored}, producer, "test");
    ASSERT_TRUE(added.ok()) << added.error().ToString();
  }

  struct Run {
    sensor::SensorStats stats;
    std::vector<std::string> notices;
    std::vector<std::string> alerts;
  };

  // One cycle of Copenhagen's sensor: pull, scan the log, publish.
  Run RunSensor() {
    Run run;
    sensor::TaxiiClientOptions client_options;
    client_options.hub_url = "http://127.0.0.1:" + std::to_string(hub_->port());
    client_options.token = hub_->tokens().at("0101-sensor");
    auto client = sensor::TaxiiClient::Create(client_options);
    EXPECT_TRUE(client.ok());
    if (!client.ok()) return run;
    sensor::SensorOptions options;
    options.collections = {NationalId()};
    options.org_code = "0101";
    options.state_dir = hub_->dir() / "sensor-0101";
    options.archive = false;
    options.on_notice = [&](const std::string& notice) { run.notices.push_back(notice); };
    options.on_alert = [&](const detect::Alert& alert, bool) { run.alerts.push_back(alert.rule_id); };
    auto created = sensor::Sensor::Create(**client, options);
    EXPECT_TRUE(created.ok()) << created.error().ToString();
    if (!created.ok()) return run;
    auto pulled = (*created)->Pull();
    EXPECT_TRUE(pulled.ok()) << pulled.error().ToString();
    const std::vector<std::string> logs = {log_.string()};
    EXPECT_TRUE((*created)->ScanLogs(logs).ok());
    auto published = (*created)->Publish();
    EXPECT_TRUE(published.ok()) << published.error().ToString();
    run.stats = (*created)->stats();
    return run;
  }

  static bool Noticed(const Run& run, const std::string& prefix, const std::string& part) {
    for (const auto& notice : run.notices) {
      if (notice.rfind(prefix, 0) == 0 && notice.find(part) != std::string::npos) return true;
    }
    return false;
  }

  std::unique_ptr<test::TestHub> hub_;
  fs::path log_;
};

TEST_F(DetectionContent, OverBudgetRulesAreRefusedByTheHubAndSkippedBySensors) {
  const Json benign = SigmaIndicator("benign", SshRule("benign-1", "selection"), "CFCS");
  const Json deep_condition = SigmaIndicator(
      "deep-condition", SshRule("deep-1", Repeat("(", 100'000) + "selection" + Repeat(")", 100'000)), "CFCS");
  const Json nested_condition = SigmaIndicator(
      "nested-condition", SshRule("nested-1", Repeat("(", 1'000) + "selection" + Repeat(")", 1'000)), "CFCS");
  const Json deep_yaml = SigmaIndicator(
      "deep-yaml", SshRule("yaml-1", "selection", "message", Repeat("[", 100'000) + Repeat("]", 100'000)), "CFCS");
  const Json not_chain = SigmaIndicator("not-chain", SshRule("not-1", Repeat("not ", 50'000) + "selection"), "CFCS");

  const Json status = Post("cfcs-analyst", {benign, deep_condition, nested_condition, deep_yaml, not_chain});
  EXPECT_EQ(status["success_count"], 1) << status.dump();
  EXPECT_EQ(status["failure_count"], 4);
  std::map<std::string, std::string> refused;
  for (const auto& failure : status["failures"]) refused[failure["id"]] = failure["message"];
  EXPECT_NE(refused[deep_condition["id"]].find("over budget: line 7: condition is 200009 bytes, over the limit of "
                                               "65536 bytes"),
            std::string::npos)
      << refused[deep_condition["id"]];
  EXPECT_NE(refused[nested_condition["id"]].find("parentheses nested deeper than the limit of 64"), std::string::npos)
      << refused[nested_condition["id"]];
  EXPECT_NE(refused[deep_yaml["id"]].find("YAML nesting deeper than 64 levels at line 6"), std::string::npos)
      << refused[deep_yaml["id"]];
  EXPECT_NE(refused[not_chain["id"]].find("condition is 200009 bytes, over the limit of 65536 bytes"),
            std::string::npos)
      << refused[not_chain["id"]];

  // The same content stored past the intake: the sensor skips and reports each.
  for (const Json* hostile : {&deep_condition, &nested_condition, &deep_yaml, &not_chain})
    StorePastIntake(*hostile, "CFCS");
  const Run run = RunSensor();
  EXPECT_EQ(run.stats.sigma_indicators, 1U);
  EXPECT_EQ(run.stats.sigma_indicators_failed, 4U);
  EXPECT_TRUE(Noticed(run, deep_condition["id"], "condition is 200009 bytes, over the limit of 65536 bytes"));
  EXPECT_TRUE(Noticed(run, nested_condition["id"], "parentheses nested deeper than the limit of 64"));
  EXPECT_TRUE(Noticed(run, deep_yaml["id"], "YAML nesting deeper than 64 levels at line 6"));
  EXPECT_TRUE(Noticed(run, not_chain["id"], "condition is 200009 bytes, over the limit of 65536 bytes"));
  // The benign rule still fires on every event, and its sightings are posted.
  EXPECT_EQ(run.stats.events, 20U);
  EXPECT_EQ(run.stats.sigma_indicator_hits, 20U);
  EXPECT_EQ(run.stats.sightings_posted, 1U);
}

TEST_F(DetectionContent, CatastrophicRegexesStopAtTheirLimitAndTheBenignRuleStillFires) {
  const Json benign = SigmaIndicator("benign", SshRule("benign-1", "selection"), "CFCS");
  const Json catastrophic =
      SigmaIndicator("catastrophic", SshRule("re-1", "selection", "message|re", "'(a+)+$'"), "CFCS");
  const Json status = Post("cfcs-analyst", {benign, catastrophic});
  EXPECT_EQ(status["success_count"], 2) << status.dump();
  const std::uint64_t stopped_before = sigma::RegexLimitCountsNow().stopped;
  const Run run = RunSensor();
  EXPECT_EQ(run.stats.sigma_indicators, 2U);
  EXPECT_EQ(run.stats.sigma_indicator_hits, 20U);  // only the benign rule
  const std::uint64_t stopped = sigma::RegexLimitCountsNow().stopped - stopped_before;
  EXPECT_EQ(stopped, 16U);  // then the expression is switched off
  EXPECT_GE(run.stats.regex_matches_stopped, stopped);
}

TEST_F(DetectionContent, RulesAndPatternsOfUntrustedPublishersDoNotRunExactValuesDo) {
  const Json benign = SigmaIndicator("benign", SshRule("benign-1", "selection"), "CFCS");
  Post("cfcs-analyst", {benign});
  // Aarhus, an ordinary member, publishes a rule that tests one character of
  // a field — the sighting oracle — and a MATCHES indicator doing the same.
  const Json oracle = SigmaIndicator("oracle", SshRule("oracle-1", "selection", "message|re", "'^Failed p'"), "0751");
  Json pattern = SigmaIndicator("pattern-oracle", "", "0751");
  pattern["pattern_type"] = "stix";
  pattern["pattern"] = "[process:command_line MATCHES '^Failed p']";
  const Json exact = [&] {
    Json object = SigmaIndicator("exact", "", "0751");
    object["pattern_type"] = "stix";
    object["pattern"] = "[ipv4-addr:value = '185.220.101.4']";
    return object;
  }();
  const Json status = Post("0751-soc", {oracle, pattern, exact});
  EXPECT_EQ(status["success_count"], 3) << status.dump();

  Run run = RunSensor();
  EXPECT_EQ(run.stats.sigma_indicators, 1U);
  EXPECT_EQ(run.stats.untrusted_skipped, 2U);
  EXPECT_TRUE(Noticed(run, oracle["id"],
                      "Sigma rule skipped: its publisher (" + IdentityOf("0751") + ") is not trusted by this member"));
  EXPECT_TRUE(Noticed(run, pattern["id"], "indicator skipped: it is not an exact value"));
  EXPECT_EQ(run.stats.sigma_indicator_hits, 20U);
  // The exact-value indicator runs whoever published it.
  EXPECT_EQ(run.stats.indicator_hits, 40U);
}

}  // namespace
}  // namespace dv
