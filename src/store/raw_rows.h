// SPDX-License-Identifier: Apache-2.0
#pragma once

// Raw rows of the store's tables, for moving a hub from one backend to
// another (store/migrate.h). Private to the store subsystem: nothing else may
// read or write rows past the public Store API, which validates and audits.
//
// Both backends keep the same tables and columns (the same migrations, see
// docs/storage.md); RawTables() lists them as of the latest schema version,
// parents before children, with each table's key. A value is text as the
// column holds it (integers in decimal, REAL as the shortest text that reads
// back as the same double), or nullopt for NULL: the same row reads the same
// from either backend.
//
// Threads: as the store's; the migration runs on one thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv {

enum class RawType { kText, kInteger, kReal };

struct RawColumn {
  std::string_view name;
  RawType type = RawType::kText;
};

struct RawTable {
  std::string_view name;
  std::span<const RawColumn> columns;
  // The columns (a prefix of `columns`' names, in this order) that order
  // the rows: the primary key, so that the order is total.
  std::span<const std::string_view> key;
  // The column filled by the database (AUTOINCREMENT / identity), if any:
  // copied as it is, and the counter moved past the largest value copied.
  std::string_view generated;
};

// Every table a hub keeps its data in (not schema_migrations: opening a
// store applies the migrations), in an order that satisfies the foreign keys.
std::span<const RawTable> RawTables();

using RawValue = std::optional<std::string>;
using RawRow = std::vector<RawValue>;  // one value per column of the table

// Implemented by each backend beside Store. The rows come and go exactly as
// stored: no validation, no audit entry, no change of a generated id or a
// time.
class RawTableAccess {
 public:
  virtual ~RawTableAccess() = default;

  // Calls `sink` with every row of `table` in key order; stops at the first
  // error `sink` returns and returns it. Reads one consistent snapshot when
  // called inside Store::InTransaction, else a snapshot of the table.
  virtual Status ExportRawRows(const RawTable& table, const std::function<Status(RawRow&&)>& sink) = 0;
  // Inserts `rows` as they are (generated ids included) and moves the
  // table's generated counter past them. Call it inside Store::InTransaction:
  // a batch lands whole or not at all. kConflict when a key exists.
  virtual Status ImportRawRows(const RawTable& table, std::span<const RawRow> rows) = 0;
};

// The shortest text that reads back as `value` (RawType::kReal).
std::string RawRealText(double value);

// SQL pieces for the backends: "a, b, c" of the table's columns and of its
// key. The names are the constants of RawTables(), never input.
std::string RawColumnList(const RawTable& table);
std::string RawKeyList(const RawTable& table);

}  // namespace dv
