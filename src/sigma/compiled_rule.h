// SPDX-License-Identifier: Apache-2.0
#pragma once

// A Sigma detection rule compiled for matching: every value turned into a
// ValueMatcher with its modifiers applied, every field name resolved to a
// slot of a FieldDictionary, the condition resolved to identifier indexes.
// Immutable after Compile; evaluate from any number of threads.
//
// Values reach a rule through a FieldSource. The engine's EventView groups an
// event's fields by slot once per event and folds their case once; the
// DirectFieldSource looks every field up in the Event on each access, which
// is the straightforward one-rule-at-a-time evaluation used as a baseline and
// a differential oracle.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "sigma/rule.h"
#include "sigma/value_matcher.h"

namespace dv::sigma {

// Field names used by rules, case-folded, to dense slots; and the literals
// their value matchers require, to dense ids (the literal gate, below).
// Built while compiling a rule set; read-only afterwards.
class FieldDictionary {
 public:
  std::uint32_t Intern(std::string_view name);
  // The slot of `name` (any case), or kNone.
  std::uint32_t Find(std::string_view name) const;
  // The slot of a name already folded with FoldCase; no allocation.
  std::uint32_t FindFolded(std::string_view folded_name) const;
  std::size_t size() const { return names_.size(); }
  const std::string& name(std::uint32_t slot) const { return names_[slot]; }
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;

  // Literals shorter than this are not gated: they occur in most events.
  static constexpr std::size_t kMinGateLiteral = 3;
  // The id of a case-folded literal that a value matcher requires (every
  // value it matches contains it, folded); kNone when `folded` is shorter
  // than kMinGateLiteral. `anywhere`: the matcher is a keyword's, so the
  // literal is looked for in every field, not only those rules name.
  std::uint32_t InternLiteral(std::string_view folded, bool anywhere);
  // The id of a literal interned before, or kNone.
  std::uint32_t FindLiteral(std::string_view folded) const;
  std::size_t literal_count() const { return literals_.size(); }
  const std::string& literal(std::uint32_t id) const { return literals_[id]; }
  bool literal_anywhere(std::uint32_t id) const { return anywhere_[id]; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> slots_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> literal_ids_;
  std::vector<std::string> literals_;
  std::vector<bool> anywhere_;
};

struct FieldValue {
  std::string_view raw;
  std::string_view folded;
  bool is_null = false;
};

class FieldSource {
 public:
  virtual ~FieldSource() = default;
  // The values of the field in `slot` (named `name`). The span stays valid
  // until the next call on this source.
  virtual std::span<const FieldValue> Values(std::uint32_t slot, std::string_view name) const = 0;
  // Every value of every field, for keyword search.
  virtual std::span<const FieldValue> AllValues() const = 0;
  // False only when no value of any field that rules read (by name)
  // contains the dictionary literal `literal_id` (case-folded): a matcher
  // that requires it need not run. Always true for kNone.
  virtual bool MayContain(std::uint32_t /*literal_id*/) const { return true; }
};

// The engine's view of one event: fields grouped by slot, case folded once.
// Reset it for each event; reuses its memory. Not thread-safe.
//
// The literal gate: after Reset, a prefilter that scanned folded_text()
// for every literal of the dictionary and unread_text() for every literal
// marked `anywhere` reports each literal it found with NoteLiteral and then
// calls CloseGate(). Until the next Reset, MayContain is then false for
// every literal not reported. Without CloseGate (no prefilter, or its scan
// failed) MayContain is always true.
class EventView final : public FieldSource {
 public:
  void Reset(const Event& event, const FieldDictionary& dictionary);
  std::span<const FieldValue> Values(std::uint32_t slot, std::string_view name) const override;
  std::span<const FieldValue> AllValues() const override { return {all_.data(), all_.size()}; }
  bool MayContain(std::uint32_t literal_id) const override {
    return !gated_ || literal_id >= literal_stamp_.size() || literal_stamp_[literal_id] == generation_;
  }
  const Event* event() const { return event_; }
  // The case-folded values of the fields that rules name, concatenated (no
  // separators), for one prefilter scan per event; unread_text() the same
  // for the other fields (which only keywords read).
  std::string_view folded_text() const { return std::string_view(folded_).substr(0, read_bytes_); }
  std::string_view unread_text() const { return std::string_view(folded_).substr(read_bytes_); }

  // Requires: literal_id < the dictionary's literal_count(). Returns false
  // when the literal was already noted for this event.
  bool NoteLiteral(std::uint32_t literal_id) {
    if (literal_stamp_[literal_id] == generation_) return false;
    literal_stamp_[literal_id] = generation_;
    return true;
  }
  void CloseGate() { gated_ = true; }

 private:
  const Event* event_ = nullptr;
  std::vector<FieldValue> all_;
  std::vector<FieldValue> by_slot_;        // values ordered by slot
  std::vector<std::uint64_t> slot_range_;  // per slot: generation<<32 | first<<16 | count
  std::vector<std::pair<std::uint32_t, std::uint32_t>> order_;
  std::string folded_;  // backing store of all folded values, those of fields rules name first
  std::size_t read_bytes_ = 0;
  std::vector<std::uint32_t> slots_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;  // per field: offset, length in folded_
  // Field names of the previous event and their slots: events of one source
  // mostly repeat their layout, and a name compare is cheaper than fold+hash.
  std::vector<std::string> last_names_;
  std::vector<std::uint32_t> last_slots_;
  const FieldDictionary* last_dictionary_ = nullptr;
  std::string key_;
  std::uint32_t generation_ = 0;
  std::vector<std::uint32_t> literal_stamp_;  // per dictionary literal: generation it was found in
  bool gated_ = false;
};

// Looks every field up in the event on each access (Event::ForEach) and
// folds case each time: simple, and slow on purpose.
class DirectFieldSource final : public FieldSource {
 public:
  explicit DirectFieldSource(const Event& event) : event_(event) {}
  std::span<const FieldValue> Values(std::uint32_t slot, std::string_view name) const override;
  std::span<const FieldValue> AllValues() const override;

 private:
  const Event& event_;
  mutable std::vector<FieldValue> values_;
  mutable std::vector<std::string> folded_;
};

// Values for the `expand` modifier: placeholder name (without %) → values.
using Placeholders = std::map<std::string, std::vector<std::string>>;

struct CompileOptions {
  const Placeholders* placeholders = nullptr;
  // Compiling one rule (with each attached filter separately) may take this
  // long; zero or less: no limit. Checked between values, so one value's
  // regular expression is not interrupted.
  std::chrono::milliseconds time_budget{0};
  // Variants one value may expand to through `expand` placeholders.
  std::size_t max_expansions = 4096;
};

class CompiledRule {
 public:
  // Compiles a detection rule. Errors name the rule's file and line and the
  // offending field or identifier, or the budget it went over. Warnings (unresolved placeholders) are
  // appended to `warnings` as "line N: …" (the rule's file is the caller's).
  static Result<std::unique_ptr<CompiledRule>> Compile(std::shared_ptr<const Rule> rule, FieldDictionary& dictionary,
                                                       const CompileOptions& options,
                                                       std::vector<std::string>* warnings);
  ~CompiledRule();

  // True when the rule's condition holds and no attached filter's does.
  bool Matches(const FieldSource& source) const;
  // Adds a filter (a compiled filter document) as AND NOT.
  Status AttachFilter(std::shared_ptr<const Rule> filter, FieldDictionary& dictionary, const CompileOptions& options);

  const Rule& rule() const { return *rule_; }
  std::shared_ptr<const Rule> shared_rule() const { return rule_; }
  // Names of the fields the rule's conditions read (for reports).
  std::vector<std::string> FieldNames(const FieldDictionary& dictionary) const;
  // Human-readable evaluation plan for `sigma compile`.
  std::string Explain(const FieldDictionary& dictionary) const;
  // Literals of which at least one must occur (folded) in some field value
  // for the rule to match; empty when the rule has no such literal set
  // (then it must always be evaluated). For prefiltering.
  std::vector<std::string> RequiredLiterals() const;

  struct Detection;  // compiled detection section (internal)

 private:
  CompiledRule() = default;
  std::shared_ptr<const Rule> rule_;
  std::unique_ptr<Detection> detection_;
  std::vector<std::unique_ptr<Detection>> filters_;
  std::vector<std::shared_ptr<const Rule>> filter_rules_;
};

}  // namespace dv::sigma
