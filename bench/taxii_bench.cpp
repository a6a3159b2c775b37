// SPDX-License-Identifier: Apache-2.0
// TAXII ingest and paging over real HTTP on loopback: POST envelopes of
// valid STIX indicators to a hub on a temporary SQLite database (or the store
// named by --db), then page
// through the whole collection with `next`. Prints objects/s for both, and for
// the first, middle and last tenth of each run, so that a rate that drops as
// the collection grows shows.
//
// Usage: dv_taxii_bench [--objects N] [--batch B] [--limit L] [--dir DIR] [--keep] [--db URL]
//   --objects  objects to post (default 100000; 1000000 for the paging figure)
//   --batch    objects per POST (default 1000)
//   --limit    page size when paging (default 1000, the hub's maximum)
//   --dir      where the temporary database goes (default the temp directory)
//   --keep     keep the database afterwards (SQLite only)
//   --db       run the hub on that store instead, an empty database, e.g.
//              `scripts/with-postgres.sh sh -c 'dv_taxii_bench --db "$DV_TEST_POSTGRES_URL"'`
//
// Only the HTTP round trips are timed: the request bodies are generated
// between them, off the clock. The client reads answers with simdjson, so its
// own parsing costs little next to the hub's. The hub and the client share
// the machine's cores.

#include <httplib.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

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

double LoadAverage() {
  double load = 0;
  if (FILE* file = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(file, "%lf", &load) != 1) load = 0;
    std::fclose(file);
  }
  return load;
}

// One timed step: how many objects it moved and how long it took.
struct Step {
  long objects = 0;
  double seconds = 0;
};

// objects/s over the steps in [begin, end) of `steps`.
double Rate(const std::vector<Step>& steps, std::size_t begin, std::size_t end) {
  long objects = 0;
  double seconds = 0;
  for (std::size_t idx = begin; idx < end && idx < steps.size(); ++idx) {
    objects += steps[idx].objects;
    seconds += steps[idx].seconds;
  }
  return seconds > 0 ? static_cast<double>(objects) / seconds : 0;
}

struct Totals {
  long objects = 0;
  double seconds = 0;
};

Totals Sum(const std::vector<Step>& steps) {
  Totals totals;
  for (const auto& step : steps) {
    totals.objects += step.objects;
    totals.seconds += step.seconds;
  }
  return totals;
}

void PrintRow(const char* what, const std::vector<Step>& steps) {
  const Totals totals = Sum(steps);
  const std::size_t tenth = std::max<std::size_t>(1, steps.size() / 10);
  const std::size_t middle = steps.size() / 2 - std::min(steps.size() / 2, tenth / 2);
  std::printf("| %-44s | %9ld | %7.2f | %9.0f | %9.0f | %9.0f | %9.0f |\n", what, totals.objects, totals.seconds,
              totals.seconds > 0 ? static_cast<double>(totals.objects) / totals.seconds : 0, Rate(steps, 0, tenth),
              Rate(steps, middle, middle + tenth), Rate(steps, steps.size() - tenth, steps.size()));
}

// The body of one POST: `count` indicators numbered from `first`.
std::string Envelope(long first, long count) {
  std::string body = "{\"objects\":[";
  for (long idx = first; idx < first + count; ++idx) {
    const std::string ip = std::to_string(10 + (idx >> 24 & 127)) + "." + std::to_string(idx >> 16 & 255) + "." +
                           std::to_string(idx >> 8 & 255) + "." + std::to_string(idx & 255);
    if (idx > first) body += ',';
    body += "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--" + dv::Uuid::V4().ToString() +
            "\",\"created\":\"2026-11-26T10:00:00.000Z\",\"modified\":\"2026-11-26T10:00:00.000Z\","
            "\"pattern\":\"[ipv4-addr:value = '" +
            ip +
            "']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-26T10:00:00Z\","
            "\"object_marking_refs\":[\"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb\"]}";
  }
  body += "]}";
  return body;
}

}  // namespace

int main(int argc, char** argv) {
  long total = 100000;
  long batch = 1000;
  int limit = 1000;
  bool keep = false;
  std::string db;  // a store URL; empty: SQLite in the temporary folder
  std::filesystem::path base = std::filesystem::temp_directory_path();
  for (int arg = 1; arg < argc; ++arg) {
    const std::string name = argv[arg];
    const bool has_value = arg + 1 < argc;
    if (name == "--objects" && has_value) {
      total = std::atol(argv[++arg]);
    } else if (name == "--batch" && has_value) {
      batch = std::atol(argv[++arg]);
    } else if (name == "--limit" && has_value) {
      limit = std::atoi(argv[++arg]);
    } else if (name == "--dir" && has_value) {
      base = argv[++arg];
    } else if (name == "--db" && has_value) {
      db = argv[++arg];
    } else if (name == "--keep") {
      keep = true;
    } else {
      std::fprintf(stderr,
                   "usage: dv_taxii_bench [--objects N] [--batch B] [--limit L] [--dir DIR] [--keep] [--db URL]\n");
      return 2;
    }
  }
  if (total < 1 || batch < 1 || limit < 1) {
    std::fprintf(stderr, "--objects, --batch and --limit must be positive\n");
    return 2;
  }

  const auto dir = base / ("dv-taxii-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto opened = dv::Store::Open(db.empty() ? "sqlite:" + (dir / "hub.db").string() : db);
  if (!opened.ok()) {
    std::fprintf(stderr, "dv_taxii_bench: %s\n", opened.error().ToString().c_str());
    return 2;
  }
  auto store = std::move(opened).value();
  const std::string backend(store->BackendName());
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
  options.http.address_requests_per_second = 1e6;
  options.http.address_burst = 1e6;
  dv::HubServer server(*store, options);
  const int port = server.Bind().value();
  std::thread serving([&] { (void)server.Serve(); });

  std::printf("dv_taxii_bench: %s store, %ld objects, batches of %ld, pages of %d, load average %.2f at start\n",
              backend.c_str(), total, batch, limit, LoadAverage());
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(120);
  const httplib::Headers headers = {{"Accept", "application/taxii+json;version=2.1"},
                                    {"Authorization", "Bearer " + token}};
  const std::string objects_url = "/taxii2/dannevirke/collections/" + collection.id + "/objects/";
  simdjson::dom::parser parser;
  int failed = 0;

  std::vector<Step> posts;
  long stored = 0;
  for (long first = 0; first < total && failed == 0; first += batch) {
    const long count = std::min(batch, total - first);
    const std::string body = Envelope(first, count);
    const auto started = Clock::now();
    auto res = client.Post(objects_url.c_str(), headers, body, "application/taxii+json;version=2.1");
    std::int64_t success = 0;
    if (!res || res->status != 202 || parser.parse(res->body)["success_count"].get(success) != simdjson::SUCCESS) {
      std::fprintf(stderr, "POST failed: %d %s\n", res ? res->status : 0, res ? res->body.substr(0, 300).c_str() : "");
      failed = 1;
      break;
    }
    posts.push_back({static_cast<long>(success), Seconds(Clock::now() - started)});
    stored += success;
  }

  std::vector<Step> pages;
  long paged = 0;
  std::string url = objects_url + "?limit=" + std::to_string(limit);
  while (failed == 0) {
    const auto started = Clock::now();
    auto res = client.Get(url.c_str(), headers);
    if (!res || res->status != 200) {
      std::fprintf(stderr, "GET failed: %d\n", res ? res->status : 0);
      failed = 1;
      break;
    }
    simdjson::dom::element envelope;
    if (parser.parse(res->body).get(envelope) != simdjson::SUCCESS) {
      std::fprintf(stderr, "GET answered something that is not JSON\n");
      failed = 1;
      break;
    }
    simdjson::dom::array objects;
    long count = 0;
    if (envelope["objects"].get(objects) == simdjson::SUCCESS) count = static_cast<long>(objects.size());
    bool more = false;
    std::string_view next;
    if (envelope["more"].get(more) != simdjson::SUCCESS) more = false;
    if (more && envelope["next"].get(next) != simdjson::SUCCESS) more = false;
    pages.push_back({count, Seconds(Clock::now() - started)});
    paged += count;
    if (!more) break;
    url = objects_url + "?limit=" + std::to_string(limit) + "&next=" + std::string(next);
  }
  server.Stop();
  serving.join();
  std::error_code size_error;
  const auto db_bytes = db.empty() ? std::filesystem::file_size(dir / "hub.db", size_error) : 0;
  if (keep && db.empty()) {
    std::printf("database kept in %s\n", dir.c_str());
  } else {
    std::filesystem::remove_all(dir);
  }

  const std::string title = "TAXII over HTTP (loopback, " + backend + ")";
  std::printf("| %-44s |   objects | seconds | objects/s | first 10%% |  mid 10%% | last 10%% |\n", title.c_str());
  std::printf(
      "|----------------------------------------------|-----------|---------|-----------|-----------|-----------"
      "|-----------|\n");
  const std::string post_label = "POST + validate + store, batches of " + std::to_string(batch);
  const std::string page_label = "GET pages of " + std::to_string(limit) + " with next";
  PrintRow(post_label.c_str(), posts);
  PrintRow(page_label.c_str(), pages);
  if (db.empty()) {
    std::printf("Database %.0f MiB; ", static_cast<double>(db_bytes) / (1024.0 * 1024.0));
  }
  std::printf("peak RSS %ld MiB; load average %.2f at end\n", PeakRssKiB() / 1024, LoadAverage());
  if (stored != total || paged != total) {
    std::printf("MISMATCH: posted %ld, stored %ld, paged %ld\n", total, stored, paged);
    return 1;
  }
  return failed;
}
