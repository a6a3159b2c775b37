// SPDX-License-Identifier: Apache-2.0
// `dannevirke exposure`: which members' assets the vulnerabilities in the
// given feeds affect (docs/vuln.md), offline. Feeds are detected by content;
// findings are printed by priority with the reason for each match, the due
// date and the status, followed by the assets the engine cannot match.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "cli/commands.h"
#include "core/time.h"
#include "vuln/exposure.h"

namespace dv::cli {
namespace {

struct ExposureOptions {
  std::vector<std::string> feeds;
  std::vector<std::string> assets;
  std::string cve;
  std::string member;
  std::string as_of;  // empty = now
  bool include_review = true;
  bool json = false;
};

// "YYYY-MM-DD" (midnight UTC) or an RFC 3339 date-time.
Result<Timestamp> ParseDate(const std::string& text) {
  if (text.size() == 10) {
    auto midnight = Timestamp::Parse(text + "T00:00:00Z");
    if (midnight.ok()) return midnight;
  }
  auto parsed = Timestamp::Parse(text);
  if (!parsed.ok()) return Error::InvalidArgument("--as-of '" + text + "': expected YYYY-MM-DD or an RFC 3339 time");
  return parsed;
}

std::string DateOf(Timestamp at) { return at.ToRfc3339().substr(0, 10); }

const vuln::FeedInfo& InfoOf(const vuln::AnyFeed& feed) {
  return std::visit([](const auto& parsed) -> const vuln::FeedInfo& { return parsed.info; }, feed);
}

int Exposure(const ExposureOptions& options) {
  Timestamp as_of = Timestamp::Now();
  if (!options.as_of.empty()) {
    auto parsed = ParseDate(options.as_of);
    if (!parsed.ok()) {
      std::cerr << "dannevirke: " << parsed.error().message() << "\n";
      return 1;
    }
    as_of = *parsed;
  }

  vuln::VulnDatabase db;
  nlohmann::json feeds_json = nlohmann::json::array();
  std::vector<std::string> feed_lines;
  for (const auto& path : options.feeds) {
    auto feed = vuln::LoadFeedFile(path, as_of);
    if (!feed.ok()) {
      std::cerr << "dannevirke: " << feed.error().ToString() << "\n";
      return 1;
    }
    const vuln::FeedInfo& info = InfoOf(*feed);
    for (const auto& warning : info.warnings) std::cerr << "dannevirke: warning: " << warning << "\n";
    // One run against an empty database: a snapshot never needs confirmation.
    const vuln::ApplyReport report = db.Apply(*feed, {as_of, true});
    const std::size_t records = report.added + report.updated + report.unchanged;
    feeds_json.push_back({{"path", path},
                          {"kind", vuln::FeedKindName(info.kind)},
                          {"source_date", info.source_date},
                          {"records", records},
                          {"warnings", info.warnings.size()}});
    feed_lines.push_back("  " + std::string(vuln::FeedKindName(info.kind)) + "  " + path + " (" +
                         std::to_string(records) + " records" +
                         (info.source_date.empty() ? "" : ", dated " + info.source_date) + ")");
  }

  std::vector<vuln::Asset> assets;
  for (const auto& path : options.assets) {
    auto loaded = vuln::LoadAssetsFile(path);
    if (!loaded.ok()) {
      std::cerr << "dannevirke: " << loaded.error().ToString() << "\n";
      return 1;
    }
    for (auto& asset : *loaded) assets.push_back(std::move(asset));
  }
  if (!options.member.empty()) {
    bool known = false;
    for (const auto& asset : assets) known = known || asset.member == options.member;
    if (!known) {
      std::cerr << "dannevirke: member '" << options.member << "' has no assets in the given inventories\n";
      return 1;
    }
  }
  if (!options.cve.empty() && db.Find(options.cve) == nullptr) {
    std::cerr << "dannevirke: " << options.cve << " is not in the given feeds\n";
    return 1;
  }

  vuln::MatchOptions match;
  match.as_of = as_of;
  match.include_review = options.include_review;
  const auto started = std::chrono::steady_clock::now();
  const vuln::ExposureEngine engine(std::move(assets));
  std::vector<vuln::Finding> findings =
      options.cve.empty() ? engine.MatchAll(db, match) : engine.MatchIds(db, {options.cve}, match);
  const double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!options.member.empty()) {
    std::erase_if(findings, [&](const vuln::Finding& finding) { return finding.member != options.member; });
  }
  std::sort(findings.begin(), findings.end(), vuln::PriorityBefore);
  std::vector<vuln::BlindSpot> blind_spots = engine.BlindSpots();
  if (!options.member.empty()) {
    std::erase_if(blind_spots, [&](const vuln::BlindSpot& spot) { return spot.member != options.member; });
  }
  const vuln::EngineStats stats = engine.stats();
  const std::string matched =
      !options.cve.empty() ? options.cve
                           : std::to_string(db.size()) + (db.size() == 1 ? " vulnerability" : " vulnerabilities");
  char timing[200];
  std::snprintf(timing, sizeof timing, "dannevirke: indexed %zu assets on %zu devices and matched %s in %.2f ms\n",
                stats.assets, stats.devices, matched.c_str(), elapsed_ms);
  std::cerr << timing;

  if (options.json) {
    nlohmann::json out_findings = nlohmann::json::array();
    for (const auto& finding : findings) {
      out_findings.push_back(vuln::FindingJson(finding));
    }
    nlohmann::json out_blind = nlohmann::json::array();
    for (const auto& spot : blind_spots) {
      out_blind.push_back(
          {{"member", spot.member}, {"asset_id", spot.asset_id}, {"name", spot.name}, {"reason", spot.reason}});
    }
    std::cout << nlohmann::json{{"as_of", DateOf(as_of)},   {"feeds", feeds_json},      {"assets", stats.assets},
                                {"members", stats.members}, {"findings", out_findings}, {"blind_spots", out_blind},
                                {"match_ms", elapsed_ms}}
                     .dump(2)
              << "\n";
    return 0;
  }

  std::cout << "Feeds:\n";
  for (const auto& line : feed_lines) std::cout << line << "\n";
  std::cout << "Assets: " << stats.assets << " of " << stats.members << " members on " << stats.devices
            << " devices; as of " << DateOf(as_of) << ".\n\n";
  std::set<std::string> open_members;
  for (const auto& finding : findings) {
    if (finding.status == vuln::FindingStatus::kOpen) open_members.insert(finding.member);
  }
  std::cout << findings.size() << " findings";
  if (!findings.empty()) std::cout << ", by priority (KEV, EPSS, CVSS)";
  std::cout << "; " << open_members.size() << " members with open findings.\n";
  for (const auto& finding : findings) {
    std::cout << "\n"
              << finding.member << "  " << finding.asset_id << " (" << finding.asset_name << ")  " << finding.cve
              << "  " << vuln::FindingStatusName(finding.status) << "\n";
    std::cout << "  why:      " << finding.Why() << "\n";
    std::cout << "  priority: " << (finding.kev ? "in KEV" : "not in KEV")
              << (finding.ransomware ? " (ransomware)" : "");
    if (finding.epss >= 0) std::cout << ", EPSS " << finding.epss;
    if (finding.cvss >= 0) std::cout << ", CVSS " << finding.cvss;
    if (!finding.severity.empty()) std::cout << " " << finding.severity;
    std::cout << "\n";
    if (finding.due) std::cout << "  due:      " << DateOf(*finding.due) << " (" << finding.due_basis << ")\n";
    if (!finding.decision_reason.empty()) std::cout << "  decision: " << finding.decision_reason << "\n";
  }
  std::cout << "\nBlind spots (" << blind_spots.size() << " assets the engine cannot match):\n";
  for (const auto& spot : blind_spots) {
    std::cout << "  " << spot.member << "  " << spot.asset_id << " (" << spot.name << "): " << spot.reason << "\n";
  }
  return 0;
}

}  // namespace

void AddExposureCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ExposureOptions>();
  CLI::App* cmd = app.add_subcommand(
      "exposure",
      "Match vulnerability feeds against members' asset inventories (docs/vuln.md): every affected asset with why "
      "it matched (the criterion and version range), its priority (KEV, EPSS, CVSS), due date and status (open or "
      "needs review), and the blind spots — assets without a usable CPE or package URL. Feeds are detected by "
      "content: NVD API 2.0, CVE JSON 5, CISA KEV, FIRST EPSS (CSV) and CSAF 2.0. The match time goes to stderr.");
  cmd->add_option("--feeds", options->feeds, "Vulnerability feed files (one or more)")->required();
  cmd->add_option("--assets", options->assets, "Asset inventories, .csv or .json (one or more)")->required();
  cmd->add_option("--cve", options->cve, "Only this vulnerability, e.g. CVE-2023-28771");
  cmd->add_option("--member", options->member, "Only this member's assets, e.g. 0751");
  cmd->add_option("--as-of", options->as_of,
                  "Date of the assessment, YYYY-MM-DD (default: today); selects EPSS scores and policy due dates");
  cmd->add_flag("!--no-review", options->include_review, "Only definite matches, no needs-review items");
  cmd->add_flag("--json", options->json, "Print the findings as JSON");
  cmd->callback([options, exit_code] { *exit_code = Exposure(*options); });
}

}  // namespace dv::cli
