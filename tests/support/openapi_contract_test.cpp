// SPDX-License-Identifier: Apache-2.0
// The contract checker on a small document: path templates, statuses,
// content types, references, OpenAPI 3.0's nullable, and the errors it names.
#include "support/openapi_contract.h"

#include <gtest/gtest.h>

#include <string>

namespace dv::test {
namespace {

constexpr const char* kDocument = R"({
  "openapi": "3.1.0",
  "paths": {
    "/api/v1/things": {
      "get": {"responses": {"200": {"description": "a page", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Page"}}}}}}
    },
    "/api/v1/things/{id}": {
      "get": {"responses": {
        "200": {"description": "one", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
        "404": {"$ref": "#/components/responses/NotFound"}}},
      "delete": {"responses": {"204": {"description": "gone"}}}
    },
    "/api/v1/things/summary": {
      "get": {"responses": {"default": {"description": "anything", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}}}
    },
    "/api/v1/report": {
      "get": {"responses": {"200": {"description": "a page to print", "content": {"text/html": {}}}}}
    }
  },
  "components": {
    "schemas": {
      "Thing": {"type": "object", "required": ["id", "seen"], "properties": {
        "id": {"type": "string"},
        "seen": {"type": "string", "format": "date-time", "nullable": true},
        "until": {"type": ["string", "null"], "format": "date-time"},
        "owner": {"$ref": "#/components/schemas/Owner", "description": "who keeps it"}}},
      "Owner": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}},
      "Page": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}},
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["kind", "message"]}}}
    },
    "responses": {
      "NotFound": {"description": "no such thing", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  }
})";

constexpr const char* kError = R"({"error": {"kind": "not_found", "message": "no thing '7'"}})";

class OpenApiContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = OpenApiContract::Parse(kDocument);
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
    contract_ = std::move(parsed).value();
  }
  ContractVerdict Check(const std::string& method, const std::string& path, int status, const std::string& body,
                        const std::string& type = "application/json") {
    return contract_->Check({method, path, status, type, body});
  }
  static std::string Joined(const ContractVerdict& verdict) {
    std::string out;
    for (const auto& problem : verdict.problems) out += problem + "\n";
    return out;
  }

  std::unique_ptr<OpenApiContract> contract_;
};

TEST_F(OpenApiContractTest, PathsMatchTheirTemplateAndLiteralSegmentsWin) {
  EXPECT_EQ(contract_->MatchPath("/api/v1/things"), "/api/v1/things");
  EXPECT_EQ(contract_->MatchPath("/api/v1/things/7?fields=all"), "/api/v1/things/{id}");
  EXPECT_EQ(contract_->MatchPath("/api/v1/things/7/"), "/api/v1/things/{id}");
  EXPECT_EQ(contract_->MatchPath("/api/v1/things/summary"), "/api/v1/things/summary");
  EXPECT_EQ(contract_->MatchPath("/api/v1/things/7/parts"), "");
  EXPECT_EQ(contract_->MatchPath("/api/v1/thing"), "");
}

TEST_F(OpenApiContractTest, AConformingBodyIsValidatedThroughReferences) {
  const auto verdict = Check("GET", "/api/v1/things?limit=2", 200,
                             R"({"items": [{"id": "7", "seen": null, "until": null, "owner": {"code": "0101"}},
                                           {"id": "8", "seen": "2026-02-01T10:00:00.000Z"}]})",
                             "application/json; charset=utf-8");
  EXPECT_TRUE(verdict.problems.empty()) << Joined(verdict);
  EXPECT_TRUE(verdict.body_validated);
  EXPECT_EQ(verdict.operation, "GET /api/v1/things 200");
}

TEST_F(OpenApiContractTest, SchemaViolationsNameTheirPlace) {
  const auto missing = Check("GET", "/api/v1/things", 200, R"({"items": [{"seen": null}]})");
  EXPECT_NE(Joined(missing).find("[items][0]"), std::string::npos) << Joined(missing);
  EXPECT_NE(Joined(missing).find("id"), std::string::npos) << Joined(missing);
  const auto bad_time = Check("GET", "/api/v1/things/7", 200, R"({"id": "7", "seen": "yesterday"})");
  EXPECT_NE(Joined(bad_time).find("[seen]"), std::string::npos) << Joined(bad_time);
  const auto bad_owner = Check("GET", "/api/v1/things/7", 200, R"({"id": "7", "seen": null, "owner": {}})");
  EXPECT_NE(Joined(bad_owner).find("[owner]"), std::string::npos) << Joined(bad_owner);
  const auto not_json = Check("GET", "/api/v1/things/7", 200, "{");
  EXPECT_NE(Joined(not_json).find("not JSON"), std::string::npos) << Joined(not_json);
}

TEST_F(OpenApiContractTest, ResponsesTheDocumentDoesNotDescribeAreProblems) {
  const auto status = Check("GET", "/api/v1/things/7", 500, kError);
  EXPECT_NE(Joined(status).find("status 500 is not documented (documented: 200, 404)"), std::string::npos)
      << Joined(status);
  const auto method = Check("POST", "/api/v1/things", 201, "{}");
  EXPECT_NE(Joined(method).find("no POST operation"), std::string::npos) << Joined(method);
  const auto body = Check("DELETE", "/api/v1/things/7", 204, "{}");
  EXPECT_NE(Joined(body).find("describes none"), std::string::npos) << Joined(body);
  const auto type = Check("GET", "/api/v1/report", 200, "{}");
  EXPECT_NE(Joined(type).find("'application/json' is not documented (documented: text/html)"), std::string::npos)
      << Joined(type);
  const auto unknown = Check("GET", "/api/v1/elsewhere", 200, "{}");
  EXPECT_NE(Joined(unknown).find("in no template"), std::string::npos) << Joined(unknown);
  const auto unknown_error = Check("GET", "/api/v1/elsewhere", 404, R"({"error": "nope"})");
  EXPECT_FALSE(unknown_error.problems.empty());
}

TEST_F(OpenApiContractTest, DocumentedAlternativesConform) {
  EXPECT_TRUE(Check("DELETE", "/api/v1/things/7", 204, "").problems.empty());
  EXPECT_TRUE(Check("GET", "/api/v1/things/7", 404, kError).problems.empty()) << "a $ref to components/responses";
  EXPECT_TRUE(Check("GET", "/api/v1/things/summary", 418, kError).problems.empty()) << "the default response";
  const auto html = Check("GET", "/api/v1/report", 200, "<p>report</p>", "text/html; charset=utf-8");
  EXPECT_TRUE(html.problems.empty()) << Joined(html);
  EXPECT_FALSE(html.body_validated);
  EXPECT_TRUE(Check("GET", "/api/v1/elsewhere", 404, kError).problems.empty()) << "an unknown path's 404";
}

TEST(OpenApiContractParse, RefusesADocumentWithoutPaths) {
  EXPECT_FALSE(OpenApiContract::Parse("[]").ok());
  EXPECT_FALSE(OpenApiContract::Parse(R"({"openapi": "3.1.0"})").ok());
  EXPECT_FALSE(OpenApiContract::Parse("not json").ok());
}

}  // namespace
}  // namespace dv::test
