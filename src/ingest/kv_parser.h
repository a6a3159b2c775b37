// SPDX-License-Identifier: Apache-2.0
#pragma once

// KeyValueParser: firewall logs written as key=value pairs, alone or after a
// syslog header (RFC 3164 or 5424), as FortiGate, Zyxel USG/ZyWALL/ATP,
// Sophos Firewall, SonicWall and Linux netfilter send them. docs/ingest.md
// has one example line per vendor and the documentation each follows.
//
// Pairs are separated by spaces or tabs. A key is [A-Za-z0-9_.-]+ directly
// followed by '='; a value is either "double-quoted" (a backslash escapes the
// next byte: \" and \\) or runs to the next space. `key=` is an empty value.
// Words that are not pairs ("IPTABLES-DROP:", "[123.45]") are skipped.
//
// Classify decides whether a line is a firewall log at all, so that an
// ordinary syslog message that happens to contain "a=b" stays syslog:
//   - a vendor signature — every key of the vendor's signature is present
//     (FortiGate: devname, devid, logid; Zyxel: devID, cat, msg; Sophos:
//     log_id, log_type, log_component; SonicWall: id, sn, m), or
//   - a generic firewall line: at least kMinGenericKeys keys from the known
//     network keys (src, dst, srcip, dst_port, proto, action, SPT, DPT, …,
//     ASCII case-insensitive), among them a source and a destination address.
//
// Fields, in this order:
//   the syslog header's fields (facility, severity, host, app, procid, …)
//   message                              the key=value text
//   each pair as written: key → value, quotes removed and escapes resolved
//   observer.type = "firewall"
//   event.dataset = "firewall.<vendor>" (fortinet, zyxel, sophos, sonicwall,
//                   or generic), which the field mapping's log sources key on
//   observer.vendor, observer.product   for a recognised vendor
//   source.ip, source.port, destination.ip, destination.port
//                                        where the vendor writes address and
//                                        port in one value (Zyxel
//                                        src="1.2.3.4:500", SonicWall
//                                        src=1.2.3.4:500:X1)
// Renaming to the names Sigma rules and indicators use is data, in
// data/sigma/mapping.yml (the log sources with `observer.vendor`).
// `message` holds the key=value text itself (as SyslogParser would give it),
// after the header's fields.
// The event time is the syslog header's; without one, the pairs `date` and
// `time` (FortiGate, older Sophos; UTC unless FortiGate's `tz` says
// "+hhmm"), else `timestamp` (Sophos SFOS 19+, "+hhmm" zone allowed), else
// `time` ending in " UTC" (SonicWall).
//
// Errors (Error::Parse, reason only; the caller adds file and line): an
// unterminated quoted value (naming the key), more than kMaxPairs pairs, a
// bad syslog header. Memory: the Event holds the line's pairs; nothing else
// grows with the input. Not thread-safe; one parser per stream.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "ingest/syslog_parser.h"

namespace dv {

enum class FirewallVendor : std::uint8_t {
  kNone,     // not a firewall key=value line
  kGeneric,  // enough known network keys, no vendor signature
  kFortinet,
  kZyxel,
  kSophos,
  kSonicWall,
};

// "none", "generic", "Fortinet", "Zyxel", "Sophos", "SonicWall".
std::string_view FirewallVendorName(FirewallVendor vendor);

class KeyValueParser {
 public:
  static constexpr std::size_t kMaxPairs = 1024;
  static constexpr int kMinGenericKeys = 4;

  explicit KeyValueParser(Timestamp reference = Timestamp::Now()) : syslog_(reference) {}

  void set_reference_time(Timestamp reference) { syslog_.set_reference_time(reference); }

  // The vendor of a line, kGeneric, or kNone when it is not a firewall
  // key=value line (see above). Never fails; a line that cannot be split
  // into pairs is classified by the pairs before the fault.
  FirewallVendor Classify(std::string_view line) const;

  // Clears `event` and fills it from one line (see above). `event.origin` is
  // left to the caller.
  Status ParseLine(std::string_view line, Event& event);

 private:
  SyslogParser syslog_;
  std::string scratch_;  // an unescaped value, a date and time
};

}  // namespace dv
