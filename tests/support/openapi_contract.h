// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hub's OpenAPI document as a checker of real responses: the contract
// that every integration test holds the hub to (tests/support/hub_client.h
// calls it for every response it receives).
//
// A response conforms when
//   - its path matches one of the document's path templates (segment by
//     segment; "{name}" matches one non-empty segment; the template with the
//     most literal segments wins; a trailing slash and the query are ignored),
//   - the matched path item has an operation for its method,
//   - the operation documents its status (or has a `default` response),
//   - a body is sent only where the response documents content, with a media
//     type the response lists (parameters such as charset are ignored), and
//   - a JSON body (application/json or any "+json" type) is valid against
//     the documented schema, with `$ref`s resolved into components/schemas.
// A path the document does not name at all must answer 404 with the body the
// document gives every error (components/schemas/Error): that is the hub's
// answer to a typo, not a route.
//
// Schemas are OpenAPI 3.1 (JSON Schema 2020-12 as far as draft 7 reaches);
// OpenAPI 3.0's `nullable: true` is translated into a "null" type, and a
// `$ref` with sibling keywords into an allOf, so that valijson's draft-7
// parser reads them.
//
// Thread safety: Check may be called from several threads at once; compiled
// schemas are cached under a mutex.

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv::test {

// A response as the client received it.
struct ObservedResponse {
  std::string method;  // "GET", "POST", ...
  std::string path;    // as requested, with the query if any
  int status = 0;
  std::string content_type;  // the Content-Type header; empty when absent
  std::string body;
};

// What checking one response found.
struct ContractVerdict {
  std::string operation;              // "GET /api/v1/organisations/{code} 200", for messages
  bool body_validated = false;        // a JSON body was validated against a schema
  std::vector<std::string> problems;  // empty: the response conforms
};

class OpenApiContract {
 public:
  // Parses the merged document (the text /api/v1/openapi.json serves). Fails
  // when it is not JSON or has no "paths" object.
  static Result<std::unique_ptr<OpenApiContract>> Parse(std::string_view document);

  ~OpenApiContract();
  OpenApiContract(const OpenApiContract&) = delete;
  OpenApiContract& operator=(const OpenApiContract&) = delete;

  ContractVerdict Check(const ObservedResponse& response) const;

  // The document's path template that `path` (query allowed) falls under;
  // empty when none does.
  std::string MatchPath(std::string_view path) const;

 private:
  struct CompiledSchema;
  explicit OpenApiContract(nlohmann::json document);

  // Validates `body` against `schema` (a schema object of the document),
  // adding valijson's errors to `verdict`.
  void Validate(const nlohmann::json& schema, const std::string& cache_key, const std::string& body,
                ContractVerdict& verdict) const;

  nlohmann::json document_;
  nlohmann::json components_;  // the document's components, translated for draft 7
  std::vector<std::string> path_templates_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::unique_ptr<CompiledSchema>> compiled_;
};

}  // namespace dv::test
