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

#include "store/store.h"

struct sqlite3;

namespace dv {

class SqliteStore final : public Store {
 public:
  // `path` is a file path or ":memory:".
  static Result<std::unique_ptr<SqliteStore>> Open(std::string_view path);
  ~SqliteStore() override;

  int SchemaVersion() override;
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
  Result<std::int64_t> DoCountDependencies() override;
  Result<std::vector<AuditEntry>> DoListAudit(int limit) override;
  Status DoInTransaction(const std::function<Status()>& body) override;

  sqlite3* db_;
  std::recursive_mutex mutex_;
  int transaction_depth_ = 0;
};

}  // namespace dv
