// SPDX-License-Identifier: Apache-2.0
#include "protect/feed.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "protect/value.h"
#include "stix/pattern.h"

namespace dv::protect {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// Where a protection comes from; a lower value wins when several apply.
enum class Shield : std::uint8_t { kNeverBlock, kAllow, kWarning };

LeftOutReason ReasonOf(Shield shield) {
  switch (shield) {
    case Shield::kNeverBlock:
      return LeftOutReason::kNeverBlock;
    case Shield::kAllow:
      return LeftOutReason::kAllowListed;
    case Shield::kWarning:
      return LeftOutReason::kWarningList;
  }
  return LeftOutReason::kNeverBlock;
}

std::string_view ShieldLabel(Shield shield) {
  switch (shield) {
    case Shield::kNeverBlock:
      return "never-block";
    case Shield::kAllow:
      return "allow-list";
    case Shield::kWarning:
      return "warning list";
  }
  return "?";
}

struct ShieldHit {
  Shield shield = Shield::kNeverBlock;
  std::string entry;  // the protected name or network, with the list for warning lists
};

// The never-block, allow and warning values, indexed for the two domain
// questions (is the name protected, or a parent of a protected name?) and
// the two network questions (is the prefix inside a protected network, and
// which protected networks lie inside it?).
class Shields {
 public:
  void AddDomain(std::string domain, Shield shield, std::string entry) {
    Put(names_, domain, shield, entry);
    for (std::size_t dot = domain.find('.'); dot != std::string::npos; dot = domain.find('.', dot + 1)) {
      Put(parents_, domain.substr(dot + 1), shield, entry);
    }
  }
  void AddNetwork(const IpNetwork& network, Shield shield, std::string entry) {
    networks_.push_back({network, {shield, std::move(entry)}});
  }

  // The name itself or one of its parents is protected.
  const ShieldHit* DomainProtected(std::string_view domain) const {
    const ShieldHit* best = nullptr;
    for (std::size_t at = 0;;) {
      if (auto found = names_.find(domain.substr(at)); found != names_.end()) Better(best, &found->second);
      const std::size_t dot = domain.find('.', at);
      if (dot == std::string_view::npos) break;
      at = dot + 1;
    }
    return best;
  }
  // The name is a parent of a protected name.
  const ShieldHit* DomainAbove(std::string_view domain) const {
    auto found = parents_.find(domain);
    return found == parents_.end() ? nullptr : &found->second;
  }
  const ShieldHit* NetworkProtected(const IpNetwork& network) const {
    const ShieldHit* best = nullptr;
    for (const auto& [protected_network, hit] : networks_) {
      if (NetworkCovers(protected_network, network)) Better(best, &hit);
    }
    return best;
  }
  std::vector<IpNetwork> NetworksInside(const IpNetwork& network) const {
    std::vector<IpNetwork> inside;
    for (const auto& [protected_network, hit] : networks_) {
      if (NetworkCovers(network, protected_network)) inside.push_back(protected_network);
    }
    return inside;
  }

 private:
  static void Better(const ShieldHit*& best, const ShieldHit* candidate) {
    if (best == nullptr || candidate->shield < best->shield) best = candidate;
  }
  static void Put(StringMap<ShieldHit>& map, const std::string& key, Shield shield, const std::string& entry) {
    auto [it, inserted] = map.try_emplace(key, ShieldHit{shield, entry});
    if (!inserted && shield < it->second.shield) it->second = {shield, entry};
  }

  StringMap<ShieldHit> names_;
  StringMap<ShieldHit> parents_;
  std::vector<std::pair<IpNetwork, ShieldHit>> networks_;
};

Status AddProtected(const ProtectedValues& values, Shield shield, std::string_view field, Shields& shields) {
  for (std::size_t idx = 0; idx < values.domains.size(); ++idx) {
    auto domain = NormaliseDomain(values.domains[idx]);
    if (!domain.ok()) {
      return Error::InvalidArgument(std::string(field) + ".domains[" + std::to_string(idx) + "]: '" +
                                    Printable(values.domains[idx], 80) + "': " + domain.error().message());
    }
    shields.AddDomain(*domain, shield, *domain);
  }
  for (std::size_t idx = 0; idx < values.networks.size(); ++idx) {
    auto network = ParseNetwork(values.networks[idx]);
    if (!network.ok()) {
      return Error::InvalidArgument(std::string(field) + ".networks[" + std::to_string(idx) +
                                    "]: " + network.error().message());
    }
    shields.AddNetwork(*network, shield, FormatNetwork(*network));
  }
  return Ok();
}

template <typename T>
void SortUnique(std::vector<T>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

bool Contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string FormatConfidence(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", value);
  return buffer;
}

}  // namespace

// Entries are ordered by kind, then domains and URLs by text, networks by
// family, address and length.
const ProtectedValues& PublicSectorNeverBlock() {
  static const ProtectedValues kValues{{"borger.dk",
                                        "virk.dk",
                                        "mitid.dk",
                                        "nemlog-in.dk",
                                        "digst.dk",
                                        "sundhed.dk",
                                        "skat.dk",
                                        "politi.dk",
                                        "mit.dk",
                                        "e-boks.dk",
                                        "kl.dk",
                                        "regioner.dk",
                                        "ft.dk",
                                        "stm.dk",
                                        "retsinformation.dk",
                                        "sikkerdigital.dk",
                                        "cfcs.dk",
                                        "samsik.dk",
                                        "nemkonto.dk",
                                        "lifeindenmark.dk",
                                        "nemid.nu"},
                                       {}};
  return kValues;
}

bool EntryLess(const FeedEntry& left, const FeedEntry& right) {
  if (left.kind != right.kind) return left.kind < right.kind;
  if (left.kind == EntryKind::kNetwork) {
    if (left.network.address.v6 != right.network.address.v6) return !left.network.address.v6;
    if (left.network.address.bytes != right.network.address.bytes) {
      return left.network.address.bytes < right.network.address.bytes;
    }
    return left.network.prefix < right.network.prefix;
  }
  return left.value < right.value;
}

std::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kDomain:
      return "domain";
    case ValueKind::kIpv4:
      return "ipv4";
    case ValueKind::kIpv6:
      return "ipv6";
    case ValueKind::kPrefix:
      return "prefix";
    case ValueKind::kUrl:
      return "url";
    case ValueKind::kOther:
      return "other";
  }
  return "other";
}

std::optional<ValueKind> ValueKindFromName(std::string_view name) {
  for (ValueKind kind : {ValueKind::kDomain, ValueKind::kIpv4, ValueKind::kIpv6, ValueKind::kPrefix, ValueKind::kUrl,
                         ValueKind::kOther}) {
    if (ValueKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kNxdomain:
      return "nxdomain";
    case Action::kNodata:
      return "nodata";
    case Action::kDrop:
      return "drop";
    case Action::kWalledGarden:
      return "walled-garden";
  }
  return "nxdomain";
}

std::optional<Action> ActionFromName(std::string_view name) {
  for (Action action : {Action::kNxdomain, Action::kNodata, Action::kDrop, Action::kWalledGarden}) {
    if (ActionName(action) == name) return action;
  }
  return std::nullopt;
}

std::string_view LeftOutReasonName(LeftOutReason reason) {
  switch (reason) {
    case LeftOutReason::kNotBlockableKind:
      return "not_blockable_kind";
    case LeftOutReason::kInvalidValue:
      return "invalid_value";
    case LeftOutReason::kKindNotInProfile:
      return "kind_not_in_profile";
    case LeftOutReason::kCollectionNotInProfile:
      return "collection_not_in_profile";
    case LeftOutReason::kBelowConfidence:
      return "below_confidence";
    case LeftOutReason::kPrefixTooWide:
      return "prefix_too_wide";
    case LeftOutReason::kNeverBlock:
      return "never_block";
    case LeftOutReason::kAllowListed:
      return "allow_listed";
    case LeftOutReason::kWarningList:
      return "warning_list";
    case LeftOutReason::kOverMaxEntries:
      return "over_max_entries";
  }
  return "?";
}

std::string_view MonitorReasonName(MonitorReason reason) {
  switch (reason) {
    case MonitorReason::kNone:
      return "";
    case MonitorReason::kMonitorOnlyProfile:
      return "monitor_only_profile";
    case MonitorReason::kUntrusted:
      return "untrusted";
    case MonitorReason::kSingleSource:
      return "single_source";
  }
  return "";
}

Status ValidateProfile(const Profile& profile) {
  if (!(profile.min_confidence >= 0 && profile.min_confidence <= 100)) {
    return Error::InvalidArgument("min_confidence: must be a number from 0 to 100");
  }
  if (profile.min_prefix_v4 < 1 || profile.min_prefix_v4 > 32) {
    return Error::InvalidArgument("min_prefix_v4: must be from 1 to 32");
  }
  if (profile.min_prefix_v6 < 1 || profile.min_prefix_v6 > 128) {
    return Error::InvalidArgument("min_prefix_v6: must be from 1 to 128");
  }
  for (ValueKind kind : profile.kinds) {
    if (kind == ValueKind::kOther) return Error::InvalidArgument("kinds: 'other' cannot be blocked");
  }
  if (profile.action == Action::kWalledGarden) {
    if (profile.walled_garden.empty()) {
      return Error::InvalidArgument("walled_garden: required when the action is walled-garden");
    }
    auto target = NormaliseDomain(profile.walled_garden);
    if (!target.ok()) return target.error().WithContext("walled_garden");
  } else if (!profile.walled_garden.empty()) {
    return Error::InvalidArgument("walled_garden: only allowed when the action is walled-garden");
  }
  for (std::size_t idx = 0; idx < profile.trusted_producers.size(); ++idx) {
    if (profile.trusted_producers[idx].empty()) {
      return Error::InvalidArgument("trusted_producers[" + std::to_string(idx) + "]: empty organisation code");
    }
  }
  return Ok();
}

double Priority(const Candidate& candidate, Timestamp now) {
  const double confidence = std::clamp(candidate.confidence, 0.0, 100.0) / 100.0;
  const double age_days =
      std::max<double>(0.0, static_cast<double>(now.unix_ms() - candidate.modified.unix_ms()) / 86'400'000.0);
  const double recency = std::exp2(-age_days / 30.0);
  const double sightings =
      1.0 + std::log1p(static_cast<double>(std::max<std::int64_t>(0, candidate.national_sightings)));
  return confidence * recency * sightings;
}

std::vector<std::string> EntryIndicatorIds(const FeedEntry& entry, const std::vector<Candidate>& candidates) {
  std::vector<std::string> ids;
  for (std::uint32_t source : entry.sources) ids.push_back(candidates[source].indicator_id);
  SortUnique(ids);
  return ids;
}

Provenance EntryProvenance(const FeedEntry& entry, const std::vector<Candidate>& candidates) {
  Provenance out;
  for (std::uint32_t source : entry.sources) {
    const Candidate& candidate = candidates[source];
    out.object_ids.push_back(candidate.indicator_id);
    out.object_ids.insert(out.object_ids.end(), candidate.provenance.object_ids.begin(),
                          candidate.provenance.object_ids.end());
    out.producers.push_back(candidate.producer);
    out.producers.insert(out.producers.end(), candidate.provenance.producers.begin(),
                         candidate.provenance.producers.end());
    out.approvals.insert(out.approvals.end(), candidate.provenance.approvals.begin(),
                         candidate.provenance.approvals.end());
  }
  SortUnique(out.object_ids);
  SortUnique(out.producers);
  SortUnique(out.approvals);
  return out;
}

Result<Feed> BuildFeed(const FeedInput& input) {
  const Profile& profile = input.profile;
  DV_TRY(ValidateProfile(profile));
  Shields shields;
  DV_TRY(AddProtected(input.never_block, Shield::kNeverBlock, "never_block", shields));
  DV_TRY(AddProtected(input.allow, Shield::kAllow, "allow", shields));
  if (input.warning_lists != nullptr) {
    for (const WarningList& list : input.warning_lists->lists()) {
      for (const std::string& domain : list.domains) {
        auto normalised = NormaliseDomain(domain);
        // A warning-list entry that is not a blockable name (a TLD, '_')
        // cannot collide with a validated indicator; its parents still count.
        const std::string name = normalised.ok() ? *normalised : domain;
        shields.AddDomain(name, Shield::kWarning, list.name + ": " + name);
      }
      for (const IpNetwork& network : list.networks) {
        shields.AddNetwork(network, Shield::kWarning, list.name + ": " + FormatNetwork(network));
      }
    }
  }
  if (input.candidates.size() > std::numeric_limits<std::uint32_t>::max()) {
    return Error::InvalidArgument("candidates: more than 2^32 entries");
  }

  StringSet trusted(profile.trusted_producers.begin(), profile.trusted_producers.end());
  if (trusted.empty()) trusted.insert(input.coordinator);
  StringSet collections(profile.collections.begin(), profile.collections.end());
  std::array<bool, 6> kind_wanted{};
  for (ValueKind kind : profile.kinds) kind_wanted[static_cast<std::size_t>(kind)] = true;
  // "*." + name + "." + origin must fit in 253 characters (255 octets on the wire).
  const std::size_t origin_length = input.rpz_origin.empty() ? 0 : input.rpz_origin.size() + 1;
  const std::size_t max_zone_domain = origin_length + 2 < kMaxDomainLength ? kMaxDomainLength - 2 - origin_length : 0;

  Feed feed;
  auto leave_out = [&](const Candidate& candidate, std::string_view value, LeftOutReason reason, std::string detail) {
    feed.left_out.push_back({candidate.indicator_id, Printable(value), reason, std::move(detail)});
    ++feed.left_out_counts[static_cast<std::size_t>(reason)];
  };

  struct Pending {
    FeedEntry entry;
    bool enforce = false;
  };
  std::vector<Pending> pending;
  pending.reserve(input.candidates.size());
  StringMap<std::uint32_t> by_key;
  by_key.reserve(input.candidates.size());
  std::string key;
  auto add_entry = [&](std::uint32_t source, EntryKind kind, std::string value, const IpNetwork& network,
                       const std::string& carved_from, bool enforce, MonitorReason monitor_reason, double priority) {
    key.assign(1, static_cast<char>('0' + static_cast<int>(kind)));
    key += value;
    auto [it, inserted] = by_key.try_emplace(key, static_cast<std::uint32_t>(pending.size()));
    if (inserted) {
      Pending& fresh = pending.emplace_back();
      fresh.entry.kind = kind;
      fresh.entry.value = std::move(value);
      fresh.entry.network = network;
      fresh.entry.carved_from = carved_from;
      fresh.entry.monitor_reason = monitor_reason;
      fresh.entry.priority = priority;
      fresh.enforce = enforce;
      fresh.entry.sources.push_back(source);
      return;
    }
    Pending& existing = pending[it->second];
    if (existing.entry.sources.back() != source) existing.entry.sources.push_back(source);
    existing.entry.priority = std::max(existing.entry.priority, priority);
    if (enforce) existing.enforce = true;
    if (existing.entry.carved_from.empty() || carved_from.empty()) existing.entry.carved_from.clear();
  };

  for (std::uint32_t idx = 0; idx < static_cast<std::uint32_t>(input.candidates.size()); ++idx) {
    const Candidate& candidate = input.candidates[idx];
    if (candidate.kind == ValueKind::kOther) {
      leave_out(
          candidate, candidate.value, LeftOutReason::kNotBlockableKind,
          candidate.other_kind.empty() ? "not a domain, address, prefix or URL" : Printable(candidate.other_kind));
      continue;
    }
    if (!kind_wanted[static_cast<std::size_t>(candidate.kind)]) {
      leave_out(candidate, candidate.value, LeftOutReason::kKindNotInProfile,
                "kind " + std::string(ValueKindName(candidate.kind)) + " not in the profile");
      continue;
    }
    // Validation.
    EntryKind kind = EntryKind::kDomain;
    std::string value;
    IpNetwork network;
    Url url;
    if (candidate.kind == ValueKind::kDomain) {
      auto domain = NormaliseDomain(candidate.value);
      if (!domain.ok()) {
        leave_out(candidate, candidate.value, LeftOutReason::kInvalidValue, domain.error().message());
        continue;
      }
      if (domain->size() > max_zone_domain) {
        leave_out(candidate, candidate.value, LeftOutReason::kInvalidValue,
                  "name too long for a '*.' trigger below the RPZ origin");
        continue;
      }
      value = std::move(*domain);
    } else if (candidate.kind == ValueKind::kUrl) {
      auto parsed = NormaliseUrl(candidate.value);
      if (!parsed.ok()) {
        leave_out(candidate, candidate.value, LeftOutReason::kInvalidValue, parsed.error().message());
        continue;
      }
      kind = EntryKind::kUrl;
      url = std::move(*parsed);
      value = url.text;
    } else {
      auto parsed = ParseNetwork(candidate.value);
      if (!parsed.ok()) {
        leave_out(candidate, candidate.value, LeftOutReason::kInvalidValue, parsed.error().message());
        continue;
      }
      if ((candidate.kind == ValueKind::kIpv4 && parsed->address.v6) ||
          (candidate.kind == ValueKind::kIpv6 && !parsed->address.v6)) {
        leave_out(candidate, candidate.value, LeftOutReason::kInvalidValue,
                  "address family does not match kind " + std::string(ValueKindName(candidate.kind)));
        continue;
      }
      kind = EntryKind::kNetwork;
      network = *parsed;
      value = FormatNetwork(network);
    }
    if (!collections.empty() && !collections.contains(candidate.collection)) {
      leave_out(candidate, value, LeftOutReason::kCollectionNotInProfile,
                "collection " + Printable(candidate.collection, 80) + " not in the profile");
      continue;
    }
    if (!(candidate.confidence >= profile.min_confidence)) {
      leave_out(candidate, value, LeftOutReason::kBelowConfidence,
                "confidence " + FormatConfidence(candidate.confidence) + " below " +
                    FormatConfidence(profile.min_confidence));
      continue;
    }
    if (kind == EntryKind::kNetwork) {
      const int min_prefix = network.address.v6 ? profile.min_prefix_v6 : profile.min_prefix_v4;
      if (network.prefix < min_prefix) {
        leave_out(candidate, value, LeftOutReason::kPrefixTooWide,
                  "prefix /" + std::to_string(network.prefix) + " wider than /" + std::to_string(min_prefix));
        continue;
      }
    }
    // Never-block, allow-list, warning lists.
    const ShieldHit* hit = nullptr;
    std::string how;
    if (kind == EntryKind::kDomain) {
      hit = shields.DomainProtected(value);
      if (hit == nullptr) {
        hit = shields.DomainAbove(value);
        how = "parent of ";
      }
    } else if (kind == EntryKind::kUrl) {
      if (url.host_is_address) {
        hit = shields.NetworkProtected(url.address);
      } else {
        hit = shields.DomainProtected(url.host);
      }
      how = "host on ";
    } else {
      hit = shields.NetworkProtected(network);
    }
    if (hit != nullptr) {
      leave_out(candidate, value, ReasonOf(hit->shield),
                how + std::string(ShieldLabel(hit->shield)) + ": " + hit->entry);
      continue;
    }
    // Trust.
    const bool coordinator_approved =
        candidate.producer == input.coordinator || Contains(candidate.provenance.approvals, input.coordinator);
    bool vouched = trusted.contains(candidate.producer);
    for (const std::string& approver : candidate.provenance.approvals) vouched = vouched || trusted.contains(approver);
    MonitorReason monitor_reason = MonitorReason::kNone;
    if (profile.monitor_only) {
      monitor_reason = MonitorReason::kMonitorOnlyProfile;
    } else if (!vouched) {
      monitor_reason = MonitorReason::kUntrusted;
    } else if (profile.require_corroboration && !(candidate.corroborated || coordinator_approved)) {
      monitor_reason = MonitorReason::kSingleSource;
    }
    const bool enforce = monitor_reason == MonitorReason::kNone;
    const double priority = Priority(candidate, input.now);
    if (kind == EntryKind::kNetwork) {
      const std::vector<IpNetwork> holes = shields.NetworksInside(network);
      if (!holes.empty()) {
        ++feed.carved_prefixes;
        const std::string carved_from = value;
        for (const IpNetwork& piece : CarveNetwork(network, holes)) {
          add_entry(idx, kind, FormatNetwork(piece), piece, carved_from, enforce, monitor_reason, priority);
        }
        continue;
      }
    }
    add_entry(idx, kind, std::move(value), network, "", enforce, monitor_reason, priority);
  }

  by_key = {};
  std::size_t enforced = 0;
  for (const Pending& item : pending) enforced += item.enforce ? 1 : 0;
  feed.enforce.reserve(enforced);
  feed.monitor.reserve(pending.size() - enforced);
  for (Pending& item : pending) {
    if (item.enforce) {
      item.entry.monitor_reason = MonitorReason::kNone;
      feed.enforce.push_back(std::move(item.entry));
    } else {
      feed.monitor.push_back(std::move(item.entry));
    }
  }
  pending.clear();

  if (profile.max_entries > 0 && feed.enforce.size() + feed.monitor.size() > profile.max_entries) {
    auto by_priority = [](const FeedEntry& left, const FeedEntry& right) {
      if (left.priority != right.priority) return left.priority > right.priority;
      return EntryLess(left, right);
    };
    std::sort(feed.enforce.begin(), feed.enforce.end(), by_priority);
    std::sort(feed.monitor.begin(), feed.monitor.end(), by_priority);
    std::size_t budget = profile.max_entries;
    auto cut = [&](std::vector<FeedEntry>& entries) {
      const std::size_t keep = std::min(budget, entries.size());
      budget -= keep;
      for (std::size_t entry_idx = keep; entry_idx < entries.size(); ++entry_idx) {
        const FeedEntry& entry = entries[entry_idx];
        feed.left_out.push_back({input.candidates[entry.sources.front()].indicator_id, entry.value,
                                 LeftOutReason::kOverMaxEntries,
                                 "over max_entries " + std::to_string(profile.max_entries)});
        ++feed.left_out_counts[static_cast<std::size_t>(LeftOutReason::kOverMaxEntries)];
      }
      entries.resize(keep);
    };
    cut(feed.enforce);
    cut(feed.monitor);
  }
  std::sort(feed.enforce.begin(), feed.enforce.end(), EntryLess);
  std::sort(feed.monitor.begin(), feed.monitor.end(), EntryLess);
  return feed;
}

std::string FeedReportJson(const Feed& feed, std::size_t max_left_out) {
  nlohmann::json counts = nlohmann::json::object();
  for (std::size_t idx = 0; idx < kLeftOutReasonCount; ++idx) {
    counts[std::string(LeftOutReasonName(static_cast<LeftOutReason>(idx)))] = feed.left_out_counts[idx];
  }
  nlohmann::json left_out = nlohmann::json::array();
  for (std::size_t idx = 0; idx < feed.left_out.size() && idx < max_left_out; ++idx) {
    const LeftOut& item = feed.left_out[idx];
    left_out.push_back({{"indicator", item.indicator_id},
                        {"value", item.value},
                        {"reason", LeftOutReasonName(item.reason)},
                        {"detail", item.detail}});
  }
  std::array<std::size_t, 4> monitor_counts{};
  for (const FeedEntry& entry : feed.monitor) ++monitor_counts[static_cast<std::size_t>(entry.monitor_reason)];
  nlohmann::json monitored = nlohmann::json::object();
  for (std::size_t idx = 1; idx < monitor_counts.size(); ++idx) {
    monitored[std::string(MonitorReasonName(static_cast<MonitorReason>(idx)))] = monitor_counts[idx];
  }
  nlohmann::json report = {
      {"enforced", feed.enforce.size()},  {"monitored", feed.monitor.size()},
      {"monitored_by_reason", monitored}, {"carved_prefixes", feed.carved_prefixes},
      {"left_out", feed.left_out.size()}, {"left_out_by_reason", counts},
      {"left_out_entries", left_out},     {"left_out_entries_truncated", feed.left_out.size() > max_left_out}};
  return report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

BlockablePattern BlockableObservables(std::string_view stix_pattern) {
  BlockablePattern out;
  auto parsed = ParseStixPattern(stix_pattern);
  if (!parsed.ok()) {
    out.reason = "pattern does not parse: " + parsed.error().message();
    return out;
  }
  std::function<bool(const StixComparisonExpression&)> comparisons = [&](const StixComparisonExpression& expression) {
    if (expression.kind == StixComparisonExpression::Kind::kAnd) {
      out.reason = "AND of comparisons";
      return false;
    }
    if (expression.kind == StixComparisonExpression::Kind::kOr) {
      for (const auto& operand : expression.operands) {
        if (!comparisons(operand)) return false;
      }
      return true;
    }
    const StixComparison& comparison = expression.comparison;
    if (comparison.negated) {
      out.reason = "negated comparison";
      return false;
    }
    if (comparison.op != StixOperator::kEqual && comparison.op != StixOperator::kIn) {
      out.reason = "operator " + std::string(StixOperatorName(comparison.op));
      return false;
    }
    ValueKind kind = ValueKind::kOther;
    if (comparison.path.Is("ipv4-addr", {"value"})) {
      kind = ValueKind::kIpv4;
    } else if (comparison.path.Is("ipv6-addr", {"value"})) {
      kind = ValueKind::kIpv6;
    } else if (comparison.path.Is("domain-name", {"value"})) {
      kind = ValueKind::kDomain;
    } else if (comparison.path.Is("url", {"value"})) {
      kind = ValueKind::kUrl;
    } else {
      out.reason = "object path '" + comparison.path.ToString() + "'";
      return false;
    }
    for (const StixConstant& constant : comparison.values) {
      if (constant.type != StixConstantType::kString) {
        out.reason = "value that is not a string";
        return false;
      }
      out.values.push_back({kind, constant.text});
    }
    return true;
  };
  std::function<bool(const StixObservationExpression&)> observations = [&](const StixObservationExpression& node) {
    if (!node.qualifiers.empty()) {
      out.reason = "qualifier on an observation";
      return false;
    }
    switch (node.kind) {
      case StixObservationExpression::Kind::kObservation:
        return comparisons(node.comparison);
      case StixObservationExpression::Kind::kOr:
        for (const auto& operand : node.operands) {
          if (!observations(operand)) return false;
        }
        return true;
      case StixObservationExpression::Kind::kAnd:
        out.reason = "AND of observations";
        return false;
      case StixObservationExpression::Kind::kFollowedBy:
        out.reason = "FOLLOWEDBY of observations";
        return false;
    }
    return false;
  };
  if (!observations(parsed->root)) out.values.clear();
  if (out.values.empty() && out.reason.empty()) out.reason = "no values";
  return out;
}

}  // namespace dv::protect
