// SPDX-License-Identifier: Apache-2.0
// dv_register_bench: routes a generated outside report through the members'
// routing table (register/routing_table.h) and through a naive linear scan
// of the same register, in one run, on one core; prints rows per second
// (processor time) for both and how many rows each misrouted against the
// answer the generator knows by construction (must be 0).
//
// The register: 5 regions, each with an IPv4 /16 and an IPv6 /32; N members
// (default 100, at most 400), each with three IPv4 /24s inside its region's /16, an IPv6
// /48 inside its region's /32, two domains (one below a public suffix of the
// private section: <name>.github.io) and an AS number; a supplier's /28
// inside every member's first /24. The report (default 100,000 rows): IPv4
// and IPv6 addresses inside members' and regions' space, names below
// members' domains, AS numbers, and rows that match nobody (unregistered
// space, other github.io sites, unknown AS numbers).
//
//   dv_register_bench [--members N] [--rows N] [--seed N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "protect/value.h"
#include "register/public_suffix.h"
#include "register/routing_table.h"

namespace {

using dv::IpAddress;
using dv::IpNetwork;
using dv::reg::Entry;
using dv::reg::Presence;
using dv::reg::RoutingTable;

double CpuSeconds(std::clock_t since) { return static_cast<double>(std::clock() - since) / CLOCKS_PER_SEC; }

IpNetwork Net(const std::string& text) { return dv::protect::ParseNetwork(text).value(); }

struct Row {
  std::optional<IpAddress> address;
  std::string domain;
  std::optional<std::uint32_t> asn;
  std::string expected;  // the owner's code; empty: nobody
};

// The naive router: every prefix, then every domain, then every AS number,
// keeping the longest match; the same precedence as RoutingTable::RouteRow.
class LinearScan {
 public:
  explicit LinearScan(const std::vector<Presence>& members) {
    for (const auto& member : members) {
      for (const auto& prefix : member.prefixes) prefixes_.push_back({prefix, member.org_code});
      for (const auto& domain : member.domains) domains_.push_back({domain, member.org_code});
      for (const auto asn : member.asns) asns_.push_back({asn, member.org_code});
    }
  }
  std::string Route(const Row& row) const {
    if (row.address) {
      const std::string* best = nullptr;
      int length = -1;
      for (const auto& [prefix, owner] : prefixes_) {
        if (prefix.prefix > length && dv::NetworkContains(prefix, *row.address)) {
          length = prefix.prefix;
          best = &owner;
        }
      }
      if (best != nullptr) return *best;
    }
    if (!row.domain.empty()) {
      // Registered names are never public suffixes, so the longest ancestor
      // is the answer as long as it lies at or below the registrable domain.
      const std::string_view registrable = dv::reg::PublicSuffixList::System().RegistrableDomain(row.domain);
      const std::string* best = nullptr;
      std::size_t length = 0;
      for (const auto& [domain, owner] : domains_) {
        if (domain.size() > length && domain.size() >= registrable.size() && !registrable.empty() &&
            dv::protect::DomainWithin(row.domain, domain)) {
          length = domain.size();
          best = &owner;
        }
      }
      if (best != nullptr) return *best;
    }
    if (row.asn) {
      for (const auto& [asn, owner] : asns_) {
        if (asn == *row.asn) return owner;
      }
    }
    return "";
  }

 private:
  std::vector<std::pair<IpNetwork, std::string>> prefixes_;
  std::vector<std::pair<std::string, std::string>> domains_;
  std::vector<std::pair<std::uint32_t, std::string>> asns_;
};

std::string Code(int member) {
  char text[16];
  std::snprintf(text, sizeof(text), "m%03d", member);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  int member_count = 100;
  int row_count = 100'000;
  unsigned long seed = 15;
  for (int idx = 1; idx + 1 < argc; idx += 2) {
    if (std::strcmp(argv[idx], "--members") == 0) member_count = std::atoi(argv[idx + 1]);
    if (std::strcmp(argv[idx], "--rows") == 0) row_count = std::atoi(argv[idx + 1]);
    if (std::strcmp(argv[idx], "--seed") == 0) seed = std::strtoul(argv[idx + 1], nullptr, 10);
  }
  if (member_count < 2 || member_count > 400 || row_count < 1) {
    std::fprintf(stderr, "usage: dv_register_bench [--members 2..400] [--rows N] [--seed N]\n");
    return 2;
  }
  constexpr int kRegions = 5;
  std::vector<Presence> members;
  for (int region = 0; region < kRegions; ++region) {
    Presence presence;
    presence.org_code = "r" + std::to_string(region);
    presence.prefixes.push_back(Net(std::to_string(60 + region) + ".0.0.0/16"));
    presence.prefixes.push_back(Net("2a00:" + std::to_string(region + 1) + "::/32"));
    presence.domains.push_back("region" + std::to_string(region) + ".dk");
    members.push_back(std::move(presence));
  }
  // Member m lives in region m % 5, its /24s at third octets 3 * (m / 5) + 0..2
  // of the region's /16 (at most 80 members a region); 240..255 are the
  // region's own.
  const auto v4 = [](int member, int block, int host) {
    return std::to_string(60 + member % kRegions) + ".0." + std::to_string(3 * (member / kRegions) + block) + "." +
           std::to_string(host);
  };
  const auto v6 = [](int member, const std::string& rest) {
    return "2a00:" + std::to_string(member % kRegions + 1) + ":" + std::to_string(member / kRegions + 1) + rest;
  };
  for (int member = 0; member < member_count; ++member) {
    Presence presence;
    presence.org_code = Code(member);
    for (int block = 0; block < 3; ++block) presence.prefixes.push_back(Net(v4(member, block, 0) + "/24"));
    presence.prefixes.push_back(Net(v6(member, "::/48")));
    presence.domains.push_back("kommune" + std::to_string(member) + ".dk");
    presence.domains.push_back("kommune" + std::to_string(member) + ".github.io");
    presence.asns.push_back(200'000u + static_cast<std::uint32_t>(member));
    members.push_back(std::move(presence));
  }
  Presence supplier;
  supplier.org_code = "supplier";
  for (int member = 0; member < member_count; ++member) supplier.prefixes.push_back(Net(v4(member, 0, 240) + "/28"));
  members.push_back(std::move(supplier));

  std::mt19937_64 random(seed);
  const auto pick = [&](int below) { return static_cast<int>(random() % static_cast<unsigned>(below)); };
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(row_count));
  for (int idx = 0; idx < row_count; ++idx) {
    Row row;
    const int member = pick(member_count);
    const int kind = pick(100);
    if (kind < 35) {  // IPv4 in a member's /24 (or the supplier's /28 inside it)
      const int block = pick(3);
      const int host = pick(256);
      row.address = Net(v4(member, block, host)).address;
      row.expected = block == 0 && host >= 240 ? "supplier" : Code(member);
    } else if (kind < 45) {  // IPv4 in the region's /16 outside every member's /24s
      row.address = Net(std::to_string(60 + member % kRegions) + ".0." + std::to_string(240 + pick(16)) + "." +
                        std::to_string(pick(256)))
                        .address;
      row.expected = "r" + std::to_string(member % kRegions);
    } else if (kind < 55) {  // IPv6 in a member's /48
      char rest[40];
      std::snprintf(rest, sizeof(rest), ":%x::%x", pick(65536), pick(65536));
      row.address = Net(v6(member, rest)).address;
      row.expected = Code(member);
    } else if (kind < 60) {  // IPv6 in the region's /32 only
      row.address =
          Net("2a00:" + std::to_string(member % kRegions + 1) + ":ffff::" + std::to_string(pick(9000) + 1)).address;
      row.expected = "r" + std::to_string(member % kRegions);
    } else if (kind < 75) {  // a host below a member's domain
      row.domain = "host" + std::to_string(pick(1000)) + ".kommune" + std::to_string(member) + ".dk";
      row.expected = Code(member);
    } else if (kind < 82) {  // below its github.io site
      row.domain = "www.kommune" + std::to_string(member) + ".github.io";
      row.expected = Code(member);
    } else if (kind < 90) {  // by AS number only
      row.asn = 200'000u + static_cast<std::uint32_t>(member);
      row.expected = Code(member);
    } else if (kind < 94) {  // nobody's address, with a member's AS: the address wins over nothing
      row.address = Net("198.18." + std::to_string(pick(256)) + ".1").address;
      row.expected = "";
    } else if (kind < 98) {  // another site on github.io: never a member's
      row.domain = "someone" + std::to_string(pick(100000)) + ".github.io";
      row.expected = "";
    } else {  // an unknown AS number
      row.asn = 100u + static_cast<std::uint32_t>(pick(1000));
      row.expected = "";
    }
    rows.push_back(std::move(row));
  }

  std::size_t prefix_count = 0;
  for (const auto& member : members) prefix_count += member.prefixes.size();
  std::clock_t start = std::clock();
  const RoutingTable table = RoutingTable::Build(members);
  const double build = CpuSeconds(start);

  std::size_t misrouted = 0;
  std::size_t blind = 0;
  start = std::clock();
  for (const auto& row : rows) {
    const dv::reg::Route route = table.RouteRow(row.address, row.domain, row.asn);
    const std::string_view owner = route.entry == nullptr ? std::string_view() : route.entry->owners.front();
    if (owner != row.expected || (route.entry != nullptr && route.entry->conflict())) {
      if (++misrouted <= 3) {
        std::fprintf(stderr, "misrouted: %s %s -> '%s', expected '%s'\n",
                     row.address ? dv::protect::FormatNetwork({*row.address, row.address->v6 ? 128 : 32}).c_str() : "-",
                     row.domain.c_str(), std::string(owner).c_str(), row.expected.c_str());
      }
    }
    if (route.entry == nullptr) ++blind;
  }
  const double trie_seconds = CpuSeconds(start);

  const LinearScan naive(members);
  std::size_t naive_misrouted = 0;
  start = std::clock();
  for (const auto& row : rows) {
    if (naive.Route(row) != row.expected) ++naive_misrouted;
  }
  const double naive_seconds = CpuSeconds(start);

  std::printf("register: %zu members, %zu prefixes, %zu entries; public suffix list %s\n", members.size(), prefix_count,
              table.entries().size(), dv::reg::PublicSuffixList::System().source().c_str());
  std::printf("report: %d rows (seed %lu), %zu matching nobody\n", row_count, seed, blind);
  std::printf("build:        %.3f ms\n", build * 1e3);
  std::printf("routing table: %.3f s, %.0f rows/s, misrouted %zu\n", trie_seconds,
              row_count / std::max(trie_seconds, 1e-9), misrouted);
  std::printf("linear scan:   %.3f s, %.0f rows/s, misrouted %zu\n", naive_seconds,
              row_count / std::max(naive_seconds, 1e-9), naive_misrouted);
  std::printf("speed-up: %.1fx\n", naive_seconds / std::max(trie_seconds, 1e-9));
  return misrouted == 0 && naive_misrouted == 0 ? 0 : 1;
}
