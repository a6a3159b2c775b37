// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a member registers about its internet presence, validated: domains,
// IPv4/IPv6 prefixes, AS numbers and public service URLs. From JSON (the
// REST body) or CSV (an export from a spreadsheet or an IPAM tool); every
// refusal names the field and index (JSON: "domains[3]: …") or the line
// (CSV: "line 7: …"). Pure; thread-safe.
//
// Rules (docs/register.md, "What a member registers"):
//   - a domain is a registrable domain or a name below one, never a public
//     suffix ("dk", "kommune.no", "github.io"), normalised as
//     protect::NormaliseDomain (IDN to A-labels);
//   - a prefix is public address space (not private, loopback, link-local,
//     multicast, unique-local or reserved), at most /8 wide for IPv4 and
//     /16 for IPv6, host bits clear; the documentation ranges (RFC 5737,
//     RFC 3849) are accepted for demos and tests;
//   - an AS number is 1..4294967294, not AS_TRANS (23456) nor private
//     (64512–65534, 4200000000–4294967294); the documentation ASNs
//     (RFC 5398) are accepted;
//   - a URL is http or https (protect::NormaliseUrl);
//   - at most kMaxEntries values per list, counted before any is parsed;
//     duplicates are dropped; each list is kept sorted.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "detect/indicators/observable.h"
#include "register/public_suffix.h"

namespace dv::reg {

inline constexpr std::size_t kMaxEntries = 10'000;
// A CSV import larger than this is refused before it is read.
inline constexpr std::size_t kMaxCsvBytes = 4 * 1024 * 1024;

struct Registration {
  std::vector<std::string> domains;  // normalised, sorted
  std::vector<IpNetwork> prefixes;   // sorted by family, address, length
  std::vector<std::uint32_t> asns;   // sorted
  std::vector<std::string> urls;     // normalised, sorted
  bool empty() const { return domains.empty() && prefixes.empty() && asns.empty() && urls.empty(); }
};

// Each value alone; the error says what is wrong (the caller adds the place).
Result<std::string> ValidateDomain(std::string_view text, const PublicSuffixList& suffixes);
Result<IpNetwork> ValidatePrefix(std::string_view text);
// "64500" or "AS64500" (any case).
Result<std::uint32_t> ParseAsn(std::string_view text);
Status ValidateAsn(std::uint64_t asn);

// {"domains": [...], "prefixes": [...], "asns": [...], "urls": [...]}; each
// list optional (absent: empty). AS numbers as integers or "AS…" strings.
Result<Registration> RegistrationFromJson(const nlohmann::json& body,
                                          const PublicSuffixList& suffixes = PublicSuffixList::System());
// CSV with a header "type,value" (in either order, other columns ignored);
// type is domain, prefix, asn or url. Blank lines are skipped.
Result<Registration> RegistrationFromCsv(std::string_view text,
                                         const PublicSuffixList& suffixes = PublicSuffixList::System());
// The same lists as RegistrationFromJson reads (prefixes as text).
nlohmann::json RegistrationJson(const Registration& registration);

}  // namespace dv::reg
