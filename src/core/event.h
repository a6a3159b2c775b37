// SPDX-License-Identifier: Apache-2.0
#pragma once

// Event: one log record as the detection engine sees it — a flat list of
// named string values. Readers (src/ingest) fill it; Sigma rules and
// indicators (src/sigma, src/detect) read it.
//
// - Nested input is flattened with dots ("winlog.event_data.CommandLine").
// - A field may occur more than once (JSON arrays, repeated syslog keys);
//   a matcher succeeds when any value matches.
// - Every value is text: numbers keep their textual form ("4688"), booleans
//   are "true"/"false". A JSON null is a field whose `is_null` is true and
//   whose value is empty; a missing field is absent from the list.
// - Lookup is exact first, then ASCII case-insensitive, as Sigma field
//   names are matched case-insensitively by most backends and log sources
//   disagree on case ("commandline" vs "CommandLine").
//
// Events are reused: Clear() keeps the allocated capacity so that a reader
// filling one Event per record does not allocate in the steady state. What
// is kept is bounded, so that a stream that runs for months holds no more
// than it needs for ordinary records: Clear() and CopyFrom() release every
// name or value buffer larger than kRetainedValueBytes and the field slots
// beyond kRetainedFields (one huge record costs one allocation, and its
// memory is returned when the next record starts).
// Not thread-safe; each stream owns its Event.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace dv {

struct EventField {
  std::string name;
  std::string value;
  bool is_null = false;
};

class Event {
 public:
  void Add(std::string_view name, std::string_view value);
  void AddNull(std::string_view name);
  // Appends a copy of the field at `field_idx` (value and null flag) under
  // `name`, which may point into this event's own names or values.
  // Requires: field_idx < size().
  void Duplicate(std::size_t field_idx, std::string_view name);
  // Replaces the values of `name` by one value (or adds it).
  void Set(std::string_view name, std::string_view value);
  // Renames every field called `from` (exact) to `to`; returns how many.
  int Rename(std::string_view from, std::string_view to);

  // The first field called `name` (exact, then case-insensitive), or null.
  const EventField* Find(std::string_view name) const;
  // Calls fn(const EventField&) for every field called `name` (exact matches
  // if any exist, otherwise case-insensitive ones).
  template <typename Fn>
  void ForEach(std::string_view name, Fn&& fn) const {
    bool exact = false;
    for (std::size_t field_idx = 0; field_idx < size_; ++field_idx) {
      if (fields_[field_idx].name == name) {
        exact = true;
        fn(fields_[field_idx]);
      }
    }
    if (exact) return;
    for (std::size_t field_idx = 0; field_idx < size_; ++field_idx) {
      if (EqualsIgnoreCase(fields_[field_idx].name, name)) fn(fields_[field_idx]);
    }
  }

  std::span<const EventField> fields() const { return {fields_.data(), size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Forgets all fields and metadata but keeps the allocated memory.
  void Clear();
  // Makes this a copy of `other`, reusing this event's memory (the default
  // copy assignment would also copy `other`'s spare capacity).
  void CopyFrom(const Event& other);

  // When the record happened, if the reader could tell.
  std::optional<Timestamp> time;
  // Where the record came from, for reports: "Security.evtx#record 4711",
  // "auth.log:17", "stdin:3".
  std::string origin;

  static bool EqualsIgnoreCase(std::string_view a, std::string_view b);

  // The bounds on what a reused Event keeps between records (see above).
  static constexpr std::size_t kRetainedValueBytes = std::size_t{16} << 10;
  static constexpr std::size_t kRetainedFields = 1024;
  // Bytes held by the field buffers, in use and spare (names, values and
  // the slots themselves), for tests and benchmarks of the bounds. O(slots).
  std::size_t retained_bytes() const;

 private:
  EventField& Append(std::string_view name);
  // With no field in use: releases what exceeds the bounds among the slots
  // used since the last call.
  void ReleaseOversized();

  std::vector<EventField> fields_;  // [0, size_) in use, the rest is spare capacity
  std::size_t size_ = 0;
  std::size_t touched_ = 0;  // slots [0, touched_) may have grown since the last ReleaseOversized
};

// A case-insensitive index of one Event's field names, for code that looks
// up many names in the same event (Event::Find is a linear scan).
// Contract: after Reset(event), Find(event, name) answers exactly as
// event.Find(name) does, as long as the event's fields change only by
// Add/AddNull/Duplicate followed by Update(event); any other change (Set,
// Rename, Clear) requires Reset again. Reuses its memory; not thread-safe.
// Cost: O(fields) to build and O(1) per look-up for any event: a repeated
// name (a JSON array of a million elements) or many case variants of one
// name are one entry each, and the hash is seeded per process, so names
// cannot be built to collide. Should a probe sequence still pass
// kMaxProbes, Find falls back to Event::Find (a linear scan).
class EventFieldIndex {
 public:
  void Reset(const Event& event);
  // Indexes the fields appended since Reset or the last Update.
  void Update(const Event& event);
  const EventField* Find(const Event& event, std::string_view name) const;
  // Whether a field called `name` exists (any case).
  bool Contains(const Event& event, std::string_view name) const { return Find(event, name) != nullptr; }

 private:
  static constexpr std::size_t kMaxProbes = 64;
  // Open addressing: generation << 32 | field index; an entry of another
  // generation is empty, so Reset need not clear the table. One entry per
  // distinct name (exact_) and per distinct case-folded name (folded_), the
  // name's first field.
  struct Table {
    std::vector<std::uint64_t> slots;
    std::vector<std::uint64_t> hashes;  // per indexed field
    // False when the probe sequence grew past kMaxProbes.
    bool Insert(const Event& event, std::uint32_t field_idx, bool fold, std::uint32_t generation);
    const EventField* Find(const Event& event, std::string_view name, bool fold, std::uint32_t generation,
                           std::size_t indexed) const;
  };
  void Grow(const Event& event, std::size_t fields);
  void Insert(const Event& event, std::uint32_t field_idx);
  Table exact_;
  Table folded_;
  std::size_t indexed_ = 0;
  std::uint32_t generation_ = 0;
  bool degraded_ = false;  // Find scans the event
};

}  // namespace dv
