// SPDX-License-Identifier: Apache-2.0
#include "support/openapi_contract.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <set>
#include <utility>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace dv::test {
namespace {

using Json = nlohmann::json;

// Keywords whose value is one schema, a list of schemas, or a map from names
// to schemas: the only places the translation descends into, so that data
// (enum, const, default, examples) is never rewritten.
const std::set<std::string, std::less<>> kSchemaKeywords = {
    "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "items", "additionalItems"};
const std::set<std::string, std::less<>> kSchemaListKeywords = {"allOf", "anyOf", "oneOf"};
const std::set<std::string, std::less<>> kSchemaMapKeywords = {"properties", "patternProperties", "definitions",
                                                               "$defs", "dependentSchemas"};
// Siblings of a `$ref` that constrain nothing.
const std::set<std::string, std::less<>> kAnnotations = {"description", "summary",    "title",    "example",
                                                         "examples",    "deprecated", "readOnly", "writeOnly"};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "application/json; charset=utf-8" -> "application/json".
std::string MediaType(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  std::string_view base = content_type.substr(0, semicolon);
  while (!base.empty() && std::isspace(static_cast<unsigned char>(base.back()))) base.remove_suffix(1);
  while (!base.empty() && std::isspace(static_cast<unsigned char>(base.front()))) base.remove_prefix(1);
  return Lower(base);
}

bool IsJsonMediaType(const std::string& media_type) {
  return media_type == "application/json" ||
         (media_type.size() > 5 && media_type.compare(media_type.size() - 5, 5, "+json") == 0);
}

// The path's segments without the query; a trailing slash is ignored.
std::vector<std::string_view> Segments(std::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) segments.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool IsParameter(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// An OpenAPI schema as a draft-7 JSON Schema (see the header).
Json ToDraft7(const Json& schema) {
  if (!schema.is_object()) return schema;
  Json out = Json::object();
  for (const auto& [key, value] : schema.items()) {
    if (key == "nullable") continue;
    if (kSchemaKeywords.count(key) != 0) {
      out[key] = value.is_array() ? Json::array() : ToDraft7(value);
      if (value.is_array()) {
        for (const auto& item : value) out[key].push_back(ToDraft7(item));
      }
    } else if (kSchemaListKeywords.count(key) != 0 && value.is_array()) {
      out[key] = Json::array();
      for (const auto& item : value) out[key].push_back(ToDraft7(item));
    } else if (kSchemaMapKeywords.count(key) != 0 && value.is_object()) {
      out[key] = Json::object();
      for (const auto& [name, item] : value.items()) out[key][name] = ToDraft7(item);
    } else {
      out[key] = value;
    }
  }
  if (schema.value("nullable", false)) {
    if (out.contains("type") && out["type"].is_string()) {
      out["type"] = Json::array({out["type"], "null"});
    } else if (out.contains("type") && out["type"].is_array()) {
      out["type"].push_back("null");
    } else {
      out = Json{{"anyOf", Json::array({out, Json{{"type", "null"}}})}};
    }
    if (out.contains("enum") && out["enum"].is_array()) out["enum"].push_back(nullptr);
  }
  // valijson 1.0 applies `format` to every type, so a null where the type
  // allows one fails "date-time"; JSON Schema applies it to strings only.
  if (out.contains("format") && !(out.contains("type") && out["type"] == "string")) {
    if (!out.contains("allOf")) out["allOf"] = Json::array();
    out["allOf"].push_back(Json{{"if", {{"type", "string"}}}, {"then", {{"format", out["format"]}}}});
    out.erase("format");
  }
  if (out.contains("$ref") && out.size() > 1) {
    Json constraints = Json::object();
    for (const auto& [key, value] : out.items()) {
      if (key != "$ref" && kAnnotations.count(key) == 0) constraints[key] = value;
    }
    if (constraints.empty()) {
      out = Json{{"$ref", out["$ref"]}};
    } else {
      constraints["allOf"] = Json::array({Json{{"$ref", out["$ref"]}}});
      out = std::move(constraints);
    }
  }
  return out;
}

// The object a local reference ("#/components/responses/X") names, or the
// value itself when it is no reference; nullptr when the reference dangles.
const Json* Resolve(const Json& document, const Json& value) {
  if (!value.is_object() || !value.contains("$ref")) return &value;
  const std::string ref = value["$ref"].get<std::string>();
  if (ref.rfind("#/", 0) != 0) return nullptr;
  const Json::json_pointer pointer(ref.substr(1));
  if (!document.contains(pointer)) return nullptr;
  return &document.at(pointer);
}

std::string Keys(const Json& object) {
  std::string out;
  for (const auto& [key, value] : object.items()) out += (out.empty() ? "" : ", ") + key;
  return out.empty() ? "none" : out;
}

}  // namespace

struct OpenApiContract::CompiledSchema {
  Json source;  // the draft-7 document valijson parsed (kept alive with it)
  valijson::Schema schema;
  std::string error;  // set when the schema itself could not be parsed
};

Result<std::unique_ptr<OpenApiContract>> OpenApiContract::Parse(std::string_view document) {
  Json parsed = Json::parse(document, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return Error::Parse("the OpenAPI document is not a JSON object");
  if (!parsed.contains("paths") || !parsed["paths"].is_object()) {
    return Error::InvalidArgument("the OpenAPI document has no \"paths\" object");
  }
  return std::unique_ptr<OpenApiContract>(new OpenApiContract(std::move(parsed)));
}

OpenApiContract::OpenApiContract(nlohmann::json document) : document_(std::move(document)) {
  components_ = document_.value("components", Json::object());
  if (components_.contains("schemas") && components_["schemas"].is_object()) {
    for (auto& [name, schema] : components_["schemas"].items()) schema = ToDraft7(schema);
  }
  for (const auto& [path, item] : document_["paths"].items()) path_templates_.push_back(path);
}

OpenApiContract::~OpenApiContract() = default;

std::string OpenApiContract::MatchPath(std::string_view path) const {
  const auto concrete = Segments(path);
  std::string best;
  int best_literals = -1;
  for (const auto& path_template : path_templates_) {
    const auto pattern = Segments(path_template);
    if (pattern.size() != concrete.size()) continue;
    int literals = 0;
    bool matches = true;
    for (std::size_t segment_idx = 0; segment_idx < pattern.size() && matches; ++segment_idx) {
      if (IsParameter(pattern[segment_idx])) continue;
      matches = pattern[segment_idx] == concrete[segment_idx];
      ++literals;
    }
    if (matches && literals > best_literals) {
      best = path_template;
      best_literals = literals;
    }
  }
  return best;
}

ContractVerdict OpenApiContract::Check(const ObservedResponse& response) const {
  ContractVerdict verdict;
  const std::string status = std::to_string(response.status);
  const std::string media_type = MediaType(response.content_type);
  const std::string path_template = MatchPath(response.path);
  if (path_template.empty()) {
    const std::string path = response.path.substr(0, response.path.find('?'));
    verdict.operation = response.method + " " + path + " " + status + " (a path the document does not name)";
    if (response.status != 404) {
      verdict.problems.push_back("the path is in no template of the document, yet the hub answered " + status);
    } else if (!IsJsonMediaType(media_type)) {
      verdict.problems.push_back("the 404 for an unknown path is '" + response.content_type + "', not the JSON Error");
    } else {
      Validate(Json{{"$ref", "#/components/schemas/Error"}}, "unknown path 404", response.body, verdict);
    }
    return verdict;
  }
  verdict.operation = response.method + " " + path_template + " " + status;
  const Json& item = document_["paths"][path_template];
  const std::string method = Lower(response.method);
  if (!item.contains(method)) {
    verdict.problems.push_back("the document has no " + response.method + " operation on " + path_template);
    return verdict;
  }
  const Json responses = item[method].value("responses", Json::object());
  std::string status_key = status;
  if (!responses.contains(status_key)) status_key = status.substr(0, 1) + "XX";
  if (!responses.contains(status_key)) status_key = "default";
  if (!responses.contains(status_key)) {
    verdict.problems.push_back("status " + status + " is not documented (documented: " + Keys(responses) + ")");
    return verdict;
  }
  const Json* documented = Resolve(document_, responses[status_key]);
  if (documented == nullptr) {
    verdict.problems.push_back("the response's $ref does not resolve: " + responses[status_key].dump());
    return verdict;
  }
  const Json content = documented->value("content", Json::object());
  if (response.body.empty()) {
    // An empty text body is the empty string: fine where a text media type
    // is documented as a string that may be empty (an empty block list).
    bool empty_text_allowed = false;
    for (const auto& [key, value] : content.items()) {
      const Json schema = value.value("schema", Json::object());
      if (MediaType(key).rfind("text/", 0) == 0 && schema.value("type", Json()) == "string" &&
          schema.value("minLength", 0) == 0) {
        empty_text_allowed = true;
      }
    }
    if (!content.empty() && !empty_text_allowed) {
      verdict.problems.push_back("the body is empty, but the document describes content (" + Keys(content) + ")");
    }
    return verdict;
  }
  if (content.empty()) {
    verdict.problems.push_back("the hub sends a body ('" + response.content_type +
                               "') where the document describes none");
    return verdict;
  }
  const Json* media = nullptr;
  for (const auto& [key, value] : content.items()) {
    const std::string documented_type = MediaType(key);
    if (documented_type == media_type || documented_type == "*/*" ||
        (documented_type.size() > 2 && documented_type.compare(documented_type.size() - 2, 2, "/*") == 0 &&
         media_type.rfind(documented_type.substr(0, documented_type.size() - 1), 0) == 0)) {
      media = &value;
      break;
    }
  }
  if (media == nullptr) {
    verdict.problems.push_back("content type '" + response.content_type +
                               "' is not documented (documented: " + Keys(content) + ")");
    return verdict;
  }
  if (!IsJsonMediaType(media_type)) return verdict;
  if (!media->contains("schema")) {
    verdict.problems.push_back("the document gives no schema for the JSON body");
    return verdict;
  }
  Validate((*media)["schema"], verdict.operation + " " + media_type, response.body, verdict);
  return verdict;
}

void OpenApiContract::Validate(const Json& schema, const std::string& cache_key, const std::string& body,
                               ContractVerdict& verdict) const {
  const Json target = Json::parse(body, nullptr, false);
  if (target.is_discarded()) {
    verdict.problems.push_back("the body is not JSON: " + body.substr(0, 200));
    return;
  }
  std::lock_guard lock(mutex_);
  auto& compiled = compiled_[cache_key];
  if (!compiled) {
    compiled = std::make_unique<CompiledSchema>();
    Json root = ToDraft7(schema);
    if (!root.is_object() || root.contains("components")) root = Json{{"allOf", Json::array({root})}};
    root["components"] = components_;
    compiled->source = std::move(root);
    try {
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      const valijson::adapters::NlohmannJsonAdapter adapter(compiled->source);
      parser.populateSchema(adapter, compiled->schema);
    } catch (const std::exception& error) {
      compiled->error = error.what();
    }
  }
  if (!compiled->error.empty()) {
    verdict.problems.push_back("the documented schema cannot be read: " + compiled->error);
    return;
  }
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  const valijson::adapters::NlohmannJsonAdapter adapter(target);
  verdict.body_validated = true;
  if (validator.validate(compiled->schema, adapter, &results)) return;
  for (const auto& error : results) {
    std::string where;
    for (const auto& part : error.context) where += part;
    verdict.problems.push_back(where + ": " + error.description);
  }
}

}  // namespace dv::test
