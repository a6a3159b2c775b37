// SPDX-License-Identifier: Apache-2.0
// Fuzzes the outside-report reader in each format: the first byte picks the
// announced format (Shadowserver CSV, generic CSV, JSON) and small limits,
// the rest is the file. Invariants, checked on every input: no crash; a
// refused file hands out no row; every row has a routable value, a 64-hex
// key, a line inside the file, and distinct keys; a domain is lower-case
// LDH; counts add up (records = rows + rejected + duplicates); the report
// serialises as JSON. The core CSV reader is also run alone.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "core/csv.h"
#include "reports/report.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool Hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  dv::CsvLimits csv_limits;
  csv_limits.max_record_bytes = 64 + (selector & 0x3f);
  csv_limits.max_fields = 4 + (selector >> 6);
  dv::CsvReader reader(text, csv_limits);
  std::size_t last_line = 0;
  for (auto status = reader.Next(); status != dv::CsvReader::Status::kEnd; status = reader.Next()) {
    Check(reader.line() >= last_line);  // records come in file order
    last_line = reader.line();
    if (status == dv::CsvReader::Status::kRecord) Check(reader.fields().size() <= csv_limits.max_fields);
  }

  static const char* kFormats[] = {"shadowserver:scan_rdp", "csv:fuzz", "json:fuzz"};
  dv::reports::ReadOptions options;
  options.format = *dv::reports::ParseAnnouncedFormat(kFormats[selector % 3]);
  options.origin = "fuzz";
  if (selector & 0x04) {
    options.limits.max_record_bytes = 128;
    options.limits.max_columns = 8;
    options.limits.max_problems_kept = 4;
  }
  if (selector & 0x08) options.domain_column = "name";
  dv::reports::Report report;
  std::size_t handed = 0;
  auto summary = dv::reports::ReadReport(text, options, [&](dv::reports::Row&& row) {
    ++handed;
    report.rows.push_back(std::move(row));
  });
  if (!summary.ok()) {
    Check(handed == 0);
    Check(!summary.error().message().empty());
    return 0;
  }
  report.summary = *summary;
  Check(report.summary.rows == handed);
  Check(report.summary.records == report.summary.rows + report.summary.rejected + report.summary.duplicates);
  Check(report.summary.problems.size() <= options.limits.max_problems_kept);
  const std::size_t lines = 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  std::set<std::string> keys;
  for (const auto& row : report.rows) {
    Check(row.address.has_value() || !row.domain.empty() || row.asn.has_value());
    Check(row.key.size() == 64 && Hex(row.key));
    Check(keys.insert(row.key).second);
    Check(row.line >= 1 && row.line <= lines);
    for (char c : row.domain) Check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
  }
  (void)dv::reports::ReportJson(report);
  return 0;
}
