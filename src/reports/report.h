// SPDX-License-Identifier: Apache-2.0
#pragma once

// Outside reports read into rows ready for routing: Shadowserver-style CSV
// reports (one file per report type), generic CSV, and JSON (an array of
// objects or JSON lines). docs/reports.md describes the formats, the
// columns, the limits and the idempotency key.
//
// A file is read whole from memory; nothing here touches a file, a store or
// the network. Pure functions; thread-safe (no shared state).
//
// Errors: a file that is not the announced format (no header, a header
// without a routable column, binary content, JSON that is neither an array
// nor lines) or that breaks a limit is refused whole: an Error of kind
// kInvalidArgument whose message names the first problem and its place
// ("scan_rdp.csv:1: ..."). Refusals are decided before the first row is
// handed out, so a refused file delivers no row. Inside an accepted file,
// each bad row is counted and reported as a RowProblem (line, field,
// reason) and the rest goes on.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/problem.h"
#include "core/result.h"
#include "core/time.h"
#include "detect/indicators/observable.h"

namespace dv::reports {

enum class Format {
  kShadowserver,  // "shadowserver:<report-type>"
  kCsv,           // "csv" or "csv:<report-type>"
  kJson,          // "json" or "json:<report-type>"
};

// The announced format of a file and the report type its rows carry.
struct AnnouncedFormat {
  Format format = Format::kCsv;
  // Lower-case [a-z0-9_-], 1..64 characters. Shadowserver's own names
  // ("scan_rdp", "blocklist", "event4_honeypot_brute_force"); "csv" or
  // "json" when a generic file names none.
  std::string report_type;
};

// "shadowserver:scan_rdp", "csv", "csv:partner_list", "json",
// "json:exposures". kInvalidArgument for anything else.
Result<AnnouncedFormat> ParseAnnouncedFormat(std::string_view text);
// The inverse: "shadowserver:scan_rdp", "csv:partner_list", "json".
std::string FormatName(const AnnouncedFormat& format);

// Checked before any work (max_file_bytes, max_lines) or per record.
struct ReadLimits {
  std::size_t max_file_bytes = 256u << 20;   // refused whole above this
  std::size_t max_lines = 5'000'000;         // line breaks in the file; refused whole above this
  std::size_t max_record_bytes = 64u << 10;  // one CSV record, JSON line or array element; a longer one is a bad row
  std::size_t max_columns = 256;         // CSV fields or JSON object members; more is a bad row (a refusal in a header)
  std::size_t max_problems_kept = 1000;  // problems beyond this are counted, not kept
};

struct ReadOptions {
  AnnouncedFormat format;
  // The file's name as messages show it ("scan_rdp-2026-12-01.csv").
  std::string origin = "report";
  ReadLimits limits;
  // Generic CSV and JSON only: the columns that hold the address and the
  // domain, by name (any ASCII case). Empty: the first present of
  // ip, address, src_ip, ip_address and of domain, fqdn, hostname, host.
  // A named column the file lacks is a refusal.
  std::string address_column;
  std::string domain_column;
};

// Where a row's domain came from: the subject of the report (a web site's
// host, a domain column) or the reverse DNS of its address (Shadowserver's
// `hostname`), which names the address's operator at best and is not proof
// of ownership. Routing decides what each is worth.
enum class DomainSource { kNone, kSubject, kReverseDns };

struct Row {
  std::size_t line = 0;  // 1-based line of the record's start in the file
  std::string report_type;
  std::optional<Timestamp> timestamp;
  // An address or, in block lists, a CIDR prefix (host bits clear).
  std::optional<IpNetwork> address;
  std::optional<std::uint16_t> port;
  std::optional<std::uint32_t> asn;
  std::string domain;  // normalised, IDN as A-labels; empty when none
  DomainSource domain_source = DomainSource::kNone;
  std::string domain_column;  // the column the domain came from
  // The other non-empty columns, in file order, by lower-case column name.
  std::vector<std::pair<std::string, std::string>> fields;
  // 64 hex digits: SHA-256 over the report type and the row's canonical
  // content (typed values normalised, other fields sorted by name, empty
  // ones left out). Independent of the line, the column order and the file
  // format, so re-ingesting the same report yields the same keys.
  std::string key;

  // The value of column `name` among `fields`, or empty.
  std::string_view Field(std::string_view name) const;
};

// One bad row (kError: skipped) or doubtful value (kWarning: the row is kept
// without it), with its place.
struct RowProblem {
  std::size_t line = 0;
  std::string field;  // the column, or empty for the whole record
  std::string reason;
  Severity severity = Severity::kError;
};
// The project's common problem type: place "origin:line: field".
Problem ToProblem(const RowProblem& problem, std::string_view origin);

struct ReadSummary {
  AnnouncedFormat format;
  std::string origin;
  std::vector<std::string> columns;  // CSV header (lower case); JSON: member names in order of first appearance
  std::size_t records = 0;           // data records seen (CSV rows after the header, JSON objects or lines)
  std::size_t rows = 0;              // rows handed out
  std::size_t rejected = 0;          // records skipped for an error
  std::size_t duplicates = 0;        // records skipped because an earlier one had the same key
  std::size_t warnings = 0;          // problems of severity warning (duplicates included)
  std::vector<RowProblem> problems;  // the first max_problems_kept, in file order
};

// Reads `bytes` as `options.format` and calls `sink` once per good row, in
// file order. Duplicates (same key as an earlier row of the file) are not
// handed out; each is a warning naming the earlier line.
using RowSink = std::function<void(Row&&)>;
Result<ReadSummary> ReadReport(std::string_view bytes, const ReadOptions& options, const RowSink& sink);

struct Report {
  ReadSummary summary;
  std::vector<Row> rows;
};
// The same, collecting the rows.
Result<Report> ReadReport(std::string_view bytes, const ReadOptions& options);

// The report as one JSON document (summary, rows, problems) for tests,
// tools and logs. Stable: keys in a fixed order.
std::string ReportJson(const Report& report);

}  // namespace dv::reports
