// SPDX-License-Identifier: Apache-2.0
// The register in a real (in-memory SQLite) store with a fake TXT resolver:
// proof by the member's own token only, approval, lapsing proofs, conflicts
// and their resolution, the proven presence and the routing table built
// from the store, coverage.
#include "register/register_store.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "protect/value.h"

namespace dv::reg {
namespace {

class FakeResolver : public TxtResolver {
 public:
  Result<std::vector<std::string>> Lookup(std::string_view name) override {
    looked_up.emplace_back(name);
    if (fail) return Error::Io("DNS: no answer");
    const auto found = records.find(std::string(name));
    if (found == records.end()) return std::vector<std::string>();
    return found->second;
  }
  std::map<std::string, std::vector<std::string>> records;
  std::vector<std::string> looked_up;
  bool fail = false;
};

class RegisterStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::Open("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store_ = std::move(opened).value();
    Organisation region;
    region.code = "1084";
    region.name = "Region Hovedstaden";
    region.kind = OrgKind::kRegion;
    ASSERT_TRUE(store_->UpsertOrganisation(region, "test").ok());
    for (const auto* code : {"0101", "0147", "0461"}) {
      Organisation org;
      org.code = code;
      org.name = std::string("Kommune ") + code;
      org.kind = OrgKind::kMunicipality;
      org.region_code = "1084";
      auto status = store_->UpsertOrganisation(org, "test");
      ASSERT_TRUE(status.ok()) << status.error().ToString();
    }
  }
  void Register(const std::string& org, const nlohmann::json& lists) {
    auto registration = RegistrationFromJson(lists);
    ASSERT_TRUE(registration.ok()) << registration.error().message();
    auto saved = SaveRegistration(*store_, org, *registration, "member:" + org, std::nullopt);
    ASSERT_TRUE(saved.ok()) << saved.error().ToString();
  }
  std::unique_ptr<Store> store_;
};

TEST_F(RegisterStore, OnlyTheMembersOwnTokenProvesItsDomain) {
  Register("0101", {{"domains", {"kk.dk"}}});
  Register("0147", {{"domains", {"frb.dk"}}});
  FakeResolver dns;
  // Verifying before a challenge is refused.
  auto early = VerifyDomain(*store_, "0101", "kk.dk", dns, "member:kbh");
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(IssueChallenge(*store_, "0101", "other.dk", "member:kbh").error().kind(), ErrorKind::kNotFound);

  auto token = IssueChallenge(*store_, "0101", "kk.dk", "member:kbh");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->rfind("dv-proof-", 0), 0u);
  EXPECT_EQ(token->size(), 9u + 32u);
  auto other = IssueChallenge(*store_, "0147", "frb.dk", "member:frb");
  ASSERT_TRUE(other.ok());

  // Wrong token, another member's token, no record, a failing resolver: not proven.
  dns.records["_dannevirke-challenge.kk.dk"] = {"dv-proof-00000000000000000000000000000000"};
  EXPECT_FALSE(VerifyDomain(*store_, "0101", "kk.dk", dns, "member:kbh")->proven);
  dns.records["_dannevirke-challenge.kk.dk"] = {*other};
  auto foreign = VerifyDomain(*store_, "0101", "kk.dk", dns, "member:kbh");
  EXPECT_FALSE(foreign->proven);
  EXPECT_EQ(foreign->reason, "no TXT record at _dannevirke-challenge.kk.dk holds the token issued to 0101");
  dns.records.clear();
  EXPECT_EQ(VerifyDomain(*store_, "0101", "kk.dk", dns, "member:kbh")->reason,
            "no TXT record at _dannevirke-challenge.kk.dk");
  dns.fail = true;
  EXPECT_EQ(VerifyDomain(*store_, "0101", "kk.dk", dns, "member:kbh")->reason, "DNS: no answer");
  dns.fail = false;
  EXPECT_EQ(LoadMember(*store_, "0101")->Proof("kk.dk").status, ProofStatus::kPending);
  EXPECT_TRUE(LoadProvenPresence(*store_)->at(0).domains.empty());

  dns.records["_dannevirke-challenge.kk.dk"] = {"v=spf1 -all", *token};
  auto proven = VerifyDomain(*store_, "0101", "KK.dk.", dns, "member:kbh");
  ASSERT_TRUE(proven.ok());
  EXPECT_TRUE(proven->proven) << proven->reason;
  EXPECT_EQ(proven->proof.method, "dns");
  EXPECT_EQ(LoadProvenPresence(*store_)->at(0).domains, (std::vector<std::string>{"kk.dk"}));
  auto audit = store_->ListAudit(50);
  ASSERT_TRUE(audit.ok());
  int proofs = 0;
  int failures = 0;
  for (const auto& entry : *audit) {
    proofs += entry.action == kProveAction ? 1 : 0;
    failures += entry.action == kProveFailedAction ? 1 : 0;
  }
  EXPECT_EQ(proofs, 1);
  EXPECT_EQ(failures, 4);

  // A removed domain's proof lapses; registering it again needs a new proof.
  Register("0101", {{"domains", {"www.kk.dk"}}});
  Register("0101", {{"domains", {"kk.dk"}}});
  EXPECT_EQ(LoadMember(*store_, "0101")->Proof("kk.dk").status, ProofStatus::kUnproven);
}

TEST_F(RegisterStore, ApprovalNeedsAReason) {
  Register("0461", {{"domains", {"odense.dk"}}});
  EXPECT_EQ(ApproveDomain(*store_, "0461", "odense.dk", "", "member:cfcs").error().kind(), ErrorKind::kInvalidArgument);
  auto approved = ApproveDomain(*store_, "0461", "odense.dk", "confirmed by phone with IT", "member:cfcs");
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->status, ProofStatus::kApproved);
  EXPECT_EQ(LoadCoverage(*store_)->domains_approved, 1);
}

TEST_F(RegisterStore, ConflictsRouteToBothUntilResolved) {
  Register("0101", {{"domains", {"portal.dk"}}, {"prefixes", {"203.0.113.0/24"}}, {"asns", {64496}}});
  Register("0147", {{"domains", {"portal.dk"}}, {"prefixes", {"203.0.113.0/24", "203.0.113.0/25"}}});
  ASSERT_TRUE(ApproveDomain(*store_, "0101", "portal.dk", "known", "member:cfcs").ok());
  auto conflicts = OpenConflicts(*store_);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->size(), 2u);
  EXPECT_EQ((*conflicts)[0].kind, ClaimKind::kPrefix);
  EXPECT_EQ((*conflicts)[0].key, "203.0.113.0/24");
  EXPECT_EQ((*conflicts)[1].key, "portal.dk");
  EXPECT_EQ((*conflicts)[1].claimants, (std::vector<std::string>{"0101", "0147"}));
  EXPECT_EQ((*conflicts)[1].proven, (std::vector<std::string>{"0101"}));
  EXPECT_EQ(OpenConflicts(*store_, "0461")->size(), 0u);
  EXPECT_EQ(OpenConflicts(*store_, "0147")->size(), 2u);

  auto table = LoadRoutingTable(*store_);
  ASSERT_TRUE(table.ok());
  const IpAddress address = protect::ParseNetwork("203.0.113.200").value().address;
  ASSERT_NE(table->Match(address), nullptr);
  EXPECT_TRUE(table->Match(address)->conflict());
  // Only 0101 proved the domain: it routes to 0101 alone.
  EXPECT_EQ(table->MatchDomain("www.portal.dk")->owners, (std::vector<std::string>{"0101"}));

  EXPECT_EQ(
      ResolveConflict(*store_, ClaimKind::kPrefix, "203.0.113.0/24", "0461", "x", "member:cfcs", "0101").error().kind(),
      ErrorKind::kInvalidArgument);
  auto resolved =
      ResolveConflict(*store_, ClaimKind::kPrefix, "203.0.113.0/24", "0147", "RIPE assignment", "member:cfcs", "0101");
  ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
  EXPECT_EQ(resolved->overruled, (std::vector<std::string>{"0101"}));
  EXPECT_EQ(OpenConflicts(*store_)->size(), 1u);
  table = LoadRoutingTable(*store_);
  EXPECT_EQ(table->Match(address)->owners, (std::vector<std::string>{"0147"}));
  // A third claimant reopens it.
  Register("0461", {{"prefixes", {"203.0.113.0/24"}}});
  conflicts = OpenConflicts(*store_);
  ASSERT_EQ(conflicts->size(), 2u);
  EXPECT_EQ((*conflicts)[0].claimants, (std::vector<std::string>{"0147", "0461"}));

  auto coverage = LoadCoverage(*store_);
  ASSERT_TRUE(coverage.ok());
  EXPECT_EQ(coverage->registered, 3);
  EXPECT_EQ(coverage->with_domains, 2);
  EXPECT_EQ(coverage->with_proven_domain, 1);
  EXPECT_EQ(coverage->open_conflicts, 2);
  EXPECT_EQ(coverage->organisations, 4);
}

}  // namespace
}  // namespace dv::reg
