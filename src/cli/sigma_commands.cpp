// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "sigma/rule_set.h"

namespace dv::cli {
namespace {

struct SigmaOptions {
  std::vector<std::string> paths;
  std::string rule;  // compile: one rule's id, name or title
  std::string mapping;
  bool json = false;
  bool warnings = false;
  bool include_deprecated = false;
};

int Check(const SigmaOptions& options) {
  auto mapping = LoadMappingFile(options.mapping);
  if (!mapping.ok()) return ReportError(mapping.error());
  sigma::RuleSetOptions set_options;
  set_options.mapping = mapping->get();
  set_options.include_deprecated = options.include_deprecated;
  sigma::RuleSetReport report;
  const auto set = sigma::RuleSet::Load(options.paths, set_options, report);
  const int errors = report.errors();
  const int warnings = static_cast<int>(report.problems.size()) - errors;
  if (options.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& problem : report.problems) {
      if (!problem.fatal && !options.warnings) continue;
      problems.push_back({{"file", problem.place.file},
                          {"line", problem.place.line},
                          {"severity", problem.fatal ? "error" : "warning"},
                          {"message", problem.message}});
    }
    std::cout << nlohmann::json{{"rules", report.detection_rules},
                                {"correlations", report.correlation_rules},
                                {"filters", report.filters},
                                {"errors", errors},
                                {"warnings", warnings},
                                {"skipped_by_status", report.skipped_status},
                                {"without_log_source_mapping", report.unmapped_logsource},
                                {"problems", problems}}
                     .dump(2)
              << "\n";
  } else {
    for (const auto& problem : report.problems) {
      if (problem.fatal || options.warnings) std::cout << problem.ToString() << "\n";
    }
    std::cout << report.detection_rules << " detection rules, " << report.correlation_rules << " correlation rules, "
              << report.filters << " filters usable; " << errors << " errors, " << warnings << " warnings"
              << (options.warnings || warnings == 0 ? "" : " (--warnings lists them)") << ".\n";
    if (report.skipped_status > 0) {
      std::cout << report.skipped_status
                << " deprecated or unsupported rules skipped (--include-deprecated loads them).\n";
    }
    if (report.unmapped_logsource > 0) {
      std::cout << report.unmapped_logsource
                << " rules have a log source that the field mapping does not route events to.\n";
    }
  }
  return errors > 0 ? 1 : 0;
}

int Compile(const SigmaOptions& options) {
  auto mapping = LoadMappingFile(options.mapping);
  if (!mapping.ok()) return ReportError(mapping.error());
  sigma::RuleSetOptions set_options;
  set_options.mapping = mapping->get();
  set_options.include_deprecated = true;
  sigma::RuleSetReport report;
  const auto set = sigma::RuleSet::Load(options.paths, set_options, report);
  for (const auto& problem : report.problems) {
    if (problem.fatal) std::cerr << problem.ToString() << "\n";
  }
  int shown = 0;
  for (const auto& rule : set->rules()) {
    const auto& meta = rule->rule();
    if (!options.rule.empty() && meta.id != options.rule && meta.name != options.rule && meta.title != options.rule) {
      continue;
    }
    if (shown++ > 0) std::cout << "\n";
    std::cout << "file: " << meta.place.ToString() << "\n" << rule->Explain(set->dictionary());
    std::cout << "routed from:";
    bool any = false;
    for (const auto& def : set->mapping().logsources()) {
      if (sigma::FieldMapping::Applies(meta.logsource, def.logsource)) {
        std::cout << (any ? ", " : " ") << def.name;
        any = true;
      }
    }
    std::cout << (any ? "" : " nothing (no log source definition matches)") << "\n";
  }
  for (const auto& correlation : set->correlations()) {
    if (!options.rule.empty() && correlation->id != options.rule && correlation->title != options.rule) continue;
    const auto& c = *correlation->correlation;
    if (shown++ > 0) std::cout << "\n";
    std::cout << "file: " << correlation->place.ToString() << "\ncorrelation: " << correlation->title << "\nrules:";
    for (const auto& ref : c.rules) std::cout << " " << ref;
    std::cout << "\ngroup-by:";
    for (const auto& field : c.group_by) std::cout << " " << field;
    std::cout << "\ntimespan: " << c.timespan_ms / 1000 << " s\n";
  }
  if (shown == 0) {
    std::cerr << "dannevirke: no rule" << (options.rule.empty() ? "" : " '" + options.rule + "'") << " found\n";
    return 1;
  }
  return 0;
}

}  // namespace

void AddSigmaCommands(CLI::App& app, int* exit_code) {
  CLI::App* sigma = app.add_subcommand("sigma", "Check and explain Sigma rules.");
  sigma->require_subcommand(1);

  auto check_options = std::make_shared<SigmaOptions>();
  CLI::App* check = sigma->add_subcommand(
      "check",
      "Load a rule tree and report every rule that cannot be used, with its file, line and reason. Exit code 1 when "
      "any rule has an error.");
  check->add_option("paths", check_options->paths, "Rule files or folders (searched recursively for .yml)")->required();
  check->add_option("--mapping", check_options->mapping, "Field mapping file (default: the built-in one)");
  check->add_flag("--warnings", check_options->warnings, "Also list warnings (e.g. unresolved placeholders)");
  check->add_flag("--include-deprecated", check_options->include_deprecated, "Also load deprecated/unsupported rules");
  check->add_flag("--json", check_options->json, "Print the report as JSON");
  check->callback([check_options, exit_code] { *exit_code = Check(*check_options); });

  auto compile_options = std::make_shared<SigmaOptions>();
  CLI::App* compile = sigma->add_subcommand(
      "compile",
      "Show how rules are evaluated: each search identifier's field tests after modifiers, the condition, "
      "the prefilter literals and the log sources that route events to the rule.");
  compile->add_option("paths", compile_options->paths, "Rule files or folders")->required();
  compile->add_option("--rule", compile_options->rule, "Only the rule with this id, name or title");
  compile->add_option("--mapping", compile_options->mapping, "Field mapping file (default: the built-in one)");
  compile->callback([compile_options, exit_code] { *exit_code = Compile(*compile_options); });
}

}  // namespace dv::cli
