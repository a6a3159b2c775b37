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

}  // namespace dv
