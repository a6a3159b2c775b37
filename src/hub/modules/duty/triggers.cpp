// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/duty/triggers.h"

#include <algorithm>
#include <optional>

#include "hub/access.h"
#include "incident/deadlines.h"
#include "incident/local_time.h"
#include "incident/stored.h"

namespace dv::hub::duty_triggers {

namespace {

using Json = nlohmann::json;

// Confidence from which a sighting is high rather than medium.
constexpr int kHighConfidence = 85;
// What a subject shows of a name the member chose.
constexpr std::size_t kMaxNameBytes = 80;

// `text` on one line without control characters, cut at a UTF-8 boundary
// to at most `max_bytes` (then ending in "…").
std::string OneLine(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
  }
  if (out.size() <= max_bytes) return out;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  return out + "…";
}

std::string DanishTime(Timestamp at) {
  auto local = incident::ToCopenhagen(at);
  return local.ok() ? local->Danish() : at.ToRfc3339();
}

std::optional<Timestamp> TimeField(const Json& object, const char* key) {
  if (!object.contains(key) || !object[key].is_string()) return std::nullopt;
  auto parsed = Timestamp::Parse(object[key].get<std::string>());
  return parsed.ok() ? std::optional<Timestamp>(*parsed) : std::nullopt;
}

// The newest version of `indicator_id` that `principal` may see, in any collection.
std::optional<Json> VisibleIndicator(Store& store, const std::vector<Collection>& collections,
                                     const Principal& principal, const std::string& indicator_id) {
  std::optional<StoredObject> newest;
  const Collection* where = nullptr;
  for (const auto& collection : collections) {
    ObjectQuery query;
    query.collection_id = collection.id;
    query.ids = {indicator_id};
    query.types = {"indicator"};
    query.limit = 1;
    auto page = store.QueryObjects(query, [](const StoredObject&) { return true; });
    if (!page.ok() || page->objects.empty()) continue;
    const StoredObject& object = page->objects.front();
    if (!newest || object.version > newest->version) {
      newest = object;
      where = &collection;
    }
  }
  if (!newest || where == nullptr || !CanSeeObject(principal, *where, *newest)) return std::nullopt;
  Json json = Json::parse(newest->json, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  return json;
}

}  // namespace

Result<Settings> SettingsFromJson(const Json& json) {
  Settings out;
  if (json.is_null()) return out;
  if (!json.is_object()) return Error::InvalidArgument("triggers: expected an object");
  for (const auto& [key, value] : json.items()) {
    int* field = nullptr;
    int low = 0;
    int high = 0;
    if (key == "sighting_min_confidence") {
      field = &out.sighting_min_confidence;
      high = 100;
    } else if (key == "nis2_hours_before") {
      field = &out.nis2_hours_before;
      low = 1;
      high = 72;
    } else {
      return Error::InvalidArgument("triggers." + key + ": unknown field");
    }
    if (!value.is_number_integer() || value.get<std::int64_t>() < low || value.get<std::int64_t>() > high) {
      return Error::InvalidArgument("triggers." + key + ": expected a whole number from " + std::to_string(low) +
                                    " to " + std::to_string(high));
    }
    *field = value.get<int>();
  }
  return out;
}

Result<std::vector<Event>> CollectSightings(Store& store, std::map<std::string, std::int64_t>& cursors, Timestamp now,
                                            const SettingsOf& settings, const std::string& public_url,
                                            std::size_t budget) {
  auto collections = store.ListCollections();
  if (!collections.ok()) return collections.error();
  std::vector<Event> out;
  std::map<std::string, std::optional<Principal>> posters;  // member id -> principal
  std::size_t read = 0;
  for (const auto& collection : *collections) {
    auto cursor = cursors.find(collection.id);
    if (cursor == cursors.end()) {
      cursors[collection.id] = now.unix_ms() * 1000;
      continue;
    }
    ObjectQuery query;
    query.collection_id = collection.id;
    query.added_after_us = cursor->second;
    query.types = {"sighting"};
    query.versions.mode = VersionFilter::Mode::kAll;
    query.limit = static_cast<int>(std::min<std::size_t>(500, budget - std::min(budget, read)));
    if (query.limit <= 0) break;
    auto page = store.QueryObjects(query, [](const StoredObject&) { return true; });
    if (!page.ok()) return page.error();
    for (const auto& sighting : page->objects) {
      ++read;
      cursor->second = std::max(cursor->second, sighting.added_us);
      const Json object = Json::parse(sighting.json, nullptr, false);
      if (!object.is_object() || object.value("x_dannevirke_block", false)) continue;
      const std::string ref = object.value("sighting_of_ref", "");
      if (ref.rfind("indicator--", 0) != 0) continue;
      const std::string member_id(PosterMemberId(sighting));
      if (member_id.empty()) continue;
      auto& principal = posters[member_id];
      if (!principal) {
        auto member = store.GetMember(member_id);
        if (!member.ok()) continue;
        auto organisation = store.GetOrganisation(member->org_code);
        if (!organisation.ok()) continue;
        principal = Principal{*member, *organisation};
      }
      if (principal->organisation.code != sighting.producer_org) continue;
      const auto indicator = VisibleIndicator(store, *collections, *principal, ref);
      if (!indicator || indicator->value("revoked", false)) continue;
      if (!(*indicator).contains("confidence") || !(*indicator)["confidence"].is_number_integer()) continue;
      const int confidence = (*indicator)["confidence"].get<int>();
      const std::string& org = sighting.producer_org;
      if (confidence < settings(org).sighting_min_confidence) continue;
      const std::string name = OneLine(indicator->value("name", indicator->value("pattern", ref)), kMaxNameBytes);
      const std::string count = std::to_string(object.value("count", 1));
      const auto last_seen = TimeField(object, "last_seen").value_or(Timestamp(sighting.added_us / 1000));
      Event event;
      event.org = org;
      event.kind = duty::EventKind::kSighting;
      event.severity = confidence >= kHighConfidence ? duty::Severity::kHigh : duty::Severity::kMedium;
      event.group_key = org + "|sighting|" + ref;
      event.subject = {"Observeret hos jer: " + name, "Sighted at your organisation: " + name};
      event.text = {"Indikatoren " + ref + " (tillid " + std::to_string(confidence) + ") er set " + count +
                        " gang(e), senest " + DanishTime(last_seen) + ". Se " + public_url + "/#/indicators",
                    "Indicator " + ref + " (confidence " + std::to_string(confidence) + ") was seen " + count +
                        " time(s), last at " + last_seen.ToRfc3339() + ". See " + public_url + "/#/indicators"};
      event.reference = sighting.id;
      out.push_back(std::move(event));
    }
  }
  return out;
}

Result<std::vector<Event>> CollectNis2Deadlines(Store& store, std::set<std::string>& raised, Timestamp now,
                                                const SettingsOf& settings, const std::string& public_url) {
  auto records = store.ListRecords({std::string(incident::kIncidentKind), std::nullopt, false});
  if (!records.ok()) return records.error();
  std::vector<Event> out;
  std::map<std::string, int> hours;  // org -> warning hours
  for (const auto& record : *records) {
    auto parsed = incident::ParseStored(record);
    if (!parsed.ok()) continue;
    auto submitted = incident::LoadSubmissions(store, record.id);
    if (!submitted.ok()) continue;
    auto clock = incident::ComputeDeadlines(*parsed, *submitted, now);
    if (!clock.ok()) return clock.error();
    if (!hours.count(record.org_code)) hours[record.org_code] = settings(record.org_code).nis2_hours_before;
    const std::int64_t window_ms = std::int64_t{hours[record.org_code]} * 3'600'000;
    for (const auto& deadline : *clock) {
      if (!deadline.due) continue;
      const bool overdue = deadline.state == incident::DeadlineState::kOverdue;
      const bool at_risk =
          deadline.state == incident::DeadlineState::kDue && deadline.due->unix_ms() - now.unix_ms() <= window_ms;
      if (!overdue && !at_risk) continue;
      const std::string stage(incident::ReportStageName(deadline.stage));
      const std::string key = record.id + "/" + stage + (overdue ? "/overdue" : "/risk");
      if (!raised.insert(key).second) continue;
      const bool urgent = deadline.stage == incident::ReportStage::kEarlyWarning ||
                          deadline.stage == incident::ReportStage::kNotification;
      static const std::map<std::string, std::pair<std::string, std::string>> kStageNames = {
          {"early_warning", {"Tidlig varsling", "Early warning"}},
          {"notification", {"Hændelsesunderretning", "Incident notification"}},
          {"progress", {"Statusrapport", "Progress report"}},
          {"final", {"Endelig rapport", "Final report"}}};
      const auto& names = kStageNames.at(stage);
      const std::string title = OneLine(parsed->title, kMaxNameBytes);
      Event event;
      event.org = record.org_code;
      event.kind = duty::EventKind::kNis2Deadline;
      event.severity = overdue ? duty::Severity::kCritical : urgent ? duty::Severity::kHigh : duty::Severity::kMedium;
      event.group_key = record.org_code + "|nis2_deadline|" + record.id + "|" + stage;
      event.subject = {names.first + (overdue ? " overskredet: " : " forfalder snart: ") + title,
                       names.second + (overdue ? " overdue: " : " due soon: ") + title};
      event.text = {names.first + " for hændelsen skal indsendes senest " + DanishTime(*deadline.due) +
                        " (NIS2 art. 23, stk. 4). Se " + public_url + "/#/incidents/" + record.id,
                    names.second + " for the incident is due by " + deadline.due->ToRfc3339() +
                        " (NIS2 Art. 23(4)). See " + public_url + "/#/incidents/" + record.id};
      event.reference = key;
      out.push_back(std::move(event));
    }
  }
  return out;
}

}  // namespace dv::hub::duty_triggers
