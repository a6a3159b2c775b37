// SPDX-License-Identifier: Apache-2.0
// Capture test (issue 14; docs/protect.md, "Counting blocks"): the real
// sensor binary counts blocks from golden Unbound, BIND and firewall logs
// full of query names, client addresses and resolver names, talking to a
// recording hub. Everything it sends — URLs, headers, bodies — is recorded,
// and none of those appears anywhere: only indicator ids, hours and counts
// leave the member.

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Json = nlohmann::json;
const std::string kCollection = "7c1b0f4e-2a47-4c6f-8a53-0000000000c1";
const std::string kTestdata = std::string(DV_SOURCE_DIR) + "/src/sensor/testdata/blocks/";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(BlockCapture, NoQueryNameClientAddressOrResolverNameLeaves) {
  std::mutex mutex;
  std::vector<std::string> sent;  // each request: method, URL, headers, body
  std::vector<Json> posted;
  httplib::Server hub;
  hub.set_logger([&](const httplib::Request& req, const httplib::Response&) {
    std::string record = req.method + " " + req.target + "\n";
    for (const auto& [name, value] : req.headers) record += name + ": " + value + "\n";
    record += req.body;
    std::lock_guard lock(mutex);
    sent.push_back(std::move(record));
  });
  hub.Get("/api/v1/indicators/state", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"generated":"2026-12-06T00:00:00.000Z","inactive":[]})", "application/json");
  });
  hub.Get(R"(/taxii2/dannevirke/collections/([^/]+)/objects/)", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"more":false,"objects":[]})", "application/taxii+json;version=2.1");
  });
  const std::string mapping = Slurp(std::string(DV_SOURCE_DIR) + "/src/protect/testdata/basic/expected.mapping.json");
  hub.Get("/api/v1/protection/members/0101/rpz/mapping",
          [&](const httplib::Request&, httplib::Response& res) { res.set_content(mapping, "application/json"); });
  hub.Post(R"(/taxii2/dannevirke/collections/([^/]+)/objects/)",
           [&](const httplib::Request& req, httplib::Response& res) {
             const Json envelope = Json::parse(req.body);
             {
               std::lock_guard lock(mutex);
               for (const auto& object : envelope["objects"]) posted.push_back(object);
             }
             const auto n = envelope["objects"].size();
             res.status = 202;
             res.set_content(Json{{"id", "status-1"},
                                  {"status", "complete"},
                                  {"total_count", n},
                                  {"success_count", n},
                                  {"failure_count", 0},
                                  {"pending_count", 0}}
                                 .dump(),
                             "application/taxii+json;version=2.1");
           });
  const int port = hub.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread server([&] { hub.listen_after_bind(); });
  while (!hub.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(10));

  const auto dir = std::filesystem::temp_directory_path() / ("dv-block-capture-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string command =
      std::string(DV_BINARY) + " sensor --once --quiet --no-archive --hub http://127.0.0.1:" + std::to_string(port) +
      " --token capture-token --collection " + kCollection + " --org 0101 --archive " + (dir / "state").string() +
      " --rpz-log " + kTestdata + "unbound.log --rpz-log " + kTestdata + "unbound_ascii.log --bind-rpz-log " +
      kTestdata + "bind.log --firewall-log " + kTestdata + "firewall.log > " + (dir / "out").string() + " 2>&1";
  const int status = std::system(command.c_str());
  hub.stop();
  server.join();
  EXPECT_EQ(status, 0) << Slurp((dir / "out").string());

  // Blocks were counted and sent, as block sightings only.
  ASSERT_FALSE(posted.empty()) << Slurp((dir / "out").string());
  std::int64_t total = 0;
  for (const auto& object : posted) {
    EXPECT_EQ(object["type"], "sighting");
    EXPECT_EQ(object["x_dannevirke_block"], true);
    EXPECT_FALSE(object.contains("where_sighted_refs"));
    EXPECT_FALSE(object.contains("observed_data_refs"));
    EXPECT_FALSE(object.contains("created_by_ref"));
    total += object["count"].get<std::int64_t>();
  }
  EXPECT_GT(total, 20);

  // What the logs hold and must never leave: query names, client addresses
  // and ports, resolver and firewall names, the member's RPZ log names and
  // zone names, and the blocked values themselves (only indicator ids go).
  const std::vector<std::string> secrets = {"www.phish-login",
                                            "WWW.Phish-Login",
                                            "shop.phish-login",
                                            "phish-login.example",
                                            "fine.example",
                                            "other.example",
                                            "six.example",
                                            "bad6.example",
                                            "single.example",
                                            "x.example",
                                            "xn--rdgrd",
                                            "10.20.30.",
                                            "@51019",
                                            "46097",
                                            "47620",
                                            "#41234",
                                            "2001:0db8",
                                            "2001:db8",
                                            "resolver1",
                                            "fw1",
                                            "unbound[",
                                            "named[",
                                            "dv with space",
                                            "dannevirke-monitor",
                                            "rpz.dannevirke.dk",
                                            "198.51.100.23",
                                            "203.0.113",
                                            "192.0.2.250",
                                            "rpz-ip",
                                            "blocked.kommune"};
  std::lock_guard lock(mutex);
  ASSERT_FALSE(sent.empty());
  for (const auto& request : sent) {
    for (const auto& secret : secrets) {
      EXPECT_EQ(request.find(secret), std::string::npos) << "'" << secret << "' left the member in:\n" << request;
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
