// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a sensor remembers between pulls and between runs:
//
// - PullState: per collection, the X-TAXII-Date-Added-Last of the newest
//   object it has received, sent back as added_after on the next pull so that
//   only what is new is transferred.
// - IndicatorCache: the latest version of every indicator received, so that
//   a restarted sensor matches with the full set after an incremental pull.
//
// Files (docs/sensor.md) in the sensor's state folder: state.json
// {"collections": {"<id>": {"added_after": "<RFC 3339>"}}} and
// indicators.jsonl (one STIX indicator per line). Both are written to a
// temporary file and renamed, so a crash leaves the old or the new file.
// Pure apart from Load/Save; not thread-safe.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace dv::sensor {

class PullState {
 public:
  // The added_after to send for `collection_id`; empty before the first pull.
  std::string AddedAfter(const std::string& collection_id) const;
  // Records a page's X-TAXII-Date-Added-Last. Keeps the later of the stored
  // and the given time; ignores an empty or unparsable value and returns false.
  bool Advance(const std::string& collection_id, const std::string& date_added_last);

  std::string ToJson() const;
  static Result<PullState> FromJson(const std::string& text, const std::string& where);

 private:
  std::map<std::string, std::string> added_after_;
};

struct MergeOutcome {
  std::vector<std::string> added;    // ids new to the cache, or whose version changed
  std::vector<std::string> removed;  // ids revoked, or no longer indicators of a supported kind
  std::size_t unchanged = 0;         // same or older versions
  std::size_t ignored = 0;           // not indicators, or not valid JSON with an id
};

class IndicatorCache {
 public:
  // Takes in objects as received (JSON text). An object replaces the cached
  // one with the same id when its `modified` is later; a revoked one removes it.
  MergeOutcome Merge(const std::vector<std::string>& objects);
  // The cached objects as one JSON array, for ParseIndicators; only the given
  // ids when `only` is non-empty.
  std::string ToJsonArray(const std::vector<std::string>& only = {}) const;
  // Like ToJsonArray, keeping only the objects for which keep(id,
  // pattern_type) is true ("stix" when the object names no pattern_type).
  using Keep = std::function<bool(const std::string& id, const std::string& pattern_type)>;
  std::string ToJsonArray(const Keep& keep, const std::vector<std::string>& only = {}) const;
  // The pattern_type of a cached object, or empty when it is not cached.
  std::string PatternType(const std::string& id) const;
  // The `created_by_ref` of a cached object (who published it), or empty
  // when it names none or is not cached.
  std::string Publisher(const std::string& id) const;
  std::size_t size() const { return objects_.size(); }

  std::string ToJsonLines() const;
  static IndicatorCache FromJsonLines(const std::string& text);

 private:
  struct Entry {
    std::string modified;
    std::string json;
    std::string pattern_type;
    std::string created_by_ref;
  };
  std::map<std::string, Entry> objects_;
};

// Writes `text` to `path` through a temporary file beside it ("<path>.tmp")
// renamed over it, so a reader sees the old or the new file, never a part.
Status WriteFileAtomically(const std::filesystem::path& path, const std::string& text);

// Reads and writes the state folder. A missing file is an empty state.
Result<PullState> LoadPullState(const std::filesystem::path& dir);
Status SavePullState(const std::filesystem::path& dir, const PullState& state);
Result<IndicatorCache> LoadIndicatorCache(const std::filesystem::path& dir);
Status SaveIndicatorCache(const std::filesystem::path& dir, const IndicatorCache& cache);

}  // namespace dv::sensor
