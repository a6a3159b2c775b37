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
  // What the member has registered in the hub's register (issue 15): pass
  // with at least one proven (or approved) domain, at least one prefix and no
  // open conflict; partial when something is registered; fail when nothing is.
  struct RegisterPresence {
    int domains = 0;
    int proven_domains = 0;
    int prefixes = 0;
    int asns = 0;
    int open_conflicts = 0;
  };
  std::optional<RegisterPresence> register_presence;
  // The member's KEV-to-fix clock (docs/duty.md): its findings of
  // known-exploited vulnerabilities. Pass when none is open past its KEV
  // due date; partial when the longest overdue is at most
  // `max_overdue_days_partial` days past it; fail otherwise; no verdict
  // without any KEV finding.
  struct KevFix {
    int open = 0;
    int open_overdue = 0;
    int longest_overdue_days = 0;  // of the open ones past their due date
    int fixed = 0;
    std::optional<double> median_days_to_fix;
    std::optional<double> p90_days_to_fix;
  };
  std::optional<KevFix> kev_fix;
  // How the member answered the duty notifications that woke someone
  // (docs/duty.md): the share acknowledged within the window.
  struct DutyAcknowledge {
    int routed = 0;
    int acknowledged_in_time = 0;
    int window_minutes = 60;
    std::optional<double> median_minutes;
  };
  std::optional<DutyAcknowledge> duty_acknowledge;
  // The member's mail set-up measured from outside (docs/posture.md): per
  // check (FactOfPostureCheck: "dnssec", "mail_tls", "spf", "dmarc", "web_tls", …),
  // the newest verdict on each of its proven domains. Pass when every measured domain passes, partial when
  // none fails, fail when one does; no verdict when every lookup failed.
  // The evidence is dated when the oldest of those verdicts was measured.
  struct MailCheck {
    std::string check;
    int pass = 0;
    int warn = 0;
    int fail = 0;
    int error = 0;
    std::vector<std::string> failing;  // "domain: first reason", at most a few
    Timestamp oldest_measured;
  };
  std::vector<MailCheck> mail_posture;
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
  int max_overdue_days_partial = 7;         // kev_fix: overdue at most this long is partial
};

// The evidence the given facts support (absent facts give nothing), in
// catalogue order.
std::vector<RequirementEvidence> EvidenceFromFacts(const Catalogue& catalogue, const MemberFacts& facts,
                                                   const AutoEvidenceOptions& options = {});

}  // namespace dv::baseline
