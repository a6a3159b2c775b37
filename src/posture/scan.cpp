// SPDX-License-Identifier: Apache-2.0
#include "posture/scan.h"

namespace dv::posture {

DomainScan ScanDomain(std::string_view domain, const TxtLookup& lookup,
                      const std::function<std::string(std::string_view)>& org_of, Timestamp now,
                      const ScanProbes& probes) {
  DomainScan scan;
  scan.domain = std::string(domain);
  scan.measured_at = now;
  const auto append = [&scan](std::vector<CheckResult> results) {
    for (CheckResult& result : results) scan.checks.push_back(std::move(result));
  };
  if (probes.dnssec) scan.checks.push_back(CheckDnssec(domain, probes.dnssec));
  if (probes.mail_servers) append(probes.mail_servers(domain));
  scan.checks.push_back(CheckSpf(domain, lookup));
  if (!probes.dkim_selectors.empty()) scan.checks.push_back(CheckDkim(domain, probes.dkim_selectors, lookup));
  scan.checks.push_back(CheckDmarc(domain, lookup, org_of));
  if (probes.mta_sts) scan.checks.push_back(probes.mta_sts(domain));
  scan.checks.push_back(CheckTlsRpt(domain, lookup));
  if (probes.web) append(probes.web(domain));
  return scan;
}

std::optional<Status> ParseStatus(std::string_view name) {
  for (const Status status : {Status::kPass, Status::kWarn, Status::kFail, Status::kError}) {
    if (StatusName(status) == name) return status;
  }
  return std::nullopt;
}

nlohmann::json CheckJson(const CheckResult& result) {
  nlohmann::json out = {{"check", result.check},
                        {"status", StatusName(result.status)},
                        {"reasons", result.reasons},
                        {"evidence", result.evidence}};
  if (result.dmarcbis_status) {
    out["dmarcbis"] = {{"status", StatusName(*result.dmarcbis_status)}, {"reasons", result.dmarcbis_reasons}};
  }
  return out;
}

nlohmann::json ScanJson(const DomainScan& scan) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : scan.checks) checks.push_back(CheckJson(check));
  return {{"domain", scan.domain}, {"measured_at", scan.measured_at.ToRfc3339()}, {"checks", std::move(checks)}};
}

namespace {

Result<std::vector<std::string>> Strings(const nlohmann::json& json, const std::string& where) {
  if (!json.is_array()) return Error::InvalidArgument(where + ": expected a list of strings");
  std::vector<std::string> out;
  for (const auto& item : json) {
    if (!item.is_string()) return Error::InvalidArgument(where + ": expected a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<Status> StatusField(const nlohmann::json& object, const std::string& where) {
  if (!object.contains("status") || !object["status"].is_string()) {
    return Error::InvalidArgument(where + ".status: required, a string");
  }
  auto status = ParseStatus(object["status"].get<std::string>());
  if (!status) return Error::InvalidArgument(where + ".status: must be pass, warn, fail or error");
  return *status;
}

}  // namespace

Result<DomainScan> ScanFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Error::InvalidArgument("scan: expected an object");
  DomainScan scan;
  if (!json.contains("domain") || !json["domain"].is_string()) {
    return Error::InvalidArgument("domain: required, a string");
  }
  scan.domain = json["domain"].get<std::string>();
  if (!json.contains("measured_at") || !json["measured_at"].is_string()) {
    return Error::InvalidArgument("measured_at: required, a string");
  }
  auto measured = Timestamp::Parse(json["measured_at"].get<std::string>());
  if (!measured.ok()) return Error::InvalidArgument("measured_at: " + measured.error().message());
  scan.measured_at = *measured;
  if (!json.contains("checks") || !json["checks"].is_array()) {
    return Error::InvalidArgument("checks: required, a list");
  }
  for (std::size_t index = 0; index < json["checks"].size(); ++index) {
    const auto& item = json["checks"][index];
    const std::string where = "checks[" + std::to_string(index) + "]";
    if (!item.is_object() || !item.contains("check") || !item["check"].is_string()) {
      return Error::InvalidArgument(where + ".check: required, a string");
    }
    CheckResult result;
    result.check = item["check"].get<std::string>();
    result.domain = scan.domain;
    auto status = StatusField(item, where);
    if (!status.ok()) return status.error();
    result.status = *status;
    auto reasons = Strings(item.value("reasons", nlohmann::json::array()), where + ".reasons");
    if (!reasons.ok()) return reasons.error();
    result.reasons = std::move(reasons).value();
    auto evidence = Strings(item.value("evidence", nlohmann::json::array()), where + ".evidence");
    if (!evidence.ok()) return evidence.error();
    result.evidence = std::move(evidence).value();
    if (item.contains("dmarcbis")) {
      const auto& bis = item["dmarcbis"];
      if (!bis.is_object()) return Error::InvalidArgument(where + ".dmarcbis: expected an object");
      auto bis_status = StatusField(bis, where + ".dmarcbis");
      if (!bis_status.ok()) return bis_status.error();
      result.dmarcbis_status = *bis_status;
      auto bis_reasons = Strings(bis.value("reasons", nlohmann::json::array()), where + ".dmarcbis.reasons");
      if (!bis_reasons.ok()) return bis_reasons.error();
      result.dmarcbis_reasons = std::move(bis_reasons).value();
    }
    scan.checks.push_back(std::move(result));
  }
  return scan;
}

std::vector<Regression> Regressions(const DomainScan& before, const DomainScan& after) {
  std::vector<Regression> out;
  for (const auto& now : after.checks) {
    if (now.status != Status::kFail) continue;
    for (const auto& then : before.checks) {
      if (then.check != now.check) continue;
      if (then.status == Status::kPass || then.status == Status::kWarn) {
        out.push_back({now.check, then.status, now.status, now.reasons.empty() ? std::string() : now.reasons.front()});
      }
    }
  }
  return out;
}

}  // namespace dv::posture
