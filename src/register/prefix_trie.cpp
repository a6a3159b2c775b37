// SPDX-License-Identifier: Apache-2.0
#include "register/prefix_trie.h"

#include <algorithm>
#include <bit>

namespace dv::reg {
namespace {

Key128 Mask(int length) { return length == 0 ? Key128{0} : ~Key128{0} << (128 - length); }

unsigned Bit(Key128 key, int position) { return static_cast<unsigned>((key >> (127 - position)) & 1u); }

// The number of leading bits `a` and `b` share.
int CommonLength(Key128 a, Key128 b) {
  const Key128 diff = a ^ b;
  const auto high = static_cast<std::uint64_t>(diff >> 64);
  if (high != 0) return std::countl_zero(high);
  const auto low = static_cast<std::uint64_t>(diff);
  return low == 0 ? 128 : 64 + std::countl_zero(low);
}

}  // namespace

Key128 KeyOf(const IpAddress& address) {
  Key128 key = 0;
  if (address.v6) {
    for (std::size_t idx = 0; idx < 16; ++idx) key = (key << 8) | address.bytes[idx];
    return key;
  }
  key = 0xFFFF;
  for (std::size_t idx = 0; idx < 4; ++idx) key = (key << 8) | address.bytes[idx];
  return key;
}

int KeyLength(const IpNetwork& network) { return network.address.v6 ? network.prefix : network.prefix + 96; }

std::uint32_t PrefixTrie::NewNode(Key128 key, int length, std::uint32_t value) {
  Node node;
  node.key = key & Mask(length);
  node.length = static_cast<std::uint8_t>(length);
  node.value = value;
  nodes_.push_back(node);
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

bool PrefixTrie::Insert(const IpNetwork& network, std::uint32_t value) {
  const int length = KeyLength(network);
  const Key128 key = KeyOf(network.address) & Mask(length);
  if (root_ == kNone) {
    root_ = NewNode(key, length, value);
    return true;
  }
  // `link` is where the current node hangs: the root or a parent's child
  // slot, addressed by index because NewNode may move the vector.
  std::uint32_t parent = kNone;
  unsigned side = 0;
  std::uint32_t current = root_;
  const auto relink = [&](std::uint32_t node) {
    if (parent == kNone) {
      root_ = node;
    } else {
      nodes_[parent].child[side] = node;
    }
  };
  while (true) {
    const Node node = nodes_[current];
    const int common = std::min({CommonLength(key, node.key), length, static_cast<int>(node.length)});
    if (common == node.length) {
      if (length == node.length) {
        if (node.value != kNone) return false;
        nodes_[current].value = value;
        return true;
      }
      const unsigned bit = Bit(key, node.length);
      if (node.child[bit] == kNone) {
        const std::uint32_t leaf = NewNode(key, length, value);
        nodes_[current].child[bit] = leaf;
        return true;
      }
      parent = current;
      side = bit;
      current = node.child[bit];
      continue;
    }
    if (common == length) {  // the new prefix covers the current node
      const std::uint32_t above = NewNode(key, length, value);
      nodes_[above].child[Bit(node.key, length)] = current;
      relink(above);
      return true;
    }
    // The two part after `common` bits: a branch point holds both.
    const std::uint32_t branch = NewNode(key, common, kNone);
    const std::uint32_t leaf = NewNode(key, length, value);
    nodes_[branch].child[Bit(key, common)] = leaf;
    nodes_[branch].child[Bit(node.key, common)] = current;
    relink(branch);
    return true;
  }
}

std::optional<std::uint32_t> PrefixTrie::Longest(const IpAddress& address) const {
  const Key128 key = KeyOf(address);
  std::uint32_t best = kNone;
  std::uint32_t current = root_;
  while (current != kNone) {
    const Node& node = nodes_[current];
    if (((key ^ node.key) & Mask(node.length)) != 0) break;
    if (node.value != kNone) best = node.value;
    if (node.length == 128) break;
    current = node.child[Bit(key, node.length)];
  }
  if (best == kNone) return std::nullopt;
  return best;
}

std::vector<std::uint32_t> PrefixTrie::Covering(const IpAddress& address) const {
  const Key128 key = KeyOf(address);
  std::vector<std::uint32_t> out;
  std::uint32_t current = root_;
  while (current != kNone) {
    const Node& node = nodes_[current];
    if (((key ^ node.key) & Mask(node.length)) != 0) break;
    if (node.value != kNone) out.push_back(node.value);
    if (node.length == 128) break;
    current = node.child[Bit(key, node.length)];
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace dv::reg
