// SPDX-License-Identifier: Apache-2.0
// Detection benchmark: the full SigmaHQ Windows rule set over a generated
// Windows corpus (bench/corpus: Winlogbeat/ECS and flat JSON lines, a known
// number of planted malicious events) and over the EVTX samples, measured in
// one run on the same data:
//   - rule load + compile time (RuleSet::Load, Engine::Build);
//   - end to end (LogSource parse + Scanner::Process) on one thread, and as
//     `dannevirke scan` runs it (Scanner::Run: a reader thread, batches, 1 or
//     2 workers);
//   - match only (pre-parsed events in memory) on 1 and 2 threads, with the
//     prefilter and with routing only (EngineOptions{.prefilter = false});
//   - the one-rule-at-a-time baseline (EvaluateNaively) on a sample, with a
//     differential check of all three evaluations on that sample;
//   - peak RSS (VmHWM, reset through /proc/self/clear_refs before each run)
//     for the corpus read once and read --growth times.
// Planted events are checked against the rule each was built for. Peer
// figures are quoted from their publications, not measured here.
//
// Usage: dv_detect_bench [--events N | --size-mb M] [--rules PATH] [--evtx DIR]
//                        [--sample N] [--naive-sample N] [--growth K] [--keep]
// Exits 0 without measuring when the rules are absent.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "corpus/windows_corpus.h"
#include "detect/engine.h"
#include "detect/pipeline.h"
#include "ingest/log_source.h"
#include "sigma/rule_set.h"

namespace {

namespace fs = std::filesystem;
using dv::Event;
using dv::detect::Engine;
using dv::detect::EngineStream;
using EnginePtr = std::shared_ptr<const Engine>;

struct Options {
  std::uint64_t events = 400'000;
  std::uint64_t size_mb = 0;
  std::string rules = DV_SHARED_DIR "/sigma/rules/windows";
  std::string evtx = DV_SHARED_DIR "/evtx";
  std::uint64_t sample = 200'000;
  std::uint64_t naive_sample = 20'000;
  int growth = 4;
  bool keep = false;
  std::string profile;  // "engine" or "routing": match only, nothing else (for perf)
  int profile_threads = 1;
};

// The 1, 5 and 15 minute load averages, to judge whether other work shared the cores.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

long PeakRssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// One measured run.
struct Figures {
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;  // 0: not applicable (pre-parsed events)
  std::uint64_t alerts = 0;
  double seconds = 0;
  long peak_rss_kib = -1;
  std::uint64_t bad_records = 0;
  double events_per_second() const { return static_cast<double>(events) / std::max(seconds, 1e-9); }
  double mb_per_second() const { return static_cast<double>(bytes) / 1e6 / std::max(seconds, 1e-9); }
};

// Called with each event's position in reading order and the Sigma rules
// whose conditions held on it (for the planted-event check).
using Observer = std::function<void(std::uint64_t, const std::vector<std::uint32_t>&)>;

// Parse and match on the calling thread, one event at a time (the
// pipeline's live mode, as the sensor runs it).
Figures RunSerial(const EnginePtr& engine, const std::vector<std::string>& paths, const Observer& observe) {
  ResetPeakRss();
  Figures figures;
  dv::detect::Scanner scanner(engine);
  Event work;
  std::uint64_t position = 0;
  dv::LogSource source;
  const auto on_alert = [&](const dv::detect::Alert&) { ++figures.alerts; };
  const auto start = std::chrono::steady_clock::now();
  (void)source.Read(paths, [&](const Event& event) {
    work = event;
    scanner.Process(work, on_alert);
    if (observe) observe(position, scanner.last_matches());
    ++position;
  });
  figures.seconds = Seconds(start);
  figures.events = source.stats().events;
  figures.bytes = source.stats().bytes;
  figures.bad_records = source.stats().bad_records();
  figures.peak_rss_kib = PeakRssKiB();
  return figures;
}

// The scan pipeline (Scanner::Run): this thread reads and parses into
// batches of events, a bounded queue hands them to `workers` threads with one
// EngineStream each. Alerts are counted as found, not held for a timeline.
Figures RunPipeline(const EnginePtr& engine, const std::vector<std::string>& paths, int workers) {
  ResetPeakRss();
  Figures figures;
  dv::LogSource source;
  dv::detect::ScanOptions options;
  options.threads = workers;
  options.order = dv::detect::AlertOrder::kAsFound;
  const auto start = std::chrono::steady_clock::now();
  const dv::detect::ScanSummary summary =
      dv::detect::Scanner(engine).Run(dv::detect::ReadLogs(source, paths), options, nullptr);
  figures.seconds = Seconds(start);
  figures.events = source.stats().events;
  figures.bytes = source.stats().bytes;
  figures.bad_records = source.stats().bad_records();
  figures.alerts = summary.alerts;
  figures.peak_rss_kib = PeakRssKiB();
  return figures;
}

// A compact copy: the reader's Event keeps spare fields from longer records.
Event Compact(const Event& event) {
  Event copy;
  for (const auto& field : event.fields()) {
    if (field.is_null) {
      copy.AddNull(field.name);
    } else {
      copy.Add(field.name, field.value);
    }
  }
  copy.time = event.time;
  copy.origin = event.origin;
  return copy;
}

// Match only: each thread takes a contiguous share of `events`, copies each
// into a reused Event (no allocation once warm; Process adds taxonomy
// aliases to the event it is given) and processes it.
Figures RunMatchOnly(const EnginePtr& engine, const std::vector<Event>& events, int threads) {
  std::atomic<std::uint64_t> alerts{0};
  Figures figures;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  const std::size_t share = (events.size() + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
  for (int thread_idx = 0; thread_idx < threads; ++thread_idx) {
    workers.emplace_back([&, thread_idx] {
      EngineStream stream(engine);
      Event work;
      std::uint64_t local_alerts = 0;
      const auto on_alert = [&](const dv::detect::Alert&) { ++local_alerts; };
      const std::size_t begin = std::min(events.size(), share * static_cast<std::size_t>(thread_idx));
      const std::size_t end = std::min(events.size(), begin + share);
      for (std::size_t event_idx = begin; event_idx < end; ++event_idx) {
        work = events[event_idx];
        stream.Process(work, on_alert, nullptr);
      }
      alerts += local_alerts;
    });
  }
  for (auto& worker : workers) worker.join();
  figures.seconds = Seconds(start);
  figures.events = events.size();
  figures.alerts = alerts;
  return figures;
}

double CopyOnlySeconds(const std::vector<Event>& events) {
  const auto start = std::chrono::steady_clock::now();
  Event work;
  std::uint64_t fields = 0;
  for (const Event& event : events) {
    work = event;
    fields += work.size();
  }
  const double seconds = Seconds(start);
  if (fields == 0) std::fprintf(stderr, "no fields copied\n");
  return seconds;
}

std::vector<std::string> EvtxFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(dir, error); !error && it != fs::recursive_directory_iterator();
       it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".evtx") files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Row {
  std::string what;
  std::string threads;
  Figures figures;
};

void PrintTable(const std::vector<Row>& rows) {
  std::printf("| %-52s | %-9s | %10s | %9s | %11s | %8s | %8s | %8s |\n", "measured here", "threads", "events",
              "seconds", "events/s", "MB/s", "alerts", "peak MiB");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(54, '-').c_str(), std::string(11, '-').c_str(),
              std::string(12, '-').c_str(), std::string(11, '-').c_str(), std::string(13, '-').c_str(),
              std::string(10, '-').c_str(), std::string(10, '-').c_str(), std::string(10, '-').c_str());
  for (const Row& row : rows) {
    const Figures& f = row.figures;
    char mbs[32] = "-";
    if (f.bytes > 0) std::snprintf(mbs, sizeof mbs, "%.1f", f.mb_per_second());
    char peak[32] = "-";
    if (f.peak_rss_kib >= 0) std::snprintf(peak, sizeof peak, "%.0f", static_cast<double>(f.peak_rss_kib) / 1024.0);
    std::printf("| %-52s | %-9s | %10llu | %9.2f | %11.0f | %8s | %8llu | %8s |\n", row.what.c_str(),
                row.threads.c_str(), static_cast<unsigned long long>(f.events), f.seconds, f.events_per_second(), mbs,
                static_cast<unsigned long long>(f.alerts), peak);
  }
}

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    const std::string arg = argv[arg_idx];
    auto value = [&]() -> const char* { return arg_idx + 1 < argc ? argv[++arg_idx] : nullptr; };
    const char* next = nullptr;
    if (arg == "--keep") {
      options.keep = true;
      continue;
    }
    next = value();
    if (next == nullptr) return false;
    if (arg == "--events") {
      options.events = std::strtoull(next, nullptr, 10);
      options.size_mb = 0;
    } else if (arg == "--size-mb") {
      options.size_mb = std::strtoull(next, nullptr, 10);
      options.events = 0;
    } else if (arg == "--rules") {
      options.rules = next;
    } else if (arg == "--evtx") {
      options.evtx = next;
    } else if (arg == "--sample") {
      options.sample = std::strtoull(next, nullptr, 10);
    } else if (arg == "--naive-sample") {
      options.naive_sample = std::strtoull(next, nullptr, 10);
    } else if (arg == "--profile-threads") {
      options.profile_threads = std::max(1, std::atoi(next));
    } else if (arg == "--profile") {
      options.profile = next;
    } else if (arg == "--growth") {
      options.growth = std::max(2, std::atoi(next));
    } else {
      return false;
    }
  }
  return options.events > 0 || options.size_mb > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: dv_detect_bench [--events N | --size-mb M] [--rules PATH] [--evtx DIR] [--sample N]\n"
                 "                       [--naive-sample N] [--growth K] [--keep]\n");
    return 2;
  }
  std::error_code exists_error;
  if (!fs::exists(options.rules, exists_error)) {
    std::printf("dv_detect_bench: no Sigma rules at %s; skipped (give --rules PATH)\n", options.rules.c_str());
    return 0;
  }
  const std::time_t now = std::time(nullptr);
  char today[32];
  std::strftime(today, sizeof today, "%Y-%m-%d", std::gmtime(&now));
  std::printf("dv_detect_bench, %s, %u hardware threads, load average at start: %s\n", today,
              std::thread::hardware_concurrency(), LoadAverage().c_str());

  // Corpus.
  std::string pattern = (fs::temp_directory_path() / "dv-detect-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path dir = pattern;
  dv::bench::CorpusOptions corpus_options;
  corpus_options.events = options.events;
  corpus_options.bytes = options.size_mb * 1'000'000;
  auto generate_start = std::chrono::steady_clock::now();
  auto generated = dv::bench::WriteWindowsCorpus(dir, corpus_options);
  if (!generated.ok()) {
    std::fprintf(stderr, "dv_detect_bench: %s\n", generated.error().ToString().c_str());
    return 1;
  }
  const dv::bench::Corpus& corpus = *generated;
  std::printf("Corpus (seed %llu) in %s, generated in %.1f s: %llu events, %.1f MB, %zu planted\n",
              static_cast<unsigned long long>(dv::bench::kCorpusSeed), dir.c_str(), Seconds(generate_start),
              static_cast<unsigned long long>(corpus.events), static_cast<double>(corpus.bytes) / 1e6,
              corpus.planted.size());
  std::vector<std::string> paths;
  for (const auto& file : corpus.files) {
    std::printf("  %-20s %-16s %9llu events %8.1f MB\n", fs::path(file.path).filename().c_str(), file.format.c_str(),
                static_cast<unsigned long long>(file.events), static_cast<double>(file.bytes) / 1e6);
    paths.push_back(file.path);
  }

  // Rules.
  dv::sigma::RuleSetReport report;
  auto load_start = std::chrono::steady_clock::now();
  auto rules = dv::sigma::RuleSet::Load({options.rules}, {}, report);
  const double load_seconds = Seconds(load_start);
  // The engines over the loaded set, so that building is timed apart from loading.
  auto build = [&](bool prefilter) {
    dv::detect::EngineSources sources;
    sources.rule_set = rules;
    sources.engine_options.prefilter = prefilter;
    dv::detect::EngineLoadReport build_report;
    return dv::detect::BuildEngine(std::move(sources), build_report);
  };
  auto build_start = std::chrono::steady_clock::now();
  auto built = build(true);
  const double build_seconds = Seconds(build_start);
  build_start = std::chrono::steady_clock::now();
  auto built_routing = build(false);
  const double build_routing_seconds = Seconds(build_start);
  if (!built.ok() || !built_routing.ok()) {
    std::fprintf(stderr, "dv_detect_bench: %s\n",
                 (built.ok() ? built_routing.error() : built.error()).ToString().c_str());
    return 1;
  }
  const EnginePtr engine = *built;
  const EnginePtr routing = *built_routing;
  const long rules_rss_kib = PeakRssKiB();
  std::printf(
      "\nRules %s: %d documents, %d detection rules compiled, %d unusable, %d filters; load+compile %.2f s, "
      "Engine::Build %.2f s (%zu prefilter literals, %zu rules without one), routing-only build %.2f s; "
      "peak RSS so far %.0f MiB\n\n",
      options.rules.c_str(), report.documents, report.detection_rules, report.errors(), report.filters, load_seconds,
      build_seconds, engine->prefilter_literals(), engine->unfiltered_rules(), build_routing_seconds,
      static_cast<double>(rules_rss_kib) / 1024.0);

  // Planted events: the rule each kind must fire.
  const auto kinds = dv::bench::PlantedKinds();
  std::vector<std::int64_t> kind_rule(kinds.size(), -1);
  for (std::size_t kind_idx = 0; kind_idx < kinds.size(); ++kind_idx) {
    const auto indexes = rules->FindRuleIndexes(kinds[kind_idx].rule_id);
    if (!indexes.empty()) kind_rule[kind_idx] = indexes.front();
  }
  std::vector<std::uint64_t> planted_count(kinds.size(), 0);
  std::vector<std::uint64_t> planted_found(kinds.size(), 0);
  std::vector<std::uint64_t> rule_hits_elsewhere(kinds.size(), 0);
  std::size_t next_planted = 0;
  const Observer observe = [&](std::uint64_t position, const std::vector<std::uint32_t>& matches) {
    const bool planted = next_planted < corpus.planted.size() && corpus.planted[next_planted].index == position;
    for (std::size_t kind_idx = 0; kind_idx < kinds.size(); ++kind_idx) {
      if (kind_rule[kind_idx] < 0) continue;
      const bool hit =
          std::find(matches.begin(), matches.end(), static_cast<std::uint32_t>(kind_rule[kind_idx])) != matches.end();
      if (planted && corpus.planted[next_planted].kind == kind_idx) {
        ++planted_count[kind_idx];
        if (hit) ++planted_found[kind_idx];
      } else if (hit) {
        ++rule_hits_elsewhere[kind_idx];
      }
    }
    if (planted) ++next_planted;
  };

  std::vector<Row> rows;
  const std::string corpus_label = "JSON lines, " + std::to_string(corpus.events / 1000) + "k events";

  // End to end on the generated corpus.
  Figures once;
  Figures grown_figures;
  if (options.profile.empty()) {
    std::fprintf(stderr, "end to end...\n");
    rows.push_back({"e2e " + corpus_label + ", prefilter", "1", RunSerial(engine, paths, observe)});
    rows.push_back({"e2e " + corpus_label + ", prefilter (scan pipeline)", "1+1", RunPipeline(engine, paths, 1)});
    rows.push_back({"e2e " + corpus_label + ", prefilter (scan pipeline)", "1+2", RunPipeline(engine, paths, 2)});
    once = rows.back().figures;
    std::vector<std::string> grown;
    for (int copy_idx = 0; copy_idx < options.growth; ++copy_idx) grown.insert(grown.end(), paths.begin(), paths.end());
    rows.push_back({"e2e same corpus read " + std::to_string(options.growth) + "x (memory check)", "1+2",
                    RunPipeline(engine, grown, 2)});
    grown_figures = rows.back().figures;
    rows.push_back({"e2e " + corpus_label + ", routing only", "1+2", RunPipeline(routing, paths, 2)});
  }

  // EVTX end to end.
  const std::vector<std::string> evtx_files = EvtxFiles(options.evtx);
  if (!evtx_files.empty() && options.profile.empty()) {
    std::fprintf(stderr, "evtx...\n");
    const std::string label = "e2e EVTX, " + std::to_string(evtx_files.size()) + " files, prefilter";
    rows.push_back({label, "1", RunSerial(engine, evtx_files, nullptr)});
    rows.push_back({label + " (scan pipeline)", "1+2", RunPipeline(engine, evtx_files, 2)});
    // As `dannevirke scan` runs it from start to end: the rules loaded
    // (parsed, or decoded from the cache a previous run left) and compiled,
    // the engine built (its prefilter compiled, or read from the cache), then
    // the scan.
    const fs::path cache = dir / "cache";
    for (int run = 0; run < 2; ++run) {  // the first fills the cache
      const auto start = std::chrono::steady_clock::now();
      dv::sigma::RuleSetReport load_report;
      dv::detect::EngineSources sources;
      dv::sigma::RuleSetOptions rule_options;
      rule_options.cache_dir = (cache / "rules").string();
      sources.rule_set = dv::sigma::RuleSet::Load({options.rules}, rule_options, load_report);
      sources.engine_options.prefilter_cache_dir = (cache / "prefilter").string();
      dv::detect::EngineLoadReport build_report;
      auto loaded = dv::detect::BuildEngine(std::move(sources), build_report);
      if (!loaded.ok()) continue;
      Figures figures = RunPipeline(*loaded, evtx_files, 2);
      figures.seconds = Seconds(start);
      rows.push_back({"e2e EVTX incl. rule load + build, " + std::string((*loaded)->prefilter_from_cache()
                                                                             ? "rules and prefilter from the cache"
                                                                             : "parsed and compiled (cache cold)"),
                      "1+2", figures});
    }
  }

  // Pre-parsed events.
  std::fprintf(stderr, "pre-parsing a sample...\n");
  std::vector<Event> sample;
  {
    dv::LogSource source;
    const std::uint64_t limit = std::min(options.sample, corpus.events);
    sample.reserve(limit);
    (void)source.Read(paths, [&](const Event& event) {
      if (sample.size() < limit) sample.push_back(Compact(event));
    });
  }
  const std::string sample_label = std::to_string(sample.size() / 1000) + "k pre-parsed events";
  if (!options.profile.empty()) {
    const EnginePtr& profiled = options.profile == "routing" ? routing : engine;
    const Figures figures = RunMatchOnly(profiled, sample, options.profile_threads);
    std::printf("profile %s: %llu events in %.2f s, %.0f events/s\n", options.profile.c_str(),
                static_cast<unsigned long long>(figures.events), figures.seconds, figures.events_per_second());
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return 0;
  }
  std::fprintf(stderr, "match only...\n");
  rows.push_back({"match only, " + sample_label + ", prefilter", "1", RunMatchOnly(engine, sample, 1)});
  rows.push_back({"match only, " + sample_label + ", prefilter", "2", RunMatchOnly(engine, sample, 2)});
  rows.push_back({"match only, " + sample_label + ", routing only", "1", RunMatchOnly(routing, sample, 1)});
  rows.push_back({"match only, " + sample_label + ", routing only", "2", RunMatchOnly(routing, sample, 2)});
  const double copy_seconds = CopyOnlySeconds(sample);

  // Baseline and differential check on the first events.
  std::fprintf(stderr, "one rule at a time...\n");
  std::vector<Event> naive_sample(
      sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(
                                           std::min(options.naive_sample, static_cast<std::uint64_t>(sample.size()))));
  Figures naive;
  {
    Event work;
    std::uint64_t matches = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const Event& event : naive_sample) {
      work = event;
      matches += dv::detect::EvaluateNaively(*rules, work).size();
    }
    naive.seconds = Seconds(start);
    naive.events = naive_sample.size();
    naive.alerts = matches;
  }
  rows.push_back(
      {"one rule at a time (EvaluateNaively), first " + std::to_string(naive.events / 1000) + "k", "1", naive});
  std::uint64_t disagreements = 0;
  std::uint64_t routing_disagreements = 0;
  std::uint64_t sampled_matches = 0;
  {
    EngineStream stream(engine);
    EngineStream routing_stream(routing);
    for (const Event& event : naive_sample) {
      Event for_engine = event;
      Event for_routing = event;
      Event for_naive = event;
      stream.Process(for_engine, nullptr, nullptr);
      routing_stream.Process(for_routing, nullptr, nullptr);
      auto expected = dv::detect::EvaluateNaively(*rules, for_naive);
      auto got = stream.last_matches();
      auto got_routing = routing_stream.last_matches();
      std::sort(expected.begin(), expected.end());
      std::sort(got.begin(), got.end());
      std::sort(got_routing.begin(), got_routing.end());
      sampled_matches += expected.size();
      if (got != expected) {
        if (disagreements < 5) std::fprintf(stderr, "disagreement at %s\n", event.origin.c_str());
        ++disagreements;
      }
      if (got_routing != expected) ++routing_disagreements;
    }
  }

  std::printf("Figures (threads \"1+N\": a reader thread that parses, N matching threads, as `dannevirke scan`):\n\n");
  PrintTable(rows);
  std::printf(
      "\nMatch only includes copying each event into a reused Event (%.2f s for the %zu events on one thread).\n",
      copy_seconds, sample.size());
  std::printf("Rule load + compile: %.2f s; Engine::Build: %.2f s; peak RSS with rules loaded: %.0f MiB.\n",
              load_seconds, build_seconds, static_cast<double>(rules_rss_kib) / 1024.0);
  std::printf(
      "Memory as input grows (scan pipeline, 2 workers): %.1f MB read -> peak %.0f MiB; %.1f MB read -> "
      "peak %.0f MiB.\n",
      static_cast<double>(once.bytes) / 1e6, static_cast<double>(once.peak_rss_kib) / 1024.0,
      static_cast<double>(grown_figures.bytes) / 1e6, static_cast<double>(grown_figures.peak_rss_kib) / 1024.0);
  std::uint64_t bad = 0;
  for (const Row& row : rows) bad += row.figures.bad_records;
  if (bad > 0) std::printf("WARNING: %llu bad records while reading\n", static_cast<unsigned long long>(bad));

  std::printf("Load average at the end: %s (other work on the machine slows the 2-thread runs).\n",
              LoadAverage().c_str());
  std::printf("\nPublished peer figures (NOT measured here; neither tool can be built on this machine):\n");
  std::printf("| %-52s | %-36s |\n", "tool (published)", "figure");
  std::printf("|%s|%s|\n", std::string(54, '-').c_str(), std::string(38, '-').c_str());
  std::printf("| %-52s | %-36s |\n", "Hayabusa, 3,633 rules, EVTX, laptop (published)",
              "about 16 MB/s, 12,800 events/s");
  std::printf("| %-52s | %-36s |\n", "Zircolite, EVTX, one core (published)", "about 17 MB/s");

  std::printf("\nPlanted events (each built for one SigmaHQ rule), checked in the 1-thread end-to-end run:\n");
  std::printf("| %-24s | %-15s | %-36s | %7s | %5s | %20s |\n", "kind", "source", "rule id", "planted", "found",
              "rule hits elsewhere");
  std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(26, '-').c_str(), std::string(17, '-').c_str(),
              std::string(38, '-').c_str(), std::string(9, '-').c_str(), std::string(7, '-').c_str(),
              std::string(22, '-').c_str());
  std::uint64_t total_planted = 0;
  std::uint64_t total_found = 0;
  for (std::size_t kind_idx = 0; kind_idx < kinds.size(); ++kind_idx) {
    const std::string rule_id = kind_rule[kind_idx] < 0 ? std::string(kinds[kind_idx].rule_id) + " (not loaded)"
                                                        : std::string(kinds[kind_idx].rule_id);
    std::printf("| %-24s | %-15s | %-36s | %7llu | %5llu | %20llu |\n", std::string(kinds[kind_idx].name).c_str(),
                std::string(kinds[kind_idx].source).c_str(), rule_id.c_str(),
                static_cast<unsigned long long>(planted_count[kind_idx]),
                static_cast<unsigned long long>(planted_found[kind_idx]),
                static_cast<unsigned long long>(rule_hits_elsewhere[kind_idx]));
    total_planted += planted_count[kind_idx];
    total_found += planted_found[kind_idx];
  }
  std::printf("Planted %llu (generator says %zu), found %llu.\n", static_cast<unsigned long long>(total_planted),
              corpus.planted.size(), static_cast<unsigned long long>(total_found));
  std::printf(
      "Differential check on the first %zu events (%llu rule matches): prefilter engine vs one rule at a time: "
      "%llu disagreements; routing-only engine vs one rule at a time: %llu disagreements.\n",
      naive_sample.size(), static_cast<unsigned long long>(sampled_matches),
      static_cast<unsigned long long>(disagreements), static_cast<unsigned long long>(routing_disagreements));

  if (options.keep) {
    std::printf("\nCorpus kept in %s\n", dir.c_str());
  } else {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  return disagreements == 0 && routing_disagreements == 0 && total_found == total_planted ? 0 : 1;
}
