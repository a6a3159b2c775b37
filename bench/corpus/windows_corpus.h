// SPDX-License-Identifier: Apache-2.0
#pragma once

// A deterministic corpus of Windows events for the detection benchmark:
// Sysmon 1/3/7/10/11/13/22, Security 4624/4625/4688/4720/1102 and
// PowerShell 4104, with common benign activity dominating and a known number
// of planted malicious events, each built so that one named SigmaHQ rule
// fires on it.
//
// - The same seed gives the same events, byte for byte, on every platform
//   (SplitMix64, no std:: distributions).
// - Every event goes to one of two files, chosen at random: Winlogbeat 8 /
//   ECS JSON lines (nested, `winlog.event_data.*`, ECS `process.*` for
//   process creation) or flat NXLog-style JSON (Sysmon-as-JSON: EventData
//   names at the top level beside EventID, Channel, Hostname, SourceName).
// - One event in every kPlantEvery is planted; the planted kinds take turns.
//   A planted event's index is its position when the files are read in the
//   order of Corpus::files, line by line.
//
// WriteWindowsCorpus is not thread-safe with itself on the same folder;
// errors (a file that cannot be written) are values.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv::bench {

inline constexpr std::uint64_t kCorpusSeed = 20261126;
inline constexpr std::uint64_t kPlantEvery = 1000;

// A kind of planted event and the SigmaHQ rule that must fire on it.
struct PlantedKind {
  std::string_view name;     // "mimikatz_command_line"
  std::string_view source;   // "Sysmon 1", "Security 4688"
  std::string_view rule_id;  // the SigmaHQ rule id
};
std::span<const PlantedKind> PlantedKinds();

struct PlantedEvent {
  std::uint64_t index = 0;  // position in reading order (see above)
  std::uint32_t kind = 0;   // index into PlantedKinds()
};

struct CorpusOptions {
  std::uint64_t events = 0;  // stop after this many events (0: no limit)
  std::uint64_t bytes = 0;   // stop once the files hold this many bytes (0: no limit)
  std::uint64_t seed = kCorpusSeed;
};

struct CorpusFile {
  std::string path;
  std::string format;  // "winlogbeat-ecs", "flat-json"
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
};

struct Corpus {
  std::vector<CorpusFile> files;  // read them in this order
  std::vector<PlantedEvent> planted;
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
};

// Writes the corpus into `dir` (which must exist). At least one of
// options.events and options.bytes must be set.
Result<Corpus> WriteWindowsCorpus(const std::filesystem::path& dir, const CorpusOptions& options);

}  // namespace dv::bench
