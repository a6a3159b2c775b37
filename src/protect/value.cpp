// SPDX-License-Identifier: Apache-2.0
#include "protect/value.h"

#include <arpa/inet.h>
#include <idn2.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/text.h"

namespace dv::protect {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error Invalid(std::string message) { return Error::InvalidArgument(std::move(message)); }

// Checks an all-ASCII, lower-case name label by label.
Status CheckLdh(std::string_view name) {
  if (name.empty()) return Invalid("empty domain name");
  if (name.size() > kMaxDomainLength) {
    return Invalid("domain name longer than " + std::to_string(kMaxDomainLength) + " characters");
  }
  std::size_t labels = 0;
  std::size_t start = 0;
  std::string_view last;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label = name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
    if (label.empty()) return Invalid("empty label in domain name");
    if (label.size() > kMaxLabelLength) {
      return Invalid("label longer than " + std::to_string(kMaxLabelLength) + " characters");
    }
    for (char c : label) {
      if (!(IsAsciiLetter(c) || IsDigit(c) || c == '-')) {
        if (c == '*') return Invalid("wildcard '*' in domain name");
        return Invalid("character '" + Printable(std::string_view(&c, 1)) + "' not allowed in a host name");
      }
    }
    if (label.front() == '-' || label.back() == '-') return Invalid("label starts or ends with '-'");
    if (label.size() >= 4 && label[2] == '-' && label[3] == '-' && label.substr(0, 4) != "xn--") {
      return Invalid("label with '--' in positions 3 and 4 that is not an A-label");
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2) return Invalid("a top-level domain alone cannot be blocked");
  if (std::all_of(last.begin(), last.end(), IsDigit)) return Invalid("all-numeric top-level label");
  if (last.substr(0, 4) == "rpz-") return Invalid("top-level label 'rpz-…' is reserved for RPZ triggers");
  return Ok();
}

bool HasALabel(std::string_view name) {
  for (std::size_t at = 0; at + 4 <= name.size(); ++at) {
    if ((at == 0 || name[at - 1] == '.') && name.substr(at, 4) == "xn--") return true;
  }
  return false;
}

// IDNA2008 lookup (UTS #46 non-transitional, NFC) with libidn2.
Result<std::string> ToALabels(const std::string& name) {
  char* out = nullptr;
  const int rc = idn2_lookup_u8(reinterpret_cast<const std::uint8_t*>(name.c_str()),
                                reinterpret_cast<std::uint8_t**>(&out), IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  std::unique_ptr<char, decltype(&idn2_free)> owned(out, &idn2_free);
  if (rc != IDN2_OK || out == nullptr) {
    return Invalid(std::string("not a valid internationalised domain name: ") + idn2_strerror(rc));
  }
  return std::string(out);
}

bool ParsePrefixLength(std::string_view digits, int max, int& out) {
  if (digits.empty() || digits.size() > 3) return false;
  if (digits.size() > 1 && digits.front() == '0') return false;
  int value = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  if (value > max) return false;
  out = value;
  return true;
}

bool ForbiddenUrlChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte <= 0x20 || byte >= 0x7f) return true;
  return std::strchr("\"'`;\\*^<>{}|#@", c) != nullptr;
}

}  // namespace

Result<std::string> NormaliseDomain(std::string_view text) {
  if (text.size() > 4 * kMaxDomainLength) return Invalid("domain name longer than 253 characters");
  std::string name(text);
  if (!name.empty() && name.back() == '.') name.pop_back();
  bool ascii = true;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      ascii = false;
    } else if (byte < 0x21 || byte == 0x7f) {
      return Invalid("white space or control character in domain name");
    }
  }
  if (!ascii) {
    // Check what libidn2 must never see first: the ASCII part must already be
    // host-name characters, so '*' or ';' cannot hide beside a non-ASCII label.
    for (char c : name) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x80 && !(IsAsciiLetter(c) || IsDigit(c) || c == '-' || c == '.')) {
        if (c == '*') return Invalid("wildcard '*' in domain name");
        return Invalid("character '" + Printable(std::string_view(&c, 1)) + "' not allowed in a host name");
      }
    }
    auto converted = ToALabels(name);
    if (!converted.ok()) return converted.error();
    name = std::move(*converted);
  }
  for (char& c : name) c = AsciiLower(c);
  DV_TRY(CheckLdh(name));
  if (ascii && HasALabel(name)) {
    // An A-label must decode and encode back to itself.
    auto checked = ToALabels(name);
    if (!checked.ok() || *checked != name) return Invalid("'xn--' label that is not a valid A-label");
  }
  return name;
}

bool DomainWithin(std::string_view name, std::string_view ancestor) {
  if (name.size() < ancestor.size()) return false;
  if (name.size() == ancestor.size()) return name == ancestor;
  return name.substr(name.size() - ancestor.size()) == ancestor && name[name.size() - ancestor.size() - 1] == '.';
}

Result<IpNetwork> ParseNetwork(std::string_view text) {
  if (text.size() > 64) return Invalid("not an IP address or prefix (too long)");
  const std::size_t slash = text.find('/');
  const std::string address_text(text.substr(0, slash));
  IpNetwork network;
  bool v6 = address_text.find(':') != std::string::npos;
  std::array<std::uint8_t, 16> raw{};
  if (inet_pton(v6 ? AF_INET6 : AF_INET, address_text.c_str(), raw.data()) != 1) {
    return Invalid("not an IP address: '" + Printable(address_text, 64) + "'");
  }
  bool mapped = false;
  if (v6) {
    mapped = raw[10] == 0xff && raw[11] == 0xff &&
             std::all_of(raw.begin(), raw.begin() + 10, [](std::uint8_t byte) { return byte == 0; });
  }
  if (v6 && !mapped) {
    network.address.v6 = true;
    network.address.bytes = raw;
  } else if (mapped) {
    std::copy(raw.begin() + 12, raw.end(), network.address.bytes.begin());
  } else {
    network.address.bytes = raw;
  }
  const int bits = network.address.v6 ? 128 : 32;
  network.prefix = bits;
  if (slash != std::string_view::npos) {
    int length = 0;
    if (!ParsePrefixLength(text.substr(slash + 1), mapped ? 128 : bits, length)) {
      return Invalid("bad prefix length in '" + Printable(text, 64) + "'");
    }
    if (mapped) {
      if (length < 96) return Invalid("prefix of an IPv4-mapped address shorter than /96");
      length -= 96;
    }
    network.prefix = length;
  }
  if (MaskIp(network.address, network.prefix).bytes != network.address.bytes) {
    return Invalid("host bits set after the prefix length in '" + Printable(text, 64) + "'");
  }
  return network;
}

std::string FormatNetwork(const IpNetwork& network) {
  const int bits = network.address.v6 ? 128 : 32;
  if (network.prefix == bits) return FormatIp(network.address);
  return FormatNetworkWithLength(network);
}

std::string FormatNetworkWithLength(const IpNetwork& network) {
  return FormatIp(network.address) + "/" + std::to_string(network.prefix);
}

bool NetworkCovers(const IpNetwork& outer, const IpNetwork& inner) {
  if (outer.address.v6 != inner.address.v6 || outer.prefix > inner.prefix) return false;
  return MaskIp(inner.address, outer.prefix).bytes == outer.address.bytes;
}

Result<Url> NormaliseUrl(std::string_view text) {
  if (text.size() > kMaxUrlLength) return Invalid("URL longer than " + std::to_string(kMaxUrlLength) + " characters");
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return Invalid("URL without '://'");
  std::string scheme(text.substr(0, scheme_end));
  for (char& c : scheme) c = AsciiLower(c);
  if (scheme != "http" && scheme != "https") return Invalid("URL scheme other than http or https");
  const std::string_view rest = text.substr(scheme_end + 3);
  for (char c : rest) {
    if (ForbiddenUrlChar(c)) {
      return Invalid("character '" + Printable(std::string_view(&c, 1)) + "' not allowed in a URL");
    }
  }
  const std::size_t path_start = std::min(rest.find('/'), rest.find('?'));
  const std::string_view authority = rest.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid("URL host with '[' but no ']'");
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Invalid("characters after the IPv6 host of a URL");
      port = after.substr(1);
    }
  } else if (const std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return Invalid("URL without a host");
  if (authority.find(':') != std::string_view::npos && authority.back() == ':')
    return Invalid("URL with an empty port");
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), IsDigit) || port.front() == '0' ||
        std::atoi(std::string(port).c_str()) > 65535) {
      return Invalid("URL port is not a number from 1 to 65535");
    }
  }
  Url url;
  if (host.front() == '[') {
    auto address = ParseNetwork(host.substr(1, host.size() - 2));
    if (!address.ok() || !address->address.v6 || address->prefix != 128)
      return Invalid("URL host is not an IPv6 address");
    url.host_is_address = true;
    url.address = *address;
    url.host = "[" + FormatIp(address->address) + "]";
  } else if (std::all_of(host.begin(), host.end(), [](char c) { return IsDigit(c) || c == '.'; })) {
    auto address = ParseNetwork(host);
    if (!address.ok() || address->address.v6 || address->prefix != 32)
      return Invalid("URL host is not an IPv4 address");
    url.host_is_address = true;
    url.address = *address;
    url.host = FormatIp(address->address);
  } else {
    auto domain = NormaliseDomain(host);
    if (!domain.ok()) return domain.error().WithContext("URL host");
    url.host = *domain;
  }
  url.text = scheme + "://" + url.host;
  if (!port.empty()) url.text += ":" + std::string(port);
  if (path.empty() || path.front() != '/') url.text += '/';
  url.text += path;
  return url;
}

std::vector<IpNetwork> CarveNetwork(const IpNetwork& network, const std::vector<IpNetwork>& holes) {
  std::vector<IpNetwork> inside;
  for (const IpNetwork& hole : holes) {
    if (NetworkCovers(hole, network)) return {};
    if (NetworkCovers(network, hole)) inside.push_back(hole);
  }
  std::vector<IpNetwork> out;
  if (inside.empty()) {
    out.push_back(network);
    return out;
  }
  // Depth-first, lower half first, so the result is in address order. A half
  // that no hole touches is emitted whole; a half that a hole covers is
  // dropped; otherwise it is split again. At most 128 levels deep.
  struct Work {
    IpNetwork network;
  };
  std::vector<Work> stack{{network}};
  while (!stack.empty()) {
    const IpNetwork current = stack.back().network;
    stack.pop_back();
    bool touched = false;
    bool covered = false;
    for (const IpNetwork& hole : inside) {
      if (NetworkCovers(hole, current)) {
        covered = true;
        break;
      }
      if (NetworkCovers(current, hole)) touched = true;
    }
    if (covered) continue;
    if (!touched) {
      out.push_back(current);
      continue;
    }
    IpNetwork lower = current;
    lower.prefix = current.prefix + 1;
    IpNetwork upper = lower;
    const int bit = current.prefix;
    upper.address.bytes[static_cast<std::size_t>(bit / 8)] |= static_cast<std::uint8_t>(0x80 >> (bit % 8));
    stack.push_back({upper});
    stack.push_back({lower});
  }
  return out;
}

std::string Printable(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) {
      out += "…";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace dv::protect
