// SPDX-License-Identifier: Apache-2.0
#pragma once

// Warning lists: values known to be benign that must never make an alert —
// private and special-purpose address ranges, the domains of major vendors,
// update services, CDNs and Danish public services, and a member's own
// infrastructure. An indicator comparison on such a value is dropped before
// matching, and whoever drops it can say why ("value 10.1.2.3 is on warning
// list rfc1918 (private address space)"). docs/sensor.md ("Warning lists")
// describes the lists; data/warninglists/*.txt holds the bundled domain lists.
//
// Matching:
// - Addresses: a value is on a list when a listed CIDR range contains it; an
//   indicator's own range (10.1.0.0/16) only when it lies wholly inside one.
// - Domains: suffix match on label boundaries: "microsoft.com" covers
//   "microsoft.com" and "update.microsoft.com", never "notmicrosoft.com".
//   Case and one trailing dot are ignored.
//
// List files (one value per line): a CIDR range, an address, or a domain;
// '#' starts a comment; "# name: …" and "# description: …" in the comments
// name the list. Pure; a built WarningLists is immutable and thread-safe.
// Depends only on core, stix and the observable helpers of this folder.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "detect/indicators/observable.h"

namespace dv {

struct WarningList {
  std::string name;         // "rfc1918", "vendor-domains", "own-infrastructure"
  std::string description;  // "private address space"
  std::vector<IpNetwork> networks;
  std::vector<std::string> domains;  // normalised: lower case, no trailing dot
};

// Which list a value is on, and the entry that covers it.
struct WarningHit {
  std::string list;
  std::string description;
  std::string entry;  // "10.0.0.0/8", "microsoft.com"
};

// Parses a list file. `default_name` names it unless a "# name:" comment
// does. Errors name `where` and the line ("own.txt:3: 'x y' is neither a
// CIDR range nor a domain").
Result<WarningList> ParseWarningList(std::string_view text, std::string_view default_name, std::string_view where);

// A list from values given on a command line ("10.0.0.0/8", "kommune.dk");
// errors name the value.
Result<WarningList> WarningListFromValues(const std::vector<std::string>& values, std::string name,
                                          std::string description);

class WarningLists {
 public:
  // The address ranges of RFC 1918, loopback, link-local, CGNAT (RFC 6598),
  // multicast, the documentation ranges (RFC 5737, RFC 3849), IPv6 unique
  // local addresses, and the bundled domain lists.
  static WarningLists BuiltIn();

  void Add(WarningList list);

  // The first list (in the order added) that holds the address / range.
  std::optional<WarningHit> CheckIp(const IpNetwork& network) const;
  // The first list that holds the domain or one of its parent domains.
  std::optional<WarningHit> CheckDomain(std::string_view domain) const;
  // For ipv4/ipv6 (addresses and CIDR ranges) and domain values; other kinds
  // are never on a list.
  std::optional<WarningHit> Check(ObservableKind kind, std::string_view value) const;

  const std::vector<WarningList>& lists() const { return lists_; }

 private:
  std::vector<WarningList> lists_;
  std::unordered_map<std::string, std::size_t> domain_owner_;  // domain → list index (first wins)
};

// One comparison value a filter dropped, and why.
struct BenignValue {
  std::string value;
  WarningHit hit;
};

struct PatternFilterResult {
  bool all_benign = false;  // nothing is left to match: the indicator should leave the active set
  bool changed = false;     // `pattern` differs from the input
  std::string pattern;      // the pattern without the benign comparisons (empty when all_benign)
  std::vector<BenignValue> dropped;
};

// Drops from a STIX pattern every positive comparison (=, IN, ISSUBSET) of an
// address or domain (ipv4-addr:value, ipv6-addr:value, domain-name:value)
// whose value is on a warning list: a benign value leaves an IN set; a
// comparison or observation whose values are all benign leaves an OR; an AND
// (or FOLLOWEDBY) goes only when every one of its parts is benign — a part
// with something specific beside the benign value is kept whole, as it does
// not match on the benign value alone. Negated comparisons are never dropped.
// Errors only when the pattern does not parse.
Result<PatternFilterResult> FilterPattern(std::string_view pattern, const WarningLists& lists);

}  // namespace dv
