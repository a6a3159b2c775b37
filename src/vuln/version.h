// SPDX-License-Identifier: Apache-2.0
#pragma once

// Version comparison for the schemes found in vulnerability data, version
// ranges, and the parsing of free-text ranges ("4.60 through 5.35").
//
// Every comparator is a total order on arbitrary bytes and never fails; text
// that does not follow the scheme is still ordered (deterministically), so a
// caller that needs certainty checks LooksLikeVersion first. Pure functions,
// thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace dv::vuln {

enum class VersionScheme {
  kGeneric,  // dotted numerics with letters: 1.2.10 > 1.2.9, 1.0rc1 < 1.0 < 1.0.1, v-prefix ignored
  kSemver,   // SemVer 2.0.0: pre-release lower than release, build metadata ignored
  kRpm,      // RPM [epoch:]version[-release], rpmvercmp with '~' and '^'
  kDebian,   // Debian [epoch:]upstream[-revision], dpkg ordering with '~'
};
std::string_view VersionSchemeName(VersionScheme scheme);
// "semver", "rpm", "deb"/"debian", "generic"/"custom"/anything else → kGeneric.
VersionScheme VersionSchemeFromName(std::string_view name);
// The scheme implied by a package URL type ("rpm", "deb", "npm", "cargo", ...).
VersionScheme VersionSchemeForPurlType(std::string_view purl_type);

// <0, 0, >0 as `a` is lower than, equal to or higher than `b`.
int CompareVersions(std::string_view a, std::string_view b, VersionScheme scheme = VersionScheme::kGeneric);

// True when `text` starts with a digit (after an optional 'v') and has no
// spaces: something a comparator orders meaningfully.
bool LooksLikeVersion(std::string_view text);

// A vendor's version text split into the CPE version and update attributes:
// "5.36 Patch 1" → {"5.36", "patch1"}; "V5.36(ABPS.1)" (Zyxel ZLD) →
// {"5.36", "patch1"}; "V4.73(AAAB.0)" → {"4.73", ""}; "2.4 SP2" → {"2.4", "sp2"};
// "1.2.3" → {"1.2.3", ""}. An empty update means "no update" (CPE NA).
struct VendorVersion {
  std::string version;
  std::string update;
};
VendorVersion SplitVendorVersion(std::string_view text);

// A range of versions; an empty bound is unbounded.
struct VersionRange {
  std::string start;
  bool start_inclusive = true;
  std::string end;
  bool end_inclusive = false;
  VersionScheme scheme = VersionScheme::kGeneric;

  bool Contains(std::string_view version) const;
  bool unbounded() const { return start.empty() && end.empty(); }
  // ">= 4.60, < 5.36" or "all versions".
  std::string ToString() const;
  friend bool operator==(const VersionRange&, const VersionRange&) = default;
};

// A version range read from free text (CVE JSON 5 `version` fields, CSAF
// product_version_range, "vers:" strings). Recognised: "A through B", "A to
// B", "A - B", "< B", "<= B", "before B", "prior to B", "B and earlier",
// "up to B", ">= A", "A and later", "all versions", a single version, and
// "vers:<scheme>/<constraints>" with one lower and/or one upper bound or one
// exact version. Anything else yields nullopt: the caller shows it as
// "needs review", never as a match.
std::optional<VersionRange> ParseFreeTextRange(std::string_view text, VersionScheme scheme = VersionScheme::kGeneric);

}  // namespace dv::vuln
