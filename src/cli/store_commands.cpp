// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/common.h"
#include "store/migrate.h"
#include "store/store.h"

namespace dv::cli {
namespace {

struct MigrateCommandOptions {
  std::string from;
  std::string to;
  int batch = 1000;
};

// The verification as a table on stdout: one line per table, the source's
// SHA-256 in full, and the target's only where it differs.
void PrintVerification(const MigrationReport& report) {
  std::printf("%-14s %12s %12s %10s  %-64s  %s\n", "TABLE", "SOURCE ROWS", "TARGET ROWS", "COPIED", "SHA-256 (SOURCE)",
              "TARGET");
  for (const auto& check : report.tables) {
    const std::string target = check.source_sha256 == check.target_sha256 ? "same" : check.target_sha256;
    std::printf("%-14s %12lld %12lld %10lld  %-64s  %s%s\n", check.table.c_str(),
                static_cast<long long>(check.source_rows), static_cast<long long>(check.target_rows),
                static_cast<long long>(check.copied), check.source_sha256.c_str(), target.c_str(),
                check.Matches() ? "" : "  DIFFERS");
  }
  std::fflush(stdout);
}

int Migrate(const MigrateCommandOptions& options) {
  if (auto checked = CheckMigrationUrls(options.from, options.to); !checked.ok()) return ReportError(checked.error());
  auto source = Store::Open(options.from);
  if (!source.ok()) return ReportError(source.error().WithContext("source"));
  auto target = Store::Open(options.to);
  if (!target.ok()) return ReportError(target.error().WithContext("target"));
  std::cerr << "Migrating " << Store::DisplayUrl(options.from) << " (" << (*source)->BackendName() << ") to "
            << Store::DisplayUrl(options.to) << " (" << (*target)->BackendName() << "), " << options.batch
            << " rows per transaction.\n";
  MigrateOptions migrate_options;
  migrate_options.batch_rows = options.batch;
  migrate_options.progress = [](std::string_view table, std::int64_t done, std::int64_t total) {
    std::cerr << "  " << table << ": " << done << " of " << total << " rows\n";
  };
  auto report = MigrateStore(**source, **target, migrate_options);
  if (!report.ok()) return ReportError(report.error());
  PrintVerification(*report);
  if (!report->Verified()) {
    return ReportError(Error::Io("verification failed: the target differs from the source in " + report->Mismatches()));
  }
  if (report->copied == 0) {
    std::cout << "Nothing to copy: the target already holds the source's data. Verified.\n";
  } else {
    std::cout << "Copied " << report->copied << " rows. Verified: every table has the same rows in both stores.\n";
  }
  return 0;
}

}  // namespace

void AddStoreCommands(CLI::App& app, int* exit_code) {
  CLI::App* store = app.add_subcommand("store", "Maintain the hub's database.");
  store->require_subcommand(1);
  auto options = std::make_shared<MigrateCommandOptions>();
  CLI::App* migrate = store->add_subcommand(
      "migrate",
      "Copy every row of a hub's database into an empty one (normally SQLite to PostgreSQL) and verify the copy "
      "table by table (row count and SHA-256). Stop the hub first. Safe to re-run: an interrupted copy goes on "
      "where it stopped, a complete one is only verified, and a target holding other data is refused "
      "(docs/storage.md, \"Moving to PostgreSQL\").");
  migrate->add_option("--from", options->from, "Source database URL (sqlite:PATH)")->required();
  migrate->add_option("--to", options->to, "Target database URL (postgresql://USER@HOST:PORT/DATABASE)")->required();
  migrate->add_option("--batch", options->batch, "Rows per target transaction")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  migrate->callback([options, exit_code] { *exit_code = Migrate(*options); });
}

}  // namespace dv::cli
