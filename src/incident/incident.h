// SPDX-License-Identifier: Apache-2.0
#pragma once

// An incident as a member reports it under NIS2 Art. 23: what happened, since
// when, what it touches, and what it links to. The JSON form is the API's and
// the stored record's (kind "incident"); docs/incidents.md lists the fields.
//
// Validation names the field and the reason ("field 'became_aware_at': must
// be an RFC 3339 time, not 'yesterday'"); nothing is half-accepted.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "core/tlp.h"

namespace dv::incident {

enum class IncidentStatus { kOpen, kHandled, kClosed };
std::string_view IncidentStatusName(IncidentStatus status);
std::optional<IncidentStatus> ParseIncidentStatus(std::string_view name);

struct CitizensAffected {
  std::int64_t count = 0;
  bool estimate = false;  // true when the count is an estimate
};

// An indicator the member found and may share: a STIX pattern with a name.
struct NewIndicator {
  std::string name;
  std::string pattern;  // STIX 2.1 pattern; the hub checks its syntax
};

struct Incident {
  std::string title;
  std::string description;  // what happened
  Timestamp became_aware_at;
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> handled_at;  // required once status is handled or closed
  std::vector<std::string> affected_services;
  std::optional<CitizensAffected> citizens_affected;
  bool suspected_malicious = false;
  bool cross_member_impact = false;  // may reach other members
  bool cross_border_impact = false;  // may reach other countries
  IncidentStatus status = IncidentStatus::kOpen;
  std::vector<std::string> indicators;       // "indicator--<uuid>"
  std::vector<std::string> sightings;        // "sighting--<uuid>"
  std::vector<std::string> vulnerabilities;  // "vulnerability--<uuid>"
  std::vector<NewIndicator> new_indicators;
  // Suppliers or shared systems (organisation codes) the member suspects the
  // incident came through.
  std::vector<std::string> suspected_via;
  Tlp share_tlp = Tlp::kAmber;  // the TLP the member chose for sharing

  // When it started, or when the member became aware if the start is unknown.
  Timestamp Start() const { return started_at.value_or(became_aware_at); }
};

// Keys the server adds to an incident's JSON (id, version, clock, ...); they
// are ignored on input so that a client may send back what it read.
bool IsServerField(std::string_view key);

// Parses and validates. `now` bounds times: none may lie more than five
// minutes in the future.
Result<Incident> IncidentFromJson(const nlohmann::json& json, Timestamp now);
nlohmann::json IncidentToJson(const Incident& incident);

// True for "<type>--<uuid>" with the given type.
bool IsStixId(std::string_view text, std::string_view type);

}  // namespace dv::incident
