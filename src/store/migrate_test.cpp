// SPDX-License-Identifier: Apache-2.0
// store/migrate.h: an SQLite file store filled with every kind of row
// through the public API is copied to another store (SQLite, and PostgreSQL
// when DV_TEST_POSTGRES_URL names a database: ctest
// store_conformance_postgresql), and must read back identically through the
// public API; a re-run copies nothing, a target with other data is refused.

#include "store/migrate.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "store/postgres_test_support.h"
#include "store/raw_rows.h"
#include "store/store.h"

namespace dv {
namespace {

constexpr const char* kIntel = "5a1c3b0e-8f2d-4c1a-9b7e-000000000001";
constexpr const char* kRegional = "5a1c3b0e-8f2d-4c1a-9b7e-000000000002";

struct MigrateTarget {
  std::string name;
  std::string url;  // "" = an SQLite file in the test's directory
};

void PrintTo(const MigrateTarget& target, std::ostream* out) { *out << target.name; }

std::string Hash(char seed) { return std::string(64, seed); }

Organisation Org(std::string code, std::string name, OrgKind kind) {
  Organisation org;
  org.code = std::move(code);
  org.name = std::move(name);
  org.kind = kind;
  return org;
}

Timestamp InSeconds(std::int64_t seconds) { return Timestamp(Timestamp::Now().unix_ms() + seconds * 1000); }

NewObject Object(const std::string& type, const std::string& tail, const std::string& version, std::optional<Tlp> tlp,
                 std::vector<std::string> recipients = {}) {
  NewObject object;
  object.id = type + "--00000000-0000-4000-8000-" + tail;
  object.type = type;
  object.spec_version = "2.1";
  object.version = version;
  object.tlp = tlp;
  object.recipients = std::move(recipients);
  object.json = R"({"type":")" + type + R"(","id":")" + object.id + R"(","modified":")" + version + R"("})";
  return object;
}

// Everything a hub stores, written through the public API.
void Fill(Store& store) {
  Organisation kbh = Org("0101", "København", OrgKind::kMunicipality);
  kbh.region_code = "1084";
  kbh.population = 650000;
  Organisation aarhus = Org("0751", "Aarhus", OrgKind::kMunicipality);
  aarhus.region_code = "1082";
  Organisation nemlogin = Org("NEMLOGIN", "NemLog-in", OrgKind::kSharedSystem);
  nemlogin.description = "Login for the public sector — \"quoted\", æøå";
  for (const auto& org : {kbh, aarhus, nemlogin}) ASSERT_TRUE(store.UpsertOrganisation(org, "seed").ok());
  aarhus.population = 360000;  // an update: a second audit entry
  ASSERT_TRUE(store.UpsertOrganisation(aarhus, "alice").ok());
  // 0.1 + 0.2 is not 0.3: a REAL must survive to the last bit.
  ASSERT_TRUE(
      store.UpsertDependency({"0101", "NEMLOGIN", Relation::kUsesSystem, 0.1 + 0.2, false, "login"}, "seed").ok());
  ASSERT_TRUE(store.UpsertDependency({"0751", "NEMLOGIN", Relation::kUsesSystem, 1.0, true, ""}, "seed").ok());

  ASSERT_TRUE(store.UpsertMember({"0101-soc", "0101", "KBH SOC", MemberRole::kMember}, "admin").ok());
  ASSERT_TRUE(store.UpsertMember({"0751-sensor", "0751", "Sensor", MemberRole::kSensor}, "admin").ok());
  ASSERT_TRUE(store.UpsertMember({"0751-ops", "0751", "Ops", MemberRole::kCoordinator}, "admin").ok());
  ASSERT_TRUE(store.UpsertMember({"0101-old", "0101", "Former", MemberRole::kAdmin}, "admin").ok());
  ASSERT_TRUE(store.CreateToken({Hash('a'), "0101-soc", "laptop", InSeconds(86400)}, "admin").ok());
  ASSERT_TRUE(store.CreateToken({Hash('b'), "0101-soc", "old laptop", std::nullopt}, "admin").ok());
  ASSERT_TRUE(store.CreateToken({Hash('c'), "0751-sensor", "sensor", std::nullopt}, "admin").ok());
  ASSERT_TRUE(store.CreateToken({Hash('d'), "0751-ops", "ops", std::nullopt}, "admin").ok());
  ASSERT_TRUE(store.CreateToken({Hash('e'), "0101-old", "gone", std::nullopt}, "admin").ok());
  ASSERT_TRUE(store.RevokeToken(Hash('b').substr(0, 12), "admin").ok());
  ASSERT_TRUE(store.MemberByTokenHash(Hash('a')).ok());  // records last use
  ASSERT_TRUE(store.DisableMember("0751-ops", "admin").ok());
  ASSERT_TRUE(store.RemoveMember("0101-old", "admin").ok());

  ASSERT_TRUE(
      store.UpsertCollection({kIntel, "Intel", "national", AudienceKind::kNational, "", {}, Tlp::kGreen}, "admin")
          .ok());
  ASSERT_TRUE(
      store
          .UpsertCollection({kRegional, "Region", "", AudienceKind::kGroup, "", {"0101", "0751"}, Tlp::kAmber}, "admin")
          .ok());
  ASSERT_TRUE(store
                  .AddObjects(kIntel,
                              {Object("indicator", "000000000001", "2026-11-26T10:00:00.000Z", Tlp::kGreen),
                               Object("indicator", "000000000002", "2026-11-26T10:00:00.000Z", std::nullopt)},
                              "0101", "0101-soc")
                  .ok());
  ASSERT_TRUE(store
                  .AddObjects(kRegional,
                              {Object("malware", "000000000003", "2026-11-26T11:00:00.000Z", Tlp::kRed, {"0751"})},
                              "0751", "member:0751-sensor")
                  .ok());
  ASSERT_TRUE(store
                  .AddObjects(kIntel, {Object("indicator", "000000000001", "2026-11-27T10:00:00.000Z", Tlp::kGreen)},
                              "0101", "0101-soc")
                  .ok());
  ASSERT_TRUE(store
                  .AddObjects(kRegional, {Object("indicator", "000000000001", "2026-11-26T10:00:00.000Z", Tlp::kAmber)},
                              "0101", "0101-soc")
                  .ok());
  // A deleted object leaves a gap in seq that the copy must keep.
  ASSERT_TRUE(store.DeleteObject(kIntel, "indicator--00000000-0000-4000-8000-000000000002", {}, "admin").ok());

  TaxiiStatus status;
  status.id = "2d086da7-4bdc-4f91-900e-d77486753710";
  status.member_id = "0101-soc";
  status.request_timestamp = Timestamp::FromCivil(2026, 11, 26, 10, 0, 0);
  status.total = 2;
  status.success = 2;
  status.details_json = R"({"successes":[],"failures":[]})";
  ASSERT_TRUE(store.PutStatus(status).ok());

  ASSERT_TRUE(store.PutRecord({"baseline.assessment", "0101", "0101", R"({"score":1})", 0}, "alice").ok());
  ASSERT_TRUE(store.PutRecord({"baseline.assessment", "0101", "0101", R"({"score":2})", 1}, "bob").ok());
  ASSERT_TRUE(store.PutRecord({"incident", "inc-1", "0751", R"({"title":"x"})", 0}, "carol").ok());
  ASSERT_TRUE(store.DeleteRecord("incident", "inc-1", "carol").ok());
  ASSERT_TRUE(store.Audit("0751-sensor", "objects.read.refused", kRegional, R"({"why":"test"})").ok());
}

std::string Describe(const TokenInfo& token) {
  std::ostringstream out;
  const auto time = [](const std::optional<Timestamp>& at) { return at ? at->ToRfc3339() : std::string("-"); };
  out << token.id << " " << token.member_id << " " << token.label << " " << token.created_at.ToRfc3339() << " "
      << time(token.expires_at) << " " << time(token.revoked_at) << " " << time(token.last_used) << " "
      << token.member_disabled;
  return out.str();
}

std::string Describe(const StoredObject& object) {
  std::ostringstream out;
  out << object.seq << " " << object.collection_id << " " << object.id << " " << object.type << " "
      << object.spec_version << " " << object.version << " " << object.added_us << " "
      << (object.tlp ? static_cast<int>(*object.tlp) : -1) << " " << object.producer_org << " [";
  for (const auto& org : object.recipients) out << org << ",";
  out << "] " << object.json << " " << object.posted_by;
  return out.str();
}

std::string Describe(const Record& record) {
  std::ostringstream out;
  out << record.kind << " " << record.id << " " << record.org_code << " v" << record.version << " "
      << record.at.ToRfc3339() << " " << record.actor << " " << record.body << " " << record.deleted;
  return out.str();
}

std::string Describe(const AuditEntry& entry) {
  std::ostringstream out;
  out << entry.id << " " << entry.at.ToRfc3339() << " " << entry.actor << " " << entry.action << " " << entry.object
      << " " << entry.detail;
  return out.str();
}

// Every object of a collection in change-feed order, read two at a time.
std::vector<std::string> ObjectFeed(Store& store, const std::string& collection) {
  std::vector<std::string> out;
  ObjectQuery query;
  query.collection_id = collection;
  query.versions.mode = VersionFilter::Mode::kAll;
  query.limit = 2;
  for (;;) {
    auto page = store.QueryObjects(query, [](const StoredObject&) { return true; });
    EXPECT_TRUE(page.ok()) << page.error().ToString();
    if (!page.ok()) break;
    for (const auto& object : page->objects) out.push_back(Describe(object));
    if (!page->more) break;
    query.after_seq = page->next_seq;
  }
  return out;
}

std::vector<std::string> Tokens(Store& store) {
  std::vector<std::string> out;
  auto tokens = store.ListTokens();
  EXPECT_TRUE(tokens.ok());
  if (tokens.ok()) {
    for (const auto& token : *tokens) out.push_back(Describe(token));
  }
  return out;
}

std::vector<std::string> History(Store& store, std::string_view kind, std::string_view id) {
  std::vector<std::string> out;
  auto history = store.RecordHistory(kind, id);
  EXPECT_TRUE(history.ok());
  if (history.ok()) {
    for (const auto& record : *history) out.push_back(Describe(record));
  }
  return out;
}

std::vector<std::string> AuditLog(Store& store) {
  std::vector<std::string> out;
  auto audit = store.ListAudit(Store::kMaxPageSize);
  EXPECT_TRUE(audit.ok());
  if (audit.ok()) {
    for (const auto& entry : *audit) out.push_back(Describe(entry));
  }
  return out;
}

class StoreMigration : public ::testing::TestWithParam<MigrateTarget> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dv-migrate-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto source = Store::Open("sqlite:" + (dir_ / "source.db").string());
    ASSERT_TRUE(source.ok()) << source.error().ToString();
    source_ = std::move(source).value();
    ASSERT_NO_FATAL_FAILURE(Fill(*source_));
  }
  void TearDown() override {
    source_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A new, empty target store: `schema` names its PostgreSQL schema, or its SQLite file.
  std::unique_ptr<Store> OpenTarget(const std::string& schema) {
    std::string url;
    if (GetParam().url.empty()) {
      url = "sqlite:" + (dir_ / (schema + ".db")).string();
    } else {
      auto fresh = FreshPostgresSchema(GetParam().url, schema);
      EXPECT_TRUE(fresh.ok()) << fresh.error().ToString();
      if (!fresh.ok()) return nullptr;
      url = *fresh;
    }
    auto store = Store::Open(url);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    if (!store.ok()) return nullptr;
    return std::move(store).value();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> source_;
};

TEST_P(StoreMigration, CopiesEveryRowSoThatTheTargetReadsBackTheSame) {
  auto target = OpenTarget("dv_migrate_target");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->BackendName(), GetParam().name == "postgresql" ? "postgresql" : "sqlite");
  std::vector<std::string> progress;
  MigrateOptions options;
  options.batch_rows = 2;  // several transactions per table
  options.progress = [&](std::string_view table, std::int64_t done, std::int64_t total) {
    progress.push_back(std::string(table) + " " + std::to_string(done) + "/" + std::to_string(total));
  };
  auto report = MigrateStore(*source_, *target, options);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_TRUE(report->Verified()) << report->Mismatches();
  ASSERT_EQ(report->tables.size(), 9U);
  std::int64_t rows = 0;
  for (const auto& check : report->tables) {
    EXPECT_TRUE(check.Matches()) << check.table;
    EXPECT_EQ(check.copied, check.source_rows) << check.table;
    EXPECT_EQ(check.source_sha256.size(), 64U);
    rows += check.source_rows;
  }
  EXPECT_EQ(report->copied, rows);
  EXPECT_EQ(report->tables[0].table, "organisation");
  EXPECT_EQ(report->tables[0].source_rows, 3);
  EXPECT_EQ(report->tables[5].table, "stix_object");
  EXPECT_EQ(report->tables[5].source_rows, 4);  // 5 added, 1 deleted
  EXPECT_NE(std::find(progress.begin(), progress.end(), "audit_log 2/" + std::to_string(report->tables[8].source_rows)),
            progress.end());

  // Organisations and dependencies, a REAL to the last bit.
  auto orgs_before = source_->ListOrganisations({});
  auto orgs_after = target->ListOrganisations({});
  ASSERT_TRUE(orgs_before.ok() && orgs_after.ok());
  EXPECT_EQ(orgs_after->items, orgs_before->items);
  auto deps = target->ListDependencies("NEMLOGIN", EdgeDirection::kDependents);
  ASSERT_TRUE(deps.ok());
  ASSERT_EQ(deps->size(), 2U);
  EXPECT_EQ((*deps)[0].edge.strength, 0.1 + 0.2);
  EXPECT_EQ((*deps)[1].edge.illustrative, true);

  // Members: the disabled one stays disabled, the removed one stays removed.
  EXPECT_EQ(*target->ListMembers(), *source_->ListMembers());
  auto ops = target->GetMemberState("0751-ops");
  ASSERT_TRUE(ops.ok());
  ASSERT_TRUE(ops->disabled_at.has_value());
  EXPECT_EQ(ops->disabled_at->unix_ms(), source_->GetMemberState("0751-ops")->disabled_at->unix_ms());
  EXPECT_EQ(target->GetMember("0101-old").error().kind(), ErrorKind::kNotFound);

  // Tokens: every fact, then they authenticate as before.
  EXPECT_EQ(Tokens(*target), Tokens(*source_));
  EXPECT_EQ(Tokens(*target).size(), 5U);  // the removed member's revoked token included
  auto member = target->MemberByTokenHash(Hash('a'));
  ASSERT_TRUE(member.ok()) << member.error().ToString();
  EXPECT_EQ(member->id, "0101-soc");
  EXPECT_TRUE(target->MemberByTokenHash(Hash('c')).ok());
  for (char refused : {'b', 'd', 'e', 'f'}) {
    EXPECT_EQ(target->MemberByTokenHash(Hash(refused)).error().kind(), ErrorKind::kUnauthorized) << refused;
  }

  // Collections, objects in feed order with their seq and date_added, owners, status.
  EXPECT_EQ(*target->ListCollections(), *source_->ListCollections());
  for (const char* collection : {kIntel, kRegional}) {
    const auto feed = ObjectFeed(*target, collection);
    EXPECT_EQ(feed, ObjectFeed(*source_, collection)) << collection;
    EXPECT_EQ(feed.size(), 2U) << collection;
  }
  EXPECT_EQ(*target->ObjectOwner("malware--00000000-0000-4000-8000-000000000003"), "0751");
  EXPECT_EQ(*target->ObjectOwner("indicator--00000000-0000-4000-8000-000000000001"), "0101");
  auto status = target->GetStatus("2d086da7-4bdc-4f91-900e-d77486753710");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->member_id, "0101-soc");
  EXPECT_EQ(status->details_json, R"({"successes":[],"failures":[]})");

  // Records: every version, the deletion marker, actors and times.
  EXPECT_EQ(History(*target, "baseline.assessment", "0101"), History(*source_, "baseline.assessment", "0101"));
  EXPECT_EQ(History(*target, "incident", "inc-1"), History(*source_, "incident", "inc-1"));
  EXPECT_EQ(History(*target, "incident", "inc-1").size(), 2U);
  EXPECT_EQ(target->GetRecord("incident", "inc-1").error().kind(), ErrorKind::kNotFound);

  // The audit log is the source's, with no entry added by the migration.
  const auto audit = AuditLog(*target);
  EXPECT_EQ(audit, AuditLog(*source_));

  // New writes continue after the copied ids and dates.
  auto newest = source_->ListAudit(1);
  ASSERT_TRUE(newest.ok() && !newest->empty());
  ASSERT_TRUE(target->Audit("admin", "test.after", "x", "{}").ok());
  EXPECT_EQ(target->ListAudit(1)->front().id, newest->front().id + 1);
  ASSERT_TRUE(target
                  ->AddObjects(kIntel, {Object("indicator", "000000000009", "2026-12-01T10:00:00.000Z", Tlp::kGreen)},
                               "0101", "0101-soc")
                  .ok());
  ObjectQuery query;
  query.collection_id = kIntel;
  query.versions.mode = VersionFilter::Mode::kAll;
  auto page = target->QueryObjects(query, [](const StoredObject&) { return true; });
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 3U);
  std::int64_t max_seq = 0;
  std::int64_t max_added = 0;
  for (const char* collection : {kIntel, kRegional}) {
    ObjectQuery all = query;
    all.collection_id = collection;
    auto objects = source_->QueryObjects(all, [](const StoredObject&) { return true; });
    ASSERT_TRUE(objects.ok());
    for (const auto& object : objects->objects) {
      max_seq = std::max(max_seq, object.seq);
      max_added = std::max(max_added, object.added_us);
    }
  }
  EXPECT_GT(page->objects.back().seq, max_seq);
  EXPECT_GT(page->objects.back().added_us, max_added);
}

TEST_P(StoreMigration, ARerunCopiesNothingAndVerifies) {
  auto target = OpenTarget("dv_migrate_rerun");
  ASSERT_NE(target, nullptr);
  auto first = MigrateStore(*source_, *target, {});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_TRUE(first->Verified());
  EXPECT_GT(first->copied, 0);
  const auto audit = AuditLog(*target);

  auto again = MigrateStore(*source_, *target, {});
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_TRUE(again->Verified()) << again->Mismatches();
  EXPECT_EQ(again->copied, 0);
  for (std::size_t table_idx = 0; table_idx < again->tables.size(); ++table_idx) {
    EXPECT_EQ(again->tables[table_idx].source_sha256, first->tables[table_idx].source_sha256);
    EXPECT_EQ(again->tables[table_idx].copied, 0);
  }
  EXPECT_EQ(AuditLog(*target), audit);

  // Rows the source gained since (here at the end of the audit log): only those are copied.
  ASSERT_TRUE(source_->Audit("admin", "test.later", "x", "{}").ok());
  auto later = MigrateStore(*source_, *target, {});
  ASSERT_TRUE(later.ok()) << later.error().ToString();
  EXPECT_TRUE(later->Verified());
  EXPECT_EQ(later->copied, 1);
  EXPECT_EQ(later->tables.back().copied, 1);
  EXPECT_EQ(AuditLog(*target), AuditLog(*source_));
}

TEST_P(StoreMigration, RefusesATargetThatHoldsOtherData) {
  auto target = OpenTarget("dv_migrate_other");
  ASSERT_NE(target, nullptr);
  Organisation other = Org("0999", "Elsewhere", OrgKind::kOther);
  ASSERT_TRUE(target->UpsertOrganisation(other, "someone").ok());
  const auto audit = AuditLog(*target);

  auto refused = MigrateStore(*source_, *target, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kConflict);
  EXPECT_NE(refused.error().message().find("table organisation"), std::string::npos) << refused.error().ToString();
  EXPECT_NE(refused.error().message().find("nothing was written"), std::string::npos);
  // Nothing was merged.
  EXPECT_EQ(target->ListOrganisations({})->total, 1);
  EXPECT_EQ(target->ListMembers()->size(), 0U);
  EXPECT_EQ(AuditLog(*target), audit);

  // A target that differs only in a later table is refused as well, before any table is written.
  auto partial = OpenTarget("dv_migrate_partial");
  ASSERT_NE(partial, nullptr);
  ASSERT_TRUE(partial->Audit("someone", "test.other", "x", "{}").ok());
  auto refused_later = MigrateStore(*source_, *partial, {});
  ASSERT_FALSE(refused_later.ok());
  EXPECT_NE(refused_later.error().message().find("table audit_log"), std::string::npos)
      << refused_later.error().ToString();
  EXPECT_EQ(partial->ListOrganisations({})->total, 0);
}

std::vector<MigrateTarget> Targets() {
  std::vector<MigrateTarget> targets = {{"sqlite_file", ""}};
  if (const char* pg = std::getenv("DV_TEST_POSTGRES_URL"); pg != nullptr && *pg != '\0') {
    targets.push_back({"postgresql", pg});
  }
  return targets;
}

INSTANTIATE_TEST_SUITE_P(Targets, StoreMigration, ::testing::ValuesIn(Targets()),
                         [](const auto& param_info) { return param_info.param.name; });

// A migration that adds a table or a column must add it to RawTables(), or
// the copy would silently leave it behind.
TEST(StoreMigrationTables, CoverEveryTableAndColumnOfTheSchema) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("dv-migrate-schema-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "schema.db").string();
  ASSERT_TRUE(Store::Open("sqlite:" + path).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const auto strings = [&](const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(stmt) == SQLITE_ROW)
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    return out;
  };
  std::vector<std::string> schema_tables = strings(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "AND name <> 'schema_migrations' ORDER BY name");
  std::vector<std::string> raw_tables;
  for (const auto& table : RawTables()) {
    raw_tables.emplace_back(table.name);
    std::vector<std::string> columns = strings("SELECT name FROM pragma_table_info('" + std::string(table.name) + "')");
    std::vector<std::string> raw_columns;
    for (const auto& column : table.columns) raw_columns.emplace_back(column.name);
    std::sort(columns.begin(), columns.end());
    std::sort(raw_columns.begin(), raw_columns.end());
    EXPECT_EQ(raw_columns, columns) << table.name;
    std::vector<std::string> key =
        strings("SELECT name FROM pragma_table_info('" + std::string(table.name) + "') WHERE pk > 0 ORDER BY pk");
    EXPECT_EQ(std::vector<std::string>(table.key.begin(), table.key.end()), key) << table.name;
  }
  std::sort(raw_tables.begin(), raw_tables.end());
  EXPECT_EQ(raw_tables, schema_tables);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
}

TEST(StoreMigrationUrls, RefusesTheSameDatabaseMemoryAndOtherBackends) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("dv-migrate-urls-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "hub.db").string();
  EXPECT_TRUE(CheckMigrationUrls("sqlite:" + path, "postgresql://dv@localhost/dv").ok());
  EXPECT_TRUE(CheckMigrationUrls("sqlite:" + path, "sqlite:" + (dir / "copy.db").string()).ok());
  const auto same = CheckMigrationUrls("sqlite:" + path, "sqlite:" + (dir / "." / "hub.db").string());
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(same.error().message().find("the same database"), std::string::npos);
  const auto same_pg = CheckMigrationUrls("postgresql://dv:secret@db/dv", "postgresql://dv:secret@db/dv");
  ASSERT_FALSE(same_pg.ok());
  EXPECT_EQ(same_pg.error().message().find("secret"), std::string::npos) << same_pg.error().ToString();
  EXPECT_EQ(CheckMigrationUrls("sqlite::memory:", "postgresql://dv@db/dv").error().kind(), ErrorKind::kInvalidArgument);
  const auto mysql = CheckMigrationUrls("sqlite:" + path, "mysql://dv:secret@db/dv");
  ASSERT_FALSE(mysql.ok());
  EXPECT_EQ(mysql.error().kind(), ErrorKind::kUnsupported);
  EXPECT_EQ(CheckMigrationUrls("sqlite:" + path, "sqlite:" + path).error().kind(), ErrorKind::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

TEST(StoreMigrationUrls, RefusesABadBatchSizeAndOneStoreTwice) {
  auto store = Store::Open("sqlite::memory:");
  ASSERT_TRUE(store.ok());
  MigrateOptions options;
  options.batch_rows = 0;
  auto other = Store::Open("sqlite::memory:");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(MigrateStore(**store, **other, options).error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(MigrateStore(**store, **store, {}).error().kind(), ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace dv
