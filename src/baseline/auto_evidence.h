// SPDX-License-Identifier: Apache-2.0
#pragma once

// Automated evidence: facts that the hub and a member's sensor already know,
// turned into dated, measured evidence for the requirements that list the
// fact in the catalogue (`facts:`). Pure functions; the hub gathers the facts
// (from its sighting and rule tables) and stores the result with AddEvidence.
//
// Each fact gives one evidence item per supporting requirement, collected at
// `observed`, valid for `valid_days`, with a result by the thresholds below
// and a note that states the measured figure and the threshold.

#include <optional>
#include <string>
#include <vector>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"

namespace dv::baseline {

struct MemberFacts {
  Timestamp observed;  // when the facts were gathered
  // Distinct log channels received from the member in the window
  // ("Security", "Microsoft-Windows-Sysmon/Operational", "firewall", "dns").
  std::optional<std::vector<std::string>> log_channels;
  // Detection rules active on the member's sensor.
  std::optional<int> active_rules;
  // Sightings raised for the member in the window, and how many of them were
  // acknowledged within `handling_window_hours`.
  std::optional<int> sightings_total;
  std::optional<int> sightings_handled_in_time;
  int handling_window_hours = 24;
  // When the sensor last reported to the hub.
  std::optional<Timestamp> last_sensor_contact;
};

struct AutoEvidenceOptions {
  std::int64_t valid_days = 7;
  // Channels expected from every member (case-insensitive): pass when all are
  // received, partial when at least half are, fail otherwise.
  std::vector<std::string> required_channels = {
      "Security", "System", "Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-PowerShell/Operational",
      "firewall", "dns"};
  int min_active_rules = 100;       // pass at or above; partial from a tenth of it
  double handled_pass_share = 0.9;  // pass at or above; partial at or above handled_partial_share
  double handled_partial_share = 0.5;
  std::int64_t max_contact_age_hours = 24;  // sensor contact younger than this passes
};

// The evidence the given facts support (absent facts give nothing), in
// catalogue order.
std::vector<RequirementEvidence> EvidenceFromFacts(const Catalogue& catalogue, const MemberFacts& facts,
                                                   const AutoEvidenceOptions& options = {});

}  // namespace dv::baseline
