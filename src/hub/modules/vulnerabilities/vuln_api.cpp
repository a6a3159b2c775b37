// SPDX-License-Identifier: Apache-2.0
// /api/v1/assets…, /api/v1/vulnerabilities…, /api/v1/exposure…: members'
// asset inventories, feed ingestion with the national exposure delta, and
// exposure per CVE and per member with decisions (hub/modules/vulnerabilities/vuln_service.h,
// docs/vuln.md).

#include <httplib.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "hub/api.h"
#include "hub/module.h"
#include "hub/modules/vulnerabilities/vuln_service.h"
#include "hub/router.h"

namespace dv::hub {

namespace {

constexpr std::size_t kMaxVerdictReason = 2000;
constexpr std::size_t kMaxWarnings = 50;
constexpr int kDefaultListLimit = 500;

std::string DateOf(const std::optional<Timestamp>& at) { return at ? at->ToRfc3339().substr(0, 10) : std::string(); }

bool ValidCve(const std::string& cve) {
  if (cve.size() < 9 || cve.size() > 20 || !cve.starts_with("CVE-")) return false;
  for (std::size_t pos = 4; pos < cve.size(); ++pos) {
    if (!(std::isdigit(static_cast<unsigned char>(cve[pos])) || (pos == 8 && cve[pos] == '-'))) return false;
  }
  return cve[8] == '-';
}

std::optional<vuln::FeedKind> FeedKindFromPath(const std::string& name) {
  for (auto kind : {vuln::FeedKind::kNvd, vuln::FeedKind::kCve5, vuln::FeedKind::kKev, vuln::FeedKind::kEpss,
                    vuln::FeedKind::kCsaf}) {
    if (vuln::FeedKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Json RowJson(const AssetRow& row) {
  return {{"device", row.device}, {"asset_id", row.asset_id}, {"name", row.name},
          {"cpe", row.cpe},       {"purl", row.purl},         {"version", row.version}};
}

class VulnApi {
 public:
  explicit VulnApi(ApiContext& context)
      : context_(context), service_(context.Shared<VulnService>(std::string(kVulnServiceName), [&context] {
          return std::make_shared<VulnService>(context.store());
        })) {}

  void Register(Router& server) {
    const auto route = [this](auto handler) { return context_.Route(this, handler); };
    server.Get(R"(/api/v1/assets/([^/]+))", route(&VulnApi::GetAssets));
    server.Put(R"(/api/v1/assets/([^/]+))", route(&VulnApi::PutAssets));
    server.Post(R"(/api/v1/assets/([^/]+)/import)", route(&VulnApi::ImportAssets));
    server.Get("/api/v1/vulnerabilities/feeds", route(&VulnApi::ListFeeds));
    server.Post(R"(/api/v1/vulnerabilities/feeds/([^/]+))", route(&VulnApi::IngestFeed));
    server.Get("/api/v1/exposure", route(&VulnApi::Exposure));
    server.Get(R"(/api/v1/exposure/members/([^/]+))", route(&VulnApi::MemberExposure));
    server.Put(R"(/api/v1/exposure/members/([^/]+)/decisions)", route(&VulnApi::PutDecision));
  }

  VulnService& service() { return *service_; }

 private:
  // ---- Assets ----

  Json InventoryJson(const VulnService::Inventory& inventory) {
    std::map<std::string, std::string> blind;
    for (const auto& spot : inventory.blind_spots) blind[spot.asset_id] = spot.reason;
    Json assets = Json::array();
    for (const AssetRow& row : inventory.rows) {
      Json item = RowJson(row);
      const auto found = blind.find(row.asset_id);
      item["blind_spot"] = found == blind.end() ? Json() : Json(found->second);
      assets.push_back(std::move(item));
    }
    Json spots = Json::array();
    for (const auto& spot : inventory.blind_spots) {
      spots.push_back({{"asset_id", spot.asset_id}, {"name", spot.name}, {"reason", spot.reason}});
    }
    OrganisationLookup names(context_.store());
    return {{"code", inventory.code},         {"name", names.Name(inventory.code)},
            {"version", inventory.version},   {"updated_at", inventory.at ? Json(inventory.at->ToRfc3339()) : Json()},
            {"updated_by", inventory.actor},  {"assets", std::move(assets)},
            {"blind_spots", std::move(spots)}};
  }

  // kNotFound for an unknown organisation; else Ok.
  Status KnownOrg(const std::string& code) {
    auto org = context_.store().GetOrganisation(code);
    if (!org.ok()) return org.error();
    return Ok();
  }

  void GetAssets(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string code = req.matches[1].str();
    if (!CanReadOrgRecords(principal, code)) return context_.Forbid(principal, req, res, "assets of " + code);
    if (auto known = KnownOrg(code); !known.ok()) return SendError(res, known.error());
    auto inventory = service_->GetInventory(code);
    if (!inventory.ok()) return SendError(res, inventory.error());
    SendJson(res, 200, InventoryJson(*inventory));
  }

  void PutAssets(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string code = req.matches[1].str();
    if (!CanWriteOrgRecords(principal, code)) return context_.Forbid(principal, req, res, "assets of " + code);
    if (auto known = KnownOrg(code); !known.ok()) return SendError(res, known.error());
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    std::optional<std::int64_t> expected;
    if (body->contains("version")) {
      if (!(*body)["version"].is_number_integer()) {
        return SendError(res, Error::InvalidArgument("request body: field 'version' must be a whole number"));
      }
      expected = (*body)["version"].get<std::int64_t>();
    }
    if (!body->contains("assets")) {
      return SendError(res, Error::InvalidArgument("request body: field 'assets' is required (a list)"));
    }
    auto rows = ParseInventory(Json{{"assets", (*body)["assets"]}}.dump(), false, code, "request body");
    if (!rows.ok()) return SendError(res, rows.error());
    auto stored = service_->PutInventory(code, std::move(rows).value(), false, expected, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    SendJson(res, 200, InventoryJson(*stored));
  }

  void ImportAssets(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"format", "replace"}); !status.ok()) return SendError(res, status.error());
    const std::string code = req.matches[1].str();
    const bool own_sensor = principal.member.role == MemberRole::kSensor && principal.member.org_code == code;
    if (!CanWriteOrgRecords(principal, code) && !own_sensor) {
      return context_.Forbid(principal, req, res, "assets of " + code);
    }
    if (auto known = KnownOrg(code); !known.ok()) return SendError(res, known.error());
    std::string format = req.get_param_value("format");
    if (format.empty()) {
      const std::string type = req.get_header_value("Content-Type");
      format = type.find("csv") != std::string::npos ? "csv" : "json";
    }
    if (format != "csv" && format != "json") {
      return SendError(res,
                       Error::InvalidArgument("query parameter 'format' must be csv or json, not '" + format + "'"));
    }
    const std::string replace = req.get_param_value("replace");
    if (!replace.empty() && replace != "true" && replace != "false") {
      return SendError(res, Error::InvalidArgument("query parameter 'replace' must be true or false"));
    }
    if (replace == "true" && own_sensor) {
      return context_.Forbid(principal, req, res, "replacing the whole inventory of " + code + " (sensors merge)");
    }
    auto rows = ParseInventory(req.body, format == "csv", code, format == "csv" ? "import.csv" : "import.json");
    if (!rows.ok()) return SendError(res, rows.error());
    const std::size_t imported = rows->size();
    auto stored = service_->PutInventory(code, std::move(rows).value(), replace != "true", std::nullopt,
                                         ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    Json out = InventoryJson(*stored);
    out["imported"] = imported;
    out["mode"] = replace == "true" ? "replace" : "merge";
    SendJson(res, 200, out);
  }

  // ---- Feeds ----

  void ListFeeds(const httplib::Request& req, httplib::Response& res, const Principal& /*principal*/) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto sources = service_->Sources();
    if (!sources.ok()) return SendError(res, sources.error());
    auto count = service_->VulnerabilityCount();
    if (!count.ok()) return SendError(res, count.error());
    Json items = Json::array();
    for (const auto& source : *sources) {
      items.push_back({{"source", source.name},
                       {"kind", vuln::FeedKindName(source.state.kind)},
                       {"origin", source.state.origin},
                       {"source_date", source.state.source_date},
                       {"version", source.state.version},
                       {"applied_at", source.state.applied_at.ToRfc3339()},
                       {"records", source.state.records}});
    }
    SendJson(res, 200, {{"sources", std::move(items)}, {"vulnerabilities", *count}});
  }

  void IngestFeed(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"confirm", "origin"}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "vulnerability feeds (coordinators)");
    const auto kind = FeedKindFromPath(req.matches[1].str());
    if (!kind) {
      return SendError(
          res, Error::NotFound("no feed kind '" + req.matches[1].str() + "' (known: nvd, cve5, kev, epss, csaf)"));
    }
    const std::string confirm = req.get_param_value("confirm");
    if (!confirm.empty() && confirm != "true" && confirm != "false") {
      return SendError(res, Error::InvalidArgument("query parameter 'confirm' must be true or false"));
    }
    std::string origin = req.get_param_value("origin");
    if (origin.empty())
      origin = std::string(vuln::FeedKindName(*kind)) + (*kind == vuln::FeedKind::kEpss ? ".csv" : ".json");
    if (origin.size() > 200) return SendError(res, Error::InvalidArgument("query parameter 'origin' is too long"));
    if (req.body.empty()) return SendError(res, Error::InvalidArgument("request body: empty; send the feed file"));
    auto result = service_->Ingest(*kind, req.body, origin, confirm == "true", principal);
    if (!result.ok()) return SendError(res, result.error());
    Json warnings = Json::array();
    for (std::size_t idx = 0; idx < result->info.warnings.size() && idx < kMaxWarnings; ++idx) {
      warnings.push_back(result->info.warnings[idx]);
    }
    Json out = {{"kind", vuln::FeedKindName(*kind)},
                {"source", result->source},
                {"origin", origin},
                {"source_date", result->info.source_date},
                {"version", result->info.version},
                {"applied", result->report.applied},
                {"added", result->report.added},
                {"updated", result->report.updated},
                {"unchanged", result->report.unchanged},
                {"removed", result->report.removed},
                {"warnings", std::move(warnings)},
                {"warning_count", result->info.warnings.size()}};
    if (!result->report.applied) {
      out["error"] = {{"kind", "conflict"},
                      {"message", result->report.reason + " (repeat with ?confirm=true to apply)"}};
      return SendJson(res, 409, out);
    }
    OrganisationLookup names(context_.store());
    Json delta = Json::array();
    std::set<std::string> members;
    for (const auto& exposure : result->new_exposures) {
      members.insert(exposure.member);
      delta.push_back({{"cve", exposure.cve},
                       {"member", exposure.member},
                       {"name", names.Name(exposure.member)},
                       {"assets", exposure.assets},
                       {"why", exposure.why},
                       {"notification", exposure.note.empty() ? Json() : Json(exposure.note)}});
    }
    out["changed"] = result->report.changed_ids.size();
    out["delta"] = {
        {"new_exposures", std::move(delta)},
        {"members", members},
        {"notification_problem", result->notification_problem.empty() ? Json() : Json(result->notification_problem)}};
    out["timing_ms"] = {{"apply", result->apply_ms}, {"match", result->match_ms}};
    SendJson(res, 200, out);
  }

  // ---- Exposure ----

  Json CveJson(const std::string& cve) {
    auto info = service_->FindCve(cve);
    if (!info.ok() || !*info) return {{"cve", cve}};
    const auto& record = **info;
    Json out = {{"cve", cve},
                {"description", record.vuln.description},
                {"published", DateOf(record.vuln.published)},
                {"cvss", record.vuln.cvss >= 0 ? Json(record.vuln.cvss) : Json()},
                {"severity", record.vuln.severity},
                {"references", record.vuln.references},
                {"kev", Json()},
                {"epss", Json()}};
    if (record.kev) {
      out["kev"] = {{"date_added", record.kev->date_added},
                    {"due_date", record.kev->due_date},
                    {"required_action", record.kev->required_action},
                    {"ransomware", record.kev->ransomware},
                    {"name", record.kev->name}};
    }
    if (record.epss) out["epss"] = {{"score", record.epss->epss}, {"percentile", record.epss->percentile}};
    return out;
  }

  void Exposure(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"cve", "q", "status", "limit"}); !status.ok()) {
      return SendError(res, status.error());
    }
    auto limit = IntParam(req, "limit", kDefaultListLimit);
    if (!limit.ok()) return SendError(res, limit.error());
    if (*limit < 1 || *limit > Store::kMaxPageSize) {
      return SendError(
          res, Error::InvalidArgument("query parameter 'limit' must be 1-" + std::to_string(Store::kMaxPageSize)));
    }
    const std::string cve = req.get_param_value("cve");
    const std::string member = IsCoordinator(principal) ? std::string() : principal.organisation.code;
    OrganisationLookup names(context_.store());
    if (!cve.empty()) {
      if (!ValidCve(cve)) {
        return SendError(
            res, Error::InvalidArgument("query parameter 'cve' must look like CVE-2023-28771, not '" + cve + "'"));
      }
      auto info = service_->FindCve(cve);
      if (!info.ok()) return SendError(res, info.error());
      if (!*info) return SendError(res, Error::NotFound("no vulnerability " + cve + " in the ingested feeds"));
      auto findings = service_->Findings(cve, member);
      if (!findings.ok()) return SendError(res, findings.error());
      std::map<std::string, Json> by_member;
      std::vector<std::string> order;
      Json review = Json::array();
      for (const auto& finding : *findings) {
        if (finding.status == vuln::FindingStatus::kNeedsReview) review.push_back(vuln::FindingJson(finding));
        auto [it, inserted] = by_member.try_emplace(finding.member);
        if (inserted) {
          order.push_back(finding.member);
          auto dependents = service_->Dependents(finding.member);
          it->second = {{"code", finding.member},
                        {"name", names.Name(finding.member)},
                        {"dependents", dependents.ok() ? *dependents : 0},
                        {"centrality", finding.centrality},
                        {"findings", Json::array()}};
        }
        it->second["findings"].push_back(vuln::FindingJson(finding));
      }
      // Members with an open finding first; within each group by priority.
      std::stable_partition(order.begin(), order.end(), [&](const std::string& code) {
        for (const auto& finding : by_member[code]["findings"]) {
          if (finding["status"] == "open") return true;
        }
        return false;
      });
      Json members = Json::array();
      for (const auto& code : order) members.push_back(by_member[code]);
      Json out = CveJson(cve);
      out["scope"] = member.empty() ? "national" : member;
      if (members.empty()) {
        // No member is exposed: say whether that is for want of an inventory.
        auto inventory = service_->MatchInventory(member, "");
        if (!inventory.ok()) return SendError(res, inventory.error());
        out["empty_reason"] = inventory->assets == 0 ? "no_inventory" : "no_affected_version";
        out["inventory"] = {{"members", inventory->members},
                            {"assets", inventory->assets},
                            {"matching_assets", inventory->matching_assets}};
      }
      out["members"] = std::move(members);
      out["needs_review"] = std::move(review);
      return SendJson(res, 200, out);
    }
    // The list by CVE, in priority order (the first finding of each CVE is its highest).
    const std::string q = req.get_param_value("q");
    if (q.size() > 200) return SendError(res, Error::InvalidArgument("query parameter 'q' is too long (200 at most)"));
    const std::string status_filter = req.get_param_value("status");
    if (!status_filter.empty() && status_filter != "open" && status_filter != "needs_review" &&
        status_filter != "not_applicable" && status_filter != "fixed") {
      return SendError(
          res, Error::InvalidArgument("query parameter 'status' must be open, needs_review, not_applicable or fixed"));
    }
    auto findings = service_->Findings("", member);
    if (!findings.ok()) return SendError(res, findings.error());
    // The search reads the CVE id, the asset's vendor, product and name, and
    // the vulnerability's description.
    std::map<std::string, std::string> descriptions;
    if (!q.empty()) {
      std::vector<std::string> cves;
      for (const auto& finding : *findings) {
        if (cves.empty() || cves.back() != finding.cve) cves.push_back(finding.cve);
      }
      std::sort(cves.begin(), cves.end());
      cves.erase(std::unique(cves.begin(), cves.end()), cves.end());
      auto described = service_->Descriptions(cves);
      if (!described.ok()) return SendError(res, described.error());
      descriptions = std::move(described).value();
    }
    const auto searched = [&](const vuln::Finding& finding) {
      if (q.empty()) return true;
      if (SearchMatches(finding.cve, q) || SearchMatches(finding.vendor, q) || SearchMatches(finding.product, q) ||
          SearchMatches(finding.asset_name, q)) {
        return true;
      }
      const auto description = descriptions.find(finding.cve);
      return description != descriptions.end() && SearchMatches(description->second, q);
    };
    std::map<std::string, Json> by_cve;
    std::vector<std::string> order;
    std::map<std::string, std::set<std::string>> open_members;
    std::map<std::string, std::set<std::string>> all_members;
    std::map<std::string, std::set<std::pair<std::string, std::string>>> products;
    std::size_t searched_findings = 0;
    std::size_t searched_decided = 0;
    for (const auto& finding : *findings) {
      if (!searched(finding)) continue;
      ++searched_findings;
      if (finding.status == vuln::FindingStatus::kNotApplicable || finding.status == vuln::FindingStatus::kFixed) {
        ++searched_decided;
      }
      if (!status_filter.empty() && vuln::FindingStatusName(finding.status) != status_filter) continue;
      auto [it, inserted] = by_cve.try_emplace(finding.cve);
      if (inserted) {
        order.push_back(finding.cve);
        it->second = {{"cve", finding.cve},
                      {"kev", finding.kev},
                      {"ransomware", finding.ransomware},
                      {"epss", finding.epss >= 0 ? Json(finding.epss) : Json()},
                      {"cvss", finding.cvss >= 0 ? Json(finding.cvss) : Json()},
                      {"severity", finding.severity},
                      {"due", DateOf(finding.due)},
                      {"open", 0},
                      {"needs_review", 0},
                      {"decided", 0}};
      }
      Json& item = it->second;
      all_members[finding.cve].insert(finding.member);
      if (!finding.vendor.empty() || !finding.product.empty()) {
        products[finding.cve].emplace(finding.vendor, finding.product);
      }
      if (finding.status == vuln::FindingStatus::kOpen) {
        item["open"] = item["open"].get<int>() + 1;
        open_members[finding.cve].insert(finding.member);
      } else if (finding.status == vuln::FindingStatus::kNeedsReview) {
        item["needs_review"] = item["needs_review"].get<int>() + 1;
      } else {
        item["decided"] = item["decided"].get<int>() + 1;
      }
    }
    const std::size_t total = order.size();
    if (order.size() > static_cast<std::size_t>(*limit)) order.resize(static_cast<std::size_t>(*limit));
    // A search has read every description already; otherwise read those shown.
    if (q.empty()) {
      auto described = service_->Descriptions(order);
      if (!described.ok()) return SendError(res, described.error());
      descriptions = std::move(described).value();
    }
    Json items = Json::array();
    for (const auto& cve_id : order) {
      Json item = by_cve[cve_id];
      Json exposed = Json::array();
      for (const auto& code : all_members[cve_id]) {
        exposed.push_back({{"code", code}, {"name", names.Name(code)}, {"open", open_members[cve_id].contains(code)}});
      }
      item["members"] = std::move(exposed);
      item["members_open"] = open_members[cve_id].size();
      Json named = Json::array();
      for (const auto& [vendor, product] : products[cve_id])
        named.push_back({{"vendor", vendor}, {"product", product}});
      item["products"] = std::move(named);
      const auto description = descriptions.find(cve_id);
      item["description"] = description == descriptions.end() ? std::string() : description->second;
      items.push_back(std::move(item));
    }
    Json out = {{"scope", member.empty() ? "national" : member},
                {"items", std::move(items)},
                {"total", total},
                {"limit", *limit}};
    if (total == 0) {
      // An empty list must not read as an all-clear: say why it is empty.
      auto inventory = service_->MatchInventory(member, q);
      if (!inventory.ok()) return SendError(res, inventory.error());
      std::string reason;
      if (inventory->assets == 0) {
        reason = "no_inventory";
      } else if (!q.empty() && inventory->matching_assets == 0 && searched_findings == 0) {
        reason = "no_matching_assets";
      } else if (searched_findings > 0 && searched_decided == searched_findings) {
        reason = "all_decided";
      } else if (searched_findings > 0) {
        reason = "status_filter";
      } else {
        reason = "no_affected_version";
      }
      out["empty_reason"] = reason;
      out["inventory"] = {{"members", inventory->members},
                          {"assets", inventory->assets},
                          {"matching_assets", inventory->matching_assets}};
    }
    SendJson(res, 200, out);
  }

  // The exposure notes on the national collection that the caller may see
  // and that concern `code`, newest first (the last 90 days).
  Json Notifications(const Principal& principal, const std::string& code) {
    std::vector<Json> notes;  // oldest first; each the note's exposures in priority order
    auto collection = context_.store().GetCollection(NationalCollectionId());
    if (!collection.ok()) return Json::array();
    ObjectQuery query;
    query.collection_id = collection->id;
    query.types = {"note"};
    query.added_after_us = (Timestamp::Now().unix_ms() - std::int64_t{90} * 24 * 3600 * 1000) * 1000;
    query.limit = Store::kMaxPageSize;
    for (int page_idx = 0; page_idx < 20; ++page_idx) {
      auto page = context_.store().QueryObjects(query, [&](const StoredObject& object) {
        return CanSeeObject(principal, *collection, object) &&
               object.json.find("x_dannevirke_exposure") != std::string::npos;
      });
      if (!page.ok()) break;
      for (const StoredObject& object : page->objects) {
        const Json note = Json::parse(object.json, nullptr, false);
        if (!note.is_object() || !note.contains("x_dannevirke_exposure")) continue;
        const Json& exposure = note["x_dannevirke_exposure"];
        if (exposure.value("member", std::string()) != code) continue;
        Json& group = notes.emplace_back(Json::array());
        for (const auto& item : exposure.value("exposures", Json::array())) {
          group.push_back({{"id", object.id},
                           {"cve", item.value("cve", std::string())},
                           {"why", item.value("why", std::string())},
                           {"assets", item.value("assets", Json::array())},
                           {"created", note.value("created", std::string())},
                           {"abstract", note.value("abstract", std::string())}});
        }
      }
      if (!page->more) break;
      query.after_seq = page->next_seq;
    }
    Json out = Json::array();
    for (auto note = notes.rbegin(); note != notes.rend(); ++note) {
      for (auto& item : *note) out.push_back(std::move(item));
    }
    return out;
  }

  void MemberExposure(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"limit", "offset"}); !status.ok()) return SendError(res, status.error());
    auto limit = IntParam(req, "limit", Store::kMaxPageSize);
    if (!limit.ok()) return SendError(res, limit.error());
    auto offset = IntParam(req, "offset", 0);
    if (!offset.ok()) return SendError(res, offset.error());
    if (*limit < 1 || *limit > Store::kMaxPageSize || *offset < 0) {
      return SendError(res, Error::InvalidArgument("query parameters: limit must be 1-" +
                                                   std::to_string(Store::kMaxPageSize) + " and offset >= 0"));
    }
    const std::string code = req.matches[1].str();
    if (!CanReadOrgRecords(principal, code)) return context_.Forbid(principal, req, res, "exposure of " + code);
    if (auto known = KnownOrg(code); !known.ok()) return SendError(res, known.error());
    auto findings = service_->Findings("", code);
    if (!findings.ok()) return SendError(res, findings.error());
    auto decisions = service_->Decisions(code);
    if (!decisions.ok()) return SendError(res, decisions.error());
    Json items = Json::array();
    std::map<std::string, int> counts = {{"open", 0}, {"needs_review", 0}, {"not_applicable", 0}, {"fixed", 0}};
    std::size_t index = 0;
    for (const auto& finding : *findings) {
      ++counts[std::string(vuln::FindingStatusName(finding.status))];
      if (index >= static_cast<std::size_t>(*offset) && items.size() < static_cast<std::size_t>(*limit)) {
        items.push_back(vuln::FindingJson(finding));
      }
      ++index;
    }
    Json decided = Json::array();
    for (const Record& record : *decisions) {
      Json body = Json::parse(record.body, nullptr, false);
      if (!body.is_object()) continue;
      body["decided_by"] = record.actor;
      body["decided_at"] = record.at.ToRfc3339();
      body["version"] = record.version;
      decided.push_back(std::move(body));
    }
    OrganisationLookup names(context_.store());
    auto dependents = service_->Dependents(code);
    SendJson(res, 200,
             {{"code", code},
              {"name", names.Name(code)},
              {"dependents", dependents.ok() ? *dependents : 0},
              {"findings", std::move(items)},
              {"total", findings->size()},
              {"offset", *offset},
              {"limit", *limit},
              {"counts", counts},
              {"decisions", std::move(decided)},
              {"notifications", Notifications(principal, code)},
              {"due_policy",
               "KEV dueDate when known exploited; otherwise from publication: CRITICAL 15 days, HIGH 30, MEDIUM or "
               "unscored 90, LOW 180"}});
  }

  void PutDecision(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string code = req.matches[1].str();
    if (principal.member.role != MemberRole::kMember || principal.member.org_code != code) {
      return context_.Forbid(principal, req, res, "decisions of " + code + " (its own people only)");
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto field = [&](const char* name) {
      return body->contains(name) && (*body)[name].is_string() ? (*body)[name].get<std::string>() : std::string();
    };
    const std::string cve = field("cve");
    const std::string asset_id = field("asset_id");
    const std::string status = field("status");
    const std::string reason = field("reason");
    if (!ValidCve(cve)) return SendError(res, Error::InvalidArgument("request body: field 'cve' must be a CVE id"));
    if (asset_id.empty() || asset_id.size() > 150) {
      return SendError(res, Error::InvalidArgument("request body: field 'asset_id' is required (1-150 characters)"));
    }
    if (status != "not_applicable" && status != "fixed" && status != "open") {
      return SendError(res, Error::InvalidArgument(
                                "request body: field 'status' must be not_applicable, fixed or open (withdraws)"));
    }
    if (status == "not_applicable" && reason.empty()) {
      return SendError(res,
                       Error::InvalidArgument(
                           "request body: field 'reason' is required for not_applicable (e.g. the feature is off)"));
    }
    if (reason.size() > kMaxVerdictReason) {
      return SendError(res, Error::InvalidArgument("request body: field 'reason' is longer than 2000 characters"));
    }
    auto inventory = service_->GetInventory(code);
    if (!inventory.ok()) return SendError(res, inventory.error());
    bool known = false;
    for (const AssetRow& row : inventory->rows) known = known || row.asset_id == asset_id;
    if (!known) {
      return SendError(res,
                       Error::NotFound("request body: field 'asset_id': " + code + " has no asset '" + asset_id + "'"));
    }
    auto stored = service_->PutDecision(code, cve, asset_id, status, reason, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    SendJson(res, 200,
             {{"member", code},
              {"cve", cve},
              {"asset_id", asset_id},
              {"status", status},
              {"reason", reason},
              {"decided_by", stored->actor},
              {"decided_at", stored->at.ToRfc3339()},
              {"version", stored->version}});
  }

  ApiContext& context_;
  std::shared_ptr<VulnService> service_;  // shared with the duty chain (kVulnServiceName)
};

}  // namespace

void RegisterVulnApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<VulnApi>(context);
  module->Register(server);
  context.Keep(module);
}

namespace {
constexpr std::array<std::string_view, 3> kVulnerabilitiesPathPrefixes = {"/api/v1/assets", "/api/v1/exposure",
                                                                          "/api/v1/vulnerabilities"};
constexpr std::array<std::string_view, 4> kVulnerabilitiesRecordKinds = {"vuln.assets", "vuln.decision", "vuln.feed",
                                                                         "vuln.feedfile"};
constexpr std::array<std::string_view, 0> kVulnerabilitiesAuditActions = {};
}  // namespace

extern const Module kVulnerabilitiesModule;
constinit const Module kVulnerabilitiesModule{
    .name = "vulnerabilities",
    .register_routes = &RegisterVulnApi,
    .openapi_fragment = "vuln.openapi.json",
    .path_prefixes = kVulnerabilitiesPathPrefixes,
    .record_kinds = kVulnerabilitiesRecordKinds,
    .audit_actions = kVulnerabilitiesAuditActions,
    .dashboard_route = "#/vulnerabilities",
};

}  // namespace dv::hub
