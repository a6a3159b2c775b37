// SPDX-License-Identifier: Apache-2.0
#include "sigma/rule.h"

#include <array>

namespace dv::sigma {
namespace {

constexpr std::array<std::pair<std::string_view, Modifier>, 31> kModifiers = {{
    {"contains", Modifier::kContains},
    {"startswith", Modifier::kStartsWith},
    {"endswith", Modifier::kEndsWith},
    {"all", Modifier::kAll},
    {"exists", Modifier::kExists},
    {"cased", Modifier::kCased},
    {"neq", Modifier::kNeq},
    {"windash", Modifier::kWindash},
    {"re", Modifier::kRe},
    {"i", Modifier::kReI},
    {"m", Modifier::kReM},
    {"s", Modifier::kReS},
    {"base64", Modifier::kBase64},
    {"base64offset", Modifier::kBase64Offset},
    {"utf16le", Modifier::kUtf16Le},
    {"utf16be", Modifier::kUtf16Be},
    {"utf16", Modifier::kUtf16},
    {"wide", Modifier::kWide},
    {"lt", Modifier::kLt},
    {"lte", Modifier::kLte},
    {"gt", Modifier::kGt},
    {"gte", Modifier::kGte},
    {"minute", Modifier::kMinute},
    {"hour", Modifier::kHour},
    {"day", Modifier::kDay},
    {"week", Modifier::kWeek},
    {"month", Modifier::kMonth},
    {"year", Modifier::kYear},
    {"cidr", Modifier::kCidr},
    {"expand", Modifier::kExpand},
    {"fieldref", Modifier::kFieldRef},
}};

}  // namespace

std::string SourcePlace::ToString() const { return line > 0 ? file + ":" + std::to_string(line) : file; }

std::optional<Modifier> ParseModifier(std::string_view name) {
  for (const auto& [text, modifier] : kModifiers) {
    if (text == name) return modifier;
  }
  return std::nullopt;
}

std::string_view ModifierName(Modifier modifier) {
  for (const auto& [text, value] : kModifiers) {
    if (value == modifier) return text;
  }
  return "?";
}

std::string LogSource::ToString() const {
  std::string out = product.empty() ? "*" : product;
  out += "/" + (category.empty() ? std::string("*") : category);
  out += "/" + (service.empty() ? std::string("*") : service);
  return out;
}

std::string_view LevelName(Level level) {
  static constexpr std::string_view kNames[] = {"informational", "low", "medium", "high", "critical"};
  return kNames[static_cast<int>(level)];
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (int level_idx = 0; level_idx <= static_cast<int>(Level::kCritical); ++level_idx) {
    if (LevelName(static_cast<Level>(level_idx)) == name) return static_cast<Level>(level_idx);
  }
  return std::nullopt;
}

std::string_view DocumentKindName(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kDetection:
      return "detection";
    case DocumentKind::kCorrelation:
      return "correlation";
    case DocumentKind::kFilter:
      return "filter";
  }
  return "detection";
}

const SearchIdentifier* Detection::Find(std::string_view name) const {
  for (const auto& identifier : identifiers) {
    if (identifier.name == name) return &identifier;
  }
  return nullptr;
}

}  // namespace dv::sigma
