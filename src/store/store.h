// SPDX-License-Identifier: Apache-2.0
#pragma once

// The storage interface of the hub. Callers use the public, non-virtual
// methods, which validate input, enforce limits and write the audit log;
// backends (SQLite and PostgreSQL) implement the private Do* hooks.
// Every backend must pass the same conformance suite (store_conformance_test).
//
// Thread safety: a Store may be used from many threads at once; backends
// serialise access as they need to.
// Errors: kInvalidArgument for bad input (message names the field),
// kNotFound for a missing object, kIo for database failures, kUnavailable
// when the database cannot be reached now (a server restart; retry later).
// Writes are atomic: a failed call leaves what is stored unchanged.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
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
  // The URL as logs and messages may show it: a PostgreSQL URL's password
  // (user:PASSWORD@, password=, sslpassword=) replaced by "***".
  static std::string DisplayUrl(std::string_view url);

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
  // Every edge in one read, ordered by from, relation, to (each organisation's
  // edges in the order ListDependencies gives them).
  Result<std::vector<Dependency>> ListAllDependencies();
  Result<std::int64_t> CountDependencies();

  // The newest audit entries first.
  Result<std::vector<AuditEntry>> ListAudit(int limit);

  // ---- Change notices ----

  // What a write changed, for caches and for readers that wait for news.
  // A notice is a hint, never the data: a listener re-reads what it needs.
  struct Change {
    enum class Kind {
      kObjectsAdded,    // key: the collection id
      kObjectsDeleted,  // key: the collection id
      kRecordChanged,   // key: the record kind (put, deleted or erased)
      kResync,          // notices may have been missed: assume anything changed
    };
    Kind kind = Kind::kResync;
    std::string key;
  };
  using ChangeListener = std::function<void(const Change&)>;
  // Calls `listener` for every change written through this Store, right
  // after the write returns, on the writing thread (also for a write inside
  // an InTransaction body that later rolls back: a hint). On PostgreSQL it is
  // also called for the committed writes of every other process on the same
  // database (LISTEN/NOTIFY on a connection of its own, from a thread of the
  // store, within milliseconds of the commit), and with kResync after that
  // connection was lost and made again. The listener must be quick, must not
  // throw and must not call Watch or Unwatch. Returns an id for Unwatch.
  std::uint64_t Watch(ChangeListener listener);
  // After it returns, the listener is not running and is not called again.
  void Unwatch(std::uint64_t id);

  // Runs `body` in one transaction: all of its writes land, or none do
  // (when it returns an error or the process dies midway).
  Status InTransaction(const std::function<Status()>& body);

  // ---- Sharing: members, tokens, collections, STIX objects, TAXII status ----

  // Inserts or updates a member; a disabled member stays disabled. Moving a
  // member to another organisation revokes all its tokens (each audited as
  // "token.revoke" with reason "member.org_change"): a token is issued to a
  // person or sensor of one organisation and must not follow it elsewhere.
  // Re-adding a removed member creates it afresh (enabled, without tokens).
  Status UpsertMember(const Member& member, std::string_view actor);
  // Disabled members included; removed members are kNotFound.
  Result<Member> GetMember(std::string_view id);
  Result<MemberState> GetMemberState(std::string_view id);
  // Ordered by id; removed members are left out.
  Result<std::vector<Member>> ListMembers();
  // Disabling refuses every token of the member at once, without revoking
  // them; enabling lets the unexpired, unrevoked ones work again. Audited as
  // "member.disable" / "member.enable"; a repeat changes nothing.
  Status DisableMember(std::string_view id, std::string_view actor);
  Status EnableMember(std::string_view id, std::string_view actor);
  // Revokes every token of the member, then removes it ("member.remove");
  // the audit log keeps its history. kNotFound for an unknown member.
  Status RemoveMember(std::string_view id, std::string_view actor);

  // ---- API tokens (the caller hashes; see hub/auth.h) ----

  // Stores a new token's hash; returns its facts. kInvalidArgument for a
  // malformed hash or an expiry that is not in the future, kNotFound for an
  // unknown member, kConflict for a disabled member or a hash already stored.
  // Audited as "token.create" (naming the token by its id, never the hash).
  Result<TokenInfo> CreateToken(const TokenGrant& grant, std::string_view actor);
  // CreateToken without expiry.
  Status AddToken(std::string_view token_hash, std::string_view member_id, std::string_view label,
                  std::string_view actor);
  // The member of a token that authenticates now (TokenState::kActive);
  // kUnauthorized for an unknown, revoked or expired token and for a disabled
  // or removed member. Every call reads the database: a revocation takes
  // effect at the next request. Records the token's last use at most once per
  // kLastUsedIntervalMs (a failure to record it does not refuse the token).
  Result<Member> MemberByTokenHash(std::string_view token_hash);
  static constexpr std::int64_t kLastUsedIntervalMs = 60'000;
  // Tokens ordered by creation, then id; of one member when `member_id` is
  // not empty (kNotFound for an unknown member). Revoked tokens included.
  Result<std::vector<TokenInfo>> ListTokens(std::string_view member_id = {});
  Result<TokenInfo> GetToken(std::string_view token_id);
  // Revokes one token ("token.revoke"); revoking a revoked token changes nothing.
  Status RevokeToken(std::string_view token_id, std::string_view actor);
  // Revokes every unrevoked token of a member, each audited with `reason`;
  // returns how many were revoked.
  Result<std::int64_t> RevokeMemberTokens(std::string_view member_id, std::string_view reason, std::string_view actor);
  // Makes a token expire at `at` unless it already expires earlier; `at` may
  // lie in the past (the token is refused at once). Audited as "token.expire".
  Status ExpireToken(std::string_view token_id, Timestamp at, std::string_view actor);
  // Replaces an active token: stores `replacement` (its member_id and label
  // are taken from the old token) and makes the old token expire at
  // `old_expires_at` (or earlier, if it already would), in one transaction.
  // kConflict when the old token is not active. Audited as "token.rotate".
  Result<TokenInfo> RotateToken(std::string_view token_id, TokenGrant replacement, Timestamp old_expires_at,
                                std::string_view actor);
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
  // The organisation that posted the earliest stored version of `object_id`
  // in any collection: the object's producer, who alone (with coordinators)
  // may add versions of it (docs/stix.md, "Ownership"). nullopt when no
  // version is stored.
  Result<std::optional<std::string>> ObjectOwner(std::string_view object_id);
  // ObjectOwner of many ids in one read: id → producer for those with a
  // stored version (the others are absent).
  Result<std::map<std::string, std::string>> ObjectOwners(const std::vector<std::string>& object_ids);
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

  // Erasure of personal data (GDPR Art. 17): the one exception to "every
  // version is kept as written". Shows `rewrite` every stored version of the
  // record (deletion markers included, oldest first); it returns the new body
  // for a version (a JSON object; for a deletion marker it must return
  // nullopt), nullopt to leave the version as it is, or an error that aborts
  // the whole erasure. Version numbers, times, actors and deletion markers
  // stay; only the bodies change, in place, in one transaction. Audited as
  // "record.<kind>.erase" on the record id, with `detail` (a JSON object the
  // caller writes: it must not hold the erased data) plus "org" and
  // "versions" (how many were rewritten). Returns that number; 0 writes and
  // audits nothing. Backends must not keep the old bodies anywhere they can
  // be read back (SQLite: secure_delete, and the write-ahead log truncated
  // after the erasure when it is not nested in an outer transaction).
  // kNotFound when the record has no version; kInvalidArgument for a bad key,
  // an empty actor, a detail that is not a JSON object, or a new body that
  // is not one.
  Result<std::int64_t> EraseFromRecordHistory(
      std::string_view kind, std::string_view id,
      const std::function<Result<std::optional<std::string>>(const Record&)>& rewrite, std::string_view detail,
      std::string_view actor);

  // The number of the last applied schema migration.
  virtual int SchemaVersion() = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view BackendName() const = 0;

 protected:
  Store() = default;

  // A token found by its hash, with its member (DoFindToken).
  struct TokenOwner {
    Member member;
    TokenInfo token;
  };

  // Calls this process's listeners (Watch) with `change`; for backends that
  // receive other processes' changes.
  void AnnounceLocally(const Change& change);

 private:
  // Return true when the row was created or changed.
  virtual Result<bool> DoUpsertOrganisation(const Organisation& org, std::string_view actor) = 0;
  virtual Result<std::optional<Organisation>> DoGetOrganisation(std::string_view code) = 0;
  virtual Result<OrganisationPage> DoListOrganisations(const OrganisationQuery& query) = 0;
  virtual Result<bool> DoUpsertDependency(const Dependency& dependency, std::string_view actor) = 0;
  virtual Result<std::vector<DependencyView>> DoListDependencies(std::string_view code, EdgeDirection direction) = 0;
  virtual Result<std::vector<Dependency>> DoListAllDependencies() = 0;
  virtual Result<std::int64_t> DoCountDependencies() = 0;
  virtual Result<std::vector<AuditEntry>> DoListAudit(int limit) = 0;
  // Appends one version (body empty + deleted for a deletion); the base
  // class has validated the write.
  virtual Result<Record> DoAppendRecord(const RecordWrite& write, bool deleted, std::string_view actor) = 0;
  virtual Result<std::vector<Record>> DoListRecords(const RecordQuery& query) = 0;
  virtual Result<std::vector<Record>> DoRecordHistory(std::string_view kind, std::string_view id) = 0;
  // Replaces the body of one stored version in place, leaving no readable
  // copy of the old one; not audited (the base class audits the erasure).
  virtual Status DoOverwriteRecordBody(std::string_view kind, std::string_view id, std::int64_t version,
                                       std::string_view body) = 0;
  // Runs after an erasure committed: lets a backend drop copies of
  // overwritten data it keeps outside its tables (SQLite's write-ahead log).
  virtual Status DoAfterErasure() = 0;
  // Tells other processes on the same database about a change this process
  // wrote (AnnounceLocally has told this one). A failure is not an error of
  // the write: the others find the change at their next read.
  virtual void DoPublishChange(const Change& change) { (void)change; }
  // Called once, at the first Watch: a backend that receives other
  // processes' changes starts listening.
  virtual void DoStartWatching() {}
  virtual Status DoInTransaction(const std::function<Status()>& body) = 0;
  // Removed members are invisible to every member hook but DoUpsertMember,
  // which re-creates them (enabled). An update keeps disabled_at.
  virtual Status DoUpsertMember(const Member& member, std::string_view actor) = 0;
  virtual Result<std::optional<Member>> DoGetMember(std::string_view id) = 0;
  virtual Result<std::optional<MemberState>> DoGetMemberState(std::string_view id) = 0;
  virtual Result<std::vector<Member>> DoListMembers() = 0;
  // nullopt enables; audited as "member.disable" / "member.enable".
  virtual Status DoSetMemberDisabled(std::string_view id, std::optional<Timestamp> disabled_at,
                                     std::string_view actor) = 0;
  virtual Status DoRemoveMember(std::string_view id, Timestamp at, std::string_view actor) = 0;
  // The base class has validated the grant; kConflict when the hash or id exists.
  virtual Status DoAddToken(const TokenGrant& grant, std::string_view token_id, Timestamp created_at,
                            std::string_view actor) = 0;
  // The token with this hash and its member (not removed), whatever the token's state.
  virtual Result<std::optional<TokenOwner>> DoFindToken(std::string_view token_hash) = 0;
  virtual Result<std::optional<TokenInfo>> DoGetToken(std::string_view token_id) = 0;
  virtual Result<std::vector<TokenInfo>> DoListTokens(std::string_view member_id) = 0;
  // Audited as "token.revoke" with {"reason": reason}.
  virtual Status DoRevokeToken(std::string_view token_id, Timestamp at, std::string_view reason,
                               std::string_view actor) = 0;
  // Audited as `action` ("token.expire", "token.rotate") with `detail` (JSON).
  virtual Status DoSetTokenExpiry(std::string_view token_id, Timestamp at, std::string_view action,
                                  std::string_view detail, std::string_view actor) = 0;
  // Not audited: bookkeeping of the authentication path.
  virtual Status DoTouchToken(std::string_view token_id, Timestamp at) = 0;
  virtual Status DoUpsertCollection(const Collection& collection, std::string_view actor) = 0;
  virtual Result<std::vector<Collection>> DoListCollections() = 0;
  virtual Result<std::vector<AddOutcome>> DoAddObjects(std::string_view collection_id,
                                                       const std::vector<NewObject>& objects,
                                                       std::string_view producer_org, std::string_view actor) = 0;
  virtual Result<ObjectPage> DoQueryObjects(const ObjectQuery& query,
                                            const std::function<bool(const StoredObject&)>& visible) = 0;
  virtual Result<std::optional<std::string>> DoObjectOwner(std::string_view object_id) = 0;
  virtual Result<std::map<std::string, std::string>> DoObjectOwners(const std::vector<std::string>& object_ids) = 0;
  virtual Result<std::int64_t> DoDeleteObject(std::string_view collection_id, std::string_view object_id,
                                              const VersionFilter& versions, std::string_view actor) = 0;
  virtual Status DoPutStatus(const TaxiiStatus& status) = 0;
  virtual Result<std::optional<TaxiiStatus>> DoGetStatus(std::string_view id) = 0;
  virtual Status DoAudit(std::string_view actor, std::string_view action, std::string_view object,
                         std::string_view detail) = 0;

  // Announces a change locally and to other processes (DoPublishChange).
  void Publish(const Change& change);
  std::mutex watch_mutex_;
  std::uint64_t next_watch_ = 0;
  bool watching_ = false;
  std::map<std::uint64_t, ChangeListener> listeners_;
};

}  // namespace dv
