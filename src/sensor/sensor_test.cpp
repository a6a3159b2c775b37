// SPDX-License-Identifier: Apache-2.0
#include "sensor/sensor.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/organisation.h"
#include "core/uuid.h"
#include "sensor/syslog_listener.h"

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

TEST(TaxiiClient, IndicatorStateParsing) {
  auto state = ParseIndicatorState(
      R"({"generated": "2026-03-01T10:00:00Z", "inactive": [
          {"id": "indicator--1", "reason": "false_positive", "detail": "our scanner"},
          {"id": "indicator--2", "reason": "expired"}]})",
      "GET u");
  ASSERT_TRUE(state.ok()) << state.error().ToString();
  ASSERT_EQ(state->size(), 2U);
  EXPECT_EQ((*state)[0].reason, "false_positive");
  EXPECT_EQ((*state)[0].detail, "our scanner");
  EXPECT_EQ((*state)[1].detail, "");
  EXPECT_TRUE(ParseIndicatorState(R"({"generated": "x"})", "GET u")->empty());
  EXPECT_EQ(ParseIndicatorState(R"({"inactive": [{"reason": "expired"}]})", "GET u").error().message(),
            "GET u: inactive[0] has no string 'id'");
  EXPECT_FALSE(ParseIndicatorState("[]", "GET u").ok());
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
  std::vector<InactiveIndicator> inactive;  // the indicator state it serves
  int state_reads = 0;
  // When not empty: the answers to GetIndicatorStateSince, in turn, and the
  // cursors it was asked with.
  std::deque<Result<IndicatorState>> state_answers;
  std::vector<std::string> state_cursors;

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
  Result<std::vector<InactiveIndicator>> GetIndicatorState() override {
    ++state_reads;
    return inactive;
  }
  Result<IndicatorState> GetIndicatorStateSince(const std::string& cursor) override {
    if (state_answers.empty()) return HubClient::GetIndicatorStateSince(cursor);
    state_cursors.push_back(cursor);
    auto answer = std::move(state_answers.front());
    state_answers.pop_front();
    return answer;
  }
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

// --- warning lists, the hub's indicator state, hub Sigma rules, syslog ------

const std::string kIndicatorC = "indicator--" + Uuid::V5(DannevirkeNamespace(), "c").ToString();
const std::string kSigmaRule = "indicator--" + Uuid::V5(DannevirkeNamespace(), "sigma").ToString();
const std::string kBrokenRule = "indicator--" + Uuid::V5(DannevirkeNamespace(), "broken").ToString();

std::string PatternIndicatorJson(const std::string& id, const std::string& pattern) {
  Json object = Json::parse(IndicatorJson(id, "192.0.2.1", "2026-01-01T00:00:00.000Z"));
  object["pattern"] = pattern;
  return object.dump();
}

std::string SigmaIndicatorJson(const std::string& id, const std::string& yaml) {
  Json object = Json::parse(IndicatorJson(id, "192.0.2.1", "2026-01-01T00:00:00.000Z"));
  object["pattern"] = yaml;
  object["pattern_type"] = "sigma";
  object["name"] = "SSH login with an unknown user";
  Organisation coordinator;
  coordinator.code = "CFCS";
  object["created_by_ref"] = coordinator.StixId();  // the coordinator: trusted by default
  return object.dump();
}

constexpr const char* kSshRule = R"(title: SSH login with an unknown user
id: 5f0b4c0e-8d0c-4b7e-9a55-2f1d7c3e6a01
status: test
logsource:
  product: linux
  service: sshd
detection:
  selection:
    message|contains: 'Failed password for invalid user'
  condition: selection
level: high
)";

class SensorFixture {
 public:
  SensorFixture() {
    options.collections = {"c1"};
    options.state_dir = dir.path() / "state";
    options.on_alert = [this](const detect::Alert& alert, bool retro) {
      alerts.push_back(std::string(retro ? "retro " : "live ") + alert.rule_id);
    };
    options.on_notice = [this](const std::string& notice) { notices.push_back(notice); };
  }
  void Publish(const std::string& json) {
    hub.objects.push_back({json, static_cast<std::int64_t>(hub.objects.size() + 1) * 1000});
  }
  // Feeds JSON lines through ScanLogs.
  void Scan(Sensor& sensor, const std::string& lines) {
    const fs::path log = dir.path() / ("log-" + std::to_string(++logs) + ".jsonl");
    std::ofstream(log) << lines;
    const std::vector<std::string> paths = {log.string()};
    ASSERT_TRUE(sensor.ScanLogs(paths).ok());
  }
  bool Noticed(const std::string& text) const {
    return std::find(notices.begin(), notices.end(), text) != notices.end();
  }

  TempDir dir;
  FakeHub hub;
  SensorOptions options;
  std::vector<std::string> alerts;
  std::vector<std::string> notices;
  int logs = 0;
};

TEST(Sensor, WarningListValuesNeverAlertAndTheSensorSaysWhy) {
  SensorFixture f;
  auto lists = WarningLists::BuiltIn();
  auto own = WarningListFromValues({"81.7.0.0/16", "kommune.example"}, "own-infrastructure",
                                   "the member's own infrastructure");
  ASSERT_TRUE(own.ok());
  lists.Add(std::move(*own));
  f.options.warning_lists = std::make_shared<const WarningLists>(std::move(lists));
  f.Publish(PatternIndicatorJson(kIndicatorA, "[ipv4-addr:value = '10.1.2.3' OR ipv4-addr:value = '185.220.101.4']"));
  f.Publish(PatternIndicatorJson(kIndicatorB, "[domain-name:value = 'download.windowsupdate.com']"));
  f.Publish(PatternIndicatorJson(kIndicatorC, "[ipv4-addr:value IN ('81.7.3.4', '185.220.101.5')]"));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok()) << sensor.error().ToString();
  ASSERT_TRUE((*sensor)->Pull().ok());
  EXPECT_TRUE(
      f.Noticed(kIndicatorA + " value 10.1.2.3 is on warning list rfc1918 (private address space): it will not alert"));
  EXPECT_TRUE(f.Noticed(kIndicatorB + ": every value is on a warning list: it leaves the active set"));
  EXPECT_TRUE(f.Noticed(kIndicatorC +
                        " value 81.7.3.4 is on warning list own-infrastructure (the member's own infrastructure): it "
                        "will not alert"));
  const SensorStats& stats = (*sensor)->stats();
  EXPECT_EQ(stats.warning_list_values, 3U);
  EXPECT_EQ(stats.warning_list_indicators, 1U);
  EXPECT_EQ(stats.indicators, 2U);

  f.Scan(**sensor, R"({"DestinationIp": "10.1.2.3", "QueryName": "download.windowsupdate.com"})"
                   "\n"
                   R"({"DestinationIp": "81.7.3.4"})"
                   "\n"
                   R"({"DestinationIp": "185.220.101.4"})"
                   "\n"
                   R"({"DestinationIp": "185.220.101.5"})"
                   "\n");
  EXPECT_EQ(f.alerts, (std::vector<std::string>{"live " + kIndicatorA, "live " + kIndicatorC}));
  // Logged once: a rebuild does not repeat the notices.
  const std::size_t notices = f.notices.size();
  f.Publish(IndicatorJson(kIndicatorA, "10.9.9.9", "2026-02-01T00:00:00.000Z"));
  ASSERT_TRUE((*sensor)->Pull().ok());
  EXPECT_EQ(f.notices.size(), notices + 2);  // 10.9.9.9 is new; A now has only benign values
}

TEST(Sensor, TheHubsStateSinceACursorChangesOnlyWhatItNames) {
  SensorFixture f;
  f.Publish(IndicatorJson(kIndicatorA, "185.220.101.4", "2026-01-01T00:00:00.000Z"));
  f.Publish(IndicatorJson(kIndicatorB, "185.220.101.5", "2026-01-01T00:00:00.000Z"));
  f.Publish(IndicatorJson(kIndicatorC, "185.220.101.6", "2026-01-01T00:00:00.000Z"));
  IndicatorState whole;
  whole.inactive = {{kIndicatorA, "expired", ""}, {kIndicatorB, "revoked", ""}};
  whole.cursor = "10-1000";
  IndicatorState delta;
  delta.complete = false;
  delta.inactive = {{kIndicatorC, "false_positive", "ours"}};
  delta.active = {kIndicatorA};
  delta.cursor = "12-2000";
  f.hub.state_answers.push_back(whole);
  f.hub.state_answers.push_back(delta);
  // A hub that no longer knows the cursor refuses it: the sensor asks for the whole state.
  f.hub.state_answers.push_back(Error::InvalidArgument("query parameter 'since' must be a cursor"));
  IndicatorState again;
  again.inactive = {{kIndicatorB, "revoked", ""}};
  again.cursor = "13-3000";
  f.hub.state_answers.push_back(again);
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok());
  auto pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok());
  EXPECT_EQ(pulled->inactive, 2U);
  EXPECT_TRUE(f.Noticed(kIndicatorA + " is inactive at the hub (expired): it will not alert"));
  pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok());
  EXPECT_EQ(pulled->inactive, 2U) << "B, not named, stays inactive; A is active again; C is inactive";
  EXPECT_TRUE(f.Noticed(kIndicatorA + " is active again at the hub: it alerts again"));
  EXPECT_TRUE(f.Noticed(kIndicatorC + " is inactive at the hub (false_positive: ours): it will not alert"));
  // Only C and B are held out now: A alerts again, C does not.
  f.Scan(**sensor, R"({"DestinationIp": "185.220.101.4"})"
                   "\n"
                   R"({"DestinationIp": "185.220.101.6"})"
                   "\n");
  EXPECT_EQ((*sensor)->stats().indicator_hits, 1U);
  pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok());
  EXPECT_EQ(pulled->inactive, 1U);
  EXPECT_TRUE(f.Noticed(kIndicatorC + " is active again at the hub: it alerts again"));
  EXPECT_EQ(f.hub.state_cursors, (std::vector<std::string>{"", "10-1000", "12-2000", ""}));
}

TEST(Sensor, AFalsePositiveAtTheHubStopsAlertsAtTheNextCycle) {
  SensorFixture f;
  f.Publish(IndicatorJson(kIndicatorA, "185.220.101.4", "2026-01-01T00:00:00.000Z"));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok());
  ASSERT_TRUE((*sensor)->Pull().ok());
  const std::string line = R"({"DestinationIp": "185.220.101.4"})"
                           "\n";
  f.Scan(**sensor, line);
  EXPECT_EQ((*sensor)->stats().indicator_hits, 1U);

  f.hub.inactive = {{kIndicatorA, "false_positive", "our backup server"}};
  auto pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok());
  EXPECT_TRUE(pulled->rebuilt);
  EXPECT_EQ(pulled->inactive, 1U);
  EXPECT_TRUE(
      f.Noticed(kIndicatorA + " is inactive at the hub (false_positive: our backup server): it will not alert"));
  f.Scan(**sensor, line);
  EXPECT_EQ((*sensor)->stats().indicator_hits, 1U);  // no new hit
  EXPECT_EQ((*sensor)->stats().inactive_indicators, 1U);

  // A new indicator that arrives already expired is neither matched nor hunted.
  f.hub.inactive.push_back({kIndicatorB, "expired", ""});
  f.Publish(IndicatorJson(kIndicatorB, "185.220.101.4", "2026-01-01T00:00:00.000Z"));
  pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok());
  EXPECT_EQ(pulled->added, 1U);
  EXPECT_EQ(pulled->retro_hits, 0U);

  // Off the list again: it alerts at the next cycle.
  f.hub.inactive.clear();
  ASSERT_TRUE((*sensor)->Pull().ok());
  EXPECT_TRUE(f.Noticed(kIndicatorA + " is active again at the hub: it alerts again"));
  f.Scan(**sensor, line);
  EXPECT_EQ((*sensor)->stats().indicator_hits, 3U);  // A and B
  EXPECT_EQ(f.hub.state_reads, 4);
}

TEST(Sensor, HubSigmaRulesMatchLiveAndByRetroHuntAndBadOnesAreReported) {
  SensorFixture f;
  const std::string attempt = R"({"@timestamp": "2025-11-02T03:04:05Z", "app": "sshd", "host": "web01", )"
                              R"("message": "Failed password for invalid user admin from 185.220.101.4"})"
                              "\n";
  {
    auto sensor = Sensor::Create(f.hub, f.options);
    ASSERT_TRUE(sensor.ok());
    ASSERT_TRUE((*sensor)->Pull().ok());
    f.Scan(**sensor, attempt);  // archived before the rule exists
  }
  f.Publish(SigmaIndicatorJson(kSigmaRule, kSshRule));
  f.Publish(
      SigmaIndicatorJson(kBrokenRule, "title: broken\nlogsource: {product: linux}\ndetection:\n  condition: nope\n"));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok());
  auto pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->retro_hits, 1U);
  EXPECT_EQ(f.alerts, std::vector<std::string>{"retro " + kSigmaRule});
  const SensorStats& stats = (*sensor)->stats();
  EXPECT_EQ(stats.sigma_indicators, 1U);
  EXPECT_EQ(stats.sigma_indicators_failed, 1U);
  ASSERT_EQ(f.notices.size(), 1U);
  EXPECT_EQ(f.notices[0].rfind(kBrokenRule + ": Sigma rule skipped: ", 0), 0U) << f.notices[0];

  f.Scan(**sensor, attempt);
  f.Scan(**sensor, R"({"app": "sshd", "message": "Accepted publickey for deploy"})"
                   "\n");
  EXPECT_EQ((*sensor)->stats().sigma_indicator_hits, 1U);
  EXPECT_EQ((*sensor)->stats().sigma_alerts, 0U);  // shared rules are not local alerts
  ASSERT_EQ(*(*sensor)->Publish(), 1U);
  const Json sighting = Json::parse(f.hub.posts[0][0]);
  EXPECT_EQ(sighting["sighting_of_ref"], kSigmaRule);
  EXPECT_EQ(sighting["count"], 2);  // the archived and the live event, same hour
  EXPECT_EQ(f.hub.posts[0][0].find("admin"), std::string::npos);
  EXPECT_EQ(f.hub.posts[0][0].find("web01"), std::string::npos);
}

std::string WithPublisher(const std::string& json, const std::string& org_code) {
  Json object = Json::parse(json);
  Organisation publisher;
  publisher.code = org_code;
  object["created_by_ref"] = publisher.StixId();
  return object.dump();
}

// Shared detection content runs only from trusted publishers; sightings of a
// trusted non-coordinator's content are counts-only, rounded to the hour.
TEST(Sensor, ContentOfUntrustedPublishersIsHeldOutAndOtherPublishersSightingsRevealLess) {
  const std::string kAarhusRule = "indicator--" + Uuid::V5(DannevirkeNamespace(), "aarhus-rule").ToString();
  const std::string kUnnamed = "indicator--" + Uuid::V5(DannevirkeNamespace(), "unnamed").ToString();
  const std::string kOdenseRule = "indicator--" + Uuid::V5(DannevirkeNamespace(), "odense-rule").ToString();
  SensorFixture f;
  f.options.org_code = "0101";
  f.options.trusted_publishers = {"0751"};
  std::string aarhus_rule = kSshRule;
  aarhus_rule.replace(aarhus_rule.find("5f0b4c0e"), 8, "5f0b4c0f");
  std::string odense_rule = kSshRule;
  odense_rule.replace(odense_rule.find("5f0b4c0e"), 8, "5f0b4c10");
  f.Publish(SigmaIndicatorJson(kSigmaRule, kSshRule));                             // the coordinator's
  f.Publish(WithPublisher(SigmaIndicatorJson(kAarhusRule, aarhus_rule), "0751"));  // trusted explicitly
  f.Publish(WithPublisher(SigmaIndicatorJson(kOdenseRule, odense_rule), "0461"));  // not trusted
  f.Publish(WithPublisher(PatternIndicatorJson(kIndicatorA, "[process:command_line LIKE 'Failed%']"), "0461"));
  f.Publish(PatternIndicatorJson(kUnnamed, "[process:command_line MATCHES '^Failed']"));  // no publisher named
  f.Publish(WithPublisher(PatternIndicatorJson(kIndicatorB, "[ipv4-addr:value = '185.220.101.4']"), "0461"));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok()) << sensor.error().ToString();
  ASSERT_TRUE((*sensor)->Pull().ok());
  const SensorStats& stats = (*sensor)->stats();
  EXPECT_EQ(stats.sigma_indicators, 2U);
  EXPECT_EQ(stats.untrusted_skipped, 3U);
  Organisation odense;
  odense.code = "0461";
  EXPECT_TRUE(f.Noticed(kOdenseRule + ": Sigma rule skipped: its publisher (" + odense.StixId() +
                        ") is not trusted by this member (--trust-publisher)"));
  EXPECT_TRUE(f.Noticed(kIndicatorA + ": indicator skipped: it is not an exact value and its publisher (" +
                        odense.StixId() + ") is not trusted by this member (--trust-publisher)"));
  EXPECT_TRUE(f.Noticed(kUnnamed +
                        ": indicator skipped: it is not an exact value and its publisher (none named) is not "
                        "trusted by this member (--trust-publisher)"));

  f.Scan(**sensor, R"({"@timestamp": "2026-03-02T10:17:05Z", "app": "sshd", "DestinationIp": "185.220.101.4", )"
                   R"("message": "Failed password for invalid user admin"})"
                   "\n");
  EXPECT_EQ((*sensor)->stats().sigma_indicator_hits, 2U);  // the coordinator's and Aarhus's rule
  EXPECT_EQ((*sensor)->stats().indicator_hits, 3U);        // and the exact address of Odense
  ASSERT_EQ(*(*sensor)->Publish(), 3U);
  std::map<std::string, Json> by_indicator;
  for (const auto& text : f.hub.posts[0]) {
    const Json sighting = Json::parse(text);
    by_indicator[sighting["sighting_of_ref"]] = sighting;
  }
  ASSERT_EQ(by_indicator.size(), 3U);
  for (const std::string& full : {kSigmaRule, kIndicatorB}) {
    EXPECT_EQ(by_indicator[full]["first_seen"], "2026-03-02T10:17:05.000Z") << full;
    EXPECT_TRUE(by_indicator[full].contains("created_by_ref")) << full;
    EXPECT_TRUE(by_indicator[full].contains("object_marking_refs")) << full;
  }
  const Json& reduced = by_indicator[kAarhusRule];
  EXPECT_EQ(reduced["first_seen"], "2026-03-02T10:00:00.000Z");
  EXPECT_EQ(reduced["last_seen"], "2026-03-02T10:00:00.000Z");
  EXPECT_EQ(reduced["count"], 1);
  for (const char* absent : {"created_by_ref", "where_sighted_refs", "object_marking_refs"}) {
    EXPECT_FALSE(reduced.contains(absent)) << absent;
  }
}

TEST(Sensor, HubSigmaRulesOverBudgetAreSkippedNamingTheLimit) {
  const std::string kDeep = "indicator--" + Uuid::V5(DannevirkeNamespace(), "deep").ToString();
  SensorFixture f;
  std::string deep = kSshRule;
  deep.replace(deep.find("condition: selection"), 20,
               "condition: " + std::string(100, '(') + "selection" + std::string(100, ')'));
  deep.replace(deep.find("5f0b4c0e"), 8, "5f0b4c11");
  f.Publish(SigmaIndicatorJson(kSigmaRule, kSshRule));
  f.Publish(SigmaIndicatorJson(kDeep, deep));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok());
  ASSERT_TRUE((*sensor)->Pull().ok());
  EXPECT_EQ((*sensor)->stats().sigma_indicators, 1U);
  EXPECT_EQ((*sensor)->stats().sigma_indicators_failed, 1U);
  EXPECT_TRUE(f.Noticed(kDeep + ": Sigma rule skipped: " + kDeep +
                        ":10: condition column 65: parentheses nested deeper than the limit of 64"))
      << (f.notices.empty() ? "" : f.notices.back());
}

// --- correlation rules ---------------------------------------------------------

const std::string kCorrelationRule = "indicator--" + Uuid::V5(DannevirkeNamespace(), "correlation").ToString();

// Three failed SSH logins on one host within five minutes; the single
// failures do not alert on their own (no `generate`).
constexpr const char* kBruteForceRules = R"(title: SSH failed password
id: 6a1d0c2e-3b4f-4c5d-8e6f-7a8b9c0d1e21
name: ssh_failed_password
status: test
logsource:
  product: linux
  service: sshd
detection:
  selection:
    message|contains: 'Failed password'
  condition: selection
level: low
---
title: SSH brute force against one host
id: 6a1d0c2e-3b4f-4c5d-8e6f-7a8b9c0d1e22
status: test
correlation:
  type: event_count
  rules: [ssh_failed_password]
  group-by: [host]
  timespan: 5m
  condition: {gte: 3}
level: high
)";

std::string FailedSsh(const std::string& time, const std::string& host) {
  return R"({"@timestamp": ")" + time + R"(", "app": "sshd", "host": ")" + host +
         R"(", "message": "Failed password for root from 185.220.101.4"})"
         "\n";
}

TEST(Sensor, HubCorrelationRulesFireOnTheLiveStreamAndAreSightedLikeOtherHubRules) {
  SensorFixture f;
  f.Publish(SigmaIndicatorJson(kCorrelationRule, kBruteForceRules));
  // A correlation may count only its own indicator's rules.
  std::string stray = kBruteForceRules;
  stray = stray.substr(stray.find("---\n") + 4);
  stray.replace(stray.find("1e22"), 4, "1e23");
  f.Publish(SigmaIndicatorJson(kBrokenRule, stray));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok()) << sensor.error().ToString();
  ASSERT_TRUE((*sensor)->Pull().ok());
  EXPECT_EQ((*sensor)->stats().sigma_indicators, 1U);
  EXPECT_TRUE(f.Noticed(kBrokenRule +
                        ": Sigma rule skipped: correlation '6a1d0c2e-3b4f-4c5d-8e6f-7a8b9c0d1e23' refers to "
                        "'ssh_failed_password', which is not in the same indicator"))
      << (f.notices.empty() ? "" : f.notices.back());

  f.Scan(**sensor, FailedSsh("2026-03-02T10:00:00Z", "web01") + FailedSsh("2026-03-02T10:01:00Z", "web01") +
                       FailedSsh("2026-03-02T10:01:30Z", "web02"));
  EXPECT_TRUE(f.alerts.empty());  // two on web01, one on web02
  f.Scan(**sensor, FailedSsh("2026-03-02T10:02:00Z", "web01") + FailedSsh("2026-03-02T10:03:00Z", "web01"));
  EXPECT_EQ(f.alerts, std::vector<std::string>{"live " + kCorrelationRule});  // one burst, one alert
  const SensorStats& stats = (*sensor)->stats();
  EXPECT_EQ(stats.correlation_alerts, 1U);
  EXPECT_EQ(stats.sigma_indicator_hits, 1U);
  EXPECT_EQ(stats.sigma_alerts, 0U);
  ASSERT_EQ(*(*sensor)->Publish(), 1U);
  const Json sighting = Json::parse(f.hub.posts[0][0]);
  EXPECT_EQ(sighting["sighting_of_ref"], kCorrelationRule);
  EXPECT_EQ(sighting["count"], 1);
  EXPECT_EQ(sighting["first_seen"], "2026-03-02T10:02:00.000Z");  // the event that completed it
  EXPECT_EQ(f.hub.posts[0][0].find("web01"), std::string::npos);
}

TEST(Sensor, ARetroHuntRunsNewHubCorrelationRulesOverTheArchiveInTimeOrder) {
  SensorFixture f;
  {
    auto sensor = Sensor::Create(f.hub, f.options);
    ASSERT_TRUE(sensor.ok());
    ASSERT_TRUE((*sensor)->Pull().ok());
    // Archived before the rule exists, and not in time order.
    f.Scan(**sensor, FailedSsh("2025-11-02T03:04:00Z", "db01") + FailedSsh("2025-11-02T03:02:00Z", "db01"));
    f.Scan(**sensor, FailedSsh("2025-11-02T03:03:00Z", "db01") + FailedSsh("2025-11-02T04:00:00Z", "db01"));
    EXPECT_TRUE(f.alerts.empty());
  }
  f.Publish(SigmaIndicatorJson(kCorrelationRule, kBruteForceRules));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok());
  auto pulled = (*sensor)->Pull();
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->retro_hits, 1U);
  EXPECT_EQ(f.alerts, std::vector<std::string>{"retro " + kCorrelationRule});
  EXPECT_EQ((*sensor)->stats().correlation_alerts, 1U);
  ASSERT_EQ(*(*sensor)->Publish(), 1U);
  const Json sighting = Json::parse(f.hub.posts[0][0]);
  EXPECT_EQ(sighting["sighting_of_ref"], kCorrelationRule);
  EXPECT_EQ(sighting["count"], 1);
  EXPECT_EQ(sighting["first_seen"], "2025-11-02T03:04:00.000Z");
}

TEST(Sensor, LocalCorrelationRulesAlertLocallyAndAreNeverPosted) {
  SensorFixture f;
  const fs::path rules = f.dir.path() / "local.yml";
  std::ofstream(rules) << kBruteForceRules;
  f.options.rule_paths = {rules.string()};
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok()) << sensor.error().ToString();
  ASSERT_TRUE((*sensor)->Pull().ok());
  f.Scan(**sensor, FailedSsh("2026-03-02T10:00:00Z", "web01") + FailedSsh("2026-03-02T10:01:00Z", "web01") +
                       FailedSsh("2026-03-02T10:02:00Z", "web01"));
  EXPECT_EQ(f.alerts, std::vector<std::string>{"live 6a1d0c2e-3b4f-4c5d-8e6f-7a8b9c0d1e22"});
  EXPECT_EQ((*sensor)->stats().sigma_alerts, 1U);
  EXPECT_EQ((*sensor)->stats().correlation_alerts, 1U);
  EXPECT_EQ(*(*sensor)->Publish(), 0U);
  EXPECT_TRUE(f.hub.posts.empty());
}

TEST(Sensor, SyslogMessagesOverUdpAndTcpBecomeEventsAndAlerts) {
  SensorFixture f;
  f.Publish(IndicatorJson(kIndicatorA, "185.220.101.4", "2026-01-01T00:00:00.000Z"));
  f.Publish(SigmaIndicatorJson(kSigmaRule, kSshRule));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok());
  ASSERT_TRUE((*sensor)->Pull().ok());
  SyslogListenerOptions listen;
  listen.udp = "127.0.0.1:0";
  listen.tcp = "127.0.0.1:0";
  auto listener = SyslogListener::Start(listen);
  ASSERT_TRUE(listener.ok()) << listener.error().ToString();

  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons((*listener)->udp_port());
  const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  for (const std::string message :
       {"<38>1 2026-03-01T10:00:00Z web01 sshd 77 - - Failed password for invalid user oracle from 185.220.101.4",
        "<38>1 broken timestamp"}) {
    ::sendto(udp, message.data(), message.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }
  ::close(udp);
  const int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
  to.sin_port = htons((*listener)->tcp_port());
  ASSERT_EQ(::connect(tcp, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0);
  const std::string stream =
      "<134>Mar  1 10:00:01 fw01 CEF:0|Vendor|Firewall|1.0|100|blocked|5|src=185.220.101.4 dst=81.7.3.4\n";
  ASSERT_GT(::send(tcp, stream.data(), stream.size(), 0), 0);
  ::close(tcp);

  LineParser parser;
  Event event;
  std::uint64_t bad = 0;
  std::vector<SyslogMessage> batch;
  std::size_t received = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (received < 3 && std::chrono::steady_clock::now() < deadline) {
    (*listener)->Take(batch, 100, std::chrono::milliseconds(50));
    for (const auto& message : batch) {
      ++received;
      if (DecodeSyslog(message, parser, event).ok()) {
        (*sensor)->ProcessEvent(event);
      } else {
        ++bad;
      }
    }
  }
  ASSERT_EQ(received, 3U);
  EXPECT_EQ(bad, 1U);
  EXPECT_EQ((*sensor)->stats().events, 2U);
  std::vector<std::string> sorted = f.alerts;
  std::sort(sorted.begin(), sorted.end());
  // The sshd line hits the shared rule (the address is only in its free text); the CEF line the address.
  EXPECT_EQ(sorted, (std::vector<std::string>{"live " + kIndicatorA, "live " + kSigmaRule}));
}

std::string SuricataIndicatorJson(const std::string& id, const std::string& rule) {
  Json object = Json::parse(SigmaIndicatorJson(id, rule));  // the coordinator's
  object["pattern_type"] = "suricata";
  return object.dump();
}

// Suricata rules shared as indicators reach the member's rules file: valid
// ones from trusted publishers only, one per line; a withdrawn one leaves.
TEST(Sensor, SharedSuricataRulesAreWrittenToTheRulesFileAndLeaveItWhenWithdrawn) {
  SensorFixture f;
  const fs::path rules_file = f.dir.path() / "dannevirke.rules";
  f.options.suricata_rules_file = rules_file;
  const std::string ike = R"(alert udp any any -> $HOME_NET 500 (msg:"DV IKE to Zyxel"; sid:9000001; rev:1;))";
  f.Publish(SuricataIndicatorJson(kIndicatorA, ike));
  f.Publish(SuricataIndicatorJson(kIndicatorB,
                                  "alert ip any any -> any any (msg:\"x\";)\nalert ip any any -> any any "
                                  "(sid:1;)"));
  f.Publish(WithPublisher(SuricataIndicatorJson(kIndicatorC, "alert ip any any -> any any (sid:2;)"), "0461"));
  auto sensor = Sensor::Create(f.hub, f.options);
  ASSERT_TRUE(sensor.ok()) << sensor.error().ToString();
  ASSERT_TRUE((*sensor)->Pull().ok());
  auto read = [&] {
    std::ifstream in(rules_file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  EXPECT_EQ(read(),
            "# Suricata rules shared as STIX indicators, written by the Dannevirke sensor.\n"
            "# Replaced whole at every change; do not edit (edits are lost).\n# " +
                kIndicatorA + "\n" + ike + "\n");
  EXPECT_EQ((*sensor)->stats().suricata_rules, 1U);
  EXPECT_EQ((*sensor)->stats().suricata_rules_skipped, 2U);
  EXPECT_EQ((*sensor)->stats().indicators_unsupported, 0U);  // not handed to the STIX matcher
  EXPECT_TRUE(f.Noticed(kIndicatorB + ": Suricata rule skipped: control byte 0x0a at offset 38 (a rule is one line of "
                                      "text)"));
  EXPECT_TRUE(std::any_of(f.notices.begin(), f.notices.end(), [&](const std::string& notice) {
    return notice.starts_with(kIndicatorC + ": Suricata rule skipped: its publisher");
  }));

  f.hub.inactive = {{kIndicatorA, "false_positive", "ours"}};
  ASSERT_TRUE((*sensor)->Pull().ok());
  EXPECT_EQ(read().find(ike), std::string::npos);
  EXPECT_EQ((*sensor)->stats().suricata_rules, 0U);
}

// The scenario of docs/ingest.md, "Network telemetry": one IKE packet (UDP/500)
// to a Zyxel firewall from the address of a shared indicator, as the
// firewall's syslog line (from a file and from the syslog listener), as a
// Suricata EVE flow record and as a Zeek conn.log record, each gives a
// sighting of the indicator.
TEST(Sensor, AnIkePacketFromASharedIndicatorsAddressIsSightedInFirewallSuricataAndZeekLogs) {
  TempDir dir;
  FakeHub hub;
  const std::int64_t base_us = Timestamp::FromCivil(2026, 3, 1).unix_ms() * 1000;
  hub.objects.push_back({IndicatorJson(kIndicatorA, "203.0.113.7", "2026-01-01T00:00:00.000Z"), base_us + 1});
  SensorOptions options;
  options.collections = {"c1"};
  options.state_dir = dir.path() / "state";
  auto sensor = Sensor::Create(hub, options);
  ASSERT_TRUE(sensor.ok()) << sensor.error().ToString();
  ASSERT_TRUE((*sensor)->Pull().ok());

  const std::string zyxel =
      R"(<134>Mar  1 10:15:00 usgflex100 src="203.0.113.7:500" dst="192.0.2.10:500" )"
      R"(msg="priority:1, from WAN to ZyWALL, UDP, service IKE, DROP" note="ACCESS BLOCK" user="unknown" )"
      R"(devID="bc99a1b2c3d4" cat="Firewall" class="Access Control" dir="WAN1:ZyWALL" protoID=17 proto="ike")";
  std::ofstream(dir.path() / "zyxel.log") << zyxel << "\n";
  std::ofstream(dir.path() / "eve.json")
      << R"({"timestamp":"2026-03-01T10:15:00.250000+0000","flow_id":1,"event_type":"flow","src_ip":"203.0.113.7",)"
      << R"("src_port":500,"dest_ip":"192.0.2.10","dest_port":500,"proto":"UDP","app_proto":"ikev2",)"
      << R"("flow":{"pkts_toserver":1,"pkts_toclient":0,"state":"new"}})"
      << "\n";
  std::ofstream(dir.path() / "conn.log")
      << "#separator \\x09\n#path\tconn\n"
      << "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tconn_state\n"
      << "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\n"
      << "1772360100.500000\tCz1\t203.0.113.7\t500\t192.0.2.10\t500\tudp\tike\tS0\n";
  const std::vector<std::string> paths = {(dir.path() / "zyxel.log").string(), (dir.path() / "eve.json").string(),
                                          (dir.path() / "conn.log").string()};
  ASSERT_TRUE((*sensor)->ScanLogs(paths).ok());
  EXPECT_EQ((*sensor)->stats().events, 3U);
  EXPECT_EQ((*sensor)->stats().indicator_hits, 3U);

  // The same firewall line as the syslog listener hands it over.
  LineParser parser(Timestamp::FromCivil(2026, 3, 2));
  Event event;
  ASSERT_TRUE(DecodeSyslog(SyslogMessage{zyxel, "udp 192.0.2.1:514"}, parser, event).ok());
  (*sensor)->ProcessEvent(event);
  EXPECT_EQ((*sensor)->stats().indicator_hits, 4U);

  auto published = (*sensor)->Publish();
  ASSERT_TRUE(published.ok()) << published.error().ToString();
  ASSERT_EQ(hub.posts.size(), 1U);
  const Json sighting = Json::parse(hub.posts[0][0]);
  EXPECT_EQ(sighting["sighting_of_ref"], kIndicatorA);
  EXPECT_EQ(sighting["count"], 4);
  EXPECT_EQ(sighting["first_seen"], "2026-03-01T10:15:00.000Z");
}

}  // namespace
}  // namespace dv::sensor
