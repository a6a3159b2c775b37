// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sensor: a member's side of the sharing. It pulls indicators from the hub
// (incrementally), matches the member's own events with the detection
// engine, keeps a bounded archive of recent events, searches that archive
// for indicators that are new (retro-hunt), and reports what it saw as STIX
// sightings — never the events themselves. docs/sensor.md describes what is
// sent, the state it keeps and the options.
//
// The hub is reached only through a HubClient, so tests can use a fake. The
// Sensor owns its state folder (state.json, indicators.jsonl, archive/).
// Not thread-safe: one thread drives Pull/ScanLogs/Publish; the compiled
// engine it builds is immutable and could be shared.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/tlp.h"
#include "detect/engine.h"
#include "sensor/archive.h"
#include "sensor/sightings.h"
#include "sensor/state.h"
#include "sensor/taxii_client.h"

namespace dv::sensor {

struct SensorOptions {
  std::vector<std::string> collections;  // where indicators are pulled from
  std::string sightings_collection;      // where sightings go; empty: collections[0]
  std::string org_code;                  // the member's organisation; empty: no identity in sightings
  bool counts_only = false;              // sightings carry only sighting_of_ref, count, first/last seen
  std::optional<Tlp> tlp = Tlp::kAmber;  // marking of sightings (not with counts_only)
  std::vector<std::string> rule_paths;   // local Sigma rules (files or folders); alerts are local only
  std::filesystem::path state_dir;       // state.json, indicators.jsonl, archive/
  bool archive = true;                   // keep events for retro-hunts
  ArchiveOptions archive_options;
  int page_limit = 1000;
  // Called for every alert (live and retro-hunt), e.g. to print it.
  std::function<void(const detect::Alert& alert, bool retro)> on_alert;
};

struct SensorStats {
  std::uint64_t pulls = 0;
  std::uint64_t objects_received = 0;
  std::size_t indicators = 0;            // in the active set
  std::size_t indicators_matchable = 0;  // of those, matchable by the index
  std::size_t indicators_unsupported = 0;
  std::uint64_t events = 0;
  std::uint64_t bad_records = 0;
  std::uint64_t indicator_hits = 0;  // events × indicators, live
  std::uint64_t sigma_alerts = 0;
  std::uint64_t retro_hunts = 0;
  std::uint64_t retro_events_searched = 0;
  std::uint64_t retro_hits = 0;
  std::uint64_t sightings_posted = 0;  // objects the hub accepted
  std::uint64_t sightings_refused = 0;
  std::uint64_t archived = 0;
  std::uint64_t archive_segments_pruned = 0;
};

struct PullOutcome {
  std::size_t received = 0;
  std::size_t added = 0;    // new or changed indicators
  std::size_t removed = 0;  // revoked
  bool rebuilt = false;     // the engine was rebuilt
  std::uint64_t retro_hits = 0;
};

class Sensor {
 public:
  // Loads the state folder and the local rules and builds the engine from
  // the cached indicators. `hub` must outlive the Sensor.
  static Result<std::unique_ptr<Sensor>> Create(HubClient& hub, SensorOptions options);
  ~Sensor();

  // Pulls every collection from its added_after (all pages, indicators
  // only), merges into the cache, rebuilds the engine when something
  // changed, retro-hunts the archive for the new indicators, and saves the
  // state. A failed collection leaves its added_after where it was.
  Result<PullOutcome> Pull();
  // Reads log files ("-" for stdin) and processes every event. Errors only
  // when a named path cannot be read (after reading the others).
  Status ScanLogs(std::span<const std::string> paths);
  // Matches one event and archives it.
  void ProcessEvent(const Event& event);
  // Posts the pending sightings. On failure they stay pending for the next call.
  Result<std::size_t> Publish();
  // Prunes the archive to its bounds and flushes it.
  Status Maintain();

  const SensorStats& stats() const { return stats_; }
  // The member's identity id, or empty.
  const std::string& identity_id() const { return identity_id_; }

 private:
  Sensor(HubClient& hub, SensorOptions options);
  Status RebuildEngine();
  Result<std::uint64_t> RetroHunt(const std::vector<std::string>& indicator_ids);
  void Record(const detect::Alert& alert, std::optional<Timestamp> event_time, bool retro,
              std::vector<std::string>& seen_in_event);

  HubClient& hub_;
  SensorOptions options_;
  std::string identity_id_;
  PullState pull_state_;
  IndicatorCache cache_;
  std::shared_ptr<const sigma::RuleSet> rules_;
  std::shared_ptr<const sigma::RuleSet> no_rules_;
  std::shared_ptr<const detect::Engine> engine_;
  std::unique_ptr<detect::EngineStream> stream_;
  std::optional<EventArchive> archive_;
  SightingAggregator sightings_;
  SensorStats stats_;
  Event scratch_;
};

}  // namespace dv::sensor
