// SPDX-License-Identifier: Apache-2.0
#pragma once

// A member's posture results in the hub's store (docs/posture.md, "In the
// hub"): one record per proven domain whose versions are the domain's
// measurements, newest last, and one record per regression (a check that
// went from pass or warn to fail), which the duty chain raises.
//
// Who may read them is the hub module's rule; these functions do not check.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "posture/scan.h"
#include "store/store.h"

namespace dv::posture {

// id "<org>/<domain>"; org_code the member; body ScanJson.
inline constexpr std::string_view kResultKind = "posture.result";
// id "prg-<32 hex>"; body {"domain", "check", "from", "to", "reason", "measured_at"}.
inline constexpr std::string_view kRegressionKind = "posture.regression";

// Stores `scan` as the newest measurement of `org`'s domain and records the
// regressions against the one before (each as a kRegressionKind record).
// Returns the regressions.
Result<std::vector<Regression>> StoreScan(Store& store, std::string_view org, const DomainScan& scan,
                                          std::string_view actor);

// The newest measurement of each of `org`'s domains, by domain; only domains
// in `domains` when it is not empty (a domain no longer proven is not the
// member's any more, and its old results say nothing about the member).
Result<std::vector<DomainScan>> LatestScans(Store& store, std::string_view org,
                                            const std::vector<std::string>& domains = {});

// Every member's newest measurements, by organisation code.
Result<std::map<std::string, std::vector<DomainScan>>> AllLatestScans(Store& store);

// One check's verdicts over time for one domain, oldest first; at most
// `limit` (the newest).
struct HistoryPoint {
  Timestamp measured_at;
  std::string check;
  Status status = Status::kError;
  std::string reason;
};
Result<std::vector<HistoryPoint>> History(Store& store, std::string_view org, std::string_view domain,
                                          std::size_t limit = 400);

// The national share per check: of the members with a measurement, how many
// pass on every measured domain. A check measured at fewer than
// `min_group` members is hidden (members, passing unset): with so few, the
// figure points at members.
struct NationalShare {
  std::string check;
  int members = 0;             // members with at least one verdict other than error
  std::optional<int> passing;  // nullopt: hidden
  std::optional<int> failing;  // members with a fail on any domain; nullopt: hidden
};
std::vector<NationalShare> NationalShares(const std::map<std::string, std::vector<DomainScan>>& latest,
                                          int min_group = 5);

// The DKIM selectors a member lists per proven domain (record kind
// "posture.dkim", id the organisation code, every version kept): the scan
// checks the key at each (CheckDkim). Empty when the member lists none.
inline constexpr std::string_view kDkimKind = "posture.dkim";
using DkimSelectors = std::map<std::string, std::vector<std::string>>;
Result<DkimSelectors> LoadDkimSelectors(Store& store, std::string_view org);
// {"selectors": {"kolding.dk": ["selector1", "s2"]}}: at most 50 domains,
// each with 1–20 selectors (ParseDkimSelectors), each domain one of
// `proven`; kInvalidArgument naming the field (selectors.<domain>) otherwise.
Result<DkimSelectors> DkimSelectorsFromJson(const nlohmann::json& body, const std::vector<std::string>& proven);
dv::Status StoreDkimSelectors(Store& store, std::string_view org, const DkimSelectors& selectors,
                              std::string_view actor);

}  // namespace dv::posture
