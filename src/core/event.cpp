// SPDX-License-Identifier: Apache-2.0
#include "core/event.h"

#include <algorithm>

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

// FNV-1a over the ASCII-lowercased name: equal for names that
// Event::EqualsIgnoreCase calls equal.
std::uint64_t FoldedNameHash(std::string_view name) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

void EventFieldIndex::Reset(const Event& event) {
  indexed_ = 0;
  if (++generation_ == 0) {  // wrapped: forget every entry
    std::fill(table_.begin(), table_.end(), 0);
    generation_ = 1;
  }
  Update(event);
}

void EventFieldIndex::Grow(std::size_t fields) {
  // Room for the event to double (normalization adds short names and
  // aliases) before the table grows again.
  std::size_t size = std::max<std::size_t>(64, table_.size());
  while (size < fields * 4) size *= 2;
  table_.assign(size, 0);
  for (std::size_t field_idx = 0; field_idx < indexed_; ++field_idx) {
    Insert(hashes_[field_idx], static_cast<std::uint32_t>(field_idx));
  }
}

void EventFieldIndex::Insert(std::uint64_t hash, std::uint32_t field_idx) {
  const std::size_t mask = table_.size() - 1;
  std::size_t pos = static_cast<std::size_t>(hash) & mask;
  while ((table_[pos] >> 32) == generation_) pos = (pos + 1) & mask;
  table_[pos] = (static_cast<std::uint64_t>(generation_) << 32) | field_idx;
}

void EventFieldIndex::Update(const Event& event) {
  const auto fields = event.fields();
  if (fields.size() <= indexed_) return;
  if (fields.size() * 2 > table_.size()) Grow(fields.size());
  hashes_.resize(std::max(hashes_.size(), fields.size()));
  for (std::size_t field_idx = indexed_; field_idx < fields.size(); ++field_idx) {
    hashes_[field_idx] = FoldedNameHash(fields[field_idx].name);
    Insert(hashes_[field_idx], static_cast<std::uint32_t>(field_idx));
  }
  indexed_ = fields.size();
}

const EventField* EventFieldIndex::Find(const Event& event, std::string_view name) const {
  if (table_.empty()) return nullptr;
  const auto fields = event.fields();
  const std::uint64_t hash = FoldedNameHash(name);
  const std::size_t mask = table_.size() - 1;
  // The lowest exact match, else the lowest case-insensitive one, as
  // Event::Find answers.
  std::uint32_t exact = UINT32_MAX;
  std::uint32_t folded = UINT32_MAX;
  for (std::size_t pos = static_cast<std::size_t>(hash) & mask; (table_[pos] >> 32) == generation_;
       pos = (pos + 1) & mask) {
    const auto field_idx = static_cast<std::uint32_t>(table_[pos]);
    if (field_idx >= indexed_ || hashes_[field_idx] != hash || field_idx >= fields.size()) continue;
    const std::string& field_name = fields[field_idx].name;
    if (field_name == name) {
      exact = std::min(exact, field_idx);
    } else if (Event::EqualsIgnoreCase(field_name, name)) {
      folded = std::min(folded, field_idx);
    }
  }
  if (exact != UINT32_MAX) return &fields[exact];
  if (folded != UINT32_MAX) return &fields[folded];
  return nullptr;
}

}  // namespace dv
