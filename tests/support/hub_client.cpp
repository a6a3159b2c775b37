// SPDX-License-Identifier: Apache-2.0
#include "support/hub_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <utility>

#include "hub/hub_server.h"
#include "support/openapi_contract.h"

namespace dv::test {
namespace {

std::atomic<int> validated_responses{0};
std::atomic<int> validated_bodies{0};

// Prints the counters once every test of the binary has run.
class ValidationReport : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("validated %d responses against the OpenAPI document (%d JSON bodies against their schema)\n",
                validated_responses.load(), validated_bodies.load());
  }
};
// gtest owns the environment.
[[maybe_unused]] ::testing::Environment* const kValidationReport =
    ::testing::AddGlobalTestEnvironment(new ValidationReport);

// The paths the OpenAPI document is the contract for.
bool UnderContract(const std::string& path) { return path.rfind("/api/", 0) == 0 || path.rfind("/healthz", 0) == 0; }

// The process's contract, compiled once from the document the hub serves at
// /api/v1/openapi.json. It is taken from the hub library rather than over
// HTTP, so that checking adds no request to the hub under test (its access
// log, rate limits and audit stay the test's own).
const OpenApiContract* Contract(std::string& error) {
  static std::mutex mutex;
  static std::unique_ptr<OpenApiContract> contract;
  static std::string load_error;
  std::lock_guard lock(mutex);
  if (!contract && load_error.empty()) {
    if (auto parsed = OpenApiContract::Parse(HubOpenApiDocument()); parsed.ok()) {
      contract = std::move(parsed).value();
    } else {
      load_error = parsed.error().ToString();
    }
  }
  error = load_error;
  return contract.get();
}

}  // namespace

httplib::Headers BearerHeaders(const std::string& token, const std::string& accept) {
  httplib::Headers headers = {{"Authorization", "Bearer " + token}};
  if (!accept.empty()) headers.emplace("Accept", accept);
  return headers;
}

HubClient::HubClient(int port, int read_timeout_seconds) : client_("127.0.0.1", port) {
  client_.set_read_timeout(read_timeout_seconds, 0);
}

httplib::Result HubClient::Get(const std::string& path, const httplib::Headers& headers) {
  return Checked("GET", path, client_.Get(path, headers));
}

httplib::Result HubClient::Post(const std::string& path, const httplib::Headers& headers, const std::string& body,
                                const std::string& content_type) {
  return Checked("POST", path, client_.Post(path, headers, body, content_type));
}

httplib::Result HubClient::Put(const std::string& path, const httplib::Headers& headers, const std::string& body,
                               const std::string& content_type) {
  return Checked("PUT", path, client_.Put(path, headers, body, content_type));
}

httplib::Result HubClient::Delete(const std::string& path, const httplib::Headers& headers) {
  return Checked("DELETE", path, client_.Delete(path, headers));
}

httplib::Result HubClient::Send(const std::string& method, const std::string& path, const httplib::Headers& headers,
                                const std::string& body, const std::string& content_type) {
  if (method == "GET") return Get(path, headers);
  if (method == "POST") return Post(path, headers, body, content_type);
  if (method == "PUT") return Put(path, headers, body, content_type);
  if (method == "DELETE") return Delete(path, headers);
  ADD_FAILURE() << "HubClient::Send: unsupported method " << method;
  return httplib::Result(nullptr, httplib::Error::Unknown);
}

httplib::Result HubClient::Checked(const std::string& method, const std::string& path, httplib::Result result) {
  if (!result || !UnderContract(path)) return result;
  std::string error;
  const OpenApiContract* contract = Contract(error);
  if (contract == nullptr) {
    ADD_FAILURE() << "cannot check " << method << " " << path << " against the OpenAPI document: " << error;
    return result;
  }
  const ContractVerdict verdict =
      contract->Check({method, path, result->status, result->get_header_value("Content-Type"), result->body});
  if (!verdict.problems.empty()) {
    std::string problems;
    for (const auto& problem : verdict.problems) problems += "\n  " + problem;
    ADD_FAILURE() << "the response to " << method << " " << path << " (" << result->status
                  << ") breaks the OpenAPI document, as " << verdict.operation << ":" << problems;
    return result;
  }
  ++validated_responses;
  if (verdict.body_validated) ++validated_bodies;
  return result;
}

int ValidatedResponses() { return validated_responses.load(); }

}  // namespace dv::test
