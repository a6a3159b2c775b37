// SPDX-License-Identifier: Apache-2.0
#pragma once

// What wakes a member, read from what the hub already holds (docs/duty.md
// "Triggers"). Each collector turns what is new since its cursor into duty
// events; the duty service routes, bounds and delivers them. Internal to
// the duty module.
//
//   sightings      a sighting posted by the member (not a block count) of an
//                  indicator the member may see, whose stated confidence is
//                  at least the member's threshold (default 70): kind
//                  "sighting", high from confidence 85, medium below;
//   NIS2 deadlines an incident report of the member not yet submitted whose
//                  due time is within the member's warning hours (default 6):
//                  kind "nis2_deadline", high for the early warning and the
//                  incident notification, medium for the progress and final
//                  reports; once overdue, critical. Each (incident, stage,
//                  at risk | overdue) raises once.

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "duty/routes.h"
#include "notify/notification.h"
#include "store/store.h"

namespace dv::hub::duty_triggers {

// A member's thresholds: the "triggers" object of its duty config.
struct Settings {
  int sighting_min_confidence = 70;  // 0-100
  int nis2_hours_before = 6;         // 1-72
};
// kInvalidArgument naming the field ("triggers.nis2_hours_before: …").
Result<Settings> SettingsFromJson(const nlohmann::json& json);

// One thing that should wake a member.
struct Event {
  std::string org;
  duty::EventKind kind = duty::EventKind::kOutsideReport;
  duty::Severity severity = duty::Severity::kHigh;
  std::string group_key;  // storms are bounded per key
  notify::Localized subject;
  notify::Localized text;
  std::string reference;
  std::string exercise;  // the exercise run: the notification is marked as exercise
};

using SettingsOf = std::function<Settings(const std::string& org)>;

// Sightings added after each collection's cursor (date_added, µs). A
// collection without a cursor starts at `now`: history raises nothing. At
// most `budget` sightings are read per call; the cursors say where to go on.
// `cursors` is collection id → last date_added read.
Result<std::vector<Event>> CollectSightings(Store& store, std::map<std::string, std::int64_t>& cursors, Timestamp now,
                                            const SettingsOf& settings, const std::string& public_url,
                                            std::size_t budget = 5000);

// Every stored incident's NIS2 clock at `now`; `raised` holds the keys
// already raised ("<incident>/<stage>/risk" or "/overdue") and gains the new ones.
Result<std::vector<Event>> CollectNis2Deadlines(Store& store, std::set<std::string>& raised, Timestamp now,
                                                const SettingsOf& settings, const std::string& public_url);

}  // namespace dv::hub::duty_triggers
