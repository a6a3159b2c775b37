// SPDX-License-Identifier: Apache-2.0
#pragma once

// Moving a hub's data from one store to another (`dannevirke store migrate`,
// docs/storage.md "Moving to PostgreSQL"): every row of every table, as
// stored — generated ids, times, actors, STIX objects' seq and date_added,
// tokens' hashes and states, every record version, the audit log — copied in
// the source's key order in transactions of at most `batch_rows` rows, then
// verified table by table (row count and SHA-256).
//
// The target's audit log ends up exactly the source's: the migration writes
// no audit entry of its own (it goes past the Store API's audited writes;
// the CLI reports what it did on its standard output instead).
//
// Re-running is safe. Before writing anything, each table of the target is
// compared with the source: the run goes on only when every target table
// holds the first rows of the source's table in the same order (empty, a
// copy cut short, or complete), and then copies just the rest; anything
// else is kConflict naming the first table that differs, and nothing is
// written. A complete copy is therefore left as it is and verified again.
//
// The source is read inside one Store::InTransaction: its writers wait (a
// running hub's writes fail after the busy timeout) and every table is read
// from one consistent state. Stop the hub before migrating.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace dv {

// One table's verification.
struct TableCheck {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;
  std::string source_sha256;  // 64 lower-case hex digits
  std::string target_sha256;
  std::int64_t copied = 0;  // rows this run copied
  bool Matches() const { return source_rows == target_rows && source_sha256 == target_sha256; }
};

struct MigrationReport {
  std::vector<TableCheck> tables;  // in copy order
  std::int64_t copied = 0;         // rows this run copied, all tables
  // True when every table matches.
  bool Verified() const;
  // The tables that do not match, comma-separated ("" when verified).
  std::string Mismatches() const;
};

struct MigrateOptions {
  int batch_rows = 1000;  // rows per target transaction, 1..100000
  // Called after each committed batch and once per table at its end.
  std::function<void(std::string_view table, std::int64_t done, std::int64_t total)> progress;
};

// Refuses, before either store is opened, a pair of URLs that cannot be
// migrated: the same database twice (kInvalidArgument), "sqlite::memory:"
// on either side (kInvalidArgument: nothing to read, or nothing kept), and a
// target that is neither "sqlite:" nor "postgresql://"/"postgres://"
// (kUnsupported). Messages show URLs through Store::DisplayUrl.
Status CheckMigrationUrls(std::string_view from_url, std::string_view to_url);

// Copies `source` into `target` and verifies the copy, as the header says.
// Errors: kInvalidArgument for a bad batch size or one store passed twice;
// kUnsupported for a backend without raw row access or stores at different
// schema versions; kConflict when the target holds other data (the message
// names the table; nothing is written); kIo for database failures (the
// batches already committed stay: a re-run continues from there). A copy
// that does not verify is not an error here: the report says which tables
// differ (Verified() is false), and the caller must fail.
Result<MigrationReport> MigrateStore(Store& source, Store& target, const MigrateOptions& options);

}  // namespace dv
