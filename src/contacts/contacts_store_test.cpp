// SPDX-License-Identifier: Apache-2.0
#include "contacts/contacts_store.h"

#include <gtest/gtest.h>

namespace dv::contacts {
namespace {

using Json = nlohmann::json;

std::string NextStoreId() {
  static int next = 0;
  return "c" + std::to_string(++next);
}

class ContactsStore : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open("sqlite::memory:")).value();
    Organisation org;
    org.code = "0101";
    org.name = "Københavns Kommune";
    org.kind = OrgKind::kMunicipality;
    org.region_code = "1084";
    org.population = 650000;
    ASSERT_TRUE(store_->UpsertOrganisation(org, "test").ok());
  }
  static std::vector<Contact> Parse(const std::vector<Json>& list) {
    auto parsed = ParseContactList({{"contacts", list}}, &NextStoreId);
    EXPECT_TRUE(parsed.ok()) << parsed.error().message();
    return parsed.ok() ? *parsed : std::vector<Contact>();
  }
  static Json Role() {
    return {{"id", "role"},           {"kind", "role"},
            {"name", "IT-sikkerhed"}, {"channels", {{"email", "it-sikkerhed@kk.dk"}, {"phone", "+4533660000"}}},
            {"priority", 1},          {"out_of_band", true}};
  }
  static Json Person(const std::string& id, const std::string& name, const std::string& phone) {
    return {{"id", id}, {"kind", "person"}, {"name", name}, {"channels", {{"phone", phone}}}, {"priority", 2}};
  }
  // Every body and audit entry, as one text.
  std::string Everything() {
    std::string all;
    const auto history = store_->RecordHistory(std::string(kContactsKind), "0101");
    const auto audit = store_->ListAudit(1000);
    if (!history.ok() || !audit.ok()) return "(unreadable)";
    for (const auto& version : history.value()) all += version.body;
    for (const auto& entry : audit.value()) all += entry.actor + entry.object + entry.detail;
    return all;
  }
  std::unique_ptr<Store> store_;
};

TEST_F(ContactsStore, ReadsAreAuditedWithReaderAndPurposeAndNoData) {
  ASSERT_TRUE(
      PutContacts(*store_, "0101", Parse({Role(), Person("p1", "Jens Hansen", "+4522334455")}), 0, "member:kbh").ok());
  auto read = ContactsOf(*store_, "0101", {"system:duty", "notification n-1"});
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(read->contacts.size(), 2u);
  EXPECT_EQ(read->version, 1);
  EXPECT_TRUE(read->problems.empty());
  const auto entry = store_->ListAudit(1)->front();
  EXPECT_EQ(entry.action, "contacts.read");
  EXPECT_EQ(entry.actor, "system:duty");
  EXPECT_EQ(entry.object, "0101");
  EXPECT_EQ(Json::parse(entry.detail)["purpose"], "notification n-1");
  EXPECT_EQ(entry.detail.find("Jens"), std::string::npos);
  EXPECT_EQ(ContactsOf(*store_, "9999", {"system:duty", "x"}).error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(ContactsOf(*store_, "0101", {"", "x"}).error().kind(), ErrorKind::kInvalidArgument);
  // A stale version is a conflict.
  EXPECT_EQ(PutContacts(*store_, "0101", Parse({Role()}), 0, "member:kbh").error().kind(), ErrorKind::kConflict);
}

TEST_F(ContactsStore, ErasureFollowsThePersonAcrossIdsAndVersions) {
  ASSERT_TRUE(PutContacts(*store_, "0101", Parse({Role(), Person("p1", "Jens Hansen", "+4522334455")}), 0, "m").ok());
  ASSERT_TRUE(PutContacts(*store_, "0101", Parse({Role()}), 1, "m").ok());
  // Re-registered later under another id and with another phone, same name.
  ASSERT_TRUE(PutContacts(*store_, "0101", Parse({Role(), Person("p7", "jens hansen", "+4599887766")}), 2, "m").ok());
  // And a role that carried his private phone.
  Json night = Role();
  night["id"] = "night";
  night["name"] = "Nattevagt";
  night["priority"] = 3;
  night["out_of_band"] = false;
  night["channels"] = {{"phone", "+4522334455"}};
  ASSERT_TRUE(
      PutContacts(*store_, "0101", Parse({Role(), Person("p7", "jens hansen", "+4599887766"), night}), 3, "m").ok());
  EXPECT_NE(Everything().find("4599887766"), std::string::npos);

  ErasureRequest request;
  request.contact_id = "p1";
  request.reason = ErasureReason::kDataSubjectRequest;
  request.reference = "SAG-2026/17";
  auto erased = EraseContact(*store_, "0101", request, "member:admin");
  ASSERT_TRUE(erased.ok()) << erased.error().message();
  EXPECT_EQ(erased->removed_from_current, 2);  // p7 (same name) and the night role (his phone)
  EXPECT_EQ(erased->versions_rewritten, 3);
  const std::string all = Everything();
  for (const char* gone : {"Jens", "jens", "4522334455", "4599887766"})
    EXPECT_EQ(all.find(gone), std::string::npos) << gone;
  auto current = ContactsOf(*store_, "0101", {"t", "test"});
  ASSERT_TRUE(current.ok());
  ASSERT_EQ(current->contacts.size(), 1u);
  EXPECT_EQ(current->contacts[0].id, "role");
  EXPECT_EQ(current->version, 4);  // rewritten in place, no new version
  const auto audit = store_->ListAudit(100);
  ASSERT_TRUE(audit.ok());
  AuditEntry entry;
  for (const auto& candidate : audit.value()) {
    if (candidate.action == "record.contacts.list.erase") entry = candidate;
  }
  const Json detail = Json::parse(entry.detail);
  EXPECT_EQ(entry.actor, "member:admin");
  EXPECT_EQ(detail["reason"], "data_subject_request");
  EXPECT_EQ(detail["reference"], "SAG-2026/17");
  EXPECT_EQ(detail["removed_from_current"], 2);

  // Nothing matches any more; a bad request is refused.
  EXPECT_EQ(EraseContact(*store_, "0101", request, "m").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(EraseContact(*store_, "0101", ErasureRequest{}, "m").error().kind(), ErrorKind::kInvalidArgument);
  request.reference = "Jens Hansens anmodning";
  EXPECT_EQ(EraseContact(*store_, "0101", request, "m").error().kind(), ErrorKind::kInvalidArgument);
}

TEST_F(ContactsStore, AnErasureThatLeavesNoOutOfBandContactIsReportedNotRefused) {
  Json person = Person("p1", "Jens Hansen", "+4522334455");
  person["out_of_band"] = true;
  Json role = Role();
  role["out_of_band"] = false;
  role["priority"] = 3;
  ASSERT_TRUE(PutContacts(*store_, "0101", Parse({role, person}), 0, "m").ok());
  ErasureRequest request;
  request.phone = "+4522334455";
  ASSERT_TRUE(EraseContact(*store_, "0101", request, "m").ok());
  auto current = ContactsOf(*store_, "0101", {"t", "test"});
  ASSERT_TRUE(current.ok());
  ASSERT_EQ(current->problems.size(), 1u);
  EXPECT_NE(current->problems[0].find("out-of-band"), std::string::npos);
}

}  // namespace
}  // namespace dv::contacts
