// SPDX-License-Identifier: Apache-2.0
#pragma once

// Observable values as the indicator index compares them: their kinds, and
// the normalisation applied identically to indicator values and to event
// values (lower-cased domains, hashes, e-mail addresses, file and process
// names, registry keys and user names; binary IP addresses). Pure functions;
// thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dv {

enum class ObservableKind : std::uint8_t {
  kIpv4,
  kIpv6,
  kDomain,
  kUrl,
  kEmail,
  kMd5,
  kSha1,
  kSha256,
  kFileName,
  kProcessName,
  kCommandLine,
  kRegistryKey,
  kUserAccount,
};
inline constexpr int kObservableKindCount = 13;

// The STIX object path a kind stands for ("ipv4-addr:value", "file:hashes.'MD5'").
std::string_view ObservableKindPath(ObservableKind kind);
// True for kinds compared without regard to ASCII case.
bool IsCaseInsensitive(ObservableKind kind);

// An IPv4 or IPv6 address. IPv4 uses bytes[0..3]; IPv4-mapped IPv6
// addresses (::ffff:a.b.c.d) are IPv4.
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  std::size_t size() const { return v6 ? 16 : 4; }
  std::string_view Bytes() const { return {reinterpret_cast<const char*>(bytes.data()), size()}; }
};

// Strict textual forms: dotted quad, RFC 4291 IPv6 (with "::", an embedded
// dotted quad, and a "%zone" suffix that is dropped).
std::optional<IpAddress> ParseIp(std::string_view text);
// Like ParseIp, and also "a.b.c.d:port", "[v6]" and "[v6]:port" as logs write them.
std::optional<IpAddress> ParseIpLoose(std::string_view text);
// "192.0.2.1", "2001:db8::1".
std::string FormatIp(const IpAddress& address);

// A CIDR range; host bits of `address` are zero. A plain address is a range
// of full length (/32, /128).
struct IpNetwork {
  IpAddress address;
  int prefix = 0;
};
std::optional<IpNetwork> ParseIpNetwork(std::string_view text);
// Clears the bits of `address` after the first `prefix`.
IpAddress MaskIp(const IpAddress& address, int prefix);
bool NetworkContains(const IpNetwork& network, const IpAddress& address);

// Appends the normalised form of `value` for `kind` to `out`. IP kinds are
// not handled here (use ParseIp). Domains lose one trailing dot; registry
// hives are abbreviated (HKEY_LOCAL_MACHINE → hklm) as Sysmon writes them.
void AppendNormalised(ObservableKind kind, std::string_view value, std::string& out);
std::string Normalised(ObservableKind kind, std::string_view value);

bool IsHexDigits(std::string_view text);
// A host name of letters, digits, '-' and '_' labels with at least one dot.
bool LooksLikeDomain(std::string_view text);
bool LooksLikeEmail(std::string_view text);

// What a bare value in a plain indicator list is: an address or range (kIpv4,
// kIpv6), hash (by length), URL (has "://"), e-mail address, or domain.
std::optional<ObservableKind> GuessObservableKind(std::string_view value);

// Undoes the usual defanging of shared indicators: "[.]", "(.)", "[:]",
// "hxxp" → "http", "[@]".
std::string Refang(std::string_view value);
// Refang, appended to `out`; never longer than `value`.
void AppendRefanged(std::string_view value, std::string& out);

}  // namespace dv
