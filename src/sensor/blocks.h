// SPDX-License-Identifier: Apache-2.0
#pragma once

// Blocks counted back (docs/protect.md, "Counting blocks"): a member's
// resolver or firewall logs each block of an entry of the hub's protection
// feed; the sensor reads those logs, maps each block to the indicators behind
// the entry, and reports per indicator per hour how many blocks there were —
// a counts-only STIX sighting with `x_dannevirke_block: true`. Nothing else
// leaves: not the query name, not the client's address, not the resolver's
// name. The parsers below drop those fields as they read a line; only the
// trigger (the feed's own entry) and the time are kept.
//
// Formats read (golden lines in src/sensor/testdata/blocks/):
// - kUnbound: Unbound's `rpz-log: yes` lines, as Unbound 1.17 writes them
//   ("[1796529574] unbound[30785:0] info: rpz: applied [dannevirke]
//   *.phish-login.example. rpz-nxdomain 127.0.0.1@46097
//   www.phish-login.example. A IN"): the trigger is the policy record's owner
//   relative to the zone ("*.phish-login.example.") or, for a response-IP
//   trigger, the network ("203.0.113.0/24"). Time: the "[epoch]" of
//   Unbound's own log file, `log-time-ascii` ("Dec 06 03:59:45") or a syslog
//   prefix (BSD or RFC 3339).
// - kBind: BIND 9's `rpz` category ("… rpz QNAME NXDOMAIN rewrite
//   www.phish-login.example/A/IN via *.phish-login.example.rpz.dannevirke.dk"):
//   the trigger is the policy record's full owner name, zone included.
//   Time: BIND's print-time forms ("06-Dec-2026 03:59:45.123", ISO 8601 with
//   or without "Z") or a syslog prefix.
// - kFirewall: kernel log lines of nftables/iptables rules with
//   `log prefix "dv-block "` ("… kernel: dv-block IN=eth0 … SRC=… DST=…"):
//   the packet's two addresses, of which the mapping says which is blocked.
// Local times without a zone are taken as UTC; a year missing from the time
// is inferred from the reference time (ParseBsdTime). A line without a time
// the parser knows is dated at the reference time (the moment it is read).
//
// RPZ "passthru" (the feed's monitor zone), BIND's "disabled" zones and
// TCP-only answers are logged hits that blocked nothing: they are counted as
// monitored, never reported as blocks.
//
// Pure and deterministic given their inputs; not thread-safe (one thread).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "detect/indicators/observable.h"
#include "sensor/sightings.h"
#include "stix/object.h"

namespace dv::sensor {

enum class BlockLogFormat : std::uint8_t { kUnbound, kBind, kFirewall };
std::string_view BlockLogFormatName(BlockLogFormat format);

// Lines longer than this are malformed without being read further.
inline constexpr std::size_t kMaxBlockLineBytes = 16 * 1024;

// What one log line says.
struct BlockLine {
  BlockLogFormat format = BlockLogFormat::kUnbound;
  enum class Kind : std::uint8_t {
    kOther,      // not a block line (other messages of the resolver or the kernel)
    kBlock,      // a block: trigger (RPZ) or addresses (firewall)
    kMonitor,    // a logged hit that blocked nothing (passthru, disabled, TCP-only)
    kMalformed,  // looks like a block line but does not parse; `reason` says why
  };
  Kind kind = Kind::kOther;
  // RPZ: the policy record's owner name, lower case, without the trailing
  // dot; or a network "a.b.c.d/n" for Unbound's response-IP triggers.
  std::string trigger;
  // Firewall: the packet's source and destination.
  std::vector<IpAddress> addresses;
  Timestamp time;
  std::string reason;
};

// Parses one line. `reference`: when the line is read (dates lines without a
// year or without a time). `firewall_prefix`: the rules' log prefix without
// its trailing space. Never fails: a line is counted by its kind.
BlockLine ParseBlockLine(BlockLogFormat format, std::string_view line, Timestamp reference,
                         std::string_view firewall_prefix = "dv-block");

// The hub's mapping from the owner names of a member's RPZ zones back to the
// indicators behind them (GET /api/v1/protection/members/{code}/rpz/mapping;
// protect/rpz.h WriteRpzMapping): {"owners": {"<owner>": {"zone":
// "enforce"|"monitor", "indicators": […], …}}, "serial": N}.
class RpzMapping {
 public:
  struct Owner {
    std::vector<std::string> indicators;
    bool monitor = false;
  };
  // kParse naming the problem when the text is not such a mapping; owners
  // without indicators are skipped.
  static Result<RpzMapping> Parse(std::string_view json);

  // The owner a trigger names: the trigger itself or, unless `exact`, with
  // its last labels taken off (BIND logs the owner with the policy zone's
  // name; Unbound without it). A network trigger ("198.51.100.23/32") is
  // looked up as its rpz-ip owner name.
  const Owner* Find(std::string_view trigger, bool exact) const;
  // The most specific rpz-ip owner whose network holds `address`.
  const Owner* FindAddress(const IpAddress& address) const;

  std::int64_t serial() const { return serial_; }
  std::size_t size() const { return owners_.size(); }

 private:
  std::map<std::string, Owner, std::less<>> owners_;
  std::int64_t serial_ = 0;
};

struct BlockStats {
  std::uint64_t lines = 0;
  std::uint64_t blocks = 0;     // mapped to indicators and counted
  std::uint64_t monitored = 0;  // passthru hits, or hits of the monitor zone
  std::uint64_t malformed = 0;
  std::uint64_t unmapped = 0;  // a trigger the mapping does not know (dropped)
  std::uint64_t held = 0;      // waiting for the first mapping now
  std::uint64_t dropped = 0;   // not held: kMaxHeld was reached
};

// Counts blocks per indicator per hour. Lines read before the first mapping
// arrives are held (up to kMaxHeld distinct trigger-hours) and counted when
// it does; later, a trigger the current mapping does not know is dropped and
// counted as unmapped.
class BlockCounter {
 public:
  explicit BlockCounter(std::string firewall_prefix = "dv-block");

  void SetMapping(RpzMapping mapping);
  bool has_mapping() const { return mapping_.has_value(); }

  void AddLine(BlockLogFormat format, std::string_view line, Timestamp reference);

  // The block sightings changed since the last call: counts-only, the hour
  // as first_seen and last_seen, `x_dannevirke_block: true`
  // (SightingAggregator with SightingOptions::block).
  Result<std::vector<stix::ValidatedObject>> TakePending(Timestamp now) { return sightings_.TakePending(now); }
  void Restore(const std::vector<stix::ValidatedObject>& objects) { sightings_.Restore(objects); }
  void Forget(Timestamp cutoff) { sightings_.Forget(cutoff); }

  const BlockStats& stats() const { return stats_; }

  static constexpr std::size_t kMaxHeld = 10'000;

 private:
  void Count(const BlockLine& line, std::int64_t times);

  std::string firewall_prefix_;
  std::optional<RpzMapping> mapping_;
  SightingAggregator sightings_;
  // Before the first mapping: (trigger or address, hour) → hits.
  struct Held {
    BlockLine line;
    std::int64_t count = 0;
  };
  std::map<std::pair<std::string, std::int64_t>, Held> held_;
  BlockStats stats_;
};

}  // namespace dv::sensor
