// SPDX-License-Identifier: Apache-2.0
#include "sigma/stix_indicator.h"

#include <nlohmann/json.hpp>
#include <regex>

#include "core/uuid.h"
#include "sigma/loader.h"

namespace dv::sigma {

namespace {

// "2024/03/07" or "2024-03-07" at midnight UTC.
std::optional<Timestamp> SigmaDate(std::string_view text) {
  static const std::regex kDate(R"(^\s*(\d{4})[-/](\d{2})[-/](\d{2})\s*$)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, kDate)) return std::nullopt;
  const int year = std::stoi(match[1].str());
  const int month = std::stoi(match[2].str());
  const int day = std::stoi(match[3].str());
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  return Timestamp::FromCivil(year, month, day);
}

// The top-level `modified:` of the rule, which the rule model does not keep.
std::optional<Timestamp> ModifiedLine(std::string_view yaml) {
  static const std::regex kModified(R"((?:^|\n)modified:\s*['"]?([0-9/-]{10})['"]?\s*(?:\n|$))");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_search(yaml.begin(), yaml.end(), match, kModified)) return std::nullopt;
  return SigmaDate(match[1].str());
}

}  // namespace

Result<std::string> SigmaRuleToIndicator(std::string_view yaml, const std::string& file,
                                         const SigmaIndicatorOptions& options) {
  LoadedDocuments loaded = ParseRuleDocuments(yaml, file);
  for (const auto& problem : loaded.problems) {
    if (problem.fatal) return Error::InvalidArgument(problem.ToString());
  }
  if (loaded.rules.size() != 1 || loaded.rules.front().kind != DocumentKind::kDetection) {
    return Error::InvalidArgument(file + ": must hold exactly one Sigma detection rule (it holds " +
                                  std::to_string(loaded.rules.size()) +
                                  " documents; correlation and filter rules are not shared yet)");
  }
  const Rule& rule = loaded.rules.front();
  std::string id;
  if (auto uuid = Uuid::Parse(rule.id); uuid.ok()) {
    id = "indicator--" + uuid->ToString();
  } else {
    id = "indicator--" + Uuid::V5(DannevirkeNamespace(), "sigma:" + rule.title).ToString();
  }
  const Timestamp created = SigmaDate(rule.date).value_or(options.now);
  Timestamp modified = ModifiedLine(yaml).value_or(created);
  if (modified < created) modified = created;
  nlohmann::json indicator = {{"type", "indicator"},
                              {"spec_version", "2.1"},
                              {"id", id},
                              {"created", created.ToRfc3339()},
                              {"modified", modified.ToRfc3339()},
                              {"name", rule.title},
                              {"indicator_types", {"malicious-activity"}},
                              {"pattern", std::string(yaml)},
                              {"pattern_type", "sigma"},
                              {"valid_from", created.ToRfc3339()}};
  if (!rule.description.empty()) indicator["description"] = rule.description;
  if (!rule.tags.empty()) indicator["labels"] = rule.tags;
  if (!rule.status.empty()) indicator["x_sigma_status"] = rule.status;
  if (rule.level_given) indicator["x_sigma_level"] = std::string(LevelName(rule.level));
  if (!options.created_by_ref.empty()) indicator["created_by_ref"] = options.created_by_ref;
  if (options.tlp) indicator["object_marking_refs"] = {std::string(TlpMarkingId(*options.tlp))};
  return indicator.dump();
}

}  // namespace dv::sigma
