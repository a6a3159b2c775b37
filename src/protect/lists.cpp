// SPDX-License-Identifier: Apache-2.0
#include "protect/lists.h"

#include "protect/value.h"

namespace dv::protect {
namespace {

Status CheckName(std::string_view name, std::string_view field, std::size_t max_length = 63) {
  if (name.empty() || name.size() > max_length) {
    return Error::InvalidArgument(std::string(field) + ": must be 1 to " + std::to_string(max_length) + " characters");
  }
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return Error::InvalidArgument(std::string(field) + ": only letters, digits, '_', '-' and '.'");
  }
  if (!((name.front() >= 'a' && name.front() <= 'z') || (name.front() >= 'A' && name.front() <= 'Z'))) {
    return Error::InvalidArgument(std::string(field) + ": must start with a letter");
  }
  return Ok();
}

// A RouterOS string literal: double quotes, with '\', '"', '$' and '?'
// escaped and anything outside printable ASCII as \XX.
std::string RouterOsQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"' || c == '$' || c == '?') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += '\\';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The networks of one family with every network that lies inside another
// one dropped (entries are sorted by address, then length).
std::vector<const FeedEntry*> OutermostNetworks(const Feed& feed, bool v6) {
  std::vector<const FeedEntry*> out;
  for (const FeedEntry& entry : feed.enforce) {
    if (entry.kind != EntryKind::kNetwork || entry.network.address.v6 != v6) continue;
    if (!out.empty() && NetworkCovers(out.back()->network, entry.network)) continue;
    out.push_back(&entry);
  }
  return out;
}

}  // namespace

std::string WritePaloAltoList(const Feed& feed, ListKind kind) {
  std::string out;
  for (const FeedEntry& entry : feed.enforce) {
    if (kind == ListKind::kAddress && entry.kind == EntryKind::kNetwork) {
      out += entry.value;
      out += '\n';
    } else if (kind == ListKind::kDomain && entry.kind == EntryKind::kDomain) {
      out += entry.value;
      out += '\n';
    } else if (kind == ListKind::kUrl && entry.kind == EntryKind::kUrl) {
      // PAN-OS URL entries are written without the scheme.
      out += entry.value.substr(entry.value.find("://") + 3);
      out += '\n';
    }
  }
  return out;
}

std::string WriteFortiGateList(const Feed& feed, ListKind kind) {
  std::string out;
  for (const FeedEntry& entry : feed.enforce) {
    if (kind == ListKind::kAddress && entry.kind == EntryKind::kNetwork) {
      out += entry.value;
      out += '\n';
    } else if (kind == ListKind::kDomain && entry.kind == EntryKind::kDomain) {
      out += entry.value;
      out += "\n*.";
      out += entry.value;
      out += '\n';
    } else if (kind == ListKind::kUrl && entry.kind == EntryKind::kUrl) {
      out += entry.value;
      out += '\n';
    }
  }
  return out;
}

Result<std::string> WriteMikroTikScript(const Feed& feed, const std::vector<Candidate>& candidates,
                                        const MikroTikOptions& options) {
  DV_TRY(CheckName(options.list, "list"));
  const std::string list = RouterOsQuote(options.list);
  std::string out = "# Dannevirke protection feed: replaces address list " + list + "\n";
  for (const char* family : {"/ip", "/ipv6"}) {
    out += family;
    out += " firewall address-list remove [find list=" + list + "]\n";
  }
  for (const FeedEntry& entry : feed.enforce) {
    if (entry.kind != EntryKind::kNetwork) continue;
    out += entry.network.address.v6 ? "/ipv6" : "/ip";
    out += " firewall address-list add list=" + list + " address=" + RouterOsQuote(entry.value);
    if (options.timeout_seconds > 0) out += " timeout=" + std::to_string(options.timeout_seconds) + "s";
    if (!entry.sources.empty() && entry.sources.front() < candidates.size()) {
      out += " comment=" + RouterOsQuote(candidates[entry.sources.front()].indicator_id);
    }
    out += '\n';
  }
  return out;
}

Result<std::string> WriteNftables(const Feed& feed, const NftOptions& options) {
  DV_TRY(CheckName(options.table, "table"));
  DV_TRY(CheckName(options.set_v4, "set_v4"));
  DV_TRY(CheckName(options.set_v6, "set_v6"));
  const std::string timeout =
      options.element_timeout_seconds > 0 ? " timeout " + std::to_string(options.element_timeout_seconds) + "s" : "";
  std::string out = "# Dannevirke protection feed: nft -f this file\n";
  out += "add table inet " + options.table + "\n";
  for (bool v6 : {false, true}) {
    const std::string& set = v6 ? options.set_v6 : options.set_v4;
    out += "add set inet " + options.table + " " + set + " { type " + (v6 ? "ipv6_addr" : "ipv4_addr") +
           "; flags interval" + (options.element_timeout_seconds > 0 ? ", timeout" : "") + "; }\n";
    out += "flush set inet " + options.table + " " + set + "\n";
    const std::vector<const FeedEntry*> networks = OutermostNetworks(feed, v6);
    if (networks.empty()) continue;
    out += "add element inet " + options.table + " " + set + " {\n";
    for (std::size_t idx = 0; idx < networks.size(); ++idx) {
      out += "  ";
      out += networks[idx]->value;
      out += timeout;
      out += idx + 1 < networks.size() ? ",\n" : "\n";
    }
    out += "}\n";
  }
  return out;
}

Result<std::string> WriteIpsetRestore(const Feed& feed, const IpsetOptions& options) {
  DV_TRY(CheckName(options.set_v4, "set_v4", 31));
  DV_TRY(CheckName(options.set_v6, "set_v6", 31));
  const std::string timeout = options.timeout_seconds > 0 ? " timeout " + std::to_string(options.timeout_seconds) : "";
  std::string out;
  for (bool v6 : {false, true}) {
    const std::string& set = v6 ? options.set_v6 : options.set_v4;
    out += "create " + set + " hash:net family " + (v6 ? "inet6" : "inet") + timeout + " -exist\n";
    out += "flush " + set + "\n";
    for (const FeedEntry& entry : feed.enforce) {
      if (entry.kind != EntryKind::kNetwork || entry.network.address.v6 != v6) continue;
      out += "add " + set + " " + entry.value + timeout + " -exist\n";
    }
  }
  return out;
}

}  // namespace dv::protect
