// SPDX-License-Identifier: Apache-2.0
#pragma once

// Field mappings and log-source routing: how events from real log sources
// (EVTX, Winlogbeat/ECS JSON, NXLog JSON, syslog) meet Sigma's taxonomy.
// Configured in YAML (the default, data/sigma/mapping.yml, is compiled in;
// `--mapping FILE` replaces it); documented in docs/sigma.md.
//
// Normalize(event) copies values under their taxonomy names (aliases never
// overwrite a field that is already there, except a log source's own
// `set` list, which models renames such as Security 4688's NewProcessName →
// Image) and returns the log sources the event belongs to. The mapping is
// immutable after loading; Normalize is const and thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "sigma/rule.h"

namespace dv::sigma {

struct LogSourceDefinition {
  std::string name;  // for reports: "sysmon_process_creation"
  LogSource logsource;
  // The event belongs when every field test holds; a test holds when the
  // field equals (case-insensitively) any of the listed values, or, for the
  // value "*", when the field is present at all.
  std::vector<std::pair<std::string, std::vector<std::string>>> when;
  // Applied in order when the event belongs: target ← source, overwriting.
  std::vector<std::pair<std::string, std::string>> set;
};

class FieldMapping {
 public:
  // Parses a mapping document; errors name the file and line.
  static Result<FieldMapping> Parse(std::string_view yaml, const std::string& file);
  static Result<FieldMapping> LoadFile(const std::string& path);
  // The compiled-in default mapping.
  static const FieldMapping& Default();

  // Adds taxonomy aliases to `event` and writes the indexes of the log
  // sources it belongs to into `matched` (cleared first).
  void Normalize(Event& event, std::vector<std::uint32_t>& matched) const;
  // The same, with the caller's index (reused memory); on return `index`
  // is Reset for the normalized event.
  void Normalize(Event& event, std::vector<std::uint32_t>& matched, EventFieldIndex& index) const;

  const std::vector<LogSourceDefinition>& logsources() const { return logsources_; }
  // True when a rule with this logsource applies to events of definition `def`.
  static bool Applies(const LogSource& rule, const LogSource& def);

 private:
  void BuildIndex();

  std::vector<std::pair<std::string, std::string>> field_aliases_;             // source → taxonomy name
  std::unordered_map<std::string, std::vector<std::size_t>> alias_by_source_;  // source → alias indexes
  std::vector<std::string> strip_prefixes_;                                    // "winlog.event_data."
  std::vector<std::string> strip_wrapper_prefixes_;                            // "Event.UserData."
  bool names_without_spaces_ = false;                                          // "Threat Name" → "ThreatName"
  std::vector<LogSourceDefinition> logsources_;
  // Definitions indexed by the case-folded value they require of the first
  // of kIndexFields they test (Windows channels; the network datasets of
  // docs/ingest.md), so that an event tries only its own; the rest
  // (without_index_) are tried for every event. All lists in definition order.
  static constexpr std::array<std::string_view, 2> kIndexFields = {"Channel", "event.dataset"};
  std::array<std::unordered_map<std::string, std::vector<std::uint32_t>>, 2> by_value_;
  std::vector<std::uint32_t> without_index_;
};

}  // namespace dv::sigma
