// SPDX-License-Identifier: Apache-2.0
#pragma once

// EventArchive: the member's own recent events, kept on the member's disk so
// that new indicators can be searched for in the past (retro-hunt). The
// archive never leaves the sensor.
//
// Format (docs/sensor.md): a folder of segments "events-<unix ms of the
// segment's first write, 13 digits>.jsonl"; each line one event:
//   {"t": "<RFC 3339 event time or null>", "o": "<origin>", "f": [[name, value], …]}
// Appends go to the segment this archive opened until it holds segment_bytes
// or is segment_span old; then a new one starts (so every event of a segment
// was archived within segment_span of the time in its name). Prune() deletes
// whole segments: every one whose span ended more than max_age ago, then the
// oldest while the folder holds more than max_bytes. A line that cannot be read back is counted and skipped.
//
// Not thread-safe: one archive per sensor. I/O errors are returned as kIo
// naming the path.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "core/time.h"

namespace dv::sensor {

struct ArchiveOptions {
  std::uint64_t max_bytes = std::uint64_t{1} << 30;  // 1 GiB
  std::chrono::hours max_age{24 * 30};
  std::uint64_t segment_bytes = std::uint64_t{64} << 20;  // 64 MiB
  std::chrono::milliseconds segment_span = std::chrono::hours(1);
};

struct ArchiveScanStats {
  std::uint64_t events = 0;
  std::uint64_t bad_lines = 0;
  std::uint64_t segments = 0;
};

class EventArchive {
 public:
  // Creates the folder if needed.
  static Result<EventArchive> Open(std::filesystem::path dir, ArchiveOptions options);

  EventArchive(EventArchive&&) noexcept = default;
  EventArchive& operator=(EventArchive&&) noexcept = default;

  // Appends one event; `now` names a new segment and stamps its age.
  Status Append(const Event& event, Timestamp now);
  // Flushes the open segment.
  Status Flush();
  // Deletes segments beyond the bounds. Returns how many were deleted.
  Result<std::size_t> Prune(Timestamp now);
  // Calls on_event for every archived event, oldest segment first. The Event
  // is reused between calls.
  Result<ArchiveScanStats> Scan(const std::function<void(Event&)>& on_event);

  // Bytes in all segments (on disk plus not yet flushed).
  Result<std::uint64_t> SizeBytes() const;
  std::vector<std::filesystem::path> Segments() const;

  static std::string EncodeEvent(const Event& event);
  static bool DecodeEvent(std::string_view line, Event& event);

 private:
  EventArchive(std::filesystem::path dir, ArchiveOptions options);
  Status OpenSegment(Timestamp now);

  std::filesystem::path dir_;
  ArchiveOptions options_;
  std::filesystem::path current_path_;
  std::ofstream current_;
  std::uint64_t current_bytes_ = 0;
  Timestamp current_start_;
};

}  // namespace dv::sensor
