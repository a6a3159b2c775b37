// SPDX-License-Identifier: Apache-2.0
#include "sensor/blocks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "ingest/log_time.h"
#include "protect/rpz.h"
#include "protect/value.h"

namespace dv::sensor {
namespace {

using Json = nlohmann::json;

std::vector<std::string_view> Tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t') ++pos;
    if (pos > start) tokens.push_back(text.substr(start, pos - start));
  }
  return tokens;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The time at the start of a line, in the forms resolvers and syslog write;
// the reference time when none is known.
Timestamp LineTime(std::string_view line, Timestamp reference) {
  // Unbound's own log file: "[1796529574] unbound[…]".
  if (line.size() > 2 && line[0] == '[') {
    const std::size_t close = line.find(']');
    const std::string_view digits = close == std::string_view::npos ? "" : line.substr(1, close - 1);
    std::int64_t seconds = 0;
    if (AllDigits(digits) && digits.size() <= 12 &&
        std::from_chars(digits.data(), digits.data() + digits.size(), seconds).ec == std::errc()) {
      return Timestamp(seconds * 1000);
    }
    return reference;
  }
  // BSD syslog, Unbound's log-time-ascii, journalctl: "Dec  6 03:59:45".
  if (auto bsd = ParseBsdTime(line, reference)) return *bsd;
  const std::vector<std::string_view> tokens = Tokens(line.substr(0, 64));
  if (tokens.empty()) return reference;
  // BIND's print-time: "06-Dec-2026 03:59:45.123".
  if (tokens.size() >= 2 && tokens[0].size() == 11 && tokens[0][2] == '-' && tokens[0][6] == '-') {
    const int month = MonthFromAbbreviation(tokens[0].substr(3, 3));
    const std::string_view day = tokens[0].substr(0, 2);
    const std::string_view year = tokens[0].substr(7, 4);
    if (month > 0 && AllDigits(day) && AllDigits(year)) {
      char iso[32];
      const int written = std::snprintf(iso, sizeof(iso), "%.4s-%02d-%.2sT", year.data(), month, day.data());
      if (written > 0 && tokens[1].size() <= 15) {
        if (auto parsed = ParseLogTime(std::string(iso) + std::string(tokens[1]))) return *parsed;
      }
    }
  }
  // RFC 3339 (rsyslog, journalctl -o short-iso) and BIND's ISO 8601 forms.
  if (auto parsed = ParseLogTime(tokens[0])) return *parsed;
  return reference;
}

// A DNS name as logged: lower case, without the trailing dot; nothing but
// LDH labels, '*' and '_' (BIND escapes everything else with '\').
std::optional<std::string> OwnerName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > protect::kMaxDomainLength) return std::nullopt;
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (!(std::isalnum(byte) || c == '-' || c == '.' || c == '*' || c == '_')) return std::nullopt;
    out.push_back(static_cast<char>(std::tolower(byte)));
  }
  return out;
}

BlockLine Malformed(std::string reason) {
  BlockLine line;
  line.kind = BlockLine::Kind::kMalformed;
  line.reason = std::move(reason);
  return line;
}

// "rpz: applied [<log name>] <trigger> <action> <client>@<port> <qname> <type> <class>".
// The log name is the member's own and may hold spaces, so the fields are
// taken from the end.
BlockLine ParseUnbound(std::string_view line, Timestamp reference) {
  constexpr std::string_view kMarker = "rpz: applied ";
  const std::size_t marker = line.find(kMarker);
  if (marker == std::string_view::npos) return {};
  const std::vector<std::string_view> tokens = Tokens(line.substr(marker + kMarker.size()));
  if (tokens.size() < 6) return Malformed("an Unbound rpz-log line with fewer than six fields after 'rpz: applied'");
  const std::string_view trigger = tokens[tokens.size() - 6];
  const std::string_view action = tokens[tokens.size() - 5];
  if (action.substr(0, 4) != "rpz-" && action != "no-override") {
    return Malformed("an Unbound rpz-log line without an rpz action where one belongs");
  }
  BlockLine out;
  if (trigger.find('/') != std::string_view::npos) {
    auto network = protect::ParseNetwork(trigger);
    if (!network.ok()) return Malformed("an Unbound response-IP trigger that is not a network");
    out.trigger = protect::FormatNetworkWithLength(*network);
  } else {
    auto owner = OwnerName(trigger);
    if (!owner) return Malformed("an Unbound rpz trigger that is not a DNS name");
    out.trigger = std::move(*owner);
  }
  const bool blocked = action == "rpz-nxdomain" || action == "rpz-nodata" || action == "rpz-drop" ||
                       action == "rpz-local-data" || action == "rpz-cname-override";
  out.kind = blocked ? BlockLine::Kind::kBlock : BlockLine::Kind::kMonitor;
  out.time = LineTime(line, reference);
  return out;
}

// "[disabled ]rpz <TYPE> <POLICY> rewrite <qname>/<type>/<class> via <owner>[ (CNAME to: <target>)]",
// after BIND's client prefix "client @0x… <address>#<port> (<qname>): [view <v>: ]".
BlockLine ParseBind(std::string_view line, Timestamp reference) {
  const std::vector<std::string_view> tokens = Tokens(line);
  for (std::size_t token_idx = 0; token_idx + 3 < tokens.size(); ++token_idx) {
    if (tokens[token_idx] != "rpz" || tokens[token_idx + 3] != "rewrite") continue;
    if (token_idx + 6 > tokens.size() || tokens[token_idx + 5] != "via") {
      return Malformed("a BIND rpz rewrite line without 'via <owner>'");
    }
    const bool disabled = token_idx > 0 && tokens[token_idx - 1] == "disabled";
    const std::string_view policy = tokens[token_idx + 2];
    auto owner = OwnerName(tokens[token_idx + 6]);
    if (!owner) return Malformed("a BIND rpz owner that is not a DNS name");
    BlockLine out;
    out.trigger = std::move(*owner);
    const bool blocked =
        policy == "NXDOMAIN" || policy == "NODATA" || policy == "DROP" || policy == "Local-Data" || policy == "CNAME";
    const bool logged_only = policy == "PASSTHRU" || policy == "TCP-ONLY" || policy == "DISABLED";
    if (!blocked && !logged_only) return Malformed("a BIND rpz policy this sensor does not know");
    out.kind = blocked && !disabled ? BlockLine::Kind::kBlock : BlockLine::Kind::kMonitor;
    out.time = LineTime(line, reference);
    return out;
  }
  return {};
}

// "… kernel: [ 1234.567890] dv-block IN=eth0 OUT=eth1 … SRC=… DST=… …"
BlockLine ParseFirewall(std::string_view line, Timestamp reference, std::string_view prefix) {
  std::size_t at = 0;
  for (;;) {
    at = line.find(prefix, at);
    if (at == std::string_view::npos) return {};
    const std::size_t after = at + prefix.size();
    const bool starts_token = at == 0 || line[at - 1] == ' ' || line[at - 1] == ']';
    if (starts_token && after < line.size() && (line[after] == ' ' || line.substr(after, 3) == "IN=")) break;
    at = after;
  }
  BlockLine out;
  for (const std::string_view token : Tokens(line.substr(at + prefix.size()))) {
    if (token.substr(0, 4) != "SRC=" && token.substr(0, 4) != "DST=") continue;
    auto address = ParseIp(token.substr(4));
    if (!address)
      return Malformed("a firewall block line whose " + std::string(token.substr(0, 3)) + " is not an address");
    out.addresses.push_back(*address);
  }
  if (out.addresses.size() != 2) return Malformed("a firewall block line without one SRC= and one DST=");
  out.kind = BlockLine::Kind::kBlock;
  out.time = LineTime(line, reference);
  return out;
}

}  // namespace

std::string_view BlockLogFormatName(BlockLogFormat format) {
  switch (format) {
    case BlockLogFormat::kUnbound:
      return "unbound";
    case BlockLogFormat::kBind:
      return "bind";
    case BlockLogFormat::kFirewall:
      return "firewall";
  }
  return "unbound";
}

BlockLine ParseBlockLine(BlockLogFormat format, std::string_view line, Timestamp reference,
                         std::string_view firewall_prefix) {
  if (line.size() > kMaxBlockLineBytes) return Malformed("a line longer than " + std::to_string(kMaxBlockLineBytes));
  switch (format) {
    case BlockLogFormat::kUnbound:
      return ParseUnbound(line, reference);
    case BlockLogFormat::kBind:
      return ParseBind(line, reference);
    case BlockLogFormat::kFirewall:
      return ParseFirewall(line, reference, firewall_prefix);
  }
  return {};
}

Result<RpzMapping> RpzMapping::Parse(std::string_view json) {
  const Json parsed = Json::parse(json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return Error::Parse("the RPZ mapping is not a JSON object");
  const auto owners = parsed.find("owners");
  if (owners == parsed.end() || !owners->is_object()) {
    return Error::Parse("the RPZ mapping has no object 'owners'");
  }
  RpzMapping mapping;
  if (const auto serial = parsed.find("serial"); serial != parsed.end() && serial->is_number_integer()) {
    mapping.serial_ = serial->get<std::int64_t>();
  }
  for (const auto& [name, entry] : owners->items()) {
    if (!entry.is_object()) continue;
    Owner owner;
    if (const auto ids = entry.find("indicators"); ids != entry.end() && ids->is_array()) {
      for (const auto& id : *ids) {
        if (id.is_string() && id.get<std::string>().starts_with("indicator--")) {
          owner.indicators.push_back(id.get<std::string>());
        }
      }
    }
    if (owner.indicators.empty()) continue;
    const auto zone = entry.find("zone");
    owner.monitor = zone != entry.end() && zone->is_string() && zone->get<std::string>() == "monitor";
    auto key = OwnerName(name);
    if (key) mapping.owners_[*key] = std::move(owner);
  }
  return mapping;
}

const RpzMapping::Owner* RpzMapping::Find(std::string_view trigger, bool exact) const {
  if (trigger.find('/') != std::string_view::npos) {
    auto network = protect::ParseNetwork(trigger);
    if (!network.ok()) return nullptr;
    const auto found = owners_.find(protect::RpzIpOwner(*network));
    return found == owners_.end() ? nullptr : &found->second;
  }
  // The longest name first: the owner with the policy zone's name, then
  // without ever more of its last labels.
  std::string_view name = trigger;
  for (;;) {
    if (const auto found = owners_.find(name); found != owners_.end()) return &found->second;
    if (exact) return nullptr;
    const std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos) return nullptr;
    name = name.substr(0, dot);
  }
}

const RpzMapping::Owner* RpzMapping::FindAddress(const IpAddress& address) const {
  const int longest = address.v6 ? 128 : 32;
  for (int prefix = longest; prefix >= 1; --prefix) {
    const IpNetwork network{MaskIp(address, prefix), prefix};
    if (const auto found = owners_.find(protect::RpzIpOwner(network)); found != owners_.end()) return &found->second;
  }
  return nullptr;
}

BlockCounter::BlockCounter(std::string firewall_prefix)
    : firewall_prefix_(std::move(firewall_prefix)),
      sightings_(SightingOptions{.identity_id = {}, .counts_only = true, .tlp = std::nullopt, .block = true}) {}

void BlockCounter::SetMapping(RpzMapping mapping) {
  mapping_ = std::move(mapping);
  auto held = std::move(held_);
  held_.clear();
  stats_.held = 0;
  for (const auto& [key, entry] : held) Count(entry.line, entry.count);
}

void BlockCounter::AddLine(BlockLogFormat format, std::string_view line, Timestamp reference) {
  ++stats_.lines;
  BlockLine parsed = ParseBlockLine(format, line, reference, firewall_prefix_);
  parsed.format = format;
  switch (parsed.kind) {
    case BlockLine::Kind::kOther:
      return;
    case BlockLine::Kind::kMalformed:
      ++stats_.malformed;
      return;
    case BlockLine::Kind::kMonitor:
      ++stats_.monitored;
      return;
    case BlockLine::Kind::kBlock:
      break;
  }
  if (mapping_) return Count(parsed, 1);
  // Held until the first mapping, by what it blocked and the hour.
  const std::int64_t ms = parsed.time.unix_ms();
  const std::int64_t hour =
      ms - ((ms % SightingAggregator::kHourMs) + SightingAggregator::kHourMs) % SightingAggregator::kHourMs;
  std::string key = parsed.trigger;
  for (const IpAddress& address : parsed.addresses) key += " " + FormatIp(address);
  auto found = held_.find({key, hour});
  if (found == held_.end()) {
    if (held_.size() >= kMaxHeld) {
      ++stats_.dropped;
      return;
    }
    found = held_.emplace(std::make_pair(std::move(key), hour), Held{std::move(parsed), 0}).first;
  }
  ++found->second.count;
  ++stats_.held;
}

void BlockCounter::Count(const BlockLine& line, std::int64_t times) {
  const RpzMapping::Owner* owner = nullptr;
  if (line.addresses.empty()) {
    owner = mapping_->Find(line.trigger, line.format != BlockLogFormat::kBind);
  } else {
    for (const IpAddress& address : line.addresses) {
      owner = mapping_->FindAddress(address);
      if (owner != nullptr) break;
    }
  }
  const auto n = static_cast<std::uint64_t>(times);
  if (owner == nullptr) {
    stats_.unmapped += n;
    return;
  }
  if (owner->monitor) {
    stats_.monitored += n;
    return;
  }
  stats_.blocks += n;
  for (std::int64_t time_idx = 0; time_idx < times; ++time_idx) {
    for (const std::string& indicator : owner->indicators) sightings_.Add(indicator, line.time);
  }
}

}  // namespace dv::sensor
