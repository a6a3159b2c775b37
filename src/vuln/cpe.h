// SPDX-License-Identifier: Apache-2.0
#pragma once

// CPE 2.3 names (NISTIR 7695) and name matching (NISTIR 7696).
//
// A name has eleven attributes. Each is ANY ("*"), NA ("-") or a value. A
// value is held in the formatted-string (FS) form of NISTIR 7695 §6.2 with its
// escapes kept ("at\&t", "win\*"), lower-cased; unquoted "*" and "?" at the
// ends of a value are wildcards (only meaningful in a source name).
//
// Parsing accepts the formatted-string binding ("cpe:2.3:a:vendor:...") and,
// on input only, the URI binding ("cpe:/a:vendor:product:1.0"), and never
// throws or asserts on any input. Values are plain data; thread-safe to share.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dv::vuln {

enum class CpeAttr : std::uint8_t {
  kPart,
  kVendor,
  kProduct,
  kVersion,
  kUpdate,
  kEdition,
  kLanguage,
  kSwEdition,
  kTargetSw,
  kTargetHw,
  kOther,
};
inline constexpr int kCpeAttrCount = 11;
std::string_view CpeAttrName(CpeAttr attr);  // "vendor", "sw_edition", ...

struct CpeValue {
  enum class Kind : std::uint8_t { kAny, kNa, kValue };
  Kind kind = Kind::kAny;
  std::string value;  // FS-escaped, lower-case; empty unless kind == kValue

  static CpeValue Any() { return {}; }
  static CpeValue Na() { return {Kind::kNa, {}}; }
  // `fs_value` in formatted-string form (escapes kept); lower-cased here.
  static CpeValue Of(std::string_view fs_value);

  bool is_any() const { return kind == Kind::kAny; }
  bool is_na() const { return kind == Kind::kNa; }
  // True when the value has an unquoted "*" or "?" (NISTIR 7695 §5.3.2).
  bool HasWildcard() const;
  // The value with escapes removed ("at&t"); "*" / "-" for ANY / NA.
  std::string Unescaped() const;
  friend bool operator==(const CpeValue&, const CpeValue&) = default;
};

struct Cpe {
  std::array<CpeValue, kCpeAttrCount> attrs;

  const CpeValue& at(CpeAttr attr) const { return attrs[static_cast<int>(attr)]; }
  CpeValue& at(CpeAttr attr) { return attrs[static_cast<int>(attr)]; }
  const CpeValue& part() const { return at(CpeAttr::kPart); }
  const CpeValue& vendor() const { return at(CpeAttr::kVendor); }
  const CpeValue& product() const { return at(CpeAttr::kProduct); }
  const CpeValue& version() const { return at(CpeAttr::kVersion); }
  const CpeValue& update() const { return at(CpeAttr::kUpdate); }

  // The formatted-string binding, "cpe:2.3:o:zyxel:atp100_firmware:5.35:*:*:*:*:*:*:*".
  std::string ToString() const;
  friend bool operator==(const Cpe&, const Cpe&) = default;
};

// Parses the formatted-string binding (11 attributes after "cpe:2.3:") or the
// URI binding ("cpe:/" with up to 7 components, edition packing "~" included).
// Errors name the attribute and the offending character.
Result<Cpe> ParseCpe(std::string_view text);

// Escapes a plain value for the formatted string: every character other than
// [A-Za-z0-9_] gets a backslash except "-" and "." (NISTIR 7695 §6.2.3.2).
std::string EscapeCpeValue(std::string_view plain);

// NISTIR 7696 relations. For attributes and names, Compare(source, target).
enum class CpeRelation : std::uint8_t { kDisjoint, kSubset, kSuperset, kEqual, kUndefined };
std::string_view CpeRelationName(CpeRelation relation);

// Attribute comparison, NISTIR 7696 Table 6-2 (wildcards in the source value
// are honoured; a wildcard in the target value gives kUndefined).
CpeRelation CompareCpeValues(const CpeValue& source, const CpeValue& target);

// Name comparison: the eleven attribute relations combined (§6.2).
struct CpeNameComparison {
  std::array<CpeRelation, kCpeAttrCount> attrs{};
  bool IsDisjoint() const;  // some attribute disjoint
  bool IsEqual() const;     // all equal
  bool IsSubset() const;    // all subset or equal
  bool IsSuperset() const;  // all superset or equal
};
CpeNameComparison CompareCpeNames(const Cpe& source, const Cpe& target);

}  // namespace dv::vuln
