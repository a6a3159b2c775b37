// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which addresses a webhook or SMS gateway request may connect to
// (docs/notify.md, "Server-side request forgery"). The URLs come from
// members and operators; without this check a webhook URL could make the
// hub talk to itself, its database, the cloud metadata service or the
// member's neighbours on a private network.
//
// ClassifyAddress is pure and table-tested; ResolvePublic asks the system
// resolver (getaddrinfo, blocking) and refuses the name when any of its
// addresses is not public. The caller then connects only to the addresses
// it was given (http_client.h pins them), so a second DNS answer cannot
// change the target between the check and the connection.
//
// Thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv::notify {

enum class AddressClass {
  kPublic,         // globally routable unicast: allowed
  kUnspecified,    // 0.0.0.0, ::
  kThisNetwork,    // 0.0.0.0/8 other than 0.0.0.0
  kLoopback,       // 127.0.0.0/8, ::1
  kPrivate,        // 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10 (site-local), 64:ff9b:1::/48
  kSharedCgnat,    // 100.64.0.0/10 (RFC 6598)
  kLinkLocal,      // 169.254.0.0/16, fe80::/10
  kMulticast,      // 224.0.0.0/4, ff00::/8
  kBroadcast,      // 255.255.255.255
  kDocumentation,  // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
  kReserved,       // every other special-purpose or unallocated range (IANA registries)
};

// "public", "unspecified", "this-network", "loopback", "private",
// "shared (CGNAT)", "link-local", "multicast", "broadcast",
// "documentation", "reserved".
std::string_view AddressClassName(AddressClass address_class);

// An IPv4 (4 bytes used) or IPv6 address in network byte order.
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// The numeric forms inet_pton accepts ("192.0.2.1", "2001:db8::1"); nothing
// else (no brackets, zones, or shortened IPv4 forms).
Result<IpAddress> ParseIpAddress(std::string_view text);
// The inet_ntop form.
std::string FormatIpAddress(const IpAddress& address);

// The class of `address`. IPv6 forms that embed an IPv4 address (mapped
// ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) take the class of the
// embedded address; all IPv6 space outside 2000::/3 is reserved.
AddressClass ClassifyAddress(const IpAddress& address);

// The addresses `host` (a DNS name, or an IPv4 or IPv6 literal without
// brackets) resolves to. Unless `allow_loopback_and_private`, every one must
// be kPublic: otherwise kForbidden naming the host, the address and its class.
// kIo when the name does not resolve. Never empty on success.
Result<std::vector<IpAddress>> ResolvePublic(std::string_view host, bool allow_loopback_and_private);

}  // namespace dv::notify
