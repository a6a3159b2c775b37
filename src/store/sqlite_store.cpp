// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "store/backend_support.h"

namespace dv {
namespace {

// Each entry is one schema version; never edit an applied entry, append a new one.
constexpr std::array<std::string_view, 6> kMigrations = {
    R"sql(
CREATE TABLE organisation (
  code          TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,
  region_code   TEXT,
  population    INTEGER,
  description   TEXT NOT NULL DEFAULT '',
  operator_code TEXT,
  stix_id       TEXT NOT NULL UNIQUE,
  search_key    TEXT NOT NULL,
  created       TEXT NOT NULL,
  modified      TEXT NOT NULL
);
CREATE INDEX organisation_by_kind ON organisation(kind, code);
CREATE INDEX organisation_by_region ON organisation(region_code, code);
CREATE TABLE dependency (
  from_code    TEXT NOT NULL REFERENCES organisation(code) ON DELETE CASCADE,
  to_code      TEXT NOT NULL REFERENCES organisation(code) ON DELETE CASCADE,
  relation     TEXT NOT NULL,
  strength     REAL NOT NULL CHECK (strength > 0 AND strength <= 1),
  illustrative INTEGER NOT NULL CHECK (illustrative IN (0, 1)),
  note         TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (from_code, to_code, relation)
);
CREATE INDEX dependency_by_target ON dependency(to_code);
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  at     TEXT NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL
);
)sql",
    R"sql(
CREATE TABLE member (
  id       TEXT PRIMARY KEY,
  org_code TEXT NOT NULL REFERENCES organisation(code),
  name     TEXT NOT NULL,
  role     TEXT NOT NULL CHECK (role IN ('member', 'sensor', 'coordinator', 'admin')),
  created  TEXT NOT NULL
);
CREATE TABLE api_token (
  token_hash TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  label      TEXT NOT NULL,
  created    TEXT NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE collection (
  id             TEXT PRIMARY KEY,
  title          TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  audience       TEXT NOT NULL,
  audience_value TEXT NOT NULL DEFAULT '',
  group_orgs     TEXT NOT NULL DEFAULT '',
  default_tlp    INTEGER NOT NULL
);
CREATE TABLE stix_object (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  collection_id TEXT NOT NULL REFERENCES collection(id),
  id            TEXT NOT NULL,
  type          TEXT NOT NULL,
  spec_version  TEXT NOT NULL,
  version       TEXT NOT NULL,
  added_us      INTEGER NOT NULL,
  tlp           INTEGER,
  producer_org  TEXT NOT NULL,
  recipients    TEXT NOT NULL DEFAULT '',
  json          TEXT NOT NULL,
  UNIQUE (collection_id, id, version)
);
CREATE INDEX stix_object_by_added ON stix_object(collection_id, added_us);
CREATE TABLE taxii_status (
  id                TEXT PRIMARY KEY,
  member_id         TEXT NOT NULL,
  status            TEXT NOT NULL,
  request_timestamp TEXT NOT NULL,
  total             INTEGER NOT NULL,
  success           INTEGER NOT NULL,
  failure           INTEGER NOT NULL,
  pending           INTEGER NOT NULL,
  details           TEXT NOT NULL
);
)sql",
    // Paging walks a collection in change-feed order from a cursor.
    R"sql(
CREATE INDEX stix_object_by_seq ON stix_object(collection_id, seq);
)sql",
    // Member records (store/record.h): every version kept.
    R"sql(
CREATE TABLE member_record (
  kind      TEXT NOT NULL,
  id        TEXT NOT NULL,
  version   INTEGER NOT NULL,
  org_code  TEXT NOT NULL REFERENCES organisation(code),
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  body      TEXT NOT NULL,
  deleted   INTEGER NOT NULL,
  PRIMARY KEY (kind, id, version)
);
CREATE INDEX member_record_by_org ON member_record(kind, org_code);
)sql",
    // Token and member lifecycle: a short public token id (the hash's first
    // 12 hex digits), expiry, revocation time, last use; disabled and removed
    // members. `revoked` stays for readers of version 4 and follows revoked_at.
    R"sql(
ALTER TABLE api_token ADD COLUMN id TEXT NOT NULL DEFAULT '';
UPDATE api_token SET id = substr(token_hash, 1, 12);
CREATE UNIQUE INDEX api_token_by_id ON api_token(id);
CREATE INDEX api_token_by_member ON api_token(member_id, created);
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
ALTER TABLE api_token ADD COLUMN revoked_at TEXT;
ALTER TABLE api_token ADD COLUMN last_used TEXT;
UPDATE api_token SET revoked_at = created WHERE revoked <> 0;
ALTER TABLE member ADD COLUMN disabled_at TEXT;
ALTER TABLE member ADD COLUMN removed_at TEXT;
)sql",
    // Ownership and evidence: who posted each version (the actor), and the
    // first version of an id across collections (Store::ObjectOwner).
    R"sql(
ALTER TABLE stix_object ADD COLUMN posted_by TEXT NOT NULL DEFAULT '';
CREATE INDEX stix_object_by_id ON stix_object(id, seq);
)sql",
};

// A prepared statement that finalises itself. Column and bind indexes follow
// SQLite: binds from 1, columns from 0.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Status Prepared() const {
    if (rc_ != SQLITE_OK) return Error::Io(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    return Ok();
  }
  void Bind(int idx, std::string_view text) {
    sqlite3_bind_text(stmt_, idx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void Bind(int idx, std::int64_t value) { sqlite3_bind_int64(stmt_, idx, value); }
  void Bind(int idx, double value) { sqlite3_bind_double(stmt_, idx, value); }
  void BindNull(int idx) { sqlite3_bind_null(stmt_, idx); }
  template <typename T>
  void BindOptional(int idx, const std::optional<T>& value) {
    if (value) {
      Bind(idx, *value);
    } else {
      BindNull(idx);
    }
  }
  // True while a row is available; an error ends the loop and sets Status().
  bool Step() {
    rc_ = sqlite3_step(stmt_);
    return rc_ == SQLITE_ROW;
  }
  Status Done() const {
    if (rc_ != SQLITE_DONE && rc_ != SQLITE_ROW) return Error::Io(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return Ok();
  }
  std::string Text(int col) const {
    const auto* text = sqlite3_column_text(stmt_, col);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                : std::string();
  }
  std::optional<std::string> OptionalText(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Text(col);
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<std::int64_t> OptionalInt(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Int(col);
  }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  sqlite3_stmt* raw() { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

constexpr std::string_view kOrgColumns = "code, name, kind, region_code, population, description, operator_code";

Result<Organisation> ReadOrganisation(const Statement& stmt) {
  Organisation org;
  org.code = stmt.Text(0);
  org.name = stmt.Text(1);
  auto kind = ParseOrgKind(stmt.Text(2));
  if (!kind.ok()) return kind.error().WithContext("stored organisation '" + org.code + "'");
  org.kind = *kind;
  org.region_code = stmt.OptionalText(3);
  org.population = stmt.OptionalInt(4);
  org.description = stmt.Text(5);
  org.operator_code = stmt.OptionalText(6);
  return org;
}

Member ReadMember(const Statement& stmt, int first) {
  Member member;
  member.id = stmt.Text(first);
  member.org_code = stmt.Text(first + 1);
  member.name = stmt.Text(first + 2);
  member.role = ParseMemberRole(stmt.Text(first + 3)).value_or(MemberRole::kMember);
  return member;
}

std::optional<Timestamp> OptionalTime(const Statement& stmt, int col) {
  auto text = stmt.OptionalText(col);
  if (!text) return std::nullopt;
  auto parsed = Timestamp::Parse(*text);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

// Columns of a token joined with its member as `m`.
constexpr std::string_view kTokenColumns =
    "t.id, t.member_id, t.label, t.created, t.expires_at, t.revoked_at, t.last_used, m.disabled_at IS NOT NULL";

TokenInfo ReadToken(const Statement& stmt, int first) {
  TokenInfo token;
  token.id = stmt.Text(first);
  token.member_id = stmt.Text(first + 1);
  token.label = stmt.Text(first + 2);
  token.created_at = OptionalTime(stmt, first + 3).value_or(Timestamp());
  token.expires_at = OptionalTime(stmt, first + 4);
  token.revoked_at = OptionalTime(stmt, first + 5);
  token.last_used = OptionalTime(stmt, first + 6);
  token.member_disabled = stmt.Int(first + 7) != 0;
  return token;
}

constexpr std::string_view kObjectColumns =
    "seq, collection_id, id, type, spec_version, version, added_us, tlp, producer_org, recipients, json, posted_by";

StoredObject ReadObject(const Statement& stmt) {
  StoredObject object;
  object.seq = stmt.Int(0);
  object.collection_id = stmt.Text(1);
  object.id = stmt.Text(2);
  object.type = stmt.Text(3);
  object.spec_version = stmt.Text(4);
  object.version = stmt.Text(5);
  object.added_us = stmt.Int(6);
  if (auto tlp = stmt.OptionalInt(7)) object.tlp = static_cast<Tlp>(*tlp);
  object.producer_org = stmt.Text(8);
  object.recipients = SplitList(stmt.Text(9));
  object.json = stmt.Text(10);
  object.posted_by = stmt.Text(11);
  return object;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(std::string_view path) {
  if (path.empty()) return Error::InvalidArgument("sqlite: empty database path");
  sqlite3* db = nullptr;
  const std::string path_str(path);
  const int rc = sqlite3_open_v2(path_str.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database '" + path_str + "': " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return Error::Io(std::move(message));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db));
  sqlite3_busy_timeout(db, 5000);
  // secure_delete: content a write replaces or deletes is overwritten with
  // zeros, so an erased person's data does not survive in a page's free space
  // or on the free list (Store::EraseFromRecordHistory).
  // cache_size: 64 MiB of pages (the default is 2 MiB), taken only as pages
  // are read. The indexes on object ids (random UUIDs) are read at random by
  // every POST; with the default nearly every read went to the kernel.
  for (std::string_view pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL",
                                  "PRAGMA secure_delete=ON", "PRAGMA cache_size=-65536"}) {
    if (auto status = store->Exec(pragma); !status.ok()) return status.error().WithContext(path_str);
  }
  if (auto status = store->Migrate(); !status.ok()) return status.error().WithContext(path_str);
  {
    Statement last(db, "SELECT COALESCE(MAX(added_us), 0) FROM stix_object");
    if (last.Prepared().ok() && last.Step()) store->last_added_us_ = last.Int(0);
  }
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

Status SqliteStore::Exec(std::string_view sql) {
  char* message = nullptr;
  const std::string sql_str(sql);
  if (sqlite3_exec(db_, sql_str.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return Error::Io("sqlite: " + text);
  }
  return Ok();
}

Status SqliteStore::Migrate() {
  std::lock_guard lock(mutex_);
  DV_TRY(Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
  const int current = SchemaVersion();
  if (current > static_cast<int>(kMigrations.size())) {
    return Error::Unsupported("database schema version " + std::to_string(current) +
                              " is newer than this program knows (" + std::to_string(kMigrations.size()) + ")");
  }
  for (int version = current + 1; version <= static_cast<int>(kMigrations.size()); ++version) {
    DV_TRY(Exec("BEGIN IMMEDIATE"));
    Status applied = Exec(kMigrations[static_cast<std::size_t>(version - 1)]);
    if (applied.ok()) {
      Statement record(db_, "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)");
      record.Bind(1, std::int64_t{version});
      record.Bind(2, Timestamp::Now().ToRfc3339());
      record.Step();
      applied = record.Done();
    }
    if (!applied.ok()) {
      (void)Exec("ROLLBACK");
      return applied.error().WithContext("schema migration " + std::to_string(version));
    }
    DV_TRY(Exec("COMMIT"));
  }
  return Ok();
}

int SqliteStore::SchemaVersion() {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!stmt.Prepared().ok() || !stmt.Step()) return 0;
  return static_cast<int>(stmt.Int(0));
}

Status SqliteStore::AppendAudit(std::string_view actor, std::string_view action, std::string_view object,
                                const std::string& detail) {
  Statement stmt(db_, "INSERT INTO audit_log(at, actor, action, object, detail) VALUES (?, ?, ?, ?, ?)");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, Timestamp::Now().ToRfc3339());
  stmt.Bind(2, actor);
  stmt.Bind(3, action);
  stmt.Bind(4, object);
  stmt.Bind(5, detail);
  stmt.Step();
  return stmt.Done();
}

Result<bool> SqliteStore::DoUpsertOrganisation(const Organisation& org, std::string_view actor) {
  std::lock_guard lock(mutex_);
  bool changed = false;
  const Status status = DoInTransaction([&]() -> Status {
    auto existing = DoGetOrganisation(org.code);
    if (!existing.ok()) return existing.error();
    if (existing->has_value() && **existing == org) return Ok();
    const std::string now = Timestamp::Now().ToRfc3339();
    Statement stmt(db_,
                   "INSERT INTO organisation(code, name, kind, region_code, population, description, operator_code, "
                   "stix_id, search_key, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                   "region_code = excluded.region_code, population = excluded.population, "
                   "description = excluded.description, operator_code = excluded.operator_code, "
                   "search_key = excluded.search_key, modified = excluded.modified");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, org.code);
    stmt.Bind(2, org.name);
    stmt.Bind(3, OrgKindName(org.kind));
    stmt.BindOptional(4, org.region_code);
    stmt.BindOptional(5, org.population);
    stmt.Bind(6, org.description);
    stmt.BindOptional(7, org.operator_code);
    stmt.Bind(8, org.StixId());
    stmt.Bind(9, FoldForSearch(org.code + " " + org.name));
    stmt.Bind(10, now);
    stmt.Bind(11, now);
    stmt.Step();
    DV_TRY(stmt.Done());
    changed = true;
    nlohmann::json detail = {{"after", OrganisationAuditJson(org)}};
    if (existing->has_value()) detail["before"] = OrganisationAuditJson(**existing);
    return AppendAudit(actor, existing->has_value() ? "organisation.update" : "organisation.create", org.code,
                       detail.dump());
  });
  if (!status.ok()) return status.error();
  return changed;
}

Result<std::optional<Organisation>> SqliteStore::DoGetOrganisation(std::string_view code) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT " + std::string(kOrgColumns) + " FROM organisation WHERE code = ?");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, code);
  if (!stmt.Step()) {
    DV_TRY(stmt.Done());
    return std::optional<Organisation>();
  }
  auto org = ReadOrganisation(stmt);
  if (!org.ok()) return org.error();
  return std::optional<Organisation>(std::move(*org));
}

Result<OrganisationPage> SqliteStore::DoListOrganisations(const OrganisationQuery& query) {
  std::lock_guard lock(mutex_);
  std::string where = " WHERE 1 = 1";
  if (query.kind) where += " AND kind = ?";
  if (query.region_code) where += " AND region_code = ?";
  if (!query.text.empty()) where += " AND instr(search_key, ?) > 0";
  auto bind = [&](Statement& stmt) {
    int idx = 1;
    if (query.kind) stmt.Bind(idx++, OrgKindName(*query.kind));
    if (query.region_code) stmt.Bind(idx++, *query.region_code);
    if (!query.text.empty()) stmt.Bind(idx++, FoldForSearch(query.text));
    return idx;
  };
  OrganisationPage page;
  {
    Statement count(db_, "SELECT COUNT(*) FROM organisation" + where);
    DV_TRY(count.Prepared());
    bind(count);
    if (count.Step()) page.total = count.Int(0);
    DV_TRY(count.Done());
  }
  Statement stmt(
      db_, "SELECT " + std::string(kOrgColumns) + " FROM organisation" + where + " ORDER BY code LIMIT ? OFFSET ?");
  DV_TRY(stmt.Prepared());
  const int next = bind(stmt);
  stmt.Bind(next, std::int64_t{query.limit});
  stmt.Bind(next + 1, std::int64_t{query.offset});
  while (stmt.Step()) {
    auto org = ReadOrganisation(stmt);
    if (!org.ok()) return org.error();
    page.items.push_back(std::move(*org));
  }
  DV_TRY(stmt.Done());
  return page;
}

Result<bool> SqliteStore::DoUpsertDependency(const Dependency& dep, std::string_view actor) {
  std::lock_guard lock(mutex_);
  bool changed = false;
  const Status status = DoInTransaction([&]() -> Status {
    Statement existing(db_,
                       "SELECT strength, illustrative, note FROM dependency WHERE from_code = ? AND to_code = ? AND "
                       "relation = ?");
    DV_TRY(existing.Prepared());
    existing.Bind(1, dep.from);
    existing.Bind(2, dep.to);
    existing.Bind(3, RelationName(dep.relation));
    const bool exists = existing.Step();
    DV_TRY(existing.Done());
    if (exists && existing.Real(0) == dep.strength && (existing.Int(1) != 0) == dep.illustrative &&
        existing.Text(2) == dep.note) {
      return Ok();
    }
    Statement stmt(db_,
                   "INSERT INTO dependency(from_code, to_code, relation, strength, illustrative, note) "
                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(from_code, to_code, relation) DO UPDATE SET "
                   "strength = excluded.strength, illustrative = excluded.illustrative, note = excluded.note");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, dep.from);
    stmt.Bind(2, dep.to);
    stmt.Bind(3, RelationName(dep.relation));
    stmt.Bind(4, dep.strength);
    stmt.Bind(5, std::int64_t{dep.illustrative ? 1 : 0});
    stmt.Bind(6, dep.note);
    stmt.Step();
    DV_TRY(stmt.Done());
    changed = true;
    const nlohmann::json detail = {{"from", dep.from},
                                   {"to", dep.to},
                                   {"relation", RelationName(dep.relation)},
                                   {"strength", dep.strength},
                                   {"illustrative", dep.illustrative},
                                   {"note", dep.note}};
    return AppendAudit(actor, exists ? "dependency.update" : "dependency.create",
                       dep.from + "->" + dep.to + ":" + std::string(RelationName(dep.relation)), detail.dump());
  });
  if (!status.ok()) return status.error();
  return changed;
}

namespace {

// Columns 0–5 of a row: from_code, to_code, relation, strength, illustrative, note.
Result<Dependency> ReadDependency(Statement& stmt) {
  Dependency edge;
  edge.from = stmt.Text(0);
  edge.to = stmt.Text(1);
  auto relation = ParseRelation(stmt.Text(2));
  if (!relation.ok()) return relation.error().WithContext("stored dependency " + edge.from + " -> " + edge.to);
  edge.relation = *relation;
  edge.strength = stmt.Real(3);
  edge.illustrative = stmt.Int(4) != 0;
  edge.note = stmt.Text(5);
  return edge;
}

}  // namespace

Result<std::vector<Dependency>> SqliteStore::DoListAllDependencies() {
  std::lock_guard lock(mutex_);
  Statement stmt(db_,
                 "SELECT from_code, to_code, relation, strength, illustrative, note FROM dependency "
                 "ORDER BY from_code, relation, to_code");
  DV_TRY(stmt.Prepared());
  std::vector<Dependency> edges;
  while (stmt.Step()) {
    auto edge = ReadDependency(stmt);
    if (!edge.ok()) return edge.error();
    edges.push_back(std::move(edge).value());
  }
  DV_TRY(stmt.Done());
  return edges;
}

Result<std::vector<DependencyView>> SqliteStore::DoListDependencies(std::string_view code, EdgeDirection direction) {
  std::lock_guard lock(mutex_);
  const bool outgoing = direction == EdgeDirection::kDependencies;
  const std::string other = outgoing ? "d.to_code" : "d.from_code";
  const std::string self = outgoing ? "d.from_code" : "d.to_code";
  Statement stmt(db_,
                 "SELECT d.from_code, d.to_code, d.relation, d.strength, d.illustrative, d.note, o.name, o.kind "
                 "FROM dependency d JOIN organisation o ON o.code = " +
                     other + " WHERE " + self + " = ? ORDER BY d.relation, " + other);
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, code);
  std::vector<DependencyView> views;
  while (stmt.Step()) {
    auto edge = ReadDependency(stmt);
    if (!edge.ok()) return edge.error();
    DependencyView view;
    view.edge = std::move(edge).value();
    view.other_code = outgoing ? view.edge.to : view.edge.from;
    view.other_name = stmt.Text(6);
    auto kind = ParseOrgKind(stmt.Text(7));
    if (!kind.ok()) return kind.error().WithContext("stored organisation '" + view.other_code + "'");
    view.other_kind = *kind;
    views.push_back(std::move(view));
  }
  DV_TRY(stmt.Done());
  return views;
}

Result<std::int64_t> SqliteStore::DoCountDependencies() {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT COUNT(*) FROM dependency");
  DV_TRY(stmt.Prepared());
  if (!stmt.Step()) {
    DV_TRY(stmt.Done());
    return std::int64_t{0};
  }
  return stmt.Int(0);
}

namespace {

Record ReadRecord(const Statement& stmt) {
  Record record;
  record.kind = stmt.Text(0);
  record.id = stmt.Text(1);
  record.version = stmt.Int(2);
  record.org_code = stmt.Text(3);
  if (auto at = Timestamp::Parse(stmt.Text(4)); at.ok()) record.at = *at;
  record.actor = stmt.Text(5);
  record.body = stmt.Text(6);
  record.deleted = stmt.Int(7) != 0;
  return record;
}

constexpr const char* kRecordColumns = "kind, id, version, org_code, at, actor, body, deleted";

}  // namespace

Result<Record> SqliteStore::DoAppendRecord(const RecordWrite& write, bool deleted, std::string_view actor) {
  std::lock_guard lock(mutex_);
  Record stored;
  const Status written = DoInTransaction([&]() -> Status {
    auto history = DoRecordHistory(write.kind, write.id);
    if (!history.ok()) return history.error();
    const std::int64_t current = history->empty() ? 0 : history->back().version;
    const std::string where = "record " + write.kind + " '" + write.id + "'";
    if (write.expected_version && *write.expected_version != current) {
      return Error::Conflict(where + " is at version " + std::to_string(current) + ", not " +
                             std::to_string(*write.expected_version) + " (someone else changed it; reload)");
    }
    if (!history->empty() && history->back().org_code != write.org_code) {
      return Error::InvalidArgument(where + " belongs to '" + history->back().org_code + "', not '" + write.org_code +
                                    "'");
    }
    stored = Record{write.kind,
                    write.id,
                    write.org_code,
                    current + 1,
                    Timestamp::Now(),
                    std::string(actor),
                    deleted ? std::string() : write.body,
                    deleted};
    Statement stmt(db_,
                   std::string("INSERT INTO member_record(") + kRecordColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, stored.kind);
    stmt.Bind(2, stored.id);
    stmt.Bind(3, stored.version);
    stmt.Bind(4, stored.org_code);
    stmt.Bind(5, stored.at.ToRfc3339());
    stmt.Bind(6, stored.actor);
    stmt.Bind(7, stored.body);
    stmt.Bind(8, std::int64_t{deleted ? 1 : 0});
    stmt.Step();
    DV_TRY(stmt.Done());
    const nlohmann::json detail = {{"org", stored.org_code}, {"version", stored.version}};
    return AppendAudit(actor, "record." + write.kind + (deleted ? ".delete" : ".put"), write.id, detail.dump());
  });
  if (!written.ok()) return written.error();
  return stored;
}

Result<std::vector<Record>> SqliteStore::DoListRecords(const RecordQuery& query) {
  std::lock_guard lock(mutex_);
  std::string sql = std::string("SELECT ") + kRecordColumns +
                    " FROM member_record r WHERE kind = ?1 AND (?2 IS NULL OR org_code = ?2) AND version = "
                    "(SELECT MAX(version) FROM member_record WHERE kind = r.kind AND id = r.id)";
  if (!query.include_deleted) sql += " AND deleted = 0";
  sql += " ORDER BY id";
  Statement stmt(db_, sql);
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, query.kind);
  stmt.BindOptional(2, query.org_code);
  std::vector<Record> records;
  while (stmt.Step()) records.push_back(ReadRecord(stmt));
  DV_TRY(stmt.Done());
  return records;
}

Result<std::vector<Record>> SqliteStore::DoRecordHistory(std::string_view kind, std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement stmt(
      db_, std::string("SELECT ") + kRecordColumns + " FROM member_record WHERE kind = ? AND id = ? ORDER BY version");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, kind);
  stmt.Bind(2, id);
  std::vector<Record> records;
  while (stmt.Step()) records.push_back(ReadRecord(stmt));
  DV_TRY(stmt.Done());
  return records;
}

Status SqliteStore::DoOverwriteRecordBody(std::string_view kind, std::string_view id, std::int64_t version,
                                          std::string_view body) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "UPDATE member_record SET body = ? WHERE kind = ? AND id = ? AND version = ?");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, body);
  stmt.Bind(2, kind);
  stmt.Bind(3, id);
  stmt.Bind(4, version);
  stmt.Step();
  DV_TRY(stmt.Done());
  if (sqlite3_changes(db_) != 1) {
    return Error::NotFound("no record " + std::string(kind) + " '" + std::string(id) + "' version " +
                           std::to_string(version));
  }
  return Ok();
}

Status SqliteStore::DoAfterErasure() {
  std::lock_guard lock(mutex_);
  // Inside an outer transaction the log cannot be checkpointed yet; the
  // next erasure outside one (or SQLite's own checkpoints) will do it.
  if (transaction_depth_ > 0) return Ok();
  // The write-ahead log still holds the pages as they were before the
  // erasure: copy the new pages into the database and empty the log.
  return Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Result<std::vector<AuditEntry>> SqliteStore::DoListAudit(int limit) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT id, at, actor, action, object, detail FROM audit_log ORDER BY id DESC LIMIT ?");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, std::int64_t{limit});
  std::vector<AuditEntry> entries;
  while (stmt.Step()) {
    AuditEntry entry;
    entry.id = stmt.Int(0);
    auto at = Timestamp::Parse(stmt.Text(1));
    if (!at.ok()) return at.error().WithContext("audit entry " + std::to_string(entry.id));
    entry.at = *at;
    entry.actor = stmt.Text(2);
    entry.action = stmt.Text(3);
    entry.object = stmt.Text(4);
    entry.detail = stmt.Text(5);
    entries.push_back(std::move(entry));
  }
  DV_TRY(stmt.Done());
  return entries;
}

Status SqliteStore::DoInTransaction(const std::function<Status()>& body) {
  std::lock_guard lock(mutex_);
  const std::string savepoint = "dv_tx_" + std::to_string(transaction_depth_);
  DV_TRY(Exec(transaction_depth_ == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT " + savepoint));
  ++transaction_depth_;
  const Status status = body();
  --transaction_depth_;
  if (!status.ok()) {
    if (transaction_depth_ == 0) {
      (void)Exec("ROLLBACK");
    } else {
      (void)Exec("ROLLBACK TO " + savepoint);
      (void)Exec("RELEASE " + savepoint);
    }
    return status;
  }
  return Exec(transaction_depth_ == 0 ? "COMMIT" : "RELEASE " + savepoint);
}

}  // namespace dv

namespace dv {

Status SqliteStore::DoAudit(std::string_view actor, std::string_view action, std::string_view object,
                            std::string_view detail) {
  std::lock_guard lock(mutex_);
  return AppendAudit(actor, action, object, std::string(detail));
}

Status SqliteStore::DoUpsertMember(const Member& member, std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto existing = DoGetMember(member.id);
    if (!existing.ok()) return existing.error();
    if (existing->has_value() && **existing == member) return Ok();
    // A removed member is re-created: enabled again (its tokens stay revoked).
    Statement stmt(db_,
                   "INSERT INTO member(id, org_code, name, role, created) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO "
                   "UPDATE SET org_code = excluded.org_code, name = excluded.name, role = excluded.role, "
                   "disabled_at = CASE WHEN member.removed_at IS NULL THEN member.disabled_at END, "
                   "removed_at = NULL");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, member.id);
    stmt.Bind(2, member.org_code);
    stmt.Bind(3, member.name);
    stmt.Bind(4, MemberRoleName(member.role));
    stmt.Bind(5, Timestamp::Now().ToRfc3339());
    stmt.Step();
    DV_TRY(stmt.Done());
    const nlohmann::json detail = {
        {"org", member.org_code}, {"name", member.name}, {"role", MemberRoleName(member.role)}};
    return AppendAudit(actor, existing->has_value() ? "member.update" : "member.create", member.id, detail.dump());
  });
}

Result<std::optional<Member>> SqliteStore::DoGetMember(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT id, org_code, name, role FROM member WHERE id = ? AND removed_at IS NULL");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, id);
  if (!stmt.Step()) {
    DV_TRY(stmt.Done());
    return std::optional<Member>();
  }
  return std::optional<Member>(ReadMember(stmt, 0));
}

Result<std::optional<MemberState>> SqliteStore::DoGetMemberState(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT id, org_code, name, role, disabled_at FROM member WHERE id = ? AND removed_at IS NULL");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, id);
  if (!stmt.Step()) {
    DV_TRY(stmt.Done());
    return std::optional<MemberState>();
  }
  return std::optional<MemberState>(MemberState{ReadMember(stmt, 0), OptionalTime(stmt, 4)});
}

Result<std::vector<Member>> SqliteStore::DoListMembers() {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT id, org_code, name, role FROM member WHERE removed_at IS NULL ORDER BY id");
  DV_TRY(stmt.Prepared());
  std::vector<Member> members;
  while (stmt.Step()) members.push_back(ReadMember(stmt, 0));
  DV_TRY(stmt.Done());
  return members;
}

Status SqliteStore::DoSetMemberDisabled(std::string_view id, std::optional<Timestamp> disabled_at,
                                        std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    Statement stmt(db_, "UPDATE member SET disabled_at = ? WHERE id = ? AND removed_at IS NULL");
    DV_TRY(stmt.Prepared());
    if (disabled_at) {
      stmt.Bind(1, disabled_at->ToRfc3339());
    } else {
      stmt.BindNull(1);
    }
    stmt.Bind(2, id);
    stmt.Step();
    DV_TRY(stmt.Done());
    if (sqlite3_changes(db_) == 0) return Error::NotFound("no member '" + std::string(id) + "'");
    return AppendAudit(actor, disabled_at ? "member.disable" : "member.enable", id, "{}");
  });
}

Status SqliteStore::DoRemoveMember(std::string_view id, Timestamp at, std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    Statement stmt(db_, "UPDATE member SET removed_at = ? WHERE id = ? AND removed_at IS NULL");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, at.ToRfc3339());
    stmt.Bind(2, id);
    stmt.Step();
    DV_TRY(stmt.Done());
    if (sqlite3_changes(db_) == 0) return Error::NotFound("no member '" + std::string(id) + "'");
    return AppendAudit(actor, "member.remove", id, "{}");
  });
}

Status SqliteStore::DoAddToken(const TokenGrant& grant, std::string_view token_id, Timestamp created_at,
                               std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    Statement stmt(db_,
                   "INSERT INTO api_token(token_hash, id, member_id, label, created, expires_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, grant.token_hash);
    stmt.Bind(2, token_id);
    stmt.Bind(3, grant.member_id);
    stmt.Bind(4, grant.label);
    stmt.Bind(5, created_at.ToRfc3339());
    if (grant.expires_at) {
      stmt.Bind(6, grant.expires_at->ToRfc3339());
    } else {
      stmt.BindNull(6);
    }
    stmt.Step();
    if (!stmt.Done().ok()) return Error::Conflict("token could not be stored (already exists?)");
    // The audit names the token by its id (a hash prefix), never the whole hash.
    nlohmann::json detail = {{"id", token_id}, {"label", grant.label}};
    detail["expires_at"] = grant.expires_at ? nlohmann::json(grant.expires_at->ToRfc3339()) : nlohmann::json();
    return AppendAudit(actor, "token.create", grant.member_id, detail.dump());
  });
}

Result<std::optional<Store::TokenOwner>> SqliteStore::DoFindToken(std::string_view token_hash) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT m.id, m.org_code, m.name, m.role, " + std::string(kTokenColumns) +
                          " FROM api_token t JOIN member m ON m.id = t.member_id "
                          "WHERE t.token_hash = ? AND m.removed_at IS NULL");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, token_hash);
  if (!stmt.Step()) {
    DV_TRY(stmt.Done());
    return std::optional<TokenOwner>();
  }
  return std::optional<TokenOwner>(TokenOwner{ReadMember(stmt, 0), ReadToken(stmt, 4)});
}

Result<std::optional<TokenInfo>> SqliteStore::DoGetToken(std::string_view token_id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT " + std::string(kTokenColumns) +
                          " FROM api_token t JOIN member m ON m.id = t.member_id WHERE t.id = ?");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, token_id);
  if (!stmt.Step()) {
    DV_TRY(stmt.Done());
    return std::optional<TokenInfo>();
  }
  return std::optional<TokenInfo>(ReadToken(stmt, 0));
}

Result<std::vector<TokenInfo>> SqliteStore::DoListTokens(std::string_view member_id) {
  std::lock_guard lock(mutex_);
  std::string sql = "SELECT " + std::string(kTokenColumns) + " FROM api_token t JOIN member m ON m.id = t.member_id";
  if (!member_id.empty()) sql += " WHERE t.member_id = ?";
  sql += " ORDER BY t.created, t.id";
  Statement stmt(db_, sql);
  DV_TRY(stmt.Prepared());
  if (!member_id.empty()) stmt.Bind(1, member_id);
  std::vector<TokenInfo> tokens;
  while (stmt.Step()) tokens.push_back(ReadToken(stmt, 0));
  DV_TRY(stmt.Done());
  return tokens;
}

Status SqliteStore::DoRevokeToken(std::string_view token_id, Timestamp at, std::string_view reason,
                                  std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    Statement stmt(db_, "UPDATE api_token SET revoked_at = ?, revoked = 1 WHERE id = ? AND revoked_at IS NULL");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, at.ToRfc3339());
    stmt.Bind(2, token_id);
    stmt.Step();
    DV_TRY(stmt.Done());
    if (sqlite3_changes(db_) == 0) return Ok();
    Statement owner(db_, "SELECT member_id FROM api_token WHERE id = ?");
    DV_TRY(owner.Prepared());
    owner.Bind(1, token_id);
    const std::string member_id = owner.Step() ? owner.Text(0) : std::string();
    DV_TRY(owner.Done());
    const nlohmann::json detail = {{"id", token_id}, {"reason", reason}};
    return AppendAudit(actor, "token.revoke", member_id, detail.dump());
  });
}

Status SqliteStore::DoSetTokenExpiry(std::string_view token_id, Timestamp at, std::string_view action,
                                     std::string_view detail, std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto token = DoGetToken(token_id);
    if (!token.ok()) return token.error();
    if (!token->has_value()) return Error::NotFound("no token with id '" + std::string(token_id) + "'");
    Statement stmt(db_, "UPDATE api_token SET expires_at = ? WHERE id = ?");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, at.ToRfc3339());
    stmt.Bind(2, token_id);
    stmt.Step();
    DV_TRY(stmt.Done());
    return AppendAudit(actor, action, (*token)->member_id, std::string(detail));
  });
}

Status SqliteStore::DoTouchToken(std::string_view token_id, Timestamp at) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "UPDATE api_token SET last_used = ? WHERE id = ?");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, at.ToRfc3339());
  stmt.Bind(2, token_id);
  stmt.Step();
  return stmt.Done();
}

Status SqliteStore::DoUpsertCollection(const Collection& collection, std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto existing = DoListCollections();
    if (!existing.ok()) return existing.error();
    bool exists = false;
    for (const auto& stored : *existing) {
      if (stored.id != collection.id) continue;
      if (stored == collection) return Ok();
      exists = true;
    }
    Statement stmt(db_,
                   "INSERT INTO collection(id, title, description, audience, audience_value, group_orgs, default_tlp) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
                   "description = excluded.description, audience = excluded.audience, "
                   "audience_value = excluded.audience_value, group_orgs = excluded.group_orgs, "
                   "default_tlp = excluded.default_tlp");
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, collection.id);
    stmt.Bind(2, collection.title);
    stmt.Bind(3, collection.description);
    stmt.Bind(4, AudienceKindName(collection.audience));
    stmt.Bind(5, collection.audience_value);
    stmt.Bind(6, JoinList(collection.group_orgs));
    stmt.Bind(7, std::int64_t{static_cast<int>(collection.default_tlp)});
    stmt.Step();
    DV_TRY(stmt.Done());
    const nlohmann::json detail = {{"title", collection.title},
                                   {"audience", AudienceKindName(collection.audience)},
                                   {"audience_value", collection.audience_value},
                                   {"group_orgs", collection.group_orgs}};
    return AppendAudit(actor, exists ? "collection.update" : "collection.create", collection.id, detail.dump());
  });
}

Result<std::vector<Collection>> SqliteStore::DoListCollections() {
  std::lock_guard lock(mutex_);
  Statement stmt(db_,
                 "SELECT id, title, description, audience, audience_value, group_orgs, default_tlp FROM collection "
                 "ORDER BY title, id");
  DV_TRY(stmt.Prepared());
  std::vector<Collection> collections;
  while (stmt.Step()) {
    Collection collection;
    collection.id = stmt.Text(0);
    collection.title = stmt.Text(1);
    collection.description = stmt.Text(2);
    collection.audience = ParseAudienceKind(stmt.Text(3)).value_or(AudienceKind::kGroup);
    collection.audience_value = stmt.Text(4);
    collection.group_orgs = SplitList(stmt.Text(5));
    collection.default_tlp = static_cast<Tlp>(stmt.Int(6));
    collections.push_back(std::move(collection));
  }
  DV_TRY(stmt.Done());
  return collections;
}

Result<std::vector<AddOutcome>> SqliteStore::DoAddObjects(std::string_view collection_id,
                                                          const std::vector<NewObject>& objects,
                                                          std::string_view producer_org, std::string_view actor) {
  std::lock_guard lock(mutex_);
  std::vector<AddOutcome> outcomes;
  const Status status = DoInTransaction([&]() -> Status {
    Statement insert(db_,
                     "INSERT INTO stix_object(collection_id, id, type, spec_version, version, added_us, tlp, "
                     "producer_org, recipients, json, posted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT(collection_id, id, version) DO NOTHING");
    DV_TRY(insert.Prepared());
    std::int64_t added_count = 0;
    outcomes.reserve(objects.size());
    // One statement for the whole batch. The texts outlive each step, so
    // SQLite may read them in place (SQLITE_STATIC) instead of copying.
    sqlite3_stmt* raw = insert.raw();
    auto bind_static = [raw](int idx, std::string_view text) {
      sqlite3_bind_text(raw, idx, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    };
    bind_static(1, collection_id);
    bind_static(8, producer_org);
    bind_static(11, actor);
    std::string recipients;
    for (const auto& object : objects) {
      const std::int64_t now_us = Timestamp::Now().unix_ms() * 1000;
      const std::int64_t added_us = std::max(now_us, last_added_us_ + 1);
      sqlite3_reset(raw);
      bind_static(2, object.id);
      bind_static(3, object.type);
      bind_static(4, object.spec_version);
      bind_static(5, object.version);
      insert.Bind(6, added_us);
      if (object.tlp) {
        insert.Bind(7, std::int64_t{static_cast<int>(*object.tlp)});
      } else {
        insert.BindNull(7);
      }
      recipients = JoinList(object.recipients);
      bind_static(9, recipients);
      bind_static(10, object.json);
      insert.Step();
      DV_TRY(insert.Done());
      const bool added = sqlite3_changes(db_) > 0;
      if (added) {
        last_added_us_ = added_us;
        ++added_count;
      }
      outcomes.push_back({object.id, object.version, added});
    }
    const nlohmann::json detail = {{"collection", collection_id}, {"received", objects.size()}, {"added", added_count}};
    return AppendAudit(actor, "objects.add", std::string(collection_id), detail.dump());
  });
  if (!status.ok()) {
    // The transaction rolled back: forget the dates it handed out.
    Statement last(db_, "SELECT COALESCE(MAX(added_us), 0) FROM stix_object");
    if (last.Prepared().ok() && last.Step()) last_added_us_ = last.Int(0);
    return status.error();
  }
  return outcomes;
}

Result<ObjectPage> SqliteStore::DoQueryObjects(const ObjectQuery& query,
                                               const std::function<bool(const StoredObject&)>& visible) {
  std::lock_guard lock(mutex_);
  std::string sql = "SELECT " + std::string(kObjectColumns) + " FROM stix_object o WHERE " +
                    (query.all_collections ? "" : "collection_id = ? AND ") + "seq > ?";
  if (query.added_after_us) sql += " AND added_us > ?";
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    sql += std::string(" AND ") + column + " IN (";
    for (std::size_t value_idx = 0; value_idx < values.size(); ++value_idx) sql += value_idx ? ", ?" : "?";
    sql += ")";
  };
  in_list("id", query.ids);
  in_list("type", query.types);
  in_list("spec_version", query.spec_versions);
  switch (query.versions.mode) {
    case VersionFilter::Mode::kLast:
      sql +=
          " AND version = (SELECT MAX(version) FROM stix_object v WHERE v.collection_id = o.collection_id AND v.id = "
          "o.id)";
      break;
    case VersionFilter::Mode::kFirst:
      sql +=
          " AND version = (SELECT MIN(version) FROM stix_object v WHERE v.collection_id = o.collection_id AND v.id = "
          "o.id)";
      break;
    case VersionFilter::Mode::kAll:
      break;
    case VersionFilter::Mode::kGiven:
      in_list("version", query.versions.versions);
      break;
  }
  sql += " ORDER BY seq";
  Statement stmt(db_, sql);
  DV_TRY(stmt.Prepared());
  int idx = 1;
  if (!query.all_collections) stmt.Bind(idx++, query.collection_id);
  stmt.Bind(idx++, query.after_seq);
  if (query.added_after_us) stmt.Bind(idx++, *query.added_after_us);
  for (const auto* list : {&query.ids, &query.types, &query.spec_versions}) {
    for (const auto& value : *list) stmt.Bind(idx++, value);
  }
  if (query.versions.mode == VersionFilter::Mode::kGiven) {
    for (const auto& value : query.versions.versions) stmt.Bind(idx++, value);
  }
  ObjectPage page;
  while (stmt.Step()) {
    StoredObject object = ReadObject(stmt);
    if (visible && !visible(object)) continue;
    if (static_cast<int>(page.objects.size()) == query.limit) {
      page.more = true;
      break;
    }
    page.next_seq = object.seq;
    page.objects.push_back(std::move(object));
  }
  DV_TRY(stmt.Done());
  return page;
}

Result<std::optional<std::string>> SqliteStore::DoObjectOwner(std::string_view object_id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT producer_org FROM stix_object WHERE id = ? ORDER BY seq LIMIT 1");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, object_id);
  std::optional<std::string> owner;
  if (stmt.Step()) owner = stmt.Text(0);
  DV_TRY(stmt.Done());
  return owner;
}

Result<std::map<std::string, std::string>> SqliteStore::DoObjectOwners(const std::vector<std::string>& object_ids) {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> owners;
  constexpr std::size_t kChunk = 500;  // below SQLite's limit on bound parameters
  for (std::size_t begin = 0; begin < object_ids.size(); begin += kChunk) {
    const std::size_t end = std::min(object_ids.size(), begin + kChunk);
    std::string sql = "SELECT id, producer_org FROM stix_object WHERE id IN (";
    for (std::size_t id_idx = begin; id_idx < end; ++id_idx) sql += id_idx > begin ? ", ?" : "?";
    sql += ") ORDER BY id, seq";
    Statement stmt(db_, sql);
    DV_TRY(stmt.Prepared());
    int idx = 1;
    for (std::size_t id_idx = begin; id_idx < end; ++id_idx) stmt.Bind(idx++, object_ids[id_idx]);
    while (stmt.Step()) owners.try_emplace(stmt.Text(0), stmt.Text(1));  // the first row per id is its earliest
    DV_TRY(stmt.Done());
  }
  return owners;
}

Result<std::int64_t> SqliteStore::DoDeleteObject(std::string_view collection_id, std::string_view object_id,
                                                 const VersionFilter& versions, std::string_view actor) {
  std::lock_guard lock(mutex_);
  std::int64_t deleted = 0;
  const Status status = DoInTransaction([&]() -> Status {
    std::string sql = "DELETE FROM stix_object WHERE collection_id = ? AND id = ?";
    switch (versions.mode) {
      case VersionFilter::Mode::kAll:
        break;
      case VersionFilter::Mode::kLast:
        sql += " AND version = (SELECT MAX(version) FROM stix_object WHERE collection_id = ?1 AND id = ?2)";
        break;
      case VersionFilter::Mode::kFirst:
        sql += " AND version = (SELECT MIN(version) FROM stix_object WHERE collection_id = ?1 AND id = ?2)";
        break;
      case VersionFilter::Mode::kGiven:
        sql += " AND version IN (";
        for (std::size_t version_idx = 0; version_idx < versions.versions.size(); ++version_idx) {
          sql += version_idx ? ", ?" : "?";
        }
        sql += ")";
        break;
    }
    Statement stmt(db_, sql);
    DV_TRY(stmt.Prepared());
    stmt.Bind(1, collection_id);
    stmt.Bind(2, object_id);
    if (versions.mode == VersionFilter::Mode::kGiven) {
      int idx = 3;
      for (const auto& version : versions.versions) stmt.Bind(idx++, version);
    }
    stmt.Step();
    DV_TRY(stmt.Done());
    deleted = sqlite3_changes(db_);
    if (deleted == 0) return Ok();
    const nlohmann::json detail = {{"collection", collection_id}, {"versions_deleted", deleted}};
    return AppendAudit(actor, "object.delete", std::string(object_id), detail.dump());
  });
  if (!status.ok()) return status.error();
  return deleted;
}

Status SqliteStore::DoPutStatus(const TaxiiStatus& status) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_,
                 "INSERT OR REPLACE INTO taxii_status(id, member_id, status, request_timestamp, total, success, "
                 "failure, pending, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, status.id);
  stmt.Bind(2, status.member_id);
  stmt.Bind(3, status.status);
  stmt.Bind(4, status.request_timestamp.ToRfc3339());
  stmt.Bind(5, status.total);
  stmt.Bind(6, status.success);
  stmt.Bind(7, status.failure);
  stmt.Bind(8, status.pending);
  stmt.Bind(9, status.details_json);
  stmt.Step();
  return stmt.Done();
}

Result<std::optional<TaxiiStatus>> SqliteStore::DoGetStatus(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_,
                 "SELECT id, member_id, status, request_timestamp, total, success, failure, pending, details FROM "
                 "taxii_status WHERE id = ?");
  DV_TRY(stmt.Prepared());
  stmt.Bind(1, id);
  if (!stmt.Step()) {
    DV_TRY(stmt.Done());
    return std::optional<TaxiiStatus>();
  }
  TaxiiStatus status;
  status.id = stmt.Text(0);
  status.member_id = stmt.Text(1);
  status.status = stmt.Text(2);
  if (auto parsed = Timestamp::Parse(stmt.Text(3)); parsed.ok()) status.request_timestamp = *parsed;
  status.total = stmt.Int(4);
  status.success = stmt.Int(5);
  status.failure = stmt.Int(6);
  status.pending = stmt.Int(7);
  status.details_json = stmt.Text(8);
  return std::optional<TaxiiStatus>(std::move(status));
}

Status SqliteStore::ExportRawRows(const RawTable& table, const std::function<Status(RawRow&&)>& sink) {
  std::lock_guard lock(mutex_);
  Statement stmt(
      db_, "SELECT " + RawColumnList(table) + " FROM " + std::string(table.name) + " ORDER BY " + RawKeyList(table));
  DV_TRY(stmt.Prepared());
  const int columns = static_cast<int>(table.columns.size());
  while (stmt.Step()) {
    RawRow row;
    row.reserve(table.columns.size());
    for (int col = 0; col < columns; ++col) {
      if (sqlite3_column_type(stmt.raw(), col) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else if (table.columns[static_cast<std::size_t>(col)].type == RawType::kReal) {
        row.emplace_back(RawRealText(stmt.Real(col)));
      } else {
        row.emplace_back(stmt.Text(col));
      }
    }
    DV_TRY(sink(std::move(row)));
  }
  return stmt.Done();
}

Status SqliteStore::ImportRawRows(const RawTable& table, std::span<const RawRow> rows) {
  std::lock_guard lock(mutex_);
  std::string placeholders;
  for (std::size_t col = 0; col < table.columns.size(); ++col) placeholders += col == 0 ? "?" : ", ?";
  Statement stmt(
      db_, "INSERT INTO " + std::string(table.name) + "(" + RawColumnList(table) + ") VALUES (" + placeholders + ")");
  DV_TRY(stmt.Prepared());
  for (const auto& row : rows) {
    if (row.size() != table.columns.size()) {
      return Error::InvalidArgument("sqlite: a row of " + std::string(table.name) + " has " +
                                    std::to_string(row.size()) + " values, want " +
                                    std::to_string(table.columns.size()));
    }
    sqlite3_reset(stmt.raw());
    for (std::size_t col = 0; col < row.size(); ++col) {
      const int idx = static_cast<int>(col) + 1;
      const auto& value = row[col];
      if (!value) {
        stmt.BindNull(idx);
        continue;
      }
      const std::string_view column = table.columns[col].name;
      const std::string* text = &*value;
      switch (table.columns[col].type) {
        case RawType::kText:
          stmt.Bind(idx, std::string_view(*text));
          break;
        case RawType::kInteger: {
          std::int64_t number = 0;
          const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
          if (error != std::errc() || end != text->data() + text->size()) {
            return Error::InvalidArgument("sqlite: " + std::string(table.name) + "." + std::string(column) +
                                          ": not an integer");
          }
          stmt.Bind(idx, number);
          break;
        }
        case RawType::kReal: {
          double number = 0;
          const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
          if (error != std::errc() || end != text->data() + text->size()) {
            return Error::InvalidArgument("sqlite: " + std::string(table.name) + "." + std::string(column) +
                                          ": not a number");
          }
          stmt.Bind(idx, number);
          break;
        }
      }
    }
    stmt.Step();
    if (Status done = stmt.Done(); !done.ok()) {
      const int code = sqlite3_extended_errcode(db_);
      if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
        return Error::Conflict("sqlite: a row of " + std::string(table.name) + " with this key is already stored");
      }
      return done;
    }
  }
  if (table.name == "stix_object") {
    // New objects must get a later date_added than every copied one.
    Statement last(db_, "SELECT COALESCE(MAX(added_us), 0) FROM stix_object");
    if (last.Prepared().ok() && last.Step()) last_added_us_ = std::max(last_added_us_, last.Int(0));
  }
  return Ok();
}

}  // namespace dv
