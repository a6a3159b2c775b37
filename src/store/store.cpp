// SPDX-License-Identifier: Apache-2.0
#include "store/store.h"

#include <nlohmann/json.hpp>

#include "core/uuid.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace dv {

Result<std::unique_ptr<Store>> Store::Open(std::string_view url) {
  if (url.rfind("sqlite:", 0) == 0) {
    auto store = SqliteStore::Open(url.substr(7));
    if (!store.ok()) return store.error();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto store = PostgresStore::Open(url);
    if (!store.ok()) return store.error();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  return Error::InvalidArgument("database URL '" + std::string(url) +
                                "' is not understood (want sqlite:PATH, sqlite::memory: or postgresql://…)");
}

std::string Store::DisplayUrl(std::string_view url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return PostgresStore::DisplayUrl(url);
  return std::string(url);
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

Result<std::vector<Dependency>> Store::ListAllDependencies() { return DoListAllDependencies(); }

Result<std::int64_t> Store::CountDependencies() { return DoCountDependencies(); }

Result<std::vector<AuditEntry>> Store::ListAudit(int limit) {
  if (limit < 1 || limit > kMaxPageSize) {
    return Error::InvalidArgument("field 'limit' must be between 1 and " + std::to_string(kMaxPageSize));
  }
  return DoListAudit(limit);
}

Status Store::UpsertMember(const Member& member, std::string_view actor) {
  if (member.id.empty() || member.id.size() > 64) {
    return Error::InvalidArgument("member: field 'id' must be 1-64 characters");
  }
  for (char c : member.id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '@';
    if (!ok) return Error::InvalidArgument("member '" + member.id + "': field 'id' may hold letters, digits and -_.@");
  }
  if (member.name.empty()) return Error::InvalidArgument("member '" + member.id + "': field 'name' is empty");
  auto org = DoGetOrganisation(member.org_code);
  if (!org.ok()) return org.error();
  if (!org->has_value()) {
    return Error::NotFound("member '" + member.id + "': no organisation with code '" + member.org_code + "'");
  }
  return DoInTransaction([&]() -> Status {
    auto existing = DoGetMember(member.id);
    if (!existing.ok()) return existing.error();
    DV_TRY(DoUpsertMember(member, actor));
    if (existing->has_value() && (*existing)->org_code != member.org_code) {
      auto revoked = RevokeMemberTokens(member.id, "member.org_change", actor);
      if (!revoked.ok()) return revoked.error();
    }
    return Ok();
  });
}

Result<Member> Store::GetMember(std::string_view id) {
  auto member = DoGetMember(id);
  if (!member.ok()) return member.error();
  if (!member->has_value()) return Error::NotFound("no member '" + std::string(id) + "'");
  return std::move(**member);
}

Result<MemberState> Store::GetMemberState(std::string_view id) {
  auto state = DoGetMemberState(id);
  if (!state.ok()) return state.error();
  if (!state->has_value()) return Error::NotFound("no member '" + std::string(id) + "'");
  return std::move(**state);
}

Result<std::vector<Member>> Store::ListMembers() { return DoListMembers(); }

Status Store::DisableMember(std::string_view id, std::string_view actor) {
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  return DoInTransaction([&]() -> Status {
    auto state = GetMemberState(id);
    if (!state.ok()) return state.error();
    if (state->disabled_at) return Ok();
    return DoSetMemberDisabled(id, Timestamp::Now(), actor);
  });
}

Status Store::EnableMember(std::string_view id, std::string_view actor) {
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  return DoInTransaction([&]() -> Status {
    auto state = GetMemberState(id);
    if (!state.ok()) return state.error();
    if (!state->disabled_at) return Ok();
    return DoSetMemberDisabled(id, std::nullopt, actor);
  });
}

Status Store::RemoveMember(std::string_view id, std::string_view actor) {
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  return DoInTransaction([&]() -> Status {
    auto member = GetMember(id);
    if (!member.ok()) return member.error();
    auto revoked = RevokeMemberTokens(id, "member.remove", actor);
    if (!revoked.ok()) return revoked.error();
    return DoRemoveMember(id, Timestamp::Now(), actor);
  });
}

namespace {

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The public id of a token: the first characters of its hash.
constexpr std::size_t kTokenIdLength = 12;

}  // namespace

Result<TokenInfo> Store::CreateToken(const TokenGrant& grant, std::string_view actor) {
  if (grant.token_hash.size() != 64 || !IsLowerHex(grant.token_hash)) {
    return Error::InvalidArgument("a token hash is 64 lower-case hex digits (SHA-256)");
  }
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  if (grant.label.size() > 200) return Error::InvalidArgument("token: field 'label' is longer than 200 characters");
  const Timestamp now = Timestamp::Now();
  if (grant.expires_at && *grant.expires_at <= now) {
    return Error::InvalidArgument("token: field 'expires_at' (" + grant.expires_at->ToRfc3339() +
                                  ") is not in the future");
  }
  const std::string token_id = grant.token_hash.substr(0, kTokenIdLength);
  const Status status = DoInTransaction([&]() -> Status {
    auto state = GetMemberState(grant.member_id);
    if (!state.ok()) return state.error();
    if (state->disabled_at) {
      return Error::Conflict("member '" + grant.member_id + "' is disabled; enable it before creating tokens");
    }
    return DoAddToken(grant, token_id, now, actor);
  });
  if (!status.ok()) return status.error();
  return GetToken(token_id);
}

Status Store::AddToken(std::string_view token_hash, std::string_view member_id, std::string_view label,
                       std::string_view actor) {
  TokenGrant grant{std::string(token_hash), std::string(member_id), std::string(label), std::nullopt};
  auto created = CreateToken(grant, actor);
  if (!created.ok()) return created.error();
  return Ok();
}

Result<Member> Store::MemberByTokenHash(std::string_view token_hash) {
  if (token_hash.size() != 64) return Error::Unauthorized("unknown token");
  auto found = DoFindToken(token_hash);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error::Unauthorized("unknown token");
  TokenOwner& owner = **found;
  const Timestamp now = Timestamp::Now();
  switch (StateOf(owner.token, now)) {
    case TokenState::kActive:
      break;
    case TokenState::kRevoked:
      return Error::Unauthorized("token " + owner.token.id + " is revoked");
    case TokenState::kMemberDisabled:
      return Error::Unauthorized("member '" + owner.member.id + "' is disabled");
    case TokenState::kExpired:
      return Error::Unauthorized("token " + owner.token.id + " has expired");
  }
  if (!owner.token.last_used || now.unix_ms() - owner.token.last_used->unix_ms() >= kLastUsedIntervalMs) {
    // Bookkeeping only: a busy database must not turn a valid token away.
    (void)DoTouchToken(owner.token.id, now);
  }
  return std::move(owner.member);
}

Result<std::vector<TokenInfo>> Store::ListTokens(std::string_view member_id) {
  if (!member_id.empty()) {
    auto member = GetMember(member_id);
    if (!member.ok()) return member.error();
  }
  return DoListTokens(member_id);
}

Result<TokenInfo> Store::GetToken(std::string_view token_id) {
  auto token = DoGetToken(token_id);
  if (!token.ok()) return token.error();
  if (!token->has_value()) return Error::NotFound("no token with id '" + std::string(token_id) + "'");
  return std::move(**token);
}

Status Store::RevokeToken(std::string_view token_id, std::string_view actor) {
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  return DoInTransaction([&]() -> Status {
    auto token = GetToken(token_id);
    if (!token.ok()) return token.error();
    if (token->revoked_at) return Ok();
    return DoRevokeToken(token_id, Timestamp::Now(), "revoke", actor);
  });
}

Result<std::int64_t> Store::RevokeMemberTokens(std::string_view member_id, std::string_view reason,
                                               std::string_view actor) {
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  std::int64_t revoked = 0;
  const Status status = DoInTransaction([&]() -> Status {
    auto tokens = ListTokens(member_id);
    if (!tokens.ok()) return tokens.error();
    const Timestamp now = Timestamp::Now();
    for (const auto& token : *tokens) {
      if (token.revoked_at) continue;
      DV_TRY(DoRevokeToken(token.id, now, reason, actor));
      ++revoked;
    }
    return Ok();
  });
  if (!status.ok()) return status.error();
  return revoked;
}

Status Store::ExpireToken(std::string_view token_id, Timestamp at, std::string_view actor) {
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  return DoInTransaction([&]() -> Status {
    auto token = GetToken(token_id);
    if (!token.ok()) return token.error();
    if (token->expires_at && *token->expires_at <= at) return Ok();
    const nlohmann::json detail = {{"expires_at", at.ToRfc3339()}};
    return DoSetTokenExpiry(token_id, at, "token.expire", detail.dump(), actor);
  });
}

Result<TokenInfo> Store::RotateToken(std::string_view token_id, TokenGrant replacement, Timestamp old_expires_at,
                                     std::string_view actor) {
  if (actor.empty()) return Error::InvalidArgument("a write needs an actor for the audit log");
  Result<TokenInfo> created = Error::Internal("token rotation did not run");
  const Status status = DoInTransaction([&]() -> Status {
    auto old_token = GetToken(token_id);
    if (!old_token.ok()) return old_token.error();
    const TokenState state = StateOf(*old_token, Timestamp::Now());
    if (state != TokenState::kActive) {
      return Error::Conflict("token " + old_token->id + " is " + std::string(TokenStateName(state)) +
                             "; create a new token instead of rotating it");
    }
    replacement.member_id = old_token->member_id;
    replacement.label = old_token->label;
    created = CreateToken(replacement, actor);
    if (!created.ok()) return created.error();
    const Timestamp expires_at =
        old_token->expires_at && *old_token->expires_at < old_expires_at ? *old_token->expires_at : old_expires_at;
    const nlohmann::json detail = {{"expires_at", expires_at.ToRfc3339()}, {"replaced_by", created->id}};
    return DoSetTokenExpiry(token_id, expires_at, "token.rotate", detail.dump(), actor);
  });
  if (!status.ok()) return status.error();
  return created;
}

Status Store::UpsertCollection(const Collection& collection, std::string_view actor) {
  if (!Uuid::Parse(collection.id).ok()) {
    return Error::InvalidArgument("collection '" + collection.id + "': field 'id' must be a UUID");
  }
  if (collection.title.empty())
    return Error::InvalidArgument("collection '" + collection.id + "': field 'title' is empty");
  if ((collection.audience == AudienceKind::kRegion || collection.audience == AudienceKind::kSector) &&
      collection.audience_value.empty()) {
    return Error::InvalidArgument("collection '" + collection.id + "': field 'audience_value' is required");
  }
  return DoUpsertCollection(collection, actor);
}

Result<Collection> Store::GetCollection(std::string_view id) {
  auto all = DoListCollections();
  if (!all.ok()) return all.error();
  for (auto& collection : *all) {
    if (collection.id == id) return std::move(collection);
  }
  return Error::NotFound("no collection '" + std::string(id) + "'");
}

Result<std::vector<Collection>> Store::ListCollections() { return DoListCollections(); }

Result<std::vector<AddOutcome>> Store::AddObjects(std::string_view collection_id, const std::vector<NewObject>& objects,
                                                  std::string_view producer_org, std::string_view actor) {
  auto collection = GetCollection(collection_id);
  if (!collection.ok()) return collection.error();
  for (const auto& object : objects) {
    if (object.id.empty() || object.type.empty() || object.version.empty() || object.json.empty()) {
      return Error::InvalidArgument("object '" + object.id + "': id, type, version and json are required");
    }
  }
  auto outcomes = DoAddObjects(collection_id, objects, producer_org, actor);
  if (outcomes.ok()) {
    for (const auto& outcome : *outcomes) {
      if (!outcome.added) continue;
      Publish({Change::Kind::kObjectsAdded, std::string(collection_id)});
      break;
    }
  }
  return outcomes;
}

Result<ObjectPage> Store::QueryObjects(const ObjectQuery& query,
                                       const std::function<bool(const StoredObject&)>& visible) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return Error::InvalidArgument("field 'limit' must be between 1 and " + std::to_string(kMaxPageSize));
  }
  return DoQueryObjects(query, visible);
}

Result<std::optional<std::string>> Store::ObjectOwner(std::string_view object_id) { return DoObjectOwner(object_id); }

Result<std::map<std::string, std::string>> Store::ObjectOwners(const std::vector<std::string>& object_ids) {
  if (object_ids.empty()) return std::map<std::string, std::string>{};
  return DoObjectOwners(object_ids);
}

Result<std::int64_t> Store::DeleteObject(std::string_view collection_id, std::string_view object_id,
                                         const VersionFilter& versions, std::string_view actor) {
  auto deleted = DoDeleteObject(collection_id, object_id, versions, actor);
  if (deleted.ok() && *deleted > 0) Publish({Change::Kind::kObjectsDeleted, std::string(collection_id)});
  return deleted;
}

Status Store::PutStatus(const TaxiiStatus& status) {
  if (status.total != status.success + status.failure + status.pending) {
    return Error::Internal("status '" + status.id + "': counts do not add up");
  }
  return DoPutStatus(status);
}

Result<TaxiiStatus> Store::GetStatus(std::string_view id) {
  auto status = DoGetStatus(id);
  if (!status.ok()) return status.error();
  if (!status->has_value()) return Error::NotFound("no status '" + std::string(id) + "'");
  return std::move(**status);
}

namespace {

Status CheckRecordKey(std::string_view kind, std::string_view id) {
  if (kind.empty() || kind.size() > 64) return Error::InvalidArgument("record: field 'kind' must be 1-64 characters");
  for (char c : kind) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_')) {
      return Error::InvalidArgument("record: field 'kind' ('" + std::string(kind) +
                                    "') may hold lowercase letters, digits, '.' and '_'");
    }
  }
  if (id.empty() || id.size() > 200) {
    return Error::InvalidArgument("record '" + std::string(kind) + "': field 'id' must be 1-200 characters");
  }
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return Error::InvalidArgument("record '" + std::string(kind) + "': field 'id' holds a control character");
    }
  }
  return Ok();
}

}  // namespace

Result<Record> Store::PutRecord(const RecordWrite& write, std::string_view actor) {
  DV_TRY(CheckRecordKey(write.kind, write.id));
  const std::string where = "record " + write.kind + " '" + write.id + "'";
  const auto body = nlohmann::json::parse(write.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Error::InvalidArgument(where + ": field 'body' must be a JSON object");
  }
  auto org = DoGetOrganisation(write.org_code);
  if (!org.ok()) return org.error();
  if (!org->has_value()) {
    return Error::NotFound(where + ": no organisation '" + write.org_code + "'");
  }
  auto stored = DoAppendRecord(write, false, actor);
  if (stored.ok()) Publish({Change::Kind::kRecordChanged, write.kind});
  return stored;
}

Result<Record> Store::DeleteRecord(std::string_view kind, std::string_view id, std::string_view actor) {
  DV_TRY(CheckRecordKey(kind, id));
  auto current = GetRecord(kind, id);
  if (!current.ok()) return current.error();
  RecordWrite write{current->kind, current->id, current->org_code, "", current->version};
  auto stored = DoAppendRecord(write, true, actor);
  if (stored.ok()) Publish({Change::Kind::kRecordChanged, write.kind});
  return stored;
}

Result<Record> Store::GetRecord(std::string_view kind, std::string_view id) {
  DV_TRY(CheckRecordKey(kind, id));
  auto history = DoRecordHistory(kind, id);
  if (!history.ok()) return history.error();
  if (history->empty() || history->back().deleted) {
    return Error::NotFound("no record " + std::string(kind) + " '" + std::string(id) + "'");
  }
  return std::move(history->back());
}

Result<std::vector<Record>> Store::ListRecords(const RecordQuery& query) {
  DV_TRY(CheckRecordKey(query.kind, "-"));
  return DoListRecords(query);
}

Result<std::vector<Record>> Store::RecordHistory(std::string_view kind, std::string_view id) {
  DV_TRY(CheckRecordKey(kind, id));
  auto history = DoRecordHistory(kind, id);
  if (!history.ok()) return history.error();
  if (history->empty()) return Error::NotFound("no record " + std::string(kind) + " '" + std::string(id) + "'");
  return history;
}

Result<std::int64_t> Store::EraseFromRecordHistory(
    std::string_view kind, std::string_view id,
    const std::function<Result<std::optional<std::string>>(const Record&)>& rewrite, std::string_view detail,
    std::string_view actor) {
  DV_TRY(CheckRecordKey(kind, id));
  if (actor.empty()) return Error::InvalidArgument("an erasure needs an actor for the audit log");
  auto audit_detail = nlohmann::json::parse(detail, nullptr, false);
  if (audit_detail.is_discarded() || !audit_detail.is_object()) {
    return Error::InvalidArgument("erasure: field 'detail' must be a JSON object");
  }
  const std::string where = "record " + std::string(kind) + " '" + std::string(id) + "'";
  std::int64_t rewritten = 0;
  const Status status = DoInTransaction([&]() -> Status {
    auto history = DoRecordHistory(kind, id);
    if (!history.ok()) return history.error();
    if (history->empty()) return Error::NotFound("no " + where);
    for (const Record& version : *history) {
      auto body = rewrite(version);
      if (!body.ok()) return body.error();
      if (!body->has_value()) continue;
      const std::string at = where + " version " + std::to_string(version.version);
      if (version.deleted) return Error::InvalidArgument(at + " is a deletion marker; it has no body to rewrite");
      const auto parsed = nlohmann::json::parse(**body, nullptr, false);
      if (parsed.is_discarded() || !parsed.is_object()) {
        return Error::InvalidArgument(at + ": field 'body' must be a JSON object");
      }
      if (**body == version.body) continue;
      DV_TRY(DoOverwriteRecordBody(kind, id, version.version, **body));
      ++rewritten;
    }
    if (rewritten == 0) return Ok();
    audit_detail["org"] = history->front().org_code;
    audit_detail["versions"] = rewritten;
    return DoAudit(actor, "record." + std::string(kind) + ".erase", id, audit_detail.dump());
  });
  if (!status.ok()) return status.error();
  if (rewritten > 0) {
    Publish({Change::Kind::kRecordChanged, std::string(kind)});
    DV_TRY(DoAfterErasure());
  }
  return rewritten;
}

Status Store::Audit(std::string_view actor, std::string_view action, std::string_view object, std::string_view detail) {
  return DoAudit(actor, action, object, detail);
}

Status Store::InTransaction(const std::function<Status()>& body) { return DoInTransaction(body); }

std::uint64_t Store::Watch(ChangeListener listener) {
  bool start = false;
  std::uint64_t id = 0;
  {
    std::lock_guard lock(watch_mutex_);
    id = ++next_watch_;
    listeners_.emplace(id, std::move(listener));
    start = !watching_;
    watching_ = true;
  }
  if (start) DoStartWatching();
  return id;
}

void Store::Unwatch(std::uint64_t id) {
  std::lock_guard lock(watch_mutex_);
  listeners_.erase(id);
}

void Store::AnnounceLocally(const Change& change) {
  std::lock_guard lock(watch_mutex_);
  for (const auto& [id, listener] : listeners_) listener(change);
}

void Store::Publish(const Change& change) {
  AnnounceLocally(change);
  DoPublishChange(change);
}

}  // namespace dv
