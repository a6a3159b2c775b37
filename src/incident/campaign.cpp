// SPDX-License-Identifier: Apache-2.0
#include "incident/campaign.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "core/uuid.h"

namespace dv::incident {

namespace {

class UnionFind {
 public:
  explicit UnionFind(std::size_t size) : parent_(size) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t Find(std::size_t node) {
    while (parent_[node] != node) node = parent_[node] = parent_[parent_[node]];
    return node;
  }
  void Join(std::size_t a, std::size_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

}  // namespace

std::vector<std::string> CauseKeys(const std::vector<std::string>& indicators,
                                   const std::vector<std::string>& sighted_indicators,
                                   const std::vector<std::string>& suspected_via,
                                   const std::map<std::string, std::vector<std::string>>& upstream) {
  std::set<std::string> keys;
  for (const auto& id : indicators) keys.insert("indicator:" + id);
  for (const auto& id : sighted_indicators) keys.insert("indicator:" + id);
  for (const auto& code : suspected_via) {
    keys.insert("org:" + code);
    if (const auto it = upstream.find(code); it != upstream.end()) {
      for (const auto& supplier : it->second) keys.insert("org:" + supplier);
    }
  }
  return {keys.begin(), keys.end()};
}

std::vector<Campaign> DetectCampaigns(const std::vector<CampaignIncident>& incidents, const CampaignOptions& options) {
  // Work in a deterministic order whatever the caller's order.
  std::vector<std::size_t> order(incidents.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (incidents[a].start != incidents[b].start) return incidents[a].start < incidents[b].start;
    return incidents[a].incident_id < incidents[b].incident_id;
  });
  std::map<std::string, std::vector<std::size_t>> by_key;  // key → positions in `order`, by start
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    for (const auto& key : incidents[order[pos]].cause_keys) by_key[key].push_back(pos);
  }
  UnionFind groups(order.size());
  std::map<std::string, std::set<std::size_t>> linked_by;  // key → positions it linked
  for (const auto& [key, positions] : by_key) {
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const CampaignIncident& a = incidents[order[positions[i]]];
      for (std::size_t j = i + 1; j < positions.size(); ++j) {
        const CampaignIncident& b = incidents[order[positions[j]]];
        if (b.start.unix_ms() - a.start.unix_ms() > options.window_ms) break;
        if (a.org_code == b.org_code) continue;
        groups.Join(positions[i], positions[j]);
        linked_by[key].insert(positions[i]);
        linked_by[key].insert(positions[j]);
      }
    }
  }
  std::map<std::size_t, std::vector<std::size_t>> members_of;  // root → positions
  for (std::size_t pos = 0; pos < order.size(); ++pos) members_of[groups.Find(pos)].push_back(pos);
  std::vector<Campaign> campaigns;
  for (const auto& [root, positions] : members_of) {
    std::set<std::string> orgs;
    for (std::size_t pos : positions) orgs.insert(incidents[order[pos]].org_code);
    if (orgs.size() < 2) continue;
    Campaign campaign;
    campaign.members.assign(orgs.begin(), orgs.end());
    for (std::size_t pos : positions) campaign.incidents.push_back(incidents[order[pos]].incident_id);
    campaign.first = incidents[order[positions.front()]].start;
    campaign.last = incidents[order[positions.back()]].start;
    campaign.id = "campaign--" + Uuid::V5(DannevirkeNamespace(), "campaign:" + campaign.incidents.front()).ToString();
    for (const auto& [key, linked] : linked_by) {
      if (groups.Find(*linked.begin()) != root) continue;
      CampaignCause cause{key, {}};
      for (std::size_t pos : linked) cause.incidents.push_back(incidents[order[pos]].incident_id);
      std::sort(cause.incidents.begin(), cause.incidents.end());
      campaign.causes.push_back(std::move(cause));
    }
    campaigns.push_back(std::move(campaign));
  }
  std::sort(campaigns.begin(), campaigns.end(), [](const Campaign& a, const Campaign& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.id < b.id;
  });
  return campaigns;
}

}  // namespace dv::incident
