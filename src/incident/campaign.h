// SPDX-License-Identifier: Apache-2.0
#pragma once

// Campaign detection: several members hit by the same thing at about the
// same time. The rule (docs/incidents.md):
//   two open incidents of DIFFERENT members are linked when they share a
//   cause key and their starts lie at most `window` apart; a cause key is
//     "indicator:<indicator id>" — an indicator the incident lists, or the
//                                  indicator a sighting it lists is of;
//     "org:<code>"               — a supplier or shared system the member
//                                  suspects, or one that supplies it
//                                  (the dependency graph's supplied_by edges
//                                  and a system's operator, one step up);
//   a campaign is a connected group of linked incidents (at least two
//   members); its causes are the keys that made a link.
// Pure and deterministic: the same input gives the same campaigns, ordered
// by first start, then id.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/time.h"

namespace dv::incident {

struct CampaignIncident {
  std::string incident_id;
  std::string org_code;
  Timestamp start;
  std::vector<std::string> cause_keys;  // "indicator:…", "org:…"
};

struct CampaignCause {
  std::string key;                     // "indicator:indicator--…" or "org:KMD"
  std::vector<std::string> incidents;  // the incidents in the campaign that have it, sorted
};

struct Campaign {
  std::string id;                      // "campaign--<UUIDv5 of the earliest incident's id>"
  std::vector<std::string> members;    // organisation codes, sorted
  std::vector<std::string> incidents;  // incident ids, ordered by start
  std::vector<CampaignCause> causes;   // sorted by key
  Timestamp first;                     // earliest start
  Timestamp last;                      // latest start
};

struct CampaignOptions {
  std::int64_t window_ms = 14LL * 24 * 60 * 60 * 1000;  // 14 days
};

std::vector<Campaign> DetectCampaigns(const std::vector<CampaignIncident>& incidents, const CampaignOptions& options);

// The cause keys of an incident: its indicators, the indicators its
// sightings are of, its suspected suppliers/systems and what supplies those
// (`upstream`: code → codes it is supplied by or operated by).
std::vector<std::string> CauseKeys(const std::vector<std::string>& indicators,
                                   const std::vector<std::string>& sighted_indicators,
                                   const std::vector<std::string>& suspected_via,
                                   const std::map<std::string, std::vector<std::string>>& upstream);

}  // namespace dv::incident
