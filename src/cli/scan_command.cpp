// SPDX-License-Identifier: Apache-2.0
// `dannevirke scan`: Sigma rules and indicators over log files, offline.
//
// The calling thread reads and parses the logs (LogSource) into batches of
// events; worker threads, one EngineStream each, evaluate them. Alerts are
// collected with the event's sequence number, then correlations run over the
// time-ordered base matches, and everything is printed as a timeline or as
// JSON lines. Memory is bounded by the queue of batches plus the alerts.

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.h"
#include "cli/common.h"
#include "detect/correlation.h"
#include "detect/engine.h"
#include "ingest/log_source.h"

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
};

struct Batch {
  std::vector<Event> events;
  std::size_t count = 0;
  std::uint64_t first_seq = 0;
};

struct Found {
  std::uint64_t seq = 0;
  detect::Alert alert;
};

struct FoundBase {
  std::uint64_t seq = 0;
  detect::BaseMatch match;
};

// A bounded queue of batches between the reader and the workers.
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}
  void Push(std::unique_ptr<Batch> batch) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  std::unique_ptr<Batch> Pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || closed_; });
    if (queue_.empty()) return nullptr;
    auto batch = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return batch;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }
  // Finished batches come back for reuse, so their events keep their memory.
  void Recycle(std::unique_ptr<Batch> batch) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(batch));
  }
  std::unique_ptr<Batch> Fresh(std::size_t size) {
    std::lock_guard lock(mutex_);
    if (!free_.empty()) {
      auto batch = std::move(free_.back());
      free_.pop_back();
      batch->count = 0;
      return batch;
    }
    auto batch = std::make_unique<Batch>();
    batch->events.resize(size);
    return batch;
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::unique_ptr<Batch>> queue_;
  std::vector<std::unique_ptr<Batch>> free_;
  bool closed_ = false;
};

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
  sigma::RuleSetOptions set_options;
  set_options.mapping = mapping->get();
  set_options.placeholders = std::move(placeholders).value();
  sigma::RuleSetReport rule_report;
  auto rules = sigma::RuleSet::Load(options.rules, set_options, rule_report);
  if (!options.quiet) {
    std::cerr << "Rules: " << rule_report.detection_rules << " detection, " << rule_report.correlation_rules
              << " correlation, " << rule_report.filters << " filters";
    if (rule_report.errors() > 0) {
      std::cerr << "; " << rule_report.errors() << " unusable (see `dannevirke sigma check`)";
    }
    std::cerr << ".\n";
  }

  // Indicators.
  std::shared_ptr<const IndicatorIndex> index;
  if (!options.indicators.empty()) {
    std::vector<Indicator> all;
    LoadReport indicator_report;
    LoadOptions load_options;
    load_options.match_subdomains = options.subdomains;
    for (const auto& path : options.indicators) {
      auto loaded = LoadIndicatorFile(path, load_options, &indicator_report);
      if (!loaded.ok()) {
        std::cerr << "dannevirke: " << loaded.error().ToString() << "\n";
        return 1;
      }
      std::move(loaded->begin(), loaded->end(), std::back_inserter(all));
    }
    auto fields = FieldTable::Default();
    if (!fields.ok()) {
      std::cerr << "dannevirke: " << fields.error().ToString() << "\n";
      return 1;
    }
    auto built = IndicatorIndex::Build(std::move(all), *fields, &indicator_report);
    if (!built.ok()) {
      std::cerr << "dannevirke: " << built.error().ToString() << "\n";
      return 1;
    }
    index = std::make_shared<const IndicatorIndex>(std::move(built).value());
    if (!options.quiet) {
      std::cerr << "Indicators: " << indicator_report.loaded << " loaded, " << indicator_report.rejected
                << " rejected, " << indicator_report.unsupported << " not matchable.\n";
      for (std::size_t problem_idx = 0; problem_idx < std::min<std::size_t>(5, indicator_report.rejections.size());
           ++problem_idx) {
        std::cerr << "  " << indicator_report.rejections[problem_idx].place << ": "
                  << indicator_report.rejections[problem_idx].message << "\n";
      }
    }
  }
  auto engine = detect::Engine::Build(rules, index);
  if (!engine.ok()) {
    std::cerr << "dannevirke: " << engine.error().ToString() << "\n";
    return 1;
  }

  // Workers.
  const int worker_count =
      options.threads > 0 ? options.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  constexpr std::size_t kBatchSize = 512;
  BatchQueue queue(static_cast<std::size_t>(worker_count) * 4);
  std::mutex results_mutex;
  std::vector<Found> alerts;
  std::vector<FoundBase> bases;
  std::vector<std::thread> workers;
  for (int worker_idx = 0; worker_idx < worker_count; ++worker_idx) {
    workers.emplace_back([&] {
      detect::EngineStream stream(*engine);
      std::vector<Found> local_alerts;
      std::vector<FoundBase> local_bases;
      while (auto batch = queue.Pop()) {
        for (std::size_t event_idx = 0; event_idx < batch->count; ++event_idx) {
          const std::uint64_t seq = batch->first_seq + event_idx;
          stream.Process(
              batch->events[event_idx],
              [&](const detect::Alert& alert) {
                local_alerts.push_back({seq, alert});
              },
              [&](detect::BaseMatch&& match) {
                local_bases.push_back({seq, std::move(match)});
              });
        }
        queue.Recycle(std::move(batch));
      }
      std::lock_guard lock(results_mutex);
      std::move(local_alerts.begin(), local_alerts.end(), std::back_inserter(alerts));
      std::move(local_bases.begin(), local_bases.end(), std::back_inserter(bases));
    });
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
  LogSource source(ingest_options);
  std::unique_ptr<Batch> batch = queue.Fresh(kBatchSize);
  std::uint64_t seq = 0;
  const Status read = source.Read(options.logs, [&](const Event& event) {
    if (batch->count == 0) batch->first_seq = seq;
    batch->events[batch->count++].CopyFrom(event);
    ++seq;
    if (batch->count == kBatchSize) {
      queue.Push(std::move(batch));
      batch = queue.Fresh(kBatchSize);
    }
  });
  if (batch->count > 0) queue.Push(std::move(batch));
  queue.Close();
  for (auto& worker : workers) worker.join();
  if (progress) std::fprintf(stderr, "\r%60s\r", "");
  (void)last_done;

  // Correlations over the time-ordered base matches.
  std::sort(bases.begin(), bases.end(), [](const FoundBase& a, const FoundBase& b) {
    return a.match.time != b.match.time ? a.match.time < b.match.time : a.seq < b.seq;
  });
  detect::CorrelationEngine correlations(*engine);
  for (const auto& base : bases) {
    correlations.Add(base.match, [&](const detect::Alert& alert) { alerts.push_back({base.seq, alert}); });
  }

  // Output.
  std::stable_sort(alerts.begin(), alerts.end(), [](const Found& a, const Found& b) {
    if (a.alert.time.has_value() != b.alert.time.has_value()) return a.alert.time.has_value();
    if (a.alert.time && *a.alert.time != *b.alert.time) return *a.alert.time < *b.alert.time;
    return a.seq < b.seq;
  });
  std::map<std::pair<std::string, std::string>, std::pair<sigma::Level, std::uint64_t>> per_rule;
  std::map<sigma::Level, std::uint64_t> per_level;
  std::uint64_t shown = 0;
  for (const auto& found : alerts) {
    if (found.alert.level < *min_level) continue;
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
  }
  std::cout << std::flush;

  const IngestStats& stats = source.stats();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!options.no_summary) {
    std::ostream& out = std::cerr;
    out << "\nSummary: " << shown << " alerts from " << stats.events << " events in " << stats.files << " files ("
        << std::fixed << std::setprecision(1) << static_cast<double>(stats.bytes) / 1e6 << " MB) in " << seconds
        << " s (" << std::setprecision(0) << static_cast<double>(stats.events) / std::max(seconds, 1e-9)
        << " events/s, " << worker_count << " worker threads).\n";
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
  scan->callback([options, exit_code] { *exit_code = Scan(*options); });
}

}  // namespace dv::cli
