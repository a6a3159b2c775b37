// SPDX-License-Identifier: Apache-2.0
#include "sigma/document_cache.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>

namespace dv::sigma {
namespace {

// Little-endian fixed-width integers, length-prefixed strings, a count before
// every list. The format's version is part of the cache key (loader.cpp).
class Writer {
 public:
  void U8(std::uint8_t value) { out_ += static_cast<char>(value); }
  void U32(std::uint32_t value) {
    for (int byte_idx = 0; byte_idx < 4; ++byte_idx) out_ += static_cast<char>((value >> (8 * byte_idx)) & 0xFF);
  }
  void I64(std::int64_t value) {
    const auto bits = static_cast<std::uint64_t>(value);
    for (int byte_idx = 0; byte_idx < 8; ++byte_idx) out_ += static_cast<char>((bits >> (8 * byte_idx)) & 0xFF);
  }
  void F64(double value) {
    std::int64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(bits));
    I64(bits);
  }
  void Str(std::string_view text) {
    U32(static_cast<std::uint32_t>(text.size()));
    out_.append(text);
  }
  void Count(std::size_t count) { U32(static_cast<std::uint32_t>(count)); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Every read checks the bytes left; the first failure sticks and every later
// read returns zeroes, so that decoding code need not test after each field.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && pos_ == bytes_.size(); }
  void Fail() { ok_ = false; }

  std::uint8_t U8() {
    if (!Need(1)) return 0;
    return static_cast<std::uint8_t>(bytes_[pos_++]);
  }
  std::uint32_t U32() {
    if (!Need(4)) return 0;
    std::uint32_t value = 0;
    for (int byte_idx = 0; byte_idx < 4; ++byte_idx)
      value |= std::uint32_t{static_cast<unsigned char>(bytes_[pos_++])} << (8 * byte_idx);
    return value;
  }
  std::int64_t I64() {
    if (!Need(8)) return 0;
    std::uint64_t value = 0;
    for (int byte_idx = 0; byte_idx < 8; ++byte_idx)
      value |= std::uint64_t{static_cast<unsigned char>(bytes_[pos_++])} << (8 * byte_idx);
    return static_cast<std::int64_t>(value);
  }
  double F64() {
    const std::int64_t bits = I64();
    double value = 0;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }
  std::string Str() {
    const std::uint32_t size = U32();
    if (!Need(size)) return {};
    std::string text(bytes_.substr(pos_, size));
    pos_ += size;
    return text;
  }
  // A list's length, which each element needs at least `min_element_bytes`
  // to be written in: a damaged count cannot make the decoder reserve more
  // than the file could hold.
  std::size_t Count(std::size_t min_element_bytes) {
    const std::uint32_t count = U32();
    if (!ok_ || static_cast<std::uint64_t>(count) * min_element_bytes > bytes_.size() - pos_) {
      ok_ = false;
      return 0;
    }
    return count;
  }
  // An enumerator no greater than `last`.
  template <typename Enum>
  Enum Enumerator(Enum last) {
    const std::uint8_t value = U8();
    if (value > static_cast<std::uint8_t>(last)) ok_ = false;
    return ok_ ? static_cast<Enum>(value) : Enum{};
  }

 private:
  bool Need(std::size_t size) {
    if (ok_ && size <= bytes_.size() - pos_) return true;
    ok_ = false;
    return false;
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

constexpr std::string_view kMagic = "dannevirke sigma documents\n";

// Encoding.

void Put(Writer& out, const SourcePlace& place) {
  out.Str(place.file);
  out.I64(place.line);
}

void Put(Writer& out, const std::vector<std::string>& texts) {
  out.Count(texts.size());
  for (const auto& text : texts) out.Str(text);
}

void Put(Writer& out, const std::optional<double>& value) {
  out.U8(value.has_value() ? 1 : 0);
  if (value) out.F64(*value);
}

void Put(Writer& out, const FieldCondition& condition) {
  out.Str(condition.field);
  out.Count(condition.modifiers.size());
  for (const auto modifier : condition.modifiers) out.U8(static_cast<std::uint8_t>(modifier));
  out.Count(condition.values.size());
  for (const auto& value : condition.values) {
    out.U8(static_cast<std::uint8_t>(value.type));
    out.Str(value.text);
  }
  Put(out, condition.place);
}

void Put(Writer& out, const ConditionNode& node) {
  out.U8(static_cast<std::uint8_t>(node.kind));
  out.Str(node.name);
  out.Count(node.children.size());
  for (const auto& child : node.children) Put(out, *child);
}

void Put(Writer& out, const Detection& detection) {
  out.Count(detection.identifiers.size());
  for (const auto& identifier : detection.identifiers) {
    out.Str(identifier.name);
    out.Count(identifier.alternatives.size());
    for (const auto& alternative : identifier.alternatives) {
      out.Count(alternative.size());
      for (const auto& condition : alternative) Put(out, condition);
    }
    Put(out, identifier.place);
  }
  out.Count(detection.conditions.size());
  for (const auto& condition : detection.conditions) Put(out, *condition);
  Put(out, detection.condition_texts);
}

void Put(Writer& out, const Correlation& correlation) {
  out.U8(static_cast<std::uint8_t>(correlation.type));
  Put(out, correlation.rules);
  Put(out, correlation.group_by);
  out.I64(correlation.timespan_ms);
  const auto& threshold = correlation.condition;
  for (const auto* bound :
       {&threshold.gt, &threshold.gte, &threshold.lt, &threshold.lte, &threshold.eq, &threshold.neq})
    Put(out, *bound);
  out.Str(threshold.field);
  Put(out, threshold.percentile);
  out.Count(correlation.aliases.size());
  for (const auto& [alias, per_rule] : correlation.aliases) {
    out.Str(alias);
    out.Count(per_rule.size());
    for (const auto& [rule, field] : per_rule) {
      out.Str(rule);
      out.Str(field);
    }
  }
  out.U8(correlation.generate ? 1 : 0);
}

void Put(Writer& out, const Rule& rule) {
  out.U8(static_cast<std::uint8_t>(rule.kind));
  for (const auto* text :
       {&rule.title, &rule.id, &rule.name, &rule.status, &rule.description, &rule.author, &rule.date})
    out.Str(*text);
  out.U8(static_cast<std::uint8_t>(rule.level));
  out.U8(rule.level_given ? 1 : 0);
  out.Str(rule.logsource.product);
  out.Str(rule.logsource.category);
  out.Str(rule.logsource.service);
  Put(out, rule.detection);
  out.U8(rule.correlation.has_value() ? 1 : 0);
  if (rule.correlation) Put(out, *rule.correlation);
  out.U8(rule.filter.has_value() ? 1 : 0);
  if (rule.filter) {
    Put(out, rule.filter->rules);
    Put(out, rule.filter->detection);
  }
  Put(out, rule.tags);
  Put(out, rule.falsepositives);
  Put(out, rule.fields);
  Put(out, rule.references);
  out.Count(rule.related.size());
  for (const auto& [type, id] : rule.related) {
    out.Str(type);
    out.Str(id);
  }
  Put(out, rule.place);
}

// Decoding. The smallest encoding of each thing bounds the counts read.
constexpr std::size_t kMinString = 4;
constexpr std::size_t kMinPlace = kMinString + 8;
constexpr std::size_t kMinNode = 1 + kMinString + 4;
constexpr std::size_t kMinCondition = kMinString + 4 + 4 + kMinPlace;

void Get(Reader& in, SourcePlace& place) {
  place.file = in.Str();
  const std::int64_t line = in.I64();
  if (line < 0 || line > INT32_MAX) in.Fail();
  place.line = static_cast<int>(line);
}

void Get(Reader& in, std::vector<std::string>& texts) {
  texts.resize(in.Count(kMinString));
  for (auto& text : texts) text = in.Str();
}

void Get(Reader& in, std::optional<double>& value) {
  if (in.U8() != 0) value = in.F64();
}

void Get(Reader& in, FieldCondition& condition) {
  condition.field = in.Str();
  condition.modifiers.resize(in.Count(1));
  for (auto& modifier : condition.modifiers) modifier = in.Enumerator(Modifier::kFieldRef);
  condition.values.resize(in.Count(1 + kMinString));
  for (auto& value : condition.values) {
    value.type = in.Enumerator(RuleValue::Type::kNull);
    value.text = in.Str();
  }
  Get(in, condition.place);
}

std::unique_ptr<ConditionNode> GetNode(Reader& in, int depth_left) {
  auto node = std::make_unique<ConditionNode>();
  node->kind = in.Enumerator(ConditionNode::Kind::kAllOf);
  node->name = in.Str();
  const std::size_t children = in.Count(kMinNode);
  if (children > 0 && depth_left <= 0) {
    in.Fail();
    return node;
  }
  for (std::size_t child_idx = 0; child_idx < children && in.ok(); ++child_idx) {
    node->children.push_back(GetNode(in, depth_left - 1));
  }
  return node;
}

void Get(Reader& in, Detection& detection, int max_depth) {
  detection.identifiers.resize(in.Count(kMinString + 4 + kMinPlace));
  for (auto& identifier : detection.identifiers) {
    identifier.name = in.Str();
    identifier.alternatives.resize(in.Count(4));
    for (auto& alternative : identifier.alternatives) {
      alternative.resize(in.Count(kMinCondition));
      for (auto& condition : alternative) Get(in, condition);
    }
    Get(in, identifier.place);
  }
  const std::size_t conditions = in.Count(kMinNode);
  for (std::size_t condition_idx = 0; condition_idx < conditions && in.ok(); ++condition_idx) {
    detection.conditions.push_back(GetNode(in, max_depth));
  }
  Get(in, detection.condition_texts);
}

void Get(Reader& in, Correlation& correlation) {
  correlation.type = in.Enumerator(Correlation::Type::kValuePercentile);
  Get(in, correlation.rules);
  Get(in, correlation.group_by);
  correlation.timespan_ms = in.I64();
  auto& threshold = correlation.condition;
  for (auto* bound : {&threshold.gt, &threshold.gte, &threshold.lt, &threshold.lte, &threshold.eq, &threshold.neq})
    Get(in, *bound);
  threshold.field = in.Str();
  Get(in, threshold.percentile);
  const std::size_t aliases = in.Count(2 * kMinString);
  for (std::size_t alias_idx = 0; alias_idx < aliases && in.ok(); ++alias_idx) {
    auto& per_rule = correlation.aliases[in.Str()];
    const std::size_t entries = in.Count(2 * kMinString);
    for (std::size_t entry_idx = 0; entry_idx < entries && in.ok(); ++entry_idx) {
      std::string rule = in.Str();
      per_rule[std::move(rule)] = in.Str();
    }
  }
  correlation.generate = in.U8() != 0;
}

void Get(Reader& in, Rule& rule, int max_depth) {
  rule.kind = in.Enumerator(DocumentKind::kFilter);
  for (auto* text : {&rule.title, &rule.id, &rule.name, &rule.status, &rule.description, &rule.author, &rule.date})
    *text = in.Str();
  rule.level = in.Enumerator(Level::kCritical);
  rule.level_given = in.U8() != 0;
  rule.logsource.product = in.Str();
  rule.logsource.category = in.Str();
  rule.logsource.service = in.Str();
  Get(in, rule.detection, max_depth);
  if (in.U8() != 0) Get(in, rule.correlation.emplace());
  if (in.U8() != 0) {
    auto& filter = rule.filter.emplace();
    Get(in, filter.rules);
    Get(in, filter.detection, max_depth);
  }
  Get(in, rule.tags);
  Get(in, rule.falsepositives);
  Get(in, rule.fields);
  Get(in, rule.references);
  rule.related.resize(in.Count(2 * kMinString));
  for (auto& [type, id] : rule.related) {
    type = in.Str();
    id = in.Str();
  }
  Get(in, rule.place);
}

}  // namespace

std::string EncodeDocuments(const LoadedDocuments& documents) {
  Writer out;
  out.Str(kMagic);
  out.Count(documents.rules.size());
  for (const auto& rule : documents.rules) Put(out, rule);
  out.Count(documents.problems.size());
  for (const auto& problem : documents.problems) {
    Put(out, problem.place);
    out.Str(problem.message);
    out.U8(problem.fatal ? 1 : 0);
  }
  return out.Take();
}

std::optional<LoadedDocuments> DecodeDocuments(std::string_view bytes, int max_condition_depth) {
  Reader in(bytes);
  if (in.Str() != kMagic) return std::nullopt;
  // A condition's parse tree has an OR, an AND and a NOT level per
  // parenthesis level (condition.cpp).
  const int max_depth = 3 * (std::max(max_condition_depth, 0) + 2);
  LoadedDocuments documents;
  documents.rules.resize(in.Count(64));
  for (auto& rule : documents.rules) {
    if (!in.ok()) break;
    Get(in, rule, max_depth);
  }
  documents.problems.resize(in.Count(kMinPlace + kMinString + 1));
  for (auto& problem : documents.problems) {
    Get(in, problem.place);
    problem.message = in.Str();
    problem.fatal = in.U8() != 0;
  }
  if (!in.done()) return std::nullopt;
  return documents;
}

}  // namespace dv::sigma
