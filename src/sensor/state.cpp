// SPDX-License-Identifier: Apache-2.0
#include "sensor/state.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/time.h"

namespace dv::sensor {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kStateFile = "state.json";
constexpr const char* kIndicatorFile = "indicators.jsonl";

// The file's text, or empty when it does not exist.
Result<std::string> ReadIfPresent(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Io("'" + path.string() + "' cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Status WriteFileAtomically(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return Error::Io("'" + temporary.string() + "': write failed");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return Error::Io("'" + path.string() + "': cannot replace: " + ec.message());
  return Ok();
}

std::string PullState::AddedAfter(const std::string& collection_id) const {
  const auto it = added_after_.find(collection_id);
  return it == added_after_.end() ? std::string() : it->second;
}

bool PullState::Advance(const std::string& collection_id, const std::string& date_added_last) {
  const auto given = Timestamp::Parse(date_added_last);
  if (!given.ok()) return false;
  std::string& stored = added_after_[collection_id];
  if (!stored.empty()) {
    const auto current = Timestamp::Parse(stored);
    // Equal at millisecond precision: the finer text decides (both are the hub's own format).
    if (current.ok() && (*given < *current || (*given == *current && date_added_last < stored))) return true;
  }
  stored = date_added_last;
  return true;
}

std::string PullState::ToJson() const {
  Json collections = Json::object();
  for (const auto& [id, added_after] : added_after_) collections[id] = {{"added_after", added_after}};
  return Json{{"collections", collections}}.dump(2) + "\n";
}

Result<PullState> PullState::FromJson(const std::string& text, const std::string& where) {
  const Json parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_object()) return Error::Parse(where + ": not a JSON object");
  PullState state;
  const auto collections = parsed.find("collections");
  if (collections == parsed.end()) return state;
  if (!collections->is_object()) return Error::Parse(where + ": 'collections' is not an object");
  for (const auto& [id, entry] : collections->items()) {
    if (!entry.is_object() || !entry.contains("added_after") || !entry["added_after"].is_string() ||
        !Timestamp::Parse(entry["added_after"].get<std::string>()).ok()) {
      return Error::Parse(where + ": collections['" + id + "'].added_after is not an RFC 3339 timestamp");
    }
    state.added_after_[id] = entry["added_after"].get<std::string>();
  }
  return state;
}

MergeOutcome IndicatorCache::Merge(const std::vector<std::string>& objects) {
  MergeOutcome outcome;
  for (const auto& text : objects) {
    const Json object = Json::parse(text, nullptr, false);
    if (!object.is_object() || object.value("type", "") != "indicator" || !object.contains("id") ||
        !object["id"].is_string()) {
      ++outcome.ignored;
      continue;
    }
    const std::string id = object["id"].get<std::string>();
    const std::string modified = object.value("modified", object.value("created", std::string()));
    const auto it = objects_.find(id);
    if (it != objects_.end()) {
      const auto old_time = Timestamp::Parse(it->second.modified);
      const auto new_time = Timestamp::Parse(modified);
      if (!new_time.ok() || (old_time.ok() && !(*old_time < *new_time))) {
        ++outcome.unchanged;
        continue;
      }
    }
    if (object.value("revoked", false)) {
      if (it != objects_.end()) {
        objects_.erase(it);
        outcome.removed.push_back(id);
      } else {
        ++outcome.unchanged;
      }
      continue;
    }
    const auto pattern_type = object.find("pattern_type");
    const auto created_by_ref = object.find("created_by_ref");
    objects_[id] =
        Entry{modified, object.dump(),
              pattern_type != object.end() && pattern_type->is_string() ? pattern_type->get<std::string>()
                                                                        : std::string("stix"),
              created_by_ref != object.end() && created_by_ref->is_string() ? created_by_ref->get<std::string>()
                                                                            : std::string()};
    outcome.added.push_back(id);
  }
  return outcome;
}

std::string IndicatorCache::ToJsonArray(const std::vector<std::string>& only) const {
  return ToJsonArray(Keep(), only);
}

std::string IndicatorCache::PatternType(const std::string& id) const {
  const auto it = objects_.find(id);
  return it == objects_.end() ? std::string() : it->second.pattern_type;
}

std::string IndicatorCache::Publisher(const std::string& id) const {
  const auto it = objects_.find(id);
  return it == objects_.end() ? std::string() : it->second.created_by_ref;
}

std::string IndicatorCache::ToJsonArray(const Keep& keep, const std::vector<std::string>& only) const {
  std::string out = "[";
  bool first = true;
  auto append = [&](const std::string& id, const Entry& entry) {
    if (keep && !keep(id, entry.pattern_type)) return;
    if (!first) out += ',';
    first = false;
    out += entry.json;
  };
  if (only.empty()) {
    for (const auto& [id, entry] : objects_) append(id, entry);
  } else {
    for (const auto& id : only) {
      if (const auto it = objects_.find(id); it != objects_.end()) append(id, it->second);
    }
  }
  return out + "]";
}

std::string IndicatorCache::ToJsonLines() const {
  std::string out;
  for (const auto& [id, entry] : objects_) out += entry.json + "\n";
  return out;
}

IndicatorCache IndicatorCache::FromJsonLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  IndicatorCache cache;
  (void)cache.Merge(lines);
  return cache;
}

Result<PullState> LoadPullState(const fs::path& dir) {
  auto text = ReadIfPresent(dir / kStateFile);
  if (!text.ok()) return text.error();
  if (text->empty()) return PullState();
  return PullState::FromJson(*text, (dir / kStateFile).string());
}

Status SavePullState(const fs::path& dir, const PullState& state) {
  return WriteFileAtomically(dir / kStateFile, state.ToJson());
}

Result<IndicatorCache> LoadIndicatorCache(const fs::path& dir) {
  auto text = ReadIfPresent(dir / kIndicatorFile);
  if (!text.ok()) return text.error();
  return IndicatorCache::FromJsonLines(*text);
}

Status SaveIndicatorCache(const fs::path& dir, const IndicatorCache& cache) {
  return WriteFileAtomically(dir / kIndicatorFile, cache.ToJsonLines());
}

}  // namespace dv::sensor
