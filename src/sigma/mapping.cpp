// SPDX-License-Identifier: Apache-2.0
#include "sigma/mapping.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/text.h"

namespace dv::sigma {

// Defined by the generated embedded-data file (cmake/embed.cmake).
std::string_view SigmaDataFile(std::string_view name);

namespace {

bool EqualsFolded(std::string_view a, std::string_view b) { return Event::EqualsIgnoreCase(a, b); }

std::string Place(const std::string& file, const YAML::Node& node) {
  return file + ":" + std::to_string(node.Mark().line + 1);
}

}  // namespace

Result<FieldMapping> FieldMapping::Parse(std::string_view yaml, const std::string& file) {
  FieldMapping mapping;
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& error) {
    return Error::Parse(file + ":" + std::to_string(error.mark.line + 1) + ": YAML: " + error.msg);
  }
  try {
    if (const YAML::Node aliases = doc["field_aliases"]; aliases) {
      if (!aliases.IsMap()) return Error::Parse(Place(file, aliases) + ": 'field_aliases' must be a map");
      for (const auto& entry : aliases)
        mapping.field_aliases_.emplace_back(entry.first.Scalar(), entry.second.Scalar());
    }
    if (const YAML::Node prefixes = doc["strip_prefixes"]; prefixes) {
      for (const auto& prefix : prefixes) mapping.strip_prefixes_.push_back(prefix.Scalar());
    }
    if (const YAML::Node prefixes = doc["strip_wrapper_prefixes"]; prefixes) {
      if (!prefixes.IsSequence())
        return Error::Parse(Place(file, prefixes) + ": 'strip_wrapper_prefixes' must be a list");
      for (const auto& prefix : prefixes) mapping.strip_wrapper_prefixes_.push_back(prefix.Scalar());
    }
    if (const YAML::Node spaces = doc["names_without_spaces"]; spaces) {
      if (!spaces.IsScalar() || (spaces.Scalar() != "true" && spaces.Scalar() != "false")) {
        return Error::Parse(Place(file, spaces) + ": 'names_without_spaces' must be true or false");
      }
      mapping.names_without_spaces_ = spaces.Scalar() == "true";
    }
    const YAML::Node logsources = doc["logsources"];
    if (!logsources || !logsources.IsSequence()) {
      return Error::Parse(file + ": 'logsources' must be a list of log source definitions");
    }
    for (const auto& node : logsources) {
      LogSourceDefinition def;
      const std::string where = Place(file, node);
      if (!node["logsource"] || !node["logsource"].IsMap()) return Error::Parse(where + ": 'logsource' is required");
      const YAML::Node logsource = node["logsource"];
      if (logsource["product"]) def.logsource.product = logsource["product"].Scalar();
      if (logsource["category"]) def.logsource.category = logsource["category"].Scalar();
      if (logsource["service"]) def.logsource.service = logsource["service"].Scalar();
      def.name = node["name"] ? node["name"].Scalar() : def.logsource.ToString();
      if (const YAML::Node when = node["when"]; when) {
        if (!when.IsMap()) return Error::Parse(where + ": 'when' must be a map of field: value(s)");
        for (const auto& test : when) {
          std::vector<std::string> values;
          if (test.second.IsSequence()) {
            for (const auto& value : test.second) values.push_back(value.Scalar());
          } else {
            values.push_back(test.second.Scalar());
          }
          def.when.emplace_back(test.first.Scalar(), std::move(values));
        }
      }
      if (const YAML::Node set = node["set"]; set) {
        if (!set.IsSequence()) return Error::Parse(where + ": 'set' must be a list of {target: source}");
        for (const auto& item : set) {
          for (const auto& pair : item) def.set.emplace_back(pair.first.Scalar(), pair.second.Scalar());
        }
      }
      mapping.logsources_.push_back(std::move(def));
    }
  } catch (const YAML::Exception& error) {
    return Error::Parse(file + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
  mapping.BuildIndex();
  return mapping;
}

void FieldMapping::BuildIndex() {
  for (std::size_t alias_idx = 0; alias_idx < field_aliases_.size(); ++alias_idx) {
    alias_by_source_[field_aliases_[alias_idx].first].push_back(alias_idx);
  }
  for (std::size_t def_idx = 0; def_idx < logsources_.size(); ++def_idx) {
    const auto def = static_cast<std::uint32_t>(def_idx);
    bool indexed = false;
    for (std::size_t key_idx = 0; key_idx < kIndexFields.size() && !indexed; ++key_idx) {
      const auto test = std::find_if(logsources_[def_idx].when.begin(), logsources_[def_idx].when.end(),
                                     [&](const auto& when) { return when.first == kIndexFields[key_idx]; });
      if (test == logsources_[def_idx].when.end() ||
          std::any_of(test->second.begin(), test->second.end(),
                      [](const std::string& value) { return value == "*"; })) {
        continue;
      }
      for (const auto& value : test->second) by_value_[key_idx][FoldCase(value)].push_back(def);
      indexed = true;
    }
    if (!indexed) without_index_.push_back(def);
  }
}

Result<FieldMapping> FieldMapping::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Io("cannot read field mapping '" + path + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), path);
}

const FieldMapping& FieldMapping::Default() {
  static const FieldMapping kDefault = [] {
    auto parsed = Parse(SigmaDataFile("mapping.yml"), "data/sigma/mapping.yml");
    // The compiled-in file is tested; failing here is a build defect.
    return parsed.ok() ? std::move(parsed).value() : FieldMapping();
  }();
  return kDefault;
}

void FieldMapping::Normalize(Event& event, std::vector<std::uint32_t>& matched) const {
  thread_local EventFieldIndex index;
  Normalize(event, matched, index);
}

void FieldMapping::Normalize(Event& event, std::vector<std::uint32_t>& matched, EventFieldIndex& index) const {
  index.Reset(event);
  // 1. Nested prefixes: winlog.event_data.CommandLine → CommandLine; and
  // wrapped data: Event.UserData.LogFileCleared.SubjectUserName → SubjectUserName.
  const std::size_t original = event.size();
  for (std::size_t field_idx = 0; field_idx < original; ++field_idx) {
    const EventField& field = event.fields()[field_idx];
    const std::string_view name = field.name;
    std::string_view short_name;
    for (const auto& prefix : strip_prefixes_) {
      if (name.size() > prefix.size() && name.starts_with(prefix)) {
        short_name = name.substr(prefix.size());
        break;
      }
    }
    if (short_name.empty()) {
      for (const auto& prefix : strip_wrapper_prefixes_) {
        if (name.size() <= prefix.size() || !name.starts_with(prefix)) continue;
        const std::size_t dot = name.find('.', prefix.size());
        if (dot != std::string_view::npos) short_name = name.substr(dot + 1);
        break;
      }
    }
    if (short_name.empty() || index.Contains(event, short_name)) continue;
    event.Duplicate(field_idx, short_name);
    index.Update(event);
  }
  // 1b. Undotted names with spaces, as Windows writes some event data
  // ("Threat Name"), also without them ("ThreatName").
  if (names_without_spaces_) {
    const std::size_t with_short = event.size();
    for (std::size_t field_idx = 0; field_idx < with_short; ++field_idx) {
      const std::string& name = event.fields()[field_idx].name;
      if (name.find(' ') == std::string::npos || name.find('.') != std::string::npos) continue;
      std::string squeezed;
      squeezed.reserve(name.size());
      for (const char c : name) {
        if (c != ' ') squeezed.push_back(c);
      }
      if (squeezed.empty() || index.Contains(event, squeezed)) continue;
      event.Duplicate(field_idx, squeezed);
      index.Update(event);
    }
  }
  // 2. Aliases to taxonomy names, only where the taxonomy name is absent:
  // one pass over the fields, a hash lookup each.
  const std::size_t with_prefixes = event.size();
  for (std::size_t field_idx = 0; field_idx < with_prefixes; ++field_idx) {
    const auto aliases = alias_by_source_.find(event.fields()[field_idx].name);
    if (aliases == alias_by_source_.end()) continue;
    for (const std::size_t alias_idx : aliases->second) {
      const std::string& target = field_aliases_[alias_idx].second;
      if (index.Contains(event, target)) continue;
      event.Duplicate(field_idx, target);  // (a null source gives a null alias)
      index.Update(event);
    }
  }
  // 3. Log sources, and their own renames.
  matched.clear();
  // Candidates: the definitions for this event's Channel and event.dataset,
  // and those tested on neither; in definition order.
  thread_local std::vector<std::uint32_t> candidates;
  candidates.clear();
  for (std::size_t key_idx = 0; key_idx < kIndexFields.size(); ++key_idx) {
    if (by_value_[key_idx].empty()) continue;
    const EventField* field = index.Find(event, kIndexFields[key_idx]);
    if (field == nullptr) continue;
    const auto it = by_value_[key_idx].find(FoldCase(field->value));
    if (it == by_value_[key_idx].end()) continue;
    const std::size_t before = candidates.size();
    candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    std::inplace_merge(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(before), candidates.end());
  }
  const std::size_t indexed = candidates.size();
  candidates.insert(candidates.end(), without_index_.begin(), without_index_.end());
  std::inplace_merge(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(indexed), candidates.end());
  for (const std::uint32_t def_idx : candidates) {
    const LogSourceDefinition& def = logsources_[def_idx];
    bool belongs = true;
    for (const auto& [field_name, values] : def.when) {
      const EventField* field = index.Find(event, field_name);
      bool hit = false;
      if (field != nullptr) {
        for (const auto& value : values) {
          if (value == "*" || EqualsFolded(field->value, value)) {
            hit = true;
            break;
          }
        }
      }
      if (!hit) {
        belongs = false;
        break;
      }
    }
    if (!belongs) continue;
    matched.push_back(def_idx);
    for (const auto& [target, source] : def.set) {
      const EventField* field = index.Find(event, source);
      if (field == nullptr) continue;
      const std::string value = field->value;
      event.Set(target, value);  // may reorder and drop fields
      index.Reset(event);
    }
  }
}

bool FieldMapping::Applies(const LogSource& rule, const LogSource& def) {
  auto same = [](const std::string& wanted, const std::string& have) {
    return wanted.empty() || EqualsFolded(wanted, have);
  };
  return same(rule.product, def.product) && same(rule.category, def.category) && same(rule.service, def.service);
}

}  // namespace dv::sigma
