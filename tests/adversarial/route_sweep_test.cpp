// SPDX-License-Identifier: Apache-2.0
// Every GET in the API's contract, on a young hub: the federation's
// organisations are known but nobody has assessed, registered, reported or
// configured anything yet — the state in which views that assume "enough
// data" divide by zero or index empty lists. Each route is asked by nobody,
// a sensor, a member and a coordinator, with path parameters that name the
// member's own organisation or an id that does not exist. What a member
// relies on: no answer is a server error, and the hub is alive afterwards.

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hub/hub_server.h"
#include "support/hub_client.h"
#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;

// `path` with each {parameter} replaced: organisation codes by `code`,
// a token by one of the right form, anything else by a value that names
// nothing.
std::string Fill(const std::string& path, const std::string& code) {
  std::string out;
  for (std::size_t idx = 0; idx < path.size(); ++idx) {
    if (path[idx] != '{') {
      out += path[idx];
      continue;
    }
    const std::size_t end = path.find('}', idx);
    const std::string name = path.substr(idx + 1, end - idx - 1);
    if (name == "code" || name == "org" || name == "member") {
      out += code;
    } else if (name == "token") {
      out += "dva_nothing";  // the form of an acknowledge link, signed by nobody
    } else {
      out += "nothing-here";
    }
    idx = end;
  }
  return out;
}

TEST(RouteSweep, NoGetAnswersWithAServerErrorOnAYoungHub) {
  test::TestHub hub("route-sweep");
  hub.AddMember("cfcs", "CFCS", MemberRole::kCoordinator);
  hub.AddMember("kbh", "0101", MemberRole::kMember);
  hub.AddMember("kbh-sensor", "0101", MemberRole::kSensor);
  hub.Start();
  const Json document = Json::parse(HubOpenApiDocument());
  int asked = 0;
  for (const auto& [path, operations] : document["paths"].items()) {
    if (!operations.contains("get")) continue;
    for (const std::string who : {"", "kbh-sensor", "kbh", "cfcs"}) {
      httplib::Headers headers;
      if (!who.empty()) headers = test::BearerHeaders(hub.tokens().at(who));
      const std::string url = Fill(path, "0101");
      auto res = test::HubClient(hub.port()).Send("GET", url, headers, "", test::kJsonType);
      ASSERT_TRUE(res) << "GET " << url << " as " << (who.empty() ? "nobody" : who) << ": no answer";
      EXPECT_LT(res->status, 500) << "GET " << url << " as " << (who.empty() ? "nobody" : who) << ": "
                                  << res->body.substr(0, 300);
      ++asked;
    }
  }
  EXPECT_GT(asked, 100);
  auto alive = test::HubClient(hub.port()).Send("GET", "/healthz", {}, "", test::kJsonType);
  ASSERT_TRUE(alive);
  EXPECT_EQ(alive->status, 200);
}

}  // namespace
}  // namespace dv
