// SPDX-License-Identifier: Apache-2.0
// `dannevirke scan`: Sigma rules and indicators over log files, offline.
//
// The engine is built and run by the detection pipeline (detect/pipeline.h):
// the calling thread reads and parses the logs (LogSource), worker threads
// match, correlations run over the time-ordered base matches, and the alerts
// come back as a timeline, printed here as text or as JSON lines.

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "detect/pipeline.h"

namespace dv::cli {
namespace {

struct ScanOptions {
  std::vector<std::string> rules;
  std::vector<std::string> indicators;
  std::vector<std::string> logs;
  std::string mapping;
  std::string placeholders;
  std::string min_level = "informational";
  int threads = 0;
  bool json = false;
  bool subdomains = false;
  bool no_summary = false;
  bool quiet = false;
  bool fail_on_match = false;
  std::string cache;  // empty: the default (DefaultCacheDir)
  bool no_cache = false;
};

// $XDG_CACHE_HOME/dannevirke, else ~/.cache/dannevirke; empty when neither is set.
std::string DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/dannevirke";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return std::string(home) + "/.cache/dannevirke";
  }
  return {};
}

std::string FormatTime(const std::optional<Timestamp>& time) { return time ? time->ToRfc3339() : std::string(24, '-'); }

nlohmann::json AlertJson(const detect::Alert& alert) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, value] : alert.fields) fields[name] = value;
  nlohmann::json out = {{"time", alert.time ? nlohmann::json(alert.time->ToRfc3339()) : nlohmann::json()},
                        {"host", alert.host},
                        {"kind", detect::AlertKindName(alert.kind)},
                        {"rule_id", alert.rule_id},
                        {"title", alert.title},
                        {"level", sigma::LevelName(alert.level)},
                        {"origin", alert.origin},
                        {"fields", fields}};
  if (!alert.tags.empty()) out["tags"] = alert.tags;
  if (alert.kind == detect::AlertKind::kCorrelation) out["events"] = alert.event_count;
  return out;
}

void PrintTimelineLine(const detect::Alert& alert) {
  std::string line = FormatTime(alert.time) + "  ";
  std::string host = alert.host.empty() ? "-" : alert.host;
  if (host.size() > 20) host = host.substr(0, 19) + "~";
  line += host + std::string(21 - std::min<std::size_t>(host.size(), 20), ' ');
  std::string level(sigma::LevelName(alert.level));
  line += level + std::string(14 - level.size(), ' ');
  line += alert.title;
  if (alert.kind == detect::AlertKind::kCorrelation) line += " [" + std::to_string(alert.event_count) + " events]";
  std::cout << line << "\n";
  for (const auto& [name, value] : alert.fields) std::cout << "      " << name << ": " << value << "\n";
}

Result<sigma::Placeholders> LoadPlaceholders(const std::string& path) {
  sigma::Placeholders placeholders;
  if (path.empty()) return placeholders;
  try {
    const YAML::Node doc = YAML::LoadFile(path);
    if (!doc.IsMap()) return Error::Parse(path + ": want a map of placeholder name to a list of values");
    for (const auto& entry : doc) {
      auto& values = placeholders[entry.first.Scalar()];
      if (entry.second.IsSequence()) {
        for (const auto& value : entry.second) values.push_back(value.Scalar());
      } else {
        values.push_back(entry.second.Scalar());
      }
    }
  } catch (const YAML::Exception& error) {
    return Error::Parse(path + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
  return placeholders;
}

int Scan(const ScanOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const bool progress = !options.quiet && ::isatty(STDERR_FILENO) != 0;
  const auto min_level = sigma::ParseLevel(options.min_level);
  if (!min_level) {
    std::cerr << "dannevirke: --min-level must be informational, low, medium, high or critical\n";
    return 2;
  }
  if (options.rules.empty() && options.indicators.empty()) {
    std::cerr << "dannevirke: give --rules, --indicators or both\n";
    return 2;
  }

  // Rules.
  auto mapping = LoadMappingFile(options.mapping);
  if (!mapping.ok()) return ReportError(mapping.error());
  auto placeholders = LoadPlaceholders(options.placeholders);
  if (!placeholders.ok()) {
    std::cerr << "dannevirke: " << placeholders.error().ToString() << "\n";
    return 1;
  }
  detect::EngineSources sources;
  sources.rule_paths = options.rules;
  sources.rule_options.mapping = mapping->get();
  sources.rule_options.placeholders = std::move(placeholders).value();
  sources.indicator_paths = options.indicators;
  sources.indicator_options.match_subdomains = options.subdomains;
  if (!options.no_cache) {
    const std::string cache = options.cache.empty() ? DefaultCacheDir() : options.cache;
    if (!cache.empty()) {
      sources.engine_options.prefilter_cache_dir = cache + "/prefilter";
      sources.rule_options.cache_dir = cache + "/rules";
    }
  }
  detect::EngineLoadReport load_report;
  auto engine = detect::BuildEngine(std::move(sources), load_report);
  const sigma::RuleSetReport& rule_report = load_report.rules;
  if (!options.quiet) {
    std::cerr << "Rules: " << rule_report.detection_rules << " detection, " << rule_report.correlation_rules
              << " correlation, " << rule_report.filters << " filters";
    if (rule_report.errors() > 0) {
      std::cerr << "; " << rule_report.errors() << " unusable (see `dannevirke sigma check`)";
    }
    std::cerr << ".\n";
  }
  if (!engine.ok()) {
    std::cerr << "dannevirke: " << engine.error().ToString() << "\n";
    return 1;
  }
  if (!options.quiet && !options.indicators.empty()) {
    const LoadReport& indicator_report = load_report.indicators;
    std::cerr << "Indicators: " << indicator_report.loaded << " loaded, " << indicator_report.rejected << " rejected, "
              << indicator_report.unsupported << " not matchable.\n";
    for (std::size_t problem_idx = 0; problem_idx < std::min<std::size_t>(5, indicator_report.rejections.size());
         ++problem_idx) {
      std::cerr << "  " << indicator_report.rejections[problem_idx].place << ": "
                << indicator_report.rejections[problem_idx].message << "\n";
    }
  }

  // Reader (this thread).
  IngestOptions ingest_options;
  std::uint64_t last_done = 0;
  auto last_print = std::chrono::steady_clock::now();
  if (progress) {
    ingest_options.progress = [&](std::uint64_t done, std::uint64_t total) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_print < std::chrono::milliseconds(200) && done != total) return;
      last_print = now;
      last_done = done;
      const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
      const int filled = static_cast<int>(fraction * 30);
      std::fprintf(stderr, "\r[%s%s] %5.1f%%  %.1f MB", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(30 - filled), ' ').c_str(), fraction * 100.0,
                   static_cast<double>(done) / 1e6);
    };
  }
  // Output: the alerts come as a timeline once every log has been read.
  std::map<std::pair<std::string, std::string>, std::pair<sigma::Level, std::uint64_t>> per_rule;
  std::map<sigma::Level, std::uint64_t> per_level;
  std::uint64_t shown = 0;
  bool progress_cleared = !progress;
  auto clear_progress = [&] {
    if (!progress_cleared) std::fprintf(stderr, "\r%60s\r", "");
    progress_cleared = true;
  };
  auto print = [&](const detect::Detection& found) {
    clear_progress();
    if (found.alert.level < *min_level) return;
    ++shown;
    auto& entry = per_rule[{std::string(detect::AlertKindName(found.alert.kind)), found.alert.title}];
    entry.first = found.alert.level;
    ++entry.second;
    ++per_level[found.alert.level];
    if (options.json) {
      std::cout << AlertJson(found.alert).dump() << "\n";
    } else {
      PrintTimelineLine(found.alert);
    }
  };
  LogSource source(ingest_options);
  detect::ScanOptions scan_options;
  scan_options.threads = options.threads;
  const detect::ScanSummary scanned =
      detect::Scanner(*engine).Run(detect::ReadLogs(source, options.logs), scan_options, print);
  clear_progress();
  (void)last_done;
  const Status& read = scanned.read;
  const int worker_count = scanned.workers;
  std::cout << std::flush;

  const IngestStats& stats = source.stats();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!options.no_summary) {
    std::ostream& out = std::cerr;
    out << "\nSummary: " << shown << " alerts from " << stats.events << " events in " << stats.files << " files ("
        << std::fixed << std::setprecision(1) << static_cast<double>(stats.bytes) / 1e6 << " MB) in " << seconds
        << " s (" << std::setprecision(0) << static_cast<double>(stats.events) / std::max(seconds, 1e-9)
        << " events/s, " << worker_count << " worker threads).\n";
    if (stats.empty_json_objects > 0) {
      out << stats.empty_json_objects << " empty JSON objects ({}) in JSON arrays or documents gave no event.\n";
    }
    if (stats.bad_records() > 0 || stats.files_skipped > 0) {
      out << stats.bad_records() << " bad records and " << stats.files_skipped
          << " unreadable files were skipped; first problems:\n";
      for (std::size_t problem_idx = 0; problem_idx < std::min<std::size_t>(10, stats.problems.size()); ++problem_idx) {
        out << "  " << stats.problems[problem_idx].place << ": " << stats.problems[problem_idx].message << "\n";
      }
    }
    if (!per_rule.empty()) {
      std::vector<std::pair<std::pair<std::string, std::string>, std::pair<sigma::Level, std::uint64_t>>> rows(
          per_rule.begin(), per_rule.end());
      std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        if (a.second.first != b.second.first) return a.second.first > b.second.first;
        return a.second.second > b.second.second;
      });
      out << "\n  hits  level          kind         rule\n";
      for (const auto& [key, value] : rows) {
        char line[64];
        std::snprintf(line, sizeof line, "%6llu  %-13s  %-11s  ", static_cast<unsigned long long>(value.second),
                      std::string(sigma::LevelName(value.first)).c_str(), key.first.c_str());
        out << line << key.second << "\n";
      }
      out << "\n  by level:";
      for (auto level_it = per_level.rbegin(); level_it != per_level.rend(); ++level_it) {
        out << " " << sigma::LevelName(level_it->first) << " " << level_it->second;
      }
      out << "\n";
    }
  }
  if (!read.ok()) {
    std::cerr << "dannevirke: " << read.error().ToString() << "\n";
    return 1;
  }
  return options.fail_on_match && shown > 0 ? 3 : 0;
}

}  // namespace

void AddScanCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* scan = app.add_subcommand(
      "scan",
      "Run Sigma rules and indicators over log files offline: EVTX, JSON lines (Winlogbeat/ECS, Sysmon as JSON, plain "
      "JSON), syslog (RFC 5424 and 3164), CEF; files, folders (recursive), gzip and stdin (-). Prints a timeline (or "
      "JSON lines) on stdout and a summary on stderr. Exit codes: 0 done, 1 error, 2 bad usage, 3 alerts found "
      "with --fail-on-match.");
  scan->add_option("logs", options->logs, "Log files or folders; - reads stdin")->required();
  scan->add_option("--rules,-r", options->rules, "Sigma rule files or folders (repeatable)");
  scan->add_option("--indicators,-i", options->indicators,
                   "Indicator files: STIX 2.1 bundles or JSON lines, plain lists, CSV (repeatable)");
  scan->add_option("--mapping", options->mapping, "Field mapping file (default: the built-in one)");
  scan->add_option("--placeholders", options->placeholders, "YAML map of placeholder values for the expand modifier");
  scan->add_option("--min-level", options->min_level, "Only show alerts of this level or higher")
      ->capture_default_str();
  scan->add_option("--threads", options->threads, "Worker threads (default: one per core)");
  scan->add_flag("--json", options->json, "Print alerts as JSON lines");
  scan->add_flag("--subdomains", options->subdomains, "Domain indicators also match their subdomains");
  scan->add_flag("--no-summary", options->no_summary, "Do not print the summary");
  scan->add_flag("--quiet,-q", options->quiet, "No progress bar or load messages");
  scan->add_flag("--fail-on-match", options->fail_on_match, "Exit with 3 when any alert is shown");
  scan->add_option("--cache", options->cache,
                   "Keep the parsed rules and their compiled prefilter here between runs (default: "
                   "$XDG_CACHE_HOME/dannevirke or ~/.cache/dannevirke; created 0700, trust it as the rules)");
  scan->add_flag("--no-cache", options->no_cache, "Parse and compile the rules every run and keep nothing");
  scan->callback([options, exit_code] { *exit_code = Scan(*options); });
}

}  // namespace dv::cli
