// SPDX-License-Identifier: Apache-2.0
#include "detect/indicators/observable.h"

#include <cstdio>

#include "core/text.h"

namespace dv {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  c = AsciiLower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool ParseIpv4Into(std::string_view text, std::uint8_t* out) {
  int part = 0;
  std::size_t at = 0;
  while (part < 4) {
    int value = 0;
    std::size_t digits = 0;
    while (at < text.size() && IsDigit(text[at]) && digits < 4) {
      value = value * 10 + (text[at] - '0');
      ++at;
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) return false;
    out[part++] = static_cast<std::uint8_t>(value);
    if (part < 4) {
      if (at >= text.size() || text[at] != '.') return false;
      ++at;
    }
  }
  return at == text.size();
}

bool ParseIpv6Into(std::string_view text, std::uint8_t* out) {
  if (text.size() < 2) return false;
  std::uint16_t groups[8] = {};
  int count = 0;
  int gap = -1;  // index in groups where "::" stands
  std::size_t at = 0;
  if (text.substr(0, 2) == "::") {
    gap = 0;
    at = 2;
    if (at == text.size()) {
      for (int byte_idx = 0; byte_idx < 16; ++byte_idx) out[byte_idx] = 0;
      return true;
    }
  } else if (text[0] == ':') {
    return false;
  }
  while (at < text.size()) {
    // An embedded dotted quad ends the address.
    std::size_t end = at;
    while (end < text.size() && text[end] != ':') ++end;
    std::string_view group = text.substr(at, end - at);
    if (group.find('.') != std::string_view::npos) {
      if (end != text.size() || count > 6) return false;
      std::uint8_t quad[4];
      if (!ParseIpv4Into(group, quad)) return false;
      groups[count++] = static_cast<std::uint16_t>(quad[0] << 8 | quad[1]);
      groups[count++] = static_cast<std::uint16_t>(quad[2] << 8 | quad[3]);
      at = end;
      break;
    }
    if (group.empty() || group.size() > 4 || count >= 8) return false;
    unsigned value = 0;
    for (char c : group) {
      const int digit = HexValue(c);
      if (digit < 0) return false;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    groups[count++] = static_cast<std::uint16_t>(value);
    at = end;
    if (at == text.size()) break;
    ++at;  // ':'
    if (at < text.size() && text[at] == ':') {
      if (gap >= 0) return false;
      gap = count;
      ++at;
      if (at == text.size()) break;
    } else if (at == text.size()) {
      return false;  // trailing single ':'
    }
  }
  if (gap < 0 && count != 8) return false;
  if (gap >= 0 && count > 7) return false;
  std::uint16_t full[8] = {};
  if (gap < 0) {
    for (int idx = 0; idx < 8; ++idx) full[idx] = groups[idx];
  } else {
    const int tail = count - gap;
    for (int idx = 0; idx < gap; ++idx) full[idx] = groups[idx];
    for (int idx = 0; idx < tail; ++idx) full[8 - tail + idx] = groups[gap + idx];
  }
  for (int idx = 0; idx < 8; ++idx) {
    out[idx * 2] = static_cast<std::uint8_t>(full[idx] >> 8);
    out[idx * 2 + 1] = static_cast<std::uint8_t>(full[idx] & 0xff);
  }
  return true;
}

}  // namespace

std::string_view ObservableKindPath(ObservableKind kind) {
  switch (kind) {
    case ObservableKind::kIpv4:
      return "ipv4-addr:value";
    case ObservableKind::kIpv6:
      return "ipv6-addr:value";
    case ObservableKind::kDomain:
      return "domain-name:value";
    case ObservableKind::kUrl:
      return "url:value";
    case ObservableKind::kEmail:
      return "email-addr:value";
    case ObservableKind::kMd5:
      return "file:hashes.MD5";
    case ObservableKind::kSha1:
      return "file:hashes.'SHA-1'";
    case ObservableKind::kSha256:
      return "file:hashes.'SHA-256'";
    case ObservableKind::kFileName:
      return "file:name";
    case ObservableKind::kProcessName:
      return "process:name";
    case ObservableKind::kCommandLine:
      return "process:command_line";
    case ObservableKind::kRegistryKey:
      return "windows-registry-key:key";
    case ObservableKind::kUserAccount:
      return "user-account:user_id";
  }
  return "?";
}

bool IsCaseInsensitive(ObservableKind kind) {
  return kind != ObservableKind::kUrl && kind != ObservableKind::kCommandLine;
}

std::optional<IpAddress> ParseIp(std::string_view text) {
  IpAddress address;
  if (text.find(':') == std::string_view::npos) {
    if (!ParseIpv4Into(text, address.bytes.data())) return std::nullopt;
    return address;
  }
  const std::size_t zone = text.find('%');
  if (zone != std::string_view::npos) text = text.substr(0, zone);
  if (!ParseIpv6Into(text, address.bytes.data())) return std::nullopt;
  address.v6 = true;
  bool mapped = address.bytes[10] == 0xff && address.bytes[11] == 0xff;
  for (int idx = 0; idx < 10 && mapped; ++idx) mapped = address.bytes[idx] == 0;
  if (mapped) {
    IpAddress v4;
    for (int idx = 0; idx < 4; ++idx) v4.bytes[idx] = address.bytes[12 + idx];
    return v4;
  }
  return address;
}

std::optional<IpAddress> ParseIpLoose(std::string_view text) {
  text = TrimSpace(text);
  if (auto address = ParseIp(text)) return address;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return ParseIp(text.substr(1, close - 1));
  }
  const std::size_t colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    auto address = ParseIp(text.substr(0, colon));
    if (address && !address->v6) return address;
  }
  return std::nullopt;
}

std::string FormatIp(const IpAddress& address) {
  char buffer[64];
  if (!address.v6) {
    std::snprintf(buffer, sizeof(buffer), "%u.%u.%u.%u", address.bytes[0], address.bytes[1], address.bytes[2],
                  address.bytes[3]);
    return buffer;
  }
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  int best_start = -1;
  int best_len = 0;
  for (int group = 0; group < 8;) {
    if (address.bytes[group * 2] == 0 && address.bytes[group * 2 + 1] == 0) {
      int run = group;
      while (run < 8 && address.bytes[run * 2] == 0 && address.bytes[run * 2 + 1] == 0) ++run;
      if (run - group > best_len && run - group >= 2) {
        best_start = group;
        best_len = run - group;
      }
      group = run;
    } else {
      ++group;
    }
  }
  std::string out;
  for (int group = 0; group < 8; ++group) {
    if (group == best_start) {
      out += "::";
      group += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buffer, sizeof(buffer), "%x", address.bytes[group * 2] << 8 | address.bytes[group * 2 + 1]);
    out += buffer;
  }
  return out;
}

IpAddress MaskIp(const IpAddress& address, int prefix) {
  IpAddress masked = address;
  const int bits = static_cast<int>(address.size()) * 8;
  for (int bit = prefix < 0 ? 0 : prefix; bit < bits; ++bit) {
    masked.bytes[bit / 8] = static_cast<std::uint8_t>(masked.bytes[bit / 8] & ~(0x80 >> (bit % 8)));
  }
  return masked;
}

std::optional<IpNetwork> ParseIpNetwork(std::string_view text) {
  text = TrimSpace(text);
  const std::size_t slash = text.find('/');
  auto address = ParseIp(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int bits = static_cast<int>(address->size()) * 8;
  IpNetwork network;
  network.prefix = bits;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int prefix = 0;
    for (char c : digits) {
      if (!IsDigit(c)) return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    // An IPv4-mapped address with a /96+ prefix is an IPv4 range.
    const bool mapped = !address->v6 && text.substr(0, slash).find(':') != std::string_view::npos;
    if (mapped) {
      if (prefix < 96) return std::nullopt;
      prefix -= 96;
    }
    if (prefix > bits) return std::nullopt;
    network.prefix = prefix;
  }
  network.address = MaskIp(*address, network.prefix);
  return network;
}

bool NetworkContains(const IpNetwork& network, const IpAddress& address) {
  if (network.address.v6 != address.v6) return false;
  const IpAddress masked = MaskIp(address, network.prefix);
  return masked.bytes == network.address.bytes;
}

void AppendNormalised(ObservableKind kind, std::string_view value, std::string& out) {
  if (!IsCaseInsensitive(kind)) {
    out.append(value);
    return;
  }
  if (kind == ObservableKind::kRegistryKey) {
    static constexpr std::pair<std::string_view, std::string_view> kHives[] = {
        {"hkey_local_machine", "hklm"}, {"hkey_current_user", "hkcu"},   {"hkey_users", "hku"},
        {"hkey_classes_root", "hkcr"},  {"hkey_current_config", "hkcc"},
    };
    const std::size_t slash = value.find('\\');
    const std::string_view hive = value.substr(0, slash);
    for (const auto& [long_name, short_name] : kHives) {
      if (hive.size() != long_name.size()) continue;
      bool same = true;
      for (std::size_t at = 0; at < hive.size() && same; ++at) same = AsciiLower(hive[at]) == long_name[at];
      if (same) {
        out.append(short_name);
        value.remove_prefix(hive.size());
        break;
      }
    }
  }
  if (kind == ObservableKind::kDomain && !value.empty() && value.back() == '.') value.remove_suffix(1);
  out.reserve(out.size() + value.size());
  for (char c : value) out += AsciiLower(c);
}

std::string Normalised(ObservableKind kind, std::string_view value) {
  std::string out;
  AppendNormalised(kind, value, out);
  return out;
}

bool IsHexDigits(std::string_view text) {
  for (char c : text) {
    if (HexValue(c) < 0) return false;
  }
  return !text.empty();
}

bool LooksLikeDomain(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253 || text.find('.') == std::string_view::npos) return false;
  std::size_t label = 0;
  for (char c : text) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '-' || c == '_' ||
                    static_cast<unsigned char>(c) >= 0x80;
    if (!ok || ++label > 63) return false;
  }
  if (label == 0) return false;
  // The top-level label is not all digits (that would be an address).
  const std::string_view top = text.substr(text.rfind('.') + 1);
  for (char c : top) {
    if (!IsDigit(c)) return true;
  }
  return false;
}

bool LooksLikeEmail(std::string_view text) {
  const std::size_t at = text.find('@');
  if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : text.substr(0, at)) {
    if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == ',') return false;
  }
  return LooksLikeDomain(text.substr(at + 1)) || ParseIp(text.substr(at + 1)).has_value();
}

std::optional<ObservableKind> GuessObservableKind(std::string_view value) {
  value = TrimSpace(value);
  if (value.empty()) return std::nullopt;
  if (auto network = ParseIpNetwork(value)) return network->address.v6 ? ObservableKind::kIpv6 : ObservableKind::kIpv4;
  if (IsHexDigits(value)) {
    if (value.size() == 32) return ObservableKind::kMd5;
    if (value.size() == 40) return ObservableKind::kSha1;
    if (value.size() == 64) return ObservableKind::kSha256;
  }
  if (value.find("://") != std::string_view::npos) return ObservableKind::kUrl;
  if (LooksLikeEmail(value)) return ObservableKind::kEmail;
  std::string_view domain = value;
  if (domain.substr(0, 2) == "*.") domain.remove_prefix(2);
  if (LooksLikeDomain(domain)) return ObservableKind::kDomain;
  return std::nullopt;
}

std::string Refang(std::string_view value) {
  std::string out;
  AppendRefanged(value, out);
  return out;
}

void AppendRefanged(std::string_view value, std::string& out) {
  // Most values are not defanged: one scan, one copy.
  const bool http = value.substr(0, 4) == "hxxp" || value.substr(0, 4) == "hXXp";
  if (!http && value.find_first_of("[({") == std::string_view::npos) {
    out.append(value);
    return;
  }
  out.reserve(out.size() + value.size());
  for (std::size_t at = 0; at < value.size();) {
    const std::string_view rest = value.substr(at);
    if (rest.substr(0, 3) == "[.]" || rest.substr(0, 3) == "(.)" || rest.substr(0, 3) == "{.}") {
      out += '.';
      at += 3;
    } else if (rest.substr(0, 3) == "[:]") {
      out += ':';
      at += 3;
    } else if (rest.substr(0, 3) == "[@]") {
      out += '@';
      at += 3;
    } else if (rest.substr(0, 3) == "[/]") {
      out += '/';
      at += 3;
    } else if (at == 0 && (rest.substr(0, 4) == "hxxp" || rest.substr(0, 4) == "hXXp")) {
      out += "http";
      at += 4;
    } else {
      out += value[at++];
    }
  }
}

}  // namespace dv
