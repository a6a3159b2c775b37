// SPDX-License-Identifier: Apache-2.0
#include "hub/stix_intake.h"

#include <simdjson.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "stix/json_spans.h"
#include "stix/object.h"

namespace dv::hub {
namespace {

// Validation of one envelope uses at most this many threads, each with at
// least kMinObjectsPerThread elements (fewer are not worth a thread).
constexpr std::size_t kMaxIntakeThreads = 4;
constexpr std::size_t kMinObjectsPerThread = 128;

constexpr const char* kNotAnObjectMessage = "the body is not a JSON object (a TAXII envelope)";
constexpr const char* kNoObjectsMessage = "the envelope has no 'objects' list";

std::string ElementName(std::size_t index) { return "objects[" + std::to_string(index) + "]"; }

bool ElementSpans(std::string_view body, std::vector<std::string_view>& spans) {
  auto found = stix::TopLevelObjectSpans(body);
  if (!found) return false;
  spans = std::move(*found);
  return true;
}

// The fast reading of an envelope: simdjson checks the whole body (syntax,
// UTF-8) and finds the byte span of every element of `objects`, so no
// element is parsed twice or re-serialised before validation.
struct FastEnvelope {
  std::vector<std::string_view> elements;  // views into the body
  simdjson::dom::parser parser;            // owns `objects`
  simdjson::dom::array objects;            // the same elements, parsed
};

enum class FastResult { kRead, kNotAnObject, kNoObjects, kUndecided };

// kUndecided when simdjson refuses what the general JSON parser may accept
// (integers beyond 64 bits, nesting beyond simdjson's limit) or the envelope
// names `objects` twice: the slow reading then decides, as it always did.
FastResult ReadFast(std::string_view body, FastEnvelope& out) {
  const simdjson::padded_string padded(body);
  simdjson::dom::element root;
  if (out.parser.parse(padded).get(root) != simdjson::SUCCESS) return FastResult::kUndecided;
  simdjson::dom::object top;
  if (root.get(top) != simdjson::SUCCESS) return FastResult::kNotAnObject;
  int objects_keys = 0;
  for (const auto field : top) {
    if (field.key != "objects") continue;
    ++objects_keys;
    if (field.value.get(out.objects) != simdjson::SUCCESS) return FastResult::kNoObjects;
  }
  if (objects_keys == 0) return FastResult::kNoObjects;
  if (objects_keys > 1) return FastResult::kUndecided;

  // The body is valid JSON: a plain scan finds the raw spans.
  if (!ElementSpans(body, out.elements)) return FastResult::kUndecided;
  if (out.elements.size() != out.objects.size()) return FastResult::kUndecided;
  return FastResult::kRead;
}

IntakeFailure FailureFromDom(std::size_t index, simdjson::dom::element element, const Error& error) {
  IntakeFailure failure;
  failure.message = ElementName(index) + ": " + error.message();
  std::string_view text;
  if (element["id"].get(text) == simdjson::SUCCESS) failure.id = std::string(text);
  if (element["modified"].get(text) == simdjson::SUCCESS) failure.version = std::string(text);
  if (failure.id.empty()) failure.id = ElementName(index);
  return failure;
}

// The general reading, for what the fast one leaves undecided: nlohmann's
// parser keeping property order, each element re-serialised compactly.
Result<EnvelopeIntake> IntakeSlow(std::string_view body) {
  const nlohmann::ordered_json envelope = nlohmann::ordered_json::parse(body, nullptr, false);
  if (envelope.is_discarded() || !envelope.is_object()) return Error::InvalidArgument(kNotAnObjectMessage);
  const auto objects = envelope.find("objects");
  if (objects == envelope.end() || !objects->is_array()) return Error::InvalidArgument(kNoObjectsMessage);
  EnvelopeIntake out;
  out.total = objects->size();
  for (std::size_t object_idx = 0; object_idx < objects->size(); ++object_idx) {
    const nlohmann::ordered_json& object = (*objects)[object_idx];
    auto intake = IntakeObject(object.dump());
    if (intake.ok()) {
      out.accepted.push_back(std::move(intake).value());
      continue;
    }
    IntakeFailure failure;
    failure.message = ElementName(object_idx) + ": " + intake.error().message();
    if (object.is_object() && object.contains("id") && object["id"].is_string()) {
      failure.id = object["id"].get<std::string>();
    }
    if (object.is_object() && object.contains("modified") && object["modified"].is_string()) {
      failure.version = object["modified"].get<std::string>();
    }
    if (failure.id.empty()) failure.id = ElementName(object_idx);
    out.failures.push_back(std::move(failure));
  }
  return out;
}

}  // namespace

Result<NewObject> IntakeObject(std::string_view text) {
  auto validated = stix::ValidateObject(text);
  if (!validated.ok()) return validated.error();
  NewObject object;
  object.id = std::move(validated->id);
  object.type = std::move(validated->type);
  object.spec_version = std::move(validated->spec_version);
  object.version = stix::TaxiiVersion(*validated);
  object.tlp = validated->tlp;
  object.json = std::move(validated->canonical_json);
  // Only objects that name recipients are parsed a second time.
  if (object.json.find("x_dannevirke_recipients") == std::string::npos) {
    if (object.tlp == Tlp::kRed) {
      return Error::InvalidArgument(object.id +
                                    ": a TLP:RED object needs 'x_dannevirke_recipients' naming who may read it");
    }
    return object;
  }
  const auto parsed = nlohmann::json::parse(object.json, nullptr, false);
  if (const auto recipients = parsed.find("x_dannevirke_recipients"); recipients != parsed.end()) {
    if (!recipients->is_array()) {
      return Error::InvalidArgument(object.id +
                                    ": property 'x_dannevirke_recipients' must be a list of organisation codes");
    }
    for (const auto& code : *recipients) {
      if (!code.is_string() || !IsValidOrgCode(code.get<std::string>())) {
        return Error::InvalidArgument(object.id +
                                      ": property 'x_dannevirke_recipients' holds a value that is not an "
                                      "organisation code");
      }
      object.recipients.push_back(code.get<std::string>());
    }
  }
  if (object.tlp == Tlp::kRed && object.recipients.empty()) {
    return Error::InvalidArgument(object.id +
                                  ": a TLP:RED object needs 'x_dannevirke_recipients' naming who may read it");
  }
  return object;
}

Result<EnvelopeIntake> IntakeEnvelope(std::string_view body) {
  FastEnvelope fast;
  switch (ReadFast(body, fast)) {
    case FastResult::kNotAnObject:
      return Error::InvalidArgument(kNotAnObjectMessage);
    case FastResult::kNoObjects:
      return Error::InvalidArgument(kNoObjectsMessage);
    case FastResult::kUndecided:
      return IntakeSlow(body);
    case FastResult::kRead:
      break;
  }
  // Elements are independent: large envelopes are validated on up to
  // kMaxIntakeThreads threads, each taking a contiguous share, and the
  // results are collected in order.
  const std::size_t count = fast.elements.size();
  std::vector<std::optional<Result<NewObject>>> results(count);
  auto validate = [&](std::size_t begin, std::size_t end) {
    for (std::size_t idx = begin; idx < end; ++idx) results[idx].emplace(IntakeObject(fast.elements[idx]));
  };
  const std::size_t threads =
      std::min<std::size_t>({kMaxIntakeThreads, std::max(1U, std::thread::hardware_concurrency()),
                             std::max<std::size_t>(1, count / kMinObjectsPerThread)});
  std::vector<std::thread> helpers;
  for (std::size_t share = 1; share < threads; ++share) {
    helpers.emplace_back(validate, count * share / threads, count * (share + 1) / threads);
  }
  validate(0, count / threads);
  for (auto& helper : helpers) helper.join();

  EnvelopeIntake out;
  out.total = count;
  out.accepted.reserve(count);
  std::size_t index = 0;
  for (const auto element : fast.objects) {
    auto& intake = *results[index];
    if (intake.ok()) {
      out.accepted.push_back(std::move(intake).value());
    } else {
      out.failures.push_back(FailureFromDom(index, element, intake.error()));
    }
    ++index;
  }
  return out;
}

}  // namespace dv::hub
