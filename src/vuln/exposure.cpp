// SPDX-License-Identifier: Apache-2.0
#include "vuln/exposure.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "vuln/json_util.h"

namespace dv::vuln {
namespace {

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

std::string AssetIdentifier(const Asset& asset) {
  std::string out = asset.has_cpe ? asset.cpe.ToString() : (asset.has_purl ? asset.purl.ToString() : asset.name);
  if (asset.version_known && !asset.has_cpe && (!asset.has_purl || asset.purl.version.empty()))
    out += " " + asset.version;
  return out;
}

void SetVendorProduct(const Asset& asset, Finding& finding) {
  if (asset.has_cpe) {
    // A name the CPE leaves open (ANY, NA) names no vendor or product.
    const auto named = [](const CpeValue& value) {
      return value.kind == CpeValue::Kind::kValue ? value.Unescaped() : std::string();
    };
    finding.vendor = named(asset.cpe.vendor());
    finding.product = named(asset.cpe.product());
  } else if (asset.has_purl) {
    finding.vendor = asset.purl.namespace_;
    finding.product = asset.purl.name;
  }
}

std::string FirstToken(std::string_view escaped) {
  std::string out;
  for (std::size_t pos = 0; pos < escaped.size(); ++pos) {
    const char c = escaped[pos];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (!out.empty()) {
      break;
    } else if (c == '\\') {
      ++pos;
    }
  }
  return out;
}

}  // namespace

nlohmann::json FindingJson(const Finding& finding) {
  using internal::Json;
  return {{"member", finding.member},
          {"device", finding.device},
          {"asset_id", finding.asset_id},
          {"asset_name", finding.asset_name},
          {"vendor", finding.vendor},
          {"product", finding.product},
          {"cve", finding.cve},
          {"status", FindingStatusName(finding.status)},
          {"review_reason", finding.review_reason},
          {"criterion", finding.criterion},
          {"matched", finding.matched},
          {"context", finding.context},
          {"source", finding.source},
          {"why", finding.Why()},
          {"kev", finding.kev},
          {"ransomware", finding.ransomware},
          {"epss", finding.epss >= 0 ? Json(finding.epss) : Json()},
          {"cvss", finding.cvss >= 0 ? Json(finding.cvss) : Json()},
          {"severity", finding.severity},
          {"centrality", finding.centrality},
          {"due", finding.due ? finding.due->ToRfc3339().substr(0, 10) : std::string()},
          {"due_basis", finding.due_basis},
          {"decision_reason", finding.decision_reason}};
}

std::string_view FindingStatusName(FindingStatus status) {
  switch (status) {
    case FindingStatus::kOpen:
      return "open";
    case FindingStatus::kNeedsReview:
      return "needs_review";
    case FindingStatus::kNotApplicable:
      return "not_applicable";
    case FindingStatus::kFixed:
      return "fixed";
  }
  return "open";
}

std::string FindingKey(std::string_view member, std::string_view asset_id, std::string_view cve) {
  std::string key;
  key.reserve(member.size() + asset_id.size() + cve.size() + 2);
  key.append(member).append("|").append(asset_id).append("|").append(cve);
  return key;
}

std::string Finding::Why() const {
  std::string out = criterion + " matched " + matched;
  if (!context.empty()) out += "; " + context;
  out += " [" + source + "]";
  if (!review_reason.empty()) out += "; needs review: " + review_reason;
  return out;
}

bool PriorityBefore(const Finding& a, const Finding& b) {
  return std::tie(b.kev, b.epss, b.cvss, b.centrality, a.member, a.asset_id, a.cve) <
         std::tie(a.kev, a.epss, a.cvss, a.centrality, b.member, b.asset_id, b.cve);
}

ExposureEngine::ExposureEngine(std::vector<Asset> assets, Mode mode) : mode_(mode), assets_(std::move(assets)) {
  std::unordered_map<std::string, std::size_t> device_index;
  device_of_.resize(assets_.size());
  for (std::size_t asset_idx = 0; asset_idx < assets_.size(); ++asset_idx) {
    const Asset& asset = assets_[asset_idx];
    const auto [slot, inserted] = device_index.emplace(asset.DeviceKey(), devices_.size());
    if (inserted) devices_.emplace_back();
    devices_[slot->second].assets.push_back(asset_idx);
    device_of_[asset_idx] = slot->second;
    if (!BlindSpotReason(asset).empty()) continue;
    if (asset.has_cpe) {
      const std::string& vendor = asset.cpe.vendor().value;
      by_product_[vendor + ":" + asset.cpe.product().value].push_back(asset_idx);
      by_vendor_[vendor].push_back(asset_idx);
    }
    if (asset.has_purl) by_package_[asset.purl.PackageKey()].push_back(asset_idx);
  }
}

EngineStats ExposureEngine::stats() const {
  EngineStats stats;
  stats.assets = assets_.size();
  stats.devices = devices_.size();
  stats.indexed_keys = by_product_.size() + by_package_.size();
  std::unordered_map<std::string, int> members;
  for (const Asset& asset : assets_) {
    members[asset.member] = 1;
    if (!BlindSpotReason(asset).empty())
      ++stats.blind_spots;
    else if (!asset.version_known)
      ++stats.unknown_versions;
  }
  stats.members = members.size();
  return stats;
}

void ExposureEngine::Candidates(const Criterion& criterion, std::vector<std::size_t>& devices) const {
  if (mode_ == Mode::kNestedLoop) {
    for (std::size_t device_idx = 0; device_idx < devices_.size(); ++device_idx) devices.push_back(device_idx);
    return;
  }
  auto add = [&](const std::unordered_map<std::string, std::vector<std::size_t>>& index, const std::string& key) {
    const auto found = index.find(key);
    if (found == index.end()) return;
    for (std::size_t asset_idx : found->second) devices.push_back(device_of_[asset_idx]);
  };
  switch (criterion.kind) {
    case Criterion::Kind::kCpe: {
      const CpeValue& vendor = criterion.cpe.vendor();
      const CpeValue& product = criterion.cpe.product();
      // An ANY or wildcard vendor is never looked up: it would select every product.
      if (vendor.kind != CpeValue::Kind::kValue || vendor.HasWildcard()) return;
      if (product.kind == CpeValue::Kind::kValue && !product.HasWildcard())
        add(by_product_, vendor.value + ":" + product.value);
      else
        add(by_vendor_, vendor.value);
      return;
    }
    case Criterion::Kind::kPurl:
      add(by_package_, criterion.purl.PackageKey());
      return;
    case Criterion::Kind::kName:
      if (criterion.vendor.empty()) return;
      add(by_vendor_, criterion.vendor);
      return;
  }
}

ExposureEngine::Tri ExposureEngine::EvalCriterion(const Criterion& criterion, const Asset& asset,
                                                  std::string& reason) const {
  Tri result = Tri::kYes;
  auto review = [&](std::string why) {
    result = Tri::kReview;
    if (!reason.empty()) reason += "; ";
    reason += std::move(why);
  };
  auto check_versions = [&](VersionScheme scheme) -> bool {
    if (criterion.range) {
      if (!asset.version_known) {
        review("the asset's version is unknown");
        return true;
      }
      VersionRange range = *criterion.range;
      if (criterion.kind != Criterion::Kind::kCpe || range.scheme == VersionScheme::kGeneric) {
        if (range.scheme == VersionScheme::kGeneric) range.scheme = scheme;
      }
      return range.Contains(asset.version);
    }
    if (!criterion.exact_version.empty()) {
      if (!asset.version_known) {
        review("the asset's version is unknown");
        return true;
      }
      return CompareVersions(criterion.exact_version, asset.version, scheme) == 0;
    }
    return true;
  };
  switch (criterion.kind) {
    case Criterion::Kind::kCpe: {
      if (!asset.has_cpe || !BlindSpotReason(asset).empty()) return Tri::kNo;
      const CpeNameComparison cmp = CompareCpeNames(criterion.cpe, asset.cpe);
      for (CpeAttr attr : {CpeAttr::kPart, CpeAttr::kVendor, CpeAttr::kProduct}) {
        const CpeRelation relation = cmp.attrs[static_cast<int>(attr)];
        if (relation != CpeRelation::kEqual && relation != CpeRelation::kSuperset) {
          if (attr == CpeAttr::kPart && relation == CpeRelation::kSubset) continue;  // asset part ANY
          return Tri::kNo;
        }
      }
      const CpeValue& version = criterion.cpe.version();
      if (criterion.range) {
        if (!check_versions(VersionScheme::kGeneric)) return Tri::kNo;
      } else if (version.is_na()) {
        // "-": the product has no versions. A platform (vulnerable=false)
        // matches whatever hardware revision the asset records; a vulnerable
        // "-" matches only an asset whose version is also "-".
        if (criterion.vulnerable) {
          if (asset.cpe.version().is_na()) {
          } else if (!asset.version_known) {
            review("the criterion has version '-' and the asset's version is unknown");
          } else {
            return Tri::kNo;
          }
        }
      } else if (version.kind == CpeValue::Kind::kValue) {
        if (!asset.version_known) {
          review("the criterion names version " + version.Unescaped() + " and the asset's version is unknown");
        } else if (version.HasWildcard()) {
          const CpeRelation relation = CompareCpeValues(version, asset.cpe.version());
          if (relation != CpeRelation::kEqual && relation != CpeRelation::kSuperset) return Tri::kNo;
        } else if (CompareVersions(version.Unescaped(), asset.version) != 0) {
          return Tri::kNo;
        }
      }
      for (int attr_idx = static_cast<int>(CpeAttr::kUpdate); attr_idx < kCpeAttrCount; ++attr_idx) {
        const CpeRelation relation = cmp.attrs[attr_idx];
        if (relation == CpeRelation::kEqual || relation == CpeRelation::kSuperset) continue;
        if (relation == CpeRelation::kDisjoint) return Tri::kNo;
        if (criterion.vulnerable) {
          review("the criterion requires " + std::string(CpeAttrName(static_cast<CpeAttr>(attr_idx))) + " '" +
                 criterion.cpe.attrs[attr_idx].Unescaped() + "' and the asset does not say");
        }
      }
      break;
    }
    case Criterion::Kind::kPurl: {
      if (!asset.has_purl) return Tri::kNo;
      if (asset.purl.type != criterion.purl.type || asset.purl.namespace_ != criterion.purl.namespace_ ||
          asset.purl.name != criterion.purl.name) {
        return Tri::kNo;
      }
      for (const auto& [key, value] : criterion.purl.qualifiers) {
        if (key == "epoch") continue;
        const auto found = asset.purl.qualifiers.find(key);
        if (found != asset.purl.qualifiers.end() && found->second != value) return Tri::kNo;
      }
      if (!check_versions(VersionSchemeForPurlType(criterion.purl.type))) return Tri::kNo;
      break;
    }
    case Criterion::Kind::kName: {
      if (!asset.has_cpe || !BlindSpotReason(asset).empty()) return Tri::kNo;
      if (asset.cpe.vendor().value != criterion.vendor) return Tri::kNo;
      const std::string& product = asset.cpe.product().value;
      if (product != criterion.product) {
        // The CNA often names a product line ("ATP series firmware"); it is
        // taken to cover products that start with the line's first word, but
        // only ever as "needs review".
        const std::string line = FirstToken(criterion.product);
        if (line.size() < 2 || !product.starts_with(line)) return Tri::kNo;
        const bool wants_firmware = criterion.product.find("firmware") != std::string::npos;
        const bool is_firmware = asset.cpe.part().value == "o" || product.find("firmware") != std::string::npos;
        if (wants_firmware != is_firmware) return Tri::kNo;
        review("the CNA names the product '" + CpeValue::Of(criterion.product).Unescaped() + "', taken to cover '" +
               asset.cpe.product().Unescaped() + "'");
      }
      if (!check_versions(VersionScheme::kGeneric)) return Tri::kNo;
      break;
    }
  }
  if (!criterion.review.empty()) review(criterion.review);
  return result;
}

ExposureEngine::Tri ExposureEngine::EvalOnDevice(const Criterion& criterion, const Device& device,
                                                 std::vector<CriterionHit>* hits) const {
  Tri best = Tri::kNo;
  for (std::size_t asset_idx : device.assets) {
    std::string reason;
    const Tri result = EvalCriterion(criterion, assets_[asset_idx], reason);
    if (result == Tri::kNo) continue;
    if (hits != nullptr) hits->push_back({asset_idx, result, std::move(reason)});
    best = std::max(best, result);
    if (best == Tri::kYes && hits == nullptr) break;
  }
  return best;
}

void ExposureEngine::MatchConfigurations(const Vulnerability& vuln, const std::vector<Configuration>& configs,
                                         std::string_view source, std::unordered_map<std::string, Finding>& out) const {
  std::vector<std::size_t> devices;
  for (const Configuration& config : configs) {
    for (const ConfigNode& node : config.nodes) {
      if (node.negate) continue;
      for (const Criterion& criterion : node.criteria) {
        if (criterion.vulnerable) Candidates(criterion, devices);
      }
    }
    if (mode_ == Mode::kNestedLoop) break;
  }
  std::sort(devices.begin(), devices.end());
  devices.erase(std::unique(devices.begin(), devices.end()), devices.end());

  struct Hit {
    const Criterion* criterion;
    CriterionHit hit;
  };
  std::vector<Hit> vulnerable_hits;
  std::vector<Hit> platform_hits;
  std::vector<CriterionHit> scratch;
  for (std::size_t device_idx : devices) {
    const Device& device = devices_[device_idx];
    for (const Configuration& config : configs) {
      vulnerable_hits.clear();
      platform_hits.clear();
      Tri config_result = config.op == NodeOperator::kAnd ? Tri::kYes : Tri::kNo;
      for (const ConfigNode& node : config.nodes) {
        Tri node_result = node.op == NodeOperator::kAnd ? Tri::kYes : Tri::kNo;
        for (const Criterion& criterion : node.criteria) {
          scratch.clear();
          const Tri result = EvalOnDevice(criterion, device, node.negate ? nullptr : &scratch);
          for (CriterionHit& hit : scratch) {
            (criterion.vulnerable ? vulnerable_hits : platform_hits).push_back({&criterion, std::move(hit)});
          }
          node_result = node.op == NodeOperator::kAnd ? std::min(node_result, result) : std::max(node_result, result);
        }
        if (node.negate)
          node_result = node_result == Tri::kYes ? Tri::kNo : (node_result == Tri::kNo ? Tri::kYes : Tri::kReview);
        config_result = config.op == NodeOperator::kAnd ? std::min(config_result, node_result)
                                                        : std::max(config_result, node_result);
      }
      if (config.negate)
        config_result = config_result == Tri::kYes ? Tri::kNo : (config_result == Tri::kNo ? Tri::kYes : Tri::kReview);
      if (config_result == Tri::kNo) continue;
      std::string context;
      if (config.nodes.size() > 1 && config.op == NodeOperator::kAnd) {
        for (const Hit& platform : platform_hits) {
          context += (context.empty() ? "together with " : ", ") + platform.criterion->text + " matched by " +
                     AssetIdentifier(assets_[platform.hit.asset]) + " on the same device";
        }
      }
      for (const Hit& hit : vulnerable_hits) {
        const Asset& asset = assets_[hit.hit.asset];
        const bool definite = config_result == Tri::kYes && hit.hit.result == Tri::kYes;
        std::string key = FindingKey(asset.member, asset.asset_id, vuln.id);
        auto existing = out.find(key);
        if (existing != out.end() && (existing->second.status == FindingStatus::kOpen || !definite)) continue;
        Finding finding;
        finding.member = asset.member;
        finding.device = asset.device;
        finding.asset_id = asset.asset_id;
        finding.asset_name = asset.name;
        SetVendorProduct(asset, finding);
        finding.cve = vuln.id;
        finding.status = definite ? FindingStatus::kOpen : FindingStatus::kNeedsReview;
        if (!definite) {
          finding.review_reason =
              hit.hit.reason.empty() ? "another part of the configuration could not be decided" : hit.hit.reason;
        }
        finding.criterion = hit.criterion->text;
        finding.matched =
            AssetIdentifier(asset) +
            (asset.version_known ? " (version " + asset.version + (asset.update.empty() ? "" : " " + asset.update) + ")"
                                 : " (version unknown)");
        finding.context = context;
        finding.source = std::string(source);
        out[std::move(key)] = std::move(finding);
      }
    }
  }
}

std::vector<Finding> ExposureEngine::Match(const Vulnerability& vuln, const VulnDatabase* db,
                                           const MatchOptions& options) const {
  std::unordered_map<std::string, Finding> found;
  MatchConfigurations(vuln, vuln.nvd, "nvd", found);
  if (!vuln.csaf.empty()) {
    MatchConfigurations(vuln, vuln.csaf,
                        "csaf:" + (vuln.csaf_advisories.empty() ? std::string() : vuln.csaf_advisories.front()), found);
  }
  if (vuln.nvd.empty()) MatchConfigurations(vuln, vuln.cna, "cve5", found);

  const KevEntry* kev = db != nullptr ? db->FindKev(vuln.id) : nullptr;
  const EpssScore* epss = db != nullptr ? db->FindEpss(vuln.id) : nullptr;
  std::optional<Timestamp> kev_due;
  if (kev != nullptr) kev_due = internal::ParseLooseTime(kev->due_date);
  std::string severity = vuln.severity.empty() ? SeverityForScore(vuln.cvss) : vuln.severity;
  int days = options.due_policy.medium_days;
  std::string severity_label = severity.empty() ? "severity unknown, taken as MEDIUM" : severity;
  if (severity == "CRITICAL")
    days = options.due_policy.critical_days;
  else if (severity == "HIGH")
    days = options.due_policy.high_days;
  else if (severity == "LOW" || severity == "NONE")
    days = options.due_policy.low_days;
  const Timestamp base = vuln.published.value_or(options.as_of);

  std::vector<Finding> findings;
  findings.reserve(found.size());
  for (auto& [key, finding] : found) {
    if (!options.include_review && finding.status == FindingStatus::kNeedsReview) continue;
    finding.kev = kev != nullptr;
    finding.ransomware = kev != nullptr && kev->ransomware;
    finding.epss = epss != nullptr ? epss->epss : -1;
    finding.cvss = vuln.cvss;
    finding.severity = severity;
    if (options.centrality != nullptr) {
      const auto centrality = options.centrality->find(finding.member);
      if (centrality != options.centrality->end()) finding.centrality = centrality->second;
    }
    if (kev_due) {
      finding.due = kev_due;
      finding.due_basis = "KEV dueDate " + kev->due_date;
    } else {
      finding.due = Timestamp(base.unix_ms() + days * kDayMs);
      finding.due_basis = "policy: " + severity_label + ", " + std::to_string(days) + " days after " +
                          (vuln.published ? "publication" : "first match");
    }
    if (options.decisions != nullptr) {
      const auto decision = options.decisions->find(key);
      if (decision != options.decisions->end()) {
        finding.status = decision->second.status;
        finding.decision_reason = decision->second.reason;
      }
    }
    findings.push_back(std::move(finding));
  }
  std::sort(findings.begin(), findings.end(), PriorityBefore);
  return findings;
}

std::vector<Finding> ExposureEngine::MatchAll(const VulnDatabase& db, const MatchOptions& options) const {
  std::vector<Finding> all;
  db.ForEach([&](const Vulnerability& vuln) {
    auto findings = Match(vuln, &db, options);
    std::move(findings.begin(), findings.end(), std::back_inserter(all));
  });
  std::sort(all.begin(), all.end(), PriorityBefore);
  return all;
}

std::vector<Finding> ExposureEngine::MatchIds(const VulnDatabase& db, const std::vector<std::string>& cves,
                                              const MatchOptions& options) const {
  std::vector<Finding> all;
  for (const std::string& cve : cves) {
    const Vulnerability* vuln = db.Find(cve);
    if (vuln == nullptr) continue;
    auto findings = Match(*vuln, &db, options);
    std::move(findings.begin(), findings.end(), std::back_inserter(all));
  }
  std::sort(all.begin(), all.end(), PriorityBefore);
  return all;
}

}  // namespace dv::vuln
