// SPDX-License-Identifier: Apache-2.0
// SQLite-specific behaviour: files, WAL, migrations and crash safety.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "store/store.h"

namespace dv {
namespace {

class SqliteFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("dv-sqlite-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Url() const { return "sqlite:" + (dir_ / "hub.db").string(); }

  static Organisation System(std::string code) {
    Organisation org;
    org.code = code;
    org.name = "System " + code;
    org.kind = OrgKind::kSharedSystem;
    return org;
  }

  std::filesystem::path dir_;
};

TEST_F(SqliteFile, UsesWalAndForeignKeys) {
  auto store = Store::Open(Url());
  ASSERT_TRUE(store.ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "hub.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteFile, ReopeningKeepsDataAndSchemaVersion) {
  int version = 0;
  {
    auto store = Store::Open(Url());
    ASSERT_TRUE(store.ok());
    version = (*store)->SchemaVersion();
    ASSERT_TRUE((*store)->UpsertOrganisation(System("AULA"), "test").ok());
  }
  auto store = Store::Open(Url());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->SchemaVersion(), version);
  EXPECT_EQ((*store)->GetOrganisation("AULA")->name, "System AULA");
}

TEST_F(SqliteFile, RefusesASchemaNewerThanItKnows) {
  { ASSERT_TRUE(Store::Open(Url()).ok()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "hub.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, '2026-01-01T00:00:00Z')", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto store = Store::Open(Url());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(store.error().message().find("999"), std::string::npos);
}

TEST_F(SqliteFile, AProcessKilledMidTransactionLosesOnlyItsOwnWrites) {
  {
    auto store = Store::Open(Url());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->UpsertOrganisation(System("AULA"), "test").ok());
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = Store::Open(Url());
    if (!store.ok()) ::_exit(3);
    (void)(*store)->InTransaction([&]() -> Status {
      for (int org_idx = 0; org_idx < 50; ++org_idx) {
        (void)(*store)->UpsertOrganisation(System("KILLED" + std::to_string(org_idx)), "test");
      }
      ::_exit(0);  // dies holding the open transaction
    });
    ::_exit(4);
  }
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status));
  ASSERT_EQ(WEXITSTATUS(wait_status), 0);
  auto store = Store::Open(Url());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_TRUE((*store)->GetOrganisation("AULA").ok());
  EXPECT_EQ((*store)->GetOrganisation("KILLED0").error().kind(), ErrorKind::kNotFound);
  OrganisationQuery query;
  EXPECT_EQ((*store)->ListOrganisations(query)->total, 1);
}

// Migration 5 (token and member lifecycle) on a database written by version 4:
// tokens get their id from the hash, and a token revoked under version 4 stays revoked.
TEST_F(SqliteFile, MigrationFiveKeepsOldTokensAndTheirRevocation) {
  const std::string active(64, 'a');
  const std::string revoked(64, 'b');
  {
    auto store = Store::Open(Url());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->UpsertOrganisation(System("AULA"), "test").ok());
    ASSERT_TRUE((*store)->UpsertMember({"aula-soc", "AULA", "Aula SOC", MemberRole::kMember}, "test").ok());
    ASSERT_TRUE((*store)->AddToken(active, "aula-soc", "old", "test").ok());
    ASSERT_TRUE((*store)->AddToken(revoked, "aula-soc", "old", "test").ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "hub.db").c_str(), &db), SQLITE_OK);
  // Back to the version 4 schema, with one token revoked the version 4 way.
  const char* downgrade =
      "DROP INDEX api_token_by_id; DROP INDEX api_token_by_member;"
      "ALTER TABLE api_token DROP COLUMN id; ALTER TABLE api_token DROP COLUMN expires_at;"
      "ALTER TABLE api_token DROP COLUMN revoked_at; ALTER TABLE api_token DROP COLUMN last_used;"
      "ALTER TABLE member DROP COLUMN disabled_at; ALTER TABLE member DROP COLUMN removed_at;"
      "UPDATE api_token SET revoked = 1 WHERE token_hash LIKE 'b%';"
      // and without migration 6 (posted_by), which came later.
      "DROP INDEX stix_object_by_id; ALTER TABLE stix_object DROP COLUMN posted_by;"
      "DELETE FROM schema_migrations WHERE version >= 5;";
  char* message = nullptr;
  ASSERT_EQ(sqlite3_exec(db, downgrade, nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
  sqlite3_close(db);
  auto store = Store::Open(Url());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_EQ((*store)->SchemaVersion(), 6);
  EXPECT_TRUE((*store)->MemberByTokenHash(active).ok());
  EXPECT_EQ((*store)->MemberByTokenHash(revoked).error().kind(), ErrorKind::kUnauthorized);
  auto token = (*store)->GetToken(revoked.substr(0, 12));
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(token->revoked_at.has_value());
}

TEST(StoreOpen, UnknownUrlSchemesAreExplained) {
  auto store = Store::Open("mysql://localhost/x");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message().find("sqlite:PATH"), std::string::npos);
  // PostgreSQL URLs go to the PostgreSQL backend (nothing listens on port 1).
  for (const char* url : {"postgresql://dv@127.0.0.1:1/dv", "postgres://dv@127.0.0.1:1/dv"}) {
    auto postgres = Store::Open(url);
    ASSERT_FALSE(postgres.ok());
    EXPECT_EQ(postgres.error().kind(), ErrorKind::kIo);
    EXPECT_NE(postgres.error().message().find("PostgreSQL at 127.0.0.1:1/dv as dv"), std::string::npos)
        << postgres.error().message();
  }
  EXPECT_EQ(Store::Open("sqlite:/nonexistent-dir/x/y.db").error().kind(), ErrorKind::kIo);
}

TEST(StoreOpen, DisplayedUrlsHoldNoPassword) {
  EXPECT_EQ(Store::DisplayUrl("postgresql://hub:s3cr%2Ft@db.example:5432/dv?sslmode=require"),
            "postgresql://hub:***@db.example:5432/dv?sslmode=require");
  EXPECT_EQ(Store::DisplayUrl("postgres://hub@db.example/dv?password=s3cret&sslpassword=k3y"),
            "postgres://hub@db.example/dv?password=***&sslpassword=***");
  EXPECT_EQ(Store::DisplayUrl("postgresql://db.example/dv"), "postgresql://db.example/dv");
  EXPECT_EQ(Store::DisplayUrl("sqlite:/var/lib/dannevirke/hub.db"), "sqlite:/var/lib/dannevirke/hub.db");
}

TEST_F(SqliteFile, ErasedDataLeavesNoBytesInTheDatabaseOrItsLog) {
  const std::string secret = "Zacharias Secret-Person, zs@example.dk, +4512345678";
  {
    auto store = Store::Open(Url());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->UpsertOrganisation(System("S1"), "test").ok());
    // Enough versions that pages are written, split and logged several times.
    for (int version_idx = 0; version_idx < 40; ++version_idx) {
      const std::string body = R"({"who":")" + secret + R"(","n":)" + std::to_string(version_idx) + R"(,"pad":")" +
                               std::string(static_cast<std::size_t>(version_idx) * 50, 'x') + R"("})";
      ASSERT_TRUE((*store)->PutRecord({"contacts.list", "S1", "S1", body, std::nullopt}, "test").ok());
    }
    auto erased = (*store)->EraseFromRecordHistory(
        "contacts.list", "S1",
        [](const Record&) -> Result<std::optional<std::string>> { return std::optional<std::string>("{}"); },
        R"({"reason":"test"})", "admin");
    ASSERT_TRUE(erased.ok()) << erased.error().ToString();
    EXPECT_EQ(*erased, 40);
    // Read while the store is open: the log is already empty.
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      std::ifstream file(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
      EXPECT_EQ(bytes.find("Zacharias"), std::string::npos) << entry.path();
      EXPECT_EQ(bytes.find("zs@example.dk"), std::string::npos) << entry.path();
    }
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    std::ifstream file(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("Zacharias"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace dv
