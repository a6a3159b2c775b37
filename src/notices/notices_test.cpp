// SPDX-License-Identifier: Apache-2.0
// Notices in a real (in-memory SQLite) store with the register's routing
// table: rows reach the member that owns them and no one else, re-ingesting
// routes nothing twice, what nobody owns becomes a blind spot until someone
// registers it, conflicts and reverse-DNS names are held for the coordinator.
#include "notices/notices.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "register/register_store.h"

namespace dv::notices {
namespace {

using Json = nlohmann::json;

class Notices : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::Open("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store_ = std::move(opened).value();
    Add("1084", "Region Hovedstaden", OrgKind::kRegion, "1084");
    Add("0101", "København", OrgKind::kMunicipality, "1084");
    Add("0461", "Odense", OrgKind::kMunicipality, "1083");
    Add("0751", "Aarhus", OrgKind::kMunicipality, "1082");
    Add("S001", "Koordinator", OrgKind::kStateBody, "1084");
  }
  void Add(const std::string& code, const std::string& name, OrgKind kind, const std::string& region) {
    Organisation org;
    org.code = code;
    org.name = name;
    org.kind = kind;
    org.region_code = region;
    auto status = store_->UpsertOrganisation(org, "test");
    ASSERT_TRUE(status.ok()) << status.error().ToString();
  }
  void Register(const std::string& org, const Json& lists) {
    auto registration = reg::RegistrationFromJson(lists);
    ASSERT_TRUE(registration.ok()) << registration.error().message();
    auto saved = reg::SaveRegistration(*store_, org, *registration, "member:" + org, std::nullopt);
    ASSERT_TRUE(saved.ok()) << saved.error().ToString();
  }
  void Approve(const std::string& org, const std::string& domain) {
    auto approved = reg::ApproveDomain(*store_, org, domain, "test approval", "member:coord");
    ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  }
  Result<IngestResult> Ingest(const std::string& bytes, const std::string& format = "shadowserver:scan_rdp") {
    auto table = reg::LoadRoutingTable(*store_);
    if (!table.ok()) return table.error();
    IngestRequest request;
    request.format = format;
    request.origin = "scan_rdp-2026-12-01.csv";
    request.source = "Shadowserver";
    request.ingester_org = "S001";
    request.actor = "member:coord";
    request.now = Timestamp::FromCivil(2026, 12, 2, 6, 0, 0);
    return notices::Ingest(*store_, *table, bytes, request);
  }
  std::vector<Json> NoticesOf(const std::string& org) {
    auto records = store_->ListRecords({std::string(kNoticeKind), org, false});
    EXPECT_TRUE(records.ok());
    std::vector<Json> out;
    for (const auto& record : *records) out.push_back(Json::parse(record.body));
    return out;
  }
  std::unique_ptr<Store> store_;
};

const std::string kHeader = "timestamp,ip,port,hostname,asn,severity\n";

TEST_F(Notices, RowsReachTheOwnerOfTheLongestPrefixAndNobodyElse) {
  Register("1084", {{"prefixes", {"198.51.100.0/24", "2001:db8:10::/48"}}});
  Register("0101", {{"prefixes", {"198.51.100.128/25"}}});
  Register("0461", {{"asns", {64496}}});
  // The municipality's /25 inside the region's /24 routes once approved.
  ASSERT_TRUE(reg::ApproveNesting(*store_, "198.51.100.128/25", "0101", "checked", "member:coord", "S001").ok());
  const std::string report = kHeader +
                             "2026-12-01 03:00:00,198.51.100.23,3389,,64497,high\n"    // region
                             "2026-12-01 03:01:00,198.51.100.200,3389,,64497,\n"       // municipality inside
                             "2026-12-01 03:02:00,2001:db8:10::5,3389,,64497,\n"       // region, IPv6
                             "2026-12-01 03:03:00,203.0.113.9,3389,,64496,critical\n"  // AS only
                             "2026-12-01 03:04:00,203.0.113.77,3389,,64511,\n";        // nobody
  auto result = Ingest(report);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->routed, 4u);
  EXPECT_EQ(result->blind_spots, 1u);
  EXPECT_EQ(result->members.at("1084"), 2u);
  EXPECT_EQ(result->members.at("0101"), 1u);
  EXPECT_EQ(result->members.at("0461"), 1u);
  EXPECT_EQ(result->members.count("0751"), 0u);
  ASSERT_TRUE(result->highest.has_value());
  EXPECT_EQ(*result->highest, Severity::kCritical);

  const auto region = NoticesOf("1084");
  ASSERT_EQ(region.size(), 1u);
  EXPECT_EQ(region[0]["tlp"], "amber");
  EXPECT_EQ(region[0]["report_type"], "scan_rdp");
  EXPECT_EQ(region[0]["severity"], "high");
  EXPECT_EQ(region[0]["row_count"], 2);
  for (const auto& row : region[0]["rows"]) {
    EXPECT_NE(row["address"], "198.51.100.200");
    EXPECT_EQ(row["matched"]["kind"], "prefix");
  }
  const auto municipality = NoticesOf("0101");
  ASSERT_EQ(municipality.size(), 1u);
  EXPECT_EQ(municipality[0]["rows"][0]["address"], "198.51.100.200");
  EXPECT_EQ(municipality[0]["rows"][0]["matched"]["key"], "198.51.100.128/25");
  EXPECT_EQ(municipality[0]["severity"], "medium");  // no severity column value: the default
  const auto odense = NoticesOf("0461");
  ASSERT_EQ(odense.size(), 1u);
  EXPECT_EQ(odense[0]["rows"][0]["matched"]["kind"], "asn");
  EXPECT_TRUE(NoticesOf("0751").empty());
}

TEST_F(Notices, AnUnapprovedPrefixInsideAnotherMembersTakesNoneOfItsRows) {
  Register("0101", {{"prefixes", {"198.51.100.0/24"}}});
  // Odense registers Copenhagen's upper half, then a /26 of it: neither routes.
  Register("0461", {{"prefixes", {"198.51.100.128/25", "198.51.100.192/26"}}});
  const std::string report = kHeader +
                             "2026-12-01 03:00:00,198.51.100.200,3389,,64497,\n"
                             "2026-12-01 03:01:00,198.51.100.130,3389,,64497,\n";
  auto result = Ingest(report);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->members.count("0461"), 0u);
  EXPECT_EQ(result->members.at("0101"), 2u);
  EXPECT_TRUE(NoticesOf("0461").empty());
  auto nested = reg::LoadNested(*store_);
  ASSERT_TRUE(nested.ok());
  EXPECT_FALSE(nested->empty());
  for (const auto& pair : *nested) EXPECT_TRUE(pair.approved.empty());
  // Approving the /25 lets the /26 inside it route too: it is nested in the
  // same owner's approved prefix, not in another member's.
  ASSERT_TRUE(reg::ApproveNesting(*store_, "198.51.100.128/25", "0461", "checked", "member:coord", "S001").ok());
  auto table = reg::LoadRoutingTable(*store_);
  ASSERT_TRUE(table.ok());
  const auto* entry = table->Match(*ParseIp("198.51.100.200"));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->owners, std::vector<std::string>{"0461"});
  EXPECT_EQ(reg::ApproveNesting(*store_, "198.51.100.0/25", "0461", "x", "member:coord", "S001").error().kind(),
            ErrorKind::kNotFound);
}

TEST_F(Notices, ReingestingRoutesNothingTwiceAndRoutesWhatWasRegisteredSince) {
  Register("0101", {{"prefixes", {"198.51.100.0/24"}}});
  const std::string report = kHeader +
                             "2026-12-01 03:00:00,198.51.100.23,3389,,64497,\n"
                             "2026-12-01 03:01:00,203.0.113.9,3389,,64497,\n";
  auto first = Ingest(report);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->routed, 1u);
  EXPECT_EQ(first->blind_spots, 1u);
  auto table = reg::LoadRoutingTable(*store_);
  ASSERT_TRUE(table.ok());
  auto spots = BlindSpots(*store_, *table);
  ASSERT_TRUE(spots.ok());
  ASSERT_EQ(spots->size(), 1u);
  EXPECT_EQ((*spots)[0].key, "203.0.113.0/24");
  EXPECT_EQ((*spots)[0].reason, "unregistered");
  EXPECT_EQ((*spots)[0].sample, std::vector<std::string>{"203.0.113.9"});

  auto again = Ingest(report);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->routed, 0u);
  EXPECT_EQ(again->already_routed, 1u);
  EXPECT_EQ(again->blind_spots, 0u);
  EXPECT_EQ(again->blind_already, 1u);
  EXPECT_TRUE(again->notices.empty());
  EXPECT_EQ(NoticesOf("0101").size(), 1u);

  // Aarhus registers the blind spot's network: the next ingest routes the
  // row to Aarhus, and it leaves the blind-spot list.
  Register("0751", {{"prefixes", {"203.0.113.0/24"}}});
  auto after = Ingest(report);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->routed, 1u);
  EXPECT_EQ(after->members.at("0751"), 1u);
  table = reg::LoadRoutingTable(*store_);
  ASSERT_TRUE(table.ok());
  spots = BlindSpots(*store_, *table);
  ASSERT_TRUE(spots.ok());
  EXPECT_TRUE(spots->empty());
}

TEST_F(Notices, ConflictsAndReverseDnsNamesAreHeldForTheCoordinator) {
  Register("0101", {{"prefixes", {"192.0.2.0/24"}}, {"domains", {"kk.example.dk"}}});
  Register("0461", {{"prefixes", {"192.0.2.0/24"}}});  // the same prefix: a conflict
  Approve("0101", "kk.example.dk");
  const std::string report = kHeader +
                             "2026-12-01 03:00:00,192.0.2.10,3389,,64497,\n"
                             "2026-12-01 03:01:00,203.0.113.5,3389,rdp.kk.example.dk,64497,\n";
  auto result = Ingest(report);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->routed, 0u);
  EXPECT_EQ(result->held_conflict, 1u);
  EXPECT_EQ(result->blind_spots, 2u);
  EXPECT_TRUE(NoticesOf("0101").empty());
  EXPECT_TRUE(NoticesOf("0461").empty());
  auto table = reg::LoadRoutingTable(*store_);
  ASSERT_TRUE(table.ok());
  auto spots = BlindSpots(*store_, *table);
  ASSERT_TRUE(spots.ok());
  ASSERT_EQ(spots->size(), 2u);
  std::map<std::string, BlindSpot> by_reason;
  for (const auto& spot : *spots) by_reason[spot.reason] = spot;
  EXPECT_EQ(by_reason.at("conflict").key, "192.0.2.0/24");
  EXPECT_EQ(by_reason.at("reverse_dns_only").key, "203.0.113.0/24");
  EXPECT_EQ(by_reason.at("reverse_dns_only").hint, std::vector<std::string>{"0101"});

  // A domain that is the report's subject routes by the proven domain.
  const std::string websites =
      "timestamp,ip,port,http_host,asn\n"
      "2026-12-03 11:02:00,203.0.113.80,443,www.kk.example.dk,64496\n";
  auto subject = Ingest(websites, "shadowserver:compromised_website");
  ASSERT_TRUE(subject.ok()) << subject.error().ToString();
  EXPECT_EQ(subject->routed, 1u);
  const auto notices = NoticesOf("0101");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0]["rows"][0]["matched"]["kind"], "domain");
  EXPECT_EQ(notices[0]["rows"][0]["matched"]["key"], "kk.example.dk");
}

TEST_F(Notices, BadRowsAreCountedAndAFileOfTheWrongFormatWritesNothing) {
  Register("0101", {{"prefixes", {"198.51.100.0/24"}}});
  const std::string report = kHeader +
                             "2026-12-01 03:00:00,198.51.100.23,3389,,64497,\n"
                             "2026-12-01 03:00:00,not-an-address,3389,,64497,\n"
                             "2026-12-01 03:02:00,198.51.100.24,3389,,64497,\n";
  auto result = Ingest(report);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->summary.rejected, 1u);
  ASSERT_FALSE(result->summary.problems.empty());
  EXPECT_EQ(result->summary.problems[0].line, 3u);
  EXPECT_EQ(result->routed, 2u);

  const auto before = store_->ListRecords({std::string(kIngestKind), std::nullopt, false});
  ASSERT_TRUE(before.ok());
  auto refused = Ingest("{\"not\": \"csv\"}\n\x01\x02", "shadowserver:scan_rdp");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_NE(refused.error().message().find("scan_rdp-2026-12-01.csv"), std::string::npos) << refused.error().message();
  const auto after = store_->ListRecords({std::string(kIngestKind), std::nullopt, false});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), before->size());
  EXPECT_EQ(Ingest(report, "xml").error().kind(), ErrorKind::kInvalidArgument);
}

TEST_F(Notices, AMemberSetsTheStatusOfItsOwnNoticesOnly) {
  Register("0101", {{"prefixes", {"198.51.100.0/24"}}});
  auto result = Ingest(kHeader + "2026-12-01 03:00:00,198.51.100.23,3389,,64497,\n");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->notices.size(), 1u);
  const std::string id = result->notices[0];
  const Timestamp now = Timestamp::FromCivil(2026, 12, 2, 9, 0, 0);
  EXPECT_EQ(SetStatus(*store_, "0461", id, NoticeStatus::kResolved, "", "member:odense", now).error().kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(SetStatus(*store_, "0101", id, NoticeStatus::kResolved, "bad\x01", "member:kk", now).error().kind(),
            ErrorKind::kInvalidArgument);
  auto set = SetStatus(*store_, "0101", id, NoticeStatus::kResolved, "RDP closed in the firewall", "member:kk", now);
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  const auto notices = NoticesOf("0101");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0]["status"], "resolved");
  EXPECT_EQ(notices[0]["status_history"][0]["comment"], "RDP closed in the firewall");

  auto history = MemberHistory(*store_, "0101");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].report_type, "scan_rdp");
  EXPECT_EQ((*history)[0].rows, 1u);
  EXPECT_EQ((*history)[0].open, 0u);
  EXPECT_EQ((*history)[0].rows_by_month.at("2026-12"), 1u);
}

}  // namespace
}  // namespace dv::notices
