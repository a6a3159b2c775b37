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
// Thread-safe: Refresh and the readers may run concurrently. Refresh builds a
// new snapshot when anything changed (copy on write), which costs time in
// proportion to the shared indicators and sightings: fine for the tens of
// thousands a federation shares, not for millions (then an index in the store
// would replace it).

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
  StoredObject stored;  // the newest version in its collection
  std::string name;
  std::string pattern;
  std::string pattern_type;
  std::optional<double> confidence;
  Timestamp valid_from;
  std::optional<Timestamp> valid_until;
  Timestamp created;
  Timestamp modified;
  bool revoked = false;
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

// One indicator as one principal may see it. The pointers point into the
// board's snapshot that `keep_alive` holds, so a view stays valid while the
// board refreshes.
struct IndicatorView {
  std::shared_ptr<const void> keep_alive;
  const IndicatorFact* fact = nullptr;
  Collection collection;
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
  std::vector<const SightingFact*> visible_sightings;  // detections only, never blocks
  // Blocks: the visible block sightings, summed and listed apart.
  std::int64_t blocks = 0;           // sum of their counts
  std::int64_t blocked_members = 0;  // distinct organisations
  std::vector<const SightingFact*> visible_blocks;
  std::vector<const OpinionFact*> visible_opinions;
  std::int64_t fp_reports = 0;  // visible false-positive reports
  bool fp_self = false;         // the principal's organisation reported it for itself
  std::vector<Verdict> verdicts;
};

class IndicatorBoard {
 public:
  explicit IndicatorBoard(Store& store);
  ~IndicatorBoard();
  IndicatorBoard(const IndicatorBoard&) = delete;
  IndicatorBoard& operator=(const IndicatorBoard&) = delete;

  // Reads what was added since the last call, and everything again every
  // `full_every` seconds and after a deletion was announced (Store::Watch:
  // at once on this instance, within milliseconds from another instance on
  // PostgreSQL), so deletions disappear.
  Status Refresh(double full_every_seconds = 30);
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

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dv::hub
