// SPDX-License-Identifier: Apache-2.0
#include "sigma/stix_indicator.h"

#include <nlohmann/json.hpp>

#include "core/uuid.h"
#include "sigma/loader.h"

namespace dv::sigma {

namespace {

// "2024/03/07" or "2024-03-07" (surrounding spaces and quotes allowed) at midnight UTC.
std::optional<Timestamp> SigmaDate(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\'' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\'' || text.back() == '"')) {
    text.remove_suffix(1);
  }
  if (text.size() != 10 || (text[4] != '-' && text[4] != '/') || text[7] != text[4]) return std::nullopt;
  auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  return Timestamp::FromCivil(year, month, day);
}

// The top-level `modified:` of the rule, which the rule model does not keep.
std::optional<Timestamp> ModifiedLine(std::string_view yaml) {
  constexpr std::string_view kKey = "modified:";
  std::size_t start = 0;
  while (start < yaml.size()) {
    std::size_t end = yaml.find('\n', start);
    if (end == std::string_view::npos) end = yaml.size();
    const std::string_view line = yaml.substr(start, end - start);
    if (line.substr(0, kKey.size()) == kKey) return SigmaDate(line.substr(kKey.size()));
    start = end + 1;
  }
  return std::nullopt;
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
