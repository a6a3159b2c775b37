// SPDX-License-Identifier: Apache-2.0
#include "sigma/compiled_rule.h"

#include <algorithm>
#include <set>

#include "core/text.h"
#include "sigma/condition.h"
#include "sigma/encoding.h"

namespace dv::sigma {

// ---- FieldDictionary, EventView, DirectFieldSource -------------------------

std::uint32_t FieldDictionary::Intern(std::string_view name) {
  std::string key = FoldCase(name);
  const auto it = slots_.find(key);
  if (it != slots_.end()) return it->second;
  const auto slot = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(name);
  slots_.emplace(std::move(key), slot);
  return slot;
}

std::uint32_t FieldDictionary::Find(std::string_view name) const { return FindFolded(FoldCase(name)); }

std::uint32_t FieldDictionary::FindFolded(std::string_view folded_name) const {
  const auto it = slots_.find(folded_name);
  return it == slots_.end() ? kNone : it->second;
}

std::uint32_t FieldDictionary::InternLiteral(std::string_view folded, bool anywhere) {
  if (folded.size() < kMinGateLiteral) return kNone;
  const auto it = literal_ids_.find(folded);
  if (it != literal_ids_.end()) {
    if (anywhere) anywhere_[it->second] = true;
    return it->second;
  }
  const auto id = static_cast<std::uint32_t>(literals_.size());
  literals_.emplace_back(folded);
  anywhere_.push_back(anywhere);
  literal_ids_.emplace(std::string(folded), id);
  return id;
}

std::uint32_t FieldDictionary::FindLiteral(std::string_view folded) const {
  const auto it = literal_ids_.find(folded);
  return it == literal_ids_.end() ? kNone : it->second;
}

namespace {
constexpr std::uint32_t kUnknownSlot = FieldDictionary::kNone - 1;  // a remembered position not filled yet
}  // namespace

void EventView::Reset(const Event& event, const FieldDictionary& dictionary) {
  event_ = &event;
  gated_ = false;
  if (++generation_ == 0) {  // wrapped: forget every stamp
    std::fill(slot_range_.begin(), slot_range_.end(), 0);
    std::fill(literal_stamp_.begin(), literal_stamp_.end(), 0);
    generation_ = 1;
  }
  if (slot_range_.size() < dictionary.size()) slot_range_.resize(dictionary.size(), 0);
  if (literal_stamp_.size() < dictionary.literal_count()) literal_stamp_.resize(dictionary.literal_count(), 0);
  const auto fields = event.fields();
  // Each field's slot (kNone for fields no rule reads); a name at the same
  // position as in the previous event keeps its slot (the first
  // kRememberedNames positions are remembered).
  constexpr std::size_t kRememberedNames = 1024;
  if (last_dictionary_ != &dictionary) {
    last_dictionary_ = &dictionary;
    last_names_.clear();
    last_slots_.clear();
  }
  const std::size_t remembered = std::min(fields.size(), kRememberedNames);
  if (last_names_.size() < remembered) {
    last_names_.resize(remembered);
    last_slots_.resize(remembered, kUnknownSlot);
  }
  slots_.resize(fields.size());
  for (std::size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    const std::string& name = fields[field_idx].name;
    if (field_idx < remembered && last_slots_[field_idx] != kUnknownSlot && last_names_[field_idx] == name) {
      slots_[field_idx] = last_slots_[field_idx];
      continue;
    }
    key_.clear();
    AppendFoldedCase(name, key_);
    slots_[field_idx] = dictionary.FindFolded(key_);
    if (field_idx < remembered) {
      last_names_[field_idx].assign(name);
      last_slots_[field_idx] = slots_[field_idx];
    }
  }
  // Fold every value into one buffer, the values of fields that rules name
  // first (folded_text() is that prefix); views into the buffer are taken
  // after it stops growing.
  folded_.clear();
  spans_.resize(fields.size());
  for (const bool read_by_rules : {true, false}) {
    for (std::size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
      if ((slots_[field_idx] != FieldDictionary::kNone) != read_by_rules) continue;
      const std::size_t start = folded_.size();
      AppendFoldedCase(fields[field_idx].value, folded_);
      spans_[field_idx] = {start, folded_.size() - start};
    }
    if (read_by_rules) read_bytes_ = folded_.size();
  }
  all_.clear();
  order_.clear();
  for (std::size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    const EventField& field = fields[field_idx];
    all_.push_back({field.value, std::string_view(folded_).substr(spans_[field_idx].first, spans_[field_idx].second),
                    field.is_null});
    if (slots_[field_idx] != FieldDictionary::kNone) {
      order_.emplace_back(slots_[field_idx], static_cast<std::uint32_t>(field_idx));
    }
  }
  std::stable_sort(order_.begin(), order_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  by_slot_.clear();
  for (std::size_t order_idx = 0; order_idx < order_.size();) {
    const std::uint32_t slot = order_[order_idx].first;
    const auto first = static_cast<std::uint64_t>(by_slot_.size());
    while (order_idx < order_.size() && order_[order_idx].first == slot) {
      by_slot_.push_back(all_[order_[order_idx].second]);
      ++order_idx;
    }
    const std::uint64_t count = by_slot_.size() - first;
    slot_range_[slot] = (static_cast<std::uint64_t>(generation_) << 32) | (first << 16) | count;
  }
}

std::span<const FieldValue> EventView::Values(std::uint32_t slot, std::string_view /*name*/) const {
  if (slot >= slot_range_.size()) return {};
  const std::uint64_t range = slot_range_[slot];
  if ((range >> 32) != generation_) return {};
  return {by_slot_.data() + ((range >> 16) & 0xFFFF), static_cast<std::size_t>(range & 0xFFFF)};
}

std::span<const FieldValue> DirectFieldSource::Values(std::uint32_t /*slot*/, std::string_view name) const {
  values_.clear();
  folded_.clear();
  std::vector<const EventField*> fields;
  event_.ForEach(name, [&](const EventField& field) { fields.push_back(&field); });
  folded_.reserve(fields.size());
  for (const EventField* field : fields) folded_.push_back(FoldCase(field->value));
  for (std::size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    values_.push_back({fields[field_idx]->value, folded_[field_idx], fields[field_idx]->is_null});
  }
  return values_;
}

std::span<const FieldValue> DirectFieldSource::AllValues() const {
  values_.clear();
  folded_.clear();
  folded_.reserve(event_.size());
  for (const auto& field : event_.fields()) folded_.push_back(FoldCase(field.value));
  for (std::size_t field_idx = 0; field_idx < event_.size(); ++field_idx) {
    values_.push_back({event_.fields()[field_idx].value, folded_[field_idx], event_.fields()[field_idx].is_null});
  }
  return values_;
}

// ---- compiled structures ---------------------------------------------------

namespace {

struct FieldTest {
  enum class Kind { kMatch, kExists, kNull, kFieldRef };
  Kind kind = Kind::kMatch;
  bool keyword = false;
  std::uint32_t slot = FieldDictionary::kNone;
  std::string field;
  std::uint32_t ref_slot = FieldDictionary::kNone;  // kFieldRef: the other field
  std::string ref_field;
  StringMode ref_mode = StringMode::kExact;
  bool cased = false;
  bool exists_expected = true;
  bool all = false;
  bool negate = false;
  // One group per written value; a group matches when any of its variants does.
  std::vector<std::vector<std::unique_ptr<ValueMatcher>>> groups;
  // Per group and variant: the dictionary literal the variant requires, or kNone.
  std::vector<std::vector<std::uint32_t>> gates;
};

struct Identifier {
  std::string name;
  std::vector<std::vector<FieldTest>> alternatives;  // OR of ANDs
};

struct CondNode {
  ConditionNode::Kind kind = ConditionNode::Kind::kIdentifier;
  std::vector<CondNode> children;
  std::vector<std::uint32_t> refs;  // identifier indexes for kIdentifier / kOneOf / kAllOf
  std::string text;
};

bool EvaluateTest(const FieldTest& test, const FieldSource& source) {
  bool result = false;
  switch (test.kind) {
    case FieldTest::Kind::kExists:
      result = !source.Values(test.slot, test.field).empty() == test.exists_expected;
      break;
    case FieldTest::Kind::kNull: {
      const auto values = source.Values(test.slot, test.field);
      result =
          values.empty() || std::any_of(values.begin(), values.end(), [](const FieldValue& v) { return v.is_null; });
      break;
    }
    case FieldTest::Kind::kFieldRef: {
      const auto first = source.Values(test.slot, test.field);
      std::vector<std::pair<std::string, std::string>> own;
      for (const auto& value : first) {
        if (!value.is_null) own.emplace_back(std::string(value.raw), std::string(value.folded));
      }
      for (const auto& other : source.Values(test.ref_slot, test.ref_field)) {
        if (other.is_null) continue;
        const std::string_view needle = test.cased ? other.raw : other.folded;
        for (const auto& [raw, folded] : own) {
          const std::string_view hay = test.cased ? std::string_view(raw) : std::string_view(folded);
          switch (test.ref_mode) {
            case StringMode::kExact:
              result = hay == needle;
              break;
            case StringMode::kContains:
              result = hay.find(needle) != std::string_view::npos;
              break;
            case StringMode::kStartsWith:
              result = hay.substr(0, needle.size()) == needle;
              break;
            case StringMode::kEndsWith:
              result = hay.size() >= needle.size() && hay.substr(hay.size() - needle.size()) == needle;
              break;
          }
          if (result) break;
        }
        if (result) break;
      }
      break;
    }
    case FieldTest::Kind::kMatch: {
      const auto values = test.keyword ? source.AllValues() : source.Values(test.slot, test.field);
      auto group_matches = [&](std::size_t group_idx) {
        if (values.empty()) return false;
        const auto& group = test.groups[group_idx];
        const auto& gates = test.gates[group_idx];
        for (std::size_t variant_idx = 0; variant_idx < group.size(); ++variant_idx) {
          // A variant whose required literal occurs in no field cannot match.
          if (!source.MayContain(gates[variant_idx])) continue;
          const ValueMatcher& matcher = *group[variant_idx];
          for (const auto& value : values) {
            if (!value.is_null && matcher.Matches(value.raw, value.folded)) return true;
          }
        }
        return false;
      };
      result = test.all;
      for (std::size_t group_idx = 0; group_idx < test.groups.size(); ++group_idx) {
        if (group_matches(group_idx) != test.all) {
          result = !test.all;
          break;
        }
      }
      break;
    }
  }
  return test.negate ? !result : result;
}

bool EvaluateIdentifier(const Identifier& identifier, const FieldSource& source) {
  for (const auto& alternative : identifier.alternatives) {
    bool all = true;
    for (const auto& test : alternative) {
      if (!EvaluateTest(test, source)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

}  // namespace

struct CompiledRule::Detection {
  std::vector<Identifier> identifiers;
  std::vector<CondNode> conditions;  // OR-ed

  bool Evaluate(const CondNode& node, const FieldSource& source) const {
    switch (node.kind) {
      case ConditionNode::Kind::kIdentifier:
        return EvaluateIdentifier(identifiers[node.refs[0]], source);
      case ConditionNode::Kind::kNot:
        return !Evaluate(node.children[0], source);
      case ConditionNode::Kind::kAnd:
        return std::all_of(node.children.begin(), node.children.end(),
                           [&](const CondNode& child) { return Evaluate(child, source); });
      case ConditionNode::Kind::kOr:
        return std::any_of(node.children.begin(), node.children.end(),
                           [&](const CondNode& child) { return Evaluate(child, source); });
      case ConditionNode::Kind::kOneOf:
        return std::any_of(node.refs.begin(), node.refs.end(),
                           [&](std::uint32_t ref) { return EvaluateIdentifier(identifiers[ref], source); });
      case ConditionNode::Kind::kAllOf:
        return std::all_of(node.refs.begin(), node.refs.end(),
                           [&](std::uint32_t ref) { return EvaluateIdentifier(identifiers[ref], source); });
    }
    return false;
  }

  bool Matches(const FieldSource& source) const {
    return std::any_of(conditions.begin(), conditions.end(),
                       [&](const CondNode& node) { return Evaluate(node, source); });
  }
};

namespace {

// ---- compiling values ---------------------------------------------------------

struct ModifierSet {
  StringMode mode = StringMode::kExact;
  bool mode_given = false;
  bool all = false;
  bool cased = false;
  bool neq = false;
  bool exists = false;
  bool windash = false;
  bool re = false;
  bool re_i = false, re_m = false, re_s = false;
  bool cidr = false;
  bool expand = false;
  bool fieldref = false;
  std::optional<CompareOp> compare;
  std::optional<DatePart> date_part;
  std::vector<Modifier> transforms;  // encodings, in order
};

Result<ModifierSet> ReadModifiers(const FieldCondition& condition) {
  ModifierSet set;
  auto conflict = [&](std::string_view what) {
    return Error::InvalidArgument("field '" + condition.field + "': " + std::string(what));
  };
  for (Modifier modifier : condition.modifiers) {
    switch (modifier) {
      case Modifier::kContains:
      case Modifier::kStartsWith:
      case Modifier::kEndsWith:
        if (set.mode_given) return conflict("only one of contains, startswith and endswith may be given");
        set.mode_given = true;
        set.mode = modifier == Modifier::kContains     ? StringMode::kContains
                   : modifier == Modifier::kStartsWith ? StringMode::kStartsWith
                                                       : StringMode::kEndsWith;
        break;
      case Modifier::kAll:
        set.all = true;
        break;
      case Modifier::kCased:
        set.cased = true;
        break;
      case Modifier::kNeq:
        set.neq = true;
        break;
      case Modifier::kExists:
        set.exists = true;
        break;
      case Modifier::kWindash:
        set.windash = true;
        break;
      case Modifier::kRe:
        set.re = true;
        break;
      case Modifier::kReI:
      case Modifier::kReM:
      case Modifier::kReS:
        if (!set.re) return conflict("'" + std::string(ModifierName(modifier)) + "' must follow 're'");
        (modifier == Modifier::kReI ? set.re_i : modifier == Modifier::kReM ? set.re_m : set.re_s) = true;
        break;
      case Modifier::kBase64:
      case Modifier::kBase64Offset:
      case Modifier::kUtf16Le:
      case Modifier::kUtf16Be:
      case Modifier::kUtf16:
      case Modifier::kWide:
        set.transforms.push_back(modifier);
        break;
      case Modifier::kLt:
        set.compare = CompareOp::kLt;
        break;
      case Modifier::kLte:
        set.compare = CompareOp::kLte;
        break;
      case Modifier::kGt:
        set.compare = CompareOp::kGt;
        break;
      case Modifier::kGte:
        set.compare = CompareOp::kGte;
        break;
      case Modifier::kMinute:
        set.date_part = DatePart::kMinute;
        break;
      case Modifier::kHour:
        set.date_part = DatePart::kHour;
        break;
      case Modifier::kDay:
        set.date_part = DatePart::kDay;
        break;
      case Modifier::kWeek:
        set.date_part = DatePart::kWeek;
        break;
      case Modifier::kMonth:
        set.date_part = DatePart::kMonth;
        break;
      case Modifier::kYear:
        set.date_part = DatePart::kYear;
        break;
      case Modifier::kCidr:
        set.cidr = true;
        break;
      case Modifier::kExpand:
        set.expand = true;
        break;
      case Modifier::kFieldRef:
        set.fieldref = true;
        break;
    }
  }
  if (set.re && (set.mode_given || set.windash || !set.transforms.empty() || set.cidr)) {
    return conflict("'re' cannot be combined with contains/startswith/endswith, windash, encodings or cidr");
  }
  if (set.cidr && (set.mode_given || set.windash || !set.transforms.empty())) {
    return conflict("'cidr' cannot be combined with string modifiers");
  }
  return set;
}

// Replaces %name% placeholders; returns every expansion (a cross product when
// several placeholders occur), at most `max_expansions` of them. Unknown
// placeholders yield no value.
Result<std::vector<std::string>> ExpandPlaceholders(const std::string& text, const Placeholders* placeholders,
                                                    std::size_t max_expansions, std::vector<std::string>& unknown) {
  std::vector<std::string> out = {""};
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto start = text.find('%', pos);
    const auto end = start == std::string::npos ? std::string::npos : text.find('%', start + 1);
    if (end == std::string::npos) {
      for (auto& prefix : out) prefix.append(text, pos);
      break;
    }
    const std::string name = text.substr(start + 1, end - start - 1);
    const std::vector<std::string>* values = nullptr;
    if (placeholders != nullptr) {
      const auto it = placeholders->find(name);
      if (it != placeholders->end()) values = &it->second;
    }
    if (values == nullptr) {
      unknown.push_back(name);
      return std::vector<std::string>();
    }
    if (!values->empty() && out.size() > max_expansions / values->size()) {
      return Error::InvalidArgument("value '" + text + "' expands to more than " + std::to_string(max_expansions) +
                                    " variants through its placeholders (the limit)");
    }
    std::vector<std::string> next;
    next.reserve(out.size() * values->size());
    for (const auto& prefix : out) {
      for (const auto& value : *values) next.push_back(prefix + text.substr(pos, start - pos) + value);
    }
    out = std::move(next);
    pos = end + 1;
  }
  return out;
}

Result<std::vector<std::unique_ptr<ValueMatcher>>> CompileStringValue(const std::string& text, const ModifierSet& mods,
                                                                      bool keyword) {
  std::vector<std::unique_ptr<ValueMatcher>> variants;
  std::vector<std::vector<GlobPiece>> piece_variants = {ParseSigmaWildcards(text)};
  if (!mods.transforms.empty()) {
    // Encodings work on plain bytes: a value with wildcards cannot be encoded.
    for (const auto& piece : piece_variants[0]) {
      if (piece.kind != GlobPiece::Kind::kLiteral) {
        return Error::InvalidArgument("value '" + text + "' has wildcards, which cannot be encoded");
      }
    }
    std::vector<std::string> bytes = {piece_variants[0].empty() ? "" : piece_variants[0][0].text};
    for (Modifier transform : mods.transforms) {
      std::vector<std::string> next;
      for (const auto& value : bytes) {
        for (auto& encoded : ApplyEncoding(transform, value)) next.push_back(std::move(encoded));
      }
      bytes = std::move(next);
    }
    piece_variants.clear();
    for (auto& value : bytes) piece_variants.push_back({GlobPiece{GlobPiece::Kind::kLiteral, std::move(value)}});
  }
  // Keywords search anywhere in the event unless the rule says otherwise.
  const StringMode mode = keyword && !mods.mode_given ? StringMode::kContains : mods.mode;
  for (auto& pieces : piece_variants) {
    if (mods.windash) {
      auto matcher = MakeWindashMatcher(pieces, mode, mods.cased);
      if (!matcher.ok()) return matcher.error();
      variants.push_back(std::move(matcher).value());
    } else {
      variants.push_back(MakeStringMatcher(std::move(pieces), mode, mods.cased));
    }
  }
  return variants;
}

// When compiling one rule must end (CompileOptions::time_budget).
class CompileClock {
 public:
  explicit CompileClock(std::chrono::milliseconds budget)
      : budget_(budget), deadline_(std::chrono::steady_clock::now() + budget) {}
  Status Check() const {
    if (budget_.count() <= 0 || std::chrono::steady_clock::now() < deadline_) return Ok();
    return Error::InvalidArgument("compiling took longer than the budget of " + std::to_string(budget_.count()) +
                                  " ms per rule");
  }

 private:
  std::chrono::milliseconds budget_;
  std::chrono::steady_clock::time_point deadline_;
};

Result<FieldTest> CompileFieldCondition(const FieldCondition& condition, FieldDictionary& dictionary,
                                        const CompileOptions& options, const CompileClock& clock,
                                        std::vector<std::string>* warnings) {
  auto mods_result = ReadModifiers(condition);
  if (!mods_result.ok()) return mods_result.error();
  const ModifierSet& mods = *mods_result;
  FieldTest test;
  test.keyword = condition.field.empty();
  test.field = condition.field;
  if (!test.keyword) test.slot = dictionary.Intern(condition.field);
  test.all = mods.all;
  test.negate = mods.neq;
  test.cased = mods.cased;
  const std::string where = test.keyword ? std::string("keywords") : "field '" + condition.field + "'";

  if (mods.exists) {
    if (condition.values.size() != 1 || condition.values[0].type != RuleValue::Type::kBool) {
      return Error::InvalidArgument(where + ": 'exists' takes one value, true or false");
    }
    test.kind = FieldTest::Kind::kExists;
    test.exists_expected = condition.values[0].text == "true";
    return test;
  }
  if (mods.fieldref) {
    if (condition.values.size() != 1 || condition.values[0].text.empty()) {
      return Error::InvalidArgument(where + ": 'fieldref' takes one field name");
    }
    test.kind = FieldTest::Kind::kFieldRef;
    test.ref_field = condition.values[0].text;
    test.ref_slot = dictionary.Intern(test.ref_field);
    test.ref_mode = mods.mode;
    return test;
  }
  const bool has_null = std::any_of(condition.values.begin(), condition.values.end(),
                                    [](const RuleValue& v) { return v.type == RuleValue::Type::kNull; });
  if (has_null) {
    if (condition.values.size() != 1)
      return Error::InvalidArgument(where + ": null cannot be part of a list of values");
    if (test.keyword) return Error::InvalidArgument("keywords cannot be null");
    test.kind = FieldTest::Kind::kNull;
    return test;
  }
  if (test.keyword && (mods.compare || mods.date_part || mods.cidr)) {
    return Error::InvalidArgument("keywords take string modifiers only");
  }

  std::vector<std::string> unknown_placeholders;
  for (const RuleValue& value : condition.values) {
    DV_TRY(clock.Check());
    std::vector<std::unique_ptr<ValueMatcher>> group;
    if (mods.compare || mods.date_part) {
      double number = 0;
      if (!ParseNumber(value.text, number)) {
        return Error::InvalidArgument(where + ": '" + value.text + "' is not a number");
      }
      const CompareOp op = mods.compare.value_or(CompareOp::kEq);
      group.push_back(mods.date_part ? MakeDatePartMatcher(*mods.date_part, op, number)
                                     : MakeNumberMatcher(op, number));
    } else if (mods.cidr) {
      auto matcher = MakeCidrMatcher(value.text);
      if (!matcher.ok()) return matcher.error().WithContext(where);
      group.push_back(std::move(matcher).value());
    } else if (mods.re) {
      auto matcher = MakeRegexMatcher(value.text, mods.re_i, mods.re_m, mods.re_s);
      if (!matcher.ok()) return matcher.error().WithContext(where);
      group.push_back(std::move(matcher).value());
    } else {
      std::vector<std::string> texts = {value.text};
      if (mods.expand) {
        auto expanded =
            ExpandPlaceholders(value.text, options.placeholders, options.max_expansions, unknown_placeholders);
        if (!expanded.ok()) return expanded.error().WithContext(where);
        texts = std::move(expanded).value();
      }
      for (const auto& text : texts) {
        auto compiled = CompileStringValue(text, mods, test.keyword);
        if (!compiled.ok()) return compiled.error().WithContext(where);
        for (auto& matcher : *compiled) group.push_back(std::move(matcher));
      }
      // An unquoted number also equals the same number written differently ("0x1250", "4688 ").
      if (value.type == RuleValue::Type::kInteger && !mods.mode_given && mods.transforms.empty() && !mods.windash) {
        double number = 0;
        if (ParseNumber(value.text, number)) group.push_back(MakeNumberMatcher(CompareOp::kEq, number));
      }
    }
    std::vector<std::uint32_t> gates(group.size(), FieldDictionary::kNone);
    for (std::size_t variant_idx = 0; variant_idx < group.size(); ++variant_idx) {
      const ValueMatcher& matcher = *group[variant_idx];
      const std::string literal = matcher.RequiredLiteral();
      gates[variant_idx] =
          dictionary.InternLiteral(matcher.case_sensitive() ? FoldCase(literal) : literal, test.keyword);
    }
    test.groups.push_back(std::move(group));
    test.gates.push_back(std::move(gates));
  }
  if (!unknown_placeholders.empty() && warnings != nullptr) {
    for (const auto& name : unknown_placeholders) {
      warnings->push_back("line " + std::to_string(condition.place.line) + ": placeholder %" + name +
                          "% has no values configured; the value matches nothing");
    }
  }
  return test;
}

// Only the root's text is kept (for Explain): printing every node would
// cost O(n²) on a deep tree.
Result<CondNode> ResolveCondition(const ConditionNode& node, const std::vector<Identifier>& identifiers,
                                  const std::string& where, bool root = true) {
  CondNode out;
  out.kind = node.kind;
  if (root) out.text = node.ToString();
  auto index_of = [&](std::string_view name) -> std::optional<std::uint32_t> {
    for (std::size_t idx = 0; idx < identifiers.size(); ++idx) {
      if (identifiers[idx].name == name) return static_cast<std::uint32_t>(idx);
    }
    return std::nullopt;
  };
  switch (node.kind) {
    case ConditionNode::Kind::kIdentifier: {
      const auto idx = index_of(node.name);
      if (!idx)
        return Error::InvalidArgument(where + ": the condition names '" + node.name + "', which is not defined");
      out.refs.push_back(*idx);
      break;
    }
    case ConditionNode::Kind::kOneOf:
    case ConditionNode::Kind::kAllOf: {
      for (std::size_t idx = 0; idx < identifiers.size(); ++idx) {
        const std::string& name = identifiers[idx].name;
        const bool hit =
            node.name == "them" ? (name.empty() || name[0] != '_') : MatchesIdentifierPattern(node.name, name);
        if (hit) out.refs.push_back(static_cast<std::uint32_t>(idx));
      }
      if (out.refs.empty()) {
        return Error::InvalidArgument(where + ": '" + node.ToString() + "' matches no search identifier");
      }
      break;
    }
    default:
      for (const auto& child : node.children) {
        auto resolved = ResolveCondition(*child, identifiers, where, false);
        if (!resolved.ok()) return resolved.error();
        out.children.push_back(std::move(resolved).value());
      }
  }
  return out;
}

Result<std::unique_ptr<CompiledRule::Detection>> CompileDetection(const Detection& detection, const std::string& where,
                                                                  FieldDictionary& dictionary,
                                                                  const CompileOptions& options,
                                                                  std::vector<std::string>* warnings) {
  const CompileClock clock(options.time_budget);
  auto out = std::make_unique<CompiledRule::Detection>();
  for (const auto& identifier : detection.identifiers) {
    Identifier compiled;
    compiled.name = identifier.name;
    for (const auto& alternative : identifier.alternatives) {
      std::vector<FieldTest> tests;
      for (const auto& condition : alternative) {
        auto test = CompileFieldCondition(condition, dictionary, options, clock, warnings);
        if (!test.ok()) {
          return test.error().WithContext(condition.place.ToString() + ": search identifier '" + identifier.name + "'");
        }
        tests.push_back(std::move(test).value());
      }
      compiled.alternatives.push_back(std::move(tests));
    }
    out->identifiers.push_back(std::move(compiled));
  }
  for (const auto& condition : detection.conditions) {
    auto resolved = ResolveCondition(*condition, out->identifiers, where);
    if (!resolved.ok()) return resolved.error();
    out->conditions.push_back(std::move(resolved).value());
  }
  return out;
}

// ---- literals for prefiltering -------------------------------------------------

using LiteralSet = std::optional<std::set<std::string>>;  // nullopt: no requirement can be derived

LiteralSet Better(LiteralSet a, LiteralSet b) {
  if (!a) return b;
  if (!b) return a;
  auto shortest = [](const std::set<std::string>& set) {
    std::size_t min = SIZE_MAX;
    for (const auto& literal : set) min = std::min(min, literal.size());
    return min;
  };
  // Prefer the set whose weakest literal is longest, then the smaller set.
  const auto sa = shortest(*a);
  const auto sb = shortest(*b);
  if (sa != sb) return sa > sb ? std::move(a) : std::move(b);
  return a->size() <= b->size() ? std::move(a) : std::move(b);
}

LiteralSet Union(LiteralSet a, const LiteralSet& b) {
  if (!a || !b) return std::nullopt;
  a->insert(b->begin(), b->end());
  return a;
}

LiteralSet TestLiterals(const FieldTest& test) {
  // Keywords may match in any field; the prefilter looks for their literals
  // in every field's value (EventView::unread_text too), so they give
  // literals like field tests.
  if (test.kind != FieldTest::Kind::kMatch || test.negate || test.groups.empty()) return std::nullopt;
  auto group_literals = [](const std::vector<std::unique_ptr<ValueMatcher>>& group) -> LiteralSet {
    std::set<std::string> set;
    for (const auto& matcher : group) {
      std::string literal = matcher->RequiredLiteral();
      // Too weak to be worth a prefilter entry (and not in the dictionary).
      if (literal.size() < FieldDictionary::kMinGateLiteral) return std::nullopt;
      set.insert(matcher->case_sensitive() ? FoldCase(literal) : std::move(literal));
    }
    return set;
  };
  if (test.all) {
    LiteralSet best;
    for (const auto& group : test.groups) best = Better(std::move(best), group_literals(group));
    return best;
  }
  LiteralSet all = std::set<std::string>();
  for (const auto& group : test.groups) all = Union(std::move(all), group_literals(group));
  return all;
}

LiteralSet IdentifierLiterals(const Identifier& identifier) {
  LiteralSet all = std::set<std::string>();
  for (const auto& alternative : identifier.alternatives) {
    LiteralSet best;
    for (const auto& test : alternative) best = Better(std::move(best), TestLiterals(test));
    all = Union(std::move(all), best);
  }
  return all;
}

LiteralSet NodeLiterals(const CondNode& node, const CompiledRule::Detection& detection) {
  switch (node.kind) {
    case ConditionNode::Kind::kIdentifier:
      return IdentifierLiterals(detection.identifiers[node.refs[0]]);
    case ConditionNode::Kind::kNot:
      return std::nullopt;
    case ConditionNode::Kind::kAnd: {
      LiteralSet best;
      for (const auto& child : node.children) best = Better(std::move(best), NodeLiterals(child, detection));
      return best;
    }
    case ConditionNode::Kind::kOr: {
      LiteralSet all = std::set<std::string>();
      for (const auto& child : node.children) all = Union(std::move(all), NodeLiterals(child, detection));
      return all;
    }
    case ConditionNode::Kind::kOneOf: {
      LiteralSet all = std::set<std::string>();
      for (auto ref : node.refs) all = Union(std::move(all), IdentifierLiterals(detection.identifiers[ref]));
      return all;
    }
    case ConditionNode::Kind::kAllOf: {
      LiteralSet best;
      for (auto ref : node.refs) best = Better(std::move(best), IdentifierLiterals(detection.identifiers[ref]));
      return best;
    }
  }
  return std::nullopt;
}

void ExplainTest(const FieldTest& test, std::string& out, const std::string& indent) {
  out += indent + (test.keyword ? std::string("any field") : "field " + test.field);
  switch (test.kind) {
    case FieldTest::Kind::kExists:
      out += test.exists_expected ? " exists" : " does not exist";
      break;
    case FieldTest::Kind::kNull:
      out += " is missing or null";
      break;
    case FieldTest::Kind::kFieldRef:
      out += " equals the value of field " + test.ref_field;
      break;
    case FieldTest::Kind::kMatch: {
      out += test.all ? " matches all of:" : " matches any of:";
      for (const auto& group : test.groups) {
        out += "\n" + indent + "    - ";
        for (std::size_t variant_idx = 0; variant_idx < group.size(); ++variant_idx) {
          if (variant_idx > 0) out += " | or ";
          out += group[variant_idx]->Describe();
        }
      }
      break;
    }
  }
  if (test.negate) out += "\n" + indent + "  (negated: neq)";
  out += "\n";
}

}  // namespace

// ---- CompiledRule ----------------------------------------------------------------

CompiledRule::~CompiledRule() = default;

Result<std::unique_ptr<CompiledRule>> CompiledRule::Compile(std::shared_ptr<const Rule> rule,
                                                            FieldDictionary& dictionary, const CompileOptions& options,
                                                            std::vector<std::string>* warnings) {
  if (rule->kind != DocumentKind::kDetection) {
    return Error::InvalidArgument(rule->place.ToString() + ": only detection rules compile to matchers");
  }
  const std::string where = rule->place.ToString() + " (" + rule->title + ")";
  auto detection = CompileDetection(rule->detection, where, dictionary, options, warnings);
  if (!detection.ok()) return detection.error();
  std::unique_ptr<CompiledRule> compiled(new CompiledRule());
  compiled->rule_ = std::move(rule);
  compiled->detection_ = std::move(detection).value();
  return compiled;
}

Status CompiledRule::AttachFilter(std::shared_ptr<const Rule> filter, FieldDictionary& dictionary,
                                  const CompileOptions& options) {
  if (!filter->filter) return Error::InvalidArgument(filter->place.ToString() + ": not a filter document");
  auto detection = CompileDetection(filter->filter->detection, filter->place.ToString() + " (" + filter->title + ")",
                                    dictionary, options, nullptr);
  if (!detection.ok()) return detection.error();
  filters_.push_back(std::move(detection).value());
  filter_rules_.push_back(std::move(filter));
  return Ok();
}

bool CompiledRule::Matches(const FieldSource& source) const {
  if (!detection_->Matches(source)) return false;
  for (const auto& filter : filters_) {
    if (filter->Matches(source)) return false;
  }
  return true;
}

std::vector<std::string> CompiledRule::FieldNames(const FieldDictionary& /*dictionary*/) const {
  std::set<std::string> names;
  for (const auto& identifier : detection_->identifiers) {
    for (const auto& alternative : identifier.alternatives) {
      for (const auto& test : alternative) {
        if (!test.keyword) names.insert(test.field);
        if (test.kind == FieldTest::Kind::kFieldRef) names.insert(test.ref_field);
      }
    }
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> CompiledRule::RequiredLiterals() const {
  LiteralSet all = std::set<std::string>();
  for (const auto& condition : detection_->conditions)
    all = Union(std::move(all), NodeLiterals(condition, *detection_));
  if (!all || all->empty()) return {};
  return {all->begin(), all->end()};
}

std::string CompiledRule::Explain(const FieldDictionary& /*dictionary*/) const {
  std::string out = "rule: " + rule_->title + (rule_->id.empty() ? "" : " (" + rule_->id + ")") + "\n";
  out += "logsource: " + rule_->logsource.ToString() + "\n";
  for (std::size_t cond_idx = 0; cond_idx < detection_->conditions.size(); ++cond_idx) {
    out += "condition: " + detection_->conditions[cond_idx].text + "\n";
  }
  for (const auto& identifier : detection_->identifiers) {
    out += "search identifier " + identifier.name + " (" +
           (identifier.alternatives.size() > 1 ? "any of the maps below" : "all of the tests below") + "):\n";
    for (std::size_t alt_idx = 0; alt_idx < identifier.alternatives.size(); ++alt_idx) {
      if (identifier.alternatives.size() > 1) out += "  map " + std::to_string(alt_idx + 1) + ":\n";
      for (const auto& test : identifier.alternatives[alt_idx]) ExplainTest(test, out, "    ");
    }
  }
  for (const auto& filter_rule : filter_rules_) out += "filtered by: " + filter_rule->title + " (AND NOT)\n";
  const auto literals = RequiredLiterals();
  out += "prefilter: ";
  if (literals.empty()) {
    out += "none (evaluated for every event of its log source)\n";
  } else {
    out += "evaluated only when a field contains one of";
    for (const auto& literal : literals) out += " '" + literal + "'";
    out += "\n";
  }
  return out;
}

}  // namespace dv::sigma
