// SPDX-License-Identifier: Apache-2.0
#pragma once

// A feed as firewall lists. Only the enforced entries go out: a firewall has
// no "log, do not block" counterpart to RPZ's passthru, so monitor-only
// entries stay in the monitor zone. docs/protect.md ("Firewall lists") says
// how each product loads its file.
//
//   Palo Alto EDL     one entry a line: an address or prefix (IP list), a
//                     domain (domain list), a URL without its scheme (URL list)
//   FortiGate feed    one entry a line: address or prefix; domain and
//                     "*.domain"; URL
//   MikroTik script   RouterOS commands that replace one address list
//                     (/ip and /ipv6 firewall address-list), values quoted
//   nftables          an `nft -f` file: a table with one set per family,
//                     flags interval and timeout, per-element timeouts
//   ipset             `ipset restore` input: hash:net sets (create -exist,
//                     flush, add)
//
// Names given in options (list, table, set names) are checked: letters,
// digits, '_', '-', '.' only; an error names the field. Values come from a
// Feed and have been validated; no writer ever emits a line from anything
// else. Pure; thread-safe.

#include <cstdint>
#include <string>

#include "core/result.h"
#include "protect/feed.h"

namespace dv::protect {

enum class ListKind : std::uint8_t { kAddress, kDomain, kUrl };

std::string WritePaloAltoList(const Feed& feed, ListKind kind);
std::string WriteFortiGateList(const Feed& feed, ListKind kind);

struct MikroTikOptions {
  std::string list = "dannevirke";
  // Dynamic entries with this timeout ("1d"), so that a script that stops
  // arriving withdraws itself; 0 writes static entries.
  std::uint32_t timeout_seconds = 0;
};
// A RouterOS script: removes the list's entries, then adds one command per
// network (with the first indicator id as comment). Domains and URLs are
// not written (RouterOS resolves names in address lists itself, which a
// feed must not rely on).
Result<std::string> WriteMikroTikScript(const Feed& feed, const std::vector<Candidate>& candidates,
                                        const MikroTikOptions& options);

struct NftOptions {
  std::string table = "dannevirke";  // in family inet
  std::string set_v4 = "block_v4";
  std::string set_v6 = "block_v6";
  std::uint32_t element_timeout_seconds = 86400;  // 0: no timeouts
};
// Adds the table and sets (a no-op when they exist), flushes the sets and
// adds the elements, as one `nft -f` transaction. A network inside another
// network of the feed is left out (nftables refuses overlapping intervals;
// the larger one blocks it already).
Result<std::string> WriteNftables(const Feed& feed, const NftOptions& options);

struct IpsetOptions {
  std::string set_v4 = "dannevirke-v4";  // at most 31 characters
  std::string set_v6 = "dannevirke-v6";
  std::uint32_t timeout_seconds = 86400;  // 0: no timeouts
};
Result<std::string> WriteIpsetRestore(const Feed& feed, const IpsetOptions& options);

}  // namespace dv::protect
