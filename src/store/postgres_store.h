// SPDX-License-Identifier: Apache-2.0
#pragma once

// The PostgreSQL backend (private to the store subsystem; use
// Store::Open("postgresql://…")), through libpq's C API with parameterised
// queries only: no value is ever written into SQL text. Same schema,
// migration numbers, audit entries, ordering and errors as the SQLite
// backend; docs/storage.md describes both.
//
// Connection: one connection, guarded by a recursive mutex so that a body run
// by InTransaction may call back into the store (as SQLite). Calls from many
// threads are serialised; two hub processes on one database are safe (below).
// The URL is any libpq connection URI ("postgresql://user:password@host:port/
// database?sslmode=require"); application_name is always "dannevirke",
// client_encoding UTF8, and connect_timeout 10 s unless the URL sets it.
//
// Writers: every write transaction (InTransaction and the writes that use
// it) first takes one transaction-scoped advisory lock, so writers of all
// processes on the database run one at a time, as SQLite's BEGIN IMMEDIATE
// makes them: a check and the write that follows it see the same state, and
// STIX objects get their seq and strictly increasing date_added (added_us)
// in commit order, so a change-feed reader never skips a late commit.
// Readers are not blocked. Nested InTransaction calls use savepoints.
//
// Migrations: numbered as in SQLite; each runs in its own transaction with
// its row in schema_migrations, under the same advisory lock, so two
// processes opening a new database at once apply each migration once.
//
// Text columns use the "C" collation: ordering is bytewise, as in SQLite,
// whatever the database's own collation (a Danish one sorts "AA" after "Z").
//
// Reconnect: when the connection is found broken (the server restarted, or
// the connection was terminated), the next call outside a transaction
// reconnects once and, if the statement failed with the broken connection,
// sends it again. A statement inside a transaction is never repeated: the
// transaction fails with kIo and is rolled back by the server.
//
// Erasure: PostgreSQL keeps an updated row's old version (a dead tuple) until
// VACUUM, so DoAfterErasure runs VACUUM on member_record once the erasure
// has committed (skipped when nested in an outer transaction; the next
// erasure outside one, or autovacuum, removes it). docs/storage.md says what
// VACUUM does and does not remove.
//
// Change notices (Store::Watch): each write that Store announces is also
// sent with pg_notify on channel "dannevirke_changes.<schema>" (delivered by the
// server when the write's transaction commits, to every listening process;
// the payload names the writing process, the kind and the key, no values).
// At the first Watch a thread opens a second connection, LISTENs, and
// announces other processes' notices here; when that connection breaks it
// reconnects (every second until it can) and announces kResync.
//
// Errors: kUnavailable when the server cannot be reached or the connection
// was lost (the hub answers 503 with Retry-After), kIo for other failures,
// naming the host or the statement; a unique-key clash is kConflict, text PostgreSQL cannot hold (a
// NUL byte, invalid UTF-8) kInvalidArgument. No message holds the password
// or a value from the statement's parameters.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/raw_rows.h"
#include "store/store.h"

struct pg_conn;

namespace dv {

class PgRows;  // the rows of one statement's result (postgres_store.cpp)

class PostgresStore final : public Store, public RawTableAccess {
 public:
  // Connects to the database named by `url` (a postgresql:// or postgres://
  // URI) and applies pending migrations. kIo when the server cannot be
  // reached or refuses the login (the message names the host, port, database
  // and user, never the password); kUnsupported for a server older than
  // PostgreSQL 12 or a schema newer than this program.
  static Result<std::unique_ptr<PostgresStore>> Open(std::string_view url);
  ~PostgresStore() override;
  // Store::DisplayUrl for a PostgreSQL URL.
  static std::string DisplayUrl(std::string_view url);

  int SchemaVersion() override;
  // Raw rows for store/migrate.h (store/raw_rows.h).
  Status ExportRawRows(const RawTable& table, const std::function<Status(RawRow&&)>& sink) override;
  Status ImportRawRows(const RawTable& table, std::span<const RawRow> rows) override;

  std::string_view BackendName() const override { return "postgresql"; }

 private:
  // The parameters of one statement ($1, $2, …), sent as text; nullopt is NULL.
  using Params = std::vector<std::optional<std::string>>;

  PostgresStore(pg_conn* conn, std::string url, std::string where, std::vector<std::string> secrets);

  // Runs one statement with parameters and returns its rows.
  Result<PgRows> Query(std::string_view sql, const Params& params);
  // Runs SQL without parameters (one or more statements).
  Status Exec(std::string_view sql);
  // Both of the above (params == nullptr: Exec); reconnects as the header says.
  Result<PgRows> Run(std::string_view sql, const Params* params);
  Status Reconnect();
  // Ends the open transaction, if the connection still has one.
  void Rollback();
  Error StatementError(const PgRows& rows, std::string_view sql) const;
  Status Migrate();
  Status AppendAudit(std::string_view actor, std::string_view action, std::string_view object,
                     const std::string& detail);

  Result<bool> DoUpsertOrganisation(const Organisation& org, std::string_view actor) override;
  Result<std::optional<Organisation>> DoGetOrganisation(std::string_view code) override;
  Result<OrganisationPage> DoListOrganisations(const OrganisationQuery& query) override;
  Result<bool> DoUpsertDependency(const Dependency& dependency, std::string_view actor) override;
  Result<std::vector<DependencyView>> DoListDependencies(std::string_view code, EdgeDirection direction) override;
  Result<std::vector<Dependency>> DoListAllDependencies() override;
  Result<std::int64_t> DoCountDependencies() override;
  Result<std::vector<AuditEntry>> DoListAudit(int limit) override;
  Result<Record> DoAppendRecord(const RecordWrite& write, bool deleted, std::string_view actor) override;
  Result<std::vector<Record>> DoListRecords(const RecordQuery& query) override;
  Result<std::vector<Record>> DoRecordHistory(std::string_view kind, std::string_view id) override;
  Status DoOverwriteRecordBody(std::string_view kind, std::string_view id, std::int64_t version,
                               std::string_view body) override;
  Status DoAfterErasure() override;
  Status DoInTransaction(const std::function<Status()>& body) override;
  Status DoUpsertMember(const Member& member, std::string_view actor) override;
  Result<std::optional<Member>> DoGetMember(std::string_view id) override;
  Result<std::optional<MemberState>> DoGetMemberState(std::string_view id) override;
  Result<std::vector<Member>> DoListMembers() override;
  Status DoSetMemberDisabled(std::string_view id, std::optional<Timestamp> disabled_at,
                             std::string_view actor) override;
  Status DoRemoveMember(std::string_view id, Timestamp at, std::string_view actor) override;
  Status DoAddToken(const TokenGrant& grant, std::string_view token_id, Timestamp created_at,
                    std::string_view actor) override;
  Result<std::optional<TokenOwner>> DoFindToken(std::string_view token_hash) override;
  Result<std::optional<TokenInfo>> DoGetToken(std::string_view token_id) override;
  Result<std::vector<TokenInfo>> DoListTokens(std::string_view member_id) override;
  Status DoRevokeToken(std::string_view token_id, Timestamp at, std::string_view reason,
                       std::string_view actor) override;
  Status DoSetTokenExpiry(std::string_view token_id, Timestamp at, std::string_view action, std::string_view detail,
                          std::string_view actor) override;
  Status DoTouchToken(std::string_view token_id, Timestamp at) override;
  Status DoUpsertCollection(const Collection& collection, std::string_view actor) override;
  Result<std::vector<Collection>> DoListCollections() override;
  Result<std::vector<AddOutcome>> DoAddObjects(std::string_view collection_id, const std::vector<NewObject>& objects,
                                               std::string_view producer_org, std::string_view actor) override;
  Result<ObjectPage> DoQueryObjects(const ObjectQuery& query,
                                    const std::function<bool(const StoredObject&)>& visible) override;
  Result<std::optional<std::string>> DoObjectOwner(std::string_view object_id) override;
  Result<std::map<std::string, std::string>> DoObjectOwners(const std::vector<std::string>& object_ids) override;
  Result<std::int64_t> DoDeleteObject(std::string_view collection_id, std::string_view object_id,
                                      const VersionFilter& versions, std::string_view actor) override;
  Status DoPutStatus(const TaxiiStatus& status) override;
  Result<std::optional<TaxiiStatus>> DoGetStatus(std::string_view id) override;
  Status DoAudit(std::string_view actor, std::string_view action, std::string_view object,
                 std::string_view detail) override;

  void DoPublishChange(const Change& change) override;
  void DoStartWatching() override;
  // The listening thread (DoStartWatching) until stop_listening_.
  void Listen();
  pg_conn* conn_;
  const std::string url_;                   // to open the listening connection; holds the password
  const std::string where_;                 // "host:port/database as user", for messages
  const std::vector<std::string> secrets_;  // the URL's password as written and decoded
  std::recursive_mutex mutex_;
  int transaction_depth_ = 0;
  std::int64_t last_added_us_ = 0;  // the newest date_added this process gave out
  const std::string instance_;      // names this process's notices (random)
  std::string channel_;             // "dannevirke_changes.<schema>", set by Open
  std::atomic<bool> stop_listening_{false};
  std::mutex listen_mutex_;
  std::condition_variable listen_cv_;
  bool listen_attempted_ = false;  // the listening thread tried to LISTEN once
  std::thread listener_;
};

}  // namespace dv
