// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hub's picture of every shared indicator: who shared it, who saw it
// (sightings), false-positive reports (STIX opinions), and its current
// confidence after decay. Internal to the hub; the REST module
// hub/indicator_api.cpp serves it and sensors read the per-member
// "inactive" list from it.
//
// Confidence decay (docs/stix.md, "Confidence and decay"), after MISP's
// polynomial model:
//
//   confidence(t) = base × max(0, 1 − (Δ / τ)^(1/δ))
//
//   base  the indicator's STIX `confidence` (0–100), or kDefaultBase without one
//   Δ     time since the later of the indicator's valid_from and its last sighting
//   τ     the lifetime of what the pattern observes: network addresses 30 days,
//         domain names, URLs and e-mail addresses 90 days, file hashes 365 days,
//         anything else 180 days (the longest wins for mixed patterns)
//   δ     decay speed, 0.5: the score falls slowly at first and fast near τ
//
// An indicator expires when its confidence falls below kExpiryThreshold, when
// its valid_until has passed, or when it is revoked. A new measured sighting
// anywhere restarts Δ, so confidence recovers.
//
// Measured evidence: only sightings posted by a sensor-role principal
// (hub/access.h PostedBySensor) restart Δ. Sightings posted with a person's
// token are shown and counted, but they raise no confidence and delay no
// expiry; neither does a last_seen later than now.
//
// The producer of an indicator is the organisation that posted its first
// version (the earliest stored, in any collection), not the poster of the
// newest one: the hub refuses versions from anyone else, and a coordinator's
// version does not make the coordinator the producer.
//
// False positives: an `opinion` whose object_refs name the indicator, with
// opinion "disagree" or "strongly-disagree", is a false-positive report. Its
// custom property `x_dannevirke_fp_scope` says "self" (the reporting
// organisation's sensors stop alerting on it) or "all" (a proposal to the
// producer and the coordinators). A proposal accepted by the producer's
// organisation or a coordinator (a verdict record) makes the indicator
// inactive for every member.
//
// Blocks: a sighting with the custom property `x_dannevirke_block: true` is
// a block counted at a member's resolver or firewall (docs/protect.md,
// "Counting blocks"), not a detection. Block sightings are summed apart
// (`blocks`, `blocked_members`) and count in no sighting figure: not in
// sightings, sighting_count, sighting_orgs, first_seen or last_seen, and they
// never restart decay (a block proves the feed worked, not that the
// indicator is still seen by a detector) nor corroborate it for a feed.
//
// Visibility: a principal sees an indicator, a sighting or an opinion only
// where hub/access.h CanSeeObject allows, and every aggregate (number of
// sightings, sum of counts, members that saw it, first and last seen,
// false-positive reports, and the confidence that last seen drives) is built
// from those alone: a RED or AMBER+STRICT sighting, or one in a collection
// the principal cannot read, contributes nothing for it.
//
// Thread-safe, and incremental: the board keeps one index of every
// indicator, sighting and opinion, and a refresh reads only the objects
// stored since the last one (one query across all collections, by the
// change-feed sequence) and applies them under a short exclusive lock;
// readers share the index meanwhile. Facts are immutable and shared
// (shared_ptr), so a view stays valid after the board has moved on.
// Everything is read again only after an announced deletion or resync
// (Store::Watch), when the set of sensor members changes, and every
// kFullRereadSeconds as a safety net. A reader refreshes first when a write
// was announced or kPollSeconds have passed (writes by another process on
// the same SQLite file are not announced); while another thread refreshes,
// a reader uses the index as it stands.
//
// Cost: memory in proportion to the indicators, sightings and opinions (the
// stored JSON text is dropped once parsed, unless an unmarked legacy row
// needs it for its TLP); Views() is linear in the indicators, View() and
// the state since a cursor (State) only in what changed (see State).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "hub/access.h"
#include "store/store.h"

namespace dv::hub {

class ApiContext;

constexpr double kDefaultBase = 60.0;
constexpr double kDecaySpeed = 0.5;
constexpr double kExpiryThreshold = 20.0;

// τ in days for a STIX pattern (see above); 180 for a pattern that does not parse.
double LifetimeDays(std::string_view pattern_type, std::string_view pattern);
// The decayed confidence; `age_days` < 0 counts as 0.
double DecayedConfidence(double base, double age_days, double lifetime_days);
// When the confidence reaches kExpiryThreshold, in days after the reference time;
// 0 when base is already below it.
double DaysUntilExpiry(double base, double lifetime_days);

struct SightingFact {
  StoredObject stored;
  std::string sighter_org;  // the organisation that posted it
  bool measured = false;    // posted by a sensor: evidence that restarts decay
  // Names no organisation (neither where_sighted_refs nor created_by_ref):
  // the poster is named only to itself and to coordinators.
  bool counts_only = false;
  // `x_dannevirke_block: true`: a count of blocks, not a detection (see above).
  bool block = false;
  std::int64_t count = 1;
  std::optional<Timestamp> first_seen;
  std::optional<Timestamp> last_seen;
};

struct OpinionFact {
  StoredObject stored;
  std::string reporter_org;
  std::string opinion;  // "disagree", "strongly-disagree", …
  std::string scope;    // "self" or "all"
  std::string explanation;
  Timestamp created;
  bool revoked = false;
};

struct IndicatorFact {
  StoredObject stored;  // the newest version in its collection (json empty when stored.tlp is set)
  std::string name;
  std::string pattern;
  std::string pattern_type;
  std::optional<double> confidence;
  Timestamp valid_from;
  std::optional<Timestamp> valid_until;
  Timestamp created;
  Timestamp modified;
  bool revoked = false;
  double lifetime_days = 180;  // LifetimeDays(pattern_type, pattern)
};

// An accepted proposal: the indicator is a false positive for everyone.
struct Verdict {
  std::string indicator_id;
  std::string org_code;  // who accepted
  std::string actor;
  std::string reason;
  Timestamp at;
};

enum class IndicatorStatus { kActive, kExpired, kRevoked, kFalsePositive };
std::string_view IndicatorStatusName(IndicatorStatus status);

// One indicator as one principal may see it. It shares the board's facts,
// which never change once made, so it stays valid while the board refreshes.
struct IndicatorView {
  std::shared_ptr<const IndicatorFact> fact;
  std::shared_ptr<const Collection> collection;
  std::string producer_org;  // who posted the first version: judges false-positive proposals
  double base = kDefaultBase;
  double confidence = 0;  // now
  double lifetime_days = 0;
  Timestamp decay_from;  // valid_from or the last measured sighting (not after now), whichever is later
  Timestamp expires_at;  // when confidence falls below the threshold
  IndicatorStatus status = IndicatorStatus::kActive;  // for the principal's organisation
  std::string status_detail;
  // Sightings: the visible ones, counted and listed.
  std::int64_t sightings = 0;       // sighting objects
  std::int64_t sighting_count = 0;  // sum of their counts
  std::int64_t sighting_orgs = 0;   // distinct organisations
  std::optional<Timestamp> first_seen;
  std::optional<Timestamp> last_seen;
  std::vector<std::shared_ptr<const SightingFact>> visible_sightings;  // detections only, never blocks
  // Blocks: the visible block sightings, summed and listed apart.
  std::int64_t blocks = 0;           // sum of their counts
  std::int64_t blocked_members = 0;  // distinct organisations
  std::vector<std::shared_ptr<const SightingFact>> visible_blocks;
  std::vector<std::shared_ptr<const OpinionFact>> visible_opinions;
  std::int64_t fp_reports = 0;  // visible false-positive reports
  bool fp_self = false;         // the principal's organisation reported it for itself
  std::vector<Verdict> verdicts;
};

// Where a reader of the indicator state got to: the change-feed sequence
// the board had read up to, and the time of the answer. Text form
// "<seq>-<unix ms>" (both decimal), opaque to clients.
struct StateCursor {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string ToString() const;
  // kInvalidArgument naming `what` for anything but two decimal numbers
  // (at most 18 digits each) joined by '-'.
  static Result<StateCursor> Parse(std::string_view text, std::string_view what);
};

struct StateEntry {
  std::string id;
  IndicatorStatus status = IndicatorStatus::kActive;
  std::string detail;
};

struct StateAnswer {
  StateCursor cursor;  // pass it as `since` next time
  // true: `entries` are every indicator inactive for the principal now.
  // false (an answer since a cursor): `entries` are the indicators whose
  // status for the principal may have changed since then, each with its
  // status now, active ones included; the others are as they were.
  bool complete = true;
  std::vector<StateEntry> entries;
};

class IndicatorBoard {
 public:
  static constexpr double kPollSeconds = 2;
  static constexpr double kFullRereadSeconds = 600;

  explicit IndicatorBoard(Store& store);
  ~IndicatorBoard();
  IndicatorBoard(const IndicatorBoard&) = delete;
  IndicatorBoard& operator=(const IndicatorBoard&) = delete;

  // Reads what was added since the last call (and everything again when a
  // deletion or resync was announced, the sensor members changed or
  // kFullRereadSeconds passed). Blocks while another refresh runs, so that
  // a caller that has just written sees its write afterwards.
  Status Refresh();
  // Grows whenever a refresh found something new (and at each full re-read):
  // equal generations mean the same indicators, sightings, opinions and
  // verdicts. For callers that cache what they derive from the board.
  std::uint64_t Generation();

  // Every indicator the principal may see, newest activity first.
  Result<std::vector<IndicatorView>> Views(const Principal& principal, Timestamp now);
  // One indicator (the newest visible version across collections); kNotFound
  // when the principal may not see it.
  Result<IndicatorView> View(const Principal& principal, std::string_view indicator_id, Timestamp now);
  // True when some collection holds the indicator, whoever may see it: tells
  // a refused read (audited) from a read of nothing. As of the last refresh.
  bool Known(std::string_view indicator_id);

  // The indicator state for a sensor: without `since`, every indicator that
  // is inactive for the principal; with it, only what may have changed
  // since that cursor: indicators with a visible object stored after it, a
  // valid_until or decay expiry that fell between its time and now, or a
  // verdict given less than five minutes before it. Work in proportion to
  // those (and to the indicators with a possible expiry in that window for
  // some reader), not to all indicators. What the delta does not
  // see: a change of a collection's audience or of a member's role; a
  // client that cares asks for the whole state now and then.
  Result<StateAnswer> State(const Principal& principal, Timestamp now, std::optional<StateCursor> since);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The hub's one board, shared by the modules that read it (ApiContext::Shared):
// one index in memory and one reader of the store, however many modules use it.
std::shared_ptr<IndicatorBoard> SharedBoard(ApiContext& context);

}  // namespace dv::hub
