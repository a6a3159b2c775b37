// SPDX-License-Identifier: Apache-2.0
#pragma once

// A member's feed history: every serial the hub gave the member's feed, with
// what it added and withdrawn (and why). Internal to the protection module.
//
// The history is the version list of the member's `protection.serial` record
// (store/record.h): each version holds one serial, the digest of the feed's
// content and the delta from the previous serial — never the whole feed, so
// a feed that changes often costs its changes, not its size. The entries at
// any serial are the deltas replayed from the first version (ReplayTo); the
// rollback of a member and the national freeze serve such a replayed set.
//
// Record body (JSON object):
//   {"serial": N, "digest": "…", "enforced": n, "monitored": m,
//    "added": [Change…], "withdrawn": [Change…], "rollback_to": S (optional)}
//   Change: {"kind": "domain"|"network"|"url", "value": "…",
//            "part": "enforce"|"monitor", "indicators": ["indicator--…"],
//            "reason": "…" (withdrawn only)}
// A version written before the history existed ({"serial", "digest"} only)
// is a serial without a delta.

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "protect/feed.h"
#include "store/record.h"

namespace dv::hub::protection {

using Json = nlohmann::json;

// One entry as the history records it.
struct RecordedEntry {
  protect::EntryKind kind = protect::EntryKind::kDomain;
  std::string value;
  bool enforce = false;
  std::vector<std::string> indicators;
};

// Entries by "kind|value".
using EntrySet = std::map<std::string, RecordedEntry>;
std::string EntryKey(protect::EntryKind kind, const std::string& value);

struct Change {
  RecordedEntry entry;
  std::string reason;  // withdrawn only
};

struct SerialVersion {
  std::int64_t serial = 0;
  std::string digest;
  Timestamp at;
  std::int64_t record_version = 0;
  std::size_t enforced = 0;
  std::size_t monitored = 0;
  std::vector<Change> added;
  std::vector<Change> withdrawn;
  std::optional<std::int64_t> rollback_to;
};

// The entries of a built feed (both parts), with the indicator ids behind each.
EntrySet EntriesOf(const protect::Feed& feed, const std::vector<protect::Candidate>& candidates);

// The changes from `before` to `after`: added (new, or moved between the
// parts), withdrawn (gone, or moved); `reason` names why a withdrawn entry
// went (called once per withdrawn entry that did not move).
struct Delta {
  std::vector<Change> added;
  std::vector<Change> withdrawn;
};
Delta Diff(const EntrySet& before, const EntrySet& after,
           const std::function<std::string(const RecordedEntry&)>& reason);

Json VersionBody(const SerialVersion& version);
// A version from a stored record; kInvalidArgument naming the field for a body
// that is not one (the record is then skipped by the callers, and counted).
Result<SerialVersion> VersionFromRecord(const Record& record);

// Applies `version`'s delta to `entries`.
void Apply(const SerialVersion& version, EntrySet& entries);

// A Feed holding `entries` (for the zone and list writers), with one
// candidate per indicator id so that the mapping names them. Values were
// validated when they were first built; a network value that no longer
// parses is dropped.
struct ReplayedFeed {
  protect::Feed feed;
  std::vector<protect::Candidate> candidates;
};
ReplayedFeed FeedOf(const EntrySet& entries);

Json ChangeJson(const Change& change);

}  // namespace dv::hub::protection
