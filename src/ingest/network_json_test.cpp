// SPDX-License-Identifier: Apache-2.0
#include "ingest/network_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/line_parser.h"
#include "ingest/test_util.h"

namespace dv {
namespace {

using ::testing::Contains;
using testing::Fields;
using ::testing::Not;
using ::testing::Pair;

Event Parse(std::string_view line) {
  LineParser parser;
  Event event;
  LogFormat format = LogFormat::kPlain;
  EXPECT_TRUE(parser.ParseLine(line, event, format).ok()) << line;
  EXPECT_EQ(format, LogFormat::kJsonLines);
  return event;
}

TEST(NetworkJson, CompletesSuricataEveRecords) {
  const Event http = Parse(
      R"({"timestamp":"2026-03-01T11:15:00.123456+0100","flow_id":1,"event_type":"http","src_ip":"192.0.2.20",)"
      R"("src_port":51000,"dest_ip":"203.0.113.7","dest_port":8080,"proto":"TCP","http":{"hostname":"evil.example",)"
      R"("http_port":8080,"url":"/payload.bin","http_method":"GET","status":200}})");
  EXPECT_THAT(Fields(http), Contains(Pair("event.module", "suricata")));
  EXPECT_THAT(Fields(http), Contains(Pair("event.dataset", "suricata.http")));
  EXPECT_THAT(Fields(http), Contains(Pair("url.full", "http://evil.example:8080/payload.bin")));
  ASSERT_TRUE(http.time.has_value());
  EXPECT_EQ(http.time->ToRfc3339(), "2026-03-01T10:15:00.123Z");

  const Event dns = Parse(
      R"({"timestamp":"2026-03-01T10:15:00.000000+0000","event_type":"dns","src_ip":"192.0.2.20","dest_ip":"192.0.2.53",)"
      R"("dns":{"version":3,"type":"request","queries":[{"rrname":"evil.example","rrtype":"A"}]}})");
  EXPECT_THAT(Fields(dns), Contains(Pair("dns.queries.rrname", "evil.example")));
  EXPECT_THAT(Fields(dns), Contains(Pair("event.dataset", "suricata.dns")));
}

TEST(NetworkJson, CompletesZeekJsonAndLeavesOtherJsonAlone) {
  const Event conn =
      Parse(R"({"ts":1772360100.5,"uid":"Ca1","id.orig_h":"203.0.113.7","id.orig_p":500,"id.resp_h":"192.0.2.10",)"
            R"("id.resp_p":500,"proto":"udp","conn_state":"S0"})");
  EXPECT_THAT(Fields(conn), Contains(Pair("event.dataset", "zeek.conn")));
  EXPECT_EQ(conn.time->ToRfc3339(), "2026-03-01T10:15:00.500Z");
  const Event http =
      Parse(R"({"_path":"http","ts":"2026-03-01T10:15:00.000000Z","uid":"Cb","id.orig_h":"192.0.2.20","id.orig_p":1,)"
            R"("id.resp_h":"203.0.113.7","id.resp_p":80,"method":"GET","host":"evil.example","uri":"/x"})");
  EXPECT_THAT(Fields(http), Contains(Pair("url.full", "http://evil.example/x")));
  EXPECT_THAT(Fields(http), Contains(Pair("event.dataset", "zeek.http")));

  const Event other = Parse(R"({"event_type":"login","user":"bob"})");
  EXPECT_THAT(Fields(other), Not(Contains(Pair("event.module", ::testing::_))));
}

}  // namespace
}  // namespace dv
