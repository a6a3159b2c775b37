// SPDX-License-Identifier: Apache-2.0
// dv_vuln_bench: the KEV catalog (from DV_SHARED_DIR when present, else
// generated) plus 200,000 generated CVE records matched against 100,000
// generated assets of 1,000 members; then re-matching one new CVE against
// everything; then the same data through the nested-loop evaluation
// (ExposureEngine::Mode::kNestedLoop) on a sample of CVEs, extrapolated, with
// the sample's findings checked against the indexed run.
//
// Usage: dv_vuln_bench [cves] [assets] [members] [nested-sample]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "vuln/exposure.h"

namespace {

using dv::vuln::Asset;
using dv::vuln::ConfigNode;
using dv::vuln::Configuration;
using dv::vuln::Criterion;
using dv::vuln::ExposureEngine;
using dv::vuln::VersionRange;
using dv::vuln::Vulnerability;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

constexpr int kVendors = 2000;
constexpr int kProductsPerVendor = 10;

std::string Vendor(int vendor) { return "vendor" + std::to_string(vendor); }
std::string Product(int product) { return "product" + std::to_string(product); }

Criterion MakeCriterion(char part, int vendor, int product, bool vulnerable, std::optional<VersionRange> range,
                        const std::string& version) {
  Criterion criterion;
  const std::string cpe =
      std::string("cpe:2.3:") + part + ":" + Vendor(vendor) + ":" + Product(product) + ":" + version + ":*:*:*:*:*:*:*";
  criterion.cpe = *dv::vuln::ParseCpe(cpe);
  criterion.vendor = criterion.cpe.vendor().value;
  criterion.product = criterion.cpe.product().value;
  criterion.vulnerable = vulnerable;
  criterion.range = std::move(range);
  criterion.text = cpe;
  return criterion;
}

// A CVE: 70% one product with a version range, 15% an exact version, 15% the
// firmware-on-hardware AND pattern.
Vulnerability MakeCve(std::string id, std::mt19937_64& rng) {
  Vulnerability vuln;
  vuln.id = std::move(id);
  vuln.cvss = static_cast<double>(rng() % 100) / 10.0;
  vuln.severity = dv::vuln::SeverityForScore(vuln.cvss);
  vuln.published = dv::Timestamp::FromCivil(2024, 1, 1);
  const int vendor = static_cast<int>(rng() % kVendors);
  const int product = static_cast<int>(rng() % kProductsPerVendor);
  const int kind = static_cast<int>(rng() % 100);
  const int low = static_cast<int>(rng() % 8);
  Configuration config;
  ConfigNode node;
  if (kind < 70) {
    node.criteria.push_back(MakeCriterion('a', vendor, product, true,
                                          VersionRange{std::to_string(low) + ".0", true, std::to_string(low + 2) + ".5",
                                                       false, dv::vuln::VersionScheme::kGeneric},
                                          "*"));
    config.nodes.push_back(std::move(node));
  } else if (kind < 85) {
    node.criteria.push_back(MakeCriterion('a', vendor, product, true, std::nullopt, std::to_string(low) + ".1"));
    config.nodes.push_back(std::move(node));
  } else {
    config.op = dv::vuln::NodeOperator::kAnd;
    node.criteria.push_back(MakeCriterion(
        'o', vendor, product, true,
        VersionRange{"", true, std::to_string(low + 1) + ".0", false, dv::vuln::VersionScheme::kGeneric}, "*"));
    ConfigNode hardware;
    hardware.criteria.push_back(MakeCriterion('h', vendor, product, false, std::nullopt, "-"));
    config.nodes.push_back(std::move(node));
    config.nodes.push_back(std::move(hardware));
  }
  vuln.nvd.push_back(std::move(config));
  return vuln;
}

}  // namespace

int main(int argc, char** argv) {
  const int cves = argc > 1 ? std::atoi(argv[1]) : 200'000;
  const int asset_count = argc > 2 ? std::atoi(argv[2]) : 100'000;
  const int members = argc > 3 ? std::atoi(argv[3]) : 1'000;
  const int nested_sample = argc > 4 ? std::atoi(argv[4]) : 200;
  std::mt19937_64 rng(20230511);

  dv::vuln::VulnDatabase db;
  const std::string kev_path = std::string(DV_SHARED_DIR) + "/data/vuln/kev/known_exploited_vulnerabilities.json";
  std::vector<std::string> kev_ids;
  auto start = std::chrono::steady_clock::now();
  if (std::filesystem::exists(kev_path)) {
    auto feed = dv::vuln::LoadFeedFile(kev_path);
    if (!feed.ok()) {
      std::fprintf(stderr, "%s\n", feed.error().message().c_str());
      return 1;
    }
    const auto& catalog = std::get<dv::vuln::KevCatalog>(*feed);
    for (const auto& entry : catalog.entries) kev_ids.push_back(entry.cve);
    (void)db.Apply(*feed, {});
    std::printf("KEV catalog %s: %zu entries, parsed and applied in %.3f s\n", catalog.info.version.c_str(),
                kev_ids.size(), Seconds(start));
  } else {
    std::string text = R"({"catalogVersion":"generated","vulnerabilities":[)";
    for (int entry_idx = 0; entry_idx < 1400; ++entry_idx) {
      const std::string id = "CVE-2020-" + std::to_string(100000 + entry_idx);
      kev_ids.push_back(id);
      text += std::string(entry_idx ? "," : "") + R"({"cveID":")" + id +
              R"(","dueDate":"2024-02-01","dateAdded":"2024-01-10"})";
    }
    text += "]}";
    (void)db.Apply(*dv::vuln::ParseKevJson(text, "generated-kev.json"), {});
    std::printf("KEV catalog: shared data absent, 1400 entries generated\n");
  }

  start = std::chrono::steady_clock::now();
  for (std::size_t kev_idx = 0; kev_idx < kev_ids.size(); ++kev_idx) db.Put(MakeCve(kev_ids[kev_idx], rng));
  for (int cve_idx = 0; cve_idx < cves; ++cve_idx)
    db.Put(MakeCve("CVE-2030-" + std::to_string(1000000 + cve_idx), rng));
  std::printf("generated %zu CVE records (KEV ids included) in %.2f s\n", db.size(), Seconds(start));

  // Assets: devices of one or two assets (hardware + firmware, or an application).
  std::vector<Asset> assets;
  assets.reserve(asset_count);
  start = std::chrono::steady_clock::now();
  int device_idx = 0;
  while (static_cast<int>(assets.size()) < asset_count) {
    const std::string member = "M" + std::to_string(device_idx % members);
    const std::string device = "dev" + std::to_string(device_idx++);
    const int vendor = static_cast<int>(rng() % kVendors);
    const int product = static_cast<int>(rng() % kProductsPerVendor);
    const std::string version = std::to_string(rng() % 12) + "." + std::to_string(rng() % 10);
    if (rng() % 4 == 0 && static_cast<int>(assets.size()) + 2 <= asset_count) {
      auto hardware = dv::vuln::MakeAsset(member, device, "", "",
                                          "cpe:2.3:h:" + Vendor(vendor) + ":" + Product(product) + ":-:*:*:*:*:*:*:*",
                                          "", "", "bench");
      auto firmware = dv::vuln::MakeAsset(member, device, "", "",
                                          "cpe:2.3:o:" + Vendor(vendor) + ":" + Product(product) + ":*:*:*:*:*:*:*:*",
                                          "", version, "bench");
      assets.push_back(std::move(*hardware));
      assets.push_back(std::move(*firmware));
    } else {
      auto app = dv::vuln::MakeAsset(member, device, "", "",
                                     "cpe:2.3:a:" + Vendor(vendor) + ":" + Product(product) + ":*:*:*:*:*:*:*:*", "",
                                     version, "bench");
      assets.push_back(std::move(*app));
    }
  }
  std::printf("generated %zu assets of %d members in %.2f s\n", assets.size(), members, Seconds(start));

  start = std::chrono::steady_clock::now();
  const ExposureEngine engine(assets);
  const double build_s = Seconds(start);
  const auto stats = engine.stats();
  std::printf("index built in %.3f s: %zu devices, %zu keys\n", build_s, stats.devices, stats.indexed_keys);

  dv::vuln::MatchOptions options;
  options.as_of = dv::Timestamp::FromCivil(2025, 1, 1);
  start = std::chrono::steady_clock::now();
  const auto findings = engine.MatchAll(db, options);
  const double all_s = Seconds(start);
  std::size_t open = 0;
  std::size_t kev_findings = 0;
  for (const auto& finding : findings) {
    open += finding.status == dv::vuln::FindingStatus::kOpen;
    kev_findings += finding.kev;
  }
  std::printf("indexed: all %zu CVEs x %zu assets in %.2f s -> %zu findings (%zu open, %zu on KEV CVEs)\n", db.size(),
              assets.size(), all_s, findings.size(), open, kev_findings);

  // Re-matching one new CVE against everything.
  constexpr int kNewCves = 1000;
  std::vector<Vulnerability> fresh;
  for (int new_idx = 0; new_idx < kNewCves; ++new_idx)
    fresh.push_back(MakeCve("CVE-2031-" + std::to_string(new_idx), rng));
  std::size_t fresh_findings = 0;
  double worst_ms = 0;
  start = std::chrono::steady_clock::now();
  for (const auto& vuln : fresh) {
    const auto one_start = std::chrono::steady_clock::now();
    fresh_findings += engine.Match(vuln, &db, options).size();
    worst_ms = std::max(worst_ms, Seconds(one_start) * 1000);
  }
  std::printf("indexed: one new CVE against all assets: %.3f ms mean, %.3f ms worst (%d CVEs, %zu findings)\n",
              Seconds(start) * 1000 / kNewCves, worst_ms, kNewCves, fresh_findings);

  // Nested loop: every criterion against every device, on a sample.
  const ExposureEngine nested(assets, ExposureEngine::Mode::kNestedLoop);
  std::vector<const Vulnerability*> sample;
  db.ForEach([&](const Vulnerability& vuln) {
    if (static_cast<int>(sample.size()) < nested_sample) sample.push_back(&vuln);
  });
  std::size_t mismatches = 0;
  double indexed_sample_s = 0;
  start = std::chrono::steady_clock::now();
  for (const Vulnerability* vuln : sample) {
    const auto slow = nested.Match(*vuln, &db, options);
    const auto fast_start = std::chrono::steady_clock::now();
    const auto fast = engine.Match(*vuln, &db, options);
    indexed_sample_s += Seconds(fast_start);
    if (slow.size() != fast.size()) {
      ++mismatches;
      continue;
    }
    for (std::size_t idx = 0; idx < slow.size(); ++idx) {
      if (slow[idx].asset_id != fast[idx].asset_id || slow[idx].member != fast[idx].member ||
          slow[idx].status != fast[idx].status) {
        ++mismatches;
        break;
      }
    }
  }
  const double nested_s = Seconds(start) - indexed_sample_s;
  const double per_cve = nested_s / static_cast<double>(sample.size());
  std::printf(
      "nested loop: sample of %zu CVEs in %.2f s = %.2f ms per CVE; extrapolated to %zu CVEs: %.0f s "
      "(%.0fx the indexed run); findings differing from the indexed run: %zu CVEs\n",
      sample.size(), nested_s, per_cve * 1000, db.size(), per_cve * static_cast<double>(db.size()),
      per_cve * static_cast<double>(db.size()) / all_s, mismatches);
  return mismatches == 0 ? 0 : 1;
}
