// SPDX-License-Identifier: Apache-2.0
// The conformance suite every storage backend must pass. Each backend is a
// parameter; PostgreSQL joins when DV_TEST_POSTGRES_URL names a database
// (scripts/with-postgres.sh makes one; ctest store_conformance_postgresql).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "store/postgres_test_support.h"
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
    if (GetParam().name == "postgresql") {
      // Each test starts from an empty database: a schema of its own, made afresh.
      auto fresh = FreshPostgresSchema(url, "dv_conformance");
      ASSERT_TRUE(fresh.ok()) << fresh.error().ToString();
      url = *fresh;
    }
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
  // All at once: by from, then each organisation's edges as ListDependencies gives them.
  auto all = store_->ListAllDependencies();
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ((*all)[0].from + ">" + (*all)[0].to, "0101>AULA");
  EXPECT_EQ((*all)[1].from + ">" + (*all)[1].to, "0101>NEMLOGIN");
  EXPECT_EQ((*all)[1].note, "log-in");
  EXPECT_DOUBLE_EQ((*all)[1].strength, 0.8);
  EXPECT_EQ((*all)[2].from + ">" + (*all)[2].to, "0751>NEMLOGIN");
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

TEST_P(StoreConformance, ErasureRewritesEveryVersionInPlaceAndAuditsWithoutTheData) {
  ASSERT_TRUE(store_->UpsertOrganisation(Municipality("0101", "København", "1084", 650000), "test").ok());
  const std::string kind = "contacts.list";
  ASSERT_TRUE(store_->PutRecord({kind, "0101", "0101", R"({"people":["Jens Hansen","Role"]})", 0}, "alice").ok());
  ASSERT_TRUE(store_->PutRecord({kind, "0101", "0101", R"({"people":["Role"]})", 1}, "bob").ok());
  ASSERT_TRUE(store_->PutRecord({kind, "0101", "0101", R"({"people":["Jens Hansen"]})", 2}, "alice").ok());
  ASSERT_TRUE(store_->DeleteRecord(kind, "0101", "bob").ok());
  const auto without_jens = [](const Record& version) -> Result<std::optional<std::string>> {
    if (version.deleted || version.body.find("Jens Hansen") == std::string::npos) return std::optional<std::string>();
    auto body = nlohmann::json::parse(version.body);
    auto& people = body["people"];
    people.erase(std::remove(people.begin(), people.end(), "Jens Hansen"), people.end());
    return std::optional<std::string>(body.dump());
  };

  // Bad input is refused before anything changes.
  EXPECT_EQ(store_->EraseFromRecordHistory(kind, "0101", without_jens, "not json", "admin").error().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(store_->EraseFromRecordHistory(kind, "0101", without_jens, "{}", "").error().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(store_->EraseFromRecordHistory(kind, "0751", without_jens, "{}", "admin").error().kind(),
            ErrorKind::kNotFound);
  // A rewrite that fails midway leaves every version as it was.
  int calls = 0;
  auto failing = store_->EraseFromRecordHistory(
      kind, "0101",
      [&](const Record& version) -> Result<std::optional<std::string>> {
        if (++calls == 3) return Error::Internal("stop");
        return without_jens(version);
      },
      "{}", "admin");
  ASSERT_FALSE(failing.ok());
  EXPECT_EQ(store_->RecordHistory(kind, "0101")->front().body, R"({"people":["Jens Hansen","Role"]})");
  // A new body must be a JSON object.
  EXPECT_EQ(store_
                ->EraseFromRecordHistory(
                    kind, "0101",
                    [](const Record& version) -> Result<std::optional<std::string>> {
                      return version.deleted ? std::optional<std::string>() : std::optional<std::string>("[]");
                    },
                    "{}", "admin")
                .error()
                .kind(),
            ErrorKind::kInvalidArgument);

  auto erased = store_->EraseFromRecordHistory(kind, "0101", without_jens, R"({"reason":"request"})", "admin");
  ASSERT_TRUE(erased.ok()) << erased.error().ToString();
  EXPECT_EQ(*erased, 2);
  auto history = store_->RecordHistory(kind, "0101");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);
  for (const auto& version : *history) EXPECT_EQ(version.body.find("Jens"), std::string::npos) << version.body;
  EXPECT_EQ((*history)[0].body, R"({"people":["Role"]})");
  EXPECT_EQ((*history)[0].actor, "alice");  // who wrote each version stays
  EXPECT_EQ((*history)[2].version, 3);
  EXPECT_TRUE((*history)[3].deleted);

  auto audit = store_->ListAudit(1);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->front().action, "record.contacts.list.erase");
  EXPECT_EQ(audit->front().actor, "admin");
  EXPECT_EQ(audit->front().object, "0101");
  const auto detail = nlohmann::json::parse(audit->front().detail);
  EXPECT_EQ(detail["reason"], "request");
  EXPECT_EQ(detail["versions"], 2);
  EXPECT_EQ(detail["org"], "0101");
  // Nothing left to erase: no write, no audit.
  EXPECT_EQ(*store_->EraseFromRecordHistory(kind, "0101", without_jens, "{}", "admin"), 0);
  EXPECT_EQ(store_->ListAudit(1)->front().id, audit->front().id);
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

// ---- Token and member lifecycle ----

class TokenConformance : public SharingConformance {
 protected:
  // A token hash for `seed` (64 hex digits; its id is the first 12).
  static std::string Hash(char seed) { return std::string(64, seed); }
  TokenInfo Create(char seed, std::optional<Timestamp> expires_at = std::nullopt) {
    auto token = store_->CreateToken({Hash(seed), "kbh-soc", "laptop", expires_at}, "admin");
    EXPECT_TRUE(token.ok()) << token.error().ToString();
    return token.ok() ? *token : TokenInfo{};
  }
  bool Authenticates(char seed) { return store_->MemberByTokenHash(Hash(seed)).ok(); }
  int CountAudit(std::string_view action, std::string_view detail_part = {}) {
    auto audit = store_->ListAudit(Store::kMaxPageSize);
    EXPECT_TRUE(audit.ok());
    int count = 0;
    for (const auto& entry : *audit) {
      if (entry.action == action && entry.detail.find(detail_part) != std::string::npos) ++count;
    }
    return count;
  }
  static Timestamp In(std::int64_t ms) { return Timestamp(Timestamp::Now().unix_ms() + ms); }
};

TEST_P(TokenConformance, TokensAreListedByIdNeverByHash) {
  SeedSharing();
  const TokenInfo created = Create('a', In(3'600'000));
  EXPECT_EQ(created.id, "aaaaaaaaaaaa");
  EXPECT_EQ(created.member_id, "kbh-soc");
  EXPECT_EQ(created.label, "laptop");
  EXPECT_LE(std::abs(created.created_at.unix_ms() - Timestamp::Now().unix_ms()), 60'000);
  ASSERT_TRUE(created.expires_at.has_value());
  EXPECT_FALSE(created.revoked_at.has_value());
  EXPECT_FALSE(created.last_used.has_value());
  EXPECT_EQ(StateOf(created, Timestamp::Now()), TokenState::kActive);
  ASSERT_TRUE(store_->AddToken(Hash('b'), "kbh-soc", "sensor", "admin").ok());
  auto tokens = store_->ListTokens("kbh-soc");
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_FALSE((*tokens)[1].expires_at.has_value());
  EXPECT_EQ(store_->ListTokens()->size(), 2u);
  EXPECT_EQ(store_->ListTokens("nobody").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(store_->GetToken("ffffffffffff").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(store_->CreateToken({Hash('a'), "kbh-soc", "again", std::nullopt}, "admin").error().kind(),
            ErrorKind::kConflict);
  EXPECT_EQ(store_->CreateToken({"AB" + Hash('c').substr(2), "kbh-soc", "", std::nullopt}, "admin").error().kind(),
            ErrorKind::kInvalidArgument);
  auto past = store_->CreateToken({Hash('d'), "kbh-soc", "", In(-1000)}, "admin");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(past.error().message().find("expires_at"), std::string::npos);
  EXPECT_EQ(CountAudit("token.create", R"("id":"aaaaaaaaaaaa")"), 1);
  EXPECT_EQ(CountAudit("token.create", Hash('a')), 0);
}

TEST_P(TokenConformance, ARevokedTokenIsRefusedAtOnce) {
  SeedSharing();
  const TokenInfo token = Create('a');
  ASSERT_TRUE(Authenticates('a'));
  ASSERT_TRUE(store_->RevokeToken(token.id, "admin").ok());
  auto refused = store_->MemberByTokenHash(Hash('a'));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kUnauthorized);
  EXPECT_EQ(StateOf(*store_->GetToken(token.id), Timestamp::Now()), TokenState::kRevoked);
  EXPECT_TRUE(store_->RevokeToken(token.id, "admin").ok());  // a repeat changes nothing
  EXPECT_EQ(CountAudit("token.revoke"), 1);
  EXPECT_EQ(store_->RevokeToken("ffffffffffff", "admin").error().kind(), ErrorKind::kNotFound);
}

TEST_P(TokenConformance, AnExpiredTokenIsRefusedAndExpiryOnlyShortens) {
  SeedSharing();
  const TokenInfo token = Create('a', In(3'600'000));
  ASSERT_TRUE(Authenticates('a'));
  ASSERT_TRUE(store_->ExpireToken(token.id, In(-1000), "admin").ok());
  EXPECT_EQ(store_->MemberByTokenHash(Hash('a')).error().kind(), ErrorKind::kUnauthorized);
  EXPECT_EQ(StateOf(*store_->GetToken(token.id), Timestamp::Now()), TokenState::kExpired);
  ASSERT_TRUE(store_->ExpireToken(token.id, In(3'600'000), "admin").ok());
  EXPECT_FALSE(Authenticates('a'));
  EXPECT_EQ(CountAudit("token.expire"), 1);
}

TEST_P(TokenConformance, ADisabledMemberIsRefusedUntilEnabled) {
  SeedSharing();
  Create('a');
  ASSERT_TRUE(store_->DisableMember("kbh-soc", "admin").ok());
  EXPECT_EQ(store_->MemberByTokenHash(Hash('a')).error().kind(), ErrorKind::kUnauthorized);
  EXPECT_TRUE(store_->GetMemberState("kbh-soc")->disabled_at.has_value());
  EXPECT_EQ(StateOf(store_->ListTokens("kbh-soc")->front(), Timestamp::Now()), TokenState::kMemberDisabled);
  EXPECT_EQ(store_->CreateToken({Hash('b'), "kbh-soc", "", std::nullopt}, "admin").error().kind(),
            ErrorKind::kConflict);
  // Re-saving the member (e.g. seeding) keeps it disabled.
  ASSERT_TRUE(store_->UpsertMember({"kbh-soc", "0101", "Københavns SOC (ny)", MemberRole::kMember}, "test").ok());
  EXPECT_FALSE(Authenticates('a'));
  ASSERT_TRUE(store_->DisableMember("kbh-soc", "admin").ok());
  ASSERT_TRUE(store_->EnableMember("kbh-soc", "admin").ok());
  EXPECT_TRUE(Authenticates('a'));
  EXPECT_FALSE(store_->GetMemberState("kbh-soc")->disabled_at.has_value());
  EXPECT_EQ(CountAudit("member.disable"), 1);
  EXPECT_EQ(CountAudit("member.enable"), 1);
  EXPECT_EQ(store_->DisableMember("nobody", "admin").error().kind(), ErrorKind::kNotFound);
}

TEST_P(TokenConformance, MovingAMemberToAnotherOrganisationRevokesItsTokens) {
  SeedSharing();
  Create('a');
  Create('b');
  ASSERT_TRUE(store_->UpsertMember({"kbh-soc", "0101", "Københavns SOC, nyt navn", MemberRole::kMember}, "t").ok());
  EXPECT_TRUE(Authenticates('a'));  // a new name is not a new organisation
  ASSERT_TRUE(store_->UpsertMember({"kbh-soc", "0751", "Københavns SOC", MemberRole::kMember}, "t").ok());
  EXPECT_FALSE(Authenticates('a'));
  EXPECT_FALSE(Authenticates('b'));
  EXPECT_EQ(CountAudit("token.revoke", "member.org_change"), 2);
  // A token made after the move works for the new organisation.
  Create('c');
  auto member = store_->MemberByTokenHash(Hash('c'));
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(member->org_code, "0751");
}

TEST_P(TokenConformance, RemovingAMemberRevokesItsTokensAndKeepsItsHistory) {
  SeedSharing();
  Create('a');
  ASSERT_TRUE(store_->RemoveMember("kbh-soc", "admin").ok());
  EXPECT_FALSE(Authenticates('a'));
  EXPECT_EQ(store_->GetMember("kbh-soc").error().kind(), ErrorKind::kNotFound);
  EXPECT_TRUE(store_->ListMembers()->empty());
  ASSERT_EQ(store_->ListTokens()->size(), 1u);
  EXPECT_TRUE(store_->ListTokens()->front().revoked_at.has_value());
  EXPECT_EQ(CountAudit("member.create"), 1);
  EXPECT_EQ(CountAudit("member.remove"), 1);
  EXPECT_EQ(CountAudit("token.revoke", "member.remove"), 1);
  EXPECT_EQ(store_->RemoveMember("kbh-soc", "admin").error().kind(), ErrorKind::kNotFound);
  // The id may be given out again; the old token stays dead.
  ASSERT_TRUE(store_->UpsertMember({"kbh-soc", "0101", "Københavns SOC", MemberRole::kMember}, "t").ok());
  EXPECT_FALSE(Authenticates('a'));
  EXPECT_FALSE(store_->GetMemberState("kbh-soc")->disabled_at.has_value());
}

TEST_P(TokenConformance, LastUseIsRecordedAtMostOncePerMinute) {
  SeedSharing();
  const TokenInfo token = Create('a');
  ASSERT_TRUE(Authenticates('a'));
  const auto first = store_->GetToken(token.id)->last_used;
  ASSERT_TRUE(first.has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(Authenticates('a'));
  EXPECT_EQ(store_->GetToken(token.id)->last_used, first);
}

TEST_P(TokenConformance, RotationIssuesANewTokenAndExpiresTheOldAfterTheGrace) {
  SeedSharing();
  const TokenInfo old_token = Create('a');
  auto rotated = store_->RotateToken(old_token.id, {Hash('b'), "", "", std::nullopt}, In(3'600'000), "admin");
  ASSERT_TRUE(rotated.ok()) << rotated.error().ToString();
  EXPECT_EQ(rotated->member_id, "kbh-soc");
  EXPECT_EQ(rotated->label, "laptop");
  EXPECT_TRUE(Authenticates('a'));  // inside the grace period
  EXPECT_TRUE(Authenticates('b'));
  ASSERT_TRUE(store_->GetToken(old_token.id)->expires_at.has_value());
  EXPECT_EQ(CountAudit("token.rotate", R"("replaced_by":"bbbbbbbbbbbb")"), 1);
  // Without grace the old token stops at once; a token that is not active cannot be rotated.
  ASSERT_TRUE(store_->RotateToken(rotated->id, {Hash('c'), "", "", std::nullopt}, Timestamp::Now(), "admin").ok());
  EXPECT_FALSE(Authenticates('b'));
  EXPECT_TRUE(Authenticates('c'));
  auto refused = store_->RotateToken(rotated->id, {Hash('d'), "", "", std::nullopt}, In(1000), "admin");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kConflict);
  EXPECT_FALSE(store_->GetToken("dddddddddddd").ok());  // nothing of the refused rotation is stored
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

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
  // Within one call: the first of two equal versions is added, the second is not;
  // outcomes come in the order given.
  auto batch = store_->AddObjects(
      kCollection,
      {Indicator("000000000002", "2026-11-26T10:00:00.000Z"), Indicator("000000000001", "2026-11-26T10:00:00.000Z"),
       Indicator("000000000002", "2026-11-26T10:00:00.000Z"), Indicator("000000000002", "2026-11-26T11:00:00.000Z")},
      "0101", "t");
  ASSERT_TRUE(batch.ok()) << batch.error().ToString();
  ASSERT_EQ(batch->size(), 4U);
  EXPECT_TRUE((*batch)[0].added);
  EXPECT_FALSE((*batch)[1].added);
  EXPECT_FALSE((*batch)[2].added);
  EXPECT_TRUE((*batch)[3].added);
  EXPECT_EQ((*batch)[3].version, "2026-11-26T11:00:00.000Z");
  auto all = store_->QueryObjects(query, nullptr);
  ASSERT_EQ(all->objects.size(), 3U);
  EXPECT_LT(all->objects[1].added_us, all->objects[2].added_us);
}

TEST_P(SharingConformance, WatchersHearOfEveryWriteThatChangedSomething) {
  SeedSharing();
  std::vector<std::string> heard;
  const auto id = store_->Watch([&](const Store::Change& change) {
    const char* kinds[] = {"added", "deleted", "record", "resync"};
    heard.push_back(std::string(kinds[static_cast<int>(change.kind)]) + " " + change.key);
  });
  ASSERT_TRUE(
      store_->AddObjects(kCollection, {Indicator("000000000001", "2026-11-26T10:00:00.000Z")}, "0101", "t").ok());
  // The same version again adds nothing, and nothing is announced.
  ASSERT_TRUE(
      store_->AddObjects(kCollection, {Indicator("000000000001", "2026-11-26T10:00:00.000Z")}, "0101", "t").ok());
  ASSERT_TRUE(
      store_->DeleteObject(kCollection, "indicator--00000000-0000-4000-8000-000000000001", VersionFilter{}, "t").ok());
  ASSERT_TRUE(store_->PutRecord({"baseline.assessment", "0101", "0101", R"({"a":1})", std::nullopt}, "t").ok());
  // A refused write announces nothing.
  EXPECT_FALSE(store_->PutRecord({"baseline.assessment", "x", "9999", R"({"a":1})", std::nullopt}, "t").ok());
  ASSERT_TRUE(store_->DeleteRecord("baseline.assessment", "0101", "t").ok());
  store_->Unwatch(id);
  ASSERT_TRUE(
      store_->AddObjects(kCollection, {Indicator("000000000002", "2026-11-26T10:00:00.000Z")}, "0101", "t").ok());
  EXPECT_EQ(heard, (std::vector<std::string>{"added " + std::string(kCollection), "deleted " + std::string(kCollection),
                                             "record baseline.assessment", "record baseline.assessment"}));
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

TEST_P(SharingConformance, OwnersOfManyIdsAreTheirFirstPosters) {
  SeedSharing();
  ASSERT_TRUE(
      store_->AddObjects(kCollection, {Indicator("000000000001", "2026-11-26T10:00:00.000Z")}, "0101", "t").ok());
  ASSERT_TRUE(store_
                  ->AddObjects(kCollection,
                               {Indicator("000000000001", "2026-11-26T11:00:00.000Z"),
                                Indicator("000000000002", "2026-11-26T10:00:00.000Z")},
                               "0751", "t")
                  .ok());
  const std::string one = "indicator--00000000-0000-4000-8000-000000000001";
  const std::string two = "indicator--00000000-0000-4000-8000-000000000002";
  const std::string none = "indicator--00000000-0000-4000-8000-000000000009";
  auto owners = store_->ObjectOwners({one, two, none, one});
  ASSERT_TRUE(owners.ok()) << owners.error().ToString();
  EXPECT_EQ(*owners, (std::map<std::string, std::string>{{one, "0101"}, {two, "0751"}}));
  EXPECT_EQ(*store_->ObjectOwner(one), std::optional<std::string>("0101"));
  EXPECT_TRUE(store_->ObjectOwners({})->empty());
}

TEST_P(SharingConformance, AQueryOfAllCollectionsReadsThemInOneChangeFeedOrder) {
  SeedSharing();
  Collection other;
  other.id = "5a1c3b0e-8f2d-4c1a-9b7e-000000000002";
  other.title = "Regionale indikatorer";
  ASSERT_TRUE(store_->UpsertCollection(other, "test").ok());
  const std::string v10 = "2026-11-26T10:00:00.000Z";
  ASSERT_TRUE(store_->AddObjects(kCollection, {Indicator("000000000001", v10)}, "0101", "t").ok());
  ASSERT_TRUE(store_->AddObjects(other.id, {Indicator("000000000002", v10)}, "0101", "t").ok());
  ASSERT_TRUE(store_->AddObjects(kCollection, {Indicator("000000000003", v10)}, "0101", "t").ok());
  ObjectQuery query;
  query.all_collections = true;
  query.limit = 2;
  std::vector<std::string> seen;
  std::int64_t previous_seq = 0;
  for (int page_idx = 0; page_idx < 5; ++page_idx) {
    auto page = store_->QueryObjects(query, nullptr);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    for (const auto& object : page->objects) {
      seen.push_back(object.id.substr(object.id.size() - 1) + "@" + object.collection_id.substr(35));
      EXPECT_GT(object.seq, previous_seq);
      previous_seq = object.seq;
    }
    if (!page->more) break;
    query.after_seq = page->next_seq;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1@1", "2@2", "3@1"}));
  // Without the flag the query reads the named collection only, and an
  // empty name reads nothing rather than everything.
  query = {};
  query.collection_id = other.id;
  EXPECT_EQ(store_->QueryObjects(query, nullptr)->objects.size(), 1U);
  query.collection_id.clear();
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

TEST_P(SharingConformance, TheOwnerIsTheOrganisationOfTheEarliestVersionInAnyCollection) {
  SeedSharing();
  Collection other;
  other.id = "5a1c3b0e-8f2d-4c1a-9b7e-000000000002";
  other.title = "Regionale indikatorer";
  ASSERT_TRUE(store_->UpsertCollection(other, "test").ok());
  const std::string id = "indicator--00000000-0000-4000-8000-000000000007";
  EXPECT_EQ(*store_->ObjectOwner(id), std::nullopt);
  ASSERT_TRUE(
      store_->AddObjects(kCollection, {Indicator("000000000007", "2026-11-26T10:00:00.000Z")}, "0101", "t").ok());
  // A later version in another collection, even an older `modified`, does not change the owner.
  ASSERT_TRUE(
      store_->AddObjects(other.id, {Indicator("000000000007", "2026-01-01T00:00:00.000Z")}, "0751", "member:aarhus")
          .ok());
  EXPECT_EQ(*store_->ObjectOwner(id), std::optional<std::string>("0101"));
  // Each version keeps who posted it.
  ObjectQuery query;
  query.collection_id = other.id;
  auto page = store_->QueryObjects(query, nullptr);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 1U);
  EXPECT_EQ(page->objects[0].posted_by, "member:aarhus");
  ASSERT_TRUE(store_->DeleteObject(kCollection, id, {VersionFilter::Mode::kAll, {}}, "t").ok());
  EXPECT_EQ(*store_->ObjectOwner(id), std::optional<std::string>("0751"));
  // Deleting no versions (an empty given list) deletes nothing.
  EXPECT_EQ(*store_->DeleteObject(other.id, id, {VersionFilter::Mode::kGiven, {}}, "t"), 0);
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
