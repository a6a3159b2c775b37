// SPDX-License-Identifier: Apache-2.0
#pragma once

// A hub for integration tests: a fresh SQLite database in its own temporary
// folder, seeded with the demo federation; members with fresh API tokens;
// and a HubServer on a free loopback port, serving on its own thread.
// Destroying it stops the server and removes the folder. Header-only, for
// the tests under tests/integration.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "store/store.h"

namespace dv::test {

class TestHub {
 public:
  // `name` names the temporary folder (with the process id). Fails the
  // calling test when the store cannot be opened or seeded.
  explicit TestHub(const std::string& name) {
    dir_ = std::filesystem::temp_directory_path() / ("dv-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = Store::Open("sqlite:" + (dir_ / "hub.db").string());
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    if (!store.ok()) return;
    store_ = std::move(store).value();
    auto data = LoadDemoFederation();
    EXPECT_TRUE(data.ok()) << data.error().ToString();
    if (data.ok()) {
      EXPECT_TRUE(SeedFederation(*store_, *data).ok());
    }
  }
  ~TestHub() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  TestHub(const TestHub&) = delete;
  TestHub& operator=(const TestHub&) = delete;

  Store& store() { return *store_; }
  const std::filesystem::path& dir() const { return dir_; }
  int port() const { return port_; }
  const std::map<std::string, std::string>& tokens() const { return tokens_; }

  // Adds (or updates) a member of `org` and gives it a fresh token, which it returns.
  std::string AddMember(const std::string& id, const std::string& org, MemberRole role) {
    EXPECT_TRUE(store_->UpsertMember({id, org, id, role}, "test").ok()) << id;
    const std::string token = hub::NewToken();
    EXPECT_TRUE(store_->AddToken(hub::HashToken(token), id, "test", "test").ok()) << id;
    tokens_[id] = token;
    return token;
  }

  // Options with a rate limit no test reaches.
  static HubOptions Options() {
    HubOptions options;
    options.port = 0;
    options.version = "test";
    options.taxii.requests_per_second = 10000;
    options.taxii.burst = 10000;
    options.http.address_requests_per_second = 100000;
    options.http.address_burst = 100000;
    return options;
  }

  // Binds a free port and serves until destruction.
  void Start(HubOptions options = Options()) {
    options.port = 0;
    server_ = std::make_unique<HubServer>(*store_, std::move(options));
    auto port = server_->Bind();
    EXPECT_TRUE(port.ok()) << port.error().ToString();
    if (!port.ok()) return;
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Serve(); });
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<HubServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::map<std::string, std::string> tokens_;
};

}  // namespace dv::test
