// SPDX-License-Identifier: Apache-2.0
#pragma once

// Vulnerability feeds: parsers for the files an operator downloads or
// mirrors, and VulnDatabase, which applies them incrementally.
//
// Parsers take the file's bytes and its origin (a path, for messages) and
// return a value or an Error whose message names the place:
//   "nvd.json: vulnerabilities[3].cve.configurations[0].nodes[1].cpeMatch[0].criteria: CPE ..."
// A structurally malformed file is refused as a whole; nothing is applied.
// Parsers are pure and thread-safe; they never throw.
//
// VulnDatabase is not thread-safe: one writer applies feeds; readers take a
// const reference only while no writer runs (the hub serialises this).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "vuln/vulnerability.h"

namespace dv::vuln {

enum class FeedKind { kNvd, kCve5, kKev, kEpss, kCsaf };
std::string_view FeedKindName(FeedKind kind);  // "nvd", "cve5", "kev", "epss", "csaf"

// What a feed says about itself.
struct FeedInfo {
  FeedKind kind = FeedKind::kNvd;
  std::string origin;                 // path or label given to the parser
  std::string source_date;            // the feed's own date: NVD timestamp, KEV dateReleased, EPSS score_date, ...
  std::string version;                // KEV catalogVersion, EPSS model_version, CSAF tracking version
  std::vector<std::string> warnings;  // per-record problems that did not refuse the file, with place
};

struct NvdFeed {
  FeedInfo info;
  std::vector<Vulnerability> vulnerabilities;  // only the NVD part is filled
};
// NVD CVE API 2.0 response ({"vulnerabilities":[{"cve":{...}}]}) or a single
// `cve` object ({"id":..., "configurations":...}).
Result<NvdFeed> ParseNvdJson(std::string_view text, std::string_view origin);

struct Cve5Feed {
  FeedInfo info;
  std::vector<Vulnerability> vulnerabilities;  // the CNA part is filled
};
// One CVE JSON 5 record, or a JSON array of records.
Result<Cve5Feed> ParseCve5Json(std::string_view text, std::string_view origin);

struct KevEntry {
  std::string cve;
  std::string vendor;
  std::string product;
  std::string name;
  std::string date_added;  // YYYY-MM-DD
  std::string due_date;    // YYYY-MM-DD
  std::string required_action;
  bool ransomware = false;  // knownRansomwareCampaignUse == "Known"
};
struct KevCatalog {
  FeedInfo info;
  std::vector<KevEntry> entries;
};
// The CISA KEV catalog JSON (catalogVersion, dateReleased, vulnerabilities[]).
Result<KevCatalog> ParseKevJson(std::string_view text, std::string_view origin);

struct EpssScore {
  std::string cve;
  double epss = 0;
  double percentile = 0;
  std::string date;  // score date, when known
};
struct EpssFeed {
  FeedInfo info;
  std::vector<EpssScore> scores;  // one per CVE
};
// FIRST EPSS CSV: an optional "#model_version:...,score_date:..." line, then
// "cve,epss,percentile". Also a per-CVE time series "date,model,epss,percentile"
// (the CVE taken from the origin's file name); then the last row whose date
// is on or before `as_of` (or the last row) is the score.
Result<EpssFeed> ParseEpssCsv(std::string_view text, std::string_view origin,
                              std::optional<Timestamp> as_of = std::nullopt);

struct CsafAdvisory {
  FeedInfo info;
  std::string tracking_id;
  std::string publisher;
  std::vector<Vulnerability> vulnerabilities;  // the CSAF part is filled
  std::size_t products = 0;                    // products in the product tree
};
// A CSAF 2.0 advisory (csaf_base, csaf_security_advisory, csaf_vex).
Result<CsafAdvisory> ParseCsafJson(std::string_view text, std::string_view origin);

// Reads a file and parses it by its content: KEV, NVD, CVE 5, CSAF (JSON) or
// EPSS (CSV). Errors name the path.
using AnyFeed = std::variant<NvdFeed, Cve5Feed, KevCatalog, EpssFeed, CsafAdvisory>;
Result<AnyFeed> LoadFeedFile(const std::string& path, std::optional<Timestamp> as_of = std::nullopt);

struct ApplyOptions {
  Timestamp now;
  // Apply a full snapshot (KEV, EPSS) even though it shrank by more than
  // kShrinkTolerance or is older than the one applied.
  bool confirm = false;
};
inline constexpr double kShrinkTolerance = 0.10;

struct ApplyReport {
  bool applied = true;  // false: needs confirmation, nothing changed
  std::string reason;   // why confirmation is needed
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::size_t removed = 0;
  std::vector<std::string> changed_ids;  // CVEs added or updated: re-match these
};

// The state of one source after the last apply.
struct SourceState {
  FeedKind kind = FeedKind::kNvd;
  std::string origin;
  std::string source_date;
  std::string version;
  Timestamp applied_at;
  std::size_t records = 0;
};

class VulnDatabase {
 public:
  ApplyReport Apply(const NvdFeed& feed, const ApplyOptions& options);
  ApplyReport Apply(const Cve5Feed& feed, const ApplyOptions& options);
  ApplyReport Apply(const CsafAdvisory& advisory, const ApplyOptions& options);
  // KEV and EPSS are full snapshots: entries absent from the new one are
  // removed. A snapshot with fewer than (1 - kShrinkTolerance) times the
  // records last applied, or an older catalog version, is not applied unless
  // options.confirm: the report says so.
  ApplyReport Apply(const KevCatalog& catalog, const ApplyOptions& options);
  ApplyReport Apply(const EpssFeed& feed, const ApplyOptions& options);
  ApplyReport Apply(const AnyFeed& feed, const ApplyOptions& options);

  // Adds or replaces a whole record (tests, benchmarks, the API).
  void Put(Vulnerability vulnerability);

  const Vulnerability* Find(std::string_view cve) const;
  const KevEntry* FindKev(std::string_view cve) const;
  const EpssScore* FindEpss(std::string_view cve) const;
  std::size_t size() const { return vulns_.size(); }
  std::size_t kev_size() const { return kev_.size(); }
  // Calls fn(const Vulnerability&) for every record, in no particular order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const auto& [id, vuln] : vulns_) fn(vuln);
  }
  // Keyed "nvd", "cve5", "kev", "epss", "csaf:<tracking id>".
  const std::map<std::string, SourceState>& sources() const { return sources_; }

 private:
  Vulnerability& Slot(const std::string& id);
  void Record(const std::string& key, const FeedInfo& info, std::size_t records, Timestamp now);

  std::unordered_map<std::string, Vulnerability> vulns_;
  std::unordered_map<std::string, KevEntry> kev_;
  std::unordered_map<std::string, EpssScore> epss_;
  std::map<std::string, SourceState> sources_;
  std::unordered_map<std::string, std::int64_t> nvd_modified_;  // lastModified of the applied NVD record
};

}  // namespace dv::vuln
