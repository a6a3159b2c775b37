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

// Field names used by rules, case-folded, to dense slots. Built while
// compiling a rule set; read-only afterwards.
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

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> slots_;
  std::vector<std::string> names_;
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
};

// The engine's view of one event: fields grouped by slot, case folded once.
// Reset it for each event; reuses its memory. Not thread-safe.
class EventView final : public FieldSource {
 public:
  void Reset(const Event& event, const FieldDictionary& dictionary);
  std::span<const FieldValue> Values(std::uint32_t slot, std::string_view name) const override;
  std::span<const FieldValue> AllValues() const override { return {all_.data(), all_.size()}; }
  const Event* event() const { return event_; }
  // The case-folded values of the fields that some rule reads, concatenated
  // (no separators), for one prefilter scan per event.
  std::string_view folded_text() const { return std::string_view(folded_).substr(0, read_bytes_); }

 private:
  const Event* event_ = nullptr;
  std::vector<FieldValue> all_;
  std::vector<FieldValue> by_slot_;        // values ordered by slot
  std::vector<std::uint64_t> slot_range_;  // per slot: generation<<32 | first<<16 | count
  std::vector<std::pair<std::uint32_t, std::uint32_t>> order_;
  std::string folded_;  // backing store of all folded values, those read by rules first
  std::size_t read_bytes_ = 0;
  std::vector<std::uint32_t> slots_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;
  std::string key_;
  std::uint32_t generation_ = 0;
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
