// SPDX-License-Identifier: Apache-2.0
#include "ingest/zeek_parser.h"

#include "ingest/log_time.h"
#include "ingest/network_json.h"

namespace dv {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Resolves Zeek's "\xHH" escapes into `out`; other bytes are kept.
void Unescape(std::string_view raw, std::string& out) {
  out.clear();
  for (std::size_t pos = 0; pos < raw.size(); ++pos) {
    if (raw[pos] == '\\' && pos + 3 < raw.size() && raw[pos + 1] == 'x') {
      const int high = HexDigit(raw[pos + 2]);
      const int low = HexDigit(raw[pos + 3]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        pos += 3;
        continue;
      }
    }
    out.push_back(raw[pos]);
  }
}

template <typename Fn>
void ForEachPart(std::string_view text, char separator, Fn&& fn) {
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    fn(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return;
    start = end + 1;
  }
}

}  // namespace

void ZeekTsvParser::Reset() {
  active_ = false;
  closed_ = false;
  separator_ = '\t';
  set_separator_ = ",";
  empty_field_ = "(empty)";
  unset_field_ = "-";
  path_.clear();
  dataset_.clear();
  fields_.clear();
  is_set_.clear();
  ts_column_ = static_cast<std::size_t>(-1);
  records_since_fields_ = 0;
}

bool ZeekTsvParser::Claims(std::string_view line) const {
  if (line.starts_with("#separator ") || line.starts_with("#fields")) return true;
  if (!active_) return false;
  std::size_t first = 0;
  while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
  return first >= line.size() || line[first] != '{';
}

Status ZeekTsvParser::ParseLine(std::string_view line, Event& event, bool& is_header) {
  event.Clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  is_header = !line.empty() && line.front() == '#';
  if (is_header) {
    active_ = true;
    return ParseHeader(line);
  }
  if (fields_.empty()) return Error::Parse("record before any #fields header");
  if (closed_) return Error::Parse("record after #close without a new #fields header");
  columns_.clear();
  bool too_many = false;
  ForEachPart(line, separator_, [&](std::string_view column) {
    if (columns_.size() > fields_.size()) {
      too_many = true;
      return;
    }
    columns_.push_back(column);
  });
  if (too_many || columns_.size() != fields_.size()) {
    return Error::Parse(std::string(too_many ? "more than " : "") + std::to_string(columns_.size()) +
                        " columns, but #fields names " + std::to_string(fields_.size()));
  }
  ++records_since_fields_;
  for (std::size_t column_idx = 0; column_idx < columns_.size(); ++column_idx) {
    AddValue(fields_[column_idx], columns_[column_idx], is_set_[column_idx], event);
  }
  event.Add("event.module", "zeek");
  if (!dataset_.empty()) event.Add("event.dataset", dataset_);
  if (ts_column_ < columns_.size()) event.time = ParseEpochSeconds(columns_[ts_column_]);
  if (path_ == "http") AddZeekHttpUrl(event);
  return Ok();
}

void ZeekTsvParser::AddValue(std::string_view name, std::string_view raw, bool is_set, Event& event) {
  if (raw == unset_field_) {
    event.AddNull(name);
    return;
  }
  if (raw == empty_field_) {
    event.Add(name, "");
    return;
  }
  auto add_one = [&](std::string_view value) {
    if (value.find("\\x") == std::string_view::npos) {
      event.Add(name, value);
      return;
    }
    Unescape(value, scratch_);
    event.Add(name, scratch_);
  };
  if (!is_set || set_separator_.size() != 1) {
    add_one(raw);
    return;
  }
  ForEachPart(raw, set_separator_[0], add_one);
}

Status ZeekTsvParser::ParseHeader(std::string_view line) {
  if (line.starts_with("#separator ")) {
    Unescape(line.substr(11), scratch_);
    if (scratch_.size() != 1) return Error::Parse("#separator must be one byte, as \\x09");
    separator_ = scratch_[0];
    return Ok();
  }
  const std::size_t name_end = line.find(separator_);
  const std::string_view name = line.substr(0, name_end);
  const std::string_view value = name_end == std::string_view::npos ? std::string_view() : line.substr(name_end + 1);
  if (name == "#set_separator") {
    Unescape(value, set_separator_);
  } else if (name == "#empty_field") {
    Unescape(value, empty_field_);
  } else if (name == "#unset_field") {
    Unescape(value, unset_field_);
  } else if (name == "#path") {
    Unescape(value, path_);
    dataset_ = path_.empty() ? std::string() : "zeek." + path_;
  } else if (name == "#open") {
    closed_ = false;
  } else if (name == "#close") {
    closed_ = true;
  } else if (name == "#fields") {
    std::vector<std::string> fields;
    bool too_many = false;
    ForEachPart(value, separator_, [&](std::string_view field) {
      if (fields.size() >= kMaxColumns) {
        too_many = true;
        return;
      }
      Unescape(field, scratch_);
      fields.push_back(scratch_);
    });
    if (too_many) {
      fields_.clear();
      is_set_.clear();
      return Error::Parse("#fields names more than " + std::to_string(kMaxColumns) +
                          " columns; records are skipped until the next #fields");
    }
    const bool changed = records_since_fields_ > 0 && fields != fields_;
    const std::size_t old_count = fields_.size();
    fields_ = std::move(fields);
    is_set_.assign(fields_.size(), false);
    ts_column_ = static_cast<std::size_t>(-1);
    for (std::size_t column_idx = 0; column_idx < fields_.size(); ++column_idx) {
      if (fields_[column_idx] == "ts") {
        ts_column_ = column_idx;
        break;
      }
    }
    closed_ = false;
    const std::size_t records = records_since_fields_;
    records_since_fields_ = 0;
    if (changed) {
      return Error::Parse("header changed mid-file after " + std::to_string(records) + " records: #fields now names " +
                          std::to_string(fields_.size()) + " columns (was " + std::to_string(old_count) +
                          (path_.empty() ? "" : ", #path " + path_) + "); the lines after it are read with it");
    }
  } else if (name == "#types") {
    std::size_t column_idx = 0;
    ForEachPart(value, separator_, [&](std::string_view type) {
      if (column_idx < is_set_.size()) is_set_[column_idx] = type.starts_with("set[") || type.starts_with("vector[");
      ++column_idx;
    });
    if (column_idx != fields_.size()) {
      return Error::Parse("#types names " + std::to_string(column_idx) + " columns, but #fields names " +
                          std::to_string(fields_.size()));
    }
  } else {
    return Error::Parse("unknown Zeek header line '" + std::string(name.substr(0, 40)) + "'");
  }
  return Ok();
}

}  // namespace dv
