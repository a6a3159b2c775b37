// SPDX-License-Identifier: Apache-2.0
#include "reports/report.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.h"
#include "core/json_limits.h"
#include "protect/value.h"
#include "reports/json_records.h"

namespace dv::reports {
namespace {

constexpr std::size_t kMaxReportTypeLength = 64;
constexpr std::size_t kMaxColumnNameLength = 128;

// --- Values -----------------------------------------------------------------

bool ValidUtf8(std::string_view text) {
  std::size_t idx = 0;
  const std::size_t n = text.size();
  while (idx < n) {
    const auto byte = static_cast<unsigned char>(text[idx]);
    if (byte < 0x80) {
      ++idx;
      continue;
    }
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if ((byte & 0xE0) == 0xC0) {
      extra = 1;
      code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      extra = 2;
      code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      extra = 3;
      code = byte & 0x07;
    } else {
      return false;
    }
    if (idx + extra >= n) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[idx + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and code points above U+10FFFF.
    if ((extra == 1 && code < 0x80) || (extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000) ||
        (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return false;
    }
    idx += extra + 1;
  }
  return true;
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Shadowserver writes "2026-12-01 00:01:23" in UTC; others RFC 3339, a date
// alone, or Unix seconds.
Result<Timestamp> ParseTimestampValue(std::string_view text) {
  if (AllDigits(text)) {
    if (text.size() > 11) return Error::InvalidArgument("Unix time out of range");
    std::int64_t seconds = 0;
    std::from_chars(text.data(), text.data() + text.size(), seconds);
    return Timestamp(seconds * 1000);
  }
  std::string value(text);
  if (value.size() == 10) value += "T00:00:00Z";
  if (value.size() >= 19 && value[10] == ' ') value[10] = 'T';
  if (value.size() >= 19 && value.find_first_of("Zz+-", 19) == std::string::npos) value += 'Z';
  auto parsed = Timestamp::Parse(value);
  if (!parsed.ok()) return Error::InvalidArgument("not a timestamp (want \"YYYY-MM-DD hh:mm:ss\" in UTC or RFC 3339)");
  return parsed;
}

Result<std::uint16_t> ParsePortValue(std::string_view text) {
  std::uint32_t port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (!AllDigits(text) || ec != std::errc() || end != text.data() + text.size() || port > 65535) {
    return Error::InvalidArgument("not a port number (0 to 65535)");
  }
  return static_cast<std::uint16_t>(port);
}

// "64496" or "AS64496" (any case); 1 to 4294967295.
Result<std::uint32_t> ParseAsnValue(std::string_view text) {
  if (text.size() > 2 && (text[0] == 'A' || text[0] == 'a') && (text[1] == 'S' || text[1] == 's')) {
    text.remove_prefix(2);
  }
  std::uint32_t asn = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), asn);
  if (!AllDigits(text) || ec != std::errc() || end != text.data() + text.size()) {
    return Error::InvalidArgument("not an AS number");
  }
  if (asn == 0) return Error::InvalidArgument("AS 0 is reserved");
  return asn;
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t idx = 0; idx < size; ++idx) {
    out[2 * idx] = kDigits[bytes[idx] >> 4];
    out[2 * idx + 1] = kDigits[bytes[idx] & 0x0F];
  }
  return out;
}

void AppendEntry(std::string& out, std::string_view name, std::string_view value) {
  out += std::to_string(name.size());
  out += ':';
  out += name;
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

struct DigestHash {
  std::size_t operator()(const Digest& digest) const {
    std::size_t out = 0;
    std::memcpy(&out, digest.data(), sizeof out);
    return out;
  }
};

Digest RowDigest(const Row& row) {
  std::string canonical;
  std::size_t estimate = 64 + row.report_type.size() + row.domain.size();
  for (const auto& [name, value] : row.fields) estimate += name.size() + value.size() + 12;
  canonical.reserve(estimate);
  canonical = "dannevirke-report-row/1\n";
  AppendEntry(canonical, "@type", row.report_type);
  if (row.timestamp) AppendEntry(canonical, "@time", std::to_string(row.timestamp->unix_ms()));
  if (row.address) AppendEntry(canonical, "@address", protect::FormatNetworkWithLength(*row.address));
  if (row.port) AppendEntry(canonical, "@port", std::to_string(*row.port));
  if (row.asn) AppendEntry(canonical, "@asn", std::to_string(*row.asn));
  if (!row.domain.empty()) AppendEntry(canonical, "@domain", row.domain);
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(row.fields.size());
  for (const auto& field : row.fields) sorted.push_back(&field);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });
  for (const auto* field : sorted) AppendEntry(canonical, field->first, field->second);
  Digest digest{};
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest.data());
  return digest;
}

// --- Columns ----------------------------------------------------------------

constexpr std::string_view kNoColumn;

// Which column holds each typed value; -1 for none.
struct ColumnPlan {
  int timestamp = -1;
  int address = -1;
  int port = -1;
  int asn = -1;
  int domain = -1;
  DomainSource domain_source = DomainSource::kNone;
};

template <typename Names>
int FindColumn(const Names& names, std::initializer_list<std::string_view> candidates) {
  for (std::string_view candidate : candidates) {
    for (std::size_t idx = 0; idx < names.size(); ++idx) {
      if (names[idx] == candidate) return static_cast<int>(idx);
    }
  }
  return -1;
}

template <typename Names>
int FindNamed(const Names& names, const std::string& lower_name, std::initializer_list<std::string_view> fallback) {
  if (!lower_name.empty()) return FindColumn(names, {std::string_view(lower_name)});
  return FindColumn(names, fallback);
}

// `names` are lower case. The caller's column names are lower-cased here.
template <typename Names>
ColumnPlan PlanColumns(const Names& names, Format format, const std::string& address_column,
                       const std::string& domain_column) {
  ColumnPlan plan;
  if (format == Format::kShadowserver) {
    plan.timestamp = FindColumn(names, {"timestamp"});
    plan.address = FindColumn(names, {"ip", "src_ip"});
    plan.port = FindColumn(names, {"port", "src_port"});
    plan.asn = FindColumn(names, {"asn", "src_asn"});
    plan.domain = FindColumn(names, {"http_host", "host", "domain", "fqdn"});
    plan.domain_source = DomainSource::kSubject;
    if (plan.domain < 0) {
      plan.domain = FindColumn(names, {"hostname", "src_hostname"});
      plan.domain_source = DomainSource::kReverseDns;
    }
  } else {
    plan.timestamp = FindColumn(names, {"timestamp", "time"});
    plan.address = FindNamed(names, address_column, {"ip", "address", "src_ip", "ip_address"});
    plan.port = FindColumn(names, {"port", "src_port"});
    plan.asn = FindColumn(names, {"asn", "src_asn"});
    plan.domain = FindNamed(names, domain_column, {"domain", "fqdn", "hostname", "host"});
    plan.domain_source = DomainSource::kSubject;
  }
  if (plan.domain < 0) plan.domain_source = DomainSource::kNone;
  return plan;
}

// Empty when the header can carry rows of `format`; otherwise why not.
template <typename Names>
std::string CheckPlan(const ColumnPlan& plan, const Names& names, const ReadOptions& options) {
  if (options.format.format == Format::kShadowserver) {
    if (plan.timestamp < 0) return "not a Shadowserver report: no timestamp column";
    if (plan.address < 0 && plan.asn < 0 && plan.domain < 0) {
      return "not a Shadowserver report: no ip, src_ip, asn, src_asn, http_host, host or hostname column";
    }
    return {};
  }
  const std::string address = LowerAscii(options.address_column);
  const std::string domain = LowerAscii(options.domain_column);
  if (!address.empty() && FindColumn(names, {std::string_view(address)}) < 0) {
    return "no column named " + address;
  }
  if (!domain.empty() && FindColumn(names, {std::string_view(domain)}) < 0) return "no column named " + domain;
  if (plan.address < 0 && plan.domain < 0) {
    return "no address column (ip, address, src_ip, ip_address) and no domain column (domain, fqdn, hostname, host)";
  }
  return {};
}

// --- Rows -------------------------------------------------------------------

// Builds rows from (name, value) records and keeps the counts, problems and
// duplicate keys of one file.
class RowBuilder {
 public:
  RowBuilder(const ReadOptions& options, ReadSummary& summary, const RowSink& sink)
      : options_(options), summary_(summary), sink_(sink) {}

  void Problem(std::size_t line, std::string_view field, std::string reason, Severity severity) {
    if (severity == Severity::kError) {
      ++summary_.rejected;
    } else {
      ++summary_.warnings;
    }
    if (summary_.problems.size() < options_.limits.max_problems_kept) {
      summary_.problems.push_back(RowProblem{line, std::string(field), std::move(reason), severity});
    }
  }

  template <typename Names, typename Values>
  void Build(std::size_t line, const Names& names, const Values& values, const ColumnPlan& plan) {
    Row row;
    row.line = line;
    row.report_type = options_.format.report_type;
    row.fields.reserve(names.size());
    std::vector<RowProblem> warnings;
    for (std::size_t idx = 0; idx < names.size(); ++idx) {
      const std::string_view name = names[idx];
      const std::string_view raw = values[idx];
      if (!ValidUtf8(raw)) return Problem(line, name, "not valid UTF-8", Severity::kError);
      const int column = static_cast<int>(idx);
      const std::string_view value = TrimSpace(raw);
      if (column == plan.timestamp || column == plan.address || column == plan.port || column == plan.asn ||
          column == plan.domain) {
        if (value.empty()) continue;
      } else {
        if (!raw.empty()) row.fields.emplace_back(std::string(name), std::string(raw));
        continue;
      }
      if (column == plan.timestamp) {
        auto parsed = ParseTimestampValue(value);
        if (!parsed.ok()) return Problem(line, name, parsed.error().message(), Severity::kError);
        row.timestamp = *parsed;
      } else if (column == plan.address) {
        auto parsed = protect::ParseNetwork(value);
        if (!parsed.ok()) return Problem(line, name, parsed.error().message(), Severity::kError);
        row.address = *parsed;
      } else if (column == plan.port) {
        auto parsed = ParsePortValue(value);
        if (!parsed.ok()) return Problem(line, name, parsed.error().message(), Severity::kError);
        row.port = *parsed;
      } else if (column == plan.asn) {
        auto parsed = ParseAsnValue(value);
        if (!parsed.ok()) return Problem(line, name, parsed.error().message(), Severity::kError);
        row.asn = *parsed;
      } else {
        auto parsed = protect::NormaliseDomain(value);
        if (parsed.ok()) {
          row.domain = std::move(*parsed);
          row.domain_source = plan.domain_source;
          row.domain_column = std::string(name);
        } else if (plan.domain_source == DomainSource::kReverseDns) {
          // Reverse DNS is whatever the address's operator wrote; a name
          // the strict rules refuse does not make the row's address wrong.
          warnings.push_back(RowProblem{line, std::string(name),
                                        parsed.error().message() + "; the row is kept without it", Severity::kWarning});
          row.fields.emplace_back(std::string(name), std::string(raw));
        } else {
          return Problem(line, name, parsed.error().message(), Severity::kError);
        }
      }
    }
    if (!row.address && row.domain.empty() && !row.asn) {
      return Problem(line, "", "no address, domain or AS number", Severity::kError);
    }
    for (auto& warning : warnings) Problem(warning.line, warning.field, std::move(warning.reason), Severity::kWarning);
    const Digest digest = RowDigest(row);
    const auto [it, inserted] = first_line_of_key_.try_emplace(digest, line);
    if (!inserted) {
      ++summary_.duplicates;
      return Problem(line, "", "same content as line " + std::to_string(it->second) + "; not handed out again",
                     Severity::kWarning);
    }
    row.key = Hex(digest.data(), digest.size());
    ++summary_.rows;
    sink_(std::move(row));
  }

 private:
  const ReadOptions& options_;
  ReadSummary& summary_;
  const RowSink& sink_;
  std::unordered_map<Digest, std::size_t, DigestHash> first_line_of_key_;  // first line of each key
};

Error Refuse(const ReadOptions& options, std::size_t line, std::string_view reason) {
  return Error::InvalidArgument(Place(options.origin, line) + ": " + std::string(reason));
}

// --- CSV --------------------------------------------------------------------

Result<ReadSummary> ReadCsv(std::string_view bytes, const ReadOptions& options, const RowSink& sink) {
  ReadSummary summary;
  summary.format = options.format;
  summary.origin = options.origin;
  CsvReader reader(bytes, CsvLimits{options.limits.max_record_bytes, options.limits.max_columns});
  const auto status = reader.Next();
  if (status == CsvReader::Status::kEnd) return Refuse(options, 0, "empty file: no CSV header");
  if (status == CsvReader::Status::kError) return Refuse(options, reader.line(), "header: " + reader.error());
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  for (std::string_view field : reader.fields()) {
    const std::string_view trimmed = TrimSpace(field);
    if (!ValidUtf8(trimmed) || trimmed.size() > kMaxColumnNameLength) {
      return Refuse(options, reader.line(), "header: a column name that is not text (binary or too long)");
    }
    if (trimmed.empty()) return Refuse(options, reader.line(), "header: an empty column name");
    if (protect::ParseNetwork(trimmed).ok()) {
      return Refuse(options, reader.line(), "no header: the first line holds data (" + std::string(trimmed) + ")");
    }
    std::string name = LowerAscii(trimmed);
    if (!seen.insert(name).second) return Refuse(options, reader.line(), "header: column " + name + " appears twice");
    names.push_back(std::move(name));
  }
  const ColumnPlan plan =
      PlanColumns(names, options.format.format, LowerAscii(options.address_column), LowerAscii(options.domain_column));
  if (std::string why = CheckPlan(plan, names, options); !why.empty()) return Refuse(options, reader.line(), why);
  summary.columns = names;

  RowBuilder builder(options, summary, sink);
  for (auto next = reader.Next(); next != CsvReader::Status::kEnd; next = reader.Next()) {
    ++summary.records;
    if (next == CsvReader::Status::kError) {
      const std::size_t field = reader.error_field();
      builder.Problem(reader.line(), field < names.size() ? std::string_view(names[field]) : kNoColumn, reader.error(),
                      Severity::kError);
      continue;
    }
    const auto& fields = reader.fields();
    if (fields.size() != names.size()) {
      builder.Problem(reader.line(), "",
                      std::to_string(fields.size()) + " fields where the header has " + std::to_string(names.size()),
                      Severity::kError);
      continue;
    }
    builder.Build(reader.line(), names, fields, plan);
  }
  return summary;
}

// --- JSON -------------------------------------------------------------------

// A member's value as text: strings as they are, numbers and literals as
// JSON writes them, nested values as compact JSON; null as empty.
std::string ValueText(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::string:
      return value.get_ref<const std::string&>();
    case nlohmann::ordered_json::value_t::null:
      return {};
    default:
      return value.dump();
  }
}

// Parses one record; an error message when it is not a JSON object.
// Members keep their file order (ordered_json).
std::string ParseObject(std::string_view text, const ReadLimits& limits, nlohmann::ordered_json& out) {
  if (text.size() > limits.max_record_bytes) {
    return "record longer than " + std::to_string(limits.max_record_bytes) + " bytes";
  }
  if (auto depth = CheckJsonDepth(text); !depth.ok()) return depth.error().message();
  out = nlohmann::ordered_json::parse(text, nullptr, false);
  if (out.is_discarded()) return "not valid JSON";
  if (!out.is_object()) return std::string("a JSON ") + out.type_name() + ", not an object";
  if (out.size() > limits.max_columns) return "more than " + std::to_string(limits.max_columns) + " members";
  return {};
}

Result<ReadSummary> ReadJson(std::string_view bytes, const ReadOptions& options, const RowSink& sink) {
  ReadSummary summary;
  summary.format = options.format;
  summary.origin = options.origin;
  auto split = SplitJsonRecords(bytes);
  if (!split.ok()) return Error::InvalidArgument(options.origin + ":" + split.error().message());
  const std::string address_column = LowerAscii(options.address_column);
  const std::string domain_column = LowerAscii(options.domain_column);

  std::unordered_set<std::string> seen_columns;
  std::vector<std::string> names;
  std::vector<std::string> values;
  // Turns one object into lower-case names and text values.
  const auto flatten = [&](const nlohmann::ordered_json& object) {
    names.clear();
    values.clear();
    for (const auto& [key, value] : object.items()) {
      names.push_back(LowerAscii(key));
      values.push_back(ValueText(value));
      if (seen_columns.insert(names.back()).second) summary.columns.push_back(names.back());
    }
  };

  // The first record is the evidence of the format: it must be an object
  // that names an address or domain column.
  const std::vector<JsonRecord>& records = split->records;
  if (!records.empty()) {
    nlohmann::ordered_json first;
    if (std::string why = ParseObject(records[0].text, options.limits, first); !why.empty()) {
      if (!split->array && CheckJsonDepth(bytes).ok() && nlohmann::json::accept(bytes)) {
        return Refuse(options, records[0].line,
                      "one JSON document over several lines, not an array of objects or JSON lines");
      }
      return Refuse(options, records[0].line,
                    (split->array ? "first element of the array: " : "first line (JSON lines): ") + why);
    }
    std::vector<std::string> first_names;
    for (const auto& item : first.items()) first_names.push_back(LowerAscii(item.key()));
    const ColumnPlan plan = PlanColumns(first_names, Format::kJson, address_column, domain_column);
    if (std::string why = CheckPlan(plan, first_names, options); !why.empty()) {
      return Refuse(options, records[0].line, "first record: " + why);
    }
  }

  RowBuilder builder(options, summary, sink);
  nlohmann::ordered_json object;
  for (const JsonRecord& record : records) {
    ++summary.records;
    if (std::string why = ParseObject(record.text, options.limits, object); !why.empty()) {
      builder.Problem(record.line, "", why, Severity::kError);
      continue;
    }
    flatten(object);
    const ColumnPlan plan = PlanColumns(names, Format::kJson, address_column, domain_column);
    builder.Build(record.line, names, values, plan);
  }
  return summary;
}

// --- Whole files ------------------------------------------------------------

// The refusals decided on the bytes alone, before any parsing.
Status CheckBytes(std::string_view bytes, const ReadOptions& options) {
  const ReadLimits& limits = options.limits;
  if (bytes.size() > limits.max_file_bytes) {
    return Refuse(
        options, 0,
        "file of " + std::to_string(bytes.size()) + " bytes; the limit is " + std::to_string(limits.max_file_bytes));
  }
  if (bytes.substr(0, 2) == "\x1f\x8b") return Refuse(options, 0, "gzip-compressed; unpack it first");
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    return Refuse(options, 0, "a ZIP archive; unpack it first");
  }
  const void* nul = std::memchr(bytes.data(), '\0', bytes.size());
  if (nul != nullptr) {
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - bytes.data());
    return Refuse(options,
                  1 + static_cast<std::size_t>(
                          std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(offset), '\n')),
                  "binary content (a NUL byte), not a text report");
  }
  const auto lines = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
  if (lines > limits.max_lines) {
    return Refuse(options, 0, std::to_string(lines) + " lines; the limit is " + std::to_string(limits.max_lines));
  }
  return Ok();
}

bool ValidReportType(std::string_view type) {
  if (type.empty() || type.size() > kMaxReportTypeLength) return false;
  return std::all_of(type.begin(), type.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

}  // namespace

Result<AnnouncedFormat> ParseAnnouncedFormat(std::string_view text) {
  const std::size_t colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  const std::string_view type = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  AnnouncedFormat out;
  if (name == "shadowserver") {
    out.format = Format::kShadowserver;
    if (colon == std::string_view::npos) {
      return Error::InvalidArgument(
          "format shadowserver needs its report type: shadowserver:<type>, e.g. "
          "shadowserver:scan_rdp");
    }
  } else if (name == "csv") {
    out.format = Format::kCsv;
  } else if (name == "json") {
    out.format = Format::kJson;
  } else {
    return Error::InvalidArgument("unknown report format \"" + protect::Printable(name, 40) +
                                  "\"; want shadowserver:<type>, csv[:<type>] or json[:<type>]");
  }
  out.report_type = colon == std::string_view::npos ? std::string(name) : std::string(type);
  if (!ValidReportType(out.report_type)) {
    return Error::InvalidArgument("report type \"" + protect::Printable(out.report_type, 80) +
                                  "\" is not 1 to 64 of a-z, 0-9, '_' and '-'");
  }
  return out;
}

std::string FormatName(const AnnouncedFormat& format) {
  switch (format.format) {
    case Format::kShadowserver:
      return "shadowserver:" + format.report_type;
    case Format::kCsv:
      return format.report_type == "csv" ? "csv" : "csv:" + format.report_type;
    case Format::kJson:
      return format.report_type == "json" ? "json" : "json:" + format.report_type;
  }
  return {};
}

std::string_view Row::Field(std::string_view name) const {
  for (const auto& [field_name, value] : fields) {
    if (field_name == name) return value;
  }
  return {};
}

Problem ToProblem(const RowProblem& problem, std::string_view origin) {
  return Problem{Place(origin, problem.line, problem.field), problem.reason, problem.severity};
}

Result<ReadSummary> ReadReport(std::string_view bytes, const ReadOptions& options, const RowSink& sink) {
  if (!ValidReportType(options.format.report_type)) {
    return Error::InvalidArgument("report type \"" + protect::Printable(options.format.report_type, 80) +
                                  "\" is not 1 to 64 of a-z, 0-9, '_' and '-'");
  }
  DV_TRY(CheckBytes(bytes, options));
  if (options.format.format == Format::kJson) return ReadJson(bytes, options, sink);
  return ReadCsv(bytes, options, sink);
}

Result<Report> ReadReport(std::string_view bytes, const ReadOptions& options) {
  Report report;
  auto summary = ReadReport(bytes, options, [&report](Row&& row) { report.rows.push_back(std::move(row)); });
  if (!summary.ok()) return summary.error();
  report.summary = std::move(*summary);
  return report;
}

std::string ReportJson(const Report& report) {
  using nlohmann::ordered_json;
  const ReadSummary& summary = report.summary;
  ordered_json out;
  out["format"] = FormatName(summary.format);
  out["origin"] = summary.origin;
  out["columns"] = summary.columns;
  out["counts"] = ordered_json{{"records", summary.records},
                               {"rows", summary.rows},
                               {"rejected", summary.rejected},
                               {"duplicates", summary.duplicates},
                               {"warnings", summary.warnings}};
  ordered_json problems = ordered_json::array();
  for (const RowProblem& problem : summary.problems) {
    problems.push_back(ordered_json{{"line", problem.line},
                                    {"field", problem.field},
                                    {"reason", problem.reason},
                                    {"severity", problem.severity == Severity::kError ? "error" : "warning"}});
  }
  out["problems"] = std::move(problems);
  ordered_json rows = ordered_json::array();
  for (const Row& row : report.rows) {
    ordered_json item;
    item["line"] = row.line;
    item["key"] = row.key;
    item["report_type"] = row.report_type;
    if (row.timestamp) item["timestamp"] = row.timestamp->ToRfc3339();
    if (row.address) item["address"] = protect::FormatNetwork(*row.address);
    if (row.port) item["port"] = *row.port;
    if (row.asn) item["asn"] = *row.asn;
    if (!row.domain.empty()) {
      item["domain"] = row.domain;
      item["domain_source"] = row.domain_source == DomainSource::kReverseDns ? "reverse_dns" : "subject";
      item["domain_column"] = row.domain_column;
    }
    ordered_json fields = ordered_json::object();
    for (const auto& [name, value] : row.fields) fields[name] = value;
    item["fields"] = std::move(fields);
    rows.push_back(std::move(item));
  }
  out["rows"] = std::move(rows);
  return out.dump(2) + "\n";
}

}  // namespace dv::reports
