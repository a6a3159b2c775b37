// SPDX-License-Identifier: Apache-2.0
// dv_board_bench: the hub's indicator board (hub/modules/indicators/
// indicator_board.h) over a store of N shared indicators (default
// 1,000,000; a tenth of them with a sensor's sighting): the first full read,
// the memory it holds, an incremental refresh after a further batch, one
// indicator's view, the whole indicator state a sensor reads on start and the
// state since a cursor it reads on every later cycle. Every row is timed in
// the same run on the same store; the whole state is what each sensor read
// on every cycle before the cursor, and the full read is what the board did
// every 30 s before it read incrementally.
//
//   dv_board_bench [--indicators N] [--db URL] [--dir DIR]
//
// --db runs on that store (an empty database, e.g. PostgreSQL from
// scripts/with-postgres.sh); by default a SQLite file in DIR (the temporary
// folder).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/tlp.h"
#include "core/uuid.h"
#include "federation/federation.h"
#include "hub/access.h"
#include "hub/modules/indicators/indicator_board.h"
#include "hub/stix_intake.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

long RssKiB() {
  FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
  }
  std::fclose(status);
  return kib;
}

std::string IndicatorText(long index, const std::string& at) {
  const std::string id =
      "indicator--" + dv::Uuid::V5(dv::DannevirkeNamespace(), "board-bench:" + std::to_string(index)).ToString();
  return R"({"type":"indicator","spec_version":"2.1","id":")" + id + R"(","created":")" + at + R"(","modified":")" +
         at + R"(","name":"bench )" + std::to_string(index) + R"(","pattern":"[ipv4-addr:value = '10.)" +
         std::to_string((index >> 16) & 255) + "." + std::to_string((index >> 8) & 255) + "." +
         std::to_string(index & 255) + R"(']","pattern_type":"stix","valid_from":")" + at +
         R"(","confidence":80,"object_marking_refs":[")" + std::string(dv::TlpMarkingId(dv::Tlp::kGreen)) + R"("]})";
}

std::string SightingText(long index, const std::string& at) {
  const std::string ref =
      "indicator--" + dv::Uuid::V5(dv::DannevirkeNamespace(), "board-bench:" + std::to_string(index)).ToString();
  return R"({"type":"sighting","spec_version":"2.1","id":"sighting--)" + dv::Uuid::V4().ToString() +
         R"(","created":")" + at + R"(","modified":")" + at + R"(","sighting_of_ref":")" + ref +
         R"(","count":1,"last_seen":")" + at + R"(","object_marking_refs":[")" +
         std::string(dv::TlpMarkingId(dv::Tlp::kGreen)) + R"("]})";
}

void Add(dv::Store& store, const std::string& collection, const std::vector<std::string>& texts, const std::string& org,
         const std::string& actor) {
  std::vector<dv::NewObject> objects;
  objects.reserve(texts.size());
  for (const auto& text : texts) objects.push_back(dv::hub::IntakeObject(text).value());
  auto added = store.AddObjects(collection, objects, org, actor);
  if (!added.ok()) {
    std::fprintf(stderr, "adding objects: %s\n", added.error().ToString().c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  long total = 1'000'000;
  std::string db;
  std::filesystem::path base = std::filesystem::temp_directory_path();
  for (int arg = 1; arg < argc; ++arg) {
    const std::string name = argv[arg];
    const bool has_value = arg + 1 < argc;
    if (name == "--indicators" && has_value) {
      total = std::atol(argv[++arg]);
    } else if (name == "--db" && has_value) {
      db = argv[++arg];
    } else if (name == "--dir" && has_value) {
      base = argv[++arg];
    } else {
      std::fprintf(stderr, "usage: dv_board_bench [--indicators N] [--db URL] [--dir DIR]\n");
      return 2;
    }
  }
  if (total < 1000) {
    std::fprintf(stderr, "--indicators must be at least 1000\n");
    return 2;
  }
  const auto dir = base / ("dv-board-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto store = dv::Store::Open(db.empty() ? "sqlite:" + (dir / "hub.db").string() : db).value();
  (void)dv::SeedFederation(*store, dv::LoadDemoFederation().value());
  dv::Collection collection;
  collection.id = dv::Uuid::V4().ToString();
  collection.title = "bench";
  (void)store->UpsertCollection(collection, "bench");
  (void)store->UpsertMember({"bench", "0101", "bench", dv::MemberRole::kMember}, "bench");
  (void)store->UpsertMember({"bench-sensor", "0461", "bench sensor", dv::MemberRole::kSensor}, "bench");
  const dv::hub::Principal reader{{"bench", "0101", "bench", dv::MemberRole::kMember},
                                  store->GetOrganisation("0101").value()};

  // Indicators valid from days ago to now, so that some have decayed.
  const std::int64_t now_ms = dv::Timestamp::Now().unix_ms();
  auto loading = Clock::now();
  constexpr long kBatch = 5000;
  std::vector<std::string> texts;
  for (long index = 0; index < total; ++index) {
    const std::int64_t age_days = index % 60;
    texts.push_back(IndicatorText(index, dv::Timestamp(now_ms - age_days * 86'400'000).ToRfc3339()));
    if (static_cast<long>(texts.size()) == kBatch || index + 1 == total) {
      Add(*store, collection.id, texts, "0101", "member:bench");
      texts.clear();
    }
  }
  const std::string now_text = dv::Timestamp(now_ms).ToRfc3339();
  for (long index = 0; index < total; index += 10) {
    texts.push_back(SightingText(index, now_text));
    if (static_cast<long>(texts.size()) == kBatch || index + 10 >= total) {
      Add(*store, collection.id, texts, "0461", "member:bench-sensor");
      texts.clear();
    }
  }
  std::printf("store: %s, %ld indicators and %ld sightings stored in %.1f s (not part of the figures)\n",
              db.empty() ? "SQLite" : "PostgreSQL", total, (total + 9) / 10, Seconds(loading));

  const long rss_before = RssKiB();
  auto board_holder = std::make_unique<dv::hub::IndicatorBoard>(*store);
  dv::hub::IndicatorBoard& board = *board_holder;
  auto started = Clock::now();
  if (auto refreshed = board.Refresh(); !refreshed.ok()) {
    std::fprintf(stderr, "%s\n", refreshed.error().ToString().c_str());
    return 1;
  }
  const double full_read = Seconds(started);
  const double held_kib = static_cast<double>(RssKiB() - rss_before);
  const double objects = static_cast<double>(total + (total + 9) / 10);
  std::printf(
      "full read (what every refresh cost before, every 30 s): %.2f s, %.0f objects/s; board holds %.0f MiB "
      "(%.0f bytes per indicator with its sightings)\n",
      full_read, objects / full_read, held_kib / 1024.0, held_kib * 1024.0 / static_cast<double>(total));

  const dv::Timestamp now(now_ms);
  started = Clock::now();
  auto whole = board.State(reader, now, std::nullopt).value();
  const double whole_seconds = Seconds(started);
  std::printf("whole indicator state (each sensor, each cycle, before): %.3f s, %zu inactive of %ld\n", whole_seconds,
              whole.entries.size(), total);

  // A cycle's news: 1,000 new indicators and 100 sightings.
  for (long index = total; index < total + 1000; ++index) texts.push_back(IndicatorText(index, now_text));
  Add(*store, collection.id, texts, "0101", "member:bench");
  texts.clear();
  for (long index = 0; index < 1000; index += 10) texts.push_back(SightingText(index, now_text));
  Add(*store, collection.id, texts, "0461", "member:bench-sensor");
  texts.clear();
  started = Clock::now();
  (void)board.Refresh();
  std::printf("incremental refresh after 1,000 indicators and 100 sightings: %.1f ms\n", Seconds(started) * 1000);

  started = Clock::now();
  auto delta = board.State(reader, dv::Timestamp::Now(), whole.cursor).value();
  std::printf("indicator state since the cursor: %.1f ms, %zu named\n", Seconds(started) * 1000, delta.entries.size());
  started = Clock::now();
  auto quiet = board.State(reader, dv::Timestamp::Now(), delta.cursor).value();
  std::printf("indicator state since the cursor, nothing new: %.2f ms, %zu named\n", Seconds(started) * 1000,
              quiet.entries.size());

  constexpr int kLookups = 10'000;
  started = Clock::now();
  long found = 0;
  for (int lookup = 0; lookup < kLookups; ++lookup) {
    const long index = (lookup * 7919L) % total;
    const std::string id =
        "indicator--" + dv::Uuid::V5(dv::DannevirkeNamespace(), "board-bench:" + std::to_string(index)).ToString();
    found += board.View(reader, id, now).ok() ? 1 : 0;
  }
  std::printf("one indicator's view: %.1f µs (%ld of %d found)\n", Seconds(started) * 1e6 / kLookups, found, kLookups);

  started = Clock::now();
  auto views = board.Views(reader, now).value();
  std::printf("every view (the REST list, the feeds): %.2f s for %zu\n", Seconds(started), views.size());
  std::printf("load average at the end: ");
  if (FILE* file = std::fopen("/proc/loadavg", "r")) {
    double load = 0;
    if (std::fscanf(file, "%lf", &load) == 1) std::printf("%.2f\n", load);
    std::fclose(file);
  }
  views.clear();
  board_holder.reset();
  store.reset();
  std::filesystem::remove_all(dir);
  return found == kLookups ? 0 : 1;
}
