// SPDX-License-Identifier: Apache-2.0
// PostgreSQL-specific behaviour: migrations under concurrent openers, the
// change feed across two processes, reconnecting, erasure and VACUUM,
// collation, and errors that never show the password. Runs against the
// database named by DV_TEST_POSTGRES_URL (ctest store_conformance_postgresql
// runs it inside scripts/with-postgres.sh); skipped without it.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "store/postgres_test_support.h"
#include "store/store.h"

namespace dv {
namespace {

class PostgresBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    base_url_ = PostgresTestUrl();
    if (base_url_.empty()) {
      if (std::getenv("DV_TEST_POSTGRES_REQUIRED") != nullptr) FAIL() << "DV_TEST_POSTGRES_URL is not set";
      GTEST_SKIP() << "DV_TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";
    }
    auto url = FreshPostgresSchema(base_url_, "dv_pgtest");
    ASSERT_TRUE(url.ok()) << url.error().ToString();
    url_ = *url;
  }

  std::unique_ptr<Store> OpenStore() {
    auto store = Store::Open(url_);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Terminates the server processes serving the store's connections (as an
  // administrator or a restart would), from a connection of the test's own.
  void TerminateStoreConnections() {
    auto terminated = PostgresTestQuery(
        url_, "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'dannevirke'");
    ASSERT_TRUE(terminated.ok()) << terminated.error().ToString();
    ASSERT_FALSE(terminated->empty()) << "no connection of the store found";
  }

  // How many row versions of member_record, live or dead, hold `text` as the
  // server's own pages show them (pageinspect; needs the administrator).
  int RowVersionsHolding(const std::string& text) {
    const char* admin = std::getenv("DV_TEST_POSTGRES_ADMIN_URL");
    if (admin == nullptr) return -1;
    auto rows =
        PostgresTestQuery(admin,
                          "SELECT count(*) FROM generate_series(0, pg_relation_size('dv_pgtest.member_record') / "
                          "current_setting('block_size')::int - 1) AS block, "
                          "LATERAL heap_page_items(get_raw_page('dv_pgtest.member_record', block::int)) AS item "
                          "WHERE position(convert_to($1, 'UTF8') IN item.t_data) > 0",
                          {text});
    EXPECT_TRUE(rows.ok()) << rows.error().ToString();
    return rows.ok() ? std::stoi(rows->at(0).at(0).value_or("-1")) : -1;
  }

  static Organisation System(std::string code) {
    Organisation org;
    org.code = code;
    org.name = "System " + code;
    org.kind = OrgKind::kSharedSystem;
    return org;
  }

  std::string base_url_;
  std::string url_;
};

TEST_F(PostgresBackend, AppliesEveryMigrationOnceAndNamesItsConnection) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->BackendName(), "postgresql");
  EXPECT_EQ(store->SchemaVersion(), 6);
  auto versions =
      PostgresTestQuery(url_, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations");
  ASSERT_TRUE(versions.ok()) << versions.error().ToString();
  EXPECT_EQ(versions->at(0).at(0), "1,2,3,4,5,6");
  auto named = PostgresTestQuery(url_,
                                 "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'dannevirke' AND "
                                 "datname = current_database()");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->at(0).at(0), "t");
  // Opening again applies nothing.
  auto again = OpenStore();
  ASSERT_NE(again, nullptr);
  auto count = PostgresTestQuery(url_, "SELECT count(*) FROM schema_migrations");
  EXPECT_EQ(count->at(0).at(0), "6");
}

TEST_F(PostgresBackend, ConcurrentOpenersApplyEachMigrationOnce) {
  // Four hub processes starting together on a new database.
  constexpr int kOpeners = 4;
  std::atomic<int> ready{0};
  std::vector<std::unique_ptr<Store>> stores(kOpeners);
  std::vector<std::string> errors(kOpeners);
  std::vector<std::thread> threads;
  for (std::size_t opener_idx = 0; opener_idx < kOpeners; ++opener_idx) {
    threads.emplace_back([&, opener_idx] {
      ++ready;
      while (ready.load() < kOpeners) std::this_thread::yield();
      auto store = Store::Open(url_);
      if (store.ok()) {
        stores[opener_idx] = std::move(store).value();
      } else {
        errors[opener_idx] = store.error().ToString();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t opener_idx = 0; opener_idx < kOpeners; ++opener_idx) {
    ASSERT_NE(stores[opener_idx], nullptr) << errors[opener_idx];
    EXPECT_EQ(stores[opener_idx]->SchemaVersion(), 6);
  }
  auto rows = PostgresTestQuery(url_, "SELECT count(*), count(DISTINCT version) FROM schema_migrations");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).at(0), "6");
  EXPECT_EQ(rows->at(0).at(1), "6");
}

TEST_F(PostgresBackend, DatesAddedIncreaseAcrossTwoProcessesWritingAtOnce) {
  auto first = OpenStore();
  auto second = OpenStore();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->UpsertOrganisation(System("AULA"), "test").ok());
  Collection collection;
  collection.id = "5a1c3b0e-8f2d-4c1a-9b7e-000000000001";
  collection.title = "Nationale indikatorer";
  ASSERT_TRUE(first->UpsertCollection(collection, "test").ok());
  const auto add = [&](Store& store, int writer) {
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<NewObject> objects;
      for (int object_idx = 0; object_idx < 5; ++object_idx) {
        NewObject object;
        object.id = "indicator--00000000-0000-4000-8000-" +
                    std::to_string(100000000000 + writer * 1000 + batch * 10 + object_idx);
        object.type = "indicator";
        object.spec_version = "2.1";
        object.version = "2026-11-26T10:00:00.000Z";
        object.json = R"({"type":"indicator","id":")" + object.id + R"("})";
        objects.push_back(std::move(object));
      }
      auto added = store.AddObjects(collection.id, objects, "AULA", "writer" + std::to_string(writer));
      ASSERT_TRUE(added.ok()) << added.error().ToString();
    }
  };
  std::thread one([&] { add(*first, 1); });
  std::thread two([&] { add(*second, 2); });
  one.join();
  two.join();
  ObjectQuery query;
  query.collection_id = collection.id;
  query.versions.mode = VersionFilter::Mode::kAll;
  query.limit = Store::kMaxPageSize;
  auto page = first->QueryObjects(query, nullptr);
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  ASSERT_EQ(page->objects.size(), 200u);
  for (std::size_t object_idx = 1; object_idx < page->objects.size(); ++object_idx) {
    // In change-feed (seq) order, date_added strictly increases.
    EXPECT_GT(page->objects[object_idx].added_us, page->objects[object_idx - 1].added_us) << object_idx;
  }
}

// What a watcher heard, waited for without a fixed sleep: the notice of
// another process comes from the store's listening thread.
class Heard {
 public:
  void Add(const Store::Change& change) {
    std::lock_guard lock(mutex_);
    changes_.push_back(change);
    cv_.notify_all();
  }
  // True once a change of `kind` with `key` was heard (gives up after 20 s).
  bool WaitFor(Store::Change::Kind kind, const std::string& key) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] {
      for (const auto& change : changes_) {
        if (change.kind == kind && change.key == key) return true;
      }
      return false;
    });
  }
  std::size_t Count(Store::Change::Kind kind) {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(changes_.begin(), changes_.end(), [&](const auto& change) { return change.kind == kind; }));
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Store::Change> changes_;
};

TEST_F(PostgresBackend, AWriteOfOneProcessIsAnnouncedToTheOtherAndOnlyOnce) {
  Heard by_writer;  // before the stores: they call it until they close
  Heard by_reader;
  auto writer = OpenStore();
  auto reader = OpenStore();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  writer->Watch([&](const Store::Change& change) { by_writer.Add(change); });
  reader->Watch([&](const Store::Change& change) { by_reader.Add(change); });
  ASSERT_TRUE(writer->UpsertOrganisation(System("AULA"), "test").ok());
  Collection collection;
  collection.id = "5a1c3b0e-8f2d-4c1a-9b7e-000000000001";
  collection.title = "Nationale indikatorer";
  ASSERT_TRUE(writer->UpsertCollection(collection, "test").ok());
  NewObject object;
  object.id = "indicator--00000000-0000-4000-8000-000000000001";
  object.type = "indicator";
  object.spec_version = "2.1";
  object.version = "2026-11-26T10:00:00.000Z";
  object.json = R"({"type":"indicator","id":")" + object.id + R"("})";
  // Inside a transaction: announced to the other process when it commits.
  ASSERT_TRUE(writer
                  ->InTransaction([&]() -> Status {
                    auto added = writer->AddObjects(collection.id, {object}, "AULA", "writer");
                    if (!added.ok()) return added.error();
                    return Ok();
                  })
                  .ok());
  EXPECT_TRUE(by_reader.WaitFor(Store::Change::Kind::kObjectsAdded, collection.id));
  ASSERT_TRUE(writer->PutRecord({"register.domain", "aula.dk", "AULA", R"({"a":1})", std::nullopt}, "t").ok());
  EXPECT_TRUE(by_reader.WaitFor(Store::Change::Kind::kRecordChanged, "register.domain"));
  // The writer heard its own writes once each, not again from the server.
  ASSERT_TRUE(reader->PutRecord({"register.domain", "aula.dk", "AULA", R"({"a":2})", std::nullopt}, "t").ok());
  EXPECT_TRUE(by_writer.WaitFor(Store::Change::Kind::kRecordChanged, "register.domain"));
  EXPECT_EQ(by_writer.Count(Store::Change::Kind::kObjectsAdded), 1u);
  EXPECT_EQ(by_reader.Count(Store::Change::Kind::kObjectsAdded), 1u);
}

TEST_F(PostgresBackend, AWriteRolledBackIsNotAnnouncedToOtherProcesses) {
  Heard by_reader;  // before the stores: they call it until they close
  auto writer = OpenStore();
  auto reader = OpenStore();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  reader->Watch([&](const Store::Change& change) { by_reader.Add(change); });
  ASSERT_TRUE(writer->UpsertOrganisation(System("AULA"), "test").ok());
  const Status failed = writer->InTransaction([&]() -> Status {
    auto put = writer->PutRecord({"register.domain", "aula.dk", "AULA", R"({"a":1})", std::nullopt}, "t");
    if (!put.ok()) return put.error();
    return Error::Conflict("changed my mind");
  });
  ASSERT_FALSE(failed.ok());
  // A committed write after it: once that is heard, the rolled-back one would have been too.
  ASSERT_TRUE(writer->PutRecord({"register.network", "n1", "AULA", R"({"a":1})", std::nullopt}, "t").ok());
  ASSERT_TRUE(by_reader.WaitFor(Store::Change::Kind::kRecordChanged, "register.network"));
  EXPECT_EQ(by_reader.Count(Store::Change::Kind::kRecordChanged), 1u);
}

TEST_F(PostgresBackend, AListenerWhoseConnectionIsCutHearsAResyncAndThenListensAgain) {
  Heard by_reader;  // before the stores: they call it until they close
  auto writer = OpenStore();
  auto reader = OpenStore();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  reader->Watch([&](const Store::Change& change) { by_reader.Add(change); });
  ASSERT_TRUE(writer->UpsertOrganisation(System("AULA"), "test").ok());
  ASSERT_TRUE(writer->PutRecord({"register.domain", "aula.dk", "AULA", R"({"a":1})", std::nullopt}, "t").ok());
  ASSERT_TRUE(by_reader.WaitFor(Store::Change::Kind::kRecordChanged, "register.domain"));
  TerminateStoreConnections();
  EXPECT_TRUE(by_reader.WaitFor(Store::Change::Kind::kResync, ""));
  ASSERT_TRUE(writer->PutRecord({"register.network", "n1", "AULA", R"({"a":1})", std::nullopt}, "t").ok());
  EXPECT_TRUE(by_reader.WaitFor(Store::Change::Kind::kRecordChanged, "register.network"));
}

TEST_F(PostgresBackend, PagingSkipsInvisibleObjectsBeyondTheFirstChunk) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->UpsertOrganisation(System("AULA"), "test").ok());
  Collection collection;
  collection.id = "5a1c3b0e-8f2d-4c1a-9b7e-000000000001";
  collection.title = "Nationale indikatorer";
  ASSERT_TRUE(store->UpsertCollection(collection, "test").ok());
  std::vector<NewObject> objects;
  for (int object_idx = 0; object_idx < 50; ++object_idx) {
    NewObject object;
    object.id = "indicator--00000000-0000-4000-8000-" + std::to_string(100000000000 + object_idx);
    object.type = "indicator";
    object.spec_version = "2.1";
    object.version = "2026-11-26T10:00:00.000Z";
    // Only every tenth object is visible to the reader below.
    object.tlp = object_idx % 10 == 9 ? Tlp::kGreen : Tlp::kRed;
    object.json = R"({"type":"indicator","id":")" + object.id + R"("})";
    objects.push_back(std::move(object));
  }
  ASSERT_TRUE(store->AddObjects(collection.id, objects, "AULA", "test").ok());
  ObjectQuery query;
  query.collection_id = collection.id;
  query.limit = 2;
  const auto green = [](const StoredObject& object) { return object.tlp == Tlp::kGreen; };
  std::vector<std::string> seen;
  for (int page_idx = 0; page_idx < 10; ++page_idx) {
    auto page = store->QueryObjects(query, green);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    for (const auto& object : page->objects) seen.push_back(object.id.substr(object.id.size() - 2));
    if (!page->more) break;
    query.after_seq = page->next_seq;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"09", "19", "29", "39", "49"}));
}

TEST_F(PostgresBackend, OrdersBytewiseWhateverTheDatabaseCollation) {
  // with-postgres.sh creates the database in Danish collation, where "AA"
  // sorts as "Å", after "Z"; SQLite (and so the hub) orders bytewise.
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  for (const char* code : {"BORGER", "AARHUS-IT", "A_B", "AB"}) {
    ASSERT_TRUE(store->UpsertOrganisation(System(code), "test").ok());
  }
  auto page = store->ListOrganisations({});
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  std::vector<std::string> codes;
  for (const auto& org : page->items) codes.push_back(org.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"AARHUS-IT", "AB", "A_B", "BORGER"}));
  auto collation = PostgresTestQuery(url_, "SELECT 'AARHUS-IT' > 'BORGER'");
  ASSERT_TRUE(collation.ok());
  RecordProperty("database_orders_aa_after_z", collation->at(0).at(0).value_or("?"));
}

TEST_F(PostgresBackend, ReconnectsAfterItsConnectionIsTerminated) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->UpsertOrganisation(System("AULA"), "test").ok());
  TerminateStoreConnections();
  auto org = store->GetOrganisation("AULA");
  ASSERT_TRUE(org.ok()) << org.error().ToString();
  EXPECT_EQ(org->name, "System AULA");
  TerminateStoreConnections();
  EXPECT_TRUE(store->UpsertOrganisation(System("KOMBIT"), "test").ok());
  EXPECT_TRUE(store->GetOrganisation("KOMBIT").ok());
}

TEST_F(PostgresBackend, ReconnectsAfterTheServerRestarts) {
  const char* restart = std::getenv("DV_TEST_POSTGRES_RESTART");
  if (restart == nullptr) GTEST_SKIP() << "DV_TEST_POSTGRES_RESTART is not set (scripts/with-postgres.sh sets it)";
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->UpsertOrganisation(System("AULA"), "test").ok());
  ASSERT_EQ(std::system(restart), 0) << restart;
  auto org = store->GetOrganisation("AULA");
  ASSERT_TRUE(org.ok()) << org.error().ToString();
  EXPECT_TRUE(store->UpsertOrganisation(System("KOMBIT"), "test").ok());
  EXPECT_EQ(store->ListOrganisations({})->total, 2);
}

TEST_F(PostgresBackend, AConnectionLostInsideATransactionFailsItWithoutRepeatingAnything) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const Status status = store->InTransaction([&]() -> Status {
    DV_TRY(store->UpsertOrganisation(System("AULA"), "test"));
    TerminateStoreConnections();
    return store->UpsertOrganisation(System("KOMBIT"), "test");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind(), ErrorKind::kUnavailable);
  // The next call reconnects; nothing of the transaction was written.
  EXPECT_EQ(store->GetOrganisation("AULA").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(store->GetOrganisation("KOMBIT").error().kind(), ErrorKind::kNotFound);
  EXPECT_TRUE(store->ListAudit(10)->empty());
}

TEST_F(PostgresBackend, ErasureLeavesNoReadableOldBody) {
  if (std::getenv("DV_TEST_POSTGRES_ADMIN_URL") == nullptr) {
    GTEST_SKIP() << "DV_TEST_POSTGRES_ADMIN_URL is not set (scripts/with-postgres.sh sets it)";
  }
  auto extension =
      PostgresTestQuery(std::getenv("DV_TEST_POSTGRES_ADMIN_URL"), "CREATE EXTENSION IF NOT EXISTS pageinspect");
  if (!extension.ok()) GTEST_SKIP() << "pageinspect is not available: " << extension.error().ToString();
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  Organisation kbh;
  kbh.code = "0101";
  kbh.name = "København";
  kbh.kind = OrgKind::kMunicipality;
  kbh.region_code = "1084";
  ASSERT_TRUE(store->UpsertOrganisation(kbh, "test").ok());
  const std::string kind = "contacts.list";
  for (const char* id : {"first", "second"}) {
    ASSERT_TRUE(store->PutRecord({kind, id, "0101", R"({"people":["Jens Hansen"]})", 0}, "alice").ok());
  }
  ASSERT_EQ(RowVersionsHolding("Jens Hansen"), 2);  // the probe sees what is there
  const auto erase = [&](const std::string& id) {
    return store->EraseFromRecordHistory(
        kind, id,
        [](const Record&) -> Result<std::optional<std::string>> {
          return std::optional<std::string>(R"({"people":[]})");
        },
        "{}", "admin");
  };

  // Inside an outer transaction VACUUM cannot run: the old row version stays
  // on its page, readable by an administrator, until the next erasure.
  ASSERT_TRUE(store
                  ->InTransaction([&]() -> Status {
                    auto erased = erase("first");
                    if (!erased.ok()) return erased.error();
                    return Ok();
                  })
                  .ok());
  EXPECT_EQ(store->RecordHistory(kind, "first")->front().body, R"({"people":[]})");
  EXPECT_EQ(RowVersionsHolding("Jens Hansen"), 2);

  // An erasure on its own vacuums the table: no row version, live or dead,
  // holds the old bodies of either record.
  auto erased = erase("second");
  ASSERT_TRUE(erased.ok()) << erased.error().ToString();
  EXPECT_EQ(*erased, 1);
  EXPECT_EQ(RowVersionsHolding("Jens Hansen"), 0);
  EXPECT_EQ(store->RecordHistory(kind, "second")->front().body, R"({"people":[]})");
}

TEST_F(PostgresBackend, TextWithANulByteIsRefusedAndNothingIsWritten) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->UpsertOrganisation(System("AULA"), "test").ok());
  auto refused = store->UpsertMember({"aula-soc", "AULA", std::string("Aula\0SOC", 8), MemberRole::kMember}, "test");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(refused.error().message().find("NUL"), std::string::npos) << refused.error().message();
  EXPECT_EQ(store->GetMember("aula-soc").error().kind(), ErrorKind::kNotFound);
}

TEST_F(PostgresBackend, ConnectionErrorsNameTheHostButNeverThePassword) {
  struct Case {
    std::string url;
    std::string names;   // a part of the message
    std::string secret;  // must not appear
  };
  // Port 1 on loopback: nothing listens there.
  const std::vector<Case> cases = {
      {"postgresql://dannevirke:Hemmelig-kode-42@127.0.0.1:1/hub", "127.0.0.1:1/hub as dannevirke", "Hemmelig"},
      {"postgres://dannevirke:Hemmelig%2Dkode@127.0.0.1:1/hub", "127.0.0.1", "Hemmelig"},
      {"postgresql://dannevirke:Hemmelig-kode@127.0.0.1:ikke-en-port/hub", "ikke-en-port", "Hemmelig"},
      {"postgresql://dannevirke:Hemmelig%zz@127.0.0.1:1/hub", "not valid", "Hemmelig"},
      {"postgresql://dannevirke@127.0.0.1:1/hub?password=Hemmelig-kode", "127.0.0.1", "Hemmelig"},
  };
  for (const auto& test_case : cases) {
    auto store = Store::Open(test_case.url);
    ASSERT_FALSE(store.ok()) << test_case.url;
    EXPECT_EQ(store.error().kind(), ErrorKind::kIo) << store.error().ToString();
    EXPECT_NE(store.error().message().find(test_case.names), std::string::npos) << store.error().message();
    EXPECT_EQ(store.error().message().find(test_case.secret), std::string::npos) << store.error().message();
  }

  // The right server and user with a wrong password.
  const auto at = base_url_.find('@');
  const auto colon = base_url_.rfind(':', at);
  ASSERT_NE(at, std::string::npos);
  const std::string real_password = base_url_.substr(colon + 1, at - colon - 1);
  const std::string wrong = base_url_.substr(0, colon + 1) + "Forkert-kode-77" + base_url_.substr(at);
  auto refused = Store::Open(wrong);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kIo);
  EXPECT_NE(refused.error().message().find("password authentication failed"), std::string::npos)
      << refused.error().message();
  EXPECT_EQ(refused.error().message().find("Forkert-kode-77"), std::string::npos) << refused.error().message();
  EXPECT_EQ(refused.error().message().find(real_password), std::string::npos);
}

TEST_F(PostgresBackend, QueryErrorsNameTheStatementButNeverThePassword) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // A table the store needs is gone (an operator's mistake): reads fail with
  // kIo naming the statement.
  ASSERT_TRUE(PostgresTestQuery(url_, "DROP TABLE audit_log").ok());
  auto audit = store->ListAudit(10);
  ASSERT_FALSE(audit.ok());
  EXPECT_EQ(audit.error().kind(), ErrorKind::kIo);
  EXPECT_NE(audit.error().message().find("SELECT id, at, actor, action, object, detail FROM audit_log"),
            std::string::npos)
      << audit.error().message();
  EXPECT_NE(audit.error().message().find("audit_log"), std::string::npos) << audit.error().message();
  const auto at = base_url_.find('@');
  const std::string password = base_url_.substr(base_url_.rfind(':', at) + 1, at - base_url_.rfind(':', at) - 1);
  EXPECT_EQ(audit.error().message().find(password), std::string::npos);
  // A write that needs the table fails whole.
  EXPECT_FALSE(store->UpsertOrganisation(System("AULA"), "test").ok());
  EXPECT_EQ(store->GetOrganisation("AULA").error().kind(), ErrorKind::kNotFound);
}

}  // namespace
}  // namespace dv
