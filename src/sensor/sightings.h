// SPDX-License-Identifier: Apache-2.0
#pragma once

// SightingAggregator: turns indicator hits into STIX sightings, one per
// (indicator, hour of the event's time, UTC). Pure and deterministic given
// its inputs; not thread-safe.
//
// A bucket is identified by a sighting id chosen when the bucket is first
// hit. Hits that arrive after the bucket was taken by TakePending() raise its
// count and make it pending again: the next TakePending() gives a new
// version of the same sighting (same id and created, later modified) with
// the running totals, so the hub keeps one object per bucket with the latest
// count. Buckets older than `keep` behind the newest hit are forgotten by
// Forget(); a later hit in such an hour starts a new sighting.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "core/tlp.h"
#include "stix/object.h"

namespace dv::sensor {

struct SightingOptions {
  // The member's identity (Organisation::StixId()); empty: omitted.
  std::string identity_id;
  // Only sighting_of_ref, count, first_seen and last_seen (no identity, no marking).
  bool counts_only = false;
  std::optional<Tlp> tlp = Tlp::kAmber;
  // Blocks counted at the member's resolver or firewall (sensor/blocks.h):
  // every sighting is counts-only with the start of the hour as first_seen
  // and last_seen (as Detail::kReduced), and carries the custom property
  // `x_dannevirke_block: true`.
  bool block = false;
};

class SightingAggregator {
 public:
  explicit SightingAggregator(SightingOptions options);

  // How much a sighting tells. kReduced is for content of a publisher other
  // than the national coordinator and the member itself (docs/sensor.md,
  // "Whose content runs"): first_seen and last_seen are the start of the
  // hour, and the sighting is counts-only (no identity, no marking).
  enum class Detail { kFull, kReduced };

  // Records one hit of `indicator_id` by an event at `event_time`. An
  // indicator's hits should always come with the same `detail`; a bucket
  // keeps the detail of its first hit.
  void Add(const std::string& indicator_id, Timestamp event_time, Detail detail = Detail::kFull);

  // The sightings changed since the last call, as validated STIX objects
  // built with `now` as modified (and as created of new buckets). Errors
  // only if an object fails validation (a bug or a malformed indicator id);
  // then nothing is taken.
  Result<std::vector<stix::ValidatedObject>> TakePending(Timestamp now);
  // Puts buckets taken by the last TakePending back to pending (their POST failed).
  void Restore(const std::vector<stix::ValidatedObject>& objects);

  // Drops buckets whose hour ended before `cutoff`.
  void Forget(Timestamp cutoff);

  std::size_t pending() const;
  std::size_t buckets() const { return buckets_.size(); }
  std::int64_t total_hits() const { return total_hits_; }

  static constexpr std::int64_t kHourMs = 3'600'000;

 private:
  struct Bucket {
    std::string id;                     // "sighting--…"
    std::optional<Timestamp> created;   // set once a version was taken
    std::optional<Timestamp> modified;  // of the last version taken
    Timestamp first_seen;
    Timestamp last_seen;
    std::int64_t count = 0;
    bool pending = false;
    bool reduced = false;  // Detail::kReduced
  };
  SightingOptions options_;
  std::map<std::pair<std::string, std::int64_t>, Bucket> buckets_;  // (indicator, hour start ms)
  std::int64_t total_hits_ = 0;
};

}  // namespace dv::sensor
