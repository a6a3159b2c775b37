// SPDX-License-Identifier: Apache-2.0
#pragma once

// A hub for integration tests: a fresh SQLite database in its own temporary
// folder, seeded with the demo federation; members with fresh API tokens;
// and a HubServer on a free loopback port, serving on its own thread.
// Destroying it stops the server and removes the folder. Header-only, for
// the tests under tests/integration.
//
// With DV_TEST_HUB_BACKEND=postgresql and DV_TEST_POSTGRES_URL naming a
// database (scripts/with-postgres.sh), the store is PostgreSQL instead: a
// fresh schema of its own per hub, so the same tests prove both backends
// (ctest hub_on_postgresql).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "federation/federation.h"
#include "hub/auth.h"
#include "hub/hub_server.h"
#include "store/postgres_test_support.h"
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
    auto store = Store::Open(DatabaseUrl(name));
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

  // Whether the hubs of this process use PostgreSQL (DV_TEST_HUB_BACKEND).
  static bool OnPostgres() {
    const char* backend = std::getenv("DV_TEST_HUB_BACKEND");
    return backend != nullptr && std::string(backend) == "postgresql";
  }

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
  std::string DatabaseUrl(const std::string& name) {
    if (!OnPostgres()) return "sqlite:" + (dir_ / "hub.db").string();
    const std::string url = PostgresTestUrl();
    EXPECT_FALSE(url.empty()) << "DV_TEST_HUB_BACKEND=postgresql needs DV_TEST_POSTGRES_URL (scripts/with-postgres.sh)";
    // A schema per hub, of lower-case letters and '_' only (FreshPostgresSchema's
    // rule): the name's letters, then the process and a count with digits as letters.
    static int count = 0;
    const auto letters = [](long number) {
      std::string out;
      for (const char digit : std::to_string(number)) out += static_cast<char>('a' + (digit - '0'));
      return out;
    };
    std::string schema = "hub_";
    for (const char c : name)
      schema += std::isalpha(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    schema = schema.substr(0, 40) + "_" + letters(::getpid()) + "_" + letters(++count);
    auto fresh = FreshPostgresSchema(url, schema);
    EXPECT_TRUE(fresh.ok()) << fresh.error().ToString();
    return fresh.ok() ? *fresh : std::string("postgresql://invalid");
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<HubServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::map<std::string, std::string> tokens_;
};

}  // namespace dv::test
