// SPDX-License-Identifier: Apache-2.0
#pragma once

// The routing table of the members' register: who owns an address, a domain
// name or an autonomous system. Built once from every member's routable
// claims (register_store.h selects them: proven domains, registered prefixes
// and AS numbers, less the claims a coordinator overruled), then immutable
// and shared by every thread that routes rows of an outside report.
//
// Rules (docs/register.md, "Routing"):
//   - an address goes to the longest registered prefix that covers it
//     (a municipality's /24 inside its region's /16 wins); IPv4 and IPv6 live
//     in one 128-bit key space, IPv4 mapped into ::ffff:0:0/96;
//   - a name goes to the member that registered the name itself or its
//     nearest registered ancestor, never above the name's registrable domain
//     (public suffix list): "x.github.io" never reaches whoever might own
//     "github.io", and a name that is itself a public suffix goes nowhere;
//   - an AS number goes to the member that registered it;
//   - a key claimed by more than one member is a conflict: its entry names
//     every claimant (owners.size() > 1) and the caller decides (the
//     coordinator resolves conflicts in the register).
//
// Cost: Match is a walk down a path-compressed binary trie (at most one node
// per bit, in practice the nesting depth plus a few); MatchDomain is one
// public-suffix lookup and one hash lookup per label between the name and its
// registrable domain.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "detect/indicators/observable.h"
#include "register/public_suffix.h"

namespace dv::reg {

enum class ClaimKind { kPrefix, kDomain, kAsn };
std::string_view ClaimKindName(ClaimKind kind);  // "prefix", "domain", "asn"

// One member's routable claims. Domains normalised (protect::NormaliseDomain),
// prefixes with host bits clear (protect::ParseNetwork).
struct Presence {
  std::string org_code;
  std::vector<std::string> domains;
  std::vector<IpNetwork> prefixes;
  std::vector<std::uint32_t> asns;
};

// One key of the table and who claims it.
struct Entry {
  ClaimKind kind = ClaimKind::kPrefix;
  std::string key;                  // "192.0.2.0/24", "aarhus.dk", "64500"
  std::vector<std::string> owners;  // sorted, distinct; more than one: a conflict
  IpNetwork prefix;                 // for kPrefix
  bool conflict() const { return owners.size() > 1; }
};

// How a row of a report was routed: by which evidence, to which entry.
struct Route {
  const Entry* entry = nullptr;  // null: nobody (a blind spot)
  ClaimKind by = ClaimKind::kPrefix;
};

class RoutingTable {
 public:
  // `suffixes` must outlive the table (PublicSuffixList::System() does).
  // Domains that are public suffixes are left out (the register refuses them;
  // a list update can turn a registered name into a suffix).
  static RoutingTable Build(std::span<const Presence> members,
                            const PublicSuffixList& suffixes = PublicSuffixList::System());

  RoutingTable(RoutingTable&&) noexcept;
  RoutingTable& operator=(RoutingTable&&) noexcept;
  ~RoutingTable();

  // The entry of the longest registered prefix covering `address`; null when none.
  const Entry* Match(const IpAddress& address) const;
  // Every registered prefix covering `address`, longest first.
  std::vector<const Entry*> MatchChain(const IpAddress& address) const;
  // The entry of `name` or its nearest registered ancestor up to its
  // registrable domain; null when none. `name` normalised
  // (protect::NormaliseDomain); anything else matches nothing.
  const Entry* MatchDomain(std::string_view name) const;
  const Entry* MatchAs(std::uint32_t asn) const;
  // A report row: by address first (the most specific evidence), then by
  // domain, then by AS number; each part optional.
  Route RouteRow(const std::optional<IpAddress>& address, std::string_view domain,
                 std::optional<std::uint32_t> asn) const;

  // Every entry, prefixes first, then domains, then AS numbers, each in key order.
  const std::vector<Entry>& entries() const { return entries_; }
  // The entries claimed by more than one member, in the order of entries().
  std::vector<const Entry*> Conflicts() const;
  // A prefix inside a longer-held prefix of other owners: (inner, the
  // nearest covering prefix whose owners differ), in the order of entries().
  // Normal for a municipality inside its region; also how a member could
  // take over part of another's space without an exact-prefix conflict, so
  // the coordinator sees every such pair.
  std::vector<std::pair<const Entry*, const Entry*>> NestedAcrossOwners() const;

 private:
  class Trie;
  RoutingTable();
  const PublicSuffixList* suffixes_ = nullptr;
  std::vector<Entry> entries_;
  std::unique_ptr<Trie> trie_;
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> domains_;
  std::unordered_map<std::uint32_t, std::uint32_t> asns_;
};

}  // namespace dv::reg
