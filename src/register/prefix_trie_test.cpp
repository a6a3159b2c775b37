// SPDX-License-Identifier: Apache-2.0
// The prefix trie against a linear scan on random prefixes and addresses of
// both families (fixed seed), and its corner cases: /0, full-length
// prefixes, a prefix inserted above existing ones, duplicates.
#include "register/prefix_trie.h"

#include <gtest/gtest.h>

#include <random>

#include "protect/value.h"

namespace dv::reg {
namespace {

IpNetwork Net(std::string_view text) { return protect::ParseNetwork(text).value(); }
IpAddress Addr(std::string_view text) { return Net(text).address; }

TEST(PrefixTrie, LongestMatchAndChain) {
  PrefixTrie trie;
  EXPECT_FALSE(trie.Longest(Addr("203.0.113.1")));
  ASSERT_TRUE(trie.Insert(Net("203.0.113.0/24"), 2));
  ASSERT_TRUE(trie.Insert(Net("203.0.113.64/28"), 3));
  ASSERT_TRUE(trie.Insert(Net("203.0.0.0/16"), 1));  // above both
  EXPECT_FALSE(trie.Insert(Net("203.0.0.0/16"), 9));
  ASSERT_TRUE(trie.Insert(Net("203.0.113.77/32"), 4));
  ASSERT_TRUE(trie.Insert(Net("2001:db8::/32"), 5));
  EXPECT_EQ(trie.Longest(Addr("203.0.113.77")), 4u);
  EXPECT_EQ(trie.Longest(Addr("203.0.113.78")), 3u);
  EXPECT_EQ(trie.Longest(Addr("203.0.113.80")), 2u);
  EXPECT_EQ(trie.Longest(Addr("203.0.9.9")), 1u);
  EXPECT_FALSE(trie.Longest(Addr("203.1.0.0")));
  EXPECT_EQ(trie.Longest(Addr("2001:db8:1::1")), 5u);
  EXPECT_FALSE(trie.Longest(Addr("2001:db9::1")));
  EXPECT_EQ(trie.Covering(Addr("203.0.113.77")), (std::vector<std::uint32_t>{4, 3, 2, 1}));
  // An IPv4 /0 covers IPv4 only (it is ::ffff:0:0/96), never IPv6.
  ASSERT_TRUE(trie.Insert(Net("0.0.0.0/0"), 6));
  EXPECT_EQ(trie.Longest(Addr("8.8.8.8")), 6u);
  EXPECT_FALSE(trie.Longest(Addr("2001:db9::1")));
  ASSERT_TRUE(trie.Insert(Net("::/0"), 7));
  EXPECT_EQ(trie.Longest(Addr("2001:db9::1")), 7u);
  EXPECT_EQ(trie.Longest(Addr("8.8.8.8")), 6u);
}

TEST(PrefixTrie, AgreesWithALinearScan) {
  std::mt19937_64 random(15);
  std::vector<IpNetwork> networks;
  PrefixTrie trie;
  for (std::uint32_t idx = 0; idx < 3000; ++idx) {
    IpNetwork network;
    network.address.v6 = random() % 3 == 0;
    // Few distinct high bits, so prefixes nest and share branches.
    for (std::size_t byte = 0; byte < network.address.size(); ++byte) {
      network.address.bytes[byte] = static_cast<std::uint8_t>(byte < 2 ? random() % 2 : random());
    }
    // IPv6 in 2000::/3, at least /3 long, as the register requires: a wider
    // one would cover ::ffff:0:0/96, where the trie keeps IPv4.
    if (network.address.v6) network.address.bytes[0] = 0x20;
    const int bits = static_cast<int>(network.address.size() * 8);
    const int shortest = network.address.v6 ? 3 : 0;
    network.prefix = shortest + static_cast<int>(random() % static_cast<unsigned>(bits + 1 - shortest));
    network.address = MaskIp(network.address, network.prefix);
    if (trie.Insert(network, static_cast<std::uint32_t>(networks.size()))) networks.push_back(network);
  }
  for (int query = 0; query < 20000; ++query) {
    IpAddress address;
    address.v6 = random() % 3 == 0;
    for (std::size_t byte = 0; byte < address.size(); ++byte) {
      address.bytes[byte] = static_cast<std::uint8_t>(byte < 2 ? random() % 2 : random());
    }
    if (address.v6) address.bytes[0] = 0x20;
    if (query % 2 == 0) address = networks[random() % networks.size()].address;
    std::optional<std::uint32_t> expected;
    int best = -1;
    for (std::uint32_t idx = 0; idx < networks.size(); ++idx) {
      if (NetworkContains(networks[idx], address) && networks[idx].prefix > best) {
        best = networks[idx].prefix;
        expected = idx;
      }
    }
    ASSERT_EQ(trie.Longest(address), expected) << protect::FormatNetwork({address, address.v6 ? 128 : 32});
  }
}

}  // namespace
}  // namespace dv::reg
