// SPDX-License-Identifier: Apache-2.0
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "federation/federation.h"
#include "store/store.h"

namespace dv::cli {
namespace {

struct FederationOptions {
  std::string db;
  std::string dir;  // empty = the built-in demo federation
  bool json = false;
};

Result<FederationData> Load(const FederationOptions& options) {
  return options.dir.empty() ? LoadDemoFederation() : LoadFederationDirectory(options.dir);
}

void PrintSummary(const FederationData& data, bool json) {
  std::map<std::string, int> per_kind;
  for (const auto& org : data.organisations) ++per_kind[std::string(OrgKindName(org.kind))];
  int illustrative = 0;
  for (const auto& dep : data.dependencies) illustrative += dep.illustrative ? 1 : 0;
  if (json) {
    nlohmann::json out = {{"organisations", data.organisations.size()},
                          {"by_kind", per_kind},
                          {"dependencies", data.dependencies.size()},
                          {"illustrative_dependencies", illustrative}};
    std::cout << out.dump() << "\n";
    return;
  }
  std::cout << data.organisations.size() << " organisations:\n";
  for (const auto& [kind, count] : per_kind) std::cout << "  " << kind << ": " << count << "\n";
  std::cout << data.dependencies.size() << " dependencies (" << illustrative << " illustrative)\n";
}

}  // namespace

void AddFederationCommands(CLI::App& app, int* exit_code) {
  CLI::App* federation =
      app.add_subcommand("federation", "Inspect and load the federation's members and dependencies.");
  federation->require_subcommand(1);

  auto check_options = std::make_shared<FederationOptions>();
  CLI::App* check = federation->add_subcommand(
      "check",
      "Parse federation files (municipalities.csv, organisations.json, dependencies.json) and report the "
      "first problem with its file, line and field; without --dir, checks the built-in demo federation.");
  check->add_option("--dir", check_options->dir, "Directory with the three files");
  check->add_flag("--json", check_options->json, "Print the summary as JSON");
  check->callback([check_options, exit_code] {
    auto data = Load(*check_options);
    if (!data.ok()) {
      std::cerr << "dannevirke: " << data.error().ToString() << "\n";
      *exit_code = 1;
      return;
    }
    PrintSummary(*data, check_options->json);
  });

  auto load_options = std::make_shared<FederationOptions>();
  CLI::App* load = federation->add_subcommand(
      "load",
      "Load federation files (or the built-in demo federation) into a database, all or nothing; loading the "
      "same data again changes nothing.");
  load->add_option("--db", load_options->db, "Database URL (sqlite:PATH)")->required();
  load->add_option("--dir", load_options->dir, "Directory with the three files (default: the demo federation)");
  load->add_flag("--json", load_options->json, "Print the result as JSON");
  load->callback([load_options, exit_code] {
    auto data = Load(*load_options);
    if (!data.ok()) {
      std::cerr << "dannevirke: " << data.error().ToString() << "\n";
      *exit_code = 1;
      return;
    }
    auto store = Store::Open(load_options->db);
    if (!store.ok()) {
      std::cerr << "dannevirke: " << store.error().ToString() << "\n";
      *exit_code = 1;
      return;
    }
    auto report = SeedFederation(**store, *data, "cli:federation-load");
    if (!report.ok()) {
      std::cerr << "dannevirke: " << report.error().ToString() << "\n";
      *exit_code = 1;
      return;
    }
    if (load_options->json) {
      std::cout
          << nlohmann::json{{"organisations", report->organisations}, {"dependencies", report->dependencies}}.dump()
          << "\n";
    } else {
      std::cout << "Loaded " << report->organisations << " organisations and " << report->dependencies
                << " dependencies into " << Store::DisplayUrl(load_options->db) << ".\n";
    }
  });
}

}  // namespace dv::cli
