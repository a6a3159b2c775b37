// SPDX-License-Identifier: Apache-2.0
// dv_scan_memory_bench: does `dannevirke scan` keep its memory flat as the
// input grows? Streams N generated wide, varied Windows events (flat
// NXLog-style JSON lines) through the path `scan` uses — LogSource (the JSON
// lines reader) → detect::Scanner::Run (a reader thread filling batches,
// worker threads matching) with the SigmaHQ Windows rules — for each N given,
// each N in a child process forked after the rules are compiled, and prints
// events/s, MB/s, alerts and the child's peak RSS (getrusage ru_maxrss).
//
// The events vary the way real ones do: 20 to 58 fields (Windows fields of
// eight kinds of Sysmon, Security and PowerShell events, a rendered Message,
// and 3 to 40 vendor fields drawn from 4,000 names), values of 1 byte to
// 2 KiB (log-uniform, so as many short as long ones), about 3.6 kB an event,
// and one event in 1,000 carrying a value of 32 KiB to 600 KiB (a script
// block, a payload). They are generated on the fly (SplitMix64, the same
// bytes every run), not written to disk, so 8 million events need no space;
// --dump N writes them instead, for `dannevirke scan`.
//
//   dv_scan_memory_bench [--events N[,N...]] [--rules PATH] [--threads N]
//                        [--order timeline|found] | --dump N
// Defaults: --events 1000000,4000000, the SigmaHQ Windows rules under
// DV_SHARED_DIR, one worker per hardware thread and the timeline order, as
// `dannevirke scan` runs. Exits 0 without measuring when the rules are absent.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "corpus/rng.h"
#include "detect/pipeline.h"
#include "ingest/log_source.h"
#include "sigma/rule_set.h"

namespace {

using dv::bench::Rng;

constexpr std::uint64_t kSeed = 20261207;
constexpr std::size_t kTextPool = std::size_t{1} << 20;  // random text values are cut from
constexpr std::size_t kVendorNames = 4000;
constexpr std::uint64_t kLongEvery = 1000;  // one event in this many has one very long value

struct Kind {
  int event_id;
  const char* channel;
  const char* source;
  std::array<const char*, 8> fields;  // the kind's own fields (values generated)
};

constexpr std::array<Kind, 8> kKinds = {{
    {1,
     "Microsoft-Windows-Sysmon/Operational",
     "Microsoft-Windows-Sysmon",
     {"Image", "CommandLine", "CurrentDirectory", "ParentImage", "ParentCommandLine", "Hashes", "IntegrityLevel",
      "OriginalFileName"}},
    {3,
     "Microsoft-Windows-Sysmon/Operational",
     "Microsoft-Windows-Sysmon",
     {"Image", "Protocol", "SourceIp", "SourcePort", "DestinationIp", "DestinationHostname", "DestinationPort",
      "Initiated"}},
    {7,
     "Microsoft-Windows-Sysmon/Operational",
     "Microsoft-Windows-Sysmon",
     {"Image", "ImageLoaded", "Hashes", "Signed", "Signature", "SignatureStatus", "Description", "Company"}},
    {11,
     "Microsoft-Windows-Sysmon/Operational",
     "Microsoft-Windows-Sysmon",
     {"Image", "TargetFilename", "CreationUtcTime", "User", "RuleName", "ProcessGuid", "ProcessId", "UtcTime"}},
    {13,
     "Microsoft-Windows-Sysmon/Operational",
     "Microsoft-Windows-Sysmon",
     {"Image", "TargetObject", "Details", "EventType", "User", "RuleName", "ProcessGuid", "ProcessId"}},
    {22,
     "Microsoft-Windows-Sysmon/Operational",
     "Microsoft-Windows-Sysmon",
     {"Image", "QueryName", "QueryStatus", "QueryResults", "User", "RuleName", "ProcessGuid", "ProcessId"}},
    {4624,
     "Security",
     "Microsoft-Windows-Security-Auditing",
     {"SubjectUserSid", "SubjectUserName", "TargetUserName", "TargetDomainName", "LogonType", "IpAddress",
      "WorkstationName", "LogonProcessName"}},
    {4104,
     "Microsoft-Windows-PowerShell/Operational",
     "Microsoft-Windows-PowerShell",
     {"ScriptBlockText", "ScriptBlockId", "Path", "MessageNumber", "MessageTotal", "UserID", "Domain", "AccountName"}},
}};

constexpr std::array<const char*, 6> kImages = {
    "C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe",
    "C:\\\\Program Files (x86)\\\\Microsoft\\\\Edge\\\\Application\\\\msedge.exe",
    "C:\\\\Program Files\\\\Microsoft Office\\\\root\\\\Office16\\\\OUTLOOK.EXE",
    "C:\\\\Program Files\\\\Microsoft Office\\\\root\\\\Office16\\\\WINWORD.EXE",
    "C:\\\\Users\\\\Public\\\\AppData\\\\Local\\\\Microsoft\\\\Teams\\\\current\\\\Teams.exe",
    "C:\\\\Program Files\\\\Notepad++\\\\notepad++.exe"};

// Generates the events one JSON line at a time and serves them as bytes.
class EventGenerator final : public dv::ByteSource {
 public:
  explicit EventGenerator(std::uint64_t events) : events_(events), rng_(kSeed) {
    // Text without JSON escapes: letters, digits and a few separators.
    static constexpr std::string_view kAlphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/=,;";
    Rng text_rng(kSeed + 1);
    pool_.resize(kTextPool);
    for (char& c : pool_) c = kAlphabet[text_rng.Below(kAlphabet.size())];
    vendor_names_.reserve(kVendorNames);
    static constexpr std::array<const char*, 8> kVendors = {"Acme",     "Contoso",   "Fabrikam", "Northwind",
                                                            "Tailspin", "Woodgrove", "Litware",  "Proseware"};
    static constexpr std::array<const char*, 10> kNouns = {"Score",  "Policy", "Verdict", "Tag",   "Session",
                                                           "Sensor", "Rule",   "Bucket",  "Label", "Context"};
    for (std::size_t name_idx = 0; name_idx < kVendorNames; ++name_idx) {
      vendor_names_.push_back(std::string(kVendors[name_idx % kVendors.size()]) + "." +
                              kNouns[(name_idx / kVendors.size()) % kNouns.size()] + std::to_string(name_idx));
    }
  }

  dv::Result<std::size_t> Read(char* buffer, std::size_t size) override {
    std::size_t given = 0;
    while (given < size) {
      if (at_ == line_.size()) {
        if (made_ == events_) break;
        NextLine();
      }
      const std::size_t take = std::min(size - given, line_.size() - at_);
      std::memcpy(buffer + given, line_.data() + at_, take);
      at_ += take;
      given += take;
    }
    consumed_ += given;
    return given;
  }
  std::uint64_t consumed() const override { return consumed_; }

 private:
  void Text(std::size_t length) {
    length = std::min(length, kTextPool);
    const std::size_t start = rng_.Below(kTextPool - length + 1);
    line_.append(pool_, start, length);
  }
  void Field(std::string_view name, std::size_t length) {
    line_ += ",\"";
    line_ += name;
    line_ += "\":\"";
    Text(length);
    line_ += '"';
  }

  void NextLine() {
    const Kind& kind = kKinds[rng_.Below(kKinds.size())];
    const std::uint64_t seconds = made_ / 50;
    char time[40];
    std::snprintf(time, sizeof time, "2026-12-%02llu %02llu:%02llu:%02llu",
                  static_cast<unsigned long long>(1 + (seconds / 86400) % 28),
                  static_cast<unsigned long long>((seconds / 3600) % 24),
                  static_cast<unsigned long long>((seconds / 60) % 60), static_cast<unsigned long long>(seconds % 60));
    line_.assign("{\"EventTime\":\"");
    line_ += time;
    line_ += "\",\"Hostname\":\"WS-";
    line_ += std::to_string(rng_.Below(500));
    line_ += ".kommune.local\",\"EventID\":";
    line_ += std::to_string(kind.event_id);
    line_ += ",\"Channel\":\"";
    line_ += kind.channel;
    line_ += "\",\"SourceName\":\"";
    line_ += kind.source;
    line_ += "\",\"RecordNumber\":";
    line_ += std::to_string(made_);
    line_ += ",\"SourceModuleName\":\"eventlog\",\"SourceModuleType\":\"im_msvistalog\",\"Image\":\"";
    line_ += kImages[rng_.Below(kImages.size())];
    line_ += '"';
    // The kind's own fields, of very different lengths.
    for (const char* name : kind.fields) {
      if (std::string_view(name) != "Image") Field(name, rng_.LogUniform(1, 1024));
    }
    // The rendered message, then vendor fields: 3 to 40 of the 4,000 names.
    Field("Message", rng_.LogUniform(16, 2048));
    const std::size_t extra = 3 + rng_.Below(38);
    for (std::size_t extra_idx = 0; extra_idx < extra; ++extra_idx) {
      Field(vendor_names_[rng_.Below(kVendorNames)], rng_.LogUniform(1, 256));
    }
    if (made_ % kLongEvery == kLongEvery / 2) Field("Payload", rng_.LogUniform(32 << 10, 600 << 10));
    line_ += "}\n";
    at_ = 0;
    ++made_;
  }

  std::uint64_t events_;
  std::uint64_t made_ = 0;
  std::uint64_t consumed_ = 0;
  Rng rng_;
  std::string pool_;
  std::vector<std::string> vendor_names_;
  std::string line_;
  std::size_t at_ = 0;
};

long RssKiB(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  }
  return -1;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

struct Options {
  std::vector<std::uint64_t> events = {1'000'000, 4'000'000};
  std::string rules = DV_SHARED_DIR "/sigma/rules/windows";
  int threads = 0;
  dv::detect::AlertOrder order = dv::detect::AlertOrder::kTimeline;
  std::uint64_t dump = 0;  // write this many events to stdout instead of measuring
};

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    const std::string arg = argv[arg_idx];
    const std::string value = argv[arg_idx + 1];
    if (arg == "--events") {
      options.events.clear();
      for (std::size_t start = 0; start <= value.size();) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        options.events.push_back(std::strtoull(value.substr(start, comma - start).c_str(), nullptr, 10));
        start = comma + 1;
      }
    } else if (arg == "--dump") {
      options.dump = std::strtoull(value.c_str(), nullptr, 10);
    } else if (arg == "--rules") {
      options.rules = value;
    } else if (arg == "--threads") {
      options.threads = std::atoi(value.c_str());
    } else if (arg == "--order" && (value == "timeline" || value == "found")) {
      options.order = value == "timeline" ? dv::detect::AlertOrder::kTimeline : dv::detect::AlertOrder::kAsFound;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !options.events.empty() &&
         std::none_of(options.events.begin(), options.events.end(), [](std::uint64_t n) { return n == 0; });
}

// One measured scan, in a child process; prints its row and exits.
[[noreturn]] void MeasureInChild(const std::shared_ptr<const dv::detect::Engine>& engine, std::uint64_t events,
                                 const Options& options) {
  const long start_rss = RssKiB("VmRSS:");
  EventGenerator generator(events);
  dv::LogSource source;
  dv::detect::ScanOptions scan_options;
  scan_options.threads = options.threads;
  scan_options.order = options.order;
  std::uint64_t delivered = 0;
  std::map<std::string, std::uint64_t> by_title;
  const auto start = std::chrono::steady_clock::now();
  const dv::detect::ScanSummary summary = dv::detect::Scanner(engine).Run(
      [&](const dv::detect::EventSink& sink) { return source.ReadStream(generator, "generated", sink); }, scan_options,
      [&](const dv::detect::Detection& found) {
        ++delivered;
        ++by_title[found.alert.title];
      });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const double megabytes = static_cast<double>(generator.consumed()) / 1e6;
  std::printf("| %10llu | %9.1f | %8.1f | %9.0f | %6.1f | %7llu | %7d | %9.0f | %13.0f |\n",
              static_cast<unsigned long long>(summary.events), megabytes, seconds,
              static_cast<double>(summary.events) / seconds, megabytes / seconds,
              static_cast<unsigned long long>(delivered), summary.workers, static_cast<double>(start_rss) / 1024.0,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::vector<std::pair<std::uint64_t, std::string>> top;
  for (const auto& [title, count] : by_title) top.emplace_back(count, title);
  std::sort(top.rbegin(), top.rend());
  for (std::size_t rank = 0; rank < std::min<std::size_t>(3, top.size()); ++rank) {
    std::fprintf(stderr, "  %llu alerts: %s\n", static_cast<unsigned long long>(top[rank].first),
                 top[rank].second.c_str());
  }
  if (source.stats().bad_records() > 0) {
    std::printf("  WARNING: %llu bad records\n", static_cast<unsigned long long>(source.stats().bad_records()));
  }
  std::fflush(stdout);
  std::_Exit(summary.events == events ? 0 : 1);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: dv_scan_memory_bench [--events N[,N...]] [--rules PATH] [--threads N] "
                 "[--order timeline|found] | --dump N\n");
    return 2;
  }
  if (options.dump > 0) {
    EventGenerator generator(options.dump);
    std::vector<char> buffer(1 << 20);
    while (true) {
      auto got = generator.Read(buffer.data(), buffer.size());
      if (!got.ok() || *got == 0) break;
      std::fwrite(buffer.data(), 1, *got, stdout);
    }
    return 0;
  }
  std::error_code exists_error;
  if (!std::filesystem::exists(options.rules, exists_error)) {
    std::printf("dv_scan_memory_bench: no Sigma rules at %s; skipped (give --rules PATH)\n", options.rules.c_str());
    return 0;
  }
  const std::time_t now = std::time(nullptr);
  char today[32];
  std::strftime(today, sizeof today, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  std::printf("dv_scan_memory_bench, %s, %u hardware threads, load average at start: %s\n", today,
              std::thread::hardware_concurrency(), LoadAverage().c_str());

  const auto load_start = std::chrono::steady_clock::now();
  dv::detect::EngineSources sources;
  sources.rule_paths = {options.rules};
  dv::detect::EngineLoadReport report;
  auto engine = dv::detect::BuildEngine(std::move(sources), report);
  if (!engine.ok()) {
    std::fprintf(stderr, "dv_scan_memory_bench: %s\n", engine.error().ToString().c_str());
    return 1;
  }
  std::printf("Rules %s: %d detection rules, %d unusable; loaded and compiled in %.2f s; RSS %.0f MiB\n",
              options.rules.c_str(), report.rules.detection_rules, report.rules.errors(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count(),
              static_cast<double>(RssKiB("VmRSS:")) / 1024.0);
  std::printf("Order: %s. Each row is a child process forked after compiling.\n\n",
              options.order == dv::detect::AlertOrder::kTimeline ? "timeline (as `dannevirke scan`)" : "as found");
  std::printf("| %10s | %9s | %8s | %9s | %6s | %7s | %7s | %9s | %13s |\n", "events", "MB", "seconds", "events/s",
              "MB/s", "alerts", "workers", "start MiB", "peak RSS MiB");
  std::printf(
      "|------------|-----------|----------|-----------|--------|---------|---------|-----------|---------------|\n");
  std::fflush(stdout);
  int failures = 0;
  for (const std::uint64_t events : options.events) {
    const pid_t child = ::fork();
    if (child < 0) {
      std::perror("fork");
      return 1;
    }
    if (child == 0) MeasureInChild(*engine, events, options);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
  }
  std::printf("\nLoad average at the end: %s\n", LoadAverage().c_str());
  return failures == 0 ? 0 : 1;
}
