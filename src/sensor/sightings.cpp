// SPDX-License-Identifier: Apache-2.0
#include "sensor/sightings.h"

#include <nlohmann/json.hpp>

#include "core/uuid.h"

namespace dv::sensor {

SightingAggregator::SightingAggregator(SightingOptions options) : options_(std::move(options)) {}

void SightingAggregator::Add(const std::string& indicator_id, Timestamp event_time, Detail detail) {
  const std::int64_t ms = event_time.unix_ms();
  const std::int64_t hour = ms - ((ms % kHourMs) + kHourMs) % kHourMs;
  auto [it, inserted] = buckets_.try_emplace({indicator_id, hour});
  Bucket& bucket = it->second;
  if (inserted) bucket.reduced = detail == Detail::kReduced || options_.block;
  if (bucket.reduced) event_time = Timestamp(hour);
  if (inserted) {
    bucket.id = "sighting--" + Uuid::V4().ToString();
    bucket.first_seen = event_time;
    bucket.last_seen = event_time;
  }
  bucket.first_seen = std::min(bucket.first_seen, event_time);
  bucket.last_seen = std::max(bucket.last_seen, event_time);
  if (bucket.count < stix::kMaxCount) ++bucket.count;
  bucket.pending = true;
  ++total_hits_;
}

Result<std::vector<stix::ValidatedObject>> SightingAggregator::TakePending(Timestamp now) {
  std::vector<stix::ValidatedObject> out;
  std::vector<Bucket*> taken;
  std::vector<Timestamp> stamps;
  for (auto& [key, bucket] : buckets_) {
    if (!bucket.pending) continue;
    stix::SightingSpec spec;
    spec.id = bucket.id;
    spec.sighting_of_ref = key.first;
    spec.created = bucket.created.value_or(now);
    // A new version must be later than the one before it.
    const Timestamp modified =
        bucket.modified && !(*bucket.modified < now) ? Timestamp(bucket.modified->unix_ms() + 1) : now;
    spec.first_seen = bucket.first_seen;
    spec.last_seen = bucket.last_seen;
    spec.count = bucket.count;
    if (!options_.counts_only && !bucket.reduced) {
      if (!options_.identity_id.empty()) {
        spec.created_by_ref = options_.identity_id;
        spec.where_sighted_refs = {options_.identity_id};
      }
      spec.tlp = options_.tlp;
    }
    auto object = stix::MakeSighting(spec);
    if (!object.ok()) return object.error().WithContext("sighting of '" + key.first + "'");
    // MakeSighting sets modified = created; a later version carries its own.
    const bool versioned_again = bucket.created && modified != *bucket.created;
    if (versioned_again || options_.block) {
      auto json = nlohmann::ordered_json::parse(object->canonical_json);
      if (versioned_again) json["modified"] = modified.ToRfc3339();
      if (options_.block) json["x_dannevirke_block"] = true;
      auto versioned = stix::ValidateObject(std::string_view(json.dump()));
      if (!versioned.ok()) return versioned.error().WithContext("sighting of '" + key.first + "'");
      object = std::move(versioned);
    }
    stamps.push_back(modified);
    out.push_back(std::move(object).value());
    taken.push_back(&bucket);
  }
  for (std::size_t bucket_idx = 0; bucket_idx < taken.size(); ++bucket_idx) {
    Bucket& bucket = *taken[bucket_idx];
    if (!bucket.created) bucket.created = now;
    bucket.modified = stamps[bucket_idx];
    bucket.pending = false;
  }
  return out;
}

void SightingAggregator::Restore(const std::vector<stix::ValidatedObject>& objects) {
  for (const auto& object : objects) {
    for (auto& [key, bucket] : buckets_) {
      if (bucket.id == object.id) bucket.pending = true;
    }
  }
}

void SightingAggregator::Forget(Timestamp cutoff) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (it->first.second + kHourMs <= cutoff.unix_ms() && !it->second.pending) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

std::size_t SightingAggregator::pending() const {
  std::size_t count = 0;
  for (const auto& [key, bucket] : buckets_) count += bucket.pending ? 1 : 0;
  return count;
}

}  // namespace dv::sensor
