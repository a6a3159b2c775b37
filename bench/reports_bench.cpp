// SPDX-License-Identifier: Apache-2.0
// dv_reports_bench: reads a generated Shadowserver-style scan_rdp report
// (default 100,000 rows, 21 quoted columns, 10 % IPv6, seed 20261206) on
// one core and prints rows/s for
//   - the core CSV reader alone (tokenising: core/csv.h),
//   - the whole reader (dv_reports: validation, normalisation, key, duplicates),
//   - the same rows as JSON lines through the whole reader,
// each the best of three runs, in processor time. When python3 is on the
// machine, its csv module reads the same file in the same run as peers:
// csv.reader alone, and csv.reader with ipaddress validation and a SHA-256
// per row (the nearest like-for-like of the whole reader).
//
//   dv_reports_bench [--rows N] [--keep DIR]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/csv.h"
#include "reports/report.h"

namespace {

namespace fs = std::filesystem;

double CpuSeconds(std::clock_t since) { return static_cast<double>(std::clock() - since) / CLOCKS_PER_SEC; }

struct Generated {
  std::string csv;
  std::string jsonl;
};

Generated Generate(std::size_t rows) {
  std::mt19937_64 rng(20261206);
  auto next = [&](std::uint64_t bound) { return rng() % bound; };
  static const char* kRegions[] = {"HOVEDSTADEN", "SJAELLAND", "SYDDANMARK", "MIDTJYLLAND", "NORDJYLLAND"};
  static const char* kCities[] = {"KØBENHAVN", "ROSKILDE", "ODENSE", "AARHUS", "AALBORG", "HILLERØD"};
  const char* header[] = {"timestamp",
                          "ip",
                          "protocol",
                          "port",
                          "hostname",
                          "tag",
                          "asn",
                          "geo",
                          "region",
                          "city",
                          "naics",
                          "sic",
                          "sector",
                          "rdp_protocol",
                          "cert_length",
                          "subject_common_name",
                          "issuer_common_name",
                          "cert_issue_date",
                          "cert_expiration_date",
                          "sha1_fingerprint",
                          "bluekeep_vulnerable"};
  Generated out;
  for (std::size_t idx = 0; idx < std::size(header); ++idx) {
    out.csv += idx ? ",\"" : "\"";
    out.csv += header[idx];
    out.csv += '"';
  }
  out.csv += '\n';
  for (std::size_t row = 0; row < rows; ++row) {
    char address[64];
    if (next(10) == 0) {
      std::snprintf(address, sizeof address, "2001:db8:%x:%x::%x", static_cast<unsigned>(next(65536)),
                    static_cast<unsigned>(next(65536)), static_cast<unsigned>(next(65536)));
    } else {
      static const char* kNets[] = {"192.0.2", "198.51.100", "203.0.113"};
      std::snprintf(address, sizeof address, "%s.%u", kNets[next(3)], static_cast<unsigned>(next(256)));
    }
    char timestamp[32];
    std::snprintf(timestamp, sizeof timestamp, "2026-12-01 %02u:%02u:%02u", static_cast<unsigned>(next(24)),
                  static_cast<unsigned>(next(60)), static_cast<unsigned>(next(60)));
    const std::string hostname =
        next(3) == 0 ? "" : "rdp" + std::to_string(row) + ".kommune" + std::to_string(next(98)) + ".example";
    const std::string port = next(5) == 0 ? std::to_string(1024 + next(60000)) : "3389";
    const std::string asn = std::to_string(64496 + next(16));
    const std::string cn = next(4) == 0 ? "TS-GW, Region " + std::to_string(next(5)) : hostname;
    char sha1[64];
    std::snprintf(sha1, sizeof sha1, "%016llx%016llx%08x", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng()), static_cast<unsigned>(next(1ull << 32)));
    const std::string values[] = {timestamp,
                                  address,
                                  "tcp",
                                  port,
                                  hostname,
                                  "rdp",
                                  asn,
                                  "DK",
                                  kRegions[next(5)],
                                  kCities[next(6)],
                                  "921190",
                                  "",
                                  "Government",
                                  next(2) ? "CredSSP" : "RDP",
                                  std::to_string(900 + next(400)),
                                  cn,
                                  cn,
                                  "2026-01-10 08:00:00",
                                  "2027-01-10 08:00:00",
                                  sha1,
                                  next(50) ? "N" : "Y"};
    std::string json = "{";
    for (std::size_t idx = 0; idx < std::size(values); ++idx) {
      out.csv += idx ? ",\"" : "\"";
      out.csv += values[idx];
      out.csv += '"';
      json += idx ? ",\"" : "\"";
      json += header[idx];
      json += "\":\"";
      json += values[idx];
      json += '"';
    }
    out.csv += '\n';
    out.jsonl += json + "}\n";
  }
  return out;
}

template <typename Fn>
double BestOfThree(Fn run) {
  double best = 1e30;
  for (int trial = 0; trial < 3; ++trial) {
    const std::clock_t start = std::clock();
    run();
    best = std::min(best, CpuSeconds(start));
  }
  return best;
}

void Print(const char* name, std::size_t rows, std::size_t bytes, double seconds, const char* note = "") {
  std::printf("%-34s %9zu rows %7.3f s %11.0f rows/s %7.1f MB/s%s\n", name, rows, seconds,
              static_cast<double>(rows) / seconds, static_cast<double>(bytes) / 1e6 / seconds, note);
}

const char* kPythonPeer = R"(
import csv, hashlib, ipaddress, sys, time
path, mode = sys.argv[1], sys.argv[2]
best = None
for trial in range(3):
    start = time.process_time()
    rows = 0
    with open(path, newline='', encoding='utf-8') as f:
        reader = csv.reader(f)
        header = next(reader)
        ip_idx = header.index('ip')
        for row in reader:
            if mode == 'validate':
                ipaddress.ip_network(row[ip_idx])
                hashlib.sha256('\x1f'.join(row).encode()).hexdigest()
            rows += 1
    elapsed = time.process_time() - start
    best = elapsed if best is None else min(best, elapsed)
print(rows, best)
)";

void PythonPeer(const fs::path& csv_path, std::size_t bytes, const char* mode, const char* name) {
  const fs::path script = csv_path.parent_path() / "peer.py";
  std::ofstream(script) << kPythonPeer;
  const std::string command = "python3 '" + script.string() + "' '" + csv_path.string() + "' " + mode;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return;
  std::size_t rows = 0;
  double seconds = 0;
  const int matched = std::fscanf(pipe, "%zu %lf", &rows, &seconds);
  const int status = ::pclose(pipe);
  if (matched != 2 || status != 0 || seconds <= 0) {
    std::printf("%-34s failed\n", name);
    return;
  }
  Print(name, rows, bytes, seconds, "  (separate process, best of 3)");
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t rows = 100'000;
  std::string keep;
  for (int arg = 1; arg < argc; ++arg) {
    if (std::strcmp(argv[arg], "--rows") == 0 && arg + 1 < argc) {
      rows = std::strtoull(argv[++arg], nullptr, 10);
    } else if (std::strcmp(argv[arg], "--keep") == 0 && arg + 1 < argc) {
      keep = argv[++arg];
    } else {
      std::fprintf(stderr, "usage: dv_reports_bench [--rows N] [--keep DIR]\n");
      return 2;
    }
  }
  const Generated data = Generate(rows);
  std::printf("scan_rdp-style report: %zu rows, %.1f MB CSV, %.1f MB JSON lines (seed 20261206)\n", rows,
              static_cast<double>(data.csv.size()) / 1e6, static_cast<double>(data.jsonl.size()) / 1e6);

  std::size_t tokenised = 0;
  const double csv_seconds = BestOfThree([&] {
    dv::CsvReader reader(data.csv);
    tokenised = 0;
    while (reader.Next() != dv::CsvReader::Status::kEnd) ++tokenised;
  });
  Print("dv CsvReader (tokenise only)", tokenised - 1, data.csv.size(), csv_seconds);

  dv::reports::ReadOptions options;
  options.format = *dv::reports::ParseAnnouncedFormat("shadowserver:scan_rdp");
  options.origin = "scan_rdp.csv";
  dv::reports::ReadSummary summary;
  const double report_seconds = BestOfThree([&] {
    std::size_t handed = 0;
    auto result = dv::reports::ReadReport(data.csv, options, [&handed](dv::reports::Row&&) { ++handed; });
    if (!result.ok()) {
      std::fprintf(stderr, "refused: %s\n", result.error().message().c_str());
      std::exit(1);
    }
    summary = *result;
  });
  Print("dv_reports shadowserver:scan_rdp", summary.rows, data.csv.size(), report_seconds);
  std::printf("  rows %zu, rejected %zu, duplicates %zu, warnings %zu\n", summary.rows, summary.rejected,
              summary.duplicates, summary.warnings);

  options.format = *dv::reports::ParseAnnouncedFormat("json:scan_rdp");
  options.address_column = "ip";
  const double json_seconds = BestOfThree([&] {
    auto result = dv::reports::ReadReport(data.jsonl, options, [](dv::reports::Row&&) {});
    if (!result.ok()) std::exit(1);
    summary = *result;
  });
  Print("dv_reports json lines (same rows)", summary.rows, data.jsonl.size(), json_seconds);

  fs::path dir;
  if (!keep.empty()) {
    dir = keep;
    fs::create_directories(dir);
  } else {
    std::string pattern = (fs::temp_directory_path() / "dv-reports-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return 1;
    dir = pattern;
  }
  const fs::path csv_path = dir / "scan_rdp.csv";
  std::ofstream(csv_path, std::ios::binary) << data.csv;
  std::ofstream(dir / "scan_rdp.jsonl", std::ios::binary) << data.jsonl;
  if (std::system("command -v python3 > /dev/null 2>&1") != 0) {
    std::printf("peer python3 csv: not installed; skipped\n");
  } else {
    PythonPeer(csv_path, data.csv.size(), "tokenise", "peer python3 csv.reader");
    PythonPeer(csv_path, data.csv.size(), "validate", "peer python3 csv+ipaddress+sha256");
  }
  if (keep.empty()) fs::remove_all(dir);
  return 0;
}
