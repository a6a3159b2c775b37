// SPDX-License-Identifier: Apache-2.0
#pragma once

// The embedded SQLite backend (private to the store subsystem; use
// Store::Open("sqlite:PATH")). One connection in WAL mode with foreign keys
// on and synchronous=NORMAL, guarded by a recursive mutex so that a body run
// by InTransaction may call back into the store. Schema migrations are
// numbered; each runs in its own transaction together with its record in
// schema_migrations, so a killed process leaves the schema at a whole
// version. The migrations are documented in docs/storage.md.

#include <memory>
#include <mutex>
#include <string_view>

#include "store/raw_rows.h"
#include "store/store.h"

struct sqlite3;

namespace dv {

class SqliteStore final : public Store, public RawTableAccess {
 public:
  // `path` is a file path or ":memory:".
  static Result<std::unique_ptr<SqliteStore>> Open(std::string_view path);
  ~SqliteStore() override;

  int SchemaVersion() override;
  // Raw rows for store/migrate.h (store/raw_rows.h).
  Status ExportRawRows(const RawTable& table, const std::function<Status(RawRow&&)>& sink) override;
  Status ImportRawRows(const RawTable& table, std::span<const RawRow> rows) override;

  std::string_view BackendName() const override { return "sqlite"; }

 private:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  Status Migrate();
  Status Exec(std::string_view sql);
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

  sqlite3* db_;
  std::recursive_mutex mutex_;
  int transaction_depth_ = 0;
  std::int64_t last_added_us_ = 0;  // date_added of the newest object; every new one is later
};

}  // namespace dv
