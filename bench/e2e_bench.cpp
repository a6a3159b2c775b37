// SPDX-License-Identifier: Apache-2.0
// End to end, as members run it: a hub process and a sensor process at
// member B (København) that has already read its logs; member A (Aarhus)
// publishes one new indicator over TAXII at a time, and we wait for B's
// sensor to print the alert (a retro-hunt hit in its archive: "were we
// already hit?"). Reports median, 90th percentile and worst over N trials.
//
//   dv_e2e_bench PATH/TO/dannevirke [TRIALS=100] [POLL_SECONDS=1]

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "core/uuid.h"

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;
constexpr const char* kTaxii = "application/taxii+json;version=2.1";

pid_t Spawn(const std::vector<std::string>& args, int stdout_fd) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (stdout_fd >= 0) dup2(stdout_fd, STDOUT_FILENO);
    std::vector<char*> argv;
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

void Stop(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

// The benchmarking range (RFC 2544), which no warning list holds.
std::string IpOf(int trial) { return "198.18." + std::to_string(trial / 250) + "." + std::to_string(trial % 250 + 1); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: dv_e2e_bench PATH/TO/dannevirke [TRIALS=100] [POLL_SECONDS=1]\n";
    return 2;
  }
  const std::string binary = std::filesystem::absolute(argv[1]).string();
  const int trials = argc > 2 ? std::stoi(argv[2]) : 100;
  const std::string poll = argc > 3 ? argv[3] : "1";
  const auto dir = std::filesystem::temp_directory_path() / ("dv-e2e-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  // B's logs: one connection to each address that A will publish later.
  {
    std::ofstream logs(dir / "firewall.jsonl");
    for (int trial = 0; trial < trials; ++trial) {
      logs << Json{{"@timestamp", "2026-11-26T08:00:00.000Z"},
                   {"source", {{"ip", "10.40.12.7"}}},
                   {"destination", {{"ip", IpOf(trial)}, {"port", 443}}},
                   {"event", {{"action", "allow"}}}}
                  .dump()
           << "\n";
    }
  }

  const pid_t hub =
      Spawn({binary, "hub", "--db", "sqlite:" + (dir / "hub.db").string(), "--seed-demo", "--port", "0", "--port-file",
             (dir / "port").string(), "--token-file", (dir / "tokens.json").string(), "--quiet"},
            -1);
  int port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(dir / "port");
    in >> port;
  }
  if (port == 0) {
    std::cerr << "the hub did not start\n";
    Stop(hub);
    return 1;
  }
  Json tokens;
  std::ifstream(dir / "tokens.json") >> tokens;
  const std::string national = dv::Uuid::V5(dv::DannevirkeNamespace(), "collection:national").ToString();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);

  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return 1;
  const pid_t sensor = Spawn({binary, "sensor", "--hub", url, "--token", tokens["0101-sensor"].get<std::string>(),
                              "--collection", national, "--org", "0101", "--archive", (dir / "sensor").string(),
                              "--poll", poll, "--from-start", (dir / "firewall.jsonl").string()},
                             pipe_fds[1]);
  close(pipe_fds[1]);

  // Alert lines, by the indicator id they name, with when they were read.
  std::mutex mutex;
  std::condition_variable seen_cv;
  std::map<std::string, Clock::time_point> seen;
  std::thread reader([&] {
    FILE* out = fdopen(pipe_fds[0], "r");
    char buffer[4096];
    while (out && std::fgets(buffer, sizeof buffer, out)) {
      const auto now = Clock::now();
      const std::string line = buffer;
      const auto at = line.find("indicator--");
      if (at == std::string::npos) continue;
      std::lock_guard lock(mutex);
      seen.emplace(line.substr(at, 47), now);
      seen_cv.notify_all();
    }
    if (out) std::fclose(out);
  });

  // Let the sensor read its logs and do its first pull.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  httplib::Client client("127.0.0.1", port);
  const httplib::Headers headers = {{"Accept", kTaxii},
                                    {"Authorization", "Bearer " + tokens["0751-soc"].get<std::string>()}};
  std::vector<double> latencies;
  int missed = 0;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> jitter(0, std::max(1, std::stoi(poll) * 1000 - 1));
  for (int trial = 0; trial < trials; ++trial) {
    const std::string id = "indicator--" + dv::Uuid::V5(dv::DannevirkeNamespace(),
                                                        "e2e:" + std::to_string(getpid()) + ":" + std::to_string(trial))
                                               .ToString();
    const std::string now = dv::Timestamp::Now().ToRfc3339();
    const Json object = {{"type", "indicator"},
                         {"spec_version", "2.1"},
                         {"id", id},
                         {"created", now},
                         {"modified", now},
                         {"name", "e2e trial " + std::to_string(trial)},
                         {"pattern", "[ipv4-addr:value = '" + IpOf(trial) + "']"},
                         {"pattern_type", "stix"},
                         {"valid_from", now}};
    // Publish at a random point of the sensor's poll cycle, as real publishers do.
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
    const auto start = Clock::now();
    auto res = client.Post(("/taxii2/dannevirke/collections/" + national + "/objects/").c_str(), headers,
                           Json{{"objects", {object}}}.dump(), kTaxii);
    if (!res || res->status != 202) {
      std::cerr << "publish failed: " << (res ? res->body : "no answer") << "\n";
      ++missed;
      continue;
    }
    std::unique_lock lock(mutex);
    const bool found = seen_cv.wait_for(lock, std::chrono::seconds(15), [&] { return seen.count(id) > 0; });
    if (!found) {
      ++missed;
      continue;
    }
    latencies.push_back(std::chrono::duration<double, std::milli>(seen[id] - start).count());
  }
  Stop(sensor);
  reader.join();
  Stop(hub);
  std::filesystem::remove_all(dir);

  if (latencies.empty()) {
    std::cerr << "no alert arrived\n";
    return 1;
  }
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
  };
  double sum = 0;
  for (double v : latencies) sum += v;
  std::printf("end to end (publish at A -> alert at B's sensor, poll %s s): %zu trials, %d missed\n", poll.c_str(),
              latencies.size(), missed);
  std::printf("  median %.0f ms, mean %.0f ms, p90 %.0f ms, best %.0f ms, worst %.0f ms\n", pct(0.5),
              sum / static_cast<double>(latencies.size()), pct(0.9), latencies.front(), latencies.back());
  return missed == 0 ? 0 : 1;
}
