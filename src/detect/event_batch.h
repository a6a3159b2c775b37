// SPDX-License-Identifier: Apache-2.0
#pragma once

// EventBatch: events packed into one buffer, for handing them from the
// scanner's reader thread to a worker (detect/pipeline.cpp). The reader adds
// a copy of each event; a worker unpacks them one at a time into its own
// reused Event.
//
// Memory: a batch holds what its events hold now. (A batch of reused Events
// would keep in every slot the largest value that slot ever held, and the
// scanner's dozen batches of 512 slots grew with the input.) Reset keeps the
// buffers for the next batch only while they are below a bound.
//
// Not thread-safe; the scanner's queue hands a batch to one thread at a time.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"

namespace dv::detect {

class EventBatch {
 public:
  // Appends a copy of `event`: its fields (names, values, nulls, in order),
  // time and origin.
  void Add(const Event& event);
  // Makes `event` a copy of the `record_idx`-th event added (< count()),
  // reusing `event`'s memory within Event's bounds.
  void Unpack(std::size_t record_idx, Event& event) const;
  // Forgets the events. Each buffer is kept for reuse while its capacity is
  // at most `retained_bytes`, and released otherwise.
  void Reset(std::size_t retained_bytes);

  std::size_t count() const { return records_.size(); }
  // Bytes of names, values and origins held.
  std::size_t bytes() const { return bytes_.size(); }
  // Capacity of the buffers, in use and spare (for tests of the bound).
  std::size_t retained_bytes() const;

  // The reading position of the first event (the scanner's sequence number).
  std::uint64_t first_seq = 0;

 private:
  struct PackedField {
    std::size_t begin = 0;  // the name, then the value, in bytes_
    std::size_t name_size = 0;
    std::size_t value_size = 0;
    bool is_null = false;
  };
  struct Record {
    std::size_t first_field = 0;
    std::size_t field_count = 0;
    std::optional<Timestamp> time;
    std::size_t origin_begin = 0;
    std::size_t origin_size = 0;
  };

  std::string bytes_;
  std::vector<PackedField> fields_;
  std::vector<Record> records_;
};

}  // namespace dv::detect
