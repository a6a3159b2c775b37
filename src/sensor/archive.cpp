// SPDX-License-Identifier: Apache-2.0
#include "sensor/archive.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace dv::sensor {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::string_view kPrefix = "events-";
constexpr std::string_view kSuffix = ".jsonl";

// The start time in a segment's file name, or -1 when it is not a segment.
std::int64_t SegmentStart(const fs::path& path) {
  const std::string name = path.filename().string();
  if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) || !name.ends_with(kSuffix)) {
    return -1;
  }
  const char* begin = name.data() + kPrefix.size();
  const char* end = name.data() + name.size() - kSuffix.size();
  std::int64_t ms = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, ms);
  if (ec != std::errc() || ptr != end) return -1;
  return ms;
}

std::string SegmentName(std::int64_t ms) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%013lld", static_cast<long long>(ms));
  return std::string(kPrefix) + digits + std::string(kSuffix);
}

}  // namespace

EventArchive::EventArchive(fs::path dir, ArchiveOptions options) : dir_(std::move(dir)), options_(options) {}

Result<EventArchive> EventArchive::Open(fs::path dir, ArchiveOptions options) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::Io("archive '" + dir.string() + "': " + ec.message());
  return EventArchive(std::move(dir), options);
}

std::string EventArchive::EncodeEvent(const Event& event) {
  Json fields = Json::array();
  for (const auto& field : event.fields()) {
    fields.push_back(field.is_null ? Json::array({field.name, nullptr}) : Json::array({field.name, field.value}));
  }
  const Json line = {{"t", event.time ? Json(event.time->ToRfc3339()) : Json()}, {"o", event.origin}, {"f", fields}};
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool EventArchive::DecodeEvent(std::string_view line, Event& event) {
  event.Clear();
  event.time.reset();
  event.origin.clear();
  const Json parsed = Json::parse(line, nullptr, false);
  if (!parsed.is_object()) return false;
  const auto time = parsed.find("t");
  const auto origin = parsed.find("o");
  const auto fields = parsed.find("f");
  if (time == parsed.end() || origin == parsed.end() || !origin->is_string() || fields == parsed.end() ||
      !fields->is_array()) {
    return false;
  }
  if (time->is_string()) {
    auto parsed_time = Timestamp::Parse(time->get<std::string>());
    if (!parsed_time.ok()) return false;
    event.time = *parsed_time;
  } else if (!time->is_null()) {
    return false;
  }
  event.origin = origin->get<std::string>();
  for (const auto& field : *fields) {
    if (!field.is_array() || field.size() != 2 || !field[0].is_string()) return false;
    if (field[1].is_null()) {
      event.AddNull(field[0].get<std::string>());
    } else if (field[1].is_string()) {
      event.Add(field[0].get<std::string>(), field[1].get<std::string>());
    } else {
      return false;
    }
  }
  return true;
}

Status EventArchive::OpenSegment(Timestamp now) {
  if (current_.is_open()) current_.close();
  std::int64_t start = now.unix_ms();
  for (const auto& segment : Segments()) start = std::max(start, SegmentStart(segment) + 1);
  current_path_ = dir_ / SegmentName(start);
  current_.open(current_path_, std::ios::binary | std::ios::app);
  if (!current_) return Error::Io("archive segment '" + current_path_.string() + "' cannot be opened for writing");
  current_bytes_ = 0;
  current_start_ = Timestamp(start);
  return Ok();
}

Status EventArchive::Append(const Event& event, Timestamp now) {
  if (!current_.is_open() || current_bytes_ >= options_.segment_bytes ||
      now.unix_ms() - current_start_.unix_ms() >= options_.segment_span.count()) {
    DV_TRY(OpenSegment(now));
  }
  const std::string line = EncodeEvent(event);
  current_ << line << '\n';
  if (!current_) return Error::Io("archive segment '" + current_path_.string() + "': write failed");
  current_bytes_ += line.size() + 1;
  return Ok();
}

Status EventArchive::Flush() {
  if (!current_.is_open()) return Ok();
  current_.flush();
  if (!current_) return Error::Io("archive segment '" + current_path_.string() + "': flush failed");
  return Ok();
}

std::vector<fs::path> EventArchive::Segments() const {
  std::vector<std::pair<std::int64_t, fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::int64_t start = SegmentStart(entry.path());
    if (start >= 0 && entry.is_regular_file(ec)) found.emplace_back(start, entry.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  out.reserve(found.size());
  for (auto& [start, path] : found) out.push_back(std::move(path));
  return out;
}

Result<std::uint64_t> EventArchive::SizeBytes() const {
  std::uint64_t total = 0;
  for (const auto& segment : Segments()) {
    std::error_code ec;
    const auto size = fs::file_size(segment, ec);
    if (ec) return Error::Io("archive segment '" + segment.string() + "': " + ec.message());
    total += size;
  }
  return total;
}

Result<std::size_t> EventArchive::Prune(Timestamp now) {
  DV_TRY(Flush());
  auto segments = Segments();
  std::size_t deleted = 0;
  auto remove = [&](const fs::path& segment) -> Status {
    if (segment == current_path_ && current_.is_open()) current_.close();
    std::error_code ec;
    fs::remove(segment, ec);
    if (ec) return Error::Io("archive segment '" + segment.string() + "' cannot be deleted: " + ec.message());
    ++deleted;
    return Ok();
  };
  const std::int64_t oldest_kept =
      now.unix_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(options_.max_age).count();
  std::vector<std::pair<fs::path, std::uint64_t>> kept;
  std::uint64_t total = 0;
  for (const auto& segment : segments) {
    if (SegmentStart(segment) + options_.segment_span.count() < oldest_kept) {
      DV_TRY(remove(segment));
      continue;
    }
    std::error_code ec;
    const auto size = fs::file_size(segment, ec);
    if (ec) return Error::Io("archive segment '" + segment.string() + "': " + ec.message());
    kept.emplace_back(segment, size);
    total += size;
  }
  for (std::size_t segment_idx = 0; segment_idx < kept.size() && total > options_.max_bytes; ++segment_idx) {
    DV_TRY(remove(kept[segment_idx].first));
    total -= kept[segment_idx].second;
  }
  return deleted;
}

Result<ArchiveScanStats> EventArchive::Scan(const std::function<void(Event&)>& on_event) {
  DV_TRY(Flush());
  ArchiveScanStats stats;
  Event event;
  for (const auto& segment : Segments()) {
    std::ifstream in(segment, std::ios::binary);
    if (!in) return Error::Io("archive segment '" + segment.string() + "' cannot be opened for reading");
    ++stats.segments;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      if (!DecodeEvent(line, event)) {
        ++stats.bad_lines;
        continue;
      }
      ++stats.events;
      on_event(event);
    }
  }
  return stats;
}

}  // namespace dv::sensor
