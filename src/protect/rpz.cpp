// SPDX-License-Identifier: Apache-2.0
#include "protect/rpz.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "protect/value.h"

namespace dv::protect {
namespace {

// A relative owner name we are willing to write: LDH labels, optionally a
// leading "*" label, no trailing dot.
bool WellFormedRelative(std::string_view name) {
  if (name.empty() || name.size() > kMaxDomainLength || name.back() == '.' || name.front() == '.') return false;
  std::size_t label = 0;
  for (std::size_t at = 0; at < name.size(); ++at) {
    const char c = name[at];
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    const bool wildcard = c == '*' && at == 0 && name.size() > 2 && name[1] == '.';
    if (!ldh && !wildcard) return false;
    if (++label > kMaxLabelLength) return false;
  }
  return true;
}

void AppendUint(std::string& out, std::uint64_t value) { out += std::to_string(value); }

}  // namespace

std::string RpzIpOwner(const IpNetwork& network) {
  std::string out = std::to_string(network.prefix);
  const auto& bytes = network.address.bytes;
  if (!network.address.v6) {
    for (int idx = 3; idx >= 0; --idx) {
      out += '.';
      AppendUint(out, bytes[static_cast<std::size_t>(idx)]);
    }
    return out + ".rpz-ip";
  }
  std::array<unsigned, 8> groups{};
  for (std::size_t idx = 0; idx < 8; ++idx)
    groups[idx] = static_cast<unsigned>(bytes[idx * 2] << 8 | bytes[idx * 2 + 1]);
  int best_start = -1;
  int best_len = 0;
  for (int group = 0; group < 8;) {
    if (groups[static_cast<std::size_t>(group)] != 0) {
      ++group;
      continue;
    }
    int run = group;
    while (run < 8 && groups[static_cast<std::size_t>(run)] == 0) ++run;
    if (run - group >= 2 && run - group > best_len) {
      best_start = group;
      best_len = run - group;
    }
    group = run;
  }
  char buffer[8];
  for (int group = 7; group >= 0; --group) {
    if (best_start >= 0 && group == best_start + best_len - 1) {
      out += ".zz";
      group = best_start;
      continue;
    }
    std::snprintf(buffer, sizeof(buffer), "%x", groups[static_cast<std::size_t>(group)]);
    out += '.';
    out += buffer;
  }
  return out + ".rpz-ip";
}

Result<RpzZone> WriteRpz(const Feed& feed, const RpzOptions& options, RpzPart part) {
  auto ns = NormaliseDomain(options.primary_ns);
  // "localhost" has one label, which NormaliseDomain refuses for blocking;
  // as a name server name it is fine.
  const bool ns_is_localhost = options.primary_ns == "localhost" || options.primary_ns == "localhost.";
  if (!ns.ok() && !ns_is_localhost) return ns.error().WithContext("primary_ns");
  auto hostmaster = NormaliseDomain(options.hostmaster);
  if (!hostmaster.ok()) return hostmaster.error().WithContext("hostmaster");
  if (options.ttl == 0 || options.ttl > 604800) return Error::InvalidArgument("ttl: must be from 1 to 604800");
  std::string action;
  if (part == RpzPart::kMonitor) {
    action = "rpz-passthru.";
  } else {
    switch (options.action) {
      case Action::kNxdomain:
        action = ".";
        break;
      case Action::kNodata:
        action = "*.";
        break;
      case Action::kDrop:
        action = "rpz-drop.";
        break;
      case Action::kWalledGarden: {
        auto target = NormaliseDomain(options.walled_garden);
        if (!target.ok()) return target.error().WithContext("walled_garden");
        action = *target + ".";
        break;
      }
    }
  }
  const std::vector<FeedEntry>& entries = part == RpzPart::kEnforce ? feed.enforce : feed.monitor;
  RpzZone zone;
  zone.text.reserve(160 + entries.size() * 48);
  std::string& out = zone.text;
  out += "; Dannevirke protection feed (";
  out += part == RpzPart::kEnforce ? "enforce" : "monitor";
  out += "), serial ";
  AppendUint(out, options.serial);
  out += "\n$TTL ";
  AppendUint(out, options.ttl);
  out += "\n@ IN SOA ";
  out += ns_is_localhost ? std::string("localhost") : *ns;
  out += ". ";
  out += *hostmaster;
  out += ". ";
  for (std::uint32_t value : {options.serial, options.refresh, options.retry, options.expire, options.minimum}) {
    AppendUint(out, value);
    out += ' ';
  }
  out.back() = '\n';
  out += "@ IN NS ";
  out += ns_is_localhost ? std::string("localhost") : *ns;
  out += ".\n";
  std::string owner;
  for (const FeedEntry& entry : entries) {
    if (entry.kind == EntryKind::kUrl) continue;
    if (entry.kind == EntryKind::kDomain) {
      if (!WellFormedRelative(entry.value) || entry.value.size() + 2 > kMaxDomainLength) {
        ++zone.skipped;
        continue;
      }
      out += entry.value;
      out += " CNAME ";
      out += action;
      out += "\n*.";
      out += entry.value;
      out += " CNAME ";
      out += action;
      out += '\n';
      zone.triggers += 2;
      continue;
    }
    owner = RpzIpOwner(entry.network);
    if (!WellFormedRelative(owner)) {
      ++zone.skipped;
      continue;
    }
    out += owner;
    out += " CNAME ";
    out += action;
    out += '\n';
    ++zone.triggers;
  }
  return zone;
}

std::string WriteRpzMapping(const Feed& feed, const std::vector<Candidate>& candidates, std::uint32_t serial) {
  // Streamed rather than built as a JSON tree: a million owners would take
  // gigabytes as nlohmann::json nodes. Owners are sorted as the keys of the
  // object; every string goes through nlohmann's escaping.
  struct Owner {
    std::string name;
    const FeedEntry* entry;
    bool enforce;
  };
  std::vector<Owner> owners;
  owners.reserve((feed.enforce.size() + feed.monitor.size()) * 2);
  for (const auto* entries : {&feed.enforce, &feed.monitor}) {
    const bool enforce = entries == &feed.enforce;
    for (const FeedEntry& entry : *entries) {
      if (entry.kind == EntryKind::kUrl) continue;
      if (entry.kind == EntryKind::kDomain) {
        owners.push_back({entry.value, &entry, enforce});
        owners.push_back({"*." + entry.value, &entry, enforce});
      } else {
        owners.push_back({RpzIpOwner(entry.network), &entry, enforce});
      }
    }
  }
  std::sort(owners.begin(), owners.end(), [](const Owner& left, const Owner& right) { return left.name < right.name; });
  auto quote = [](const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  auto list = [&](const std::vector<std::string>& values) {
    std::string out = "[";
    for (std::size_t idx = 0; idx < values.size(); ++idx) {
      if (idx > 0) out += ", ";
      out += quote(values[idx]);
    }
    return out + "]";
  };
  std::string out = "{\n \"owners\": {";
  for (std::size_t idx = 0; idx < owners.size(); ++idx) {
    const Owner& owner = owners[idx];
    const Provenance provenance = EntryProvenance(*owner.entry, candidates);
    out += idx == 0 ? "\n  " : ",\n  ";
    out += quote(owner.name);
    out += ": {\"zone\": ";
    out += owner.enforce ? "\"enforce\"" : "\"monitor\"";
    out += ", \"indicators\": " + list(EntryIndicatorIds(*owner.entry, candidates));
    out += ", \"objects\": " + list(provenance.object_ids);
    out += ", \"producers\": " + list(provenance.producers);
    out += ", \"approvals\": " + list(provenance.approvals);
    if (!owner.entry->carved_from.empty()) out += ", \"carved_from\": " + quote(owner.entry->carved_from);
    out += "}";
  }
  out += owners.empty() ? "},\n" : "\n },\n";
  out += " \"serial\": " + std::to_string(serial) + "\n}\n";
  return out;
}

}  // namespace dv::protect
