// SPDX-License-Identifier: Apache-2.0
// TAXII ingest and paging over real HTTP on loopback: POST envelopes of
// valid STIX indicators to a hub on a temporary SQLite database, then page
// through the collection. Prints objects/s for both.
// Usage: dv_taxii_bench [objects (default 100000)] [batch (default 1000)]

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

long PeakRssKiB() {
  FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1) break;
  }
  std::fclose(status);
  return kib;
}

}  // namespace

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int batch = argc > 2 ? std::atoi(argv[2]) : 1000;
  const auto dir = std::filesystem::temp_directory_path() / ("dv-taxii-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto store = dv::Store::Open("sqlite:" + (dir / "hub.db").string()).value();
  (void)dv::SeedFederation(*store, dv::LoadDemoFederation().value());
  dv::Collection collection;
  collection.id = dv::Uuid::V4().ToString();
  collection.title = "bench";
  (void)store->UpsertCollection(collection, "bench");
  (void)store->UpsertMember({"bench", "0101", "bench", dv::MemberRole::kMember}, "bench");
  const std::string token = dv::hub::NewToken();
  (void)store->AddToken(dv::hub::HashToken(token), "bench", "bench", "bench");
  dv::HubOptions options;
  options.port = 0;
  options.taxii.max_content_length = 64 * 1024 * 1024;
  options.taxii.requests_per_second = 1e6;
  options.taxii.burst = 1e6;
  dv::HubServer server(*store, options);
  const int port = server.Bind().value();
  std::thread serving([&] { (void)server.Serve(); });

  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(120);
  const httplib::Headers headers = {{"Accept", "application/taxii+json;version=2.1"},
                                    {"Authorization", "Bearer " + token}};
  const std::string objects_url = "/taxii2/dannevirke/collections/" + collection.id + "/objects/";
  const auto started = std::chrono::steady_clock::now();
  long stored = 0;
  for (int first = 0; first < total; first += batch) {
    nlohmann::json list = nlohmann::json::array();
    for (int idx = first; idx < std::min(total, first + batch); ++idx) {
      const std::string ip = "10." + std::to_string(idx >> 16 & 255) + "." + std::to_string(idx >> 8 & 255) + "." +
                             std::to_string(idx & 255);
      list.push_back({{"type", "indicator"},
                      {"spec_version", "2.1"},
                      {"id", "indicator--" + dv::Uuid::V4().ToString()},
                      {"created", "2026-11-26T10:00:00.000Z"},
                      {"modified", "2026-11-26T10:00:00.000Z"},
                      {"pattern", "[ipv4-addr:value = '" + ip + "']"},
                      {"pattern_type", "stix"},
                      {"valid_from", "2026-11-26T10:00:00Z"},
                      {"object_marking_refs", {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"}}});
    }
    auto res = client.Post(objects_url.c_str(), headers, nlohmann::json{{"objects", list}}.dump(),
                           "application/taxii+json;version=2.1");
    if (!res || res->status != 202) {
      std::fprintf(stderr, "POST failed: %d %s\n", res ? res->status : 0, res ? res->body.c_str() : "");
      return 1;
    }
    stored += nlohmann::json::parse(res->body)["success_count"].get<long>();
  }
  const double ingest_s = Seconds(started);

  const auto paging_started = std::chrono::steady_clock::now();
  long paged = 0;
  std::string url = objects_url + "?limit=1000";
  while (true) {
    auto res = client.Get(url.c_str(), headers);
    if (!res || res->status != 200) break;
    const auto envelope = nlohmann::json::parse(res->body);
    if (!envelope.contains("objects")) break;
    paged += static_cast<long>(envelope["objects"].size());
    if (!envelope.value("more", false)) break;
    url = objects_url + "?limit=1000&next=" + envelope["next"].get<std::string>();
  }
  const double paging_s = Seconds(paging_started);
  server.Stop();
  serving.join();
  std::filesystem::remove_all(dir);

  std::printf("| TAXII over HTTP (loopback, SQLite WAL)  | objects | seconds | objects/s |\n");
  std::printf("|----------------------------------------|---------|---------|-----------|\n");
  std::printf("| POST + validate + store, batches of %-4d | %7ld | %7.2f | %9.0f |\n", batch, stored, ingest_s,
              static_cast<double>(stored) / ingest_s);
  std::printf("| GET pages of 1000 with next             | %7ld | %7.2f | %9.0f |\n", paged, paging_s,
              static_cast<double>(paged) / paging_s);
  std::printf("Peak RSS: %ld MiB\n", PeakRssKiB() / 1024);
  return stored == total && paged == total ? 0 : 1;
}
