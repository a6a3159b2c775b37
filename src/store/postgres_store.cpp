// SPDX-License-Identifier: Apache-2.0
#include "store/postgres_store.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "core/uuid.h"
#include "store/backend_support.h"

namespace dv {

// The rows (or the error) of one statement; clears the result when done.
// Values are read as text (libpq's text format); a NULL reads as empty or 0.
class PgRows {
 public:
  explicit PgRows(PGresult* result) : result_(result) {}
  ~PgRows() { PQclear(result_); }
  PgRows(PgRows&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  PgRows& operator=(PgRows&&) = delete;
  PgRows(const PgRows&) = delete;
  PgRows& operator=(const PgRows&) = delete;

  bool Succeeded() const {
    const ExecStatusType status = result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }
  const PGresult* raw() const { return result_; }
  int size() const { return PQntuples(result_); }
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t Affected() const { return ParseInt(PQcmdTuples(result_)); }

  bool IsNull(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }
  std::string Text(int row, int col) const {
    return std::string(PQgetvalue(result_, row, col), static_cast<std::size_t>(PQgetlength(result_, row, col)));
  }
  std::optional<std::string> OptionalText(int row, int col) const {
    if (IsNull(row, col)) return std::nullopt;
    return Text(row, col);
  }
  std::int64_t Int(int row, int col) const { return ParseInt(PQgetvalue(result_, row, col)); }
  std::optional<std::int64_t> OptionalInt(int row, int col) const {
    if (IsNull(row, col)) return std::nullopt;
    return Int(row, col);
  }
  double Real(int row, int col) const {
    const std::string text = Text(row, col);
    double value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }

 private:
  static std::int64_t ParseInt(const char* text) {
    std::int64_t value = 0;
    if (text != nullptr) std::from_chars(text, text + std::char_traits<char>::length(text), value);
    return value;
  }

  PGresult* result_;
};

namespace {

// Each entry is one schema version, with the number and content of the same
// entry in SQLite's list (sqlite_store.cpp) in PostgreSQL's types: 64-bit
// integers, float8 for SQLite's REAL, identity columns for AUTOINCREMENT, and
// the "C" collation on every text column so that ordering and MAX/MIN are
// bytewise as in SQLite. Times are RFC 3339 text with milliseconds, as in
// SQLite. Never edit an applied entry; append a new one to both lists.
constexpr std::array<std::string_view, 6> kPostgresMigrations = {
    R"sql(
CREATE TABLE organisation (
  code          TEXT COLLATE "C" PRIMARY KEY,
  name          TEXT COLLATE "C" NOT NULL,
  kind          TEXT COLLATE "C" NOT NULL,
  region_code   TEXT COLLATE "C",
  population    BIGINT,
  description   TEXT COLLATE "C" NOT NULL DEFAULT '',
  operator_code TEXT COLLATE "C",
  stix_id       TEXT COLLATE "C" NOT NULL UNIQUE,
  search_key    TEXT COLLATE "C" NOT NULL,
  created       TEXT COLLATE "C" NOT NULL,
  modified      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX organisation_by_kind ON organisation(kind, code);
CREATE INDEX organisation_by_region ON organisation(region_code, code);
CREATE TABLE dependency (
  from_code    TEXT COLLATE "C" NOT NULL REFERENCES organisation(code) ON DELETE CASCADE,
  to_code      TEXT COLLATE "C" NOT NULL REFERENCES organisation(code) ON DELETE CASCADE,
  relation     TEXT COLLATE "C" NOT NULL,
  strength     DOUBLE PRECISION NOT NULL CHECK (strength > 0 AND strength <= 1),
  illustrative INTEGER NOT NULL CHECK (illustrative IN (0, 1)),
  note         TEXT COLLATE "C" NOT NULL DEFAULT '',
  PRIMARY KEY (from_code, to_code, relation)
);
CREATE INDEX dependency_by_target ON dependency(to_code);
CREATE TABLE audit_log (
  id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at     TEXT COLLATE "C" NOT NULL,
  actor  TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  object TEXT COLLATE "C" NOT NULL,
  detail TEXT COLLATE "C" NOT NULL
);
)sql",
    R"sql(
CREATE TABLE member (
  id       TEXT COLLATE "C" PRIMARY KEY,
  org_code TEXT COLLATE "C" NOT NULL REFERENCES organisation(code),
  name     TEXT COLLATE "C" NOT NULL,
  role     TEXT COLLATE "C" NOT NULL CHECK (role IN ('member', 'sensor', 'coordinator', 'admin')),
  created  TEXT COLLATE "C" NOT NULL
);
CREATE TABLE api_token (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  member_id  TEXT COLLATE "C" NOT NULL REFERENCES member(id) ON DELETE CASCADE,
  label      TEXT COLLATE "C" NOT NULL,
  created    TEXT COLLATE "C" NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE collection (
  id             TEXT COLLATE "C" PRIMARY KEY,
  title          TEXT COLLATE "C" NOT NULL,
  description    TEXT COLLATE "C" NOT NULL DEFAULT '',
  audience       TEXT COLLATE "C" NOT NULL,
  audience_value TEXT COLLATE "C" NOT NULL DEFAULT '',
  group_orgs     TEXT COLLATE "C" NOT NULL DEFAULT '',
  default_tlp    INTEGER NOT NULL
);
CREATE TABLE stix_object (
  seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  collection_id TEXT COLLATE "C" NOT NULL REFERENCES collection(id),
  id            TEXT COLLATE "C" NOT NULL,
  type          TEXT COLLATE "C" NOT NULL,
  spec_version  TEXT COLLATE "C" NOT NULL,
  version       TEXT COLLATE "C" NOT NULL,
  added_us      BIGINT NOT NULL,
  tlp           INTEGER,
  producer_org  TEXT COLLATE "C" NOT NULL,
  recipients    TEXT COLLATE "C" NOT NULL DEFAULT '',
  json          TEXT COLLATE "C" NOT NULL,
  UNIQUE (collection_id, id, version)
);
CREATE INDEX stix_object_by_added ON stix_object(collection_id, added_us);
CREATE TABLE taxii_status (
  id                TEXT COLLATE "C" PRIMARY KEY,
  member_id         TEXT COLLATE "C" NOT NULL,
  status            TEXT COLLATE "C" NOT NULL,
  request_timestamp TEXT COLLATE "C" NOT NULL,
  total             BIGINT NOT NULL,
  success           BIGINT NOT NULL,
  failure           BIGINT NOT NULL,
  pending           BIGINT NOT NULL,
  details           TEXT COLLATE "C" NOT NULL
);
)sql",
    // Paging walks a collection in change-feed order from a cursor.
    R"sql(
CREATE INDEX stix_object_by_seq ON stix_object(collection_id, seq);
)sql",
    // Member records (store/record.h): every version kept.
    R"sql(
CREATE TABLE member_record (
  kind      TEXT COLLATE "C" NOT NULL,
  id        TEXT COLLATE "C" NOT NULL,
  version   BIGINT NOT NULL,
  org_code  TEXT COLLATE "C" NOT NULL REFERENCES organisation(code),
  at        TEXT COLLATE "C" NOT NULL,
  actor     TEXT COLLATE "C" NOT NULL,
  body      TEXT COLLATE "C" NOT NULL,
  deleted   INTEGER NOT NULL,
  PRIMARY KEY (kind, id, version)
);
CREATE INDEX member_record_by_org ON member_record(kind, org_code);
)sql",
    // Token and member lifecycle: a short public token id (the hash's first
    // 12 hex digits), expiry, revocation time, last use; disabled and removed
    // members. `revoked` stays for readers of version 4 and follows revoked_at.
    R"sql(
ALTER TABLE api_token ADD COLUMN id TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE api_token SET id = substr(token_hash, 1, 12);
CREATE UNIQUE INDEX api_token_by_id ON api_token(id);
CREATE INDEX api_token_by_member ON api_token(member_id, created);
ALTER TABLE api_token ADD COLUMN expires_at TEXT COLLATE "C";
ALTER TABLE api_token ADD COLUMN revoked_at TEXT COLLATE "C";
ALTER TABLE api_token ADD COLUMN last_used TEXT COLLATE "C";
UPDATE api_token SET revoked_at = created WHERE revoked <> 0;
ALTER TABLE member ADD COLUMN disabled_at TEXT COLLATE "C";
ALTER TABLE member ADD COLUMN removed_at TEXT COLLATE "C";
)sql",
    // Ownership and evidence: who posted each version (the actor), and the
    // first version of an id across collections (Store::ObjectOwner).
    R"sql(
ALTER TABLE stix_object ADD COLUMN posted_by TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX stix_object_by_id ON stix_object(id, seq);
)sql",
};

// Every write transaction takes this transaction-scoped advisory lock first
// (the key spells "dv-write"): writers of all processes run one at a time.
constexpr std::string_view kBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(7238461077430268005)";

// The oldest server whose SQL the migrations and queries use (identity
// columns, ON CONFLICT, VACUUM of one table).
constexpr int kMinServerVersion = 120000;

// Statement parameters as text.
std::optional<std::string> Arg(std::string_view text) { return std::string(text); }
std::optional<std::string> Arg(const std::string& text) { return text; }
std::optional<std::string> Arg(std::int64_t value) { return std::to_string(value); }
std::optional<std::string> Arg(double value) {
  // The shortest text that reads back as the same double.
  std::array<char, 32> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  return std::string(buffer.data(), end);
}
std::optional<std::string> Arg(Timestamp at) { return at.ToRfc3339(); }
std::optional<std::string> Arg(const std::optional<std::string>& text) { return text; }
std::optional<std::string> Arg(const std::optional<std::int64_t>& value) {
  if (!value) return std::nullopt;
  return Arg(*value);
}
std::optional<std::string> Arg(const std::optional<Timestamp>& at) {
  if (!at) return std::nullopt;
  return Arg(*at);
}

// A text[] literal of `items` for "= ANY($n::text[])".
std::optional<std::string> ArrayArg(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    if (item_idx > 0) out += ',';
    out += '"';
    for (char c : items[item_idx]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// Appends a parameter and returns its placeholder ("$3").
std::string Bind(std::vector<std::optional<std::string>>& params, std::optional<std::string> value) {
  params.push_back(std::move(value));
  return "$" + std::to_string(params.size());
}

// libpq's messages span lines (a hint on the next, tab-indented): one line.
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The statement's first words, to name what failed ("INSERT INTO
// member_record(kind, …"): constant SQL text, never a value.
std::string StatementName(std::string_view sql) {
  std::string name = OneLine(sql);
  constexpr std::size_t kMax = 80;
  if (name.size() > kMax) {
    name.resize(kMax);
    name += "…";
  }
  return name;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    int value = 0;
    if (text[idx] == '%' && idx + 2 < text.size() &&
        std::from_chars(text.data() + idx + 1, text.data() + idx + 3, value, 16).ptr == text.data() + idx + 3) {
      out += static_cast<char>(value);
      idx += 2;
    } else {
      out += text[idx];
    }
  }
  return out;
}

// The secrets a connection URL may hold, as written and percent-decoded,
// found without libpq so that they can be removed even from the message of
// a URL libpq cannot parse: the password of "user:password@", and the
// password= and sslpassword= parameters.
std::vector<std::string> UrlSecrets(std::string_view url) {
  std::vector<std::string> secrets;
  const auto add = [&](std::string_view raw) {
    if (raw.empty()) return;
    secrets.emplace_back(raw);
    std::string decoded = PercentDecode(raw);
    if (!decoded.empty() && decoded != raw) secrets.push_back(std::move(decoded));
  };
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
    const auto start = scheme + 3;
    const auto end = url.find_first_of("/?", start);
    const std::string_view authority = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
      const std::string_view userinfo = authority.substr(0, at);
      if (const auto colon = userinfo.find(':'); colon != std::string_view::npos) add(userinfo.substr(colon + 1));
    }
  }
  if (const auto query = url.find('?'); query != std::string_view::npos) {
    std::string_view rest = url.substr(query + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      const auto equals = pair.find('=');
      const std::string_view key = pair.substr(0, equals);
      if (equals != std::string_view::npos && (key == "password" || key == "sslpassword")) {
        add(pair.substr(equals + 1));
      }
      if (amp == std::string_view::npos) break;
      rest = rest.substr(amp + 1);
    }
  }
  return secrets;
}

std::string RedactSecrets(std::string message, std::vector<std::string> secrets) {
  // The longest first, so that a secret holding a shorter one goes whole.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto pos = message.find(secret); pos != std::string::npos; pos = message.find(secret, pos + 3)) {
      message.replace(pos, secret.size(), "***");
    }
  }
  return message;
}

// Opens a connection with the settings every connection of the store uses
// (the URL may set its own connect_timeout); null only when out of memory.
// JIT compilation is off unless the URL's own `options` turn it on: the
// store's statements are short, and compiling one (hundreds of ms) cost more
// than running it when PostgreSQL misjudged a page query as large
// (docs/benchmarks.md).
PGconn* ConnectTo(const std::string& url) {
  const std::array<const char*, 6> keywords = {"connect_timeout",  "options",         "dbname",
                                               "application_name", "client_encoding", nullptr};
  const std::array<const char*, 6> values = {"10", "-c jit=off", url.c_str(), "dannevirke", "UTF8", nullptr};
  return PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
}

// "<instance> <kind> <key>": the kind as one letter (a added, d deleted,
// r record); the key is a collection id or record kind (no spaces in either).
std::string ChangePayload(const std::string& instance, const Store::Change& change) {
  char kind = 'x';
  switch (change.kind) {
    case Store::Change::Kind::kObjectsAdded:
      kind = 'a';
      break;
    case Store::Change::Kind::kObjectsDeleted:
      kind = 'd';
      break;
    case Store::Change::Kind::kRecordChanged:
      kind = 'r';
      break;
    case Store::Change::Kind::kResync:
      kind = 'x';
      break;
  }
  return instance + " " + kind + " " + change.key;
}

// The change a notice of another process names; nullopt for this process's
// own notices (already announced) and for text it does not understand.
std::optional<Store::Change> ParseChangePayload(std::string_view payload, const std::string& instance) {
  const auto first = payload.find(' ');
  if (first == std::string_view::npos || payload.size() < first + 3 || payload[first + 2] != ' ') return std::nullopt;
  if (payload.substr(0, first) == instance) return std::nullopt;
  Store::Change change;
  switch (payload[first + 1]) {
    case 'a':
      change.kind = Store::Change::Kind::kObjectsAdded;
      break;
    case 'd':
      change.kind = Store::Change::Kind::kObjectsDeleted;
      break;
    case 'r':
      change.kind = Store::Change::Kind::kRecordChanged;
      break;
    case 'x':
      change.kind = Store::Change::Kind::kResync;
      break;
    default:
      return std::nullopt;
  }
  change.key = std::string(payload.substr(first + 3));
  return change;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {
  // NOTICEs ("relation already exists, skipping") are not errors and must not
  // reach the hub's standard error.
}

constexpr std::string_view kPgOrgColumns = "code, name, kind, region_code, population, description, operator_code";

Result<Organisation> ReadPgOrganisation(const PgRows& rows, int row) {
  Organisation org;
  org.code = rows.Text(row, 0);
  org.name = rows.Text(row, 1);
  auto kind = ParseOrgKind(rows.Text(row, 2));
  if (!kind.ok()) return kind.error().WithContext("stored organisation '" + org.code + "'");
  org.kind = *kind;
  org.region_code = rows.OptionalText(row, 3);
  org.population = rows.OptionalInt(row, 4);
  org.description = rows.Text(row, 5);
  org.operator_code = rows.OptionalText(row, 6);
  return org;
}

Member ReadPgMember(const PgRows& rows, int row, int first) {
  Member member;
  member.id = rows.Text(row, first);
  member.org_code = rows.Text(row, first + 1);
  member.name = rows.Text(row, first + 2);
  member.role = ParseMemberRole(rows.Text(row, first + 3)).value_or(MemberRole::kMember);
  return member;
}

std::optional<Timestamp> PgOptionalTime(const PgRows& rows, int row, int col) {
  auto text = rows.OptionalText(row, col);
  if (!text) return std::nullopt;
  auto parsed = Timestamp::Parse(*text);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

// Columns of a token joined with its member as `m`.
constexpr std::string_view kPgTokenColumns =
    "t.id, t.member_id, t.label, t.created, t.expires_at, t.revoked_at, t.last_used, "
    "CASE WHEN m.disabled_at IS NULL THEN 0 ELSE 1 END";

TokenInfo ReadPgToken(const PgRows& rows, int row, int first) {
  TokenInfo token;
  token.id = rows.Text(row, first);
  token.member_id = rows.Text(row, first + 1);
  token.label = rows.Text(row, first + 2);
  token.created_at = PgOptionalTime(rows, row, first + 3).value_or(Timestamp());
  token.expires_at = PgOptionalTime(rows, row, first + 4);
  token.revoked_at = PgOptionalTime(rows, row, first + 5);
  token.last_used = PgOptionalTime(rows, row, first + 6);
  token.member_disabled = rows.Int(row, first + 7) != 0;
  return token;
}

constexpr std::string_view kPgObjectColumns =
    "seq, collection_id, id, type, spec_version, version, added_us, tlp, producer_org, recipients, json, posted_by";

StoredObject ReadPgObject(const PgRows& rows, int row) {
  StoredObject object;
  object.seq = rows.Int(row, 0);
  object.collection_id = rows.Text(row, 1);
  object.id = rows.Text(row, 2);
  object.type = rows.Text(row, 3);
  object.spec_version = rows.Text(row, 4);
  object.version = rows.Text(row, 5);
  object.added_us = rows.Int(row, 6);
  if (auto tlp = rows.OptionalInt(row, 7)) object.tlp = static_cast<Tlp>(*tlp);
  object.producer_org = rows.Text(row, 8);
  object.recipients = SplitList(rows.Text(row, 9));
  object.json = rows.Text(row, 10);
  object.posted_by = rows.Text(row, 11);
  return object;
}

constexpr std::string_view kPgRecordColumns = "kind, id, version, org_code, at, actor, body, deleted";

Record ReadPgRecord(const PgRows& rows, int row) {
  Record record;
  record.kind = rows.Text(row, 0);
  record.id = rows.Text(row, 1);
  record.version = rows.Int(row, 2);
  record.org_code = rows.Text(row, 3);
  if (auto at = Timestamp::Parse(rows.Text(row, 4)); at.ok()) record.at = *at;
  record.actor = rows.Text(row, 5);
  record.body = rows.Text(row, 6);
  record.deleted = rows.Int(row, 7) != 0;
  return record;
}

std::string ConninfoValue(const PQconninfoOption* options, std::string_view keyword) {
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (keyword == option->keyword && option->val != nullptr) return option->val;
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(std::string_view url) {
  const std::string url_text(url);
  std::vector<std::string> secrets = UrlSecrets(url);
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url_text.c_str(), &parse_error);
  if (options == nullptr) {
    std::string message = parse_error != nullptr ? OneLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return Error::Io(RedactSecrets("postgresql: the database URL is not valid: " + message, secrets));
  }
  for (std::string_view keyword : {"password", "sslpassword"}) {
    if (std::string secret = ConninfoValue(options, keyword); !secret.empty()) secrets.push_back(std::move(secret));
  }
  std::string host = ConninfoValue(options, "host");
  if (host.empty()) host = ConninfoValue(options, "hostaddr");
  const std::string port = ConninfoValue(options, "port");
  const std::string database = ConninfoValue(options, "dbname");
  const std::string user = ConninfoValue(options, "user");
  PQconninfoFree(options);
  std::string where = (host.empty() ? std::string("the local socket") : host) + ":" +
                      (port.empty() ? std::string("5432") : port) + "/" +
                      (database.empty() ? std::string("(default database)") : database);
  if (!user.empty()) where += " as " + user;
  where = RedactSecrets(std::move(where), secrets);

  // Later keywords override the URL's; connect_timeout comes first, so the
  // URL may set its own.
  PGconn* conn = ConnectTo(url_text);
  if (conn == nullptr) return Error::Io("postgresql: out of memory connecting to " + where);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Error::Io(RedactSecrets("cannot connect to PostgreSQL at " + where + ": " + message, secrets));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  if (PQserverVersion(conn) < kMinServerVersion) {
    const int version = PQserverVersion(conn);
    PQfinish(conn);
    return Error::Unsupported("PostgreSQL at " + where + " is version " + std::to_string(version / 10000) +
                              "; Dannevirke needs 12 or newer");
  }
  std::unique_ptr<PostgresStore> store(new PostgresStore(conn, url_text, std::move(where), std::move(secrets)));
  DV_TRY(store->Migrate());
  // One channel per schema: hubs in other schemas of the database (tests
  // give each hub one) hear nothing of these changes.
  auto schema = store->Query("SELECT current_schema()", {});
  if (!schema.ok()) return schema.error();
  store->channel_ = ("dannevirke_changes." + schema->Text(0, 0)).substr(0, 63);
  return store;
}

std::string PostgresStore::DisplayUrl(std::string_view url) { return RedactSecrets(std::string(url), UrlSecrets(url)); }

PostgresStore::PostgresStore(pg_conn* conn, std::string url, std::string where, std::vector<std::string> secrets)
    : conn_(conn),
      url_(std::move(url)),
      where_(std::move(where)),
      secrets_(std::move(secrets)),
      instance_(Uuid::V4().ToString()) {}

PostgresStore::~PostgresStore() {
  stop_listening_ = true;
  if (listener_.joinable()) listener_.join();
  PQfinish(conn_);
}

void PostgresStore::DoPublishChange(const Change& change) {
  // Delivered at commit when a transaction is open, at once otherwise.
  (void)Query("SELECT pg_notify($1, $2)", {Arg(channel_), Arg(ChangePayload(instance_, change))});
}

void PostgresStore::DoStartWatching() {
  listener_ = std::thread([this] { Listen(); });
  // Commits after Watch returns are heard: wait for the first LISTEN (or
  // the first failure to connect, after which a kResync follows success).
  std::unique_lock lock(listen_mutex_);
  listen_cv_.wait(lock, [this] { return listen_attempted_; });
}

void PostgresStore::Listen() {
  PGconn* conn = nullptr;
  bool missed = false;
  const auto pause = [this](std::chrono::milliseconds length) {
    for (auto waited = std::chrono::milliseconds(0); waited < length && !stop_listening_;
         waited += std::chrono::milliseconds(50)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  while (!stop_listening_) {
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
      if (conn != nullptr) PQfinish(conn);
      conn = ConnectTo(url_);
      bool listening = conn != nullptr && PQstatus(conn) == CONNECTION_OK;
      if (listening) {
        PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
        char* name = PQescapeIdentifier(conn, channel_.c_str(), channel_.size());
        if (name != nullptr) {
          PgRows rows(PQexec(conn, ("LISTEN " + std::string(name)).c_str()));
          listening = rows.Succeeded();
          PQfreemem(name);
        } else {
          listening = false;
        }
      }
      {
        std::lock_guard lock(listen_mutex_);
        listen_attempted_ = true;
      }
      listen_cv_.notify_all();
      if (!listening) {
        missed = true;
        pause(std::chrono::seconds(1));
        continue;
      }
      // Whatever was written while nobody listened is found by a re-read.
      if (missed) AnnounceLocally({Change::Kind::kResync, ""});
      missed = true;  // from now on, a lost connection misses notices
    }
    pollfd socket{PQsocket(conn), POLLIN, 0};
    if (socket.fd < 0) {
      PQfinish(conn);
      conn = nullptr;
      continue;
    }
    const int ready = poll(&socket, 1, 100);
    if (ready < 0 && errno != EINTR) {
      PQfinish(conn);
      conn = nullptr;
      continue;
    }
    if (ready <= 0) continue;
    if (PQconsumeInput(conn) == 0) {
      PQfinish(conn);
      conn = nullptr;
      continue;
    }
    while (PGnotify* notice = PQnotifies(conn)) {
      auto change = ParseChangePayload(notice->extra != nullptr ? notice->extra : "", instance_);
      PQfreemem(notice);
      if (change) AnnounceLocally(*change);
    }
  }
  if (conn != nullptr) PQfinish(conn);
}

Result<PgRows> PostgresStore::Query(std::string_view sql, const Params& params) { return Run(sql, &params); }

Status PostgresStore::Exec(std::string_view sql) {
  auto rows = Run(sql, nullptr);
  if (!rows.ok()) return rows.error();
  return Ok();
}

Result<PgRows> PostgresStore::Run(std::string_view sql, const Params* params) {
  std::lock_guard lock(mutex_);
  std::vector<const char*> values;
  if (params != nullptr) {
    values.reserve(params->size());
    for (std::size_t param_idx = 0; param_idx < params->size(); ++param_idx) {
      const auto& param = (*params)[param_idx];
      if (param && param->find('\0') != std::string::npos) {
        return Error::InvalidArgument("postgresql: " + StatementName(sql) + ": parameter " +
                                      std::to_string(param_idx + 1) +
                                      " holds a NUL byte, which PostgreSQL cannot store in text");
      }
      values.push_back(param ? param->c_str() : nullptr);
    }
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    // Found broken by an earlier call. Inside a transaction, the transaction
    // is lost: reconnecting would run the rest of it outside one.
    if (transaction_depth_ > 0) {
      return Error::Unavailable("postgresql at " + where_ +
                                ": the connection was lost during a transaction (rolled back)");
    }
    DV_TRY(Reconnect());
  }
  // Only a statement sent outside a transaction may be sent again.
  const bool may_repeat = transaction_depth_ == 0 && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  const std::string sql_text(sql);
  const auto send = [&]() {
    if (params == nullptr) return PQexec(conn_, sql_text.c_str());
    return PQexecParams(conn_, sql_text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                        nullptr, /*resultFormat=*/0);
  };
  PgRows rows(send());
  if (!rows.Succeeded() && may_repeat && PQstatus(conn_) == CONNECTION_BAD) {
    DV_TRY(Reconnect());
    PgRows again(send());
    if (!again.Succeeded()) return StatementError(again, sql);
    return again;
  }
  if (!rows.Succeeded()) return StatementError(rows, sql);
  return rows;
}

Error PostgresStore::StatementError(const PgRows& rows, std::string_view sql) const {
  const PGresult* result = rows.raw();
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  // The primary message only: the detail may quote a row's values.
  const char* primary = result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string message = OneLine(primary != nullptr ? primary : PQerrorMessage(conn_));
  const std::string text =
      RedactSecrets("postgresql at " + where_ + ": " + StatementName(sql) + ": " + message, secrets_);
  const std::string_view code = state != nullptr ? state : "";
  if (code == "23505") return Error::Conflict(text);  // unique_violation
  // character_not_in_repertoire, untranslatable_character: the input's text.
  if (code == "22021" || code == "22P05") return Error::InvalidArgument(text);
  // A lost connection (class 08), a server shutting down or starting
  // (57P01-57P03): the database is away, not the statement wrong.
  if (PQstatus(conn_) == CONNECTION_BAD || code.starts_with("08") || code == "57P01" || code == "57P02" ||
      code == "57P03") {
    return Error::Unavailable(text);
  }
  return Error::Io(text);
}

Status PostgresStore::Reconnect() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Error::Unavailable(
        RedactSecrets("cannot reconnect to PostgreSQL at " + where_ + ": " + OneLine(PQerrorMessage(conn_)), secrets_));
  }
  return Ok();
}

void PostgresStore::Rollback() {
  if (PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
  (void)Exec("ROLLBACK");
}

Status PostgresStore::Migrate() {
  std::lock_guard lock(mutex_);
  const int known = static_cast<int>(kPostgresMigrations.size());
  for (;;) {
    bool applied = false;
    const Status step = DoInTransaction([&]() -> Status {
      DV_TRY(
          Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
      auto current = Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
      if (!current.ok()) return current.error();
      const auto version = static_cast<int>(current->Int(0, 0));
      if (version > known) {
        return Error::Unsupported("database schema version " + std::to_string(version) +
                                  " is newer than this program knows (" + std::to_string(known) + ")");
      }
      if (version == known) return Ok();
      const int next = version + 1;
      Status ran = Exec(kPostgresMigrations[static_cast<std::size_t>(next - 1)]);
      if (ran.ok()) {
        auto recorded = Query("INSERT INTO schema_migrations(version, applied_at) VALUES ($1, $2)",
                              {Arg(std::int64_t{next}), Arg(Timestamp::Now())});
        if (!recorded.ok()) ran = recorded.error();
      }
      if (!ran.ok()) return ran.error().WithContext("schema migration " + std::to_string(next));
      applied = true;
      return Ok();
    });
    if (!step.ok()) return step;
    if (!applied) return Ok();
  }
}

int PostgresStore::SchemaVersion() {
  auto rows = Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
  if (!rows.ok() || rows->size() == 0) return 0;
  return static_cast<int>(rows->Int(0, 0));
}

Status PostgresStore::AppendAudit(std::string_view actor, std::string_view action, std::string_view object,
                                  const std::string& detail) {
  auto rows = Query("INSERT INTO audit_log(at, actor, action, object, detail) VALUES ($1, $2, $3, $4, $5)",
                    {Arg(Timestamp::Now()), Arg(actor), Arg(action), Arg(object), Arg(detail)});
  if (!rows.ok()) return rows.error();
  return Ok();
}

Status PostgresStore::DoInTransaction(const std::function<Status()>& body) {
  std::lock_guard lock(mutex_);
  const std::string savepoint = "dv_tx_" + std::to_string(transaction_depth_);
  if (transaction_depth_ == 0) {
    if (Status begun = Exec(kBeginWrite); !begun.ok()) {
      Rollback();
      return begun;
    }
  } else {
    DV_TRY(Exec("SAVEPOINT " + savepoint));
  }
  ++transaction_depth_;
  const Status status = body();
  --transaction_depth_;
  if (!status.ok()) {
    if (transaction_depth_ == 0) {
      Rollback();
    } else if (PQstatus(conn_) == CONNECTION_OK) {
      (void)Exec("ROLLBACK TO SAVEPOINT " + savepoint);
      (void)Exec("RELEASE SAVEPOINT " + savepoint);
    }
    return status;
  }
  if (transaction_depth_ > 0) return Exec("RELEASE SAVEPOINT " + savepoint);
  Status committed = Exec("COMMIT");
  if (!committed.ok()) Rollback();
  return committed;
}

Result<bool> PostgresStore::DoUpsertOrganisation(const Organisation& org, std::string_view actor) {
  std::lock_guard lock(mutex_);
  bool changed = false;
  const Status status = DoInTransaction([&]() -> Status {
    auto existing = DoGetOrganisation(org.code);
    if (!existing.ok()) return existing.error();
    if (existing->has_value() && **existing == org) return Ok();
    const Timestamp now = Timestamp::Now();
    auto written = Query(
        "INSERT INTO organisation(code, name, kind, region_code, population, description, operator_code, "
        "stix_id, search_key, created, modified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
        "region_code = excluded.region_code, population = excluded.population, "
        "description = excluded.description, operator_code = excluded.operator_code, "
        "search_key = excluded.search_key, modified = excluded.modified",
        {Arg(org.code), Arg(org.name), Arg(OrgKindName(org.kind)), Arg(org.region_code), Arg(org.population),
         Arg(org.description), Arg(org.operator_code), Arg(org.StixId()), Arg(FoldForSearch(org.code + " " + org.name)),
         Arg(now), Arg(now)});
    if (!written.ok()) return written.error();
    changed = true;
    nlohmann::json detail = {{"after", OrganisationAuditJson(org)}};
    if (existing->has_value()) detail["before"] = OrganisationAuditJson(**existing);
    return AppendAudit(actor, existing->has_value() ? "organisation.update" : "organisation.create", org.code,
                       detail.dump());
  });
  if (!status.ok()) return status.error();
  return changed;
}

Result<std::optional<Organisation>> PostgresStore::DoGetOrganisation(std::string_view code) {
  auto rows = Query("SELECT " + std::string(kPgOrgColumns) + " FROM organisation WHERE code = $1", {Arg(code)});
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<Organisation>();
  auto org = ReadPgOrganisation(*rows, 0);
  if (!org.ok()) return org.error();
  return std::optional<Organisation>(std::move(*org));
}

Result<OrganisationPage> PostgresStore::DoListOrganisations(const OrganisationQuery& query) {
  std::lock_guard lock(mutex_);
  Params params;
  std::string where = " WHERE TRUE";
  if (query.kind) where += " AND kind = " + Bind(params, Arg(OrgKindName(*query.kind)));
  if (query.region_code) where += " AND region_code = " + Bind(params, Arg(*query.region_code));
  if (!query.text.empty()) where += " AND strpos(search_key, " + Bind(params, Arg(FoldForSearch(query.text))) + ") > 0";
  OrganisationPage page;
  auto count = Query("SELECT COUNT(*) FROM organisation" + where, params);
  if (!count.ok()) return count.error();
  page.total = count->Int(0, 0);
  const std::string limit = Bind(params, Arg(std::int64_t{query.limit}));
  const std::string offset = Bind(params, Arg(std::int64_t{query.offset}));
  auto rows = Query("SELECT " + std::string(kPgOrgColumns) + " FROM organisation" + where + " ORDER BY code LIMIT " +
                        limit + " OFFSET " + offset,
                    params);
  if (!rows.ok()) return rows.error();
  for (int row = 0; row < rows->size(); ++row) {
    auto org = ReadPgOrganisation(*rows, row);
    if (!org.ok()) return org.error();
    page.items.push_back(std::move(*org));
  }
  return page;
}

Result<bool> PostgresStore::DoUpsertDependency(const Dependency& dep, std::string_view actor) {
  std::lock_guard lock(mutex_);
  bool changed = false;
  const Status status = DoInTransaction([&]() -> Status {
    auto existing = Query(
        "SELECT strength, illustrative, note FROM dependency WHERE from_code = $1 AND to_code = $2 AND relation = $3",
        {Arg(dep.from), Arg(dep.to), Arg(RelationName(dep.relation))});
    if (!existing.ok()) return existing.error();
    const bool exists = existing->size() > 0;
    if (exists && existing->Real(0, 0) == dep.strength && (existing->Int(0, 1) != 0) == dep.illustrative &&
        existing->Text(0, 2) == dep.note) {
      return Ok();
    }
    auto written = Query(
        "INSERT INTO dependency(from_code, to_code, relation, strength, illustrative, note) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (from_code, to_code, relation) DO UPDATE SET "
        "strength = excluded.strength, illustrative = excluded.illustrative, note = excluded.note",
        {Arg(dep.from), Arg(dep.to), Arg(RelationName(dep.relation)), Arg(dep.strength),
         Arg(std::int64_t{dep.illustrative ? 1 : 0}), Arg(dep.note)});
    if (!written.ok()) return written.error();
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
Result<Dependency> ReadPgDependency(const PgRows& rows, int row) {
  Dependency edge;
  edge.from = rows.Text(row, 0);
  edge.to = rows.Text(row, 1);
  auto relation = ParseRelation(rows.Text(row, 2));
  if (!relation.ok()) return relation.error().WithContext("stored dependency " + edge.from + " -> " + edge.to);
  edge.relation = *relation;
  edge.strength = rows.Real(row, 3);
  edge.illustrative = rows.Int(row, 4) != 0;
  edge.note = rows.Text(row, 5);
  return edge;
}

}  // namespace

Result<std::vector<Dependency>> PostgresStore::DoListAllDependencies() {
  auto rows = Query(
      "SELECT from_code, to_code, relation, strength, illustrative, note FROM dependency "
      "ORDER BY from_code, relation, to_code",
      {});
  if (!rows.ok()) return rows.error();
  std::vector<Dependency> edges;
  edges.reserve(static_cast<std::size_t>(rows->size()));
  for (int row = 0; row < rows->size(); ++row) {
    auto edge = ReadPgDependency(*rows, row);
    if (!edge.ok()) return edge.error();
    edges.push_back(std::move(edge).value());
  }
  return edges;
}

Result<std::vector<DependencyView>> PostgresStore::DoListDependencies(std::string_view code, EdgeDirection direction) {
  const bool outgoing = direction == EdgeDirection::kDependencies;
  const std::string other = outgoing ? "d.to_code" : "d.from_code";
  const std::string self = outgoing ? "d.from_code" : "d.to_code";
  auto rows = Query(
      "SELECT d.from_code, d.to_code, d.relation, d.strength, d.illustrative, d.note, o.name, o.kind "
      "FROM dependency d JOIN organisation o ON o.code = " +
          other + " WHERE " + self + " = $1 ORDER BY d.relation, " + other,
      {Arg(code)});
  if (!rows.ok()) return rows.error();
  std::vector<DependencyView> views;
  for (int row = 0; row < rows->size(); ++row) {
    auto edge = ReadPgDependency(*rows, row);
    if (!edge.ok()) return edge.error();
    DependencyView view;
    view.edge = std::move(edge).value();
    view.other_code = outgoing ? view.edge.to : view.edge.from;
    view.other_name = rows->Text(row, 6);
    auto kind = ParseOrgKind(rows->Text(row, 7));
    if (!kind.ok()) return kind.error().WithContext("stored organisation '" + view.other_code + "'");
    view.other_kind = *kind;
    views.push_back(std::move(view));
  }
  return views;
}

Result<std::int64_t> PostgresStore::DoCountDependencies() {
  auto rows = Query("SELECT COUNT(*) FROM dependency", {});
  if (!rows.ok()) return rows.error();
  return rows->Int(0, 0);
}

Result<Record> PostgresStore::DoAppendRecord(const RecordWrite& write, bool deleted, std::string_view actor) {
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
    auto inserted = Query(
        "INSERT INTO member_record(" + std::string(kPgRecordColumns) + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {Arg(stored.kind), Arg(stored.id), Arg(stored.version), Arg(stored.org_code), Arg(stored.at), Arg(stored.actor),
         Arg(stored.body), Arg(std::int64_t{deleted ? 1 : 0})});
    if (!inserted.ok()) return inserted.error();
    const nlohmann::json detail = {{"org", stored.org_code}, {"version", stored.version}};
    return AppendAudit(actor, "record." + write.kind + (deleted ? ".delete" : ".put"), write.id, detail.dump());
  });
  if (!written.ok()) return written.error();
  return stored;
}

Result<std::vector<Record>> PostgresStore::DoListRecords(const RecordQuery& query) {
  std::string sql = "SELECT " + std::string(kPgRecordColumns) +
                    " FROM member_record r WHERE kind = $1 AND ($2::text IS NULL OR org_code = $2::text) AND "
                    "version = (SELECT MAX(version) FROM member_record WHERE kind = r.kind AND id = r.id)";
  if (!query.include_deleted) sql += " AND deleted = 0";
  sql += " ORDER BY id";
  auto rows = Query(sql, {Arg(query.kind), Arg(query.org_code)});
  if (!rows.ok()) return rows.error();
  std::vector<Record> records;
  for (int row = 0; row < rows->size(); ++row) records.push_back(ReadPgRecord(*rows, row));
  return records;
}

Result<std::vector<Record>> PostgresStore::DoRecordHistory(std::string_view kind, std::string_view id) {
  auto rows = Query(
      "SELECT " + std::string(kPgRecordColumns) + " FROM member_record WHERE kind = $1 AND id = $2 ORDER BY version",
      {Arg(kind), Arg(id)});
  if (!rows.ok()) return rows.error();
  std::vector<Record> records;
  for (int row = 0; row < rows->size(); ++row) records.push_back(ReadPgRecord(*rows, row));
  return records;
}

Status PostgresStore::DoOverwriteRecordBody(std::string_view kind, std::string_view id, std::int64_t version,
                                            std::string_view body) {
  auto updated = Query("UPDATE member_record SET body = $1 WHERE kind = $2 AND id = $3 AND version = $4",
                       {Arg(body), Arg(kind), Arg(id), Arg(version)});
  if (!updated.ok()) return updated.error();
  if (updated->Affected() != 1) {
    return Error::NotFound("no record " + std::string(kind) + " '" + std::string(id) + "' version " +
                           std::to_string(version));
  }
  return Ok();
}

Status PostgresStore::DoAfterErasure() {
  std::lock_guard lock(mutex_);
  // VACUUM cannot run inside a transaction; the next erasure outside one
  // (or autovacuum) will remove what this one left.
  if (transaction_depth_ > 0) return Ok();
  // The UPDATE left each old body in a dead row version (and its TOAST
  // chunks); VACUUM removes them, so that no query can read them back.
  return Exec("VACUUM member_record");
}

Result<std::vector<AuditEntry>> PostgresStore::DoListAudit(int limit) {
  auto rows = Query("SELECT id, at, actor, action, object, detail FROM audit_log ORDER BY id DESC LIMIT $1",
                    {Arg(std::int64_t{limit})});
  if (!rows.ok()) return rows.error();
  std::vector<AuditEntry> entries;
  for (int row = 0; row < rows->size(); ++row) {
    AuditEntry entry;
    entry.id = rows->Int(row, 0);
    auto at = Timestamp::Parse(rows->Text(row, 1));
    if (!at.ok()) return at.error().WithContext("audit entry " + std::to_string(entry.id));
    entry.at = *at;
    entry.actor = rows->Text(row, 2);
    entry.action = rows->Text(row, 3);
    entry.object = rows->Text(row, 4);
    entry.detail = rows->Text(row, 5);
    entries.push_back(std::move(entry));
  }
  return entries;
}

Status PostgresStore::DoAudit(std::string_view actor, std::string_view action, std::string_view object,
                              std::string_view detail) {
  return AppendAudit(actor, action, object, std::string(detail));
}

Status PostgresStore::DoUpsertMember(const Member& member, std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto existing = DoGetMember(member.id);
    if (!existing.ok()) return existing.error();
    if (existing->has_value() && **existing == member) return Ok();
    // A removed member is re-created: enabled again (its tokens stay revoked).
    auto written = Query(
        "INSERT INTO member(id, org_code, name, role, created) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO "
        "UPDATE SET org_code = excluded.org_code, name = excluded.name, role = excluded.role, "
        "disabled_at = CASE WHEN member.removed_at IS NULL THEN member.disabled_at END, removed_at = NULL",
        {Arg(member.id), Arg(member.org_code), Arg(member.name), Arg(MemberRoleName(member.role)),
         Arg(Timestamp::Now())});
    if (!written.ok()) return written.error();
    const nlohmann::json detail = {
        {"org", member.org_code}, {"name", member.name}, {"role", MemberRoleName(member.role)}};
    return AppendAudit(actor, existing->has_value() ? "member.update" : "member.create", member.id, detail.dump());
  });
}

Result<std::optional<Member>> PostgresStore::DoGetMember(std::string_view id) {
  auto rows = Query("SELECT id, org_code, name, role FROM member WHERE id = $1 AND removed_at IS NULL", {Arg(id)});
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<Member>();
  return std::optional<Member>(ReadPgMember(*rows, 0, 0));
}

Result<std::optional<MemberState>> PostgresStore::DoGetMemberState(std::string_view id) {
  auto rows =
      Query("SELECT id, org_code, name, role, disabled_at FROM member WHERE id = $1 AND removed_at IS NULL", {Arg(id)});
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<MemberState>();
  return std::optional<MemberState>(MemberState{ReadPgMember(*rows, 0, 0), PgOptionalTime(*rows, 0, 4)});
}

Result<std::vector<Member>> PostgresStore::DoListMembers() {
  auto rows = Query("SELECT id, org_code, name, role FROM member WHERE removed_at IS NULL ORDER BY id", {});
  if (!rows.ok()) return rows.error();
  std::vector<Member> members;
  for (int row = 0; row < rows->size(); ++row) members.push_back(ReadPgMember(*rows, row, 0));
  return members;
}

Status PostgresStore::DoSetMemberDisabled(std::string_view id, std::optional<Timestamp> disabled_at,
                                          std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto updated =
        Query("UPDATE member SET disabled_at = $1 WHERE id = $2 AND removed_at IS NULL", {Arg(disabled_at), Arg(id)});
    if (!updated.ok()) return updated.error();
    if (updated->Affected() == 0) return Error::NotFound("no member '" + std::string(id) + "'");
    return AppendAudit(actor, disabled_at ? "member.disable" : "member.enable", id, "{}");
  });
}

Status PostgresStore::DoRemoveMember(std::string_view id, Timestamp at, std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto updated = Query("UPDATE member SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL", {Arg(at), Arg(id)});
    if (!updated.ok()) return updated.error();
    if (updated->Affected() == 0) return Error::NotFound("no member '" + std::string(id) + "'");
    return AppendAudit(actor, "member.remove", id, "{}");
  });
}

Status PostgresStore::DoAddToken(const TokenGrant& grant, std::string_view token_id, Timestamp created_at,
                                 std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto inserted = Query(
        "INSERT INTO api_token(token_hash, id, member_id, label, created, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        {Arg(grant.token_hash), Arg(token_id), Arg(grant.member_id), Arg(grant.label), Arg(created_at),
         Arg(grant.expires_at)});
    if (!inserted.ok()) return inserted.error();
    if (inserted->Affected() == 0) return Error::Conflict("token could not be stored (already exists?)");
    // The audit names the token by its id (a hash prefix), never the whole hash.
    nlohmann::json detail = {{"id", token_id}, {"label", grant.label}};
    detail["expires_at"] = grant.expires_at ? nlohmann::json(grant.expires_at->ToRfc3339()) : nlohmann::json();
    return AppendAudit(actor, "token.create", grant.member_id, detail.dump());
  });
}

Result<std::optional<Store::TokenOwner>> PostgresStore::DoFindToken(std::string_view token_hash) {
  auto rows = Query("SELECT m.id, m.org_code, m.name, m.role, " + std::string(kPgTokenColumns) +
                        " FROM api_token t JOIN member m ON m.id = t.member_id "
                        "WHERE t.token_hash = $1 AND m.removed_at IS NULL",
                    {Arg(token_hash)});
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<TokenOwner>();
  return std::optional<TokenOwner>(TokenOwner{ReadPgMember(*rows, 0, 0), ReadPgToken(*rows, 0, 4)});
}

Result<std::optional<TokenInfo>> PostgresStore::DoGetToken(std::string_view token_id) {
  auto rows = Query("SELECT " + std::string(kPgTokenColumns) +
                        " FROM api_token t JOIN member m ON m.id = t.member_id WHERE t.id = $1",
                    {Arg(token_id)});
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<TokenInfo>();
  return std::optional<TokenInfo>(ReadPgToken(*rows, 0, 0));
}

Result<std::vector<TokenInfo>> PostgresStore::DoListTokens(std::string_view member_id) {
  std::string sql = "SELECT " + std::string(kPgTokenColumns) + " FROM api_token t JOIN member m ON m.id = t.member_id";
  Params params;
  if (!member_id.empty()) sql += " WHERE t.member_id = " + Bind(params, Arg(member_id));
  sql += " ORDER BY t.created, t.id";
  auto rows = Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<TokenInfo> tokens;
  for (int row = 0; row < rows->size(); ++row) tokens.push_back(ReadPgToken(*rows, row, 0));
  return tokens;
}

Status PostgresStore::DoRevokeToken(std::string_view token_id, Timestamp at, std::string_view reason,
                                    std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto revoked = Query(
        "UPDATE api_token SET revoked_at = $1, revoked = 1 WHERE id = $2 AND revoked_at IS NULL RETURNING member_id",
        {Arg(at), Arg(token_id)});
    if (!revoked.ok()) return revoked.error();
    if (revoked->size() == 0) return Ok();
    const nlohmann::json detail = {{"id", token_id}, {"reason", reason}};
    return AppendAudit(actor, "token.revoke", revoked->Text(0, 0), detail.dump());
  });
}

Status PostgresStore::DoSetTokenExpiry(std::string_view token_id, Timestamp at, std::string_view action,
                                       std::string_view detail, std::string_view actor) {
  std::lock_guard lock(mutex_);
  return DoInTransaction([&]() -> Status {
    auto token = DoGetToken(token_id);
    if (!token.ok()) return token.error();
    if (!token->has_value()) return Error::NotFound("no token with id '" + std::string(token_id) + "'");
    auto updated = Query("UPDATE api_token SET expires_at = $1 WHERE id = $2", {Arg(at), Arg(token_id)});
    if (!updated.ok()) return updated.error();
    return AppendAudit(actor, action, (*token)->member_id, std::string(detail));
  });
}

Status PostgresStore::DoTouchToken(std::string_view token_id, Timestamp at) {
  auto updated = Query("UPDATE api_token SET last_used = $1 WHERE id = $2", {Arg(at), Arg(token_id)});
  if (!updated.ok()) return updated.error();
  return Ok();
}

Status PostgresStore::DoUpsertCollection(const Collection& collection, std::string_view actor) {
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
    auto written = Query(
        "INSERT INTO collection(id, title, description, audience, audience_value, group_orgs, default_tlp) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
        "description = excluded.description, audience = excluded.audience, "
        "audience_value = excluded.audience_value, group_orgs = excluded.group_orgs, "
        "default_tlp = excluded.default_tlp",
        {Arg(collection.id), Arg(collection.title), Arg(collection.description),
         Arg(AudienceKindName(collection.audience)), Arg(collection.audience_value),
         Arg(JoinList(collection.group_orgs)), Arg(std::int64_t{static_cast<int>(collection.default_tlp)})});
    if (!written.ok()) return written.error();
    const nlohmann::json detail = {{"title", collection.title},
                                   {"audience", AudienceKindName(collection.audience)},
                                   {"audience_value", collection.audience_value},
                                   {"group_orgs", collection.group_orgs}};
    return AppendAudit(actor, exists ? "collection.update" : "collection.create", collection.id, detail.dump());
  });
}

Result<std::vector<Collection>> PostgresStore::DoListCollections() {
  auto rows = Query(
      "SELECT id, title, description, audience, audience_value, group_orgs, default_tlp FROM collection "
      "ORDER BY title, id",
      {});
  if (!rows.ok()) return rows.error();
  std::vector<Collection> collections;
  for (int row = 0; row < rows->size(); ++row) {
    Collection collection;
    collection.id = rows->Text(row, 0);
    collection.title = rows->Text(row, 1);
    collection.description = rows->Text(row, 2);
    collection.audience = ParseAudienceKind(rows->Text(row, 3)).value_or(AudienceKind::kGroup);
    collection.audience_value = rows->Text(row, 4);
    collection.group_orgs = SplitList(rows->Text(row, 5));
    collection.default_tlp = static_cast<Tlp>(rows->Int(row, 6));
    collections.push_back(std::move(collection));
  }
  return collections;
}

Result<std::vector<AddOutcome>> PostgresStore::DoAddObjects(std::string_view collection_id,
                                                            const std::vector<NewObject>& objects,
                                                            std::string_view producer_org, std::string_view actor) {
  std::lock_guard lock(mutex_);
  std::vector<AddOutcome> outcomes;
  const std::int64_t last_before = last_added_us_;
  const Status status = DoInTransaction([&]() -> Status {
    // The writer lock is held: no other process adds objects until this
    // transaction ends, and every object stored so far was added in seq
    // order with increasing date_added, so the newest row has the latest.
    auto newest = Query("SELECT added_us FROM stix_object ORDER BY seq DESC LIMIT 1", {});
    if (!newest.ok()) return newest.error();
    std::int64_t last = last_added_us_;
    if (newest->size() > 0) last = std::max(last, newest->Int(0, 0));
    std::int64_t added_count = 0;
    outcomes.reserve(objects.size());
    // Up to kRowsPerInsert rows per statement (one round trip each), in
    // the order given: seq and date_added both grow along it. RETURNING names
    // the (id, version) pairs stored; the others were there already (or
    // earlier in the same batch).
    constexpr std::size_t kRowsPerInsert = 500;
    for (std::size_t begin = 0; begin < objects.size(); begin += kRowsPerInsert) {
      const std::size_t end = std::min(objects.size(), begin + kRowsPerInsert);
      std::vector<std::string> ids, types, spec_versions, versions, added, tlps, recipients, texts;
      std::vector<std::int64_t> dates;
      for (std::size_t object_idx = begin; object_idx < end; ++object_idx) {
        const auto& object = objects[object_idx];
        const std::int64_t now_us = Timestamp::Now().unix_ms() * 1000;
        dates.push_back(std::max(now_us, (dates.empty() ? last : dates.back()) + 1));
        ids.push_back(object.id);
        types.push_back(object.type);
        spec_versions.push_back(object.spec_version);
        versions.push_back(object.version);
        added.push_back(std::to_string(dates.back()));
        tlps.push_back(object.tlp ? std::to_string(static_cast<int>(*object.tlp)) : "-1");
        recipients.push_back(JoinList(object.recipients));
        texts.push_back(object.json);
      }
      auto inserted = Query(
          "INSERT INTO stix_object(collection_id, id, type, spec_version, version, added_us, tlp, producer_org, "
          "recipients, json, posted_by) "
          "SELECT $1, u.id, u.type, u.spec_version, u.version, u.added_us, NULLIF(u.tlp, -1), $2, u.recipients, "
          "u.json, $3 FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::int[], "
          "$10::text[], $11::text[]) WITH ORDINALITY AS u(id, type, spec_version, version, added_us, tlp, recipients, "
          "json, ord) ORDER BY u.ord "
          "ON CONFLICT (collection_id, id, version) DO NOTHING RETURNING id, version, added_us",
          {Arg(collection_id), Arg(producer_org), Arg(actor), ArrayArg(ids), ArrayArg(types), ArrayArg(spec_versions),
           ArrayArg(versions), ArrayArg(added), ArrayArg(tlps), ArrayArg(recipients), ArrayArg(texts)});
      if (!inserted.ok()) return inserted.error();
      std::multiset<std::pair<std::string, std::string>> stored;
      for (int row = 0; row < inserted->size(); ++row) {
        stored.insert({inserted->Text(row, 0), inserted->Text(row, 1)});
        last = std::max(last, inserted->Int(row, 2));
      }
      for (std::size_t object_idx = begin; object_idx < end; ++object_idx) {
        const auto& object = objects[object_idx];
        const auto found = stored.find({object.id, object.version});
        const bool was_added = found != stored.end();
        if (was_added) {
          stored.erase(found);
          ++added_count;
        }
        outcomes.push_back({object.id, object.version, was_added});
      }
    }
    last_added_us_ = last;
    const nlohmann::json detail = {{"collection", collection_id}, {"received", objects.size()}, {"added", added_count}};
    return AppendAudit(actor, "objects.add", std::string(collection_id), detail.dump());
  });
  if (!status.ok()) {
    // The transaction rolled back: forget the dates it handed out.
    last_added_us_ = last_before;
    return status.error();
  }
  return outcomes;
}

Result<ObjectPage> PostgresStore::DoQueryObjects(const ObjectQuery& query,
                                                 const std::function<bool(const StoredObject&)>& visible) {
  Params params;
  std::string sql = "SELECT " + std::string(kPgObjectColumns) + " FROM stix_object o WHERE ";
  if (!query.all_collections) sql += "collection_id = " + Bind(params, Arg(query.collection_id)) + " AND ";
  const std::size_t cursor_param = params.size();
  sql += "seq > " + Bind(params, Arg(query.after_seq));
  if (query.added_after_us) sql += " AND added_us > " + Bind(params, Arg(*query.added_after_us));
  const auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    sql += std::string(" AND ") + column + " = ANY(" + Bind(params, ArrayArg(values)) + "::text[])";
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
  // Rows come in chunks, so that a page skipping many invisible objects
  // neither stops short nor reads the whole collection at once.
  std::int64_t chunk = query.limit + 1;
  const std::size_t chunk_param = params.size();
  sql += " ORDER BY seq LIMIT " + Bind(params, Arg(chunk));
  ObjectPage page;
  for (;;) {
    auto rows = Query(sql, params);
    if (!rows.ok()) return rows.error();
    for (int row = 0; row < rows->size(); ++row) {
      StoredObject object = ReadPgObject(*rows, row);
      params[cursor_param] = Arg(object.seq);
      if (visible && !visible(object)) continue;
      if (static_cast<int>(page.objects.size()) == query.limit) {
        page.more = true;
        return page;
      }
      page.next_seq = object.seq;
      page.objects.push_back(std::move(object));
    }
    if (rows->size() < chunk) return page;
    chunk = std::min<std::int64_t>(chunk * 2, kMaxPageSize + 1);
    params[chunk_param] = Arg(chunk);
  }
}

Result<std::optional<std::string>> PostgresStore::DoObjectOwner(std::string_view object_id) {
  auto rows = Query("SELECT producer_org FROM stix_object WHERE id = $1 ORDER BY seq LIMIT 1", {Arg(object_id)});
  if (!rows.ok()) return rows.error();
  std::optional<std::string> owner;
  if (rows->size() > 0) owner = rows->Text(0, 0);
  return owner;
}

Result<std::map<std::string, std::string>> PostgresStore::DoObjectOwners(const std::vector<std::string>& object_ids) {
  auto rows =
      Query("SELECT DISTINCT ON (id) id, producer_org FROM stix_object WHERE id = ANY($1::text[]) ORDER BY id, seq",
            {ArrayArg(object_ids)});
  if (!rows.ok()) return rows.error();
  std::map<std::string, std::string> owners;
  for (int row = 0; row < rows->size(); ++row) owners.emplace(rows->Text(row, 0), rows->Text(row, 1));
  return owners;
}

Result<std::int64_t> PostgresStore::DoDeleteObject(std::string_view collection_id, std::string_view object_id,
                                                   const VersionFilter& versions, std::string_view actor) {
  std::lock_guard lock(mutex_);
  std::int64_t deleted = 0;
  const Status status = DoInTransaction([&]() -> Status {
    Params params = {Arg(collection_id), Arg(object_id)};
    std::string sql = "DELETE FROM stix_object WHERE collection_id = $1 AND id = $2";
    switch (versions.mode) {
      case VersionFilter::Mode::kAll:
        break;
      case VersionFilter::Mode::kLast:
        sql += " AND version = (SELECT MAX(version) FROM stix_object WHERE collection_id = $1 AND id = $2)";
        break;
      case VersionFilter::Mode::kFirst:
        sql += " AND version = (SELECT MIN(version) FROM stix_object WHERE collection_id = $1 AND id = $2)";
        break;
      case VersionFilter::Mode::kGiven:
        sql += " AND version = ANY(" + Bind(params, ArrayArg(versions.versions)) + "::text[])";
        break;
    }
    auto removed = Query(sql, params);
    if (!removed.ok()) return removed.error();
    deleted = removed->Affected();
    if (deleted == 0) return Ok();
    const nlohmann::json detail = {{"collection", collection_id}, {"versions_deleted", deleted}};
    return AppendAudit(actor, "object.delete", std::string(object_id), detail.dump());
  });
  if (!status.ok()) return status.error();
  return deleted;
}

Status PostgresStore::DoPutStatus(const TaxiiStatus& status) {
  auto written = Query(
      "INSERT INTO taxii_status(id, member_id, status, request_timestamp, total, success, failure, pending, details) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO UPDATE SET member_id = excluded.member_id, "
      "status = excluded.status, request_timestamp = excluded.request_timestamp, total = excluded.total, "
      "success = excluded.success, failure = excluded.failure, pending = excluded.pending, details = excluded.details",
      {Arg(status.id), Arg(status.member_id), Arg(status.status), Arg(status.request_timestamp), Arg(status.total),
       Arg(status.success), Arg(status.failure), Arg(status.pending), Arg(status.details_json)});
  if (!written.ok()) return written.error();
  return Ok();
}

Result<std::optional<TaxiiStatus>> PostgresStore::DoGetStatus(std::string_view id) {
  auto rows = Query(
      "SELECT id, member_id, status, request_timestamp, total, success, failure, pending, details FROM "
      "taxii_status WHERE id = $1",
      {Arg(id)});
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<TaxiiStatus>();
  TaxiiStatus status;
  status.id = rows->Text(0, 0);
  status.member_id = rows->Text(0, 1);
  status.status = rows->Text(0, 2);
  if (auto parsed = Timestamp::Parse(rows->Text(0, 3)); parsed.ok()) status.request_timestamp = *parsed;
  status.total = rows->Int(0, 4);
  status.success = rows->Int(0, 5);
  status.failure = rows->Int(0, 6);
  status.pending = rows->Int(0, 7);
  status.details_json = rows->Text(0, 8);
  return std::optional<TaxiiStatus>(std::move(status));
}

Status PostgresStore::ExportRawRows(const RawTable& table, const std::function<Status(RawRow&&)>& sink) {
  std::lock_guard lock(mutex_);
  // A cursor lives in a transaction: outside one, a read-only snapshot of our own.
  const bool own_transaction = transaction_depth_ == 0;
  if (own_transaction) DV_TRY(Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  ++transaction_depth_;
  const auto read = [&]() -> Status {
    DV_TRY(Exec("DECLARE dv_raw_export NO SCROLL CURSOR FOR SELECT " + RawColumnList(table) + " FROM " +
                std::string(table.name) + " ORDER BY " + RawKeyList(table)));
    const int columns = static_cast<int>(table.columns.size());
    for (;;) {
      auto rows = Query("FETCH FORWARD 1000 FROM dv_raw_export", {});
      if (!rows.ok()) return rows.error();
      if (rows->size() == 0) break;
      for (int row_idx = 0; row_idx < rows->size(); ++row_idx) {
        RawRow row;
        row.reserve(table.columns.size());
        for (int col = 0; col < columns; ++col) {
          if (rows->IsNull(row_idx, col)) {
            row.emplace_back(std::nullopt);
          } else if (table.columns[static_cast<std::size_t>(col)].type == RawType::kReal) {
            row.emplace_back(RawRealText(rows->Real(row_idx, col)));
          } else {
            row.emplace_back(rows->Text(row_idx, col));
          }
        }
        DV_TRY(sink(std::move(row)));
      }
    }
    return Exec("CLOSE dv_raw_export");
  };
  Status status = read();
  --transaction_depth_;
  if (own_transaction) {
    if (status.ok()) {
      status = Exec("COMMIT");
    }
    Rollback();
  } else if (!status.ok() && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_INTRANS) {
    // The sink failed, not the database: the outer transaction goes on without the cursor.
    (void)Exec("CLOSE dv_raw_export");
  }
  return status;
}

Status PostgresStore::ImportRawRows(const RawTable& table, std::span<const RawRow> rows) {
  std::lock_guard lock(mutex_);
  const std::string head = "INSERT INTO " + std::string(table.name) + "(" + RawColumnList(table) + ")" +
                           (table.generated.empty() ? "" : " OVERRIDING SYSTEM VALUE") + " VALUES ";
  // PostgreSQL takes at most 65535 parameters per statement.
  const std::size_t per_statement = std::max<std::size_t>(1, 30000 / table.columns.size());
  for (std::size_t first = 0; first < rows.size(); first += per_statement) {
    const std::size_t last = std::min(rows.size(), first + per_statement);
    std::string sql = head;
    Params params;
    params.reserve((last - first) * table.columns.size());
    for (std::size_t row_idx = first; row_idx < last; ++row_idx) {
      const auto& row = rows[row_idx];
      if (row.size() != table.columns.size()) {
        return Error::InvalidArgument("postgresql: a row of " + std::string(table.name) + " has " +
                                      std::to_string(row.size()) + " values, want " +
                                      std::to_string(table.columns.size()));
      }
      sql += row_idx == first ? "(" : ", (";
      for (std::size_t col = 0; col < row.size(); ++col) {
        if (col > 0) sql += ", ";
        sql += Bind(params, row[col]);
      }
      sql += ")";
    }
    auto inserted = Query(sql, params);
    if (!inserted.ok()) return inserted.error();
  }
  if (!table.generated.empty()) {
    // New rows continue after the copied ids.
    auto moved = Query("SELECT setval(pg_get_serial_sequence($1, $2), MAX(" + std::string(table.generated) +
                           ")) FROM " + std::string(table.name),
                       {Arg(table.name), Arg(table.generated)});
    if (!moved.ok()) return moved.error();
  }
  return Ok();
}

}  // namespace dv
