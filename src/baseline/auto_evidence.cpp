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
  std::optional<Timestamp> collected;  // when measured, where not when gathered
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

Measurement RegisterPresence(const MemberFacts::RegisterPresence& presence) {
  Measurement measurement;
  const bool anything = presence.domains + presence.prefixes + presence.asns > 0;
  measurement.result = !anything ? EvidenceResult::kFail
                       : presence.proven_domains > 0 && presence.prefixes > 0 && presence.open_conflicts == 0
                           ? EvidenceResult::kPass
                           : EvidenceResult::kPartial;
  measurement.note = "register: " + std::to_string(presence.domains) + " domains (" +
                     std::to_string(presence.proven_domains) + " proven), " + std::to_string(presence.prefixes) +
                     " networks, " + std::to_string(presence.asns) + " AS numbers, " +
                     std::to_string(presence.open_conflicts) + " open conflicts";
  return measurement;
}

std::string Days(const std::optional<double>& days) {
  if (!days) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", *days);
  return buffer;
}

Measurement KevFix(const MemberFacts::KevFix& kev, const AutoEvidenceOptions& options) {
  Measurement measurement;
  if (kev.open + kev.fixed <= 0) {
    measurement.note = "no findings of known-exploited vulnerabilities";
    return measurement;
  }
  measurement.result = kev.open_overdue <= 0                                          ? EvidenceResult::kPass
                       : kev.longest_overdue_days <= options.max_overdue_days_partial ? EvidenceResult::kPartial
                                                                                      : EvidenceResult::kFail;
  measurement.note = "known exploited: " + std::to_string(kev.open) + " open (" + std::to_string(kev.open_overdue) +
                     " past the KEV due date, longest " + std::to_string(kev.longest_overdue_days) + " days), " +
                     std::to_string(kev.fixed) + " fixed; days to fix median " + Days(kev.median_days_to_fix) +
                     ", 90th percentile " + Days(kev.p90_days_to_fix);
  return measurement;
}

Measurement DutyAcknowledge(const MemberFacts::DutyAcknowledge& ack, const AutoEvidenceOptions& options) {
  Measurement measurement;
  if (ack.routed <= 0) {
    measurement.note = "no duty notifications in the period";
    return measurement;
  }
  const double share = static_cast<double>(std::clamp(ack.acknowledged_in_time, 0, ack.routed)) / ack.routed;
  measurement.result = share >= options.handled_pass_share      ? EvidenceResult::kPass
                       : share >= options.handled_partial_share ? EvidenceResult::kPartial
                                                                : EvidenceResult::kFail;
  char buffer[200];
  std::snprintf(buffer, sizeof buffer, "%d of %d duty notifications acknowledged within %d minutes (%.0f%%)",
                ack.acknowledged_in_time, ack.routed, ack.window_minutes, share * 100.0);
  measurement.note = buffer;
  if (ack.median_minutes) measurement.note += "; median " + Days(ack.median_minutes) + " minutes";
  return measurement;
}

Measurement MailCheck(const MemberFacts::MailCheck& check) {
  Measurement measurement;
  const int measured = check.pass + check.warn + check.fail;
  if (measured == 0) return measurement;  // every lookup failed: no verdict
  measurement.result = check.fail > 0   ? EvidenceResult::kFail
                       : check.warn > 0 ? EvidenceResult::kPartial
                                        : EvidenceResult::kPass;
  measurement.note = check.check + " measured from outside on " + std::to_string(measured) + " domain" +
                     (measured == 1 ? "" : "s") + ": " + std::to_string(check.pass) + " pass, " +
                     std::to_string(check.warn) + " warn, " + std::to_string(check.fail) + " fail";
  if (check.error > 0) measurement.note += " (" + std::to_string(check.error) + " not answered)";
  for (const auto& failing : check.failing) measurement.note += "; " + failing;
  measurement.collected = check.oldest_measured;
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
  if (facts.register_presence) {
    measured.emplace_back(kFactRegisterPresence, RegisterPresence(*facts.register_presence));
  }
  if (facts.kev_fix) measured.emplace_back(kFactKevFix, KevFix(*facts.kev_fix, options));
  if (facts.duty_acknowledge)
    measured.emplace_back(kFactDutyAcknowledge, DutyAcknowledge(*facts.duty_acknowledge, options));
  for (const auto& check : facts.mail_posture) {
    const std::string_view fact = FactOfPostureCheck(check.check);
    if (!fact.empty()) measured.emplace_back(fact, MailCheck(check));
  }
  std::vector<RequirementEvidence> out;
  for (const auto& requirement : catalogue.requirements) {
    for (const auto& [fact, measurement] : measured) {
      if (measurement.result == EvidenceResult::kNone) continue;
      if (std::find(requirement.facts.begin(), requirement.facts.end(), fact) == requirement.facts.end()) continue;
      Evidence evidence;
      evidence.kind = EvidenceKind::kMeasured;
      const bool hub_fact =
          fact == kFactRegisterPresence || fact == kFactKevFix || fact == kFactDutyAcknowledge || IsPostureFact(fact);
      evidence.source = (hub_fact ? "hub:" : "sensor:") + std::string(fact);
      evidence.collected = measurement.collected.value_or(facts.observed);
      evidence.valid_until = Timestamp(evidence.collected.unix_ms() + options.valid_days * 86'400'000);
      evidence.result = measurement.result;
      evidence.note = measurement.note;
      out.push_back({requirement.id, std::move(evidence)});
    }
  }
  return out;
}

}  // namespace dv::baseline
