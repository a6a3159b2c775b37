// SPDX-License-Identifier: Apache-2.0
#pragma once

// A feed as a DNS Response Policy Zone master file (RFC 1035 §5 syntax; the
// RPZ draft, draft-vixie-dnsop-dns-rpz), and the mapping from the zone's
// owner names back to the indicators behind them. docs/protect.md ("RPZ")
// describes the format and how Unbound and BIND load it.
//
// The zone has no $ORIGIN: every owner name is relative, so the file works
// under whatever zone name the member's resolver gives it (Unbound refuses
// records outside the zone). "@" is the apex; SOA and NS carry absolute
// names. Then, per entry of the chosen part of the feed:
//   domain d:        "d CNAME <action>" and "*.d CNAME <action>"
//   network a/n:     "n.<reversed address>.rpz-ip CNAME <action>"
// with <action> "." (NXDOMAIN), "*." (NODATA), "rpz-drop." (DROP) or the
// walled garden's absolute host name. URL entries have no RPZ form and are
// not written. The monitor part is written with "rpz-passthru." for every
// entry: the resolver logs the hit and answers as usual.
//
// Every value in a Feed has been validated (protect/value.h); the writer
// checks again and skips (and counts) anything that would not be a
// well-formed relative owner name, so no input can add a line, a directive
// or a name outside the zone. Pure; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "protect/feed.h"

namespace dv::protect {

enum class RpzPart : std::uint8_t { kEnforce, kMonitor };

struct RpzOptions {
  // The SOA serial: the store's change sequence, which only grows (RFC 1982
  // arithmetic; the caller keeps it monotonic across restarts).
  std::uint32_t serial = 1;
  std::uint32_t ttl = 60;                         // $TTL: how long a resolver may cache a rewritten answer
  std::string primary_ns = "localhost";           // SOA MNAME and the one NS record
  std::string hostmaster = "hostmaster.invalid";  // SOA RNAME, as a domain name
  std::uint32_t refresh = 60;
  std::uint32_t retry = 30;
  std::uint32_t expire = 86400;
  std::uint32_t minimum = 60;
  Action action = Action::kNxdomain;
  std::string walled_garden;  // Action::kWalledGarden: the block page's host name
};

struct RpzZone {
  std::string text;
  std::size_t triggers = 0;  // policy records written
  std::size_t skipped = 0;   // entries that failed the writer's own check (expected 0)
};

// Writes one part of `feed`. Errors only for bad options (naming the field).
Result<RpzZone> WriteRpz(const Feed& feed, const RpzOptions& options, RpzPart part);

// The owner name of a response-IP trigger, relative: "24.0.2.0.192.rpz-ip",
// "32.zz.db8.2001.rpz-ip" (IPv6: 16-bit groups in hexadecimal without
// leading zeros, reversed, with the longest run of two or more zero groups —
// the first of equal runs, as RFC 5952 picks for "::" — written "zz").
std::string RpzIpOwner(const IpNetwork& network);

// {"owners": {"<owner>": {"zone": "enforce"|"monitor",
//   "indicators": […], "objects": […], "producers": […], "approvals": […],
//   "carved_from": "…"}}, "serial": N} for every owner name of both parts,
// keys sorted, one owner a line.
// Served beside the zone for the serial; never put into it.
std::string WriteRpzMapping(const Feed& feed, const std::vector<Candidate>& candidates, std::uint32_t serial);

}  // namespace dv::protect
