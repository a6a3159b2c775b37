// SPDX-License-Identifier: Apache-2.0
// dv_protect_bench: one member's protection feed from N generated candidate
// entries (default 1,000,000: 60 % domains, 30 % IPv4 addresses and
// prefixes, 10 % IPv6), with a national never-block list and the built-in
// warning lists; prints the time to select the feed, to write the RPZ zone
// and the mapping, and the peak resident memory. --out FILE keeps the zone
// for `named-checkzone rpz.dannevirke.test FILE`.
//
//   dv_protect_bench [--entries N] [--out FILE] [--mapping]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <random>
#include <string>

#include "protect/feed.h"
#include "protect/rpz.h"

namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }
// Processor time of this process: what the work costs on a machine shared
// with other jobs, where wall time also counts waiting for a core.
double CpuSeconds(std::clock_t since) { return static_cast<double>(std::clock() - since) / CLOCKS_PER_SEC; }

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t entries = 1'000'000;
  std::string out_path;
  bool mapping = false;
  for (int arg = 1; arg < argc; ++arg) {
    if (std::strcmp(argv[arg], "--entries") == 0 && arg + 1 < argc) {
      entries = std::strtoull(argv[++arg], nullptr, 10);
    } else if (std::strcmp(argv[arg], "--out") == 0 && arg + 1 < argc) {
      out_path = argv[++arg];
    } else if (std::strcmp(argv[arg], "--mapping") == 0) {
      mapping = true;
    } else {
      std::fprintf(stderr, "usage: dv_protect_bench [--entries N] [--out FILE] [--mapping]\n");
      return 2;
    }
  }
  std::mt19937_64 rng(20260301);
  auto next = [&](std::uint64_t bound) { return rng() % bound; };
  auto label = [&]() {
    std::string text;
    const std::size_t length = 5 + next(10);
    for (std::size_t at = 0; at < length; ++at) text += static_cast<char>('a' + next(26));
    return text;
  };
  static const char* const kTlds[] = {"com", "net", "org", "info", "xyz", "top", "ru", "cn"};
  const dv::Timestamp now = dv::Timestamp::FromCivil(2026, 3, 2);

  dv::protect::FeedInput input;
  input.coordinator = "CFCS";
  input.profile.monitor_only = false;
  input.now = now;
  input.rpz_origin = "rpz.dannevirke.test";
  input.never_block.domains = {"borger.dk", "sundhed.dk", "mitid.dk", "skat.dk", "kk.dk", "aarhus.dk"};
  input.never_block.networks = {"130.225.0.0/16", "2001:878::/32"};
  const dv::WarningLists warning_lists = dv::WarningLists::BuiltIn();
  input.warning_lists = &warning_lists;

  const auto generate_start = Clock::now();
  input.candidates.reserve(entries);
  for (std::size_t idx = 0; idx < entries; ++idx) {
    dv::protect::Candidate candidate;
    candidate.indicator_id = "indicator--" + std::to_string(100000000000 + idx);
    candidate.producer = next(4) == 0 ? "0751" : "CFCS";
    candidate.collection = "national";
    candidate.confidence = 60.0 + static_cast<double>(next(41));
    candidate.corroborated = next(10) != 0;
    candidate.national_sightings = static_cast<std::int64_t>(next(50));
    candidate.modified = dv::Timestamp(now.unix_ms() - static_cast<std::int64_t>(next(90ull * 86'400'000)));
    const std::uint64_t roll = next(100);
    if (roll < 60) {
      candidate.kind = dv::protect::ValueKind::kDomain;
      candidate.value = label() + "." + label() + "." + kTlds[next(8)];
    } else if (roll < 90) {
      candidate.kind = dv::protect::ValueKind::kIpv4;
      candidate.value = std::to_string(1 + next(222)) + "." + std::to_string(next(256)) + "." +
                        std::to_string(next(256)) + "." + std::to_string(next(256));
      if (roll >= 87) {
        candidate.value =
            std::to_string(1 + next(222)) + "." + std::to_string(next(256)) + "." + std::to_string(next(256)) + ".0/24";
      }
    } else {
      candidate.kind = dv::protect::ValueKind::kIpv6;
      char buffer[64];
      std::snprintf(buffer, sizeof(buffer), "2a0%x:%x:%x::%x", static_cast<unsigned>(next(16)),
                    static_cast<unsigned>(next(65536)), static_cast<unsigned>(next(65536)),
                    static_cast<unsigned>(1 + next(65535)));
      candidate.value = buffer;
    }
    input.candidates.push_back(std::move(candidate));
  }
  const double generate_seconds = Seconds(generate_start);
  const long rss_after_generate = PeakRssKb();

  const auto feed_start = Clock::now();
  const std::clock_t feed_cpu = std::clock();
  auto feed = dv::protect::BuildFeed(input);
  if (!feed.ok()) {
    std::fprintf(stderr, "%s\n", feed.error().ToString().c_str());
    return 1;
  }
  const double feed_seconds = Seconds(feed_start);
  const double feed_cpu_seconds = CpuSeconds(feed_cpu);

  dv::protect::RpzOptions options;
  options.serial = 1;
  const auto zone_start = Clock::now();
  const std::clock_t zone_cpu = std::clock();
  auto zone = dv::protect::WriteRpz(*feed, options, dv::protect::RpzPart::kEnforce);
  const double zone_seconds = Seconds(zone_start);
  const double zone_cpu_seconds = CpuSeconds(zone_cpu);
  double mapping_seconds = 0;
  std::size_t mapping_bytes = 0;
  if (mapping) {
    const auto mapping_start = Clock::now();
    mapping_bytes = dv::protect::WriteRpzMapping(*feed, input.candidates, 1).size();
    mapping_seconds = Seconds(mapping_start);
  }
  std::printf("candidates            %zu (generated in %.2f s, peak RSS then %.0f MB)\n", entries, generate_seconds,
              static_cast<double>(rss_after_generate) / 1024.0);
  std::printf(
      "feed selection        %.2f s (CPU %.2f s): %zu enforced, %zu monitored, %zu left out, %zu prefixes carved\n",
      feed_seconds, feed_cpu_seconds, feed->enforce.size(), feed->monitor.size(), feed->left_out.size(),
      feed->carved_prefixes);
  std::printf("RPZ zone (enforce)    %.2f s (CPU %.2f s): %zu triggers, %.1f MB\n", zone_seconds, zone_cpu_seconds,
              zone->triggers, static_cast<double>(zone->text.size()) / 1e6);
  if (mapping) {
    std::printf("owner mapping (JSON)  %.2f s: %.1f MB\n", mapping_seconds, static_cast<double>(mapping_bytes) / 1e6);
  }
  std::printf("selection + zone      %.2f s (CPU %.2f s)\n", feed_seconds + zone_seconds,
              feed_cpu_seconds + zone_cpu_seconds);
  std::printf("peak RSS              %.0f MB\n", static_cast<double>(PeakRssKb()) / 1024.0);
  if (!out_path.empty()) {
    std::ofstream(out_path, std::ios::binary) << zone->text;
    std::printf("zone written to %s\n", out_path.c_str());
  }
  return 0;
}
