// SPDX-License-Identifier: Apache-2.0
// Load on the TAXII endpoints from many concurrent clients on loopback, then
// a check that nothing acknowledged was lost.
//
// A hub (in-process HubServer on port 0, temporary SQLite database, the
// hub's default rate limit unless told otherwise) serves one national
// collection. --members members, each with its own token, are shared by
// --threads client threads, each with its own keep-alive connection. Until
// --seconds have passed, each thread repeatedly either POSTs an envelope of
// --batch new indicators (share --post-share) or reads: a page of the
// collection continuing from its own `next` cursor, a manifest page, or the
// status of its last POST. Every answer's status code and latency are
// recorded; a POST counts as acknowledged when it answers 202 with status
// "complete" and success_count equal to what was sent.
//
// Afterwards the whole collection is read back through the manifest (a
// member of its own, pages of 1000) and every acknowledged object id must be
// there. The program prints requests/s, latency percentiles per kind, the
// count of each status code, and PASS or FAIL; it exits 1 on FAIL: any
// answer other than 200, 202 and 429, any transport error, any acknowledged
// object missing.
//
// Usage: dv_taxii_load_bench [--threads 32] [--members 16] [--seconds 25] [--batch 50]
//                            [--post-share 0.3] [--rate 50] [--burst 200] [--backlog N] [--server-nodelay 1] [--dir
//                            DIR] [--db URL]
//
// --db runs the hub on that store instead (an empty database, e.g.
// `scripts/with-postgres.sh sh -c 'dv_taxii_load_bench --db "$DV_TEST_POSTGRES_URL"'`),
// for the same figures side by side with SQLite.
//
// --backlog N calls listen(2) again on the hub's listening socket with a
// backlog of N, and --server-nodelay sets TCP_NODELAY on it. Both were
// measured against the hub's earlier cpp-httplib server (a backlog of 5;
// headers and body in separate sends, held back by Nagle's algorithm). The
// Beast server (hub/http_server.h) listens with the system's maximum backlog
// and sets TCP_NODELAY on every accepted connection, so both options should
// now change nothing; they stay to show that. The clients always set
// TCP_NODELAY.

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kTaxiiType = "application/taxii+json;version=2.1";

struct Options {
  int threads = 32;
  int members = 16;
  double seconds = 25;
  int batch = 50;
  double post_share = 0.3;
  double rate = 50;
  double burst = 200;
  int backlog = 0;  // 0: leave the hub's listening socket as it is
  bool server_nodelay = false;
  std::filesystem::path base = std::filesystem::temp_directory_path();
  std::string db;  // a store URL (e.g. postgresql://…, an empty database); empty: SQLite in the temporary folder
};

enum class Kind { kPost, kObjects, kManifest, kStatus };
constexpr std::array<const char*, 4> kKindNames = {"POST objects", "GET objects", "GET manifest", "GET status"};

// What one client thread saw.
struct ThreadLog {
  std::array<std::vector<double>, 4> latencies_ms;  // by Kind, answered requests only
  std::map<int, long> statuses;                     // HTTP status → count; 0 = transport error
  std::vector<std::string> acknowledged;            // object ids of POSTs answered 202 + complete
  long unexpected = 0;                              // answers that are neither 200, 202 nor 429
  std::string first_unexpected;
};

std::string Indicator(const std::string& id, std::uint32_t address) {
  const std::string ip = std::to_string(10 + (address >> 24 & 127)) + "." + std::to_string(address >> 16 & 255) + "." +
                         std::to_string(address >> 8 & 255) + "." + std::to_string(address & 255);
  return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id +
         "\",\"created\":\"2026-11-26T10:00:00.000Z\",\"modified\":\"2026-11-26T10:00:00.000Z\","
         "\"pattern\":\"[ipv4-addr:value = '" +
         ip +
         "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-26T10:00:00Z\","
         "\"object_marking_refs\":[\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\"]}";
}

double Percentile(std::vector<double>& values, double share) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto idx = static_cast<std::size_t>(share * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(idx, values.size() - 1)];
}

void RunClient(int port, const std::string& token, const std::string& collection_id, int thread_idx,
               const Options& options, Clock::time_point deadline, ThreadLog& log) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60);
  client.set_connection_timeout(10);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  const httplib::Headers headers = {{"Accept", kTaxiiType}, {"Authorization", "Bearer " + token}};
  const std::string collection_url = "/taxii2/dannevirke/collections/" + collection_id + "/";
  std::mt19937_64 random(static_cast<std::uint64_t>(thread_idx) * 7919 + 17);
  std::uniform_real_distribution<double> unit(0, 1);
  simdjson::dom::parser parser;
  std::string next;         // this thread's paging cursor through the collection
  std::string last_status;  // the status id of its last acknowledged POST
  std::uint32_t address = static_cast<std::uint32_t>(thread_idx) << 20;

  while (Clock::now() < deadline) {
    const double pick = unit(random);
    Kind kind = Kind::kObjects;
    if (pick < options.post_share) {
      kind = Kind::kPost;
    } else if (pick < options.post_share + (1 - options.post_share) * 0.6) {
      kind = Kind::kObjects;
    } else if (pick < options.post_share + (1 - options.post_share) * 0.9 || last_status.empty()) {
      kind = Kind::kManifest;
    } else {
      kind = Kind::kStatus;
    }
    std::vector<std::string> ids;
    std::string body;
    std::string url;
    if (kind == Kind::kPost) {
      body = "{\"objects\":[";
      for (int idx = 0; idx < options.batch; ++idx) {
        ids.push_back("indicator--" + dv::Uuid::V4().ToString());
        if (idx > 0) body += ',';
        body += Indicator(ids.back(), address++);
      }
      body += "]}";
      url = collection_url + "objects/";
    } else if (kind == Kind::kObjects) {
      url = collection_url + "objects/?limit=100" + (next.empty() ? "" : "&next=" + next);
    } else if (kind == Kind::kManifest) {
      url = collection_url + "manifest/?limit=200";
    } else {
      url = "/taxii2/dannevirke/status/" + last_status + "/";
    }
    const auto started = Clock::now();
    auto res =
        kind == Kind::kPost ? client.Post(url.c_str(), headers, body, kTaxiiType) : client.Get(url.c_str(), headers);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    const int status = res ? res->status : 0;
    ++log.statuses[status];
    if (!res) {
      ++log.unexpected;
      if (log.first_unexpected.empty()) log.first_unexpected = url + ": " + httplib::to_string(res.error());
      continue;
    }
    log.latencies_ms[static_cast<std::size_t>(kind)].push_back(ms);
    if (status == 429) continue;
    const bool expected = kind == Kind::kPost ? status == 202 : status == 200;
    if (!expected) {
      ++log.unexpected;
      if (log.first_unexpected.empty()) log.first_unexpected = url + ": " + std::to_string(status) + " " + res->body;
      continue;
    }
    simdjson::dom::element answer;
    if (parser.parse(res->body).get(answer) != simdjson::SUCCESS) {
      ++log.unexpected;
      if (log.first_unexpected.empty()) log.first_unexpected = url + ": the answer is not JSON";
      continue;
    }
    if (kind == Kind::kPost) {
      std::string_view state;
      std::int64_t success = 0;
      std::string_view status_id;
      if (answer["status"].get(state) == simdjson::SUCCESS && state == "complete" &&
          answer["success_count"].get(success) == simdjson::SUCCESS && success == options.batch &&
          answer["id"].get(status_id) == simdjson::SUCCESS) {
        log.acknowledged.insert(log.acknowledged.end(), ids.begin(), ids.end());
        last_status = std::string(status_id);
      } else {
        ++log.unexpected;
        if (log.first_unexpected.empty()) log.first_unexpected = "POST answered 202 without full success: " + res->body;
      }
    } else if (kind == Kind::kObjects) {
      bool more = false;
      std::string_view cursor;
      if (answer["more"].get(more) == simdjson::SUCCESS && more && answer["next"].get(cursor) == simdjson::SUCCESS) {
        next = std::string(cursor);
      } else {
        next.clear();  // the end: start over from the beginning
      }
    }
  }
}

// Every object id in the collection, read through the manifest.
bool ReadAllIds(int port, const std::string& token, const std::string& collection_id,
                std::unordered_set<std::string>& ids) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(120);
  const httplib::Headers headers = {{"Accept", kTaxiiType}, {"Authorization", "Bearer " + token}};
  const std::string base = "/taxii2/dannevirke/collections/" + collection_id + "/manifest/?limit=1000";
  simdjson::dom::parser parser;
  std::string url = base;
  while (true) {
    auto res = client.Get(url.c_str(), headers);
    if (!res || res->status != 200) {
      std::fprintf(stderr, "verification: manifest answered %d\n", res ? res->status : 0);
      return false;
    }
    simdjson::dom::element manifest;
    if (parser.parse(res->body).get(manifest) != simdjson::SUCCESS) return false;
    simdjson::dom::array objects;
    if (manifest["objects"].get(objects) == simdjson::SUCCESS) {
      for (auto entry : objects) {
        std::string_view id;
        if (entry["id"].get(id) == simdjson::SUCCESS) ids.emplace(id);
      }
    }
    bool more = false;
    std::string_view next;
    if (manifest["more"].get(more) != simdjson::SUCCESS || !more) return true;
    if (manifest["next"].get(next) != simdjson::SUCCESS) return false;
    url = base + "&next=" + std::string(next);
  }
}

// Finds this process's socket listening on `port`; listens again with
// `backlog` (when > 0) and sets TCP_NODELAY (when `nodelay`).
bool TuneListener(int port, int backlog, bool nodelay) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::atoi(entry.path().filename().c_str());
    int listening = 0;
    socklen_t size = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || listening == 0) continue;
    sockaddr_storage address{};
    socklen_t address_size = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_size) != 0) continue;
    if (address.ss_family != AF_INET || ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port) != port) continue;
    const int one = 1;
    if (nodelay && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) return false;
    return backlog <= 0 || ::listen(fd, backlog) == 0;
  }
  return false;
}

long ListenOverflows() {
  FILE* file = std::fopen("/proc/net/netstat", "r");
  if (file == nullptr) return -1;
  char names[8192];
  char values[8192];
  long result = -1;
  while (std::fgets(names, sizeof names, file) != nullptr && std::fgets(values, sizeof values, file) != nullptr) {
    if (std::strncmp(names, "TcpExt:", 7) != 0) continue;
    char* name_save = nullptr;
    char* value_save = nullptr;
    char* name = strtok_r(names, " \n", &name_save);
    char* value = strtok_r(values, " \n", &value_save);
    while (name != nullptr && value != nullptr) {
      if (std::strcmp(name, "ListenOverflows") == 0) result = std::atol(value);
      name = strtok_r(nullptr, " \n", &name_save);
      value = strtok_r(nullptr, " \n", &value_save);
    }
  }
  std::fclose(file);
  return result;
}

bool ParseArgs(int argc, char** argv, Options& options) {
  for (int arg = 1; arg + 1 < argc; arg += 2) {
    const std::string name = argv[arg];
    const char* value = argv[arg + 1];
    if (name == "--threads") {
      options.threads = std::atoi(value);
    } else if (name == "--members") {
      options.members = std::atoi(value);
    } else if (name == "--seconds") {
      options.seconds = std::atof(value);
    } else if (name == "--batch") {
      options.batch = std::atoi(value);
    } else if (name == "--post-share") {
      options.post_share = std::atof(value);
    } else if (name == "--rate") {
      options.rate = std::atof(value);
    } else if (name == "--burst") {
      options.burst = std::atof(value);
    } else if (name == "--server-nodelay") {
      options.server_nodelay = std::atoi(value) != 0;
    } else if (name == "--backlog") {
      options.backlog = std::atoi(value);
    } else if (name == "--dir") {
      options.base = value;
    } else if (name == "--db") {
      options.db = value;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && options.threads > 0 && options.members > 0 && options.seconds > 0 && options.batch > 0 &&
         options.post_share >= 0 && options.post_share <= 1 && options.rate > 0 && options.burst >= 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArgs(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: dv_taxii_load_bench [--threads N] [--members N] [--seconds S] [--batch N] [--post-share P] "
                 "[--rate R] [--burst B] [--dir DIR] [--db URL]\n");
    return 2;
  }
  const auto dir = options.base / ("dv-taxii-load-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto opened = dv::Store::Open(options.db.empty() ? "sqlite:" + (dir / "hub.db").string() : options.db);
  if (!opened.ok()) {
    std::fprintf(stderr, "dv_taxii_load_bench: %s\n", opened.error().ToString().c_str());
    return 2;
  }
  auto store = std::move(opened).value();
  std::printf("store: %s\n", std::string(store->BackendName()).c_str());
  (void)dv::SeedFederation(*store, dv::LoadDemoFederation().value());
  dv::Collection collection;
  collection.id = dv::Uuid::V4().ToString();
  collection.title = "load";
  (void)store->UpsertCollection(collection, "bench");
  dv::OrganisationQuery org_query;
  org_query.limit = 100;
  const auto organisations = store->ListOrganisations(org_query).value().items;
  std::vector<std::string> tokens;
  for (int idx = 0; idx <= options.members; ++idx) {  // the last one only verifies
    const std::string member = "load-" + std::to_string(idx);
    const std::string& org = organisations[static_cast<std::size_t>(idx) % organisations.size()].code;
    (void)store->UpsertMember({member, org, member, dv::MemberRole::kMember}, "bench");
    tokens.push_back(dv::hub::NewToken());
    (void)store->AddToken(dv::hub::HashToken(tokens.back()), member, "load", "bench");
  }
  dv::HubOptions hub_options;
  hub_options.port = 0;
  hub_options.taxii.requests_per_second = options.rate;
  hub_options.taxii.burst = options.burst;
  // Every simulated member connects from loopback: only the per-member limit applies.
  hub_options.http.address_requests_per_second = 1e6;
  hub_options.http.address_burst = 1e6;
  dv::HubServer server(*store, hub_options);
  const int port = server.Bind().value();
  if ((options.backlog > 0 || options.server_nodelay) && !TuneListener(port, options.backlog, options.server_nodelay)) {
    std::fprintf(stderr, "--backlog/--server-nodelay: the listening socket was not found\n");
    return 2;
  }
  std::thread serving([&] { (void)server.Serve(); });
  const long overflows_before = ListenOverflows();

  std::printf(
      "dv_taxii_load_bench: %d client threads, %d members, %.0f s, POST share %.2f of %d objects, rate "
      "limit %.0f/s burst %.0f per member, listen backlog %s, server TCP_NODELAY %s\n",
      options.threads, options.members, options.seconds, options.post_share, options.batch, options.rate, options.burst,
      options.backlog > 0 ? std::to_string(options.backlog).c_str() : "as the hub sets it",
      options.server_nodelay ? "on" : "as the hub sets it");
  std::vector<ThreadLog> logs(static_cast<std::size_t>(options.threads));
  const auto started = Clock::now();
  const auto deadline =
      started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  {
    std::vector<std::thread> clients;
    for (int idx = 0; idx < options.threads; ++idx) {
      clients.emplace_back(RunClient, port, tokens[static_cast<std::size_t>(idx % options.members)], collection.id, idx,
                           std::cref(options), deadline, std::ref(logs[static_cast<std::size_t>(idx)]));
    }
    for (auto& client : clients) client.join();
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  std::array<std::vector<double>, 4> latencies;
  std::map<int, long> statuses;
  long unexpected = 0;
  std::string first_unexpected;
  std::vector<std::string> acknowledged;
  for (auto& log : logs) {
    for (std::size_t kind = 0; kind < latencies.size(); ++kind) {
      latencies[kind].insert(latencies[kind].end(), log.latencies_ms[kind].begin(), log.latencies_ms[kind].end());
    }
    for (const auto& [code, count] : log.statuses) statuses[code] += count;
    unexpected += log.unexpected;
    if (first_unexpected.empty()) first_unexpected = log.first_unexpected;
    acknowledged.insert(acknowledged.end(), log.acknowledged.begin(), log.acknowledged.end());
  }
  long requests = 0;
  for (const auto& [code, count] : statuses) requests += count;

  std::unordered_set<std::string> stored;
  const bool read_back = ReadAllIds(port, tokens.back(), collection.id, stored);
  long missing = 0;
  for (const auto& id : acknowledged) {
    if (stored.count(id) == 0) ++missing;
  }
  server.Stop();
  serving.join();
  std::filesystem::remove_all(dir);

  std::printf("%ld requests in %.1f s: %.0f requests/s; %zu objects acknowledged (%.0f objects/s)\n", requests, elapsed,
              static_cast<double>(requests) / elapsed, acknowledged.size(),
              static_cast<double>(acknowledged.size()) / elapsed);
  std::printf("| request      | answered |  p50 ms |  p90 ms |  p99 ms |  max ms |\n");
  std::printf("|--------------|----------|---------|---------|---------|---------|\n");
  for (std::size_t kind = 0; kind < latencies.size(); ++kind) {
    auto& values = latencies[kind];
    const double max = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    std::printf("| %-12s | %8zu | %7.1f | %7.1f | %7.1f | %7.1f |\n", kKindNames[kind], values.size(),
                Percentile(values, 0.5), Percentile(values, 0.9), Percentile(values, 0.99), max);
  }
  std::printf("status codes:");
  for (const auto& [code, count] : statuses)
    std::printf(" %s %ld;", code == 0 ? "transport error" : std::to_string(code).c_str(), count);
  std::printf("\n");
  const long overflows_after = ListenOverflows();
  if (overflows_before >= 0 && overflows_after >= 0) {
    std::printf("accept queue overflows during the run (TcpExtListenOverflows, whole machine): %ld\n",
                overflows_after - overflows_before);
  }
  const bool pass = read_back && unexpected == 0 && missing == 0;
  std::printf(
      "verification: %zu acknowledged objects, %zu in the collection, %ld missing, %ld answers other than "
      "200/202/429: %s\n",
      acknowledged.size(), stored.size(), missing, unexpected, pass ? "PASS" : "FAIL");
  if (!first_unexpected.empty()) std::printf("first unexpected answer: %s\n", first_unexpected.substr(0, 400).c_str());
  return pass ? 0 : 1;
}
