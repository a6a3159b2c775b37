// SPDX-License-Identifier: Apache-2.0
#include "store/store.h"

#include "store/sqlite_store.h"

namespace dv {

Result<std::unique_ptr<Store>> Store::Open(std::string_view url) {
  if (url.rfind("sqlite:", 0) == 0) {
    auto store = SqliteStore::Open(url.substr(7));
    if (!store.ok()) return store.error();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return Error::Unsupported("the PostgreSQL backend is not part of this build yet; use --db sqlite:PATH");
  }
  return Error::InvalidArgument("database URL '" + std::string(url) +
                                "' is not understood (want sqlite:PATH, sqlite::memory: or postgresql://…)");
}

Status Store::UpsertOrganisation(const Organisation& org, std::string_view actor) {
  DV_TRY(org.Validate());
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  auto changed = DoUpsertOrganisation(org, actor);
  if (!changed.ok()) return changed.error();
  return Ok();
}

Result<Organisation> Store::GetOrganisation(std::string_view code) {
  auto org = DoGetOrganisation(code);
  if (!org.ok()) return org.error();
  if (!org->has_value()) return Error::NotFound("no organisation with code '" + std::string(code) + "'");
  return std::move(**org);
}

Result<OrganisationPage> Store::ListOrganisations(const OrganisationQuery& query) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return Error::InvalidArgument("field 'limit' must be between 1 and " + std::to_string(kMaxPageSize));
  }
  if (query.offset < 0) return Error::InvalidArgument("field 'offset' must not be negative");
  return DoListOrganisations(query);
}

Status Store::UpsertDependency(const Dependency& dependency, std::string_view actor) {
  DV_TRY(dependency.Validate());
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  for (const std::string* code : {&dependency.from, &dependency.to}) {
    auto org = DoGetOrganisation(*code);
    if (!org.ok()) return org.error();
    if (!org->has_value()) {
      return Error::NotFound("dependency " + dependency.from + " -> " + dependency.to +
                             ": no organisation with code '" + *code + "'");
    }
  }
  auto changed = DoUpsertDependency(dependency, actor);
  if (!changed.ok()) return changed.error();
  return Ok();
}

Result<std::vector<DependencyView>> Store::ListDependencies(std::string_view code, EdgeDirection direction) {
  auto org = DoGetOrganisation(code);
  if (!org.ok()) return org.error();
  if (!org->has_value()) return Error::NotFound("no organisation with code '" + std::string(code) + "'");
  return DoListDependencies(code, direction);
}

Result<std::int64_t> Store::CountDependencies() { return DoCountDependencies(); }

Result<std::vector<AuditEntry>> Store::ListAudit(int limit) {
  if (limit < 1 || limit > kMaxPageSize) {
    return Error::InvalidArgument("field 'limit' must be between 1 and " + std::to_string(kMaxPageSize));
  }
  return DoListAudit(limit);
}

Status Store::InTransaction(const std::function<Status()>& body) { return DoInTransaction(body); }

}  // namespace dv
