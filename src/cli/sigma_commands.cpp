// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/organisation.h"
#include "core/text.h"
#include "sensor/taxii_client.h"
#include "sigma/rule_set.h"
#include "sigma/stix_indicator.h"

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

struct PublishOptions {
  std::vector<std::string> paths;
  std::string hub;
  std::string token;
  std::string token_file;
  std::string collection;
  std::string org;
  std::string tlp = "green";
  std::string ca_file;
  bool dry_run = false;
};

// Every *.yml / *.yaml under the paths, sorted, each once.
std::vector<std::string> RuleFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".yml" || ext == ".yaml")) files.push_back(entry.path().string());
      }
    } else {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

// Turns rule files into STIX indicators (pattern_type "sigma") and posts them
// to a hub collection over TAXII, so every member's sensor runs them.
int Publish(const PublishOptions& options) {
  const auto tlp = ParseTlp(options.tlp);
  if (!tlp) return ReportError(Error::InvalidArgument("--tlp '" + options.tlp + "' is not a TLP 2.0 level"));
  sigma::SigmaIndicatorOptions convert;
  convert.tlp = *tlp;
  convert.now = Timestamp::Now();
  if (!options.org.empty()) {
    Organisation org;
    org.code = options.org;
    convert.created_by_ref = org.StixId();
  }
  std::vector<std::string> objects;
  int refused = 0;
  for (const auto& file : RuleFiles(options.paths)) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << file << ": cannot read\n";
      ++refused;
      continue;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto indicator = sigma::SigmaRuleToIndicator(text.str(), file, convert);
    if (!indicator.ok()) {
      std::cerr << indicator.error().message() << "\n";
      ++refused;
      continue;
    }
    objects.push_back(std::move(indicator).value());
  }
  std::cerr << objects.size() << " rules ready, " << refused << " refused.\n";
  if (options.dry_run) {
    for (const auto& object : objects) std::cout << object << "\n";
    return refused == 0 ? 0 : 1;
  }
  if (objects.empty()) return 1;
  auto token = ReadToken(options.token, options.token_file);
  if (!token.ok()) return ReportError(token.error());
  sensor::TaxiiClientOptions client_options;
  client_options.hub_url = options.hub;
  client_options.token = *token;
  client_options.ca_file = options.ca_file;
  auto client = sensor::TaxiiClient::Create(client_options);
  if (!client.ok()) return ReportError(client.error());
  constexpr std::size_t kBatch = 200;
  std::int64_t stored = 0;
  std::int64_t failed = 0;
  for (std::size_t start = 0; start < objects.size(); start += kBatch) {
    const std::vector<std::string> batch(
        objects.begin() + static_cast<std::ptrdiff_t>(start),
        objects.begin() + static_cast<std::ptrdiff_t>(std::min(objects.size(), start + kBatch)));
    auto status = (*client)->PostObjects(options.collection, batch);
    if (!status.ok()) return ReportError(status.error());
    stored += status->success;
    failed += status->failure;
    for (const auto& failure : status->failures) std::cerr << "refused by the hub: " << failure << "\n";
  }
  std::cout << stored << " rules stored at the hub (a rule already there in the same version counts as stored), "
            << failed << " refused.\n";
  return refused == 0 && failed == 0 ? 0 : 1;
}

}  // namespace

void AddSigmaCommands(CLI::App& app, int* exit_code) {
  CLI::App* sigma = app.add_subcommand("sigma", "Check, explain and share Sigma rules.");
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

  auto publish_options = std::make_shared<PublishOptions>();
  CLI::App* publish = sigma->add_subcommand(
      "publish",
      "Share Sigma rules with the members: each rule file becomes a STIX 2.1 indicator (pattern_type sigma) posted "
      "to a hub collection; sensors pull and run them. Bump a rule's `modified` date to publish a change.");
  publish->add_option("paths", publish_options->paths, "Rule files or folders (one detection rule per file)")
      ->required();
  publish->add_option("--hub", publish_options->hub, "The hub's URL, e.g. https://hub.example:8443");
  publish->add_option("--collection", publish_options->collection, "The collection to post to (its id)");
  publish->add_option("--token", publish_options->token, "API token (visible in ps; prefer --token-file)");
  publish->add_option("--token-file", publish_options->token_file, "File whose first line is the API token");
  publish->add_option("--org", publish_options->org, "The publishing organisation's code (for created_by_ref)");
  publish->add_option("--tlp", publish_options->tlp, "TLP 2.0 marking: clear, green, amber, amber+strict, red")
      ->capture_default_str();
  publish->add_option("--ca-file", publish_options->ca_file, "PEM certificates to verify an HTTPS hub");
  publish->add_flag("--dry-run", publish_options->dry_run, "Print the STIX indicators instead of posting them");
  publish->callback([publish_options, exit_code, publish] {
    if (!publish_options->dry_run && (publish_options->hub.empty() || publish_options->collection.empty())) {
      throw CLI::ValidationError("--hub and --collection are required unless --dry-run");
    }
    (void)publish;
    *exit_code = Publish(*publish_options);
  });
}

}  // namespace dv::cli
