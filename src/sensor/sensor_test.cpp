// SPDX-License-Identifier: Apache-2.0
#include "sensor/sensor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/uuid.h"

namespace dv::sensor {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kIndicatorA = "indicator--" + Uuid::V5(DannevirkeNamespace(), "a").ToString();
const std::string kIndicatorB = "indicator--" + Uuid::V5(DannevirkeNamespace(), "b").ToString();

std::string IndicatorJson(const std::string& id, const std::string& ip, const std::string& modified,
                          bool revoked = false) {
  Json object = {{"type", "indicator"},
                 {"spec_version", "2.1"},
                 {"id", id},
                 {"created", "2026-01-01T00:00:00.000Z"},
                 {"modified", modified},
                 {"pattern", "[ipv4-addr:value = '" + ip + "']"},
                 {"pattern_type", "stix"},
                 {"valid_from", "2026-01-01T00:00:00Z"}};
  if (revoked) object["revoked"] = true;
  return object.dump();
}

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ =
        fs::temp_directory_path() / ("dv-sensor-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// --- sightings --------------------------------------------------------------

TEST(SightingAggregator, AggregatesPerIndicatorAndHour) {
  SightingAggregator aggregator(SightingOptions{"identity--8d1c7c77-6bd4-5b7a-9b2b-4a3e2c1d0e9f", false, Tlp::kAmber});
  aggregator.Add(kIndicatorA, Timestamp::FromCivil(2026, 3, 1, 10, 5));
  aggregator.Add(kIndicatorA, Timestamp::FromCivil(2026, 3, 1, 10, 55));
  aggregator.Add(kIndicatorA, Timestamp::FromCivil(2026, 3, 1, 11, 0));  // the next hour
  aggregator.Add(kIndicatorB, Timestamp::FromCivil(2026, 3, 1, 10, 30));
  EXPECT_EQ(aggregator.pending(), 3U);
  auto taken = aggregator.TakePending(Timestamp::FromCivil(2026, 3, 1, 12));
  ASSERT_TRUE(taken.ok()) << taken.error().ToString();
  ASSERT_EQ(taken->size(), 3U);
  const Json first = Json::parse((*taken)[0].canonical_json);
  EXPECT_EQ(first["sighting_of_ref"], kIndicatorA);
  EXPECT_EQ(first["count"], 2);
  EXPECT_EQ(first["first_seen"], "2026-03-01T10:05:00.000Z");
  EXPECT_EQ(first["last_seen"], "2026-03-01T10:55:00.000Z");
  EXPECT_EQ(first["where_sighted_refs"][0], "identity--8d1c7c77-6bd4-5b7a-9b2b-4a3e2c1d0e9f");
  EXPECT_EQ(first["object_marking_refs"][0], "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421");
  EXPECT_EQ(aggregator.pending(), 0U);
  EXPECT_TRUE(aggregator.TakePending(Timestamp::FromCivil(2026, 3, 1, 12))->empty());
}

TEST(SightingAggregator, LaterHitsMakeANewVersionOfTheSameSighting) {
  SightingAggregator aggregator(SightingOptions{});
  const Timestamp now = Timestamp::FromCivil(2026, 3, 1, 12);
  aggregator.Add(kIndicatorA, Timestamp::FromCivil(2026, 3, 1, 10, 5));
  const Json v1 = Json::parse(aggregator.TakePending(now)->at(0).canonical_json);
  aggregator.Add(kIndicatorA, Timestamp::FromCivil(2026, 3, 1, 10, 1));
  const Json v2 = Json::parse(aggregator.TakePending(now)->at(0).canonical_json);  // same clock
  EXPECT_EQ(v2["id"], v1["id"]);
  EXPECT_EQ(v2["created"], v1["created"]);
  EXPECT_GT(v2["modified"].get<std::string>(), v1["modified"].get<std::string>());
  EXPECT_EQ(v2["count"], 2);
  EXPECT_EQ(v2["first_seen"], "2026-03-01T10:01:00.000Z");
}

TEST(SightingAggregator, CountsOnlyOmitsIdentityAndMarking) {
  SightingAggregator aggregator(SightingOptions{"identity--8d1c7c77-6bd4-5b7a-9b2b-4a3e2c1d0e9f", true, Tlp::kRed});
  aggregator.Add(kIndicatorA, Timestamp::FromCivil(2026, 3, 1, 10, 5));
  const Json sighting = Json::parse(aggregator.TakePending(Timestamp::FromCivil(2026, 3, 1, 12))->at(0).canonical_json);
  for (const char* absent : {"where_sighted_refs", "created_by_ref", "object_marking_refs", "description"}) {
    EXPECT_FALSE(sighting.contains(absent)) << absent;
  }
  EXPECT_EQ(sighting["count"], 1);
}

TEST(SightingAggregator, RestoreMakesAFailedPostPendingAgainAndForgetDropsOldHours) {
  SightingAggregator aggregator(SightingOptions{});
  aggregator.Add(kIndicatorA, Timestamp::FromCivil(2026, 3, 1, 10, 5));
  auto taken = aggregator.TakePending(Timestamp::FromCivil(2026, 3, 1, 12));
  aggregator.Restore(*taken);
  EXPECT_EQ(aggregator.pending(), 1U);
  aggregator.Forget(Timestamp::FromCivil(2026, 3, 3));
  EXPECT_EQ(aggregator.buckets(), 1U);  // pending buckets are kept
  (void)aggregator.TakePending(Timestamp::FromCivil(2026, 3, 1, 13));
  aggregator.Forget(Timestamp::FromCivil(2026, 3, 3));
  EXPECT_EQ(aggregator.buckets(), 0U);
}

// --- archive ----------------------------------------------------------------

Event MakeEvent(const std::string& ip, int minute) {
  Event event;
  event.Add("SourceIp", ip);
  event.Add("message", "line with \"quotes\" and æøå");
  event.AddNull("nothing");
  event.time = Timestamp::FromCivil(2026, 3, 1, 10, minute);
  event.origin = "auth.log:" + std::to_string(minute);
  return event;
}

TEST(EventArchive, EncodesAndDecodesEvents) {
  const Event event = MakeEvent("203.0.113.7", 3);
  Event decoded;
  ASSERT_TRUE(EventArchive::DecodeEvent(EventArchive::EncodeEvent(event), decoded));
  ASSERT_EQ(decoded.size(), 3U);
  EXPECT_EQ(decoded.Find("SourceIp")->value, "203.0.113.7");
  EXPECT_EQ(decoded.Find("message")->value, "line with \"quotes\" and æøå");
  EXPECT_TRUE(decoded.Find("nothing")->is_null);
  EXPECT_EQ(decoded.time, event.time);
  EXPECT_EQ(decoded.origin, "auth.log:3");
  EXPECT_FALSE(EventArchive::DecodeEvent("{\"t\": 5}", decoded));
  EXPECT_FALSE(EventArchive::DecodeEvent("not json", decoded));
}

TEST(EventArchive, RotatesSegmentsAndPrunesBySize) {
  TempDir dir;
  ArchiveOptions options;
  options.segment_bytes = 400;
  options.max_bytes = 1000;
  auto archive = EventArchive::Open(dir.path(), options);
  ASSERT_TRUE(archive.ok());
  const Timestamp now = Timestamp::FromCivil(2026, 3, 1, 12);
  for (int event_idx = 0; event_idx < 20; ++event_idx) {
    ASSERT_TRUE(archive->Append(MakeEvent("203.0.113." + std::to_string(event_idx), event_idx), now).ok());
  }
  ASSERT_TRUE(archive->Flush().ok());
  EXPECT_GT(archive->Segments().size(), 3U);
  EXPECT_GT(*archive->SizeBytes(), 1000U);
  auto pruned = archive->Prune(now);
  ASSERT_TRUE(pruned.ok()) << pruned.error().ToString();
  EXPECT_GT(*pruned, 0U);
  EXPECT_LE(*archive->SizeBytes(), 1000U);
  // The newest events survive; the oldest are gone.
  std::vector<std::string> origins;
  auto scanned = archive->Scan([&](Event& event) { origins.push_back(event.origin); });
  ASSERT_TRUE(scanned.ok());
  ASSERT_FALSE(origins.empty());
  EXPECT_EQ(origins.back(), "auth.log:19");
  EXPECT_NE(origins.front(), "auth.log:0");
  // Appending after a prune goes on working.
  ASSERT_TRUE(archive->Append(MakeEvent("203.0.113.99", 30), now).ok());
  ASSERT_TRUE(archive->Flush().ok());
}

TEST(EventArchive, PrunesByAgeAndSkipsBadLines) {
  TempDir dir;
  ArchiveOptions options;
  options.max_age = std::chrono::hours(24);
  auto archive = EventArchive::Open(dir.path(), options);
  ASSERT_TRUE(archive.ok());
  const Timestamp old_time = Timestamp::FromCivil(2026, 3, 1, 0);
  const Timestamp new_time = Timestamp::FromCivil(2026, 3, 3, 0);
  ASSERT_TRUE(archive->Append(MakeEvent("198.51.100.1", 1), old_time).ok());
  ASSERT_TRUE(archive->Append(MakeEvent("198.51.100.2", 2), new_time).ok());  // a new segment: span passed
  ASSERT_TRUE(archive->Flush().ok());
  ASSERT_EQ(archive->Segments().size(), 2U);
  std::ofstream(archive->Segments().back(), std::ios::app) << "garbage\n";
  EXPECT_EQ(*archive->Prune(Timestamp::FromCivil(2026, 3, 3, 12)), 1U);
  std::vector<std::string> ips;
  auto scanned = archive->Scan([&](Event& event) { ips.push_back(event.Find("SourceIp")->value); });
  ASSERT_TRUE(scanned.ok());
  EXPECT_EQ(ips, std::vector<std::string>{"198.51.100.2"});
  EXPECT_EQ(scanned->bad_lines, 1U);
}

// --- state ------------------------------------------------------------------

TEST(PullState, KeepsTheLatestAddedAfterPerCollectionAndRoundTrips) {
  PullState state;
  EXPECT_EQ(state.AddedAfter("c1"), "");
  EXPECT_TRUE(state.Advance("c1", "2026-03-01T10:00:00.123456Z"));
  EXPECT_TRUE(state.Advance("c1", "2026-03-01T09:00:00.000000Z"));  // older: kept as was
  EXPECT_EQ(state.AddedAfter("c1"), "2026-03-01T10:00:00.123456Z");
  EXPECT_TRUE(state.Advance("c1", "2026-03-01T10:00:00.123999Z"));  // same millisecond, later
  EXPECT_EQ(state.AddedAfter("c1"), "2026-03-01T10:00:00.123999Z");
  EXPECT_FALSE(state.Advance("c1", "yesterday"));
  EXPECT_EQ(state.AddedAfter("c2"), "");
  auto back = PullState::FromJson(state.ToJson(), "state.json");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->AddedAfter("c1"), "2026-03-01T10:00:00.123999Z");
  auto bad = PullState::FromJson(R"({"collections": {"c1": {"added_after": "x"}}})", "state.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "state.json: collections['c1'].added_after is not an RFC 3339 timestamp");
}

TEST(IndicatorCache, KeepsTheLatestVersionAndDropsRevoked) {
  IndicatorCache cache;
  auto merged = cache.Merge({IndicatorJson(kIndicatorA, "203.0.113.1", "2026-01-01T00:00:00.000Z"),
                             IndicatorJson(kIndicatorB, "203.0.113.2", "2026-01-01T00:00:00.000Z"),
                             R"({"type": "malware", "id": "malware--1"})"});
  EXPECT_EQ(merged.added.size(), 2U);
  EXPECT_EQ(merged.ignored, 1U);
  merged = cache.Merge({IndicatorJson(kIndicatorA, "203.0.113.1", "2026-01-01T00:00:00.000Z"),
                        IndicatorJson(kIndicatorA, "203.0.113.9", "2026-02-01T00:00:00.000Z"),
                        IndicatorJson(kIndicatorB, "203.0.113.2", "2026-02-01T00:00:00.000Z", true)});
  EXPECT_EQ(merged.added, std::vector<std::string>{kIndicatorA});
  EXPECT_EQ(merged.removed, std::vector<std::string>{kIndicatorB});
  EXPECT_EQ(merged.unchanged, 1U);
  EXPECT_EQ(cache.size(), 1U);
  EXPECT_NE(cache.ToJsonArray().find("203.0.113.9"), std::string::npos);
  EXPECT_EQ(IndicatorCache::FromJsonLines(cache.ToJsonLines()).ToJsonArray(), cache.ToJsonArray());
}

// --- TAXII client pieces ----------------------------------------------------

TEST(TaxiiClient, BackoffDoublesUpToTheCapAndHonoursRetryAfter) {
  RetryPolicy policy;
  policy.initial_delay = std::chrono::milliseconds(100);
  policy.max_delay = std::chrono::milliseconds(1000);
  EXPECT_EQ(BackoffDelay(policy, 1).count(), 100);
  EXPECT_EQ(BackoffDelay(policy, 2).count(), 200);
  EXPECT_EQ(BackoffDelay(policy, 4).count(), 800);
  EXPECT_EQ(BackoffDelay(policy, 9).count(), 1000);
  EXPECT_EQ(BackoffDelay(policy, 1, 3).count(), 3000);
}

TEST(TaxiiClient, ErrorsNameTheUrlStatusAndTaxiiTitle) {
  const Error error =
      TaxiiError("GET", "http://hub/taxii2/dannevirke/collections/x/objects/", 403,
                 R"({"title": "Forbidden", "description": "member 'a' may not read", "http_status": "403"})");
  EXPECT_EQ(error.kind(), ErrorKind::kForbidden);
  EXPECT_EQ(error.message(),
            "GET http://hub/taxii2/dannevirke/collections/x/objects/: HTTP 403 Forbidden: member 'a' may not read");
  EXPECT_EQ(TaxiiError("POST", "http://hub/x", 503, "down").kind(), ErrorKind::kIo);
  EXPECT_EQ(TaxiiError("POST", "http://hub/x", 503, "down").message(), "POST http://hub/x: HTTP 503: down");
  TaxiiClientOptions options;
  options.hub_url = "ftp://hub";
  EXPECT_EQ(TaxiiClient::Create(options).error().message(), "hub URL 'ftp://hub' must start with http:// or https://");
}

TEST(TaxiiClient, EnvelopeAndStatusParsing) {
  auto page = ParseEnvelope(R"({"more": true, "next": "7", "objects": [{"id": "x"}]})", "GET u");
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->more);
  EXPECT_EQ(page->next, "7");
  EXPECT_EQ(page->objects.size(), 1U);
  EXPECT_TRUE(ParseEnvelope("{}", "GET u")->objects.empty());
  EXPECT_EQ(ParseEnvelope(R"({"more": true})", "GET u").error().message(),
            "GET u: the envelope says 'more' but gives no 'next'");
  auto status = ParseStatus(
      R"({"id": "s", "status": "complete", "total_count": 2, "success_count": 1, "failure_count": 1,
          "pending_count": 0, "failures": [{"id": "sighting--1", "message": "bad"}]})",
      "POST u");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->failures, std::vector<std::string>{"sighting--1: bad"});
}

// --- the sensor against a fake hub ------------------------------------------

class FakeHub final : public HubClient {
 public:
  struct Stored {
    std::string json;
    std::int64_t added_us;
  };
  std::vector<Stored> objects;
  std::vector<ObjectsQuery> queries;
  std::vector<std::vector<std::string>> posts;
  int fail_posts = 0;

  static std::string Micros(std::int64_t us) {
    return Timestamp(us / 1000).ToRfc3339().substr(0, 23) + std::to_string(1000 + us % 1000).substr(1) + "Z";
  }

  Result<ObjectsPage> GetObjects(const ObjectsQuery& query) override {
    queries.push_back(query);
    const std::size_t start = query.next.empty() ? 0 : std::stoul(query.next);
    ObjectsPage page;
    std::size_t object_idx = start;
    for (; object_idx < objects.size() && page.objects.size() < 2; ++object_idx) {
      if (!query.added_after.empty() && Micros(objects[object_idx].added_us) <= query.added_after) continue;
      page.objects.push_back(objects[object_idx].json);
      page.date_added_last = Micros(objects[object_idx].added_us);
    }
    page.more = object_idx < objects.size();
    if (page.more) page.next = std::to_string(object_idx);
    return page;
  }
  Result<PostStatus> PostObjects(const std::string&, const std::vector<std::string>& texts) override {
    if (fail_posts > 0) {
      --fail_posts;
      return Error::Io("POST http://fake/: HTTP 503");
    }
    posts.push_back(texts);
    PostStatus status;
    status.total = status.success = static_cast<std::int64_t>(texts.size());
    return status;
  }
  Result<PostStatus> GetStatus(const std::string&) override { return Error::NotFound("no status"); }
};

TEST(Sensor, PullsIncrementallyMatchesAndPostsSightingsWithoutLogContent) {
  TempDir dir;
  FakeHub hub;
  const std::int64_t base_us = Timestamp::FromCivil(2026, 3, 1).unix_ms() * 1000;
  hub.objects.push_back({IndicatorJson(kIndicatorA, "203.0.113.7", "2026-01-01T00:00:00.000Z"), base_us + 1});
  hub.objects.push_back({R"({"type": "malware", "id": "malware--x"})", base_us + 2});
  hub.objects.push_back({IndicatorJson(kIndicatorB, "198.51.100.4", "2026-01-01T00:00:00.000Z"), base_us + 3});

  SensorOptions options;
  options.collections = {"c1"};
  options.org_code = "0101";
  options.state_dir = dir.path() / "state";
  auto sensor = Sensor::Create(hub, options);
  ASSERT_TRUE(sensor.ok()) << sensor.error().ToString();
  auto pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->received, 3U);
  EXPECT_EQ(pulled->added, 2U);
  EXPECT_EQ(hub.queries.size(), 2U);  // two pages
  EXPECT_EQ(hub.queries[0].types, std::vector<std::string>{"indicator"});
  EXPECT_EQ((*sensor)->stats().indicators_matchable, 2U);

  const fs::path log = dir.path() / "auth.jsonl";
  std::ofstream(log)
      << R"({"@timestamp": "2026-03-01T10:15:00Z", "SourceIp": "203.0.113.7", "User": "secret-user"})"
      << "\n"
      << R"({"@timestamp": "2026-03-01T10:20:00Z", "SourceIp": "203.0.113.7", "DestinationIp": "203.0.113.7"})"
      << "\n"
      << R"({"@timestamp": "2026-03-01T10:25:00Z", "SourceIp": "192.0.2.1"})"
      << "\n";
  const std::vector<std::string> paths = {log.string()};
  ASSERT_TRUE((*sensor)->ScanLogs(paths).ok());
  EXPECT_EQ((*sensor)->stats().events, 3U);
  EXPECT_EQ((*sensor)->stats().indicator_hits, 2U);  // the second event counts once

  hub.fail_posts = 1;
  EXPECT_FALSE((*sensor)->Publish().ok());
  auto published = (*sensor)->Publish();  // the failed batch is still pending
  ASSERT_TRUE(published.ok()) << published.error().ToString();
  EXPECT_EQ(*published, 1U);
  ASSERT_EQ(hub.posts.size(), 1U);
  const Json sighting = Json::parse(hub.posts[0][0]);
  EXPECT_EQ(sighting["sighting_of_ref"], kIndicatorA);
  EXPECT_EQ(sighting["count"], 2);
  EXPECT_EQ(sighting["where_sighted_refs"][0], (*sensor)->identity_id());
  EXPECT_EQ(hub.posts[0][0].find("secret-user"), std::string::npos);
  EXPECT_EQ(hub.posts[0][0].find("auth.jsonl"), std::string::npos);

  // A second pull sends added_after and gets nothing new.
  hub.queries.clear();
  pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok());
  EXPECT_EQ(pulled->added, 0U);
  EXPECT_EQ(hub.queries[0].added_after, FakeHub::Micros(base_us + 3));
}

TEST(Sensor, RetroHuntFindsArchivedEventsForNewIndicatorsAcrossRestarts) {
  TempDir dir;
  FakeHub hub;
  SensorOptions options;
  options.collections = {"c1"};
  options.state_dir = dir.path() / "state";
  const fs::path log = dir.path() / "fw.jsonl";
  std::ofstream(log) << R"({"@timestamp": "2025-06-01T08:00:00Z", "DestinationIp": "198.51.100.4"})"
                     << "\n";
  const std::vector<std::string> paths = {log.string()};
  {
    auto sensor = Sensor::Create(hub, options);
    ASSERT_TRUE(sensor.ok());
    ASSERT_TRUE((*sensor)->Pull().ok());
    ASSERT_TRUE((*sensor)->ScanLogs(paths).ok());
    EXPECT_EQ((*sensor)->stats().indicator_hits, 0U);
  }
  // Published later, valid from now on: the past event is still found.
  hub.objects.push_back({IndicatorJson(kIndicatorB, "198.51.100.4", "2026-01-01T00:00:00.000Z"), 5});
  auto sensor = Sensor::Create(hub, options);
  ASSERT_TRUE(sensor.ok());
  auto pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->retro_hits, 1U);
  ASSERT_EQ(*(*sensor)->Publish(), 1U);
  const Json sighting = Json::parse(hub.posts[0][0]);
  EXPECT_EQ(sighting["sighting_of_ref"], kIndicatorB);
  EXPECT_EQ(sighting["first_seen"], "2025-06-01T08:00:00.000Z");
  // The indicator is now cached: pulling again finds nothing new and does not hunt again.
  pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok());
  EXPECT_EQ(pulled->retro_hits, 0U);
}

}  // namespace
}  // namespace dv::sensor
