// SPDX-License-Identifier: Apache-2.0
// The RPZ owner names and the writers' line discipline.
#include "protect/rpz.h"

#include <gtest/gtest.h>

#include <string>

#include "protect/lists.h"
#include "protect/value.h"

namespace dv::protect {
namespace {

std::string Owner(std::string_view network) { return RpzIpOwner(*ParseNetwork(network)); }

TEST(RpzIpOwner, Ipv4) {
  EXPECT_EQ(Owner("192.0.2.1"), "32.1.2.0.192.rpz-ip");
  EXPECT_EQ(Owner("192.0.2.0/24"), "24.0.2.0.192.rpz-ip");
  EXPECT_EQ(Owner("0.0.0.0/0"), "0.0.0.0.0.rpz-ip");
}

TEST(RpzIpOwner, Ipv6CompressesTheLongestZeroRun) {
  EXPECT_EQ(Owner("2001:db8::/32"), "32.zz.db8.2001.rpz-ip");
  EXPECT_EQ(Owner("2001:db8::1"), "128.1.zz.db8.2001.rpz-ip");
  EXPECT_EQ(Owner("::1"), "128.1.zz.rpz-ip");
  EXPECT_EQ(Owner("::/0"), "0.zz.rpz-ip");
  // One zero group is written "0", never "zz" (RFC 5952 §4.2.2).
  EXPECT_EQ(Owner("2001:db8:0:1:1:1:1:1"), "128.1.1.1.1.1.0.db8.2001.rpz-ip");
  // Equal runs: the first in address order is compressed (RFC 5952 §4.2.3).
  EXPECT_EQ(Owner("2001:0:0:1:0:0:0:1"), "128.1.zz.1.0.0.2001.rpz-ip");
  EXPECT_EQ(Owner("2001:db8:0:0:1:0:0:1"), "128.1.0.0.1.zz.db8.2001.rpz-ip");
  EXPECT_EQ(Owner("2001:db8:abcd:12::/64"), "64.zz.12.abcd.db8.2001.rpz-ip");
}

Feed TwoEntryFeed() {
  Feed feed;
  FeedEntry domain;
  domain.kind = EntryKind::kDomain;
  domain.value = "evil.example";
  domain.sources = {0};
  feed.enforce.push_back(domain);
  FeedEntry network;
  network.kind = EntryKind::kNetwork;
  network.network = *ParseNetwork("2001:db8::/32");
  network.value = FormatNetwork(network.network);
  network.sources = {1};
  feed.enforce.push_back(network);
  FeedEntry url;
  url.kind = EntryKind::kUrl;
  url.value = "http://evil.example/x";
  url.sources = {0};
  feed.enforce.push_back(url);
  feed.monitor.push_back(domain);
  feed.monitor.back().value = "maybe.example";
  return feed;
}

TEST(WriteRpz, ActionsAndRelativeOwners) {
  const Feed feed = TwoEntryFeed();
  RpzOptions options;
  options.serial = 4242;
  const std::string expected_head =
      "; Dannevirke protection feed (enforce), serial 4242\n"
      "$TTL 60\n"
      "@ IN SOA localhost. hostmaster.invalid. 4242 60 30 86400 60\n"
      "@ IN NS localhost.\n";
  auto zone = WriteRpz(feed, options, RpzPart::kEnforce);
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(zone->text, expected_head +
                            "evil.example CNAME .\n*.evil.example CNAME .\n"
                            "32.zz.db8.2001.rpz-ip CNAME .\n");
  EXPECT_EQ(zone->triggers, 3u);
  options.action = Action::kNodata;
  EXPECT_NE(WriteRpz(feed, options, RpzPart::kEnforce)->text.find("*.evil.example CNAME *.\n"), std::string::npos);
  options.action = Action::kDrop;
  EXPECT_NE(WriteRpz(feed, options, RpzPart::kEnforce)->text.find("evil.example CNAME rpz-drop.\n"), std::string::npos);
  options.action = Action::kWalledGarden;
  options.walled_garden = "Blokeret.Kommune.example.";
  EXPECT_NE(WriteRpz(feed, options, RpzPart::kEnforce)->text.find("evil.example CNAME blokeret.kommune.example.\n"),
            std::string::npos);
  const std::string monitor = WriteRpz(feed, options, RpzPart::kMonitor)->text;
  EXPECT_NE(monitor.find("maybe.example CNAME rpz-passthru.\n*.maybe.example CNAME rpz-passthru.\n"),
            std::string::npos);
  EXPECT_EQ(monitor.find("evil.example"), std::string::npos);
}

TEST(WriteRpz, WriterRefusesWhatValidationShouldHaveCaught) {
  Feed feed;
  FeedEntry bad;
  bad.kind = EntryKind::kDomain;
  bad.value = "evil.example\n$INCLUDE /etc/passwd";
  feed.enforce.push_back(bad);
  bad.value = "evil.example.";
  feed.enforce.push_back(bad);
  bad.value = "@";
  feed.enforce.push_back(bad);
  auto zone = WriteRpz(feed, RpzOptions{}, RpzPart::kEnforce);
  EXPECT_EQ(zone->skipped, 3u);
  EXPECT_EQ(zone->triggers, 0u);
  EXPECT_EQ(zone->text.find("INCLUDE"), std::string::npos);
}

TEST(WriteRpz, BadOptionsNameTheField) {
  RpzOptions options;
  options.hostmaster = "host master";
  EXPECT_EQ(WriteRpz(Feed{}, options, RpzPart::kEnforce).error().message(),
            "hostmaster: white space or control character in domain name");
  options = RpzOptions{};
  options.ttl = 0;
  EXPECT_EQ(WriteRpz(Feed{}, options, RpzPart::kEnforce).error().message(), "ttl: must be from 1 to 604800");
}

TEST(Lists, FormatsAndNames) {
  const Feed feed = TwoEntryFeed();
  std::vector<Candidate> candidates(2);
  candidates[0].indicator_id = "indicator--a";
  candidates[1].indicator_id = "indicator--b";
  EXPECT_EQ(WritePaloAltoList(feed, ListKind::kAddress), "2001:db8::/32\n");
  EXPECT_EQ(WritePaloAltoList(feed, ListKind::kDomain), "evil.example\n");
  EXPECT_EQ(WritePaloAltoList(feed, ListKind::kUrl), "evil.example/x\n");
  EXPECT_EQ(WriteFortiGateList(feed, ListKind::kDomain), "evil.example\n*.evil.example\n");
  EXPECT_EQ(WriteFortiGateList(feed, ListKind::kUrl), "http://evil.example/x\n");
  const std::string script = *WriteMikroTikScript(feed, candidates, MikroTikOptions{});
  EXPECT_NE(script.find("/ipv6 firewall address-list add list=\"dannevirke\" address=\"2001:db8::/32\" "
                        "comment=\"indicator--b\"\n"),
            std::string::npos);
  MikroTikOptions bad;
  bad.list = "x\" ; /system reset";
  EXPECT_EQ(WriteMikroTikScript(feed, candidates, bad).error().message(),
            "list: only letters, digits, '_', '-' and '.'");
  NftOptions nft;
  nft.table = "t;flush ruleset";
  EXPECT_FALSE(WriteNftables(feed, nft).ok());
  IpsetOptions ipset;
  ipset.set_v4 = std::string(32, 'a');
  EXPECT_EQ(WriteIpsetRestore(feed, ipset).error().message(), "set_v4: must be 1 to 31 characters");
}

}  // namespace
}  // namespace dv::protect
