// SPDX-License-Identifier: Apache-2.0
#include "detect/event_batch.h"

namespace dv::detect {

void EventBatch::Add(const Event& event) {
  Record record;
  record.first_field = fields_.size();
  record.field_count = event.size();
  record.time = event.time;
  record.origin_begin = bytes_.size();
  record.origin_size = event.origin.size();
  bytes_ += event.origin;
  for (const EventField& field : event.fields()) {
    fields_.push_back({bytes_.size(), field.name.size(), field.value.size(), field.is_null});
    bytes_ += field.name;
    bytes_ += field.value;
  }
  records_.push_back(record);
}

void EventBatch::Unpack(std::size_t record_idx, Event& event) const {
  const Record& record = records_[record_idx];
  event.Clear();
  for (std::size_t field_idx = record.first_field; field_idx < record.first_field + record.field_count; ++field_idx) {
    const PackedField& field = fields_[field_idx];
    const std::string_view name(bytes_.data() + field.begin, field.name_size);
    if (field.is_null) {
      event.AddNull(name);
    } else {
      event.Add(name, std::string_view(bytes_.data() + field.begin + field.name_size, field.value_size));
    }
  }
  event.time = record.time;
  event.origin.assign(bytes_, record.origin_begin, record.origin_size);
}

void EventBatch::Reset(std::size_t retained_bytes) {
  records_.clear();
  fields_.clear();
  bytes_.clear();
  if (bytes_.capacity() > retained_bytes) std::string().swap(bytes_);
  if (fields_.capacity() * sizeof(PackedField) > retained_bytes) std::vector<PackedField>().swap(fields_);
  if (records_.capacity() * sizeof(Record) > retained_bytes) std::vector<Record>().swap(records_);
}

std::size_t EventBatch::retained_bytes() const {
  return bytes_.capacity() + fields_.capacity() * sizeof(PackedField) + records_.capacity() * sizeof(Record);
}

}  // namespace dv::detect
