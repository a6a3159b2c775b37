// SPDX-License-Identifier: Apache-2.0
#include "detect/indicators/warning_list.h"

#include <gtest/gtest.h>

namespace dv {

std::string_view WarningListFile(std::string_view name);

namespace {

std::string ListOf(const WarningLists& lists, ObservableKind kind, std::string_view value) {
  const auto hit = lists.Check(kind, value);
  return hit ? hit->list : "";
}

TEST(WarningList, AddressRangesIncludingTheirEdges) {
  const WarningLists lists = WarningLists::BuiltIn();
  const auto v4 = ObservableKind::kIpv4;
  EXPECT_EQ(ListOf(lists, v4, "10.0.0.0"), "rfc1918");
  EXPECT_EQ(ListOf(lists, v4, "10.255.255.255"), "rfc1918");
  EXPECT_EQ(ListOf(lists, v4, "11.0.0.0"), "");
  EXPECT_EQ(ListOf(lists, v4, "9.255.255.255"), "");
  EXPECT_EQ(ListOf(lists, v4, "172.16.0.1"), "rfc1918");
  EXPECT_EQ(ListOf(lists, v4, "172.31.255.255"), "rfc1918");
  EXPECT_EQ(ListOf(lists, v4, "172.32.0.0"), "");
  EXPECT_EQ(ListOf(lists, v4, "172.15.255.255"), "");
  EXPECT_EQ(ListOf(lists, v4, "192.168.10.1"), "rfc1918");
  EXPECT_EQ(ListOf(lists, v4, "127.0.0.1"), "loopback");
  EXPECT_EQ(ListOf(lists, v4, "169.254.169.254"), "link-local");
  EXPECT_EQ(ListOf(lists, v4, "100.64.0.0"), "cgnat");
  EXPECT_EQ(ListOf(lists, v4, "100.127.255.255"), "cgnat");
  EXPECT_EQ(ListOf(lists, v4, "100.128.0.0"), "");
  EXPECT_EQ(ListOf(lists, v4, "100.63.255.255"), "");
  EXPECT_EQ(ListOf(lists, v4, "239.255.255.250"), "multicast");
  // Documentation ranges are deliberately not listed: demos and examples use them.
  EXPECT_EQ(ListOf(lists, v4, "192.0.2.255"), "");
  EXPECT_EQ(ListOf(lists, v4, "198.51.100.7"), "");
  EXPECT_EQ(ListOf(lists, v4, "203.0.113.200"), "");
  EXPECT_EQ(ListOf(lists, v4, "8.8.8.8"), "");
  // An indicator's own range is benign only when it lies wholly inside a list's range.
  EXPECT_EQ(ListOf(lists, v4, "10.1.0.0/16"), "rfc1918");
  EXPECT_EQ(ListOf(lists, v4, "10.0.0.0/7"), "");
  EXPECT_EQ(ListOf(lists, v4, "0.0.0.0/0"), "");

  const auto v6 = ObservableKind::kIpv6;
  EXPECT_EQ(ListOf(lists, v6, "::1"), "loopback");
  EXPECT_EQ(ListOf(lists, v6, "::2"), "");
  EXPECT_EQ(ListOf(lists, v6, "fe80::1%eth0"), "link-local");
  EXPECT_EQ(ListOf(lists, v6, "febf:ffff::1"), "link-local");
  EXPECT_EQ(ListOf(lists, v6, "fec0::1"), "");
  EXPECT_EQ(ListOf(lists, v6, "fc00::1"), "unique-local");
  EXPECT_EQ(ListOf(lists, v6, "fdff:ffff::1"), "unique-local");
  EXPECT_EQ(ListOf(lists, v6, "fe00::1"), "");
  EXPECT_EQ(ListOf(lists, v6, "2001:db8:ffff::1"), "");
  EXPECT_EQ(ListOf(lists, v6, "2001:db9::1"), "");
  EXPECT_EQ(ListOf(lists, v6, "2001:4860:4860::8888"), "");
  EXPECT_EQ(ListOf(lists, v6, "::ffff:10.0.0.1"), "rfc1918");  // IPv4-mapped
  const auto hit = lists.Check(v4, "10.1.2.3");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->description, "private address space");
  EXPECT_EQ(hit->entry, "10.0.0.0/8");
}

TEST(WarningList, DomainsMatchBySuffixOnLabelBoundariesOnly) {
  const WarningLists lists = WarningLists::BuiltIn();
  const auto domain = ObservableKind::kDomain;
  EXPECT_EQ(ListOf(lists, domain, "microsoft.com"), "vendor-domains");
  EXPECT_EQ(ListOf(lists, domain, "download.windowsupdate.com"), "vendor-domains");
  EXPECT_EQ(ListOf(lists, domain, "WWW.Microsoft.COM."), "vendor-domains");
  EXPECT_EQ(ListOf(lists, domain, "notmicrosoft.com"), "");
  EXPECT_EQ(ListOf(lists, domain, "microsoft.com.evil.example"), "");
  EXPECT_EQ(ListOf(lists, domain, "microsoft-update.com"), "");
  EXPECT_EQ(ListOf(lists, domain, "com"), "");
  EXPECT_EQ(ListOf(lists, domain, "www.borger.dk"), "danish-public-domains");
  EXPECT_EQ(ListOf(lists, domain, "virk.dk"), "danish-public-domains");
  EXPECT_EQ(ListOf(lists, domain, "virk-dk.com"), "");
  EXPECT_EQ(ListOf(lists, domain, "githubusercontent.com"), "");  // anyone can publish there
  // Other kinds are never on a list.
  EXPECT_EQ(ListOf(lists, ObservableKind::kUrl, "https://microsoft.com/"), "");
}

TEST(WarningList, BundledFilesParseCompletely) {
  for (const char* file : {"vendor-domains.txt", "danish-public-domains.txt"}) {
    const auto text = WarningListFile(file);
    ASSERT_FALSE(text.empty()) << file;
    auto list = ParseWarningList(text, "x", file);
    ASSERT_TRUE(list.ok()) << list.error().ToString();
    EXPECT_GT(list->domains.size(), 20U) << file;
    EXPECT_FALSE(list->description.empty()) << file;
  }
}

TEST(WarningList, OwnInfrastructureFromValuesAndFiles) {
  WarningLists lists;
  auto own = WarningListFromValues({"192.0.2.0/28", "kommune.example"}, "own-infrastructure",
                                   "the member's own infrastructure");
  ASSERT_TRUE(own.ok());
  lists.Add(std::move(*own));
  EXPECT_EQ(ListOf(lists, ObservableKind::kIpv4, "192.0.2.15"), "own-infrastructure");
  EXPECT_EQ(ListOf(lists, ObservableKind::kIpv4, "192.0.2.16"), "");
  EXPECT_EQ(ListOf(lists, ObservableKind::kDomain, "mail.kommune.example"), "own-infrastructure");
  EXPECT_FALSE(WarningListFromValues({"not a value"}, "own", "").ok());

  auto parsed = ParseWarningList(
      "# name: our-net\n# description: the town hall\n10.20.0.0/16  # office\n\nhq.example\n", "file", "own.txt");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->name, "our-net");
  EXPECT_EQ(parsed->description, "the town hall");
  EXPECT_EQ(parsed->networks.size(), 1U);
  EXPECT_EQ(parsed->domains, std::vector<std::string>{"hq.example"});
  auto bad = ParseWarningList("10.0.0.0/8\nx y\n", "file", "own.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "own.txt:2: 'x y' is neither a CIDR range nor a domain");
}

TEST(WarningList, FilterPatternDropsBenignComparisonsAndSaysWhy) {
  const WarningLists lists = WarningLists::BuiltIn();
  // One benign value of two in an OR.
  auto result = FilterPattern("[ipv4-addr:value = '10.1.2.3' OR ipv4-addr:value = '185.220.101.4']", lists);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_FALSE(result->all_benign);
  EXPECT_TRUE(result->changed);
  EXPECT_EQ(result->pattern, "[ipv4-addr:value = '185.220.101.4']");
  ASSERT_EQ(result->dropped.size(), 1U);
  EXPECT_EQ(result->dropped[0].value, "10.1.2.3");
  EXPECT_EQ(result->dropped[0].hit.list, "rfc1918");

  // IN sets lose their benign values.
  result = FilterPattern("[domain-name:value IN ('update.microsoft.com', 'evil.example', 'borger.dk')]", lists);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->pattern, "[domain-name:value IN ('evil.example')]");
  EXPECT_EQ(result->dropped.size(), 2U);

  // Everything benign: the indicator has nothing left.
  result = FilterPattern("[ipv4-addr:value = '192.168.1.1'] OR [ipv6-addr:value ISSUBSET 'fe80::/64']", lists);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->all_benign);
  EXPECT_EQ(result->dropped.size(), 2U);

  // An AND with something specific beside the benign value is kept whole.
  result = FilterPattern("[ipv4-addr:value = '10.0.0.5' AND file:name = 'payload.exe']", lists);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->all_benign);
  EXPECT_FALSE(result->changed);
  EXPECT_TRUE(result->dropped.empty());

  // Negated comparisons, other observables and non-benign values stay.
  result = FilterPattern("[ipv4-addr:value != '10.0.0.5'] OR [url:value = 'http://10.0.0.5/x']", lists);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->changed);
  result = FilterPattern("[domain-name:value = 'notmicrosoft.com']", lists);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->changed);
  EXPECT_FALSE(FilterPattern("[broken", lists).ok());
}

}  // namespace
}  // namespace dv
