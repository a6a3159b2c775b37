// SPDX-License-Identifier: Apache-2.0
#pragma once

// Notices: outside reports routed to the members they concern (issue 15,
// docs/notices.md). A coordinator ingests a report file (Shadowserver-style
// CSV, generic CSV or JSON, read by dv_reports); each good row is routed with
// the register's routing table (longest registered prefix, then a proven
// domain under the public suffix list, then an AS number) and becomes part of
// a TLP:AMBER notice to that member: one notice per member and ingest, with
// the member's rows. What routes to nobody is a blind spot the coordinator
// sees.
//
// Routing rules (decided here):
//   - An address row routes to the owner of the longest registered prefix
//     that covers it; a prefix row (block lists) only to a registered prefix
//     that covers the whole row prefix.
//   - A domain routes only when it is the report's subject (a web site's
//     host, a domain column). A reverse-DNS name (Shadowserver's `hostname`)
//     is set by whoever runs the address's reverse zone, so it proves
//     nothing: such a row is a blind spot with the name's owner as a hint
//     for the coordinator.
//   - A key claimed by two members (an open conflict) routes to neither: the
//     row is held for the coordinator, who resolves the conflict first.
//   - Idempotent: a row whose key (dv_reports' SHA-256 of its canonical
//     content) is already in any stored notice is not routed again, and a
//     row already on the blind-spot list is not listed again. Re-ingesting
//     the same file after a member registered its prefix routes only the
//     rows that are now someone's.
//
// Storage (records of the hub's store, so both backends and the audit log):
//   notices.notice       one per member and ingest, org = the member
//   notices.blind_spots  one per ingest with unrouted rows, org = the ingester
//   notices.ingest       one per ingest, org = the ingester: the summary
// Every record write is audited by the store; an ingest writes 2 + (number of
// members reached) records in one transaction, not one per row.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "register/routing_table.h"
#include "reports/report.h"
#include "store/store.h"

namespace dv::notices {

inline constexpr std::string_view kNoticeKind = "notices.notice";
inline constexpr std::string_view kBlindSpotsKind = "notices.blind_spots";
inline constexpr std::string_view kIngestKind = "notices.ingest";

// "info" < "low" < "medium" < "high" < "critical"; Shadowserver's own words.
enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view text);

// What a member says about a notice. "not_ours" tells the coordinator that
// the register routed it wrongly.
enum class NoticeStatus { kOpen, kAcknowledged, kResolved, kNotOurs };
std::string_view NoticeStatusName(NoticeStatus status);
std::optional<NoticeStatus> ParseNoticeStatus(std::string_view text);

struct IngestRequest {
  std::string format;  // "shadowserver:scan_rdp", "csv", "json:exposures" (reports::ParseAnnouncedFormat)
  std::string origin;  // the file's name as messages show it
  std::string source;  // who reported it ("Shadowserver", "CERT-X"); 1..100 printable bytes
  // Severity of rows that carry none (a `severity` column wins); medium when unset.
  std::optional<Severity> default_severity;
  std::string address_column;  // generic formats only (reports::ReadOptions)
  std::string domain_column;
  std::string ingester_org;  // the organisation whose principal ingests (owns the ingest record)
  std::string actor;         // for the store's audit log
  Timestamp now;
};

struct IngestResult {
  std::string id;  // "ing-" + 32 hex digits
  reports::ReadSummary summary;
  std::size_t routed = 0;                      // rows that became part of a notice now
  std::size_t already_routed = 0;              // rows an earlier ingest routed (idempotency)
  std::size_t held_conflict = 0;               // rows whose key two members claim
  std::size_t blind_spots = 0;                 // rows nobody has registered (new ones)
  std::size_t blind_already = 0;               // blind rows listed by an earlier ingest
  std::map<std::string, std::size_t> members;  // member code -> rows routed now
  std::vector<std::string> notices;            // ids of the notices written
  std::optional<Severity> highest;             // of the rows routed now
};

// Reads `bytes`, routes its rows with `table` and writes the records in one
// transaction. kInvalidArgument (nothing written) for a bad request or a file
// that is not the announced format, naming the first problem; bad rows are
// counted in the summary and the rest is routed.
Result<IngestResult> Ingest(Store& store, const reg::RoutingTable& table, std::string_view bytes,
                            const IngestRequest& request);

// The stored JSON of an ingest's result (also what the API answers).
nlohmann::json IngestJson(const IngestResult& result, const IngestRequest& request);

// Sets a notice's status (a new version of the notice record; the history
// keeps who said what when). kNotFound when the notice is not the member's;
// kInvalidArgument for a comment over 2000 bytes or with control characters.
Result<Record> SetStatus(Store& store, std::string_view org_code, std::string_view notice_id, NoticeStatus status,
                         std::string_view comment, std::string_view actor, Timestamp now);

// Per report type, what was found about one member over time.
struct TypeHistory {
  std::string report_type;
  std::size_t notices = 0;
  std::size_t rows = 0;
  std::size_t open = 0;  // notices not resolved or not_ours
  std::string first_received;
  std::string last_received;
  std::map<std::string, std::size_t> rows_by_month;  // "2026-12" -> rows
};
Result<std::vector<TypeHistory>> MemberHistory(Store& store, std::string_view org_code);

// The coordinator's blind spots: unrouted rows of every ingest, grouped by
// network (/24 for IPv4, /48 for IPv6), registrable domain or AS number,
// re-routed with the current table so that what has since been registered
// drops out.
struct BlindSpot {
  std::string key;     // "198.51.100.0/24", "example.dk", "AS64500"
  std::string reason;  // "unregistered", "conflict", "reverse_dns_only"
  std::size_t rows = 0;
  std::vector<std::string> report_types;
  std::vector<std::string> sample;  // up to 5 addresses or names
  std::string first_seen;
  std::string last_seen;
  std::vector<std::string> hint;  // reverse_dns_only: the members whose proven domain the name falls under
};
Result<std::vector<BlindSpot>> BlindSpots(Store& store, const reg::RoutingTable& table);

}  // namespace dv::notices
