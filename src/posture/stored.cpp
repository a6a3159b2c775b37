// SPDX-License-Identifier: Apache-2.0
#include "posture/stored.h"

#include <openssl/rand.h>

#include <algorithm>
#include <set>

#include "posture/records.h"

namespace dv::posture {
namespace {

std::string ResultId(std::string_view org, std::string_view domain) {
  return std::string(org) + "/" + std::string(domain);
}

std::string RegressionId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id = "prg-";
  for (const unsigned char byte : bytes) {
    id.push_back(kDigits[byte >> 4]);
    id.push_back(kDigits[byte & 0xf]);
  }
  return id;
}

Result<DomainScan> ScanOf(const Record& record) {
  const auto json = nlohmann::json::parse(record.body, nullptr, false);
  auto scan = ScanFromJson(json);
  if (!scan.ok()) return scan.error().WithContext("record " + std::string(kResultKind) + " '" + record.id + "'");
  return scan;
}

}  // namespace

Result<std::vector<Regression>> StoreScan(Store& store, std::string_view org, const DomainScan& scan,
                                          std::string_view actor) {
  const std::string id = ResultId(org, scan.domain);
  std::int64_t expected = 0;
  std::optional<DomainScan> before;
  if (auto previous = store.GetRecord(kResultKind, id); previous.ok()) {
    expected = previous->version;
    if (auto parsed = ScanOf(*previous); parsed.ok()) before = std::move(parsed).value();
  } else if (previous.error().kind() != ErrorKind::kNotFound) {
    return previous.error();
  }
  auto stored =
      store.PutRecord({std::string(kResultKind), id, std::string(org), ScanJson(scan).dump(), expected}, actor);
  if (!stored.ok()) return stored.error();
  std::vector<Regression> regressions;
  if (before) regressions = Regressions(*before, scan);
  for (const auto& regression : regressions) {
    const nlohmann::json body = {{"domain", scan.domain},
                                 {"check", regression.check},
                                 {"from", StatusName(regression.from)},
                                 {"to", StatusName(regression.to)},
                                 {"reason", regression.reason},
                                 {"measured_at", scan.measured_at.ToRfc3339()}};
    auto written =
        store.PutRecord({std::string(kRegressionKind), RegressionId(), std::string(org), body.dump(), 0}, actor);
    if (!written.ok()) return written.error();
  }
  return regressions;
}

Result<std::vector<DomainScan>> LatestScans(Store& store, std::string_view org,
                                            const std::vector<std::string>& domains) {
  auto records = store.ListRecords({std::string(kResultKind), std::string(org), false});
  if (!records.ok()) return records.error();
  const std::set<std::string> wanted(domains.begin(), domains.end());
  std::vector<DomainScan> out;
  for (const auto& record : *records) {
    auto scan = ScanOf(record);
    if (!scan.ok()) continue;  // written by this code; a bad one must not hide the others
    if (!wanted.empty() && !wanted.count(scan->domain)) continue;
    out.push_back(std::move(scan).value());
  }
  std::sort(out.begin(), out.end(), [](const DomainScan& a, const DomainScan& b) { return a.domain < b.domain; });
  return out;
}

Result<std::map<std::string, std::vector<DomainScan>>> AllLatestScans(Store& store) {
  auto records = store.ListRecords({std::string(kResultKind), std::nullopt, false});
  if (!records.ok()) return records.error();
  std::map<std::string, std::vector<DomainScan>> out;
  for (const auto& record : *records) {
    auto scan = ScanOf(record);
    if (scan.ok()) out[record.org_code].push_back(std::move(scan).value());
  }
  return out;
}

Result<std::vector<HistoryPoint>> History(Store& store, std::string_view org, std::string_view domain,
                                          std::size_t limit) {
  auto versions = store.RecordHistory(kResultKind, ResultId(org, domain));
  if (!versions.ok()) return versions.error();
  std::vector<HistoryPoint> out;
  const std::size_t first = versions->size() > limit ? versions->size() - limit : 0;
  for (std::size_t index = first; index < versions->size(); ++index) {
    const Record& record = (*versions)[index];
    if (record.deleted || record.org_code != org) continue;
    auto scan = ScanOf(record);
    if (!scan.ok()) continue;
    for (const auto& check : scan->checks) {
      out.push_back({scan->measured_at, check.check, check.status,
                     check.reasons.empty() ? std::string() : check.reasons.front()});
    }
  }
  return out;
}

std::vector<NationalShare> NationalShares(const std::map<std::string, std::vector<DomainScan>>& latest, int min_group) {
  std::map<std::string, NationalShare> shares;
  for (const std::string_view check : kCheckNames) shares[std::string(check)].check = std::string(check);
  std::map<std::string, std::pair<int, int>> counts;  // check → (passing, failing)
  for (const auto& [org, scans] : latest) {
    std::map<std::string, std::pair<bool, bool>> member;  // check → (measured, all pass); failing below
    std::map<std::string, bool> fails;
    for (const auto& scan : scans) {
      for (const auto& result : scan.checks) {
        if (result.status == Status::kError) continue;
        auto& [measured, all_pass] = member.try_emplace(result.check, false, true).first->second;
        measured = true;
        all_pass = all_pass && result.status == Status::kPass;
        if (result.status == Status::kFail) fails[result.check] = true;
      }
    }
    for (const auto& [check, state] : member) {
      auto& share = shares[check];
      share.check = check;
      ++share.members;
      if (state.second) ++counts[check].first;
      if (fails[check]) ++counts[check].second;
    }
  }
  std::vector<NationalShare> out;
  for (auto& [check, share] : shares) {
    if (share.members >= min_group) {
      share.passing = counts[check].first;
      share.failing = counts[check].second;
    }
    out.push_back(share);
  }
  return out;
}

Result<DkimSelectors> LoadDkimSelectors(Store& store, std::string_view org) {
  auto record = store.GetRecord(kDkimKind, org);
  if (!record.ok()) {
    if (record.error().kind() == ErrorKind::kNotFound) return DkimSelectors{};
    return record.error();
  }
  const auto body = nlohmann::json::parse(record->body, nullptr, false);
  DkimSelectors out;
  if (body.is_discarded() || !body.contains("selectors") || !body["selectors"].is_object()) return out;
  for (const auto& [domain, list] : body["selectors"].items()) {
    if (!list.is_array()) continue;
    for (const auto& selector : list) {
      if (selector.is_string()) out[domain].push_back(selector.get<std::string>());
    }
  }
  return out;
}

Result<DkimSelectors> DkimSelectorsFromJson(const nlohmann::json& body, const std::vector<std::string>& proven) {
  constexpr std::size_t kMaxDomains = 50;
  if (!body.is_object() || !body.contains("selectors") || !body["selectors"].is_object()) {
    return Error::InvalidArgument("selectors: required, an object of domain → list of selectors");
  }
  if (body["selectors"].size() > kMaxDomains) return Error::InvalidArgument("selectors: more than 50 domains");
  DkimSelectors out;
  for (const auto& [domain, list] : body["selectors"].items()) {
    const std::string where = "selectors." + domain.substr(0, 253);
    if (std::find(proven.begin(), proven.end(), domain) == proven.end()) {
      return Error::InvalidArgument(where + ": not a proven domain of the member");
    }
    if (!list.is_array()) return Error::InvalidArgument(where + ": expected a list of selectors");
    std::string joined;
    for (const auto& selector : list) {
      if (!selector.is_string()) return Error::InvalidArgument(where + ": expected a list of selectors");
      const std::string text = selector.get<std::string>();
      if (text.find(',') != std::string::npos) {
        return Error::InvalidArgument(where + ": '" + text.substr(0, 64) + "' is not a DKIM selector");
      }
      joined += (joined.empty() ? "" : ",") + text;
      if (joined.size() > 8192) return Error::InvalidArgument(where + ": too long");
    }
    auto parsed = ParseDkimSelectors(joined);
    if (!parsed.ok()) return Error::InvalidArgument(where + ": " + parsed.error().message());
    out[domain] = std::move(parsed).value();
  }
  return out;
}

dv::Status StoreDkimSelectors(Store& store, std::string_view org, const DkimSelectors& selectors,
                              std::string_view actor) {
  nlohmann::json body = {{"selectors", nlohmann::json::object()}};
  for (const auto& [domain, list] : selectors) body["selectors"][domain] = list;
  RecordWrite write;
  write.kind = std::string(kDkimKind);
  write.id = std::string(org);
  write.org_code = std::string(org);
  write.body = body.dump();
  auto stored = store.PutRecord(write, actor);
  if (!stored.ok()) return stored.error();
  return Ok();
}

}  // namespace dv::posture
