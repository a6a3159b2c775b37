// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/vulnerabilities/vuln_service.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <variant>

#include "core/json_limits.h"
#include "core/uuid.h"
#include "hub/auth.h"
#include "hub/stix_intake.h"
#include "vuln/stix_vulnerability.h"

namespace dv::hub {

namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxAssetsPerMember = 100000;
constexpr std::size_t kMaxNoteCves = 50;

std::string_view TrimView(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

struct CsvLine {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 rows with the line each starts on; blank lines skipped.
Result<std::vector<CsvLine>> SplitCsvLines(std::string_view text, const std::string& origin) {
  std::vector<CsvLine> rows;
  CsvLine row{1, {}};
  std::string field;
  bool quoted = false;
  bool started = false;
  std::size_t line = 1;
  auto finish_row = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    started = false;
    if (!(row.fields.size() == 1 && TrimView(row.fields[0]).empty())) rows.push_back(std::move(row));
  };
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
        field += '"';
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && !started) {
      quoted = started = true;
    } else if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      started = false;
    } else if (c == '\n') {
      finish_row();
      row = CsvLine{++line, {}};
    } else {
      field += c;
      started = true;
    }
  }
  if (quoted) return Error::InvalidArgument(origin + ":" + std::to_string(row.line) + ": unterminated quoted field");
  if (started || !row.fields.empty()) finish_row();
  return rows;
}

Result<vuln::Asset> RowAsset(std::string_view code, const AssetRow& row, const std::string& where) {
  return vuln::MakeAsset(std::string(code), row.device, row.asset_id, row.name, row.cpe, row.purl, row.version, where);
}

Json RowsJson(std::string_view code, const std::vector<AssetRow>& rows) {
  Json assets = Json::array();
  for (const AssetRow& row : rows) {
    assets.push_back({{"member", code},
                      {"device", row.device},
                      {"asset_id", row.asset_id},
                      {"name", row.name},
                      {"cpe", row.cpe},
                      {"purl", row.purl},
                      {"version", row.version}});
  }
  return {{"assets", std::move(assets)}};
}

Result<vuln::AnyFeed> ParseFeed(vuln::FeedKind kind, std::string_view text, const std::string& origin) {
  switch (kind) {
    case vuln::FeedKind::kNvd: {
      auto feed = vuln::ParseNvdJson(text, origin);
      if (!feed.ok()) return feed.error();
      return vuln::AnyFeed(std::move(feed).value());
    }
    case vuln::FeedKind::kCve5: {
      auto feed = vuln::ParseCve5Json(text, origin);
      if (!feed.ok()) return feed.error();
      return vuln::AnyFeed(std::move(feed).value());
    }
    case vuln::FeedKind::kKev: {
      auto feed = vuln::ParseKevJson(text, origin);
      if (!feed.ok()) return feed.error();
      return vuln::AnyFeed(std::move(feed).value());
    }
    case vuln::FeedKind::kEpss: {
      auto feed = vuln::ParseEpssCsv(text, origin);
      if (!feed.ok()) return feed.error();
      return vuln::AnyFeed(std::move(feed).value());
    }
    case vuln::FeedKind::kCsaf: {
      auto feed = vuln::ParseCsafJson(text, origin);
      if (!feed.ok()) return feed.error();
      return vuln::AnyFeed(std::move(feed).value());
    }
  }
  return Error::InvalidArgument("unknown feed kind");
}

std::optional<vuln::FeedKind> KindByName(std::string_view name) {
  for (auto kind : {vuln::FeedKind::kNvd, vuln::FeedKind::kCve5, vuln::FeedKind::kKev, vuln::FeedKind::kEpss,
                    vuln::FeedKind::kCsaf}) {
    if (vuln::FeedKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

const vuln::FeedInfo& InfoOf(const vuln::AnyFeed& feed) {
  return std::visit([](const auto& parsed) -> const vuln::FeedInfo& { return parsed.info; }, feed);
}

std::string SourceKey(const vuln::AnyFeed& feed) {
  if (const auto* csaf = std::get_if<vuln::CsafAdvisory>(&feed)) return "csaf:" + csaf->tracking_id;
  return std::string(vuln::FeedKindName(InfoOf(feed).kind));
}

bool IsSnapshot(vuln::FeedKind kind) { return kind == vuln::FeedKind::kKev || kind == vuln::FeedKind::kEpss; }

bool Counts(const vuln::Finding& finding) { return finding.status == vuln::FindingStatus::kOpen; }

double Ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

std::string NationalCollectionId() { return Uuid::V5(DannevirkeNamespace(), "collection:national").ToString(); }

Result<std::vector<AssetRow>> ParseInventory(std::string_view text, bool csv, std::string_view code,
                                             std::string_view origin) {
  const std::string root(origin);
  std::vector<AssetRow> rows;
  std::vector<std::string> places;
  if (csv) {
    auto lines = SplitCsvLines(text, root);
    if (!lines.ok()) return lines.error();
    if (lines->empty()) return Error::InvalidArgument(root + ": no header line");
    std::map<std::string, std::size_t> columns;
    const CsvLine& header = (*lines)[0];
    for (std::size_t col = 0; col < header.fields.size(); ++col) {
      std::string name(TrimView(header.fields[col]));
      if (col == 0 && name.starts_with("\xEF\xBB\xBF")) name = name.substr(3);
      bool known = false;
      for (std::string_view column : {"member", "device", "asset_id", "name", "cpe", "purl", "version"}) {
        known = known || name == column;
      }
      if (!known) {
        return Error::InvalidArgument(root + ":" + std::to_string(header.line) + ": unknown column '" + name +
                                      "' (known: member, device, asset_id, name, cpe, purl, version)");
      }
      columns[name] = col;
    }
    if (!columns.contains("cpe") && !columns.contains("purl") && !columns.contains("name")) {
      return Error::InvalidArgument(root + ":" + std::to_string(header.line) +
                                    ": header needs a 'cpe', 'purl' or 'name' column");
    }
    for (std::size_t idx = 1; idx < lines->size(); ++idx) {
      const CsvLine& line = (*lines)[idx];
      const std::string where = root + ":" + std::to_string(line.line);
      if (line.fields.size() != header.fields.size()) {
        return Error::InvalidArgument(where + ": " + std::to_string(line.fields.size()) + " fields, the header has " +
                                      std::to_string(header.fields.size()));
      }
      auto field = [&](const char* name) {
        const auto found = columns.find(name);
        return found == columns.end() ? std::string() : std::string(TrimView(line.fields[found->second]));
      };
      const std::string member = field("member");
      if (!member.empty() && member != code) {
        return Error::InvalidArgument(where + ": member: '" + member + "' is not the organisation '" +
                                      std::string(code) + "' being imported");
      }
      rows.push_back(
          {field("device"), field("asset_id"), field("name"), field("cpe"), field("purl"), field("version")});
      places.push_back(where);
    }
  } else {
    if (auto depth = CheckJsonDepth(text); !depth.ok())
      return Error::InvalidArgument(root + ": " + depth.error().message());
    const Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded()) return Error::InvalidArgument(root + ": not JSON");
    const Json* list = doc.is_array() ? &doc : (doc.is_object() && doc.contains("assets") ? &doc["assets"] : nullptr);
    if (list == nullptr || !list->is_array()) {
      return Error::InvalidArgument(root + ": expected {\"assets\": [...]} or an array");
    }
    for (std::size_t idx = 0; idx < list->size(); ++idx) {
      const Json& item = (*list)[idx];
      const std::string where = root + ": assets[" + std::to_string(idx) + "]";
      if (!item.is_object()) return Error::InvalidArgument(where + ": expected an object");
      for (const auto& [key, value] : item.items()) {
        if (key != "member" && key != "device" && key != "asset_id" && key != "name" && key != "cpe" && key != "purl" &&
            key != "version") {
          return Error::InvalidArgument(where + "." + key + ": unknown field");
        }
        if (!value.is_string() && !value.is_null())
          return Error::InvalidArgument(where + "." + key + ": expected a string");
      }
      auto get = [&](const char* key) {
        return item.contains(key) && item[key].is_string() ? std::string(TrimView(item[key].get<std::string>()))
                                                           : std::string();
      };
      const std::string member = get("member");
      if (!member.empty() && member != code) {
        return Error::InvalidArgument(where + ".member: '" + member + "' is not the organisation '" +
                                      std::string(code) + "'");
      }
      rows.push_back({get("device"), get("asset_id"), get("name"), get("cpe"), get("purl"), get("version")});
      places.push_back(where);
    }
  }
  if (rows.size() > kMaxAssetsPerMember) {
    return Error::InvalidArgument(root + ": " + std::to_string(rows.size()) + " assets; at most " +
                                  std::to_string(kMaxAssetsPerMember) + " per member");
  }
  std::map<std::string, std::string> seen;
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    auto asset = RowAsset(code, rows[idx], places[idx]);
    if (!asset.ok()) return Error::InvalidArgument(asset.error().message());
    rows[idx].asset_id = asset->asset_id;
    const auto [it, inserted] = seen.emplace(asset->asset_id, places[idx]);
    if (!inserted) {
      return Error::InvalidArgument(places[idx] + ": asset_id '" + asset->asset_id + "' appears twice (first at " +
                                    it->second + ")");
    }
  }
  return rows;
}

namespace {

std::string SearchFolded(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '_' || c == '-') c = ' ';
  }
  return out;
}

}  // namespace

bool SearchMatches(std::string_view text, std::string_view query) {
  if (query.empty()) return true;
  return SearchFolded(text).find(SearchFolded(query)) != std::string::npos;
}

VulnService::VulnService(Store& store) : store_(store) {}

Result<VulnService::InventoryMatch> VulnService::MatchInventory(const std::string& member, const std::string& query) {
  RecordQuery records{kVulnAssetsKind, std::nullopt, false};
  if (!member.empty()) records.org_code = member;
  auto stored = store_.ListRecords(records);
  if (!stored.ok()) return stored.error();
  InventoryMatch out;
  for (const Record& record : *stored) {
    auto rows = ParseInventory(record.body, false, record.org_code, "record vuln.assets '" + record.id + "'");
    if (!rows.ok() || rows->empty()) continue;
    ++out.members;
    for (const AssetRow& row : *rows) {
      ++out.assets;
      if (SearchMatches(row.name, query) || SearchMatches(row.cpe, query) || SearchMatches(row.purl, query) ||
          SearchMatches(row.device, query)) {
        ++out.matching_assets;
      }
    }
  }
  return out;
}

Result<VulnService::Inventory> VulnService::GetInventory(const std::string& code) {
  Inventory inventory;
  inventory.code = code;
  auto record = store_.GetRecord(kVulnAssetsKind, code);
  if (!record.ok()) {
    if (record.error().kind() == ErrorKind::kNotFound) return inventory;
    return record.error();
  }
  auto rows = ParseInventory(record->body, false, code, std::string("record vuln.assets '") + code + "'");
  if (!rows.ok()) return rows.error();
  inventory.version = record->version;
  inventory.at = record->at;
  inventory.actor = record->actor;
  inventory.rows = std::move(rows).value();
  std::vector<vuln::Asset> assets;
  for (const AssetRow& row : inventory.rows) {
    auto asset = RowAsset(code, row, code);
    if (asset.ok()) assets.push_back(std::move(asset).value());
  }
  inventory.blind_spots = vuln::FindBlindSpots(assets);
  return inventory;
}

Result<VulnService::Inventory> VulnService::PutInventory(const std::string& code, std::vector<AssetRow> rows,
                                                         bool merge, std::optional<std::int64_t> expected_version,
                                                         const std::string& actor) {
  std::lock_guard lock(mutex_);
  if (merge) {
    auto current = GetInventory(code);
    if (!current.ok()) return current.error();
    if (expected_version && *expected_version != current->version) {
      return Error::Conflict("record vuln.assets '" + code + "' is at version " + std::to_string(current->version) +
                             ", not " + std::to_string(*expected_version) + " (someone else changed it; reload)");
    }
    std::map<std::string, std::size_t> index;
    std::vector<AssetRow> merged = current->rows;
    for (std::size_t idx = 0; idx < merged.size(); ++idx) index[merged[idx].asset_id] = idx;
    for (AssetRow& row : rows) {
      if (const auto found = index.find(row.asset_id); found != index.end()) {
        merged[found->second] = std::move(row);
      } else {
        index[row.asset_id] = merged.size();
        merged.push_back(std::move(row));
      }
    }
    if (merged.size() > kMaxAssetsPerMember) {
      return Error::InvalidArgument("the merged inventory would hold more than " + std::to_string(kMaxAssetsPerMember) +
                                    " assets");
    }
    rows = std::move(merged);
    expected_version = current->version;
  }
  RecordWrite write{kVulnAssetsKind, code, code, RowsJson(code, rows).dump(), expected_version};
  auto stored = store_.PutRecord(write, actor);
  if (!stored.ok()) return stored.error();
  engine_.reset();
  findings_valid_ = false;
  return GetInventory(code);
}

Status VulnService::EnsureLoadedLocked() {
  if (loaded_) return Ok();
  db_ = vuln::VulnDatabase();
  snapshot_files_.clear();
  engine_.reset();
  findings_valid_ = false;
  auto files = store_.ListRecords({kVulnFeedFileKind, std::nullopt, false});
  if (!files.ok()) return files.error();
  std::stable_sort(files->begin(), files->end(),
                   [](const Record& a, const Record& b) { return a.at.unix_ms() < b.at.unix_ms(); });
  for (const Record& file : *files) {
    const std::string where = "record vuln.feedfile '" + file.id + "'";
    const Json body = Json::parse(file.body, nullptr, false);
    if (!body.is_object() || !body.contains("kind") || !body.contains("text") || !body["text"].is_string()) {
      return Error::Internal(where + ": not a stored feed file");
    }
    const auto kind = KindByName(body["kind"].get<std::string>());
    if (!kind) return Error::Internal(where + ": unknown kind");
    auto feed = ParseFeed(*kind, body["text"].get<std::string>(), body.value("origin", file.id));
    if (!feed.ok()) return feed.error().WithContext(where);
    (void)db_.Apply(*feed, {file.at, true});
    if (IsSnapshot(*kind)) snapshot_files_[std::string(vuln::FeedKindName(*kind))].push_back(file.id);
  }
  loaded_ = true;
  return Ok();
}

Status VulnService::RebuildEngineLocked() {
  auto records = store_.ListRecords({kVulnAssetsKind, std::nullopt, false});
  if (!records.ok()) return records.error();
  std::vector<vuln::Asset> assets;
  for (const Record& record : *records) {
    const std::string where = "record vuln.assets '" + record.id + "'";
    auto rows = ParseInventory(record.body, false, record.org_code, where);
    if (!rows.ok()) return rows.error();
    for (const AssetRow& row : *rows) {
      auto asset = RowAsset(record.org_code, row, where);
      if (!asset.ok()) return asset.error();
      assets.push_back(std::move(asset).value());
    }
  }
  engine_ = std::make_unique<vuln::ExposureEngine>(std::move(assets));
  return Ok();
}

Status VulnService::ComputeCentralityLocked(const std::vector<vuln::Finding>& findings) {
  std::int64_t max_dependents = 0;
  for (const vuln::Finding& finding : findings) {
    if (dependents_.contains(finding.member)) continue;
    auto edges = store_.ListDependencies(finding.member, EdgeDirection::kDependents);
    const std::int64_t count = edges.ok() ? static_cast<std::int64_t>(edges->size()) : 0;
    dependents_[finding.member] = count;
  }
  for (const auto& [member, count] : dependents_) max_dependents = std::max(max_dependents, count);
  centrality_.clear();
  for (const auto& [member, count] : dependents_) {
    centrality_[member] = max_dependents > 0 ? static_cast<double>(count) / static_cast<double>(max_dependents) : 0.0;
  }
  return Ok();
}

Status VulnService::EnsureFindingsLocked() {
  DV_TRY(EnsureLoadedLocked());
  if (findings_valid_) return Ok();
  if (!engine_) DV_TRY(RebuildEngineLocked());
  vuln::MatchOptions options;
  options.as_of = Timestamp::Now();
  std::vector<vuln::Finding> all = engine_->MatchAll(db_, options);
  dependents_.clear();
  DV_TRY(ComputeCentralityLocked(all));
  findings_.clear();
  for (vuln::Finding& finding : all) {
    if (const auto found = centrality_.find(finding.member); found != centrality_.end()) {
      finding.centrality = found->second;
    }
    findings_[finding.cve].push_back(std::move(finding));
  }
  findings_valid_ = true;
  return Ok();
}

Result<vuln::DecisionMap> VulnService::LoadDecisionsLocked(const std::optional<std::string>& code) {
  auto records = store_.ListRecords({kVulnDecisionKind, code, false});
  if (!records.ok()) return records.error();
  vuln::DecisionMap decisions;
  for (const Record& record : *records) {
    const Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object()) continue;
    vuln::Decision decision;
    decision.status = body.value("status", std::string()) == "fixed" ? vuln::FindingStatus::kFixed
                                                                     : vuln::FindingStatus::kNotApplicable;
    decision.reason = body.value("reason", std::string());
    decision.decided_by = record.actor;
    decision.decided_at = record.at;
    decisions[vuln::FindingKey(record.org_code, body.value("asset_id", std::string()),
                               body.value("cve", std::string()))] = decision;
  }
  return decisions;
}

void VulnService::ApplyDecisions(std::vector<vuln::Finding>& findings, const vuln::DecisionMap& decisions) const {
  if (decisions.empty()) return;
  for (vuln::Finding& finding : findings) {
    const auto found = decisions.find(vuln::FindingKey(finding.member, finding.asset_id, finding.cve));
    if (found == decisions.end()) continue;
    finding.status = found->second.status;
    finding.decision_reason = found->second.reason;
  }
}

Result<std::vector<vuln::Finding>> VulnService::Findings(const std::string& cve, const std::string& member) {
  std::lock_guard lock(mutex_);
  DV_TRY(EnsureFindingsLocked());
  std::vector<vuln::Finding> out;
  auto take = [&](const std::vector<vuln::Finding>& list) {
    for (const vuln::Finding& finding : list) {
      if (member.empty() || finding.member == member) out.push_back(finding);
    }
  };
  if (!cve.empty()) {
    if (const auto found = findings_.find(cve); found != findings_.end()) take(found->second);
  } else {
    for (const auto& [id, list] : findings_) take(list);
  }
  auto decisions = LoadDecisionsLocked(member.empty() ? std::nullopt : std::optional<std::string>(member));
  if (!decisions.ok()) return decisions.error();
  ApplyDecisions(out, *decisions);
  std::sort(out.begin(), out.end(), vuln::PriorityBefore);
  return out;
}

Result<std::optional<VulnService::CveInfo>> VulnService::FindCve(const std::string& cve) {
  std::lock_guard lock(mutex_);
  DV_TRY(EnsureLoadedLocked());
  const vuln::Vulnerability* vuln = db_.Find(cve);
  if (vuln == nullptr) return std::optional<CveInfo>();
  CveInfo info{*vuln, std::nullopt, std::nullopt};
  if (const auto* kev = db_.FindKev(cve)) info.kev = *kev;
  if (const auto* epss = db_.FindEpss(cve)) info.epss = *epss;
  return std::optional<CveInfo>(std::move(info));
}

Result<std::map<std::string, std::string>> VulnService::Descriptions(const std::vector<std::string>& cves) {
  std::lock_guard lock(mutex_);
  DV_TRY(EnsureLoadedLocked());
  std::map<std::string, std::string> out;
  for (const std::string& cve : cves) {
    if (const vuln::Vulnerability* vuln = db_.Find(cve)) out[cve] = vuln->description;
  }
  return out;
}

Result<std::int64_t> VulnService::Dependents(const std::string& code) {
  std::lock_guard lock(mutex_);
  if (const auto found = dependents_.find(code); found != dependents_.end()) return found->second;
  auto edges = store_.ListDependencies(code, EdgeDirection::kDependents);
  if (!edges.ok()) return std::int64_t{0};
  return static_cast<std::int64_t>(edges->size());
}

Result<std::vector<VulnService::FeedSource>> VulnService::Sources() {
  std::lock_guard lock(mutex_);
  DV_TRY(EnsureLoadedLocked());
  std::vector<FeedSource> out;
  for (const auto& [name, state] : db_.sources()) out.push_back({name, state});
  return out;
}

Result<std::size_t> VulnService::VulnerabilityCount() {
  std::lock_guard lock(mutex_);
  DV_TRY(EnsureLoadedLocked());
  return db_.size();
}

Result<VulnService::IngestResult> VulnService::Ingest(vuln::FeedKind kind, std::string_view text,
                                                      const std::string& origin, bool confirm,
                                                      const Principal& principal) {
  // Parse outside the lock: a malformed file is refused before anything changes.
  auto parsed = ParseFeed(kind, text, origin);
  if (!parsed.ok()) return Error::InvalidArgument(parsed.error().message());
  std::lock_guard lock(mutex_);
  DV_TRY(EnsureFindingsLocked());
  auto decisions = LoadDecisionsLocked(std::nullopt);
  if (!decisions.ok()) return decisions.error();

  IngestResult result;
  result.info = InfoOf(*parsed);
  result.source = SourceKey(*parsed);
  const Timestamp now = Timestamp::Now();
  auto started = std::chrono::steady_clock::now();
  result.report = db_.Apply(*parsed, {now, confirm});
  result.apply_ms = Ms(started);
  if (!result.report.applied) return result;

  // Persist the accepted file and the source's state in one transaction; on
  // failure the in-memory database is rebuilt from the store on next use.
  const std::string kind_name(vuln::FeedKindName(kind));
  const std::string file_id = kind_name + "|" + std::to_string(now.unix_ms()) + "|" + HashToken(text).substr(0, 16);
  const auto& state = db_.sources().at(result.source);
  Json meta = {{"kind", kind_name},
               {"source", result.source},
               {"origin", origin},
               {"source_date", state.source_date},
               {"version", state.version},
               {"applied_at", now.ToRfc3339()},
               {"records", state.records},
               {"added", result.report.added},
               {"updated", result.report.updated},
               {"unchanged", result.report.unchanged},
               {"removed", result.report.removed},
               {"warnings", result.info.warnings.size()},
               {"file", file_id}};
  const std::string actor = "member:" + principal.member.id;
  const std::string org = principal.organisation.code;
  std::vector<std::string> superseded;
  if (IsSnapshot(kind)) superseded = snapshot_files_[kind_name];
  const bool store_file = IsSnapshot(kind) || result.report.added + result.report.updated + result.report.removed > 0;
  if (!store_file) meta["file"] = nullptr;
  const Status persisted = store_.InTransaction([&]() -> Status {
    Json file = {{"kind", kind_name},
                 {"origin", origin},
                 {"sha256", HashToken(text)},
                 {"bytes", text.size()},
                 {"text", std::string(text)}};
    // An incremental file that changed nothing (a page ingested twice) is not
    // kept again; the source's state still records the ingest.
    if (store_file) {
      auto stored_file = store_.PutRecord({kVulnFeedFileKind, file_id, org, file.dump(), std::int64_t{0}}, actor);
      if (!stored_file.ok()) return stored_file.error();
    }
    auto stored_meta = store_.PutRecord({kVulnFeedKind, result.source, org, meta.dump(), std::nullopt}, actor);
    if (!stored_meta.ok()) return stored_meta.error();
    for (const std::string& old : superseded) {
      auto deleted = store_.DeleteRecord(kVulnFeedFileKind, old, actor);
      if (!deleted.ok() && deleted.error().kind() != ErrorKind::kNotFound) return deleted.error();
    }
    return Ok();
  });
  if (!persisted.ok()) {
    loaded_ = false;
    findings_valid_ = false;
    return persisted.error().WithContext("storing the " + kind_name + " feed");
  }
  if (IsSnapshot(kind)) snapshot_files_[kind_name] = {file_id};

  // Re-match and compare: who is exposed now that was not before.
  started = std::chrono::steady_clock::now();
  std::unordered_map<std::string, std::vector<vuln::Finding>> before;
  std::vector<std::string> cves;
  if (IsSnapshot(kind)) {
    // KEV and EPSS change priorities, never which assets match: only CVEs
    // that already have findings and whose KEV or EPSS data moved are re-matched.
    for (const auto& [cve, list] : findings_) {
      if (list.empty()) continue;
      const vuln::Finding& sample = list.front();
      const vuln::EpssScore* epss = db_.FindEpss(cve);
      const bool kev_now = db_.FindKev(cve) != nullptr;
      const double epss_now = epss != nullptr ? epss->epss : -1;
      if (kev_now != sample.kev || epss_now != sample.epss) cves.push_back(cve);
    }
  } else {
    cves = result.report.changed_ids;
  }
  {
    vuln::MatchOptions options;
    options.as_of = now;
    std::vector<vuln::Finding> fresh = engine_->MatchIds(db_, cves, options);
    DV_TRY(ComputeCentralityLocked(fresh));
    for (const std::string& cve : cves) {
      if (auto found = findings_.find(cve); found != findings_.end()) {
        before[cve] = std::move(found->second);
        findings_.erase(found);
      }
    }
    for (vuln::Finding& finding : fresh) {
      if (const auto found = centrality_.find(finding.member); found != centrality_.end()) {
        finding.centrality = found->second;
      }
      findings_[finding.cve].push_back(std::move(finding));
    }
  }
  std::sort(cves.begin(), cves.end());
  for (const std::string& cve : cves) {
    const auto now_found = findings_.find(cve);
    if (now_found == findings_.end()) continue;
    std::vector<vuln::Finding> after = now_found->second;
    ApplyDecisions(after, *decisions);
    std::map<std::string, bool> was_open;  // member → its open finding was known exploited
    if (const auto old = before.find(cve); old != before.end()) {
      std::vector<vuln::Finding> prior = old->second;
      ApplyDecisions(prior, *decisions);
      for (const vuln::Finding& finding : prior) {
        if (Counts(finding)) was_open[finding.member] = was_open[finding.member] || finding.kev;
      }
    }
    std::map<std::string, std::pair<std::vector<std::string>, bool>> open_now;
    for (const vuln::Finding& finding : after) {
      if (!Counts(finding)) continue;
      auto& entry = open_now[finding.member];
      entry.first.push_back(finding.asset_id);
      entry.second = entry.second || finding.kev;
    }
    for (const auto& [member, entry] : open_now) {
      const auto old = was_open.find(member);
      std::string why;
      if (old == was_open.end()) {
        why = "newly exposed";
      } else if (!old->second && entry.second) {
        why = "newly known exploited";
      } else {
        continue;
      }
      result.new_exposures.push_back({cve, member, entry.first, why, ""});
    }
  }
  result.match_ms = Ms(started);

  if (!result.new_exposures.empty()) {
    if (!store_.GetCollection(NationalCollectionId()).ok()) {
      result.notification_problem = "no national collection to notify on";
    } else if (auto notified = NotifyLocked(result.new_exposures, principal); !notified.ok()) {
      result.notification_problem = notified.error().message();
    }
  }
  return result;
}

Status VulnService::NotifyLocked(std::vector<NewExposure>& exposures, const Principal& principal) {
  const Timestamp now = Timestamp::Now();
  const std::string stamp = now.ToRfc3339();
  // One note per member per ingest (a bulk load must not flood anyone),
  // naming its new exposures by priority, at most kMaxNoteCves of them.
  std::map<std::string, std::vector<NewExposure*>> by_member;
  for (NewExposure& exposure : exposures) by_member[exposure.member].push_back(&exposure);
  auto best = [&](const NewExposure& exposure) -> const vuln::Finding* {
    const vuln::Finding* top = nullptr;
    for (const vuln::Finding& finding : findings_[exposure.cve]) {
      if (finding.member == exposure.member && (top == nullptr || vuln::PriorityBefore(finding, *top))) top = &finding;
    }
    return top;
  };
  std::vector<NewObject> objects;
  std::set<std::string> posted_vulns;
  for (auto& [member, list] : by_member) {
    std::stable_sort(list.begin(), list.end(), [&](const NewExposure* a, const NewExposure* b) {
      const vuln::Finding* fa = best(*a);
      const vuln::Finding* fb = best(*b);
      if (fa == nullptr || fb == nullptr) return fa != nullptr;
      return vuln::PriorityBefore(*fa, *fb);
    });
    const std::string note_id = "note--" + Uuid::V4().ToString();
    Json refs = Json::array();
    Json listed = Json::array();
    std::string content = "Dannevirke fandt " + std::to_string(list.size()) + " nye eksponeringer hos " + member +
                          " / found " + std::to_string(list.size()) + " new exposures for " + member + ":";
    for (std::size_t idx = 0; idx < list.size(); ++idx) {
      NewExposure& exposure = *list[idx];
      exposure.note = note_id;
      if (idx >= kMaxNoteCves) continue;
      const vuln::Vulnerability* vuln = db_.Find(exposure.cve);
      if (vuln == nullptr) continue;
      if (posted_vulns.insert(exposure.cve).second) {
        // The vulnerability is public knowledge: TLP:CLEAR, deterministic id and
        // version, so posting it again adds nothing.
        Json object = vuln::ToStixVulnerability(*vuln, &db_, vuln->published.value_or(now), Tlp::kClear);
        object["created_by_ref"] = principal.organisation.StixId();
        auto intake = IntakeObject(object.dump());
        if (!intake.ok()) return intake.error();
        objects.push_back(std::move(intake).value());
      }
      refs.push_back(vuln::StixVulnerabilityId(exposure.cve));
      const vuln::Finding* top = best(exposure);
      content += "\n- " + exposure.cve + " (" + exposure.why + "): ";
      for (std::size_t asset_idx = 0; asset_idx < exposure.assets.size(); ++asset_idx) {
        content += (asset_idx ? ", " : "") + exposure.assets[asset_idx];
      }
      if (top != nullptr) {
        content += "; " + top->Why();
        if (top->due) content += "; due " + top->due->ToRfc3339().substr(0, 10);
      }
      listed.push_back({{"cve", exposure.cve}, {"assets", exposure.assets}, {"why", exposure.why}});
    }
    if (list.size() > kMaxNoteCves) {
      content += "\n… +" + std::to_string(list.size() - kMaxNoteCves) + " (se dashboardet / see the dashboard)";
    }
    if (refs.empty()) continue;
    // Who is exposed is not public: the note is TLP:RED for the member alone.
    Json note = {{"type", "note"},
                 {"spec_version", "2.1"},
                 {"id", note_id},
                 {"created", stamp},
                 {"modified", stamp},
                 {"created_by_ref", principal.organisation.StixId()},
                 {"abstract", std::to_string(list.size()) + " nye eksponeringer / new exposures: " + member},
                 {"content", content},
                 {"object_refs", refs},
                 {"object_marking_refs", {TlpMarkingId(Tlp::kRed)}},
                 {"x_dannevirke_recipients", {member}},
                 {"x_dannevirke_exposure", {{"member", member}, {"total", list.size()}, {"exposures", listed}}}};
    auto intake = IntakeObject(note.dump());
    if (!intake.ok()) return intake.error();
    objects.push_back(std::move(intake).value());
  }
  if (objects.empty()) return Ok();
  auto added =
      store_.AddObjects(NationalCollectionId(), objects, principal.organisation.code, "member:" + principal.member.id);
  if (!added.ok()) return added.error();
  return Ok();
}

Result<Record> VulnService::PutDecision(const std::string& code, const std::string& cve, const std::string& asset_id,
                                        const std::string& status, const std::string& reason,
                                        const std::string& actor) {
  std::lock_guard lock(mutex_);
  const std::string id = code + "|" + cve + "|" + asset_id;
  if (status == "open") return store_.DeleteRecord(kVulnDecisionKind, id, actor);
  Json body = {{"member", code}, {"cve", cve}, {"asset_id", asset_id}, {"status", status}, {"reason", reason}};
  return store_.PutRecord({kVulnDecisionKind, id, code, body.dump(), std::nullopt}, actor);
}

Result<std::vector<Record>> VulnService::Decisions(const std::optional<std::string>& code) {
  return store_.ListRecords({kVulnDecisionKind, code, false});
}

}  // namespace dv::hub
