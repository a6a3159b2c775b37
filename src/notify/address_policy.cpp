// SPDX-License-Identifier: Apache-2.0
#include "notify/address_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace dv::notify {
namespace {

struct Range {
  std::array<std::uint8_t, 16> prefix;
  int length;  // bits
  AddressClass address_class;
};

// IANA IPv4 Special-Purpose Address Registry, most specific first. Ranges
// the registry marks globally reachable (AS112 192.31.196/24,
// 192.175.48/24, AMT 192.52.193/24) are public and absent here.
constexpr Range kIpv4Ranges[] = {
    {{0, 0, 0, 0}, 32, AddressClass::kUnspecified},
    {{0, 0, 0, 0}, 8, AddressClass::kThisNetwork},
    {{10, 0, 0, 0}, 8, AddressClass::kPrivate},
    {{100, 64, 0, 0}, 10, AddressClass::kSharedCgnat},
    {{127, 0, 0, 0}, 8, AddressClass::kLoopback},
    {{169, 254, 0, 0}, 16, AddressClass::kLinkLocal},
    {{172, 16, 0, 0}, 12, AddressClass::kPrivate},
    {{192, 0, 2, 0}, 24, AddressClass::kDocumentation},
    {{192, 0, 0, 0}, 24, AddressClass::kReserved},    // IETF protocol assignments
    {{192, 88, 99, 0}, 24, AddressClass::kReserved},  // 6to4 relay anycast (deprecated)
    {{192, 168, 0, 0}, 16, AddressClass::kPrivate},
    {{198, 18, 0, 0}, 15, AddressClass::kReserved},  // benchmarking
    {{198, 51, 100, 0}, 24, AddressClass::kDocumentation},
    {{203, 0, 113, 0}, 24, AddressClass::kDocumentation},
    {{224, 0, 0, 0}, 4, AddressClass::kMulticast},
    {{255, 255, 255, 255}, 32, AddressClass::kBroadcast},
    {{240, 0, 0, 0}, 4, AddressClass::kReserved},  // future use
};

// IANA IPv6 Special-Purpose Address Registry, for the ranges not handled by
// embedding (mapped, NAT64, 6to4) or by the 2000::/3 rule. Most specific first.
constexpr Range kIpv6Ranges[] = {
    {{}, 128, AddressClass::kUnspecified},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, AddressClass::kLoopback},
    {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, AddressClass::kPrivate},  // local-use NAT64 (RFC 8215)
    {{0x20, 0x01, 0x0d, 0xb8}, 32, AddressClass::kDocumentation},
    {{0x20, 0x01}, 23, AddressClass::kReserved},       // IETF protocol assignments, Teredo, ORCHID, benchmarking
    {{0x3f, 0xff}, 20, AddressClass::kDocumentation},  // RFC 9637
    {{0xfc}, 7, AddressClass::kPrivate},               // unique local
    {{0xfe, 0x80}, 10, AddressClass::kLinkLocal},
    {{0xfe, 0xc0}, 10, AddressClass::kPrivate},  // site-local (deprecated)
    {{0xff}, 8, AddressClass::kMulticast},
};

bool InRange(const std::array<std::uint8_t, 16>& bytes, const Range& range) {
  const int full = range.length / 8;
  for (int idx = 0; idx < full; ++idx) {
    if (bytes[idx] != range.prefix[idx]) return false;
  }
  const int rest = range.length % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (bytes[full] & mask) == (range.prefix[full] & mask);
}

bool HasPrefix(const std::array<std::uint8_t, 16>& bytes, std::initializer_list<std::uint8_t> prefix) {
  return std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

AddressClass ClassifyIpv4(const std::array<std::uint8_t, 16>& bytes) {
  for (const Range& range : kIpv4Ranges) {
    if (InRange(bytes, range)) return range.address_class;
  }
  return AddressClass::kPublic;
}

IpAddress Ipv4At(const std::array<std::uint8_t, 16>& bytes, std::size_t offset) {
  IpAddress v4;
  std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(offset), 4, v4.bytes.begin());
  return v4;
}

}  // namespace

std::string_view AddressClassName(AddressClass address_class) {
  switch (address_class) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kUnspecified:
      return "unspecified";
    case AddressClass::kThisNetwork:
      return "this-network";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kSharedCgnat:
      return "shared (CGNAT)";
    case AddressClass::kLinkLocal:
      return "link-local";
    case AddressClass::kMulticast:
      return "multicast";
    case AddressClass::kBroadcast:
      return "broadcast";
    case AddressClass::kDocumentation:
      return "documentation";
    case AddressClass::kReserved:
      return "reserved";
  }
  return "reserved";
}

Result<IpAddress> ParseIpAddress(std::string_view text) {
  const std::string copy(text);
  IpAddress address;
  if (copy.find(':') == std::string::npos) {
    if (::inet_pton(AF_INET, copy.c_str(), address.bytes.data()) == 1) return address;
  } else if (::inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) == 1) {
    address.v6 = true;
    return address;
  }
  return Error::InvalidArgument("not a numeric IPv4 or IPv6 address");
}

std::string FormatIpAddress(const IpAddress& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), buffer, sizeof(buffer));
  return buffer;
}

AddressClass ClassifyAddress(const IpAddress& address) {
  const auto& bytes = address.bytes;
  if (!address.v6) return ClassifyIpv4(bytes);
  // Forms that carry an IPv4 address: the IPv4 address decides.
  if (HasPrefix(bytes, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff})) return ClassifyIpv4(Ipv4At(bytes, 12).bytes);
  if (HasPrefix(bytes, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
    return ClassifyIpv4(Ipv4At(bytes, 12).bytes);
  }
  if (HasPrefix(bytes, {0x20, 0x02})) return ClassifyIpv4(Ipv4At(bytes, 2).bytes);
  for (const Range& range : kIpv6Ranges) {
    if (InRange(bytes, range)) return range.address_class;
  }
  // Global unicast is 2000::/3; IANA has allocated nothing else.
  if ((bytes[0] & 0xe0) != 0x20) return AddressClass::kReserved;
  return AddressClass::kPublic;
}

Result<std::vector<IpAddress>> ResolvePublic(std::string_view host, bool allow_loopback_and_private) {
  const std::string name(host);
  if (name.empty()) return Error::InvalidArgument("the host name is empty");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int status = ::getaddrinfo(name.c_str(), nullptr, &hints, &found);
  if (status != 0) return Error::Io("cannot resolve host " + name + ": " + ::gai_strerror(status));
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);

  std::vector<IpAddress> addresses;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    IpAddress address;
    if (entry->ai_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(entry->ai_addr);
      std::memcpy(address.bytes.data(), &v4->sin_addr, 4);
    } else if (entry->ai_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(entry->ai_addr);
      std::memcpy(address.bytes.data(), &v6->sin6_addr, 16);
      address.v6 = true;
    } else {
      continue;
    }
    if (std::find(addresses.begin(), addresses.end(), address) != addresses.end()) continue;
    const AddressClass address_class = ClassifyAddress(address);
    if (address_class != AddressClass::kPublic && !allow_loopback_and_private) {
      return Error::Forbidden("host " + name + " resolves to " + FormatIpAddress(address) + ", a " +
                              std::string(AddressClassName(address_class)) +
                              " address; notifications go only to public addresses");
    }
    addresses.push_back(address);
  }
  if (addresses.empty()) return Error::Io("host " + name + " has no IPv4 or IPv6 address");
  return addresses;
}

}  // namespace dv::notify
