// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Sigma rule model (specification v2.1.0): what a rule file says, after
// YAML parsing and validation but before compilation for matching. Values
// are owned; a Rule is a plain value type.
//
// Three kinds of document share this model: detection rules (`detection`),
// correlation rules (`correlation`) and filters (`filter`); see
// docs/sigma.md for how each is evaluated.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dv::sigma {

// Where a thing was written, for messages: "rules/x.yml:12".
struct SourcePlace {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  std::string ToString() const;
};

enum class Modifier {
  kContains,
  kStartsWith,
  kEndsWith,
  kAll,
  kExists,
  kCased,
  kNeq,
  kWindash,
  kRe,
  kReI,  // re sub-flags
  kReM,
  kReS,
  kBase64,
  kBase64Offset,
  kUtf16Le,
  kUtf16Be,
  kUtf16,
  kWide,
  kLt,
  kLte,
  kGt,
  kGte,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kYear,
  kCidr,
  kExpand,
  kFieldRef,
};

// The modifier named `name` ("contains", "re", "i", …); nullopt if unknown.
std::optional<Modifier> ParseModifier(std::string_view name);
std::string_view ModifierName(Modifier modifier);

// A scalar from the rule as YAML gave it.
struct RuleValue {
  enum class Type { kString, kInteger, kFloat, kBool, kNull };
  Type type = Type::kString;
  std::string text;  // the scalar's text ("4688", "true", "cmd.exe"); empty for null
};

// One `field|mod|mod: value(s)` entry of a detection map, or a keyword list
// when `field` is empty.
struct FieldCondition {
  std::string field;                // empty for keywords
  std::vector<Modifier> modifiers;  // in the order written
  std::vector<RuleValue> values;    // OR-ed, or AND-ed with |all
  SourcePlace place;
};

// A search identifier's value: a list of alternatives (OR), each a list of
// field conditions (AND). A map is one alternative; a list of maps is many;
// a keyword list is one alternative with one keyword condition.
struct SearchIdentifier {
  std::string name;
  std::vector<std::vector<FieldCondition>> alternatives;
  SourcePlace place;
};

struct ConditionNode {
  enum class Kind { kAnd, kOr, kNot, kIdentifier, kOneOf, kAllOf };
  Kind kind = Kind::kIdentifier;
  std::string name;  // identifier, or the pattern of "1 of"/"all of" ("them" = every identifier not starting with _)
  std::vector<std::unique_ptr<ConditionNode>> children;

  std::string ToString() const;
};

struct LogSource {
  std::string product;
  std::string category;
  std::string service;
  bool empty() const { return product.empty() && category.empty() && service.empty(); }
  std::string ToString() const;  // "windows/process_creation", "windows//security"
};

enum class Level { kInformational, kLow, kMedium, kHigh, kCritical };
std::string_view LevelName(Level level);
std::optional<Level> ParseLevel(std::string_view name);

struct Detection {
  std::vector<SearchIdentifier> identifiers;  // in file order
  // The conditions (a list is OR-ed). Shared so that a Detection can be copied cheaply.
  std::vector<std::shared_ptr<const ConditionNode>> conditions;
  std::vector<std::string> condition_texts;
  const SearchIdentifier* Find(std::string_view name) const;
};

struct Correlation {
  enum class Type { kEventCount, kValueCount, kTemporal, kTemporalOrdered, kValueSum, kValueAvg, kValuePercentile };
  struct Threshold {
    std::optional<double> gt, gte, lt, lte, eq, neq;
    std::string field;                 // value_count / value_sum / value_avg / value_percentile
    std::optional<double> percentile;  // value_percentile: which percentile (e.g. 95)
  };
  Type type = Type::kEventCount;
  std::vector<std::string> rules;     // referenced rule ids or names
  std::vector<std::string> group_by;  // field names (after aliases)
  std::int64_t timespan_ms = 0;
  Threshold condition;
  // aliases: alias field name → (rule id/name → field name in that rule's events)
  std::map<std::string, std::map<std::string, std::string>> aliases;
  bool generate = false;  // also emit the referenced rules' own matches
};

struct Filter {
  std::vector<std::string> rules;  // ids or names of the rules it applies to
  Detection detection;
};

enum class DocumentKind { kDetection, kCorrelation, kFilter };
std::string_view DocumentKindName(DocumentKind kind);

struct Rule {
  DocumentKind kind = DocumentKind::kDetection;
  std::string title;
  std::string id;
  std::string name;  // the optional `name`, referenced by correlations
  std::string status;
  std::string description;
  std::string author;
  std::string date;
  Level level = Level::kMedium;
  bool level_given = false;
  LogSource logsource;
  Detection detection;  // kDetection
  std::optional<Correlation> correlation;
  std::optional<Filter> filter;
  std::vector<std::string> tags;
  std::vector<std::string> falsepositives;
  std::vector<std::string> fields;
  std::vector<std::string> references;
  std::vector<std::pair<std::string, std::string>> related;  // (type, id)
  SourcePlace place;                                         // file and the document's first line
};

}  // namespace dv::sigma
