// SPDX-License-Identifier: Apache-2.0
#include "register/routing_table.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "protect/value.h"
#include "register/prefix_trie.h"

namespace dv::reg {

std::string_view ClaimKindName(ClaimKind kind) {
  switch (kind) {
    case ClaimKind::kPrefix:
      return "prefix";
    case ClaimKind::kDomain:
      return "domain";
    case ClaimKind::kAsn:
      return "asn";
  }
  return "prefix";
}

class RoutingTable::Trie : public PrefixTrie {};

RoutingTable::RoutingTable() : trie_(std::make_unique<Trie>()) {}
RoutingTable::RoutingTable(RoutingTable&&) noexcept = default;
RoutingTable& RoutingTable::operator=(RoutingTable&&) noexcept = default;
RoutingTable::~RoutingTable() = default;

namespace {

// Prefixes in address order: family, then address bytes, then length.
struct NetworkLess {
  bool operator()(const IpNetwork& a, const IpNetwork& b) const {
    return std::tie(a.address.v6, a.address.bytes, a.prefix) < std::tie(b.address.v6, b.address.bytes, b.prefix);
  }
};

}  // namespace

RoutingTable RoutingTable::Build(std::span<const Presence> members, const PublicSuffixList& suffixes) {
  RoutingTable table;
  table.suffixes_ = &suffixes;
  std::map<IpNetwork, std::vector<std::string>, NetworkLess> prefixes;
  std::map<std::string, std::vector<std::string>> domains;
  std::map<std::uint32_t, std::vector<std::string>> asns;
  for (const Presence& member : members) {
    for (const auto& network : member.prefixes) prefixes[network].push_back(member.org_code);
    for (const auto& domain : member.domains) {
      if (!suffixes.IsPublicSuffix(domain)) domains[domain].push_back(member.org_code);
    }
    for (const auto asn : member.asns) asns[asn].push_back(member.org_code);
  }
  const auto owners = [](std::vector<std::string> codes) {
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    return codes;
  };
  table.entries_.reserve(prefixes.size() + domains.size() + asns.size());
  for (auto& [network, codes] : prefixes) {
    table.trie_->Insert(network, static_cast<std::uint32_t>(table.entries_.size()));
    table.entries_.push_back({ClaimKind::kPrefix, protect::FormatNetworkWithLength(network), owners(codes), network});
  }
  for (auto& [domain, codes] : domains) {
    table.domains_.emplace(domain, static_cast<std::uint32_t>(table.entries_.size()));
    table.entries_.push_back({ClaimKind::kDomain, domain, owners(codes), {}});
  }
  for (auto& [asn, codes] : asns) {
    table.asns_.emplace(asn, static_cast<std::uint32_t>(table.entries_.size()));
    table.entries_.push_back({ClaimKind::kAsn, std::to_string(asn), owners(codes), {}});
  }
  return table;
}

const Entry* RoutingTable::Match(const IpAddress& address) const {
  const auto found = trie_->Longest(address);
  return found ? &entries_[*found] : nullptr;
}

std::vector<const Entry*> RoutingTable::MatchChain(const IpAddress& address) const {
  std::vector<const Entry*> out;
  for (const auto idx : trie_->Covering(address)) out.push_back(&entries_[idx]);
  return out;
}

const Entry* RoutingTable::MatchDomain(std::string_view name) const {
  if (domains_.empty() || name.empty()) return nullptr;
  const std::string_view registrable = suffixes_->RegistrableDomain(name);
  if (registrable.empty()) return nullptr;  // a public suffix, or not a name
  std::string_view candidate = name;
  while (true) {
    if (const auto found = domains_.find(candidate); found != domains_.end()) return &entries_[found->second];
    if (candidate.size() <= registrable.size()) return nullptr;
    const std::size_t dot = candidate.find('.');
    if (dot == std::string_view::npos) return nullptr;
    candidate.remove_prefix(dot + 1);
  }
}

const Entry* RoutingTable::MatchAs(std::uint32_t asn) const {
  const auto found = asns_.find(asn);
  return found == asns_.end() ? nullptr : &entries_[found->second];
}

Route RoutingTable::RouteRow(const std::optional<IpAddress>& address, std::string_view domain,
                             std::optional<std::uint32_t> asn) const {
  if (address) {
    if (const Entry* entry = Match(*address)) return {entry, ClaimKind::kPrefix};
  }
  if (!domain.empty()) {
    if (const Entry* entry = MatchDomain(domain)) return {entry, ClaimKind::kDomain};
  }
  if (asn) {
    if (const Entry* entry = MatchAs(*asn)) return {entry, ClaimKind::kAsn};
  }
  return {};
}

std::vector<std::pair<const Entry*, const Entry*>> RoutingTable::NestedAcrossOwners() const {
  std::vector<std::pair<const Entry*, const Entry*>> out;
  for (const auto& entry : entries_) {
    if (entry.kind != ClaimKind::kPrefix) continue;
    // Covering the prefix's first address: itself, longer prefixes inside
    // it, and the shorter ones around it, longest first.
    for (const auto idx : trie_->Covering(entry.prefix.address)) {
      const Entry& outer = entries_[idx];
      if (outer.prefix.prefix >= entry.prefix.prefix) continue;
      if (outer.owners != entry.owners) out.emplace_back(&entry, &outer);
      break;
    }
  }
  return out;
}

std::vector<const Entry*> RoutingTable::Conflicts() const {
  std::vector<const Entry*> out;
  for (const auto& entry : entries_) {
    if (entry.conflict()) out.push_back(&entry);
  }
  return out;
}

}  // namespace dv::reg
