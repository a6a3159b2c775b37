// SPDX-License-Identifier: Apache-2.0
#pragma once

// The storage interface of the hub. Callers use the public, non-virtual
// methods, which validate input, enforce limits and write the audit log;
// backends (SQLite now, PostgreSQL later) implement the private Do* hooks.
// Every backend must pass the same conformance suite (store_conformance_test).
//
// Thread safety: a Store may be used from many threads at once; backends
// serialise access as they need to.
// Errors: kInvalidArgument for bad input (message names the field),
// kNotFound for a missing object, kIo for database failures.
// Writes are atomic: a failed call leaves what is stored unchanged.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.h"
#include "core/result.h"
#include "core/time.h"
#include "store/record.h"
#include "store/sharing.h"

namespace dv {

struct OrganisationQuery {
  std::optional<OrgKind> kind;
  std::optional<std::string> region_code;
  std::string text;  // matches name or code, case-insensitively; empty = all
  int limit = 100;   // 1..kMaxPageSize
  int offset = 0;    // >= 0
};

struct OrganisationPage {
  std::vector<Organisation> items;  // ordered by code
  std::int64_t total = 0;           // rows matching the query, ignoring limit/offset
};

// An edge seen from one end, with the other end's name and kind.
struct DependencyView {
  Dependency edge;
  std::string other_code;
  std::string other_name;
  OrgKind other_kind = OrgKind::kOther;
};

enum class EdgeDirection { kDependencies, kDependents };

struct AuditEntry {
  std::int64_t id = 0;
  Timestamp at;
  std::string actor;   // who wrote: a user, a token's owner, or "system:seed"
  std::string action;  // "organisation.create", "organisation.update", ...
  std::string object;  // the written object's id or code
  std::string detail;  // JSON of what changed
};

class Store {
 public:
  static constexpr int kMaxPageSize = 1000;

  // Opens a store by URL: "sqlite:PATH" (created if missing),
  // "sqlite::memory:" (for tests), or "postgresql://…". Applies pending
  // schema migrations before returning.
  static Result<std::unique_ptr<Store>> Open(std::string_view url);

  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Inserts or replaces an organisation. Writes an audit entry when the
  // stored row changed; an identical upsert is a no-op (idempotent seeding).
  Status UpsertOrganisation(const Organisation& org, std::string_view actor);
  Result<Organisation> GetOrganisation(std::string_view code);
  Result<OrganisationPage> ListOrganisations(const OrganisationQuery& query);

  // Inserts or replaces the edge keyed by (from, to, relation). Both ends
  // must exist (kNotFound names the missing one). Audited when changed.
  Status UpsertDependency(const Dependency& dependency, std::string_view actor);
  // The edges leaving (kDependencies) or entering (kDependents) `code`,
  // ordered by relation, then the other end's code. kNotFound for an unknown code.
  Result<std::vector<DependencyView>> ListDependencies(std::string_view code, EdgeDirection direction);
  Result<std::int64_t> CountDependencies();

  // The newest audit entries first.
  Result<std::vector<AuditEntry>> ListAudit(int limit);

  // Runs `body` in one transaction: all of its writes land, or none do
  // (when it returns an error or the process dies midway).
  Status InTransaction(const std::function<Status()>& body);

  // ---- Sharing: members, tokens, collections, STIX objects, TAXII status ----

  Status UpsertMember(const Member& member, std::string_view actor);
  Result<Member> GetMember(std::string_view id);
  Result<std::vector<Member>> ListMembers();
  // Stores only the hash of a token (the caller hashes; see hub/auth.h).
  Status AddToken(std::string_view token_hash, std::string_view member_id, std::string_view label,
                  std::string_view actor);
  // The member whose unrevoked token has this hash; kUnauthorized otherwise.
  Result<Member> MemberByTokenHash(std::string_view token_hash);
  Status UpsertCollection(const Collection& collection, std::string_view actor);
  Result<Collection> GetCollection(std::string_view id);
  Result<std::vector<Collection>> ListCollections();
  // Adds validated objects posted by `producer_org`, all in one transaction.
  // An (id, version) already in the collection is a success that adds nothing.
  Result<std::vector<AddOutcome>> AddObjects(std::string_view collection_id, const std::vector<NewObject>& objects,
                                             std::string_view producer_org, std::string_view actor);
  // Objects in change-feed order matching `query` for which `visible` holds;
  // invisible objects are skipped before the limit is applied.
  Result<ObjectPage> QueryObjects(const ObjectQuery& query, const std::function<bool(const StoredObject&)>& visible);
  // Deletes the versions of an object selected by `versions`; returns how many.
  Result<std::int64_t> DeleteObject(std::string_view collection_id, std::string_view object_id,
                                    const VersionFilter& versions, std::string_view actor);
  Status PutStatus(const TaxiiStatus& status);
  Result<TaxiiStatus> GetStatus(std::string_view id);
  // Appends to the audit log outside a write (e.g. a refused read).
  Status Audit(std::string_view actor, std::string_view action, std::string_view object, std::string_view detail);

  // ---- Member records (store/record.h) ----

  // Writes a new version; returns it as stored. kInvalidArgument for a bad
  // kind/id or a body that is not a JSON object, kNotFound for an unknown
  // organisation, kConflict when expected_version does not match.
  Result<Record> PutRecord(const RecordWrite& write, std::string_view actor);
  // Adds a deletion marker as a new version (history is kept).
  Result<Record> DeleteRecord(std::string_view kind, std::string_view id, std::string_view actor);
  // The newest version; kNotFound when missing or deleted.
  Result<Record> GetRecord(std::string_view kind, std::string_view id);
  // The newest version of each matching record, ordered by id.
  Result<std::vector<Record>> ListRecords(const RecordQuery& query);
  // Every version of one record, oldest first; kNotFound when none.
  Result<std::vector<Record>> RecordHistory(std::string_view kind, std::string_view id);

  // The number of the last applied schema migration.
  virtual int SchemaVersion() = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view BackendName() const = 0;

 protected:
  Store() = default;

 private:
  // Return true when the row was created or changed.
  virtual Result<bool> DoUpsertOrganisation(const Organisation& org, std::string_view actor) = 0;
  virtual Result<std::optional<Organisation>> DoGetOrganisation(std::string_view code) = 0;
  virtual Result<OrganisationPage> DoListOrganisations(const OrganisationQuery& query) = 0;
  virtual Result<bool> DoUpsertDependency(const Dependency& dependency, std::string_view actor) = 0;
  virtual Result<std::vector<DependencyView>> DoListDependencies(std::string_view code, EdgeDirection direction) = 0;
  virtual Result<std::int64_t> DoCountDependencies() = 0;
  virtual Result<std::vector<AuditEntry>> DoListAudit(int limit) = 0;
  // Appends one version (body empty + deleted for a deletion); the base
  // class has validated the write.
  virtual Result<Record> DoAppendRecord(const RecordWrite& write, bool deleted, std::string_view actor) = 0;
  virtual Result<std::vector<Record>> DoListRecords(const RecordQuery& query) = 0;
  virtual Result<std::vector<Record>> DoRecordHistory(std::string_view kind, std::string_view id) = 0;
  virtual Status DoInTransaction(const std::function<Status()>& body) = 0;
  virtual Status DoUpsertMember(const Member& member, std::string_view actor) = 0;
  virtual Result<std::optional<Member>> DoGetMember(std::string_view id) = 0;
  virtual Result<std::vector<Member>> DoListMembers() = 0;
  virtual Status DoAddToken(std::string_view token_hash, std::string_view member_id, std::string_view label,
                            std::string_view actor) = 0;
  virtual Result<std::optional<Member>> DoMemberByTokenHash(std::string_view token_hash) = 0;
  virtual Status DoUpsertCollection(const Collection& collection, std::string_view actor) = 0;
  virtual Result<std::vector<Collection>> DoListCollections() = 0;
  virtual Result<std::vector<AddOutcome>> DoAddObjects(std::string_view collection_id,
                                                       const std::vector<NewObject>& objects,
                                                       std::string_view producer_org, std::string_view actor) = 0;
  virtual Result<ObjectPage> DoQueryObjects(const ObjectQuery& query,
                                            const std::function<bool(const StoredObject&)>& visible) = 0;
  virtual Result<std::int64_t> DoDeleteObject(std::string_view collection_id, std::string_view object_id,
                                              const VersionFilter& versions, std::string_view actor) = 0;
  virtual Status DoPutStatus(const TaxiiStatus& status) = 0;
  virtual Result<std::optional<TaxiiStatus>> DoGetStatus(std::string_view id) = 0;
  virtual Status DoAudit(std::string_view actor, std::string_view action, std::string_view object,
                         std::string_view detail) = 0;
};

}  // namespace dv
