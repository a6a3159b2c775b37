// SPDX-License-Identifier: Apache-2.0
// The conformance suite every storage backend must pass. Each backend is a
// parameter; PostgreSQL joins when DV_TEST_POSTGRES_URL names a database.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "store/store.h"

namespace dv {
namespace {

struct Backend {
  std::string name;
  std::string url;  // "%TMP%" is replaced by a fresh temporary path
};

void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string url = GetParam().url;
    if (const auto pos = url.find("%TMP%"); pos != std::string::npos) {
      dir_ = std::filesystem::temp_directory_path() /
             ("dv-store-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url.replace(pos, 5, (dir_ / "test.db").string());
    }
    if (url.empty()) GTEST_SKIP() << GetParam().name << " is not configured";
    auto store = Store::Open(url);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  static Organisation Municipality(std::string code, std::string name, std::string region, std::int64_t population) {
    Organisation org;
    org.code = std::move(code);
    org.name = std::move(name);
    org.kind = OrgKind::kMunicipality;
    org.region_code = std::move(region);
    org.population = population;
    return org;
  }
  static Organisation System(std::string code, std::string name) {
    Organisation org;
    org.code = std::move(code);
    org.name = std::move(name);
    org.kind = OrgKind::kSharedSystem;
    return org;
  }

  void SeedSmall() {
    ASSERT_TRUE(store_->UpsertOrganisation(Municipality("0101", "København", "1084", 632340), "test").ok());
    ASSERT_TRUE(store_->UpsertOrganisation(Municipality("0751", "Aarhus", "1082", 349983), "test").ok());
    ASSERT_TRUE(store_->UpsertOrganisation(Municipality("0492", "Ærø", "1083", 6038), "test").ok());
    ASSERT_TRUE(store_->UpsertOrganisation(System("NEMLOGIN", "NemLog-in"), "test").ok());
    ASSERT_TRUE(store_->UpsertOrganisation(System("AULA", "Aula"), "test").ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, StartsAtTheLatestSchemaVersion) { EXPECT_GE(store_->SchemaVersion(), 1); }

TEST_P(StoreConformance, UpsertThenGetReturnsWhatWasStored) {
  SeedSmall();
  auto org = store_->GetOrganisation("0492");
  ASSERT_TRUE(org.ok()) << org.error().ToString();
  EXPECT_EQ(*org, Municipality("0492", "Ærø", "1083", 6038));
}

TEST_P(StoreConformance, UnknownCodeIsNotFound) {
  auto org = store_->GetOrganisation("9999");
  ASSERT_FALSE(org.ok());
  EXPECT_EQ(org.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(org.error().message().find("9999"), std::string::npos);
}

TEST_P(StoreConformance, InvalidOrganisationIsRefusedAndNothingChanges) {
  SeedSmall();
  Organisation bad = Municipality("0101", "", "1084", 1);
  auto status = store_->UpsertOrganisation(bad, "test");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(store_->GetOrganisation("0101")->name, "København");
}

TEST_P(StoreConformance, ListFiltersByKindRegionAndTextWithDanishLetters) {
  SeedSmall();
  OrganisationQuery query;
  EXPECT_EQ(store_->ListOrganisations(query)->total, 5);
  query.kind = OrgKind::kMunicipality;
  EXPECT_EQ(store_->ListOrganisations(query)->total, 3);
  query.region_code = "1084";
  auto page = store_->ListOrganisations(query);
  ASSERT_EQ(page->items.size(), 1U);
  EXPECT_EQ(page->items[0].code, "0101");
  query = {};
  query.text = "ÆRØ";
  page = store_->ListOrganisations(query);
  ASSERT_EQ(page->items.size(), 1U);
  EXPECT_EQ(page->items[0].name, "Ærø");
  query.text = "0751";
  EXPECT_EQ(store_->ListOrganisations(query)->items.at(0).name, "Aarhus");
}

TEST_P(StoreConformance, PagesAreOrderedByCodeAndTotalIgnoresLimit) {
  SeedSmall();
  OrganisationQuery query;
  query.limit = 2;
  auto first = store_->ListOrganisations(query);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->total, 5);
  ASSERT_EQ(first->items.size(), 2U);
  EXPECT_EQ(first->items[0].code, "0101");
  EXPECT_EQ(first->items[1].code, "0492");
  query.offset = 4;
  auto last = store_->ListOrganisations(query);
  ASSERT_EQ(last->items.size(), 1U);
  EXPECT_EQ(last->items[0].code, "NEMLOGIN");
}

TEST_P(StoreConformance, RejectsOutOfRangePaging) {
  OrganisationQuery query;
  query.limit = 0;
  EXPECT_EQ(store_->ListOrganisations(query).error().kind(), ErrorKind::kInvalidArgument);
  query.limit = Store::kMaxPageSize + 1;
  EXPECT_NE(store_->ListOrganisations(query).error().message().find("limit"), std::string::npos);
  query.limit = 10;
  query.offset = -1;
  EXPECT_NE(store_->ListOrganisations(query).error().message().find("offset"), std::string::npos);
}

TEST_P(StoreConformance, DependenciesAreVisibleFromBothEnds) {
  SeedSmall();
  ASSERT_TRUE(store_->UpsertDependency({"0101", "NEMLOGIN", Relation::kUsesSystem, 0.8, false, "log-in"}, "test").ok());
  ASSERT_TRUE(store_->UpsertDependency({"0751", "NEMLOGIN", Relation::kUsesSystem, 0.8, false, ""}, "test").ok());
  ASSERT_TRUE(store_->UpsertDependency({"0101", "AULA", Relation::kUsesSystem, 0.4, true, ""}, "test").ok());
  auto deps = store_->ListDependencies("0101", EdgeDirection::kDependencies);
  ASSERT_TRUE(deps.ok()) << deps.error().ToString();
  ASSERT_EQ(deps->size(), 2U);
  EXPECT_EQ((*deps)[0].other_code, "AULA");
  EXPECT_TRUE((*deps)[0].edge.illustrative);
  EXPECT_EQ((*deps)[1].other_name, "NemLog-in");
  EXPECT_EQ((*deps)[1].edge.note, "log-in");
  auto dependents = store_->ListDependencies("NEMLOGIN", EdgeDirection::kDependents);
  ASSERT_EQ(dependents->size(), 2U);
  EXPECT_EQ((*dependents)[0].other_code, "0101");
  EXPECT_EQ((*dependents)[1].other_kind, OrgKind::kMunicipality);
  EXPECT_EQ(*store_->CountDependencies(), 3);
}

TEST_P(StoreConformance, DependencyToUnknownOrganisationNamesIt) {
  SeedSmall();
  auto status = store_->UpsertDependency({"0101", "KMD", Relation::kSuppliedBy, 0.5, true, ""}, "test");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(status.error().message().find("'KMD'"), std::string::npos);
  EXPECT_EQ(store_->ListDependencies("ZZ", EdgeDirection::kDependents).error().kind(), ErrorKind::kNotFound);
}

TEST_P(StoreConformance, EveryChangeIsAuditedAndRepeatsAreNot) {
  SeedSmall();
  const auto after_seed = store_->ListAudit(1000)->size();
  EXPECT_EQ(after_seed, 5U);
  SeedSmall();  // identical: no new audit entries
  EXPECT_EQ(store_->ListAudit(1000)->size(), after_seed);
  ASSERT_TRUE(store_->UpsertOrganisation(Municipality("0101", "Københavns Kommune", "1084", 632340), "alice").ok());
  auto audit = store_->ListAudit(1);
  ASSERT_EQ(audit->size(), 1U);
  EXPECT_EQ((*audit)[0].actor, "alice");
  EXPECT_EQ((*audit)[0].action, "organisation.update");
  EXPECT_EQ((*audit)[0].object, "0101");
  EXPECT_NE((*audit)[0].detail.find("Københavns Kommune"), std::string::npos);
  EXPECT_NE((*audit)[0].detail.find("\"before\""), std::string::npos);
}

TEST_P(StoreConformance, FailedTransactionLeavesNothingBehind) {
  SeedSmall();
  const Status status = store_->InTransaction([&]() -> Status {
    DV_TRY(store_->UpsertOrganisation(System("KOMBIT", "KOMBIT"), "test"));
    DV_TRY(store_->UpsertDependency({"0101", "KOMBIT", Relation::kCoordinatedBy, 0.2, false, ""}, "test"));
    return Error::Conflict("stop here");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(store_->GetOrganisation("KOMBIT").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(*store_->CountDependencies(), 0);
  EXPECT_EQ(store_->ListAudit(1000)->size(), 5U);
}

TEST_P(StoreConformance, SuccessfulTransactionCommitsAll) {
  SeedSmall();
  ASSERT_TRUE(
      store_
          ->InTransaction([&]() -> Status {
            DV_TRY(store_->UpsertOrganisation(System("KOMBIT", "KOMBIT"), "test"));
            return store_->UpsertDependency({"AULA", "KOMBIT", Relation::kCoordinatedBy, 0.2, false, ""}, "test");
          })
          .ok());
  EXPECT_EQ(store_->ListDependencies("KOMBIT", EdgeDirection::kDependents)->size(), 1U);
}

std::vector<Backend> Backends();

NewObject Indicator(const std::string& uuid_tail, const std::string& version, std::optional<Tlp> tlp = Tlp::kGreen) {
  NewObject object;
  object.id = "indicator--00000000-0000-4000-8000-" + uuid_tail;
  object.type = "indicator";
  object.spec_version = "2.1";
  object.version = version;
  object.tlp = tlp;
  object.json = R"({"type":"indicator","id":")" + object.id + R"(","modified":")" + version + R"("})";
  return object;
}

TEST_P(StoreConformance, RecordsKeepEveryVersionAndAuditEachWrite) {
  ASSERT_TRUE(store_->UpsertOrganisation(Municipality("0101", "København", "1084", 650000), "test").ok());
  ASSERT_TRUE(store_->UpsertOrganisation(Municipality("0751", "Aarhus", "1082", 360000), "test").ok());
  auto first = store_->PutRecord({"baseline.assessment", "0101", "0101", R"({"a":1})", 0}, "alice");
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->version, 1);
  auto second = store_->PutRecord({"baseline.assessment", "0101", "0101", R"({"a":2})", 1}, "bob");
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(second->version, 2);
  ASSERT_TRUE(store_->PutRecord({"baseline.assessment", "0751", "0751", R"({"a":3})", std::nullopt}, "carol").ok());

  // A stale expected version is a conflict and writes nothing.
  auto stale = store_->PutRecord({"baseline.assessment", "0101", "0101", R"({"a":9})", 1}, "mallory");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind(), ErrorKind::kConflict);
  // A record cannot move to another organisation.
  EXPECT_FALSE(store_->PutRecord({"baseline.assessment", "0101", "0751", R"({"a":9})", std::nullopt}, "x").ok());
  // Bodies must be JSON objects; organisations must exist.
  auto bad = store_->PutRecord({"baseline.assessment", "0101", "0101", "[1]", std::nullopt}, "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("body"), std::string::npos);
  EXPECT_EQ(store_->PutRecord({"baseline.assessment", "9", "9999", "{}", std::nullopt}, "x").error().kind(),
            ErrorKind::kNotFound);

  auto current = store_->GetRecord("baseline.assessment", "0101");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->body, R"({"a":2})");
  EXPECT_EQ(current->actor, "bob");
  auto mine = store_->ListRecords({"baseline.assessment", std::string("0101"), false});
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().version, 2);
  auto all = store_->ListRecords({"baseline.assessment", std::nullopt, false});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);

  auto deleted = store_->DeleteRecord("baseline.assessment", "0101", "bob");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->version, 3);
  EXPECT_EQ(store_->GetRecord("baseline.assessment", "0101").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(store_->ListRecords({"baseline.assessment", std::nullopt, false})->size(), 1u);
  auto history = store_->RecordHistory("baseline.assessment", "0101");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ(history->front().body, R"({"a":1})");
  EXPECT_TRUE(history->back().deleted);

  auto audit = store_->ListAudit(10);
  ASSERT_TRUE(audit.ok());
  int record_writes = 0;
  for (const auto& entry : *audit) {
    if (entry.action.rfind("record.baseline.assessment.", 0) == 0) ++record_writes;
  }
  EXPECT_EQ(record_writes, 4);  // three puts and one delete; refused writes leave no trace
}

class SharingConformance : public StoreConformance {
 protected:
  void SeedSharing() {
    SeedSmall();
    ASSERT_TRUE(store_->UpsertMember({"kbh-soc", "0101", "Københavns SOC", MemberRole::kMember}, "test").ok());
    Collection collection;
    collection.id = "5a1c3b0e-8f2d-4c1a-9b7e-000000000001";
    collection.title = "Nationale indikatorer";
    ASSERT_TRUE(store_->UpsertCollection(collection, "test").ok());
  }
  static constexpr const char* kCollection = "5a1c3b0e-8f2d-4c1a-9b7e-000000000001";
};

TEST_P(SharingConformance, MembersAndTokensAreFoundByHashOnly) {
  SeedSharing();
  const std::string hash(64, 'a');
  ASSERT_TRUE(store_->AddToken(hash, "kbh-soc", "laptop", "admin").ok());
  auto member = store_->MemberByTokenHash(hash);
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(member->org_code, "0101");
  EXPECT_EQ(store_->MemberByTokenHash(std::string(64, 'b')).error().kind(), ErrorKind::kUnauthorized);
  EXPECT_EQ(store_->AddToken(std::string(64, 'c'), "nobody", "x", "admin").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(store_->UpsertMember({"x y", "0101", "X", MemberRole::kMember}, "t").error().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(store_->UpsertMember({"ghost", "9999", "X", MemberRole::kMember}, "t").error().kind(),
            ErrorKind::kNotFound);
  // The audit log names the token by a hash prefix, never the whole hash.
  const auto audit = store_->ListAudit(1);
  EXPECT_EQ((*audit)[0].action, "token.create");
  EXPECT_EQ((*audit)[0].detail.find(hash), std::string::npos);
}

TEST_P(SharingConformance, AddingTheSameVersionTwiceIsIdempotent) {
  SeedSharing();
  auto first = store_->AddObjects(kCollection, {Indicator("000000000001", "2026-11-26T10:00:00.000Z")}, "0101", "t");
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_TRUE((*first)[0].added);
  auto again = store_->AddObjects(kCollection, {Indicator("000000000001", "2026-11-26T10:00:00.000Z")}, "0101", "t");
  EXPECT_FALSE((*again)[0].added);
  ObjectQuery query;
  query.collection_id = kCollection;
  query.versions.mode = VersionFilter::Mode::kAll;
  EXPECT_EQ(store_->QueryObjects(query, nullptr)->objects.size(), 1U);
  EXPECT_EQ(store_->AddObjects("5a1c3b0e-8f2d-4c1a-9b7e-00000000dead", {}, "0101", "t").error().kind(),
            ErrorKind::kNotFound);
}

TEST_P(SharingConformance, VersionsPagingAndVisibility) {
  SeedSharing();
  std::vector<NewObject> objects;
  for (int idx = 0; idx < 5; ++idx) {
    objects.push_back(Indicator("00000000000" + std::to_string(idx), "2026-11-26T10:00:00.000Z",
                                idx == 2 ? std::optional<Tlp>(Tlp::kRed) : std::optional<Tlp>(Tlp::kGreen)));
  }
  objects.push_back(Indicator("000000000001", "2026-11-26T11:00:00.000Z"));  // a newer version of #1
  ASSERT_TRUE(store_->AddObjects(kCollection, objects, "0101", "t").ok());
  ObjectQuery query;
  query.collection_id = kCollection;
  query.limit = 2;
  const auto not_red = [](const StoredObject& object) { return object.tlp != Tlp::kRed; };
  std::vector<std::string> seen;
  std::int64_t previous_added = 0;
  for (int page_idx = 0; page_idx < 10; ++page_idx) {
    auto page = store_->QueryObjects(query, not_red);
    ASSERT_TRUE(page.ok());
    for (const auto& object : page->objects) {
      seen.push_back(object.id.substr(object.id.size() - 1) + "@" + object.version.substr(11, 2));
      EXPECT_GT(object.added_us, previous_added);  // date_added is unique and increasing
      previous_added = object.added_us;
    }
    if (!page->more) break;
    query.after_seq = page->next_seq;
  }
  // Last versions only, RED hidden, in change-feed order.
  EXPECT_EQ(seen, (std::vector<std::string>{"0@10", "3@10", "4@10", "1@11"}));
  query = {};
  query.collection_id = kCollection;
  query.ids = {"indicator--00000000-0000-4000-8000-000000000001"};
  query.versions.mode = VersionFilter::Mode::kAll;
  EXPECT_EQ(store_->QueryObjects(query, nullptr)->objects.size(), 2U);
  query.versions.mode = VersionFilter::Mode::kFirst;
  EXPECT_EQ(store_->QueryObjects(query, nullptr)->objects.at(0).version, "2026-11-26T10:00:00.000Z");
  query.versions = {VersionFilter::Mode::kGiven, {"2026-11-26T11:00:00.000Z"}};
  EXPECT_EQ(store_->QueryObjects(query, nullptr)->objects.size(), 1U);
  query.versions.mode = VersionFilter::Mode::kAll;
  query.types = {"malware"};
  EXPECT_TRUE(store_->QueryObjects(query, nullptr)->objects.empty());
}

TEST_P(SharingConformance, DeleteAndStatus) {
  SeedSharing();
  ASSERT_TRUE(store_
                  ->AddObjects(kCollection,
                               {Indicator("000000000001", "2026-11-26T10:00:00.000Z"),
                                Indicator("000000000001", "2026-11-26T11:00:00.000Z")},
                               "0101", "t")
                  .ok());
  auto deleted = store_->DeleteObject(kCollection, "indicator--00000000-0000-4000-8000-000000000001",
                                      {VersionFilter::Mode::kLast, {}}, "t");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
  deleted = store_->DeleteObject(kCollection, "indicator--00000000-0000-4000-8000-000000000001",
                                 {VersionFilter::Mode::kAll, {}}, "t");
  EXPECT_EQ(*deleted, 1);
  TaxiiStatus status;
  status.id = "2d086da7-4bdc-4f91-900e-d77486753710";
  status.member_id = "kbh-soc";
  status.total = 3;
  status.success = 2;
  status.failure = 1;
  status.details_json = "{}";
  ASSERT_TRUE(store_->PutStatus(status).ok());
  EXPECT_EQ(store_->GetStatus(status.id)->failure, 1);
  status.pending = 5;
  EXPECT_EQ(store_->PutStatus(status).error().kind(), ErrorKind::kInternal);
}

INSTANTIATE_TEST_SUITE_P(Backends, SharingConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

std::vector<Backend> Backends() {
  std::vector<Backend> backends = {{"sqlite_memory", "sqlite::memory:"}, {"sqlite_file", "sqlite:%TMP%"}};
  if (const char* pg = std::getenv("DV_TEST_POSTGRES_URL"); pg != nullptr && *pg != '\0') {
    backends.push_back({"postgresql", pg});
  }
  return backends;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace dv
