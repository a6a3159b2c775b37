// SPDX-License-Identifier: Apache-2.0
#include "sigma/loader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "core/file_cache.h"
#include "core/time.h"
#include "sigma/condition.h"
#include "sigma/document_cache.h"

namespace dv::sigma {
namespace {

// Thrown inside this file only, to leave a document at its first error; caught
// in ParseRuleDocuments and turned into a LoadProblem.
struct DocumentError {
  int line;
  std::string message;
};

int LineOf(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

[[noreturn]] void Fail(const YAML::Node& node, std::string message) {
  throw DocumentError{LineOf(node), std::move(message)};
}

std::string ScalarString(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) Fail(node, std::string(what) + " must be a text value");
  return node.Scalar();
}

std::vector<std::string> StringList(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> out;
  if (!node || node.IsNull()) return out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) Fail(node, std::string(what) + " must be a list");
  for (const auto& item : node) {
    if (item.IsScalar()) {
      out.push_back(item.Scalar());
    } else if (!item.IsNull()) {
      Fail(item, std::string(what) + " must hold text values");
    }
  }
  return out;
}

bool IsPlainInteger(const std::string& text) {
  if (text.empty()) return false;
  std::size_t start = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (start == text.size()) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

RuleValue ToRuleValue(const YAML::Node& node) {
  RuleValue value;
  if (node.IsNull()) {
    value.type = RuleValue::Type::kNull;
    return value;
  }
  if (!node.IsScalar()) Fail(node, "a detection value must be a text, number, boolean or null");
  value.text = node.Scalar();
  if (node.Tag() == "?") {  // a plain (unquoted) scalar: YAML types apply
    if (IsPlainInteger(value.text)) {
      value.type = RuleValue::Type::kInteger;
    } else if (value.text == "true" || value.text == "false" || value.text == "True" || value.text == "False") {
      value.type = RuleValue::Type::kBool;
      value.text = (value.text == "true" || value.text == "True") ? "true" : "false";
    } else {
      char* end = nullptr;
      std::strtod(value.text.c_str(), &end);
      if (!value.text.empty() && end == value.text.c_str() + value.text.size() &&
          value.text.find_first_of(".eE") != std::string::npos) {
        value.type = RuleValue::Type::kFloat;
      }
    }
  }
  return value;
}

FieldCondition ToFieldCondition(const std::string& key, const YAML::Node& value, const std::string& file) {
  FieldCondition condition;
  condition.place = {file, LineOf(value)};
  std::string_view rest = key;
  const auto pipe = rest.find('|');
  condition.field = std::string(rest.substr(0, pipe));
  if (pipe != std::string_view::npos) {
    rest.remove_prefix(pipe + 1);
    while (true) {
      const auto next = rest.find('|');
      const std::string_view name = rest.substr(0, next);
      const auto modifier = ParseModifier(name);
      if (!modifier) Fail(value, "unknown value modifier '" + std::string(name) + "' in '" + key + "'");
      condition.modifiers.push_back(*modifier);
      if (next == std::string_view::npos) break;
      rest.remove_prefix(next + 1);
    }
  }
  if (value.IsSequence()) {
    if (value.size() == 0) Fail(value, "field '" + key + "' has an empty list of values");
    for (const auto& item : value) condition.values.push_back(ToRuleValue(item));
  } else {
    condition.values.push_back(ToRuleValue(value));
  }
  return condition;
}

std::vector<FieldCondition> ToConditionMap(const YAML::Node& map, const std::string& file) {
  std::vector<FieldCondition> conditions;
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    conditions.push_back(ToFieldCondition(key, entry.second, file));
  }
  if (conditions.empty()) Fail(map, "a detection map must not be empty");
  return conditions;
}

SearchIdentifier ToSearchIdentifier(const std::string& name, const YAML::Node& node, const std::string& file) {
  SearchIdentifier identifier;
  identifier.name = name;
  identifier.place = {file, LineOf(node)};
  if (node.IsMap()) {
    identifier.alternatives.push_back(ToConditionMap(node, file));
  } else if (node.IsSequence()) {
    if (node.size() == 0) Fail(node, "search identifier '" + name + "' is an empty list");
    bool any_map = false;
    bool any_scalar = false;
    for (const auto& item : node) (item.IsMap() ? any_map : any_scalar) = true;
    if (any_map && any_scalar) Fail(node, "search identifier '" + name + "' mixes maps and plain values");
    if (any_map) {
      for (const auto& item : node) identifier.alternatives.push_back(ToConditionMap(item, file));
    } else {
      identifier.alternatives.push_back({ToFieldCondition("", node, file)});
    }
  } else if (node.IsScalar()) {
    identifier.alternatives.push_back({ToFieldCondition("", node, file)});  // a single keyword
  } else {
    Fail(node, "search identifier '" + name + "' must be a map or a list");
  }
  return identifier;
}

Detection ToDetection(const YAML::Node& node, const std::string& file, bool filter, const SigmaBudget& budget) {
  if (!node.IsMap()) Fail(node, filter ? "'filter' must be a map" : "'detection' must be a map");
  Detection detection;
  YAML::Node condition;
  bool has_condition = false;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (key == "condition") {
      condition = entry.second;
      has_condition = true;
      continue;
    }
    if (key == "timeframe") Fail(entry.second, "'timeframe' belongs to correlation rules in Sigma 2");
    if (filter && key == "rules") continue;
    detection.identifiers.push_back(ToSearchIdentifier(key, entry.second, file));
  }
  if (!has_condition) Fail(node, "the detection has no 'condition'");
  for (const auto& text : StringList(condition, "'condition'")) {
    auto parsed = ParseCondition(text, budget.max_condition_bytes, budget.max_condition_depth);
    if (!parsed.ok()) Fail(condition, parsed.error().message());
    detection.conditions.push_back(std::shared_ptr<const ConditionNode>(std::move(parsed).value()));
    detection.condition_texts.push_back(text);
  }
  if (detection.conditions.empty()) Fail(condition, "'condition' is empty");
  return detection;
}

std::int64_t ParseTimespan(const YAML::Node& node) {
  const std::string text = ScalarString(node, "'timespan'");
  if (text.size() < 2) Fail(node, "'timespan' must look like 30s, 5m, 1h, 7d, 2w or 1M");
  const char unit = text.back();
  std::int64_t count = 0;
  try {
    std::size_t used = 0;
    count = std::stoll(text.substr(0, text.size() - 1), &used);
    if (used != text.size() - 1 || count <= 0) throw std::invalid_argument("timespan");
  } catch (const std::exception&) {
    Fail(node, "'timespan' must be a positive number with a unit (s, m, h, d, w, M, y): '" + text + "'");
  }
  const auto unit_ms = DurationUnitMs(unit);
  if (!unit_ms) Fail(node, "'timespan' has an unknown unit '" + std::string(1, unit) + "'");
  return count * *unit_ms;
}

Correlation ToCorrelation(const YAML::Node& node) {
  if (!node.IsMap()) Fail(node, "'correlation' must be a map");
  Correlation correlation;
  const YAML::Node type = node["type"];
  if (!type) Fail(node, "the correlation has no 'type'");
  static const std::pair<std::string_view, Correlation::Type> kTypes[] = {
      {"event_count", Correlation::Type::kEventCount},
      {"value_count", Correlation::Type::kValueCount},
      {"temporal", Correlation::Type::kTemporal},
      {"temporal_ordered", Correlation::Type::kTemporalOrdered},
      {"value_sum", Correlation::Type::kValueSum},
      {"value_avg", Correlation::Type::kValueAvg},
      {"value_percentile", Correlation::Type::kValuePercentile}};
  const std::string type_name = ScalarString(type, "'type'");
  bool known = false;
  for (const auto& [name, value] : kTypes) {
    if (name == type_name) {
      correlation.type = value;
      known = true;
    }
  }
  if (!known) Fail(type, "unknown correlation type '" + type_name + "'");
  correlation.rules = StringList(node["rules"], "'rules'");
  if (correlation.rules.empty()) Fail(node, "the correlation names no 'rules'");
  correlation.group_by = StringList(node["group-by"], "'group-by'");
  if (!node["timespan"]) Fail(node, "the correlation has no 'timespan'");
  correlation.timespan_ms = ParseTimespan(node["timespan"]);
  if (const YAML::Node generate = node["generate"]; generate) correlation.generate = generate.as<bool>(false);
  if (const YAML::Node aliases = node["aliases"]; aliases) {
    if (!aliases.IsMap()) Fail(aliases, "'aliases' must be a map");
    for (const auto& alias : aliases) {
      if (!alias.second.IsMap()) Fail(alias.second, "alias '" + alias.first.Scalar() + "' must map rules to fields");
      for (const auto& mapping : alias.second) {
        correlation.aliases[alias.first.Scalar()][mapping.first.Scalar()] =
            ScalarString(mapping.second, "an alias field");
      }
    }
  }
  const bool temporal =
      correlation.type == Correlation::Type::kTemporal || correlation.type == Correlation::Type::kTemporalOrdered;
  const YAML::Node condition = node["condition"];
  if (!condition) {
    if (!temporal) Fail(node, "the correlation has no 'condition'");
    return correlation;  // temporal: all rules must match
  }
  if (!condition.IsMap()) Fail(condition, "the correlation 'condition' must be a map such as {gte: 10}");
  for (const auto& entry : condition) {
    const std::string key = entry.first.Scalar();
    if (key == "field") {
      correlation.condition.field = ScalarString(entry.second, "'field'");
      continue;
    }
    if (key == "percentile") {
      correlation.condition.percentile = entry.second.as<double>();
      continue;
    }
    double number = 0;
    try {
      number = entry.second.as<double>();
    } catch (const YAML::Exception&) {
      Fail(entry.second, "correlation condition '" + key + "' must be a number");
    }
    if (key == "gt")
      correlation.condition.gt = number;
    else if (key == "gte")
      correlation.condition.gte = number;
    else if (key == "lt")
      correlation.condition.lt = number;
    else if (key == "lte")
      correlation.condition.lte = number;
    else if (key == "eq")
      correlation.condition.eq = number;
    else if (key == "neq")
      correlation.condition.neq = number;
    else
      Fail(entry.second, "unknown correlation condition '" + key + "'");
  }
  const bool needs_field =
      correlation.type == Correlation::Type::kValueCount || correlation.type == Correlation::Type::kValueSum ||
      correlation.type == Correlation::Type::kValueAvg || correlation.type == Correlation::Type::kValuePercentile;
  if (needs_field && correlation.condition.field.empty()) Fail(condition, "this correlation type needs 'field'");
  return correlation;
}

Rule ToRule(const YAML::Node& doc, const std::string& file, const SigmaBudget& budget) {
  if (!doc.IsMap()) Fail(doc, "a Sigma document must be a map");
  Rule rule;
  rule.place = {file, LineOf(doc)};
  const YAML::Node title = doc["title"];
  if (!title) Fail(doc, "the rule has no 'title'");
  rule.title = ScalarString(title, "'title'");
  if (doc["id"]) rule.id = ScalarString(doc["id"], "'id'");
  if (doc["name"]) rule.name = ScalarString(doc["name"], "'name'");
  if (doc["status"]) {
    rule.status = ScalarString(doc["status"], "'status'");
    static const std::set<std::string> kStatuses = {"stable", "test", "experimental", "deprecated", "unsupported"};
    if (!kStatuses.count(rule.status)) Fail(doc["status"], "unknown status '" + rule.status + "'");
  }
  if (doc["description"]) rule.description = ScalarString(doc["description"], "'description'");
  if (doc["author"]) rule.author = ScalarString(doc["author"], "'author'");
  if (doc["date"]) rule.date = ScalarString(doc["date"], "'date'");
  if (doc["level"]) {
    const std::string level = ScalarString(doc["level"], "'level'");
    const auto parsed = ParseLevel(level);
    if (!parsed)
      Fail(doc["level"], "unknown level '" + level + "' (want informational, low, medium, high or critical)");
    rule.level = *parsed;
    rule.level_given = true;
  }
  if (const YAML::Node logsource = doc["logsource"]; logsource) {
    if (!logsource.IsMap()) Fail(logsource, "'logsource' must be a map");
    if (logsource["product"]) rule.logsource.product = ScalarString(logsource["product"], "'logsource.product'");
    if (logsource["category"]) rule.logsource.category = ScalarString(logsource["category"], "'logsource.category'");
    if (logsource["service"]) rule.logsource.service = ScalarString(logsource["service"], "'logsource.service'");
  }
  rule.tags = StringList(doc["tags"], "'tags'");
  rule.falsepositives = StringList(doc["falsepositives"], "'falsepositives'");
  rule.fields = StringList(doc["fields"], "'fields'");
  rule.references = StringList(doc["references"], "'references'");
  if (const YAML::Node related = doc["related"]; related && related.IsSequence()) {
    for (const auto& item : related) {
      if (item.IsMap() && item["id"] && item["type"])
        rule.related.emplace_back(item["type"].Scalar(), item["id"].Scalar());
    }
  }

  const int kinds = (doc["detection"] ? 1 : 0) + (doc["correlation"] ? 1 : 0) + (doc["filter"] ? 1 : 0);
  if (kinds != 1) Fail(doc, "a Sigma document needs exactly one of 'detection', 'correlation' or 'filter'");
  if (doc["detection"]) {
    rule.kind = DocumentKind::kDetection;
    if (rule.logsource.empty()) Fail(doc, "the rule has no 'logsource'");
    rule.detection = ToDetection(doc["detection"], file, false, budget);
  } else if (doc["correlation"]) {
    rule.kind = DocumentKind::kCorrelation;
    rule.correlation = ToCorrelation(doc["correlation"]);
    // `generate` belongs to the document (the schema's place); older drafts put it in `correlation`.
    if (const YAML::Node generate = doc["generate"]; generate) rule.correlation->generate = generate.as<bool>(false);
  } else {
    rule.kind = DocumentKind::kFilter;
    Filter filter;
    filter.rules = StringList(doc["filter"]["rules"], "'filter.rules'");
    if (filter.rules.empty()) Fail(doc["filter"], "the filter names no 'rules'");
    filter.detection = ToDetection(doc["filter"], file, true, budget);
    rule.filter = std::move(filter);
  }
  return rule;
}

LoadProblem Problem(const std::string& file, int line, std::string message) {
  LoadProblem problem;
  problem.place.file = file;
  problem.place.line = line;
  problem.message = std::move(message);
  return problem;
}

}  // namespace

std::string LoadProblem::ToString() const { return place.ToString() + ": " + (fatal ? "" : "warning: ") + message; }

namespace {

// Counts `node`'s nodes as a reader sees them, aliases repeating their
// anchor's nodes; stops (false) once over `limit`. The depth is bounded by
// the text's (CheckYamlDepth), and an alias can only name an earlier anchor.
bool WithinNodeLimit(const YAML::Node& node, std::size_t& count, std::size_t limit) {
  if (++count > limit) return false;
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (!WithinNodeLimit(item, count, limit)) return false;
    }
  } else if (node.IsMap()) {
    for (const auto& pair : node) {
      if (!WithinNodeLimit(pair.first, count, limit) || !WithinNodeLimit(pair.second, count, limit)) return false;
    }
  }
  return true;
}

// yaml-cpp 0.7 (Debian 12) loops for ever in YAML::LoadAll, allocating a null
// document per turn, when a document begins with a flow entry (a lone ','):
// the parser answers the token with a null node without consuming it
// (jbeder/yaml-cpp#1040, fixed upstream by #1319). A stream has at most one
// document per '---' or '...' line plus one, so a first pass that counts the
// parser's documents against that bound stops the loop before any node is built.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { last_null = mark; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark last_null = YAML::Mark::null_mark();
};

std::size_t MaxDocuments(std::string_view yaml) {
  std::size_t markers = 1;
  for (std::size_t start = 0; start < yaml.size();) {
    const std::string_view line = yaml.substr(start, yaml.find('\n', start) - start);
    if (line.starts_with("---") || line.starts_with("...")) ++markers;
    start += line.size() + 1;
  }
  return markers;
}

// YAML::LoadAll that cannot loop: throws YAML::ParserException where the
// parser stops consuming its input. Throws what LoadAll throws otherwise.
std::vector<YAML::Node> LoadAllDocuments(std::string_view yaml) {
  const std::size_t bound = MaxDocuments(yaml);
  std::istringstream stream{std::string(yaml)};
  YAML::Parser parser(stream);
  DocumentCounter counter;
  for (std::size_t documents = 0; parser.HandleNextDocument(counter);) {
    if (++documents > bound) {
      throw YAML::ParserException(counter.last_null,
                                  "a document begins with a token the parser cannot consume (e.g. a lone ',')");
    }
  }
  return YAML::LoadAll(std::string(yaml));
}

std::string NodeLimitMessage(const SigmaBudget& budget) {
  return "the document stands for more than " + std::to_string(budget.max_yaml_nodes) +
         " YAML nodes (aliases repeat their anchor's nodes)";
}

}  // namespace

LoadedDocuments ParseRuleDocuments(std::string_view yaml, const std::string& file, const SigmaBudget& budget) {
  LoadedDocuments out;
  if (auto checked = CheckRuleText(yaml, budget); !checked.ok()) {
    out.problems.push_back(Problem(file, 0, "refused before parsing: " + checked.error().message()));
    return out;
  }
  std::vector<YAML::Node> docs;
  try {
    docs = LoadAllDocuments(yaml);
  } catch (const YAML::Exception& error) {
    out.problems.push_back(Problem(file, error.mark.line >= 0 ? error.mark.line + 1 : 0, "YAML: " + error.msg));
    return out;
  }
  for (const auto& doc : docs) {
    if (doc.IsNull()) continue;
    if (std::size_t count = 0; !WithinNodeLimit(doc, count, budget.max_yaml_nodes)) {
      out.problems.push_back(Problem(file, LineOf(doc), "refused: " + NodeLimitMessage(budget)));
      continue;
    }
    try {
      out.rules.push_back(ToRule(doc, file, budget));
    } catch (const DocumentError& error) {
      out.problems.push_back(Problem(file, error.line, error.message));
    } catch (const YAML::Exception& error) {
      out.problems.push_back(
          Problem(file, error.mark.line >= 0 ? error.mark.line + 1 : LineOf(doc), "YAML: " + error.msg));
    }
  }
  return out;
}

Status CheckRuleBudget(std::string_view yaml, const SigmaBudget& budget) {
  DV_TRY(CheckRuleText(yaml, budget));
  // yaml-cpp reports missing nodes and bad documents by throwing; neither is
  // a budget problem.
  try {
    for (const YAML::Node& doc : LoadAllDocuments(yaml)) {
      if (std::size_t count = 0; doc && !WithinNodeLimit(doc, count, budget.max_yaml_nodes)) {
        return Error::InvalidArgument(NodeLimitMessage(budget)).WithContext("line " + std::to_string(LineOf(doc)));
      }
      if (!doc || !doc.IsMap()) continue;
      for (const char* section : {"detection", "filter"}) {
        const YAML::Node node = doc[section];
        if (!node || !node.IsMap()) continue;
        const YAML::Node condition = node["condition"];
        if (!condition) continue;
        std::vector<YAML::Node> texts;
        if (condition.IsScalar()) texts.push_back(condition);
        if (condition.IsSequence()) {
          for (const auto& item : condition) texts.push_back(item);
        }
        for (const auto& text : texts) {
          if (!text.IsScalar()) continue;
          if (auto checked =
                  CheckConditionBudget(text.Scalar(), budget.max_condition_bytes, budget.max_condition_depth);
              !checked.ok()) {
            return checked.error().WithContext("line " + std::to_string(LineOf(text)));
          }
        }
      }
    }
  } catch (const YAML::Exception&) {
    return Ok();
  }
  return Ok();
}

namespace {

// A rule file's text, or the problem that stands in its place (too large,
// unreadable). Reading refuses a file over the budget before reading it.
struct RuleFileText {
  std::string text;
  std::optional<LoadProblem> problem;
};

RuleFileText ReadRuleFile(const std::string& path, const SigmaBudget& budget) {
  RuleFileText out;
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > budget.max_document_bytes) {
    out.problem = Problem(path, 0,
                          "refused before parsing: the rule file is " + std::to_string(size) +
                              " bytes, over the limit of " + std::to_string(budget.max_document_bytes) + " bytes");
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.problem = Problem(path, 0, "cannot read the file");
    return out;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out.text = std::move(buffer).str();
  return out;
}

LoadedDocuments ParseRuleFile(const RuleFileText& file, const std::string& path, const SigmaBudget& budget) {
  if (file.problem) {
    LoadedDocuments out;
    out.problems.push_back(*file.problem);
    return out;
  }
  return ParseRuleDocuments(file.text, path, budget);
}

// The cache key of a rule tree: the encoding's version, the program that
// parses (its build id), every budget the parser applies, and each file's
// path, text or problem.
std::string TreeKey(const std::string& path, const std::vector<std::string>& files,
                    const std::vector<RuleFileText>& texts, const SigmaBudget& budget) {
  KeyHasher hasher;
  hasher.Add("dannevirke sigma documents 1").Add(ProgramBuildId()).Add(path);
  hasher.Add(std::uint64_t{budget.max_document_bytes})
      .Add(static_cast<std::uint64_t>(budget.max_yaml_depth))
      .Add(std::uint64_t{budget.max_condition_bytes})
      .Add(static_cast<std::uint64_t>(budget.max_condition_depth))
      .Add(std::uint64_t{budget.max_yaml_nodes});
  hasher.Add(std::uint64_t{files.size()});
  for (std::size_t file_idx = 0; file_idx < files.size(); ++file_idx) {
    hasher.Add(files[file_idx]);
    const auto& problem = texts[file_idx].problem;
    hasher.Add(problem ? "problem" : "text").Add(problem ? problem->message : texts[file_idx].text);
  }
  return "documents-" + hasher.Hex();
}

// Files of rule trees are small (the SigmaHQ Windows rules encode to a few MB).
constexpr std::uintmax_t kMaxCachedTreeBytes = std::uintmax_t{512} << 20;

}  // namespace

LoadedDocuments LoadRuleFile(const std::string& path, const SigmaBudget& budget) {
  return ParseRuleFile(ReadRuleFile(path, budget), path, budget);
}

LoadedDocuments LoadRuleTree(const std::string& path, const SigmaBudget& budget, const std::string& cache_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return LoadRuleFile(path, budget);
  std::vector<std::string> files;
  for (auto it = std::filesystem::recursive_directory_iterator(
           path, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto extension = it->path().extension();
    if (it->is_regular_file(ec) && (extension == ".yml" || extension == ".yaml")) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  LoadedDocuments out;
  if (ec) out.problems.push_back(Problem(path, 0, "cannot list the directory: " + ec.message()));

  // Files are read, then parsed on up to four threads (YAML parsing is most
  // of the time of loading a large tree) and their documents kept in file
  // order. A tree this program has parsed before, byte for byte, is decoded
  // from the cache instead.
  std::vector<RuleFileText> texts(files.size());
  const auto run = [&files](const auto& work) {
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
      for (std::size_t file_idx = next++; file_idx < files.size(); file_idx = next++) work(file_idx);
    };
    const std::size_t threads =
        std::min<std::size_t>({4, std::max(1U, std::thread::hardware_concurrency()), files.size() / 16 + 1});
    std::vector<std::thread> helpers;
    for (std::size_t thread_idx = 1; thread_idx < threads; ++thread_idx) helpers.emplace_back(worker);
    worker();
    for (auto& helper : helpers) helper.join();
  };
  run([&](std::size_t file_idx) { texts[file_idx] = ReadRuleFile(files[file_idx], budget); });

  const FileCache cache(ProgramBuildId().empty() ? std::string() : cache_dir, ".rules", kMaxCachedTreeBytes);
  std::string key;
  if (cache.usable()) {
    key = TreeKey(path, files, texts, budget);
    if (const auto bytes = cache.Read(key)) {
      if (auto decoded = DecodeDocuments(*bytes, budget.max_condition_depth)) {
        AppendDocuments(std::move(*decoded), out);
        return out;
      }
    }
  }

  std::vector<LoadedDocuments> parsed(files.size());
  run([&](std::size_t file_idx) {
    parsed[file_idx] = ParseRuleFile(texts[file_idx], files[file_idx], budget);
    std::string().swap(texts[file_idx].text);  // the key is made; the text is no longer needed
  });
  LoadedDocuments tree;
  for (auto& one : parsed) AppendDocuments(std::move(one), tree);
  if (!key.empty()) cache.Write(key, EncodeDocuments(tree));
  AppendDocuments(std::move(tree), out);
  return out;
}

LoadedDocuments LoadRuleTrees(const std::vector<std::string>& paths, const SigmaBudget& budget,
                              const std::string& cache_dir) {
  LoadedDocuments all;
  for (const auto& path : paths) AppendDocuments(LoadRuleTree(path, budget, cache_dir), all);
  return all;
}

void AppendDocuments(LoadedDocuments&& from, LoadedDocuments& to) {
  std::move(from.rules.begin(), from.rules.end(), std::back_inserter(to.rules));
  std::move(from.problems.begin(), from.problems.end(), std::back_inserter(to.problems));
}

}  // namespace dv::sigma
