// SPDX-License-Identifier: Apache-2.0
#pragma once

// The exposure engine: which members' assets a vulnerability affects, why,
// how urgently, and by when.
//
// ExposureEngine is built once from all assets of all members and is then
// immutable: any number of threads may call Match/MatchAll concurrently.
// It indexes assets by CPE vendor:product and by package URL, so matching
// one CVE touches only the devices that carry a named product.
//
// Matching semantics (docs/vuln.md): NVD configurations are evaluated per
// device (AND/OR/negate, three-valued: match, no match, needs review); CSAF
// product statements always count; CVE 5 `affected` data is used when NVD
// has no configurations for the CVE. An asset whose version is unknown is
// "needs review" against a versioned criterion, never a match.
//
// Decisions (not applicable, fixed) are passed in as a map keyed by
// FindingKey(member, asset_id, cve), so they survive re-ingesting feeds and
// re-importing assets with the same asset ids.

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "vuln/asset.h"
#include "vuln/feeds.h"
#include "vuln/vulnerability.h"

namespace dv::vuln {

enum class FindingStatus { kOpen, kNeedsReview, kNotApplicable, kFixed };
std::string_view FindingStatusName(FindingStatus status);  // "open", "needs_review", "not_applicable", "fixed"

struct Decision {
  FindingStatus status = FindingStatus::kNotApplicable;  // kNotApplicable or kFixed
  std::string reason;
  std::string decided_by;
  Timestamp decided_at;
};
// "<member>|<asset_id>|<cve>".
std::string FindingKey(std::string_view member, std::string_view asset_id, std::string_view cve);
using DecisionMap = std::unordered_map<std::string, Decision>;

struct Finding {
  std::string member;
  std::string device;
  std::string asset_id;
  std::string asset_name;
  // The asset's vendor and product as its inventory names them: the CPE's
  // vendor and product ("zyxel", "usg_flex_100_firmware"), or the package
  // URL's namespace and name; empty when the asset has neither.
  std::string vendor;
  std::string product;
  std::string cve;
  FindingStatus status = FindingStatus::kOpen;
  std::string review_reason;  // for kNeedsReview: why a person must look
  // Why: the criterion that selected the asset, the asset's identifier and
  // version, and the configuration context ("AND cpe:2.3:h:zyxel:atp100:-:... on the same device").
  std::string criterion;
  std::string matched;  // the asset's identifier and version
  std::string context;
  std::string source;  // "nvd", "cve5", "csaf:<tracking id>"
  // Priority inputs.
  bool kev = false;
  bool ransomware = false;
  double epss = -1;  // -1 when unknown
  double cvss = -1;
  std::string severity;
  double centrality = 0;  // supplied by the caller (risk graph)
  std::optional<Timestamp> due;
  std::string due_basis;  // "KEV dueDate", "policy: CRITICAL, 15 days after publication"
  std::string decision_reason;

  std::string Why() const;  // one line for people
};

// KEV first, then EPSS, then CVSS, then centrality (all descending), then
// member, asset and CVE for a stable order.
bool PriorityBefore(const Finding& a, const Finding& b);

// The one JSON form of a finding, written by the hub's API and by
// `dannevirke exposure --json` (docs/vuln.md): every field of Finding, the
// status by FindingStatusName, `why` = Why(), an unknown epss or cvss as null,
// `due` as YYYY-MM-DD or "" when there is none.
nlohmann::json FindingJson(const Finding& finding);

// Days to remediate when the CVE is not in KEV, counted from publication (or
// from `as_of` when the publication date is unknown).
struct DuePolicy {
  int critical_days = 15;
  int high_days = 30;
  int medium_days = 90;
  int low_days = 180;
};

struct MatchOptions {
  Timestamp as_of;
  DuePolicy due_policy;
  const DecisionMap* decisions = nullptr;                               // may be null
  const std::unordered_map<std::string, double>* centrality = nullptr;  // member → [0, 1]; may be null
  bool include_review = true;                                           // false: only definite matches
};

struct EngineStats {
  std::size_t assets = 0;
  std::size_t devices = 0;
  std::size_t members = 0;
  std::size_t indexed_keys = 0;
  std::size_t blind_spots = 0;
  std::size_t unknown_versions = 0;
};

class ExposureEngine {
 public:
  // kIndexed looks candidates up by vendor:product and package; kNestedLoop
  // evaluates every criterion against every device (the reference the
  // benchmark and tests compare with: same findings, no index).
  enum class Mode { kIndexed, kNestedLoop };
  explicit ExposureEngine(std::vector<Asset> assets, Mode mode = Mode::kIndexed);

  // Findings for one vulnerability against every asset. `db` supplies KEV
  // and EPSS data for it (may be null).
  std::vector<Finding> Match(const Vulnerability& vuln, const VulnDatabase* db, const MatchOptions& options) const;
  // Findings for every vulnerability in `db`, sorted by priority.
  std::vector<Finding> MatchAll(const VulnDatabase& db, const MatchOptions& options) const;
  // Findings for the listed CVEs only (ApplyReport::changed_ids).
  std::vector<Finding> MatchIds(const VulnDatabase& db, const std::vector<std::string>& cves,
                                const MatchOptions& options) const;

  const std::vector<Asset>& assets() const { return assets_; }
  std::vector<BlindSpot> BlindSpots() const { return FindBlindSpots(assets_); }
  EngineStats stats() const;

 private:
  struct Device {
    std::vector<std::size_t> assets;  // indices into assets_
  };
  enum class Tri { kNo, kReview, kYes };
  struct CriterionHit {
    std::size_t asset = 0;
    Tri result = Tri::kNo;
    std::string reason;
  };

  void Candidates(const Criterion& criterion, std::vector<std::size_t>& devices) const;
  Tri EvalCriterion(const Criterion& criterion, const Asset& asset, std::string& reason) const;
  Tri EvalOnDevice(const Criterion& criterion, const Device& device, std::vector<CriterionHit>* hits) const;
  void MatchConfigurations(const Vulnerability& vuln, const std::vector<Configuration>& configs,
                           std::string_view source, std::unordered_map<std::string, Finding>& out) const;

  Mode mode_;
  std::vector<Asset> assets_;
  std::vector<Device> devices_;
  std::vector<std::size_t> device_of_;                                    // asset index → device index
  std::unordered_map<std::string, std::vector<std::size_t>> by_product_;  // "vendor:product" → asset indices
  std::unordered_map<std::string, std::vector<std::size_t>> by_vendor_;   // vendor → asset indices
  std::unordered_map<std::string, std::vector<std::size_t>> by_package_;  // purl package key → asset indices
};

}  // namespace dv::vuln
