// SPDX-License-Identifier: Apache-2.0
#pragma once

// A loaded, compiled set of Sigma documents: detection rules compiled to
// matchers (with their filters attached), correlation rules, and the routing
// from log sources to rules. Immutable once built and shared by all threads
// through std::shared_ptr<const RuleSet>.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "sigma/budget.h"
#include "sigma/compiled_rule.h"
#include "sigma/loader.h"
#include "sigma/mapping.h"

namespace dv::sigma {

struct RuleSetOptions {
  const FieldMapping* mapping = nullptr;  // null: FieldMapping::Default()
  Placeholders placeholders;              // values for the `expand` modifier
  bool include_deprecated = false;        // load rules with status deprecated/unsupported
  // Limits on rule text, conditions and compile time (sigma/budget.h). Load
  // applies all of them; Build, given documents already parsed, the compile
  // budgets.
  SigmaBudget budget;
  // Load: keep the parsed documents of each rule folder here between runs
  // (LoadRuleTree, loader.h); empty: parse every time.
  std::string cache_dir;
};

struct RuleSetReport {
  int files_problems = 0;
  int documents = 0;
  int detection_rules = 0;  // compiled and active
  int correlation_rules = 0;
  int filters = 0;
  int skipped_status = 0;             // deprecated/unsupported, not loaded by default
  int unmapped_logsource = 0;         // compiled, but no log source definition routes events to them
  std::vector<LoadProblem> problems;  // errors (rule not usable) and warnings
  int errors() const;
};

class RuleSet {
 public:
  // Loads every rule file under each path and compiles what it can. Problems
  // are collected in `report`; the set holds every usable rule.
  static std::shared_ptr<const RuleSet> Load(const std::vector<std::string>& paths, const RuleSetOptions& options,
                                             RuleSetReport& report);
  // The same from documents already parsed (tests, hub-distributed rules).
  static std::shared_ptr<const RuleSet> Build(LoadedDocuments documents, const RuleSetOptions& options,
                                              RuleSetReport& report);

  const std::vector<std::unique_ptr<CompiledRule>>& rules() const { return rules_; }
  const std::vector<std::shared_ptr<const Rule>>& correlations() const { return correlations_; }
  const FieldDictionary& dictionary() const { return dictionary_; }
  const FieldMapping& mapping() const { return *mapping_; }
  // Indexes into rules() of the rules that apply to log source definition `def_idx`.
  std::span<const std::uint32_t> RulesFor(std::uint32_t def_idx) const;
  // The rule with this id or name, or null.
  const CompiledRule* FindRule(std::string_view id_or_name) const;
  // Every rule index with this id, name or title (correlations refer by id or name).
  std::vector<std::uint32_t> FindRuleIndexes(std::string_view id_or_name) const;

 private:
  RuleSet() = default;
  const FieldMapping* mapping_ = nullptr;
  std::unique_ptr<FieldMapping> owned_mapping_;
  FieldDictionary dictionary_;
  std::vector<std::unique_ptr<CompiledRule>> rules_;
  std::vector<std::shared_ptr<const Rule>> correlations_;
  std::vector<std::vector<std::uint32_t>> by_logsource_;
};

}  // namespace dv::sigma
