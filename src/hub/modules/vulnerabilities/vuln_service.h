// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hub's vulnerability exposure service: members' asset inventories,
// ingested vulnerability feeds, finding decisions and the exposure they add
// up to, persisted as member records (store/record.h) and matched with the
// dv_vuln engine (docs/vuln.md). Internal to the hub.
//
// Records (all written through Store::PutRecord, so every write is
// versioned and audited as record.<kind>.put):
//   vuln.assets    id = org code, org = that organisation:
//                  {"assets":[{"member","device","asset_id","name","cpe","purl","version"}]}
//                  — the JSON the library reads (vuln/asset.h), fields as submitted.
//   vuln.decision  id = "<org>|<cve>|<asset_id>", org = that organisation:
//                  {"member","cve","asset_id","status":"not_applicable"|"fixed","reason"};
//                  who and when are the record's actor and time. Keyed apart
//                  from the feeds, so decisions survive re-ingest.
//   vuln.feed      id = source ("nvd", "cve5", "kev", "epss", "csaf:<tracking id>"),
//                  org = the ingesting operator's organisation: the source's
//                  own date and version, when it was applied, record counts.
//                  Its version history is the ingest history.
//   vuln.feedfile  id = "<kind>|<ms since epoch>|<sha-256 prefix>": one accepted
//                  feed file, {"kind","origin","sha256","bytes","text"}. The
//                  hub keeps the parsed database in memory and rebuilds it
//                  from these on first use after a start; a superseded KEV or
//                  EPSS snapshot is deleted (a deletion marker; the text stays
//                  in the record's history).
//
// Thread-safe: one mutex serialises every call (ingest, inventory writes and
// matching are short; matching one CVE takes milliseconds).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "hub/access.h"
#include "store/store.h"
#include "vuln/exposure.h"
#include "vuln/feeds.h"

namespace dv::hub {

// The name under which modules share the hub's one VulnService
// (ApiContext::Shared): the vulnerabilities module and the duty chain.
inline constexpr std::string_view kVulnServiceName = "vulnerabilities";

inline constexpr char kVulnAssetsKind[] = "vuln.assets";
inline constexpr char kVulnDecisionKind[] = "vuln.decision";
inline constexpr char kVulnFeedKind[] = "vuln.feed";
inline constexpr char kVulnFeedFileKind[] = "vuln.feedfile";

// One inventory line as submitted (strings, possibly empty).
struct AssetRow {
  std::string device;
  std::string asset_id;
  std::string name;
  std::string cpe;
  std::string purl;
  std::string version;
};

// Parses and validates an inventory for organisation `code`. JSON:
// {"assets":[...]} or a bare array; a "member" field, when present, must be
// `code`. CSV: the header of vuln/asset.h (member column optional). Errors
// name `origin`, the line (CSV) or index (JSON) and the field. asset_id is
// filled in (derived as the library does) so it is stable when stored.
Result<std::vector<AssetRow>> ParseInventory(std::string_view text, bool csv, std::string_view code,
                                             std::string_view origin);

// The search of the vulnerability list: true when `query` is empty or
// occurs in `text`, ignoring ASCII case, with '_' and '-' read as spaces
// (so "usg flex" finds the CPE product "usg_flex_100").
bool SearchMatches(std::string_view text, std::string_view query);

// The national collection notifications go to (the demo's and the seeded hub's).
std::string NationalCollectionId();

// The demo's inventories and feeds (data/vuln/demo/), written as records.
// Idempotent: writes only what is missing. Does nothing without the CFCS
// organisation (not the demo federation).
Status SeedVulnDemo(Store& store);

class VulnService {
 public:
  explicit VulnService(Store& store);

  struct Inventory {
    std::string code;
    std::int64_t version = 0;  // 0: none stored yet
    std::optional<Timestamp> at;
    std::string actor;
    std::vector<AssetRow> rows;
    std::vector<vuln::BlindSpot> blind_spots;
  };
  Result<Inventory> GetInventory(const std::string& code);
  // Replaces (or, with merge, updates by asset_id) the inventory. kConflict
  // when expected_version does not match.
  Result<Inventory> PutInventory(const std::string& code, std::vector<AssetRow> rows, bool merge,
                                 std::optional<std::int64_t> expected_version, const std::string& actor);

  struct NewExposure {
    std::string cve;
    std::string member;
    std::vector<std::string> assets;
    std::string why;   // "newly exposed" or "newly known exploited"
    std::string note;  // the STIX note id posted, empty when none
  };
  struct IngestResult {
    vuln::FeedInfo info;
    vuln::ApplyReport report;
    std::string source;  // "kev", "csaf:<id>", ...
    std::vector<NewExposure> new_exposures;
    std::string notification_problem;  // why notifications were not posted, when they were not
    double apply_ms = 0;
    double match_ms = 0;
  };
  // Parses `text` as a feed of `kind`; refuses it as a whole with the place
  // when malformed. A shrinking KEV/EPSS snapshot is not applied unless
  // `confirm` (report.applied false). Accepted files are stored; newly
  // exposed members are notified on the national collection.
  Result<IngestResult> Ingest(vuln::FeedKind kind, std::string_view text, const std::string& origin, bool confirm,
                              const Principal& principal);

  struct FeedSource {
    std::string name;
    vuln::SourceState state;
  };
  Result<std::vector<FeedSource>> Sources();
  Result<std::size_t> VulnerabilityCount();

  // Findings with decisions applied, by priority. `cve` empty: every CVE;
  // `member` empty: every member.
  Result<std::vector<vuln::Finding>> Findings(const std::string& cve, const std::string& member);
  // The vulnerability record (nullopt when unknown) and its KEV entry.
  struct CveInfo {
    vuln::Vulnerability vuln;
    std::optional<vuln::KevEntry> kev;
    std::optional<vuln::EpssScore> epss;
  };
  Result<std::optional<CveInfo>> FindCve(const std::string& cve);
  // CVE id → description for the listed CVEs (those known).
  Result<std::map<std::string, std::string>> Descriptions(const std::vector<std::string>& cves);
  // How the stored inventories stand against a search, for saying why a
  // search found no exposure: the members with an inventory and their assets
  // (`member` empty: every member), and those assets whose vendor, product,
  // name or identifier contain `query` (SearchMatches).
  struct InventoryMatch {
    std::int64_t members = 0;
    std::int64_t assets = 0;
    std::int64_t matching_assets = 0;
  };
  Result<InventoryMatch> MatchInventory(const std::string& member, const std::string& query);
  // Dependents per member (the centrality input), for display.
  Result<std::int64_t> Dependents(const std::string& code);

  // Records a decision (status not_applicable or fixed), or withdraws it
  // (status "open"). The finding need not be open now.
  Result<Record> PutDecision(const std::string& code, const std::string& cve, const std::string& asset_id,
                             const std::string& status, const std::string& reason, const std::string& actor);
  // The decision records of one member, or of every member (nullopt).
  Result<std::vector<Record>> Decisions(const std::optional<std::string>& code);

 private:
  Status EnsureLoadedLocked();
  Status EnsureFindingsLocked();
  Result<vuln::DecisionMap> LoadDecisionsLocked(const std::optional<std::string>& code);
  Status RebuildEngineLocked();
  Status ComputeCentralityLocked(const std::vector<vuln::Finding>& findings);
  void ApplyDecisions(std::vector<vuln::Finding>& findings, const vuln::DecisionMap& decisions) const;
  // Posts, on the national collection, one TLP:RED note per member naming
  // its new exposures and the TLP:CLEAR vulnerability objects they refer to;
  // fills NewExposure::note.
  Status NotifyLocked(std::vector<NewExposure>& exposures, const Principal& principal);

  Store& store_;
  std::mutex mutex_;
  bool loaded_ = false;
  vuln::VulnDatabase db_;
  std::unique_ptr<vuln::ExposureEngine> engine_;
  std::map<std::string, std::vector<std::string>> snapshot_files_;  // "kev"/"epss" → live feedfile ids
  // All findings without decisions, by CVE; valid when findings_valid_.
  bool findings_valid_ = false;
  std::unordered_map<std::string, std::vector<vuln::Finding>> findings_;
  std::unordered_map<std::string, double> centrality_;
  std::unordered_map<std::string, std::int64_t> dependents_;
};

}  // namespace dv::hub
