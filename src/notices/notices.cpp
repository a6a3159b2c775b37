// SPDX-License-Identifier: Apache-2.0
#include "notices/notices.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "protect/value.h"
#include "register/public_suffix.h"

namespace dv::notices {

namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 5> kSeverityNames = {"info", "low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 4> kStatusNames = {"open", "acknowledged", "resolved", "not_ours"};
// Rows kept per blind-spot record; more are counted.
constexpr std::size_t kMaxBlindRowsKept = 20'000;
constexpr std::size_t kMaxCommentBytes = 2000;
constexpr std::size_t kMaxSourceBytes = 100;

std::string RandomId(std::string_view prefix) {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // Without randomness an id could repeat; the store refuses a duplicate
    // first version, so this fails closed at the write.
    bytes.fill(0);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  for (const unsigned char byte : bytes) {
    id.push_back(kHex[byte >> 4]);
    id.push_back(kHex[byte & 0xf]);
  }
  return id;
}

bool Printable(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// Where a row goes, and why.
struct Destination {
  const reg::Entry* entry = nullptr;  // the routed entry (one owner), or null
  reg::ClaimKind by = reg::ClaimKind::kPrefix;
  std::string reason;                // when entry is null: "unregistered", "conflict", "reverse_dns_only"
  const reg::Entry* hint = nullptr;  // reverse_dns_only: the entry the name falls under
};

Destination Route(const reg::RoutingTable& table, const std::optional<IpNetwork>& address, std::string_view domain,
                  bool domain_is_subject, std::optional<std::uint32_t> asn) {
  Destination out;
  const auto take = [&](const reg::Entry* entry, reg::ClaimKind by) {
    if (entry == nullptr) return false;
    if (entry->conflict()) {
      if (out.reason.empty()) out.reason = "conflict";
      return false;
    }
    out.entry = entry;
    out.by = by;
    return true;
  };
  if (address) {
    const int host = address->address.v6 ? 128 : 32;
    const reg::Entry* entry = table.Match(address->address);
    // A row prefix routes only to a registered prefix covering all of it.
    if (entry != nullptr && address->prefix < host && entry->prefix.prefix > address->prefix) {
      entry = nullptr;
      for (const reg::Entry* candidate : table.MatchChain(address->address)) {
        if (candidate->prefix.prefix <= address->prefix) {
          entry = candidate;
          break;
        }
      }
    }
    if (take(entry, reg::ClaimKind::kPrefix)) return out;
  }
  if (!domain.empty()) {
    const reg::Entry* entry = table.MatchDomain(domain);
    if (domain_is_subject) {
      if (take(entry, reg::ClaimKind::kDomain)) return out;
    } else if (entry != nullptr && out.reason.empty()) {
      out.reason = "reverse_dns_only";
      out.hint = entry;
    }
  }
  if (asn && take(table.MatchAs(*asn), reg::ClaimKind::kAsn)) return out;
  if (out.reason.empty()) out.reason = "unregistered";
  return out;
}

std::string_view DomainSourceName(reports::DomainSource source) {
  switch (source) {
    case reports::DomainSource::kSubject:
      return "subject";
    case reports::DomainSource::kReverseDns:
      return "reverse_dns";
    case reports::DomainSource::kNone:
      break;
  }
  return "none";
}

Json RowJson(const reports::Row& row, Severity severity) {
  Json out = {{"key", row.key}, {"line", row.line}, {"severity", SeverityName(severity)}};
  if (row.timestamp) out["timestamp"] = row.timestamp->ToRfc3339();
  if (row.address) out["address"] = protect::FormatNetwork(*row.address);
  if (row.port) out["port"] = *row.port;
  if (row.asn) out["asn"] = *row.asn;
  if (!row.domain.empty()) {
    out["domain"] = row.domain;
    out["domain_source"] = DomainSourceName(row.domain_source);
  }
  Json fields = Json::object();
  for (const auto& [name, value] : row.fields) fields[name] = value;
  out["fields"] = std::move(fields);
  return out;
}

Severity RowSeverity(const reports::Row& row, Severity fallback) {
  std::string text(row.Field("severity"));
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ParseSeverity(text).value_or(fallback);
}

// Every row key already in a stored notice, and every key on a blind-spot list.
struct KnownKeys {
  std::unordered_set<std::string> routed;
  std::unordered_set<std::string> blind;
};

Result<KnownKeys> LoadKnownKeys(Store& store) {
  KnownKeys known;
  auto notices = store.ListRecords({std::string(kNoticeKind), std::nullopt, false});
  if (!notices.ok()) return notices.error();
  for (const auto& record : *notices) {
    const Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object() || !body.contains("rows")) continue;
    for (const auto& row : body["rows"]) known.routed.insert(row.value("key", ""));
  }
  auto blind = store.ListRecords({std::string(kBlindSpotsKind), std::nullopt, false});
  if (!blind.ok()) return blind.error();
  for (const auto& record : *blind) {
    const Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object() || !body.contains("rows")) continue;
    for (const auto& row : body["rows"]) known.blind.insert(row.value("key", ""));
  }
  return known;
}

Status CheckRequest(const IngestRequest& request) {
  if (request.source.empty() || request.source.size() > kMaxSourceBytes || !Printable(request.source)) {
    return Error::InvalidArgument("source: must be 1-100 printable bytes naming who made the report");
  }
  if (request.origin.size() > 255 || !Printable(request.origin)) {
    return Error::InvalidArgument("origin: must be at most 255 printable bytes");
  }
  if (request.ingester_org.empty() || request.actor.empty()) {
    return Error::InvalidArgument("an ingest needs the ingesting organisation and an actor");
  }
  return Ok();
}

}  // namespace

std::string_view SeverityName(Severity severity) { return kSeverityNames[static_cast<std::size_t>(severity)]; }

std::optional<Severity> ParseSeverity(std::string_view text) {
  for (std::size_t index = 0; index < kSeverityNames.size(); ++index) {
    if (kSeverityNames[index] == text) return static_cast<Severity>(index);
  }
  return std::nullopt;
}

std::string_view NoticeStatusName(NoticeStatus status) { return kStatusNames[static_cast<std::size_t>(status)]; }

std::optional<NoticeStatus> ParseNoticeStatus(std::string_view text) {
  for (std::size_t index = 0; index < kStatusNames.size(); ++index) {
    if (kStatusNames[index] == text) return static_cast<NoticeStatus>(index);
  }
  return std::nullopt;
}

Json IngestJson(const IngestResult& result, const IngestRequest& request) {
  Json problems = Json::array();
  for (const auto& problem : result.summary.problems) {
    problems.push_back({{"line", problem.line},
                        {"field", problem.field},
                        {"reason", problem.reason},
                        {"severity", problem.severity == dv::Severity::kError ? "error" : "warning"}});
  }
  Json members = Json::object();
  for (const auto& [code, rows] : result.members) members[code] = rows;
  Json out = {{"id", result.id},
              {"format", reports::FormatName(result.summary.format)},
              {"report_type", result.summary.format.report_type},
              {"origin", request.origin},
              {"source", request.source},
              {"received", request.now.ToRfc3339()},
              {"records", result.summary.records},
              {"rows", result.summary.rows},
              {"rejected", result.summary.rejected},
              {"duplicates_in_file", result.summary.duplicates},
              {"warnings", result.summary.warnings},
              {"routed", result.routed},
              {"already_routed", result.already_routed},
              {"held_conflict", result.held_conflict},
              {"blind_spots", result.blind_spots},
              {"blind_already_listed", result.blind_already},
              {"members", std::move(members)},
              {"notices", result.notices},
              {"problems", std::move(problems)}};
  if (result.highest) out["highest_severity"] = SeverityName(*result.highest);
  return out;
}

Result<IngestResult> Ingest(Store& store, const reg::RoutingTable& table, std::string_view bytes,
                            const IngestRequest& request) {
  DV_TRY(CheckRequest(request));
  auto format = reports::ParseAnnouncedFormat(request.format);
  if (!format.ok()) return format.error().WithContext("format");
  reports::ReadOptions options;
  options.format = *format;
  options.origin = request.origin.empty() ? std::string("report") : request.origin;
  options.address_column = request.address_column;
  options.domain_column = request.domain_column;
  auto report = reports::ReadReport(bytes, options);
  if (!report.ok()) return report.error();

  auto known = LoadKnownKeys(store);
  if (!known.ok()) return known.error();

  IngestResult result;
  result.id = RandomId("ing-");
  result.summary = report->summary;
  const Severity fallback = request.default_severity.value_or(Severity::kMedium);
  std::map<std::string, Json> member_rows;  // member -> rows
  std::map<std::string, Severity> member_highest;
  Json blind_rows = Json::array();
  std::size_t blind_dropped = 0;
  for (const reports::Row& row : report->rows) {
    const Severity severity = RowSeverity(row, fallback);
    const Destination destination =
        Route(table, row.address, row.domain, row.domain_source == reports::DomainSource::kSubject, row.asn);
    if (destination.entry != nullptr) {
      if (known->routed.count(row.key)) {
        ++result.already_routed;
        continue;
      }
      known->routed.insert(row.key);
      const std::string& owner = destination.entry->owners.front();
      Json item = RowJson(row, severity);
      item["matched"] = {{"kind", reg::ClaimKindName(destination.by)}, {"key", destination.entry->key}};
      auto [rows, inserted] = member_rows.try_emplace(owner, Json::array());
      rows->second.push_back(std::move(item));
      auto& highest = member_highest.try_emplace(owner, severity).first->second;
      highest = std::max(highest, severity);
      ++result.routed;
      ++result.members[owner];
      result.highest = std::max(result.highest.value_or(severity), severity);
      continue;
    }
    if (destination.reason == "conflict") ++result.held_conflict;
    if (known->blind.count(row.key)) {
      ++result.blind_already;
      continue;
    }
    known->blind.insert(row.key);
    ++result.blind_spots;
    if (blind_rows.size() >= kMaxBlindRowsKept) {
      ++blind_dropped;
      continue;
    }
    Json item = RowJson(row, severity);
    item["reason"] = destination.reason;
    if (destination.hint != nullptr) item["hint"] = destination.hint->owners;
    blind_rows.push_back(std::move(item));
  }

  const std::string received = request.now.ToRfc3339();
  const std::string format_name = reports::FormatName(report->summary.format);
  const Status written = store.InTransaction([&]() -> Status {
    for (auto& [owner, rows] : member_rows) {
      const std::string id = RandomId("ntc-");
      const std::size_t count = rows.size();
      const Json body = {{"id", id},
                         {"organisation", owner},
                         {"tlp", "amber"},
                         {"report_type", report->summary.format.report_type},
                         {"format", format_name},
                         {"source", request.source},
                         {"origin", options.origin},
                         {"ingest", result.id},
                         {"received", received},
                         {"severity", SeverityName(member_highest[owner])},
                         {"status", "open"},
                         {"row_count", count},
                         {"rows", std::move(rows)}};
      auto stored = store.PutRecord({std::string(kNoticeKind), id, owner, body.dump(), 0}, request.actor);
      if (!stored.ok()) return stored.error();
      result.notices.push_back(id);
    }
    if (!blind_rows.empty()) {
      const Json body = {{"ingest", result.id},
                         {"report_type", report->summary.format.report_type},
                         {"source", request.source},
                         {"received", received},
                         {"rows_not_kept", blind_dropped},
                         {"rows", std::move(blind_rows)}};
      auto stored = store.PutRecord({std::string(kBlindSpotsKind), result.id, request.ingester_org, body.dump(), 0},
                                    request.actor);
      if (!stored.ok()) return stored.error();
    }
    auto stored = store.PutRecord(
        {std::string(kIngestKind), result.id, request.ingester_org, IngestJson(result, request).dump(), 0},
        request.actor);
    if (!stored.ok()) return stored.error();
    return Ok();
  });
  if (!written.ok()) return written.error();
  return result;
}

Result<Record> SetStatus(Store& store, std::string_view org_code, std::string_view notice_id, NoticeStatus status,
                         std::string_view comment, std::string_view actor, Timestamp now) {
  if (comment.size() > kMaxCommentBytes) return Error::InvalidArgument("comment: at most 2000 bytes");
  if (!std::all_of(comment.begin(), comment.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 || c == '\n';
      })) {
    return Error::InvalidArgument("comment: control characters are not allowed");
  }
  auto record = store.GetRecord(kNoticeKind, notice_id);
  if (!record.ok() || record->org_code != org_code) {
    return Error::NotFound("no notice '" + std::string(notice_id) + "' for " + std::string(org_code));
  }
  Json body = Json::parse(record->body);
  body["status"] = NoticeStatusName(status);
  Json history = body.value("status_history", Json::array());
  Json change = {{"status", NoticeStatusName(status)}, {"at", now.ToRfc3339()}, {"by", actor}};
  if (!comment.empty()) change["comment"] = comment;
  history.push_back(std::move(change));
  body["status_history"] = std::move(history);
  return store.PutRecord({record->kind, record->id, record->org_code, body.dump(), record->version}, actor);
}

Result<std::vector<TypeHistory>> MemberHistory(Store& store, std::string_view org_code) {
  auto records = store.ListRecords({std::string(kNoticeKind), std::string(org_code), false});
  if (!records.ok()) return records.error();
  std::map<std::string, TypeHistory> by_type;
  for (const auto& record : *records) {
    const Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object()) continue;
    const std::string type = body.value("report_type", "");
    TypeHistory& history = by_type[type];
    history.report_type = type;
    ++history.notices;
    const std::size_t rows = body.value("row_count", std::size_t{0});
    history.rows += rows;
    const std::string status = body.value("status", "open");
    if (status == "open" || status == "acknowledged") ++history.open;
    const std::string received = body.value("received", "");
    if (history.first_received.empty() || received < history.first_received) history.first_received = received;
    if (received > history.last_received) history.last_received = received;
    if (body.contains("rows")) {
      for (const auto& row : body["rows"]) {
        // The month the row was observed, or the month it was received.
        const std::string when = row.value("timestamp", received);
        if (when.size() >= 7) ++history.rows_by_month[when.substr(0, 7)];
      }
    }
  }
  std::vector<TypeHistory> out;
  for (auto& [type, history] : by_type) out.push_back(std::move(history));
  return out;
}

Result<std::vector<BlindSpot>> BlindSpots(Store& store, const reg::RoutingTable& table) {
  auto records = store.ListRecords({std::string(kBlindSpotsKind), std::nullopt, false});
  if (!records.ok()) return records.error();
  const auto& suffixes = reg::PublicSuffixList::System();
  std::map<std::pair<std::string, std::string>, BlindSpot> groups;  // (reason, key)
  std::map<std::pair<std::string, std::string>, std::set<std::string>> types;
  for (const auto& record : *records) {
    const Json body = Json::parse(record.body, nullptr, false);
    if (!body.is_object() || !body.contains("rows")) continue;
    const std::string received = body.value("received", "");
    const std::string type = body.value("report_type", "");
    for (const auto& row : body["rows"]) {
      std::optional<IpNetwork> address;
      if (row.contains("address")) {
        auto parsed = protect::ParseNetwork(row["address"].get<std::string>());
        if (parsed.ok()) address = *parsed;
      }
      const std::string domain = row.value("domain", "");
      std::optional<std::uint32_t> asn;
      if (row.contains("asn")) asn = row["asn"].get<std::uint32_t>();
      const Destination now_routed = Route(table, address, domain, row.value("domain_source", "") == "subject", asn);
      if (now_routed.entry != nullptr) continue;  // registered since
      std::string key;
      std::string sample;
      if (address) {
        const int length = address->address.v6 ? std::min(address->prefix, 48) : std::min(address->prefix, 24);
        key = protect::FormatNetworkWithLength({MaskIp(address->address, length), length});
        sample = protect::FormatNetwork(*address);
      } else if (!domain.empty()) {
        const std::string_view registrable = suffixes.RegistrableDomain(domain);
        key = registrable.empty() ? domain : std::string(registrable);
        sample = domain;
      } else if (asn) {
        key = "AS" + std::to_string(*asn);
        sample = key;
      } else {
        continue;
      }
      const auto group_key = std::make_pair(now_routed.reason, key);
      BlindSpot& spot = groups[group_key];
      spot.key = key;
      spot.reason = now_routed.reason;
      ++spot.rows;
      types[group_key].insert(type);
      if (spot.sample.size() < 5 && std::find(spot.sample.begin(), spot.sample.end(), sample) == spot.sample.end()) {
        spot.sample.push_back(sample);
      }
      const std::string seen = row.value("timestamp", received);
      if (spot.first_seen.empty() || seen < spot.first_seen) spot.first_seen = seen;
      if (seen > spot.last_seen) spot.last_seen = seen;
      if (now_routed.hint != nullptr) spot.hint = now_routed.hint->owners;
    }
  }
  std::vector<BlindSpot> out;
  for (auto& [group_key, spot] : groups) {
    spot.report_types.assign(types[group_key].begin(), types[group_key].end());
    out.push_back(std::move(spot));
  }
  std::stable_sort(out.begin(), out.end(), [](const BlindSpot& a, const BlindSpot& b) { return a.rows > b.rows; });
  return out;
}

}  // namespace dv::notices
