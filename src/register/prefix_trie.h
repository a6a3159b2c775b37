// SPDX-License-Identifier: Apache-2.0
#pragma once

// A path-compressed binary (PATRICIA) trie over 128-bit keys for
// longest-prefix match of IPv4 and IPv6 together: an IPv4 prefix a.b.c.d/n
// is stored as ::ffff:a.b.c.d/(96+n), an IPv4 address is looked up as
// ::ffff:a.b.c.d. Each stored prefix carries a 32-bit value.
//
// Nodes live in one vector (indices, not pointers); a node is either a
// stored prefix or a branch point where two stored prefixes part. Insert
// and lookup are O(depth) ≤ 129 node visits. Not thread-safe to insert;
// lookups on a finished trie are const and safe from any thread.

#include <cstdint>
#include <optional>
#include <vector>

#include "detect/indicators/observable.h"

namespace dv::reg {

__extension__ typedef unsigned __int128 Key128;

// The 128-bit key and prefix length of an address or network.
Key128 KeyOf(const IpAddress& address);
int KeyLength(const IpNetwork& network);  // network.prefix, plus 96 for IPv4

class PrefixTrie {
 public:
  // Stores `value` for `network`; a prefix stored again keeps its first
  // value and returns false.
  bool Insert(const IpNetwork& network, std::uint32_t value);
  // The value of the longest stored prefix covering `address`.
  std::optional<std::uint32_t> Longest(const IpAddress& address) const;
  // The values of every stored prefix covering `address`, longest first.
  std::vector<std::uint32_t> Covering(const IpAddress& address) const;
  std::size_t node_count() const { return nodes_.size(); }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  struct Node {
    Key128 key = 0;  // bits after `length` are zero
    std::uint32_t child[2] = {kNone, kNone};
    std::uint32_t value = kNone;  // kNone: a branch point only
    std::uint8_t length = 0;      // 0..128
  };
  std::uint32_t NewNode(Key128 key, int length, std::uint32_t value);
  std::vector<Node> nodes_;
  std::uint32_t root_ = kNone;
};

}  // namespace dv::reg
