// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/protection/feed_history.h"

#include <algorithm>
#include <set>

#include "protect/value.h"

namespace dv::hub::protection {

namespace {

std::string_view KindName(protect::EntryKind kind) {
  switch (kind) {
    case protect::EntryKind::kDomain:
      return "domain";
    case protect::EntryKind::kNetwork:
      return "network";
    case protect::EntryKind::kUrl:
      return "url";
  }
  return "domain";
}

std::optional<protect::EntryKind> KindFromName(std::string_view name) {
  if (name == "domain") return protect::EntryKind::kDomain;
  if (name == "network") return protect::EntryKind::kNetwork;
  if (name == "url") return protect::EntryKind::kUrl;
  return std::nullopt;
}

Result<Change> ChangeFromJson(const Json& item, const std::string& where) {
  if (!item.is_object()) return Error::InvalidArgument(where + ": must be an object");
  Change change;
  const auto kind =
      item.contains("kind") && item["kind"].is_string() ? KindFromName(item["kind"].get<std::string>()) : std::nullopt;
  if (!kind) return Error::InvalidArgument(where + ".kind: must be domain, network or url");
  change.entry.kind = *kind;
  if (!item.contains("value") || !item["value"].is_string()) {
    return Error::InvalidArgument(where + ".value: must be a string");
  }
  change.entry.value = item["value"].get<std::string>();
  const std::string part = item.value("part", std::string());
  if (part != "enforce" && part != "monitor")
    return Error::InvalidArgument(where + ".part: must be enforce or monitor");
  change.entry.enforce = part == "enforce";
  if (item.contains("indicators") && item["indicators"].is_array()) {
    for (const auto& id : item["indicators"]) {
      if (id.is_string()) change.entry.indicators.push_back(id.get<std::string>());
    }
  }
  if (item.contains("reason") && item["reason"].is_string()) change.reason = item["reason"].get<std::string>();
  return change;
}

}  // namespace

std::string EntryKey(protect::EntryKind kind, const std::string& value) {
  return std::string(KindName(kind)) + "|" + value;
}

EntrySet EntriesOf(const protect::Feed& feed, const std::vector<protect::Candidate>& candidates) {
  EntrySet out;
  for (const bool enforce : {true, false}) {
    for (const auto& entry : enforce ? feed.enforce : feed.monitor) {
      RecordedEntry recorded{entry.kind, entry.value, enforce, protect::EntryIndicatorIds(entry, candidates)};
      out.emplace(EntryKey(entry.kind, entry.value), std::move(recorded));
    }
  }
  return out;
}

Delta Diff(const EntrySet& before, const EntrySet& after,
           const std::function<std::string(const RecordedEntry&)>& reason) {
  Delta delta;
  for (const auto& [key, old_entry] : before) {
    const auto found = after.find(key);
    if (found == after.end()) {
      delta.withdrawn.push_back({old_entry, reason(old_entry)});
    } else if (found->second.enforce != old_entry.enforce) {
      delta.withdrawn.push_back({old_entry, "moved"});
    }
  }
  for (const auto& [key, new_entry] : after) {
    const auto found = before.find(key);
    if (found == before.end() || found->second.enforce != new_entry.enforce) delta.added.push_back({new_entry, ""});
  }
  return delta;
}

Json ChangeJson(const Change& change) {
  Json out = {{"kind", KindName(change.entry.kind)},
              {"value", change.entry.value},
              {"part", change.entry.enforce ? "enforce" : "monitor"},
              {"indicators", change.entry.indicators}};
  if (!change.reason.empty()) out["reason"] = change.reason;
  return out;
}

Json VersionBody(const SerialVersion& version) {
  Json added = Json::array();
  for (const auto& change : version.added) added.push_back(ChangeJson(change));
  Json withdrawn = Json::array();
  for (const auto& change : version.withdrawn) withdrawn.push_back(ChangeJson(change));
  Json body = {{"serial", version.serial},       {"digest", version.digest},  {"enforced", version.enforced},
               {"monitored", version.monitored}, {"added", std::move(added)}, {"withdrawn", std::move(withdrawn)}};
  if (version.rollback_to) body["rollback_to"] = *version.rollback_to;
  return body;
}

Result<SerialVersion> VersionFromRecord(const Record& record) {
  const std::string where = "record " + record.kind + "/" + record.id + " version " + std::to_string(record.version);
  const Json body = Json::parse(record.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return Error::InvalidArgument(where + ": not a JSON object");
  if (!body.contains("serial") || !body["serial"].is_number_integer()) {
    return Error::InvalidArgument(where + ": serial: must be an integer");
  }
  SerialVersion version;
  version.serial = body["serial"].get<std::int64_t>();
  version.digest = body.value("digest", std::string());
  version.at = record.at;
  version.record_version = record.version;
  if (body.contains("enforced") && body["enforced"].is_number_unsigned()) {
    version.enforced = body["enforced"].get<std::size_t>();
  }
  if (body.contains("monitored") && body["monitored"].is_number_unsigned()) {
    version.monitored = body["monitored"].get<std::size_t>();
  }
  for (const auto* name : {"added", "withdrawn"}) {
    if (!body.contains(name)) continue;
    if (!body[name].is_array()) return Error::InvalidArgument(where + ": " + name + ": must be an array");
    for (std::size_t idx = 0; idx < body[name].size(); ++idx) {
      auto change = ChangeFromJson(body[name][idx], where + ": " + name + "[" + std::to_string(idx) + "]");
      if (!change.ok()) return change.error();
      (std::string_view(name) == "added" ? version.added : version.withdrawn).push_back(std::move(change).value());
    }
  }
  if (body.contains("rollback_to") && body["rollback_to"].is_number_integer()) {
    version.rollback_to = body["rollback_to"].get<std::int64_t>();
  }
  return version;
}

void Apply(const SerialVersion& version, EntrySet& entries) {
  for (const auto& change : version.withdrawn) entries.erase(EntryKey(change.entry.kind, change.entry.value));
  for (const auto& change : version.added) {
    entries[EntryKey(change.entry.kind, change.entry.value)] = change.entry;
  }
}

ReplayedFeed FeedOf(const EntrySet& entries) {
  ReplayedFeed out;
  std::map<std::string, std::uint32_t> index;
  for (const auto& [key, recorded] : entries) {
    protect::FeedEntry entry;
    entry.kind = recorded.kind;
    entry.value = recorded.value;
    if (recorded.kind == protect::EntryKind::kNetwork) {
      auto network = protect::ParseNetwork(recorded.value);
      if (!network.ok()) continue;
      entry.network = *network;
    }
    for (const auto& id : recorded.indicators) {
      auto [it, inserted] = index.emplace(id, static_cast<std::uint32_t>(out.candidates.size()));
      if (inserted) {
        protect::Candidate candidate;
        candidate.indicator_id = id;
        candidate.provenance.object_ids.push_back(id);
        out.candidates.push_back(std::move(candidate));
      }
      entry.sources.push_back(it->second);
    }
    std::sort(entry.sources.begin(), entry.sources.end());
    (recorded.enforce ? out.feed.enforce : out.feed.monitor).push_back(std::move(entry));
  }
  // In BuildFeed's order, so the same entries give the same text.
  for (auto* part : {&out.feed.enforce, &out.feed.monitor}) {
    std::sort(part->begin(), part->end(), protect::EntryLess);
  }
  return out;
}

}  // namespace dv::hub::protection
