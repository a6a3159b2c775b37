// SPDX-License-Identifier: Apache-2.0
// dv_indicator_bench: loads one million generated indicators, matches about
// 1 GB of generated JSON-lines logs against them on two threads (the file is
// split in two halves at a line boundary), and runs ripgrep over the same
// file with the indicator values as fixed strings for comparison.
//
//   dv_indicator_bench [--size-mb N] [--indicators N] [--dir DIR] [--keep] [--no-peer]
//
// --no-peer skips ripgrep (minutes on a busy machine). The load average is
// printed before and after, as the figures mean little on a busy machine.
#include <simdjson.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "detect/indicators/indicator_index.h"

namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// User plus system CPU time of this process so far: on a shared machine it
// says what the wall clock cannot (whether other work took the cores).
double CpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + 1e-6 * static_cast<double>(time.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t Next(std::uint64_t bound) { return rng_() % bound; }
  std::string Label(std::size_t min = 4) {
    std::string out;
    const std::size_t length = min + Next(8);
    for (std::size_t at = 0; at < length; ++at) out += static_cast<char>('a' + Next(26));
    return out;
  }
  std::string Hex(std::size_t length) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t at = 0; at < length; ++at) out += kDigits[Next(16)];
    return out;
  }
  std::string PublicIpv4() {
    std::uint64_t first = 0;
    do first = 1 + Next(223);
    while (first == 10 || first == 127);
    return std::to_string(first) + "." + std::to_string(Next(256)) + "." + std::to_string(Next(256)) + "." +
           std::to_string(1 + Next(254));
  }

 private:
  std::mt19937_64 rng_;
};

struct Options {
  std::size_t size_mb = 1024;
  std::size_t indicators = 1000000;
  std::string dir;
  bool keep = false;
  bool peer = true;
};

// "0.52 1.10 2.03": /proc/loadavg's 1, 5 and 15 minute averages.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// Writes values.txt: one indicator value per line, mixed types.
std::vector<std::string> WriteIndicators(const std::string& path, std::size_t count) {
  Gen gen(42);
  static const char* kTlds[] = {"com", "net", "org", "ru", "top", "xyz", "info", "biz"};
  std::vector<std::string> values;
  values.reserve(count);
  std::ofstream out(path);
  for (std::size_t idx = 0; idx < count; ++idx) {
    const std::uint64_t pick = gen.Next(100);
    std::string value;
    if (pick < 35) {
      value = gen.PublicIpv4();
    } else if (pick < 38) {
      value = gen.PublicIpv4();
      value = value.substr(0, value.rfind('.')) + ".0/24";
    } else if (pick < 42) {
      value = "2a0" + std::to_string(gen.Next(10)) + ":" + gen.Hex(4) + ":" + gen.Hex(4) + "::" + gen.Hex(3);
    } else if (pick < 67) {
      value = gen.Label() + "-" + gen.Label(3) + "." + kTlds[gen.Next(8)];
    } else if (pick < 77) {
      value = "http://" + gen.Label() + "." + kTlds[gen.Next(8)] + "/" + gen.Label() + "/" + gen.Label() + ".php";
    } else if (pick < 85) {
      value = gen.Hex(32);
    } else if (pick < 89) {
      value = gen.Hex(40);
    } else {
      value = gen.Hex(64);
    }
    out << value << '\n';
    values.push_back(std::move(value));
  }
  return values;
}

// Writes logs.jsonl of about `bytes`; every 997th line carries one indicator
// value (exact for addresses, domains, URLs and hashes; an address inside a
// /24 for ranges). Returns the number of planted lines.
std::size_t WriteLogs(const std::string& path, std::size_t bytes, const std::vector<std::string>& values) {
  Gen gen(7);
  std::ofstream out(path, std::ios::binary);
  std::string line;
  std::size_t written = 0;
  std::size_t planted = 0;
  static const char* kActions[] = {"allow", "deny", "allow", "allow", "drop"};
  static const char* kAgents[] = {"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "curl/8.5.0", "Microsoft-CryptoAPI/10.0",
                                  "python-requests/2.31"};
  for (std::size_t line_idx = 0; written < bytes; ++line_idx) {
    std::string src = "10." + std::to_string(gen.Next(256)) + "." + std::to_string(gen.Next(256)) + "." +
                      std::to_string(1 + gen.Next(254));
    std::string dst = "10." + std::to_string(gen.Next(256)) + ".0." + std::to_string(1 + gen.Next(254));
    std::string host = "srv" + std::to_string(gen.Next(5000)) + ".corp.internal";
    std::string url =
        "https://" + host + "/" + gen.Label() + "/" + gen.Label() + "?id=" + std::to_string(gen.Next(1u << 20));
    std::string hash = gen.Hex(64);
    if (line_idx % 997 == 0) {
      const std::string& value = values[gen.Next(values.size())];
      ++planted;
      if (value.find("/24") != std::string::npos) {
        dst = value.substr(0, value.rfind('.')) + "." + std::to_string(1 + gen.Next(254));
      } else if (value.find("://") != std::string::npos) {
        url = value;
      } else if (value.find(':') != std::string::npos ||
                 (value[0] >= '0' && value[0] <= '9' && value.find('.') != std::string::npos && value.size() < 16)) {
        dst = value;
      } else if (value.find('.') != std::string::npos) {
        host = value;
      } else {
        hash = value;
      }
    }
    line = "{\"@timestamp\":\"2026-03-01T12:" + std::to_string(10 + gen.Next(50)) + ":" +
           std::to_string(10 + gen.Next(50)) + ".000Z\",\"event.action\":\"" + kActions[gen.Next(5)] +
           "\",\"source.ip\":\"" + src + "\",\"source.port\":" + std::to_string(1024 + gen.Next(60000)) +
           ",\"destination.ip\":\"" + dst + "\",\"destination.port\":443,\"dns.question.name\":\"" + host +
           "\",\"url.full\":\"" + url + "\",\"user_agent.original\":\"" + kAgents[gen.Next(4)] +
           "\",\"file.hash.sha256\":\"" + hash + "\",\"user.name\":\"u" + std::to_string(gen.Next(20000)) +
           "\",\"observer.name\":\"fw-" + std::to_string(gen.Next(40)) + "\"}\n";
    out << line;
    written += line.size();
  }
  return planted;
}

struct Counts {
  std::size_t events = 0;
  std::size_t events_with_hits = 0;
  std::size_t hits = 0;
  std::size_t bad_lines = 0;
};

// Matches the lines of [begin, end) of the file; `begin` and `end` are line starts.
void MatchRange(const std::string& path, std::size_t begin, std::size_t end, const dv::IndicatorIndex& index,
                Counts& counts) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return;
  std::fseek(file, static_cast<long>(begin), SEEK_SET);
  constexpr std::size_t kBlock = 8 << 20;
  std::vector<char> block(kBlock + simdjson::SIMDJSON_PADDING);
  std::string carry;
  std::string padded;
  padded.reserve(1 << 16);
  simdjson::ondemand::parser parser;
  dv::Event event;
  dv::IndicatorScratch scratch;
  std::vector<dv::IndicatorHit> hits;
  std::size_t remaining = end - begin;
  auto handle_line = [&](std::string_view line) {
    if (line.empty()) return;
    padded.assign(line);
    padded.append(simdjson::SIMDJSON_PADDING, '\0');
    event.Clear();
    auto doc = parser.iterate(padded.data(), line.size(), padded.size());
    simdjson::ondemand::object object;
    if (doc.get_object().get(object) != simdjson::SUCCESS) {
      ++counts.bad_lines;
      return;
    }
    for (auto field : object) {
      std::string_view key;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS) break;
      simdjson::ondemand::value value = field.value();
      std::string_view text;
      if (value.type() == simdjson::ondemand::json_type::string) {
        if (value.get_string().get(text) != simdjson::SUCCESS) break;
      } else {
        text = value.raw_json_token();
      }
      event.Add(key, text);
    }
    index.Match(event, scratch, hits);
    ++counts.events;
    counts.hits += hits.size();
    if (!hits.empty()) ++counts.events_with_hits;
  };
  while (remaining > 0) {
    const std::size_t want = std::min(kBlock, remaining);
    const std::size_t got = std::fread(block.data(), 1, want, file);
    if (got == 0) break;
    remaining -= got;
    std::string_view data(block.data(), got);
    std::size_t newline = data.find('\n');
    if (!carry.empty()) {
      if (newline == std::string_view::npos) {
        carry.append(data);
        continue;
      }
      carry.append(data.substr(0, newline));
      handle_line(carry);
      carry.clear();
      data.remove_prefix(newline + 1);
    }
    while ((newline = data.find('\n')) != std::string_view::npos) {
      handle_line(data.substr(0, newline));
      data.remove_prefix(newline + 1);
    }
    carry.assign(data);
  }
  if (!carry.empty()) handle_line(carry);
  std::fclose(file);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int arg = 1; arg < argc; ++arg) {
    const std::string flag = argv[arg];
    if (flag == "--size-mb" && arg + 1 < argc) {
      options.size_mb = std::strtoul(argv[++arg], nullptr, 10);
    } else if (flag == "--indicators" && arg + 1 < argc) {
      options.indicators = std::strtoul(argv[++arg], nullptr, 10);
    } else if (flag == "--dir" && arg + 1 < argc) {
      options.dir = argv[++arg];
    } else if (flag == "--keep") {
      options.keep = true;
    } else if (flag == "--no-peer") {
      options.peer = false;
    } else {
      std::fprintf(stderr, "usage: %s [--size-mb N] [--indicators N] [--dir DIR] [--keep] [--no-peer]\n", argv[0]);
      return 2;
    }
  }
  namespace fs = std::filesystem;
  const bool own_dir = options.dir.empty();
  if (own_dir) {
    options.dir = (fs::temp_directory_path() / ("dv_indicator_bench." + std::to_string(::getpid()))).string();
  }
  fs::create_directories(options.dir);
  const std::string values_path = options.dir + "/values.txt";
  const std::string logs_path = options.dir + "/logs.jsonl";

  std::printf("generating %zu indicators and %zu MB of JSON-lines logs in %s\n", options.indicators, options.size_mb,
              options.dir.c_str());
  auto start = Clock::now();
  const std::vector<std::string> values = WriteIndicators(values_path, options.indicators);
  const std::size_t planted = WriteLogs(logs_path, options.size_mb << 20, values);
  std::printf("generated in %.1f s; load average %s\n", Seconds(start), LoadAverage().c_str());

  start = Clock::now();
  const double cpu_start = CpuSeconds();
  dv::LoadReport report;
  auto indicators = dv::LoadIndicatorFile(values_path, {}, &report);
  if (!indicators.ok()) {
    std::fprintf(stderr, "%s\n", indicators.error().message().c_str());
    return 1;
  }
  const double parse_seconds = Seconds(start);
  auto fields = dv::FieldTable::Default();
  auto index = dv::IndicatorIndex::Build(std::move(indicators).value(), *fields, &report);
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", index.error().message().c_str());
    return 1;
  }
  const double load_seconds = Seconds(start);
  const double load_cpu_seconds = CpuSeconds() - cpu_start;
  std::printf("\n== Dannevirke indicator index ==\n");
  std::printf(
      "load: %zu indicators (%zu rejected, %zu unsupported) in %.2f s (reading %.2f s, building %.2f s; "
      "CPU %.2f s); peak RSS after load %.0f MB\n",
      index->size(), report.rejected, report.unsupported, load_seconds, parse_seconds, load_seconds - parse_seconds,
      load_cpu_seconds, static_cast<double>(PeakRssKb()) / 1024);

  const std::size_t file_size = fs::file_size(logs_path);
  std::size_t middle = file_size / 2;
  {
    std::ifstream in(logs_path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(middle));
    std::string rest;
    std::getline(in, rest);
    middle += rest.size() + 1;
    if (middle > file_size) middle = file_size;
  }
  Counts halves[2];
  start = Clock::now();
  std::thread first([&] { MatchRange(logs_path, 0, middle, *index, halves[0]); });
  std::thread second([&] { MatchRange(logs_path, middle, file_size, *index, halves[1]); });
  first.join();
  second.join();
  const double match_seconds = Seconds(start);
  Counts total;
  for (const Counts& half : halves) {
    total.events += half.events;
    total.events_with_hits += half.events_with_hits;
    total.hits += half.hits;
    total.bad_lines += half.bad_lines;
  }
  const double megabytes = static_cast<double>(file_size) / (1 << 20);
  std::printf(
      "match (2 threads, file split in two halves by lines; simdjson parse + Match): %.1f MB in %.2f s = "
      "%.0f MB/s, %.0f events/s\n",
      megabytes, match_seconds, megabytes / match_seconds, static_cast<double>(total.events) / match_seconds);
  std::printf("events %zu, planted %zu, events with hits %zu, hits %zu, unparsable lines %zu\n", total.events, planted,
              total.events_with_hits, total.hits, total.bad_lines);
  std::printf("peak RSS (VmHWM) %.0f MB; load average %s\n", static_cast<double>(PeakRssKb()) / 1024,
              LoadAverage().c_str());
  if (!options.peer) {
    if (own_dir && !options.keep) fs::remove_all(options.dir);
    return total.events_with_hits == planted ? 0 : 1;
  }

  std::printf("\n== peer: ripgrep, the indicator values as fixed strings (rg -F -f values.txt FILE --count) ==\n");
  const std::string command = "timeout 900 rg -F -f '" + values_path + "' '" + logs_path + "' --count 2>&1";
  start = Clock::now();
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  if (pipe != nullptr) {
    char buffer[256];
    while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
    const int status = ::pclose(pipe);
    const double rg_seconds = Seconds(start);
    while (!output.empty() && output.back() == '\n') output.pop_back();
    std::printf(
        "rg: %.2f s (pattern compile + scan, its own thread choice) = %.0f MB/s; matching lines: %s "
        "(exit %d; substring matches, ranges not understood)\n",
        rg_seconds, megabytes / rg_seconds, output.empty() ? "0" : output.c_str(), status);
  } else {
    std::printf("rg: could not run\n");
  }
  if (own_dir && !options.keep) fs::remove_all(options.dir);
  return total.events_with_hits == planted ? 0 : 1;
}
