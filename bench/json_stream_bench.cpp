// SPDX-License-Identifier: Apache-2.0
// JSON as exported: the same generated Windows events (bench/corpus, fixed
// seed) written three ways — JSON lines, one JSON array on a single line (as
// ConvertTo-Json -Compress writes it) and pretty-printed documents (two-space
// indent, one value per line) — each read with LogSource; prints MB/s,
// events/s and peak resident memory (VmHWM, reset before each run through
// /proc/self/clear_refs). Then one single-line array at 1x, 2x and 4x the size
// to show that peak memory does not grow with it.
//
// Usage: json_stream_bench [EVENTS (default 50000, about 80 MB as JSON lines)]

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "corpus/windows_corpus.h"
#include "ingest/log_source.h"

namespace {

namespace fs = std::filesystem;

void ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Calls `fn` with every non-empty line of `path`, one at a time.
template <typename LineFn>
void ForEachLine(const fs::path& path, LineFn&& fn) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) fn(line);
  }
}

// Re-indents one compact JSON value: a line per member and element.
std::string Pretty(const std::string& compact) {
  std::string out;
  out.reserve(compact.size() * 2);
  int depth = 0;
  bool in_string = false;
  auto newline = [&] {
    out.push_back('\n');
    out.append(static_cast<std::size_t>(2 * depth), ' ');
  };
  for (std::size_t pos = 0; pos < compact.size(); ++pos) {
    const char c = compact[pos];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && pos + 1 < compact.size()) {
        out.push_back(compact[++pos]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out.push_back(c);
        break;
      case '{':
      case '[':
        out.push_back(c);
        ++depth;
        newline();
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out.push_back(c);
        break;
      case ',':
        out.push_back(c);
        newline();
        break;
      case ':':
        out += ": ";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// One array on one line holding `copies` times the events of `jsonl`,
// streamed: nothing but one line is held in memory.
void WriteArray(const fs::path& path, const fs::path& jsonl, int copies) {
  std::ofstream out(path, std::ios::binary);
  out << '[';
  bool first = true;
  for (int copy = 0; copy < copies; ++copy) {
    ForEachLine(jsonl, [&](const std::string& line) {
      if (!first) out << ',';
      out << line;
      first = false;
    });
  }
  out << "]";
}

struct Figures {
  double megabytes = 0;
  std::uint64_t events = 0;
  double seconds = 0;
  long peak_kb = 0;
  bool clean = true;
};

Figures Measure(const char* label, const fs::path& path) {
  ResetPeakRss();
  dv::LogSource source;
  const auto start = std::chrono::steady_clock::now();
  const dv::Status status = source.Read(std::vector<std::string>{path.string()}, [](const dv::Event&) {});
  Figures figures;
  figures.seconds = Seconds(start);
  figures.megabytes = static_cast<double>(source.stats().bytes) / 1e6;
  figures.events = source.stats().events;
  figures.peak_kb = PeakRssKb();
  figures.clean = status.ok() && source.stats().bad_records() == 0;
  std::printf("%-28s %8.1f MB %9llu events %6.2f s %10.0f events/s %7.1f MB/s  peak RSS %ld kB%s\n", label,
              figures.megabytes, static_cast<unsigned long long>(figures.events), figures.seconds,
              static_cast<double>(figures.events) / figures.seconds, figures.megabytes / figures.seconds,
              figures.peak_kb, figures.clean ? "" : "  (ERRORS)");
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 50'000;
  std::string pattern = (fs::temp_directory_path() / "dv-json-stream-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path dir = pattern;
  auto corpus = dv::bench::WriteWindowsCorpus(dir, {.events = events});
  if (!corpus.ok()) {
    std::fprintf(stderr, "%s\n", corpus.error().message().c_str());
    return 1;
  }
  // Every corpus file's events, in reading order, written three ways.
  std::uint64_t written = 0;
  {
    std::ofstream jsonl(dir / "events.jsonl", std::ios::binary);
    std::ofstream pretty(dir / "events.pretty.json", std::ios::binary);
    for (const auto& file : corpus->files) {
      ForEachLine(file.path, [&](const std::string& line) {
        jsonl << line << '\n';
        pretty << Pretty(line) << '\n';
        ++written;
      });
      fs::remove(file.path);
    }
  }
  WriteArray(dir / "events.array.json", dir / "events.jsonl", 1);
  std::printf("%llu events (seed %llu) in %s\n\n", static_cast<unsigned long long>(written),
              static_cast<unsigned long long>(dv::bench::kCorpusSeed), dir.c_str());

  Measure("JSON lines", dir / "events.jsonl");
  Measure("one array, single line", dir / "events.array.json");
  Measure("pretty-printed documents", dir / "events.pretty.json");
  std::printf("\npeak memory against array size (single line):\n");
  for (const int copies : {1, 2, 4}) {
    const fs::path path = dir / ("array_x" + std::to_string(copies) + ".json");
    WriteArray(path, dir / "events.jsonl", copies);
    Measure(("array x" + std::to_string(copies)).c_str(), path);
    fs::remove(path);
  }

  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}
