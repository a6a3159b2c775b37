// SPDX-License-Identifier: Apache-2.0
#include "store/migrate.h"

#include <openssl/evp.h>

#include <array>
#include <filesystem>
#include <memory>
#include <system_error>

#include "store/raw_rows.h"

namespace dv {
namespace {

// SHA-256 over a canonical serialisation of rows: per value, a NUL byte for
// NULL, else 0x01, the length as 8 bytes big-endian, and the bytes. Two
// tables hash alike exactly when they hold the same rows in the same order.
class RowDigest {
 public:
  RowDigest() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) { EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr); }

  void Add(const RawRow& row) {
    for (const auto& value : row) {
      if (!value) {
        Update("\0", 1);
        continue;
      }
      std::array<char, 9> head{};
      head[0] = 1;
      auto size = static_cast<std::uint64_t>(value->size());
      for (int byte_idx = 8; byte_idx >= 1; --byte_idx) {
        head[static_cast<std::size_t>(byte_idx)] = static_cast<char>(size & 0xff);
        size >>= 8;
      }
      Update(head.data(), head.size());
      Update(value->data(), value->size());
    }
    ++rows_;
  }
  std::int64_t rows() const { return rows_; }
  // The hex digest of the rows added so far; the digest goes on.
  std::string Hex() const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> copy(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_MD_CTX_copy_ex(copy.get(), ctx_.get());
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(copy.get(), digest.data(), &size);
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int byte_idx = 0; byte_idx < size; ++byte_idx) {
      out += kHex[digest[byte_idx] >> 4];
      out += kHex[digest[byte_idx] & 0xf];
    }
    return out;
  }

 private:
  void Update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx_.get(), data, size); }

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
  std::int64_t rows_ = 0;
};

struct TableSummary {
  std::int64_t rows = 0;
  std::string sha256;
};

Result<TableSummary> SummariseTable(RawTableAccess& access, const RawTable& table) {
  RowDigest digest;
  DV_TRY(access.ExportRawRows(table, [&](RawRow&& row) -> Status {
    digest.Add(row);
    return Ok();
  }));
  return TableSummary{digest.rows(), digest.Hex()};
}

// The source's rows: all of them, and the first `prefix_rows` on their own.
struct SourceSummary {
  TableSummary all;
  TableSummary prefix;
};

Result<SourceSummary> SummariseSource(RawTableAccess& access, const RawTable& table, std::int64_t prefix_rows) {
  RowDigest digest;
  std::optional<TableSummary> prefix;
  if (prefix_rows == 0) prefix = TableSummary{0, digest.Hex()};
  DV_TRY(access.ExportRawRows(table, [&](RawRow&& row) -> Status {
    digest.Add(row);
    if (digest.rows() == prefix_rows) prefix = TableSummary{digest.rows(), digest.Hex()};
    return Ok();
  }));
  // A target with more rows than the source: no prefix of the source matches.
  if (!prefix) prefix = TableSummary{-1, ""};
  return SourceSummary{{digest.rows(), digest.Hex()}, *prefix};
}

Result<RawTableAccess*> RawAccess(Store& store) {
  auto* access = dynamic_cast<RawTableAccess*>(&store);
  if (access == nullptr) {
    return Error::Unsupported("the " + std::string(store.BackendName()) + " backend cannot export or import rows");
  }
  return access;
}

bool IsSqliteUrl(std::string_view url) { return url.rfind("sqlite:", 0) == 0; }
bool IsPostgresUrl(std::string_view url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

// The same file, also through another spelling of its path or a link.
bool SameSqliteFile(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error;
  if (std::filesystem::equivalent(a, b, error)) return true;
  const auto canonical_a = std::filesystem::weakly_canonical(a, error);
  if (error) return false;
  const auto canonical_b = std::filesystem::weakly_canonical(b, error);
  return !error && canonical_a == canonical_b;
}

}  // namespace

bool MigrationReport::Verified() const { return Mismatches().empty(); }

std::string MigrationReport::Mismatches() const {
  std::string out;
  for (const auto& check : tables) {
    if (check.Matches()) continue;
    if (!out.empty()) out += ", ";
    out += check.table;
  }
  return out;
}

Status CheckMigrationUrls(std::string_view from_url, std::string_view to_url) {
  if (!IsSqliteUrl(from_url) && !IsPostgresUrl(from_url)) {
    return Error::Unsupported("cannot migrate from '" + Store::DisplayUrl(from_url) +
                              "': want sqlite:PATH or postgresql://…");
  }
  if (!IsSqliteUrl(to_url) && !IsPostgresUrl(to_url)) {
    return Error::Unsupported("cannot migrate to '" + Store::DisplayUrl(to_url) +
                              "': the target must be postgresql://… (or sqlite:PATH)");
  }
  for (std::string_view url : {from_url, to_url}) {
    if (url == "sqlite::memory:") {
      return Error::InvalidArgument("cannot migrate from or to sqlite::memory: (an in-memory database)");
    }
  }
  bool same = from_url == to_url;
  if (!same && IsSqliteUrl(from_url) && IsSqliteUrl(to_url)) {
    same = SameSqliteFile(std::filesystem::path(from_url.substr(7)), std::filesystem::path(to_url.substr(7)));
  }
  if (same) {
    return Error::InvalidArgument("the source and the target are the same database ('" + Store::DisplayUrl(to_url) +
                                  "')");
  }
  return Ok();
}

Result<MigrationReport> MigrateStore(Store& source, Store& target, const MigrateOptions& options) {
  if (options.batch_rows < 1 || options.batch_rows > 100000) {
    return Error::InvalidArgument("batch: " + std::to_string(options.batch_rows) + " rows is not in 1..100000");
  }
  if (&source == &target) return Error::InvalidArgument("the source and the target are the same store");
  auto source_access = RawAccess(source);
  if (!source_access.ok()) return source_access.error();
  auto target_access = RawAccess(target);
  if (!target_access.ok()) return target_access.error();
  RawTableAccess* from = *source_access;
  RawTableAccess* to = *target_access;
  if (source.SchemaVersion() != target.SchemaVersion()) {
    return Error::Unsupported("the source is at schema version " + std::to_string(source.SchemaVersion()) +
                              ", the target at " + std::to_string(target.SchemaVersion()));
  }
  const auto tables = RawTables();
  MigrationReport report;
  const Status status = source.InTransaction([&]() -> Status {
    // 1. Before writing anything: does each target table hold a prefix of the source's?
    std::vector<SourceSummary> sources;
    std::vector<TableSummary> targets;
    for (const auto& table : tables) {
      auto in_target = SummariseTable(*to, table);
      if (!in_target.ok()) return in_target.error();
      auto in_source = SummariseSource(*from, table, in_target->rows);
      if (!in_source.ok()) return in_source.error();
      if (in_source->prefix.rows != in_target->rows || in_source->prefix.sha256 != in_target->sha256) {
        const std::string what = in_target->rows > in_source->all.rows
                                     ? "holds " + std::to_string(in_target->rows) + " rows, the source only " +
                                           std::to_string(in_source->all.rows)
                                     : "holds " + std::to_string(in_target->rows) +
                                           " rows that differ from the source's first " +
                                           std::to_string(in_target->rows);
        return Error::Conflict("the target already holds other data: table " + std::string(table.name) + " " + what +
                               "; nothing was written (migrate into an empty database)");
      }
      sources.push_back(std::move(in_source).value());
      targets.push_back(std::move(in_target).value());
    }
    // 2. Copy the rows the target lacks, in batches of their own.
    for (std::size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
      const auto& table = tables[table_idx];
      const std::int64_t total = sources[table_idx].all.rows;
      const std::int64_t skip = targets[table_idx].rows;
      std::int64_t seen = 0;
      std::int64_t done = skip;
      std::vector<RawRow> batch;
      const auto flush = [&]() -> Status {
        if (batch.empty()) return Ok();
        DV_TRY(target.InTransaction([&]() { return to->ImportRawRows(table, batch); }));
        done += static_cast<std::int64_t>(batch.size());
        report.copied += static_cast<std::int64_t>(batch.size());
        batch.clear();
        if (options.progress) options.progress(table.name, done, total);
        return Ok();
      };
      if (skip < total) {
        DV_TRY(from->ExportRawRows(table, [&](RawRow&& row) -> Status {
          if (seen++ < skip) return Ok();
          batch.push_back(std::move(row));
          if (static_cast<int>(batch.size()) >= options.batch_rows) return flush();
          return Ok();
        }));
        DV_TRY(flush());
      } else if (options.progress) {
        options.progress(table.name, done, total);
      }
      TableCheck check;
      check.table = std::string(table.name);
      check.copied = done - skip;
      report.tables.push_back(std::move(check));
    }
    // 3. Verify: every table of the target, read afresh, against the source.
    for (std::size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
      auto in_target = SummariseTable(*to, tables[table_idx]);
      if (!in_target.ok()) return in_target.error();
      auto& check = report.tables[table_idx];
      check.source_rows = sources[table_idx].all.rows;
      check.source_sha256 = sources[table_idx].all.sha256;
      check.target_rows = in_target->rows;
      check.target_sha256 = in_target->sha256;
    }
    // Nothing was written to the source: ending its transaction commits nothing.
    return Ok();
  });
  if (!status.ok()) return status.error();
  return report;
}

}  // namespace dv
