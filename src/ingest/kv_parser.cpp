// SPDX-License-Identifier: Apache-2.0
#include "ingest/kv_parser.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "ingest/log_time.h"

namespace dv {
namespace {

bool IsPairKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

enum class SplitEnd { kDone, kUnterminated, kTooMany };

// Calls fn(key, raw_value, quoted) for each pair of `body`, in order. On
// kUnterminated, `fault_key` names the pair whose quote never closed.
template <typename Fn>
SplitEnd ForEachPair(std::string_view body, Fn&& fn, std::string_view& fault_key) {
  std::size_t pos = 0;
  std::size_t pairs = 0;
  const std::size_t size = body.size();
  while (pos < size) {
    while (pos < size && IsBlank(body[pos])) ++pos;
    if (pos >= size) break;
    const std::size_t key_start = pos;
    while (pos < size && IsPairKeyChar(body[pos])) ++pos;
    if (pos == key_start || pos >= size || body[pos] != '=') {
      while (pos < size && !IsBlank(body[pos])) ++pos;  // a word that is not a pair
      continue;
    }
    const std::string_view key = body.substr(key_start, pos - key_start);
    ++pos;  // '='
    std::string_view value;
    bool quoted = false;
    if (pos < size && body[pos] == '"') {
      const std::size_t value_start = ++pos;
      while (pos < size && body[pos] != '"') pos += (body[pos] == '\\' && pos + 1 < size) ? 2 : 1;
      if (pos >= size) {
        fault_key = key;
        return SplitEnd::kUnterminated;
      }
      value = body.substr(value_start, pos - value_start);
      ++pos;  // the closing quote
      quoted = true;
    } else {
      const std::size_t value_start = pos;
      while (pos < size && !IsBlank(body[pos])) ++pos;
      value = body.substr(value_start, pos - value_start);
    }
    if (++pairs > KeyValueParser::kMaxPairs) return SplitEnd::kTooMany;
    fn(key, value, quoted);
  }
  return SplitEnd::kDone;
}

// The key=value text of a line and the syslog header before it, if any.
// BSD syslog has no delimiter between TAG and content, and SyslogParser takes
// the first word with a ':' for the TAG; Zyxel's src="1.2.3.4:500" is such a
// word, so the body starts at the first header part that holds a '='.
struct Split {
  std::optional<SyslogHeader> header;
  std::string_view body;
};

Result<Split> SplitLine(const SyslogParser& syslog, std::string_view line) {
  Split split;
  split.body = line;
  if (!SyslogParser::LooksLikeSyslog(line)) return split;
  auto parsed = syslog.ParseHeader(line);
  if (!parsed.ok()) return parsed.error();
  SyslogHeader header = *parsed;
  split.body = header.message;
  if (!header.rfc5424) {
    auto from = [&](std::string_view part) { return line.substr(static_cast<std::size_t>(part.data() - line.data())); };
    if (!header.host.empty() && header.host.find('=') != std::string_view::npos) {
      split.body = from(header.host);
      header.host = header.app = header.procid = {};
    } else if (!header.app.empty() && header.app.find('=') != std::string_view::npos) {
      split.body = from(header.app);
      header.app = header.procid = {};
    }
  }
  header.message = split.body;
  split.header = header;
  return split;
}

// Keys that make a vendor's signature; bit i of the mask is kSignatureKeys[i].
struct SignatureKey {
  std::string_view key;
  std::uint32_t bit;
};
constexpr std::array<SignatureKey, 12> kSignatureKeys = {{{"devname", 1U << 0},
                                                          {"devid", 1U << 1},
                                                          {"logid", 1U << 2},
                                                          {"devID", 1U << 3},
                                                          {"cat", 1U << 4},
                                                          {"msg", 1U << 5},
                                                          {"log_id", 1U << 6},
                                                          {"log_type", 1U << 7},
                                                          {"log_component", 1U << 8},
                                                          {"id", 1U << 9},
                                                          {"sn", 1U << 10},
                                                          {"m", 1U << 11}}};

struct VendorSignature {
  FirewallVendor vendor;
  std::uint32_t mask;
};
constexpr std::array<VendorSignature, 4> kVendors = {{
    {FirewallVendor::kFortinet, (1U << 0) | (1U << 1) | (1U << 2)},
    {FirewallVendor::kZyxel, (1U << 3) | (1U << 4) | (1U << 5)},
    {FirewallVendor::kSophos, (1U << 6) | (1U << 7) | (1U << 8)},
    {FirewallVendor::kSonicWall, (1U << 9) | (1U << 10) | (1U << 11)},
}};

enum class KeyRole : std::uint8_t { kOther, kSourceAddress, kDestinationAddress };
struct NetworkKey {
  std::string_view key;  // lower case; compared ASCII case-insensitively
  KeyRole role;
};
constexpr std::array<NetworkKey, 31> kNetworkKeys = {{
    {"src", KeyRole::kSourceAddress},
    {"srcip", KeyRole::kSourceAddress},
    {"src_ip", KeyRole::kSourceAddress},
    {"sourceip", KeyRole::kSourceAddress},
    {"source_ip", KeyRole::kSourceAddress},
    {"saddr", KeyRole::kSourceAddress},
    {"dst", KeyRole::kDestinationAddress},
    {"dstip", KeyRole::kDestinationAddress},
    {"dst_ip", KeyRole::kDestinationAddress},
    {"destip", KeyRole::kDestinationAddress},
    {"dest_ip", KeyRole::kDestinationAddress},
    {"destinationip", KeyRole::kDestinationAddress},
    {"daddr", KeyRole::kDestinationAddress},
    {"sport", KeyRole::kOther},
    {"dport", KeyRole::kOther},
    {"srcport", KeyRole::kOther},
    {"dstport", KeyRole::kOther},
    {"src_port", KeyRole::kOther},
    {"dst_port", KeyRole::kOther},
    {"spt", KeyRole::kOther},
    {"dpt", KeyRole::kOther},
    {"proto", KeyRole::kOther},
    {"protocol", KeyRole::kOther},
    {"action", KeyRole::kOther},
    {"policyid", KeyRole::kOther},
    {"rule", KeyRole::kOther},
    {"in", KeyRole::kOther},
    {"out", KeyRole::kOther},
    {"len", KeyRole::kOther},
    {"ttl", KeyRole::kOther},
    {"service", KeyRole::kOther},
}};

struct KeySummary {
  std::uint32_t signature = 0;
  int network_keys = 0;
  bool source_address = false;
  bool destination_address = false;
};

void CountKey(std::string_view key, KeySummary& summary) {
  for (const SignatureKey& signature : kSignatureKeys) {
    if (signature.key == key) summary.signature |= signature.bit;
  }
  // Lower-cased once into a small buffer (no known key is longer), then
  // compared with plain ==: this runs for every pair of every syslog line
  // with three or more '='.
  constexpr std::size_t kLongestKey = 16;
  if (key.size() > kLongestKey) return;
  std::array<char, kLongestKey> lower{};
  for (std::size_t pos = 0; pos < key.size(); ++pos) {
    const char c = key[pos];
    lower[pos] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view folded(lower.data(), key.size());
  // The known keys by length, so that a key is compared with a few only.
  static const std::array<std::vector<const NetworkKey*>, kLongestKey + 1> kByLength = [] {
    std::array<std::vector<const NetworkKey*>, kLongestKey + 1> by_length;
    for (const NetworkKey& known : kNetworkKeys) by_length[known.key.size()].push_back(&known);
    return by_length;
  }();
  for (const NetworkKey* known_key : kByLength[key.size()]) {
    const NetworkKey& known = *known_key;
    if (known.key != folded) continue;
    ++summary.network_keys;
    if (known.role == KeyRole::kSourceAddress) summary.source_address = true;
    if (known.role == KeyRole::kDestinationAddress) summary.destination_address = true;
    break;
  }
}

FirewallVendor VendorOf(const KeySummary& summary) {
  for (const VendorSignature& vendor : kVendors) {
    if ((summary.signature & vendor.mask) == vendor.mask) return vendor.vendor;
  }
  if (summary.network_keys >= KeyValueParser::kMinGenericKeys && summary.source_address &&
      summary.destination_address) {
    return FirewallVendor::kGeneric;
  }
  return FirewallVendor::kNone;
}

std::string_view ProductOf(FirewallVendor vendor) {
  switch (vendor) {
    case FirewallVendor::kFortinet:
      return "FortiGate";
    case FirewallVendor::kZyxel:
      return "USG";
    case FirewallVendor::kSophos:
      return "Sophos Firewall";
    case FirewallVendor::kSonicWall:
      return "SonicOS";
    case FirewallVendor::kNone:
    case FirewallVendor::kGeneric:
      break;
  }
  return {};
}

// "1.2.3.4:500", "1.2.3.4:500:X1" (SonicWall's interface), "[2001:db8::1]:500",
// or a bare address: the address and the port (empty when there is none).
std::pair<std::string_view, std::string_view> SplitAddressPort(std::string_view value) {
  if (value.starts_with('[')) {
    const std::size_t close = value.find(']');
    if (close == std::string_view::npos) return {value, {}};
    std::string_view port = value.substr(close + 1);
    if (port.starts_with(':')) port.remove_prefix(1);
    return {value.substr(1, close - 1), port.substr(0, port.find(':'))};
  }
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos) return {value, {}};
  const std::string_view address = value.substr(0, colon);
  if (address.find('.') == std::string_view::npos) return {value, {}};  // IPv6 without a port
  std::string_view port = value.substr(colon + 1);
  return {address, port.substr(0, port.find(':'))};
}

// "+0100" / "-0530" as minutes east of UTC.
std::optional<int> ZoneMinutes(std::string_view zone) {
  if (zone.size() != 5 || (zone[0] != '+' && zone[0] != '-')) return std::nullopt;
  int digits = 0;
  for (std::size_t idx = 1; idx < 5; ++idx) {
    if (zone[idx] < '0' || zone[idx] > '9') return std::nullopt;
    digits = digits * 10 + (zone[idx] - '0');
  }
  const int minutes = (digits / 100) * 60 + digits % 100;
  return zone[0] == '-' ? -minutes : minutes;
}

}  // namespace

std::string_view FirewallVendorName(FirewallVendor vendor) {
  switch (vendor) {
    case FirewallVendor::kNone:
      return "none";
    case FirewallVendor::kGeneric:
      return "generic";
    case FirewallVendor::kFortinet:
      return "Fortinet";
    case FirewallVendor::kZyxel:
      return "Zyxel";
    case FirewallVendor::kSophos:
      return "Sophos";
    case FirewallVendor::kSonicWall:
      return "SonicWall";
  }
  return "none";
}

FirewallVendor KeyValueParser::Classify(std::string_view line) const {
  // Every signature has three keys: a line with fewer '=' is not a firewall
  // line, whatever else it holds (most syslog lines end here).
  if (std::count(line.begin(), line.end(), '=') < 3) return FirewallVendor::kNone;
  // The whole line is split, header included: the words of a syslog header
  // hold no '=', so they are skipped as words that are not pairs, and the
  // header need not be parsed twice.
  const std::string_view whole = line;
  if (line.starts_with('<')) {
    const std::size_t close = line.find('>');
    if (close != std::string_view::npos && close <= 4) line.remove_prefix(close + 1);  // "<PRI>", glued to a key
    // RFC 5424: the structured data holds key="value" pairs of its own,
    // which are not the message's.
    if (line.starts_with("1 ")) {
      auto split = SplitLine(syslog_, whole);
      if (!split.ok()) return FirewallVendor::kNone;
      line = split->body;
    }
  }
  KeySummary summary;
  std::string_view fault_key;
  const SplitEnd end = ForEachPair(
      line, [&](std::string_view key, std::string_view, bool) { CountKey(key, summary); }, fault_key);
  // The key whose quote never closed counts, so that such a line is a bad
  // firewall record rather than a syslog message.
  if (end == SplitEnd::kUnterminated) CountKey(fault_key, summary);
  return VendorOf(summary);
}

Status KeyValueParser::ParseLine(std::string_view line, Event& event) {
  event.Clear();
  auto split = SplitLine(syslog_, line);
  if (!split.ok()) return split.error().WithContext("syslog header before key=value pairs");
  if (split->header) {
    DV_TRY(syslog_.AddHeaderFields(*split->header, event));
    event.time = split->header->time;
  }
  // The text as the syslog reader would give it, so that keyword rules and
  // the syslog log sources see a firewall line as they did before.
  event.Add("message", split->body);
  KeySummary summary;
  std::string_view fault_key;
  std::string_view date, time, zone, timestamp, src, dst;
  const SplitEnd end = ForEachPair(
      split->body,
      [&](std::string_view key, std::string_view value, bool quoted) {
        CountKey(key, summary);
        if (key == "date") date = value;
        if (key == "time") time = value;
        if (key == "tz") zone = value;
        if (key == "timestamp") timestamp = value;
        if (key == "src") src = value;
        if (key == "dst") dst = value;
        if (!quoted || value.find('\\') == std::string_view::npos) {
          event.Add(key, value);
          return;
        }
        scratch_.clear();
        for (std::size_t pos = 0; pos < value.size(); ++pos) {
          if (value[pos] == '\\' && pos + 1 < value.size()) ++pos;
          scratch_.push_back(value[pos]);
        }
        event.Add(key, scratch_);
      },
      fault_key);
  if (end == SplitEnd::kUnterminated) {
    event.Clear();
    return Error::Parse("unterminated quoted value of '" + std::string(fault_key.substr(0, 64)) + "'");
  }
  if (end == SplitEnd::kTooMany) {
    event.Clear();
    return Error::Parse("more than " + std::to_string(kMaxPairs) + " key=value pairs");
  }

  const FirewallVendor vendor = VendorOf(summary);
  event.Add("observer.type", "firewall");
  scratch_.assign("firewall.");
  for (const char c : FirewallVendorName(vendor == FirewallVendor::kNone ? FirewallVendor::kGeneric : vendor)) {
    scratch_.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  event.Add("event.dataset", scratch_);
  if (vendor != FirewallVendor::kGeneric && vendor != FirewallVendor::kNone) {
    event.Add("observer.vendor", FirewallVendorName(vendor));
    event.Add("observer.product", ProductOf(vendor));
  }
  if (vendor == FirewallVendor::kZyxel || vendor == FirewallVendor::kSonicWall) {
    if (!src.empty()) {
      const auto [address, port] = SplitAddressPort(src);
      event.Add("source.ip", address);
      if (!port.empty()) event.Add("source.port", port);
    }
    if (!dst.empty()) {
      const auto [address, port] = SplitAddressPort(dst);
      event.Add("destination.ip", address);
      if (!port.empty()) event.Add("destination.port", port);
    }
  }
  if (!event.time && !date.empty() && !time.empty()) {
    scratch_.assign(date);
    scratch_.push_back(' ');
    scratch_.append(time);
    if (auto parsed = ParseLogTime(scratch_)) {
      if (const auto minutes = ZoneMinutes(zone)) *parsed = Timestamp(parsed->unix_ms() - *minutes * 60'000LL);
      event.time = parsed;
    }
  }
  if (!event.time && !timestamp.empty()) event.time = ParseLogTimeCompactZone(timestamp);
  if (!event.time && date.empty() && time.ends_with(" UTC")) event.time = ParseLogTime(time.substr(0, time.size() - 4));
  return Ok();
}

}  // namespace dv
