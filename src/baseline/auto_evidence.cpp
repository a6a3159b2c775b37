// SPDX-License-Identifier: Apache-2.0
#include "baseline/auto_evidence.h"

#include <algorithm>
#include <cstdio>

#include "core/text.h"

namespace dv::baseline {

namespace {

struct Measurement {
  EvidenceResult result = EvidenceResult::kNone;
  std::string note;
};

Measurement LogChannels(const std::vector<std::string>& seen, const AutoEvidenceOptions& options) {
  std::vector<std::string> seen_folded;
  for (const auto& channel : seen) seen_folded.push_back(FoldCase(channel));
  std::vector<std::string> missing;
  for (const auto& required : options.required_channels) {
    if (std::find(seen_folded.begin(), seen_folded.end(), FoldCase(required)) == seen_folded.end()) {
      missing.push_back(required);
    }
  }
  const std::size_t required = options.required_channels.size();
  const std::size_t present = required - missing.size();
  Measurement measurement;
  measurement.result = missing.empty()           ? EvidenceResult::kPass
                       : present * 2 >= required ? EvidenceResult::kPartial
                                                 : EvidenceResult::kFail;
  measurement.note = std::to_string(seen.size()) + " log channels received; " + std::to_string(present) + " of " +
                     std::to_string(required) + " required";
  if (!missing.empty()) {
    measurement.note += "; missing:";
    for (const auto& channel : missing) measurement.note += " " + channel;
  }
  return measurement;
}

Measurement ActiveRules(int rules, const AutoEvidenceOptions& options) {
  Measurement measurement;
  measurement.result = rules >= options.min_active_rules        ? EvidenceResult::kPass
                       : rules * 10 >= options.min_active_rules ? EvidenceResult::kPartial
                                                                : EvidenceResult::kFail;
  if (rules <= 0) measurement.result = EvidenceResult::kFail;
  measurement.note =
      std::to_string(rules) + " active detection rules (threshold " + std::to_string(options.min_active_rules) + ")";
  return measurement;
}

Measurement Sightings(int total, int handled, int window_hours, const AutoEvidenceOptions& options) {
  Measurement measurement;
  if (total <= 0) {
    // Nothing to handle says nothing about handling; no verdict.
    measurement.note = "no sightings in the window";
    return measurement;
  }
  const double share = static_cast<double>(std::clamp(handled, 0, total)) / total;
  measurement.result = share >= options.handled_pass_share      ? EvidenceResult::kPass
                       : share >= options.handled_partial_share ? EvidenceResult::kPartial
                                                                : EvidenceResult::kFail;
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%d of %d sightings handled within %d hours (%.0f%%)", handled, total,
                window_hours, share * 100.0);
  measurement.note = buffer;
  return measurement;
}

Measurement SensorContact(Timestamp last, Timestamp observed, const AutoEvidenceOptions& options) {
  Measurement measurement;
  const std::int64_t age_hours = (observed.unix_ms() - last.unix_ms()) / 3'600'000;
  measurement.result = age_hours <= options.max_contact_age_hours ? EvidenceResult::kPass : EvidenceResult::kFail;
  measurement.note = "sensor last reported " + last.ToRfc3339() + " (" + std::to_string(age_hours) + " hours before)";
  return measurement;
}

}  // namespace

std::vector<RequirementEvidence> EvidenceFromFacts(const Catalogue& catalogue, const MemberFacts& facts,
                                                   const AutoEvidenceOptions& options) {
  std::vector<std::pair<std::string_view, Measurement>> measured;
  if (facts.log_channels) measured.emplace_back(kFactLogChannels, LogChannels(*facts.log_channels, options));
  if (facts.active_rules) measured.emplace_back(kFactActiveRules, ActiveRules(*facts.active_rules, options));
  if (facts.sightings_total && facts.sightings_handled_in_time) {
    measured.emplace_back(kFactSightingsHandled, Sightings(*facts.sightings_total, *facts.sightings_handled_in_time,
                                                           facts.handling_window_hours, options));
  }
  if (facts.last_sensor_contact) {
    measured.emplace_back(kFactSensorContact, SensorContact(*facts.last_sensor_contact, facts.observed, options));
  }
  std::vector<RequirementEvidence> out;
  for (const auto& requirement : catalogue.requirements) {
    for (const auto& [fact, measurement] : measured) {
      if (measurement.result == EvidenceResult::kNone) continue;
      if (std::find(requirement.facts.begin(), requirement.facts.end(), fact) == requirement.facts.end()) continue;
      Evidence evidence;
      evidence.kind = EvidenceKind::kMeasured;
      evidence.source = "sensor:" + std::string(fact);
      evidence.collected = facts.observed;
      evidence.valid_until = Timestamp(facts.observed.unix_ms() + options.valid_days * 86'400'000);
      evidence.result = measurement.result;
      evidence.note = measurement.note;
      out.push_back({requirement.id, std::move(evidence)});
    }
  }
  return out;
}

}  // namespace dv::baseline
