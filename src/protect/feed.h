// SPDX-License-Identifier: Apache-2.0
#pragma once

// One member's protection feed, computed from values: the candidate entries
// already visible to the member (the hub's access rules have run before),
// the member's profile, the national never-block list, the member's
// allow-list and the warning lists. Out come the entries to enforce, the
// entries to monitor only, and every left-out candidate with its reason.
//
// The rules (docs/protect.md, "Selection"), in the order they apply:
//  1. Only domains, IPv4/IPv6 addresses and prefixes, and URLs can be
//     blocked; anything else is left out (kNotBlockableKind).
//  2. Every value is validated strictly (protect/value.h); a bad one is left
//     out (kInvalidValue) and never written anywhere.
//  3. The profile's kinds and collections, the minimum confidence (after
//     decay), and the widest prefix allowed.
//  4. Never-block beats every indicator: a never-block domain protects itself
//     and its subdomains, and no parent of it may be blocked either (its
//     "*.parent" trigger would block it); a never-block network may not be
//     blocked, and is carved out of any prefix that contains it. The member's
//     allow-list and the warning lists act the same way, with their own
//     reasons. A URL whose host is protected is left out.
//  5. Trust: a candidate is enforced only when an organisation the member
//     trusts for enforcement vouches for it (its producer, or an approver;
//     by default only the national coordinator) and, unless the profile
//     says otherwise, it is corroborated (a second producer's sighting or a
//     coordinator's approval; the coordinator's own indicators count as
//     approved). Everything else that passed 1–4 is monitor-only, as is the
//     whole feed of a profile in monitor-only mode.
//  6. The same value from several indicators is one entry (enforced if any
//     of them is); its provenance is the union of theirs.
//  7. Over max_entries, the highest priority entries stay (enforced before
//     monitored); see Priority().
//
// BuildFeed is pure and deterministic: entries come out sorted by kind and
// value, so two runs over the same input give the same text. Thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "detect/indicators/observable.h"
#include "detect/indicators/warning_list.h"

namespace dv::protect {

// What kind of value a candidate carries. kIpv4 and kIpv6 may be CIDR
// prefixes of their family; kPrefix is a prefix of either family.
enum class ValueKind : std::uint8_t { kDomain, kIpv4, kIpv6, kPrefix, kUrl, kOther };
std::string_view ValueKindName(ValueKind kind);  // "domain", "ipv4", "ipv6", "prefix", "url", "other"
std::optional<ValueKind> ValueKindFromName(std::string_view name);

// Where an entry comes from, for "every entry can be traced": the STIX
// objects (indicator, sightings, opinions), the organisations that produced
// them, and those that approved the indicator.
struct Provenance {
  std::vector<std::string> object_ids;
  std::vector<std::string> producers;
  std::vector<std::string> approvals;
};

struct Candidate {
  std::string indicator_id;
  std::string producer;  // organisation code of the indicator's producer
  std::string collection;
  ValueKind kind = ValueKind::kOther;
  std::string value;       // as shared (refanged); validated here
  std::string other_kind;  // kOther: what it is ("file:hashes.'SHA-256'", "AND pattern")
  double confidence = 0;   // 0–100, after decay
  bool corroborated = false;
  std::int64_t national_sightings = 0;
  Timestamp modified;
  Provenance provenance;
};

enum class Action : std::uint8_t { kNxdomain, kNodata, kDrop, kWalledGarden };
std::string_view ActionName(Action action);  // "nxdomain", "nodata", "drop", "walled-garden"
std::optional<Action> ActionFromName(std::string_view name);

// A member's feed profile. The defaults are conservative: a wrong entry cuts
// citizens off a service, so a new profile monitors, trusts only the
// coordinator, and wants corroboration.
struct Profile {
  double min_confidence = 70;
  // Organisations trusted for enforcement; empty means the coordinator only.
  std::vector<std::string> trusted_producers;
  std::vector<std::string> collections;  // empty: every collection the member reads
  std::vector<ValueKind> kinds{ValueKind::kDomain, ValueKind::kIpv4, ValueKind::kIpv6, ValueKind::kPrefix,
                               ValueKind::kUrl};
  std::size_t max_entries = 0;  // 0: no limit
  Action action = Action::kNxdomain;
  std::string walled_garden;  // kWalledGarden: the block page's host name (the member hosts it)
  bool monitor_only = true;
  bool require_corroboration = true;
  // The widest prefixes that may be blocked at all: a shorter one is left out
  // (kPrefixTooWide), so that no indicator can black-hole a provider.
  int min_prefix_v4 = 16;
  int min_prefix_v6 = 32;
};

// Checks a profile; the error names the field ("walled_garden: …").
Status ValidateProfile(const Profile& profile);

// Domains and networks, as text; validated by BuildFeed (an invalid one is
// an error naming the list and the value: a bad profile changes nothing).
struct ProtectedValues {
  std::vector<std::string> domains;
  std::vector<std::string> networks;
};

// The public sector's own services, never blocked whatever the indicators
// say: the national digital services every citizen and business relies on
// (self-service, digital identity and post, health, tax, police, the
// authorities that run them). The coordinator's own list and the members'
// proven domains come on top of these (docs/protect.md, "Never-block").
const ProtectedValues& PublicSectorNeverBlock();

struct FeedInput {
  std::vector<Candidate> candidates;
  Profile profile;
  std::string coordinator;                      // the national coordinator's organisation code
  ProtectedValues never_block;                  // national: beats every indicator
  ProtectedValues allow;                        // the member's allow-list (its own domains and networks belong here)
  const WarningLists* warning_lists = nullptr;  // not owned; may be null
  Timestamp now;                                // for recency
  // The RPZ zone's origin ("rpz.dannevirke.dk"): a domain whose "*.name"
  // trigger would not fit in 255 octets below it is left out as invalid.
  std::string rpz_origin = "rpz.invalid";
};

enum class LeftOutReason : std::uint8_t {
  kNotBlockableKind,
  kInvalidValue,
  kKindNotInProfile,
  kCollectionNotInProfile,
  kBelowConfidence,
  kPrefixTooWide,
  kNeverBlock,
  kAllowListed,
  kWarningList,
  kOverMaxEntries,
};
inline constexpr std::size_t kLeftOutReasonCount = 10;
std::string_view LeftOutReasonName(LeftOutReason reason);  // "not_blockable_kind", …

// Why an entry is monitored rather than enforced.
enum class MonitorReason : std::uint8_t { kNone, kMonitorOnlyProfile, kUntrusted, kSingleSource };
std::string_view MonitorReasonName(MonitorReason reason);  // "", "monitor_only_profile", "untrusted", "single_source"

enum class EntryKind : std::uint8_t { kDomain, kNetwork, kUrl };

// One line of a zone or list (two RPZ records for a domain). To keep a
// million entries small, an entry names its candidates by index into
// FeedInput::candidates; EntryIndicatorIds and EntryProvenance resolve them,
// so the candidates must outlive every use of the feed that asks for them.
struct FeedEntry {
  EntryKind kind = EntryKind::kDomain;
  std::string value;  // normalised: a domain, FormatNetwork(network), or a URL
  IpNetwork network;  // kNetwork
  // kNetwork: the indicator's prefix when this entry is a piece of it.
  std::string carved_from;
  std::vector<std::uint32_t> sources;  // candidate indexes, ascending
  MonitorReason monitor_reason = MonitorReason::kNone;
  double priority = 0;
};

// The order of a feed's entries: by kind, then domains and URLs by text,
// networks by family, address and length.
bool EntryLess(const FeedEntry& left, const FeedEntry& right);

// The indicator ids behind an entry, sorted and unique.
std::vector<std::string> EntryIndicatorIds(const FeedEntry& entry, const std::vector<Candidate>& candidates);
// The union of its candidates' provenance (each list sorted, unique; the
// indicator ids are among the object ids, the producers among the producers).
Provenance EntryProvenance(const FeedEntry& entry, const std::vector<Candidate>& candidates);

struct LeftOut {
  std::string indicator_id;
  std::string value;  // Printable(): safe to show, never written to a zone
  LeftOutReason reason = LeftOutReason::kInvalidValue;
  std::string detail;  // "below 70 (42.5)", "never-block: borger.dk", "host bits set …"
};

struct Feed {
  std::vector<FeedEntry> enforce;  // sorted by kind, then value
  std::vector<FeedEntry> monitor;  // sorted by kind, then value
  std::vector<LeftOut> left_out;   // in input order
  std::array<std::size_t, kLeftOutReasonCount> left_out_counts{};
  std::size_t carved_prefixes = 0;  // indicator prefixes split around protected networks
};

// The priority that decides which entries stay over max_entries:
//   confidence/100 × 2^(−age_days/30) × (1 + ln(1 + national_sightings))
// age_days: days from `modified` to `now` (0 when modified is later). An
// entry of several candidates takes the highest of theirs.
double Priority(const Candidate& candidate, Timestamp now);

// Computes the member's feed. Errors only for a bad profile, never-block or
// allow value (kInvalidArgument naming the field); a bad candidate is left
// out and counted.
Result<Feed> BuildFeed(const FeedInput& input);

// A JSON summary for the member's feed page: counts of enforced, monitored
// and left-out entries by reason, and the left-out list (at most `max_left_out`).
std::string FeedReportJson(const Feed& feed, std::size_t max_left_out = 1000);

// The blockable observables of a STIX pattern: its comparisons when the
// pattern is one observation or an OR of observations, each a comparison
// or an OR of comparisons with '=' or IN on ipv4-addr:value,
// ipv6-addr:value, domain-name:value or url:value, without NOT and without
// qualifiers. Otherwise `reason` says why nothing can be blocked ("AND
// pattern", "object path 'file:hashes.MD5'", "qualifier REPEATS").
struct PatternValue {
  ValueKind kind = ValueKind::kOther;
  std::string value;
};
struct BlockablePattern {
  std::vector<PatternValue> values;  // empty when `reason` is set
  std::string reason;
};
BlockablePattern BlockableObservables(std::string_view stix_pattern);

}  // namespace dv::protect
