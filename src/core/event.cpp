// SPDX-License-Identifier: Apache-2.0
#include "core/event.h"

#include <algorithm>
#include <random>

namespace dv {

bool Event::EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t pos = 0; pos < a.size(); ++pos) {
    char ca = a[pos];
    char cb = b[pos];
    if (ca >= 'A' && ca <= 'Z') ca = static_cast<char>(ca + 32);
    if (cb >= 'A' && cb <= 'Z') cb = static_cast<char>(cb + 32);
    if (ca != cb) return false;
  }
  return true;
}

EventField& Event::Append(std::string_view name) {
  if (size_ == fields_.size()) fields_.emplace_back();
  EventField& field = fields_[size_++];
  touched_ = std::max(touched_, size_);
  field.name.assign(name);
  field.value.clear();
  field.is_null = false;
  return field;
}

void Event::Add(std::string_view name, std::string_view value) { Append(name).value.assign(value); }

void Event::Duplicate(std::size_t field_idx, std::string_view name) {
  if (size_ == fields_.size()) {
    // Growing moves the fields, and with them what `name` may point into.
    const std::string stable(name);
    fields_.emplace_back();
    Duplicate(field_idx, stable);
    return;
  }
  EventField& field = fields_[size_++];
  touched_ = std::max(touched_, size_);
  field.name.assign(name);
  field.value.assign(fields_[field_idx].value);
  field.is_null = fields_[field_idx].is_null;
}

void Event::AddNull(std::string_view name) { Append(name).is_null = true; }

void Event::Set(std::string_view name, std::string_view value) {
  std::size_t kept = 0;
  bool placed = false;
  for (std::size_t field_idx = 0; field_idx < size_; ++field_idx) {
    if (fields_[field_idx].name == name) {
      if (placed) continue;  // drop later duplicates
      fields_[field_idx].value.assign(value);
      fields_[field_idx].is_null = false;
      placed = true;
    }
    if (kept != field_idx) std::swap(fields_[kept], fields_[field_idx]);
    ++kept;
  }
  size_ = kept;
  if (!placed) Add(name, value);
}

int Event::Rename(std::string_view from, std::string_view to) {
  int renamed = 0;
  for (std::size_t field_idx = 0; field_idx < size_; ++field_idx) {
    if (fields_[field_idx].name == from) {
      fields_[field_idx].name.assign(to);
      ++renamed;
    }
  }
  return renamed;
}

const EventField* Event::Find(std::string_view name) const {
  const EventField* found = nullptr;
  ForEach(name, [&](const EventField& field) {
    if (found == nullptr) found = &field;
  });
  return found;
}

void Event::CopyFrom(const Event& other) {
  size_ = 0;
  ReleaseOversized();
  if (fields_.size() < other.size_) fields_.resize(other.size_);
  for (std::size_t field_idx = 0; field_idx < other.size_; ++field_idx) {
    fields_[field_idx].name.assign(other.fields_[field_idx].name);
    fields_[field_idx].value.assign(other.fields_[field_idx].value);
    fields_[field_idx].is_null = other.fields_[field_idx].is_null;
  }
  size_ = other.size_;
  touched_ = size_;
  time = other.time;
  origin.assign(other.origin);
}

void Event::Clear() {
  size_ = 0;
  ReleaseOversized();
  time.reset();
  origin.clear();
}

void Event::ReleaseOversized() {
  for (std::size_t field_idx = 0; field_idx < touched_; ++field_idx) {
    EventField& field = fields_[field_idx];
    if (field.name.capacity() > kRetainedValueBytes) std::string().swap(field.name);
    if (field.value.capacity() > kRetainedValueBytes) std::string().swap(field.value);
  }
  if (origin.capacity() > kRetainedValueBytes) std::string().swap(origin);
  touched_ = 0;
  if (fields_.size() > kRetainedFields) {
    fields_.resize(kRetainedFields);
    fields_.shrink_to_fit();
  }
}

std::size_t Event::retained_bytes() const {
  // Short strings live inside the string object and cost nothing more.
  const std::size_t inline_capacity = std::string().capacity();
  auto heap = [&](const std::string& text) { return text.capacity() > inline_capacity ? text.capacity() + 1 : 0; };
  std::size_t bytes = fields_.capacity() * sizeof(EventField) + heap(origin);
  for (const EventField& field : fields_) bytes += heap(field.name) + heap(field.value);
  return bytes;
}

namespace {

// A per-process random seed, so that names cannot be built in advance to
// share one hash (an event with many such names would make each look-up
// walk them all).
std::uint64_t NameHashSeed() {
  static const std::uint64_t seed = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }();
  return seed;
}

// Seeded FNV-1a, ASCII-lowercased when `fold`, finished with a 64-bit mix.
std::uint64_t NameHash(std::string_view name, bool fold) {
  std::uint64_t hash = 14695981039346656037ULL ^ NameHashSeed();
  for (char c : name) {
    if (fold && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  return hash;
}

}  // namespace

void EventFieldIndex::Reset(const Event& event) {
  indexed_ = 0;
  degraded_ = false;
  if (++generation_ == 0) {  // wrapped: forget every entry
    std::fill(exact_.slots.begin(), exact_.slots.end(), 0);
    std::fill(folded_.slots.begin(), folded_.slots.end(), 0);
    generation_ = 1;
  }
  Update(event);
}

void EventFieldIndex::Grow(const Event& event, std::size_t fields) {
  // Room for the event to double (normalization adds short names and
  // aliases) before the tables grow again.
  std::size_t size = std::max<std::size_t>(64, exact_.slots.size());
  while (size < fields * 4) size *= 2;
  exact_.slots.assign(size, 0);
  folded_.slots.assign(size, 0);
  for (std::size_t field_idx = 0; field_idx < indexed_ && !degraded_; ++field_idx) {
    Insert(event, static_cast<std::uint32_t>(field_idx));
  }
}

bool EventFieldIndex::Table::Insert(const Event& event, std::uint32_t field_idx, bool fold, std::uint32_t generation) {
  const auto fields = event.fields();
  const std::uint64_t hash = hashes[field_idx];
  const std::size_t mask = slots.size() - 1;
  std::size_t pos = static_cast<std::size_t>(hash) & mask;
  for (std::size_t probes = 0; (slots[pos] >> 32) == generation; ++probes, pos = (pos + 1) & mask) {
    // A name already indexed (a JSON array gives one field per element, in
    // order) is answered by its first field, whose index is lower.
    const auto other = static_cast<std::uint32_t>(slots[pos]);
    if (hashes[other] == hash && (fold ? Event::EqualsIgnoreCase(fields[other].name, fields[field_idx].name)
                                       : fields[other].name == fields[field_idx].name)) {
      return true;
    }
    if (probes == kMaxProbes) return false;
  }
  slots[pos] = (static_cast<std::uint64_t>(generation) << 32) | field_idx;
  return true;
}

const EventField* EventFieldIndex::Table::Find(const Event& event, std::string_view name, bool fold,
                                               std::uint32_t generation, std::size_t indexed) const {
  if (slots.empty()) return nullptr;
  const auto fields = event.fields();
  const std::uint64_t hash = NameHash(name, fold);
  const std::size_t mask = slots.size() - 1;
  for (std::size_t pos = static_cast<std::size_t>(hash) & mask; (slots[pos] >> 32) == generation;
       pos = (pos + 1) & mask) {
    const auto field_idx = static_cast<std::uint32_t>(slots[pos]);
    if (field_idx >= indexed || field_idx >= fields.size() || hashes[field_idx] != hash) continue;
    const std::string& field_name = fields[field_idx].name;
    if (fold ? Event::EqualsIgnoreCase(field_name, name) : field_name == name) return &fields[field_idx];
  }
  return nullptr;
}

void EventFieldIndex::Insert(const Event& event, std::uint32_t field_idx) {
  if (!exact_.Insert(event, field_idx, false, generation_) || !folded_.Insert(event, field_idx, true, generation_)) {
    degraded_ = true;  // never seen but by chance: answer by scanning
  }
}

void EventFieldIndex::Update(const Event& event) {
  const auto fields = event.fields();
  if (fields.size() <= indexed_ || degraded_) {
    indexed_ = std::max(indexed_, fields.size());
    return;
  }
  if (fields.size() * 2 > exact_.slots.size()) Grow(event, fields.size());
  exact_.hashes.resize(std::max(exact_.hashes.size(), fields.size()));
  folded_.hashes.resize(std::max(folded_.hashes.size(), fields.size()));
  for (std::size_t field_idx = indexed_; field_idx < fields.size() && !degraded_; ++field_idx) {
    exact_.hashes[field_idx] = NameHash(fields[field_idx].name, false);
    folded_.hashes[field_idx] = NameHash(fields[field_idx].name, true);
    Insert(event, static_cast<std::uint32_t>(field_idx));
  }
  indexed_ = fields.size();
}

const EventField* EventFieldIndex::Find(const Event& event, std::string_view name) const {
  if (degraded_) return event.Find(name);
  // The first field of exactly this name, else the first of any case: as
  // Event::Find answers.
  if (const EventField* exact = exact_.Find(event, name, false, generation_, indexed_); exact != nullptr) return exact;
  return folded_.Find(event, name, true, generation_, indexed_);
}

}  // namespace dv
