// SPDX-License-Identifier: Apache-2.0
// Selection rules, trust, priority and the attacks a feed must withstand:
// a member trying to get a never-block name, a parent of one, another
// member's network or an injected line into other members' zones.
#include "protect/feed.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "protect/rpz.h"

namespace dv::protect {
namespace {

constexpr char kCoordinator[] = "CFCS";

Candidate Make(std::string id, ValueKind kind, std::string value, std::string producer = kCoordinator) {
  Candidate candidate;
  candidate.indicator_id = std::move(id);
  candidate.producer = std::move(producer);
  candidate.collection = "national";
  candidate.kind = kind;
  candidate.value = std::move(value);
  candidate.confidence = 90;
  candidate.corroborated = true;
  candidate.modified = Timestamp::FromCivil(2026, 3, 1);
  return candidate;
}

FeedInput Enforcing() {
  FeedInput input;
  input.coordinator = kCoordinator;
  input.profile.monitor_only = false;
  input.now = Timestamp::FromCivil(2026, 3, 2);
  input.rpz_origin = "rpz.dannevirke.test";
  input.never_block.domains = {"www.borger.dk", "sundhed.dk"};
  input.never_block.networks = {"192.0.2.53", "2001:db8:53::/48"};
  return input;
}

std::vector<std::string> Values(const std::vector<FeedEntry>& entries) {
  std::vector<std::string> out;
  for (const FeedEntry& entry : entries) out.push_back(entry.value);
  return out;
}

const LeftOut* LeftOutFor(const Feed& feed, std::string_view id) {
  for (const LeftOut& item : feed.left_out) {
    if (item.indicator_id == id) return &item;
  }
  return nullptr;
}

TEST(Feed, NeverBlockNameAndSubdomainsAreNeverWritten) {
  FeedInput input = Enforcing();
  input.candidates = {Make("a", ValueKind::kDomain, "www.borger.dk"),
                      Make("b", ValueKind::kDomain, "login.WWW.borger.dk."),
                      Make("c", ValueKind::kDomain, "sundhed.dk"), Make("d", ValueKind::kUrl, "https://sundhed.dk/x"),
                      Make("e", ValueKind::kDomain, "evil.example")};
  const Feed feed = *BuildFeed(input);
  EXPECT_EQ(Values(feed.enforce), (std::vector<std::string>{"evil.example"}));
  for (const char* id : {"a", "b", "c", "d"}) {
    ASSERT_NE(LeftOutFor(feed, id), nullptr) << id;
    EXPECT_EQ(LeftOutFor(feed, id)->reason, LeftOutReason::kNeverBlock) << id;
  }
  EXPECT_EQ(LeftOutFor(feed, "b")->detail, "never-block: www.borger.dk");
  EXPECT_EQ(feed.left_out_counts[static_cast<std::size_t>(LeftOutReason::kNeverBlock)], 4u);
}

TEST(Feed, ParentOfNeverBlockNameIsLeftOut) {
  // Blocking borger.dk would write "*.borger.dk CNAME .", which blocks the
  // never-block www.borger.dk: a parent is refused, even from the coordinator.
  FeedInput input = Enforcing();
  input.candidates = {Make("parent", ValueKind::kDomain, "borger.dk"), Make("tld", ValueKind::kDomain, "dk"),
                      Make("sibling", ValueKind::kDomain, "evil.borger.dk")};
  const Feed feed = *BuildFeed(input);
  EXPECT_EQ(Values(feed.enforce), (std::vector<std::string>{"evil.borger.dk"}));
  EXPECT_EQ(LeftOutFor(feed, "parent")->reason, LeftOutReason::kNeverBlock);
  EXPECT_EQ(LeftOutFor(feed, "parent")->detail, "parent of never-block: www.borger.dk");
  EXPECT_EQ(LeftOutFor(feed, "tld")->reason, LeftOutReason::kInvalidValue);
}

TEST(Feed, AnotherMembersNetworkIsCarvedOutOrLeftOut) {
  FeedInput input = Enforcing();
  input.candidates = {Make("inside", ValueKind::kIpv4, "192.0.2.53"),
                      Make("prefix", ValueKind::kPrefix, "192.0.2.0/24"),
                      Make("v6", ValueKind::kIpv6, "2001:db8::/32")};
  input.profile.min_prefix_v6 = 32;
  const Feed feed = *BuildFeed(input);
  EXPECT_EQ(LeftOutFor(feed, "inside")->reason, LeftOutReason::kNeverBlock);
  std::vector<std::string> v4;
  std::vector<std::string> v6;
  for (const FeedEntry& entry : feed.enforce) {
    (entry.network.address.v6 ? v6 : v4).push_back(entry.value);
    EXPECT_FALSE(entry.carved_from.empty());
  }
  EXPECT_EQ(v4, (std::vector<std::string>{"192.0.2.0/27", "192.0.2.32/28", "192.0.2.48/30", "192.0.2.52",
                                          "192.0.2.54/31", "192.0.2.56/29", "192.0.2.64/26", "192.0.2.128/25"}));
  EXPECT_EQ(v6.size(), 16u);
  EXPECT_EQ(feed.carved_prefixes, 2u);
}

TEST(Feed, AllowListAppliesToExistingEntriesAndCarves) {
  FeedInput input = Enforcing();
  input.allow.domains = {"partner.example"};
  input.allow.networks = {"198.51.100.10"};
  input.candidates = {Make("a", ValueKind::kDomain, "cdn.partner.example"),
                      Make("b", ValueKind::kPrefix, "198.51.100.8/30")};
  const Feed feed = *BuildFeed(input);
  EXPECT_EQ(LeftOutFor(feed, "a")->reason, LeftOutReason::kAllowListed);
  EXPECT_EQ(Values(feed.enforce), (std::vector<std::string>{"198.51.100.8/31", "198.51.100.11"}));
}

TEST(Feed, WarningListValuesNeverGoOut) {
  WarningLists lists;
  lists.Add(*WarningListFromValues({"microsoft.com", "10.0.0.0/8"}, "vendors", "vendor domains"));
  FeedInput input = Enforcing();
  input.warning_lists = &lists;
  input.profile.min_prefix_v4 = 8;
  input.candidates = {Make("a", ValueKind::kDomain, "update.microsoft.com"), Make("b", ValueKind::kIpv4, "10.1.2.3"),
                      Make("c", ValueKind::kPrefix, "10.0.0.0/8")};
  const Feed feed = *BuildFeed(input);
  EXPECT_TRUE(feed.enforce.empty());
  for (const char* id : {"a", "b", "c"}) EXPECT_EQ(LeftOutFor(feed, id)->reason, LeftOutReason::kWarningList) << id;
  EXPECT_EQ(LeftOutFor(feed, "a")->detail, "warning list: vendors: microsoft.com");
}

TEST(Feed, InjectionAttemptsAreCountedNeverWritten) {
  FeedInput input = Enforcing();
  const std::vector<std::string> hostile = {
      "evil.example\n$INCLUDE /etc/passwd",
      "evil.example CNAME rpz-passthru.",
      "evil.example;",
      "$INCLUDE",
      "@",
      "*",
      "*.evil.example",
      "evil.example\r\n@ IN NS attacker.example.",
      std::string(64, 'a') + ".example",
      "24.0.0.0.10.rpz-client-ip",
      "\"evil.example\"",
      std::string("evil.example\0hidden", 19),
  };
  for (std::size_t idx = 0; idx < hostile.size(); ++idx) {
    input.candidates.push_back(Make("h" + std::to_string(idx), ValueKind::kDomain, hostile[idx]));
  }
  input.candidates.push_back(Make("ip", ValueKind::kIpv4, "192.0.2.1\n@ NS x."));
  input.candidates.push_back(Make("url", ValueKind::kUrl, "http://evil.example/\nx"));
  const Feed feed = *BuildFeed(input);
  EXPECT_TRUE(feed.enforce.empty());
  EXPECT_EQ(feed.left_out_counts[static_cast<std::size_t>(LeftOutReason::kInvalidValue)], hostile.size() + 2);
  for (const LeftOut& item : feed.left_out) {
    EXPECT_EQ(item.value.find('\n'), std::string::npos);
    EXPECT_EQ(item.value.find('\r'), std::string::npos);
  }
}

TEST(Feed, UppercaseTrailingDotAndIdnAreOneEntry) {
  FeedInput input = Enforcing();
  input.candidates = {Make("a", ValueKind::kDomain, "RØDGRØD.dk."), Make("b", ValueKind::kDomain, "xn--rdgrd-vuad.dk"),
                      Make("c", ValueKind::kDomain, "rødgrød.dk")};
  const Feed feed = *BuildFeed(input);
  ASSERT_EQ(feed.enforce.size(), 1u);
  EXPECT_EQ(feed.enforce[0].value, "xn--rdgrd-vuad.dk");
  EXPECT_EQ(EntryIndicatorIds(feed.enforce[0], input.candidates), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Feed, TrustAndCorroboration) {
  FeedInput input = Enforcing();
  Candidate aarhus = Make("aarhus-single", ValueKind::kDomain, "one.example", "0751");
  aarhus.corroborated = false;
  Candidate approved = Make("aarhus-approved", ValueKind::kDomain, "two.example", "0751");
  approved.corroborated = false;
  approved.provenance.approvals = {kCoordinator};
  Candidate sighted = Make("aarhus-sighted", ValueKind::kDomain, "three.example", "0751");
  sighted.corroborated = true;  // a second producer's sighting, but nobody trusted vouches
  Candidate own = Make("coordinator", ValueKind::kDomain, "four.example");
  own.corroborated = false;  // the coordinator's own indicator counts as approved
  input.candidates = {aarhus, approved, sighted, own};
  Feed feed = *BuildFeed(input);
  EXPECT_EQ(Values(feed.enforce), (std::vector<std::string>{"four.example", "two.example"}));
  ASSERT_EQ(feed.monitor.size(), 2u);
  EXPECT_EQ(feed.monitor[0].value, "one.example");
  EXPECT_EQ(feed.monitor[0].monitor_reason, MonitorReason::kUntrusted);

  // Trusting Aarhus: its corroborated indicator is enforced, the single-source one monitored.
  input.profile.trusted_producers = {"0751"};
  feed = *BuildFeed(input);
  EXPECT_EQ(Values(feed.enforce), (std::vector<std::string>{"three.example", "two.example"}));
  EXPECT_EQ(feed.monitor[0].value, "four.example");
  EXPECT_EQ(feed.monitor[0].monitor_reason, MonitorReason::kUntrusted);
  EXPECT_EQ(feed.monitor[1].value, "one.example");
  EXPECT_EQ(feed.monitor[1].monitor_reason, MonitorReason::kSingleSource);

  input.profile.require_corroboration = false;
  feed = *BuildFeed(input);
  EXPECT_EQ(Values(feed.enforce), (std::vector<std::string>{"one.example", "three.example", "two.example"}));
}

TEST(Feed, DefaultProfileMonitorsOnly) {
  FeedInput input = Enforcing();
  input.profile = Profile{};
  input.candidates = {Make("a", ValueKind::kDomain, "evil.example")};
  const Feed feed = *BuildFeed(input);
  EXPECT_TRUE(feed.enforce.empty());
  ASSERT_EQ(feed.monitor.size(), 1u);
  EXPECT_EQ(feed.monitor[0].monitor_reason, MonitorReason::kMonitorOnlyProfile);
}

TEST(Feed, ProfileFilters) {
  FeedInput input = Enforcing();
  input.profile.collections = {"national"};
  input.profile.kinds = {ValueKind::kDomain};
  Candidate regional = Make("regional", ValueKind::kDomain, "r.example");
  regional.collection = "region-midt";
  Candidate weak = Make("weak", ValueKind::kDomain, "w.example");
  weak.confidence = 42.5;
  Candidate wide = Make("wide", ValueKind::kPrefix, "198.50.0.0/15");
  Candidate hash = Make("hash", ValueKind::kOther, "d41d8cd98f00b204e9800998ecf8427e");
  hash.other_kind = "file:hashes.MD5";
  input.candidates = {regional, weak, wide, hash};
  Feed feed = *BuildFeed(input);
  EXPECT_EQ(LeftOutFor(feed, "regional")->reason, LeftOutReason::kCollectionNotInProfile);
  EXPECT_EQ(LeftOutFor(feed, "weak")->detail, "confidence 42.5 below 70.0");
  EXPECT_EQ(LeftOutFor(feed, "wide")->reason, LeftOutReason::kKindNotInProfile);
  EXPECT_EQ(LeftOutFor(feed, "hash")->reason, LeftOutReason::kNotBlockableKind);
  EXPECT_EQ(LeftOutFor(feed, "hash")->detail, "file:hashes.MD5");
  input.profile.kinds = {ValueKind::kPrefix};
  feed = *BuildFeed(input);
  EXPECT_EQ(LeftOutFor(feed, "wide")->detail, "prefix /15 wider than /16");
}

TEST(Feed, MaxEntriesKeepsHighestPriority) {
  FeedInput input = Enforcing();
  input.profile.max_entries = 2;
  Candidate old = Make("old", ValueKind::kDomain, "old.example");
  old.modified = Timestamp::FromCivil(2025, 3, 1);
  Candidate seen = Make("seen", ValueKind::kDomain, "seen.example");
  seen.national_sightings = 40;
  seen.confidence = 80;
  Candidate fresh = Make("fresh", ValueKind::kDomain, "fresh.example");
  input.candidates = {old, seen, fresh};
  const Feed feed = *BuildFeed(input);
  EXPECT_EQ(Values(feed.enforce), (std::vector<std::string>{"fresh.example", "seen.example"}));
  EXPECT_EQ(LeftOutFor(feed, "old")->reason, LeftOutReason::kOverMaxEntries);
  EXPECT_GT(Priority(seen, input.now), Priority(fresh, input.now));
  EXPECT_NEAR(Priority(fresh, input.now), 0.9 * std::exp2(-1.0 / 30.0), 1e-9);
}

TEST(Feed, BadProfileOrNeverBlockValueIsRefusedNamingTheField) {
  FeedInput input = Enforcing();
  input.profile.action = Action::kWalledGarden;
  EXPECT_EQ(BuildFeed(input).error().message(), "walled_garden: required when the action is walled-garden");
  input.profile.walled_garden = "block page.kommune.dk";
  EXPECT_EQ(BuildFeed(input).error().message(), "walled_garden: white space or control character in domain name");
  input.profile = Profile{};
  input.profile.min_confidence = 101;
  EXPECT_EQ(BuildFeed(input).error().message(), "min_confidence: must be a number from 0 to 100");
  input.profile = Profile{};
  input.never_block.networks.push_back("10.0.0.1/8");
  EXPECT_EQ(BuildFeed(input).error().message(),
            "never_block.networks[2]: host bits set after the prefix length in '10.0.0.1/8'");
}

TEST(Feed, DomainTooLongForTheOriginIsLeftOut) {
  FeedInput input = Enforcing();
  std::string name;
  while (name.size() < 230) name += "abcdefghi.";
  name += "dk";
  input.candidates = {Make("long", ValueKind::kDomain, name)};
  const Feed feed = *BuildFeed(input);
  EXPECT_EQ(LeftOutFor(feed, "long")->detail, "name too long for a '*.' trigger below the RPZ origin");
}

TEST(BlockableObservables, SingleValuesAndOrsOnly) {
  auto one = BlockableObservables("[domain-name:value = 'evil.example']");
  ASSERT_EQ(one.values.size(), 1u);
  EXPECT_EQ(one.values[0].kind, ValueKind::kDomain);
  auto ors = BlockableObservables(
      "[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value IN ('192.0.2.2', '192.0.2.0/30')] OR [url:value = "
      "'http://x.example/']");
  EXPECT_EQ(ors.values.size(), 4u);
  EXPECT_EQ(BlockableObservables("[domain-name:value = 'a.example' AND domain-name:value = 'b.example']").reason,
            "AND of comparisons");
  EXPECT_EQ(BlockableObservables("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']").reason,
            "object path 'file:hashes.MD5'");
  EXPECT_EQ(BlockableObservables("[domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']").reason,
            "AND of observations");
  EXPECT_EQ(BlockableObservables("[domain-name:value NOT = 'a.example']").reason, "negated comparison");
  EXPECT_EQ(BlockableObservables("[domain-name:value LIKE '%.example']").reason, "operator LIKE");
  EXPECT_EQ(BlockableObservables("[domain-name:value = 'a.example'] REPEATS 2 TIMES").reason,
            "qualifier on an observation");
  EXPECT_EQ(BlockableObservables("[domain-name:value = ").reason.rfind("pattern does not parse", 0), 0u);
}

}  // namespace
}  // namespace dv::protect
