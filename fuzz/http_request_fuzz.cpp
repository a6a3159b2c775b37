// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: one raw HTTP/1.1 request through the hub's real request
// handling — Beast's parser under the hub's limits, the routing of every
// module, authentication and the handlers — on a hub seeded with the demo
// federation (HubServer::HandleBytes; no socket). Every occurrence of
// "TOKEN!" in the input is replaced by a valid member token, so the fuzzer
// also reaches the handlers behind authentication (the seeds use it).
//
// Besides "no crash", it checks that every answer has a status in 100..599
// and that error answers (>= 400) carry a body.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "store/store.h"

namespace {

struct Fixture {
  std::unique_ptr<dv::Store> store;
  std::unique_ptr<dv::HubServer> hub;
  std::string token;
};

Fixture& TheHub() {
  static Fixture* fixture = [] {
    auto* made = new Fixture();
    const auto dir = std::filesystem::temp_directory_path() / ("dv-http-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    made->store = std::move(dv::Store::Open("sqlite:" + (dir / "hub.db").string())).value();
    if (!dv::SeedFederation(*made->store, dv::LoadDemoFederation().value()).ok()) std::abort();
    if (!made->store->UpsertMember({"0101-soc", "0101", "0101-soc", dv::MemberRole::kMember}, "fuzz").ok()) {
      std::abort();
    }
    made->token = dv::hub::NewToken();
    if (!made->store->AddToken(dv::hub::HashToken(made->token), "0101-soc", "fuzz", "fuzz").ok()) std::abort();
    dv::HubOptions options;
    options.version = "fuzz";
    made->hub = std::make_unique<dv::HubServer>(*made->store, options);
    return made;
  }();
  return *fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& fixture = TheHub();
  std::string request(reinterpret_cast<const char*>(data), size);
  for (std::size_t at = request.find("TOKEN!"); at != std::string::npos; at = request.find("TOKEN!", at)) {
    request.replace(at, 6, fixture.token);
    at += fixture.token.size();
  }
  const std::string answer = fixture.hub->HandleBytes(request);
  if (answer.rfind("HTTP/1.1 ", 0) != 0) std::abort();
  const int status = std::atoi(answer.c_str() + 9);
  if (status < 100 || status > 599) std::abort();
  if (status >= 400 && answer.find("\r\n\r\n") + 4 >= answer.size()) std::abort();
  return 0;
}
