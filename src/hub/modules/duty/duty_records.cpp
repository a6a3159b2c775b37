// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/duty/duty_records.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace dv::hub::duty_records {

using Json = nlohmann::json;

Result<std::vector<vuln::KevClockEntry>> LoadKevClock(Store& store, VulnService& vulns, const std::string& member) {
  auto findings = vulns.Findings("", member);
  if (!findings.ok()) return findings.error();
  std::map<std::string, Json> clocks;                              // member -> its clock record
  std::map<std::string, std::map<std::string, Record>> decisions;  // member -> key -> decision
  std::map<std::string, std::pair<std::optional<Timestamp>, std::optional<Timestamp>>>
      notified;  // key -> (sent, acked)
  auto notifications = store.ListRecords(
      {std::string(kNotificationKind), member.empty() ? std::nullopt : std::optional<std::string>(member), false});
  if (!notifications.ok()) return notifications.error();
  for (const auto& record : *notifications) {
    const Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object() || body["event"].value("kind", "") != "kev_exposure") continue;
    const std::string key = record.org_code + "|" + body["event"].value("reference", "");
    auto& times = notified[key];
    for (const auto& delivery : body.value("deliveries", Json::array())) {
      if (!delivery.value("ok", false)) continue;
      auto at = Timestamp::Parse(delivery.value("at", ""));
      if (at.ok() && (!times.first || *at < *times.first)) times.first = *at;
    }
    if (body.contains("state") && body["state"].contains("acknowledged")) {
      auto at = Timestamp::Parse(body["state"]["acknowledged"].value("at", ""));
      if (at.ok()) times.second = *at;
    }
  }
  // For every member: each kind read once (not twice per member: a round
  // trip each on a database server).
  if (member.empty()) {
    auto all_clocks = store.ListRecords({std::string(kKevClockKind), std::nullopt, false});
    auto all_decisions = vulns.Decisions(std::nullopt);
    if (all_clocks.ok() && all_decisions.ok()) {
      for (const auto& finding : *findings) {
        if (finding.kev) clocks[finding.member] = Json::object();
      }
      for (const auto& record : *all_clocks) {
        if (clocks.count(record.id)) clocks[record.id] = Json::parse(record.body, nullptr, false);
      }
      for (const auto& decision : *all_decisions) {
        if (!clocks.count(decision.org_code)) continue;
        const Json body = Json::parse(decision.body, nullptr, false);
        if (body.is_object()) {
          decisions[decision.org_code][body.value("cve", "") + "|" + body.value("asset_id", "")] = decision;
        }
      }
    }
  }
  std::map<std::string, std::optional<VulnService::CveInfo>> cves;
  std::vector<vuln::KevClockEntry> out;
  for (const auto& finding : *findings) {
    if (!finding.kev) continue;
    if (!clocks.count(finding.member)) {
      auto record = store.GetRecord(kKevClockKind, finding.member);
      clocks[finding.member] = record.ok() ? Json::parse(record->body, nullptr, false) : Json::object();
      auto stored = vulns.Decisions(finding.member);
      if (stored.ok()) {
        for (const auto& decision : *stored) {
          const Json body = Json::parse(decision.body, nullptr, false);
          if (body.is_object())
            decisions[finding.member][body.value("cve", "") + "|" + body.value("asset_id", "")] = decision;
        }
      }
    }
    if (!cves.count(finding.cve)) {
      auto info = vulns.FindCve(finding.cve);
      cves[finding.cve] = info.ok() ? *info : std::nullopt;
    }
    const std::string key = finding.cve + "|" + finding.asset_id;
    vuln::KevClockEntry entry;
    entry.member = finding.member;
    entry.cve = finding.cve;
    entry.asset_id = finding.asset_id;
    if (const auto& info = cves[finding.cve]) {
      entry.published = info->vuln.published;
      if (info->kev) {
        auto added = Timestamp::Parse(info->kev->date_added + "T00:00:00Z");
        if (added.ok()) entry.kev_added = *added;
        auto due = Timestamp::Parse(info->kev->due_date + "T00:00:00Z");
        if (due.ok()) entry.due = *due;
      }
    }
    const Json& clock = clocks[finding.member];
    if (clock.is_object() && clock.contains("findings") && clock["findings"].contains(key)) {
      auto detected = Timestamp::Parse(clock["findings"][key].value("detected", ""));
      if (detected.ok()) entry.detected = *detected;
    }
    if (finding.status == vuln::FindingStatus::kFixed || finding.status == vuln::FindingStatus::kNotApplicable) {
      entry.decision = finding.status == vuln::FindingStatus::kFixed ? "fixed" : "not_applicable";
      const auto decision = decisions[finding.member].find(key);
      if (decision != decisions[finding.member].end()) entry.decided = decision->second.at;
    }
    const auto times = notified.find(finding.member + "|" + key);
    if (times != notified.end()) {
      entry.notified = times->second.first;
      entry.acknowledged = times->second.second;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::map<std::string, AckFigures>> LoadAckFigures(Store& store, Timestamp since, Timestamp now,
                                                         std::int64_t window_ms) {
  auto records = store.ListRecords({std::string(kNotificationKind), std::nullopt, false});
  if (!records.ok()) return records.error();
  std::map<std::string, AckFigures> out;
  std::map<std::string, std::vector<double>> minutes;
  for (const auto& record : *records) {
    const Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object() || !body.value("routed", false)) continue;
    if (body.contains("exercise")) continue;  // practice is not evidence of the live duty chain
    auto created = Timestamp::Parse(body.value("created", ""));
    if (!created.ok() || *created < since || !(*created < now)) continue;
    std::optional<Timestamp> acked;
    if (body.contains("state") && body["state"].is_object() && body["state"].contains("acknowledged") &&
        body["state"]["acknowledged"].is_object()) {
      auto at = Timestamp::Parse(body["state"]["acknowledged"].value("at", ""));
      if (at.ok()) acked = *at;
    }
    const std::int64_t waited = (acked ? *acked : now).unix_ms() - created->unix_ms();
    if (!acked && waited < window_ms) continue;  // still in its window: not judged yet
    auto& figures = out[record.org_code];
    ++figures.routed;
    if (acked && waited <= window_ms) ++figures.acknowledged_in_time;
    if (acked) minutes[record.org_code].push_back(static_cast<double>(waited) / 60'000.0);
  }
  for (auto& [org, figures] : out) figures.median_minutes = vuln::Percentile(minutes[org], 50);
  return out;
}

Result<std::vector<ExerciseAck>> LoadExerciseAcks(Store& store, std::string_view exercise) {
  auto records = store.ListRecords({std::string(kNotificationKind), std::nullopt, false});
  if (!records.ok()) return records.error();
  std::vector<ExerciseAck> out;
  for (const auto& record : *records) {
    const Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object() || body.value("exercise", "") != exercise) continue;
    ExerciseAck ack;
    ack.org = record.org_code;
    ack.notification = record.id;
    ack.routed = body.value("routed", false);
    if (body.contains("state") && body["state"].is_object() && body["state"].contains("acknowledged") &&
        body["state"]["acknowledged"].is_object()) {
      auto at = Timestamp::Parse(body["state"]["acknowledged"].value("at", ""));
      if (at.ok()) ack.acknowledged = *at;
    }
    out.push_back(std::move(ack));
  }
  return out;
}

}  // namespace dv::hub::duty_records
