// SPDX-License-Identifier: Apache-2.0
#include "sigma/rule_set.h"

#include <algorithm>

namespace dv::sigma {
namespace {

LoadProblem SetProblem(const SourcePlace& place, std::string message, bool fatal) {
  LoadProblem problem;
  problem.place = place;
  problem.message = std::move(message);
  problem.fatal = fatal;
  return problem;
}

}  // namespace

int RuleSetReport::errors() const {
  return static_cast<int>(
      std::count_if(problems.begin(), problems.end(), [](const LoadProblem& p) { return p.fatal; }));
}

std::shared_ptr<const RuleSet> RuleSet::Load(const std::vector<std::string>& paths, const RuleSetOptions& options,
                                             RuleSetReport& report) {
  return Build(LoadRuleTrees(paths, options.budget, options.cache_dir), options, report);
}

std::shared_ptr<const RuleSet> RuleSet::Build(LoadedDocuments documents, const RuleSetOptions& options,
                                              RuleSetReport& report) {
  std::shared_ptr<RuleSet> set(new RuleSet());
  set->mapping_ = options.mapping != nullptr ? options.mapping : &FieldMapping::Default();
  report.problems.insert(report.problems.end(), documents.problems.begin(), documents.problems.end());
  report.documents += static_cast<int>(documents.rules.size() + documents.problems.size());
  CompileOptions compile_options;
  compile_options.placeholders = &options.placeholders;
  compile_options.time_budget = options.budget.max_compile_time;
  compile_options.max_expansions = options.budget.max_expansions;

  std::vector<std::shared_ptr<const Rule>> filters;
  for (auto& rule : documents.rules) {
    auto shared = std::make_shared<const Rule>(std::move(rule));
    if (!options.include_deprecated && (shared->status == "deprecated" || shared->status == "unsupported")) {
      ++report.skipped_status;
      continue;
    }
    switch (shared->kind) {
      case DocumentKind::kCorrelation:
        set->correlations_.push_back(shared);
        ++report.correlation_rules;
        break;
      case DocumentKind::kFilter:
        filters.push_back(shared);
        ++report.filters;
        break;
      case DocumentKind::kDetection: {
        std::vector<std::string> warnings;
        auto compiled = CompiledRule::Compile(shared, set->dictionary_, compile_options, &warnings);
        for (auto& warning : warnings) {
          report.problems.push_back(SetProblem({shared->place.file, 0}, std::move(warning), false));
        }
        if (!compiled.ok()) {
          report.problems.push_back(SetProblem(shared->place, compiled.error().message(), true));
          break;
        }
        set->rules_.push_back(std::move(compiled).value());
        ++report.detection_rules;
        break;
      }
    }
  }
  for (const auto& filter : filters) {
    bool attached = false;
    for (const auto& target : filter->filter->rules) {
      for (const auto rule_idx : set->FindRuleIndexes(target)) {
        auto status = set->rules_[rule_idx]->AttachFilter(filter, set->dictionary_, compile_options);
        if (!status.ok()) {
          report.problems.push_back(SetProblem(filter->place, status.error().message(), true));
        } else {
          attached = true;
        }
      }
    }
    if (!attached)
      report.problems.push_back(
          SetProblem(filter->place, "filter '" + filter->title + "' applies to no loaded rule", false));
  }
  for (const auto& correlation : set->correlations_) {
    for (const auto& target : correlation->correlation->rules) {
      const bool known = !set->FindRuleIndexes(target).empty() ||
                         std::any_of(set->correlations_.begin(), set->correlations_.end(),
                                     [&](const auto& other) { return other->id == target || other->name == target; });
      if (!known) {
        report.problems.push_back(SetProblem(
            correlation->place,
            "correlation '" + correlation->title + "' refers to rule '" + target + "', which is not loaded", false));
      }
    }
  }

  const auto& defs = set->mapping_->logsources();
  set->by_logsource_.resize(defs.size());
  for (std::size_t rule_idx = 0; rule_idx < set->rules_.size(); ++rule_idx) {
    bool routed = false;
    for (std::size_t def_idx = 0; def_idx < defs.size(); ++def_idx) {
      if (FieldMapping::Applies(set->rules_[rule_idx]->rule().logsource, defs[def_idx].logsource)) {
        set->by_logsource_[def_idx].push_back(static_cast<std::uint32_t>(rule_idx));
        routed = true;
      }
    }
    if (!routed) ++report.unmapped_logsource;
  }
  return set;
}

std::span<const std::uint32_t> RuleSet::RulesFor(std::uint32_t def_idx) const {
  if (def_idx >= by_logsource_.size()) return {};
  return by_logsource_[def_idx];
}

std::vector<std::uint32_t> RuleSet::FindRuleIndexes(std::string_view id_or_name) const {
  std::vector<std::uint32_t> out;
  for (std::size_t rule_idx = 0; rule_idx < rules_.size(); ++rule_idx) {
    const Rule& rule = rules_[rule_idx]->rule();
    if (rule.id == id_or_name || (!rule.name.empty() && rule.name == id_or_name)) {
      out.push_back(static_cast<std::uint32_t>(rule_idx));
    }
  }
  return out;
}

const CompiledRule* RuleSet::FindRule(std::string_view id_or_name) const {
  const auto indexes = FindRuleIndexes(id_or_name);
  return indexes.empty() ? nullptr : rules_[indexes.front()].get();
}

}  // namespace dv::sigma
