// SPDX-License-Identifier: Apache-2.0
#include "vuln/cpe.h"

#include <string>
#include <vector>

#include "core/text.h"

namespace dv::vuln {
namespace {

constexpr std::array<std::string_view, kCpeAttrCount> kAttrNames = {"part",      "vendor",    "product",  "version",
                                                                    "update",    "edition",   "language", "sw_edition",
                                                                    "target_sw", "target_hw", "other"};

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool IsPrintable(char c) { return static_cast<unsigned char>(c) >= 0x21 && static_cast<unsigned char>(c) <= 0x7e; }

std::string Describe(char c) {
  if (IsPrintable(c)) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xf];
}

// Validates one formatted-string component and returns it lower-cased.
Result<CpeValue> ParseFsComponent(std::string_view text, int attr_idx) {
  const std::string where = std::string("CPE attribute '") + std::string(kAttrNames[attr_idx]) + "'";
  if (text == "*") return CpeValue::Any();
  if (text == "-") return CpeValue::Na();
  if (text.empty()) return Error::Parse(where + " is empty");
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '\\') {
      if (pos + 1 >= text.size() || !IsPrintable(text[pos + 1])) {
        return Error::Parse(where + ": a backslash at offset " + std::to_string(pos) + " escapes nothing printable");
      }
      out += '\\';
      out += AsciiLower(text[++pos]);
      continue;
    }
    if (IsAlnum(c) || c == '_' || c == '-' || c == '.') {
      out += AsciiLower(c);
      continue;
    }
    if (c == '*') {
      const bool at_edge = pos == 0 || pos + 1 == text.size();
      if (!at_edge) return Error::Parse(where + ": unquoted '*' inside the value at offset " + std::to_string(pos));
      if (text.size() == 1) return CpeValue::Any();
      out += c;
      continue;
    }
    if (c == '?') {
      // Runs of '?' are allowed only at the start or the end of a value.
      std::size_t run_end = pos;
      while (run_end < text.size() && text[run_end] == '?') ++run_end;
      const bool leading = pos == 0;
      const bool trailing = run_end == text.size();
      if (!leading && !trailing) {
        return Error::Parse(where + ": unquoted '?' inside the value at offset " + std::to_string(pos));
      }
      out.append(run_end - pos, '?');
      pos = run_end - 1;
      continue;
    }
    return Error::Parse(where + ": unquoted " + Describe(c) + " at offset " + std::to_string(pos) +
                        " (escape it with a backslash)");
  }
  if (out == "-") return CpeValue::Na();
  CpeValue value;
  value.kind = CpeValue::Kind::kValue;
  value.value = std::move(out);
  return value;
}

// Splits on ':' that is not escaped by a backslash.
std::vector<std::string_view> SplitFs(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == '\\') {
      ++pos;
      continue;
    }
    if (text[pos] == ':') {
      parts.push_back(text.substr(start, pos - start));
      start = pos + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

// Decodes one URI component (NISTIR 7695 §6.1.3.2) into formatted-string form.
Result<CpeValue> ParseUriComponent(std::string_view text, int attr_idx) {
  const std::string where = std::string("CPE URI attribute '") + std::string(kAttrNames[attr_idx]) + "'";
  if (text.empty()) return CpeValue::Any();
  if (text == "-") return CpeValue::Na();
  std::string out;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '%') {
      if (pos + 2 >= text.size()) {
        return Error::Parse(where + ": truncated percent-encoding at offset " + std::to_string(pos));
      }
      const int high = HexDigitValue(text[pos + 1]);
      const int low = HexDigitValue(text[pos + 2]);
      if (high < 0 || low < 0) return Error::Parse(where + ": bad percent-encoding at offset " + std::to_string(pos));
      const char decoded = static_cast<char>(high * 16 + low);
      pos += 2;
      if (decoded == 0x01) {
        out += '?';
      } else if (decoded == 0x02) {
        out += '*';
      } else if (!IsPrintable(decoded)) {
        return Error::Parse(where + ": percent-encoded " + Describe(decoded) + " is not allowed");
      } else if (IsAlnum(decoded) || decoded == '_') {
        out += AsciiLower(decoded);
      } else {
        out += '\\';
        out += decoded;
      }
      continue;
    }
    if (IsAlnum(c) || c == '_' || c == '-' || c == '.') {
      out += AsciiLower(c);
    } else if (c == '~' || c == '!' || c == '"' || c == '#' || c == '$' || c == '&' || c == '\'' || c == '(' ||
               c == ')' || c == '+' || c == ',' || c == '/' || c == ';' || c == '<' || c == '=' || c == '>' ||
               c == '@' || c == '[' || c == ']' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}') {
      // Legacy CPE 2.2 names carry some punctuation unencoded; accept it.
      out += '\\';
      out += c;
    } else {
      return Error::Parse(where + ": " + Describe(c) + " at offset " + std::to_string(pos) + " is not allowed");
    }
  }
  // The decoded value obeys the formatted-string rules (wildcards only at the ends).
  auto value = ParseFsComponent(out, attr_idx);
  if (!value.ok()) return Error::Parse("URI: " + value.error().message());
  return value;
}

Status CheckPart(const Cpe& cpe) {
  const CpeValue& part = cpe.part();
  if (part.kind == CpeValue::Kind::kValue && part.value != "a" && part.value != "o" && part.value != "h") {
    return Error::Parse("CPE attribute 'part' must be 'a', 'o', 'h', '*' or '-', not '" + part.value + "'");
  }
  return Ok();
}

Result<Cpe> ParseUri(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t pos = 0; pos <= text.size(); ++pos) {
    if (pos == text.size() || text[pos] == ':') {
      parts.push_back(text.substr(start, pos - start));
      start = pos + 1;
    }
  }
  if (parts.size() > 7) return Error::Parse("CPE URI has " + std::to_string(parts.size()) + " components; at most 7");
  Cpe cpe;
  for (std::size_t part_idx = 0; part_idx < parts.size(); ++part_idx) {
    std::string_view component = parts[part_idx];
    if (part_idx == 5 && !component.empty() && component.front() == '~') {
      // Packed edition: ~edition~sw_edition~target_sw~target_hw~other.
      std::vector<std::string_view> packed;
      std::size_t packed_start = 1;
      for (std::size_t pos = 1; pos <= component.size(); ++pos) {
        if (pos == component.size() || component[pos] == '~') {
          packed.push_back(component.substr(packed_start, pos - packed_start));
          packed_start = pos + 1;
        }
      }
      if (packed.size() != 5) return Error::Parse("CPE URI packed edition must have 5 fields separated by '~'");
      constexpr std::array<CpeAttr, 5> kPackedAttrs = {CpeAttr::kEdition, CpeAttr::kSwEdition, CpeAttr::kTargetSw,
                                                       CpeAttr::kTargetHw, CpeAttr::kOther};
      for (std::size_t packed_idx = 0; packed_idx < packed.size(); ++packed_idx) {
        auto value = ParseUriComponent(packed[packed_idx], static_cast<int>(kPackedAttrs[packed_idx]));
        if (!value.ok()) return value.error();
        cpe.at(kPackedAttrs[packed_idx]) = std::move(*value);
      }
      continue;
    }
    const int attr_idx = part_idx == 6 ? static_cast<int>(CpeAttr::kLanguage) : static_cast<int>(part_idx);
    auto value = ParseUriComponent(component, attr_idx);
    if (!value.ok()) return value.error();
    cpe.attrs[attr_idx] = std::move(*value);
  }
  DV_TRY(CheckPart(cpe));
  return cpe;
}

// Units of an escaped value: "\x" pairs count as one character.
std::vector<std::string_view> Units(std::string_view value) {
  std::vector<std::string_view> units;
  for (std::size_t pos = 0; pos < value.size(); ++pos) {
    if (value[pos] == '\\' && pos + 1 < value.size()) {
      units.push_back(value.substr(pos, 2));
      ++pos;
    } else {
      units.push_back(value.substr(pos, 1));
    }
  }
  return units;
}

bool WildcardMatches(std::string_view pattern, std::string_view target) {
  const auto pattern_units = Units(pattern);
  const auto target_units = Units(target);
  std::size_t lead_begin = 0;
  bool lead_star = false;
  std::size_t lead_q = 0;
  while (lead_begin < pattern_units.size() && (pattern_units[lead_begin] == "*" || pattern_units[lead_begin] == "?")) {
    if (pattern_units[lead_begin] == "*")
      lead_star = true;
    else
      ++lead_q;
    ++lead_begin;
  }
  std::size_t tail_end = pattern_units.size();
  bool tail_star = false;
  std::size_t tail_q = 0;
  while (tail_end > lead_begin && (pattern_units[tail_end - 1] == "*" || pattern_units[tail_end - 1] == "?")) {
    if (pattern_units[tail_end - 1] == "*")
      tail_star = true;
    else
      ++tail_q;
    --tail_end;
  }
  const std::size_t middle = tail_end - lead_begin;
  const std::size_t count = target_units.size();
  for (std::size_t start = 0; start <= count; ++start) {
    if (lead_star ? start < lead_q : start != lead_q) continue;
    if (start + middle > count) break;
    bool same = true;
    for (std::size_t unit_idx = 0; unit_idx < middle && same; ++unit_idx) {
      same = pattern_units[lead_begin + unit_idx] == target_units[start + unit_idx];
    }
    if (!same) continue;
    const std::size_t rest = count - start - middle;
    if (tail_star ? rest >= tail_q : rest == tail_q) return true;
  }
  return false;
}

}  // namespace

std::string_view CpeAttrName(CpeAttr attr) { return kAttrNames[static_cast<int>(attr)]; }

CpeValue CpeValue::Of(std::string_view fs_value) {
  CpeValue value;
  value.kind = Kind::kValue;
  value.value.reserve(fs_value.size());
  for (char c : fs_value) value.value += AsciiLower(c);
  return value;
}

bool CpeValue::HasWildcard() const {
  if (kind != Kind::kValue) return false;
  for (std::size_t pos = 0; pos < value.size(); ++pos) {
    if (value[pos] == '\\') {
      ++pos;
      continue;
    }
    if (value[pos] == '*' || value[pos] == '?') return true;
  }
  return false;
}

std::string CpeValue::Unescaped() const {
  if (kind == Kind::kAny) return "*";
  if (kind == Kind::kNa) return "-";
  std::string out;
  for (std::size_t pos = 0; pos < value.size(); ++pos) {
    if (value[pos] == '\\' && pos + 1 < value.size()) ++pos;
    out += value[pos];
  }
  return out;
}

std::string Cpe::ToString() const {
  std::string out = "cpe:2.3";
  for (const CpeValue& attr : attrs) {
    out += ':';
    if (attr.is_any())
      out += '*';
    else if (attr.is_na())
      out += '-';
    else
      out += attr.value;
  }
  return out;
}

std::string EscapeCpeValue(std::string_view plain) {
  std::string out;
  for (char c : plain) {
    if (!(IsAlnum(c) || c == '_' || c == '-' || c == '.')) out += '\\';
    out += AsciiLower(c);
  }
  return out;
}

Result<Cpe> ParseCpe(std::string_view text) {
  if (text.size() > 4096) return Error::Parse("CPE name is longer than 4096 bytes");
  if (text.starts_with("cpe:/") || text.starts_with("CPE:/")) return ParseUri(text.substr(5));
  if (!(text.starts_with("cpe:2.3:") || text.starts_with("CPE:2.3:"))) {
    return Error::Parse("CPE name must start with 'cpe:2.3:' (formatted string) or 'cpe:/' (URI)");
  }
  const auto parts = SplitFs(text.substr(8));
  if (parts.size() != kCpeAttrCount) {
    return Error::Parse("CPE formatted string has " + std::to_string(parts.size()) +
                        " attributes after 'cpe:2.3:'; expected 11");
  }
  Cpe cpe;
  for (int attr_idx = 0; attr_idx < kCpeAttrCount; ++attr_idx) {
    auto value = ParseFsComponent(parts[attr_idx], attr_idx);
    if (!value.ok()) return value.error();
    cpe.attrs[attr_idx] = std::move(*value);
  }
  DV_TRY(CheckPart(cpe));
  return cpe;
}

std::string_view CpeRelationName(CpeRelation relation) {
  switch (relation) {
    case CpeRelation::kDisjoint:
      return "DISJOINT";
    case CpeRelation::kSubset:
      return "SUBSET";
    case CpeRelation::kSuperset:
      return "SUPERSET";
    case CpeRelation::kEqual:
      return "EQUAL";
    case CpeRelation::kUndefined:
      return "UNDEFINED";
  }
  return "UNDEFINED";
}

CpeRelation CompareCpeValues(const CpeValue& source, const CpeValue& target) {
  using K = CpeValue::Kind;
  if (target.HasWildcard()) return CpeRelation::kUndefined;
  if (source.kind == K::kAny) return target.kind == K::kAny ? CpeRelation::kEqual : CpeRelation::kSuperset;
  if (source.kind == K::kNa) {
    if (target.kind == K::kAny) return CpeRelation::kSubset;
    return target.kind == K::kNa ? CpeRelation::kEqual : CpeRelation::kDisjoint;
  }
  if (target.kind == K::kAny) return CpeRelation::kSubset;
  if (target.kind == K::kNa) return CpeRelation::kDisjoint;
  if (source.HasWildcard()) {
    return WildcardMatches(source.value, target.value) ? CpeRelation::kSuperset : CpeRelation::kDisjoint;
  }
  return source.value == target.value ? CpeRelation::kEqual : CpeRelation::kDisjoint;
}

bool CpeNameComparison::IsDisjoint() const {
  for (CpeRelation relation : attrs) {
    if (relation == CpeRelation::kDisjoint) return true;
  }
  return false;
}
bool CpeNameComparison::IsEqual() const {
  for (CpeRelation relation : attrs) {
    if (relation != CpeRelation::kEqual) return false;
  }
  return true;
}
bool CpeNameComparison::IsSubset() const {
  for (CpeRelation relation : attrs) {
    if (relation != CpeRelation::kSubset && relation != CpeRelation::kEqual) return false;
  }
  return true;
}
bool CpeNameComparison::IsSuperset() const {
  for (CpeRelation relation : attrs) {
    if (relation != CpeRelation::kSuperset && relation != CpeRelation::kEqual) return false;
  }
  return true;
}

CpeNameComparison CompareCpeNames(const Cpe& source, const Cpe& target) {
  CpeNameComparison comparison;
  for (int attr_idx = 0; attr_idx < kCpeAttrCount; ++attr_idx) {
    comparison.attrs[attr_idx] = CompareCpeValues(source.attrs[attr_idx], target.attrs[attr_idx]);
  }
  return comparison;
}

}  // namespace dv::vuln
