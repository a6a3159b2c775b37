// SPDX-License-Identifier: Apache-2.0
#pragma once

// The values a protection feed may write, validated strictly, and the
// carving of address prefixes. Everything that reaches a zone or a firewall
// list has passed one of these functions; nothing else is ever written.
//
// A value is refused (an Error of kind kInvalidArgument whose message says
// why, without echoing control characters) rather than repaired, except for
// the normalisations listed per function. Pure functions; thread-safe.
// docs/protect.md ("Validation") lists the rules and the reasons for them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "detect/indicators/observable.h"

namespace dv::protect {

// The longest domain name accepted (RFC 1035 §2.3.4: 255 octets on the wire,
// 253 characters written without the trailing dot).
inline constexpr std::size_t kMaxDomainLength = 253;
inline constexpr std::size_t kMaxLabelLength = 63;
inline constexpr std::size_t kMaxUrlLength = 2048;

// A domain name as a resolver and a firewall will compare it: lower-case
// LDH labels (letters, digits, '-' not first or last; RFC 1123), at most 63
// octets a label and 253 in all, at least two labels, a top-level label that
// is not all digits and does not start with "rpz-" (RPZ reserves those names
// for its own triggers: "rpz-ip", "rpz-nsdname", "rpz-client-ip", …).
// Normalised: ASCII upper case folded, one trailing dot removed, and a
// name with non-ASCII characters converted to A-labels ("xn--…") with
// libidn2 (IDNA2008, UTS #46 non-transitional, NFC); an "xn--" label must be
// a valid A-label. Refused: empty labels, '*' (no wildcard injection),
// white space, control characters, quotes, ';', '$', '@', '\\', '/', '_'.
Result<std::string> NormaliseDomain(std::string_view text);

// True when `name` equals `ancestor` or lies below it on a label boundary.
// Both must be normalised.
bool DomainWithin(std::string_view name, std::string_view ancestor);

// An address or CIDR prefix, parsed with inet_pton: a dotted quad, an
// RFC 4291 IPv6 address (an IPv4-mapped one, ::ffff:a.b.c.d, is IPv4), with
// an optional "/len" of decimal digits without leading zeros (at most 32 or
// 128). A plain address is a /32 or /128. Refused: zone ids ("%eth0"),
// white space, host bits set after the prefix ("10.1.2.3/8" — write
// 10.0.0.0/8), octets with leading zeros.
Result<IpNetwork> ParseNetwork(std::string_view text);

// "192.0.2.0/24", "2001:db8::/32"; a full-length prefix is written as the
// bare address ("192.0.2.1", "2001:db8::1"). Addresses in RFC 5952 form.
std::string FormatNetwork(const IpNetwork& network);
// Always with the length: "192.0.2.1/32".
std::string FormatNetworkWithLength(const IpNetwork& network);

// True when `outer` contains every address of `inner` (same family,
// outer.prefix ≤ inner.prefix, and inner's address inside outer).
bool NetworkCovers(const IpNetwork& outer, const IpNetwork& inner);

// An http or https URL as firewall URL lists take it:
// scheme "://" host [":" port] [path-and-query], where host is a domain (as
// NormaliseDomain; an internationalised host must be written in A-labels),
// a dotted quad or "[IPv6]". Normalised:
// scheme and host lower case; an empty path becomes "/". Refused: other
// schemes, user information ('@'), fragments ('#'), non-ASCII or white space
// or control characters, quotes, ';', '\\', '*', '^', '`', '<', '>', '{',
// '}', '|', and anything longer than kMaxUrlLength.
struct Url {
  std::string text;  // the normalised URL
  std::string host;  // the normalised host: a domain, an address, or "[v6]"
  bool host_is_address = false;
  IpNetwork address;  // when host_is_address
};
Result<Url> NormaliseUrl(std::string_view text);

// The smallest set of prefixes that covers `network` minus every address in
// `holes`, in address order. Holes outside `network` are ignored; a hole
// that covers `network` leaves nothing. Works for both families and every
// length from /0 to /32 or /128. The result has at most (bits of the family
// − network.prefix) entries per hole.
std::vector<IpNetwork> CarveNetwork(const IpNetwork& network, const std::vector<IpNetwork>& holes);

// Text safe to show in a report or JSON: control characters and non-ASCII
// bytes as "\xNN", cut to `max` characters with "…" appended. Used only for
// the left-out list; never for zone or list output.
std::string Printable(std::string_view text, std::size_t max = 200);

}  // namespace dv::protect
