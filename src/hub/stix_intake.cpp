// SPDX-License-Identifier: Apache-2.0
#include "hub/stix_intake.h"

#include <simdjson.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "core/json_fields.h"
#include "core/json_limits.h"
#include "sigma/loader.h"
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

// Shared detection content is code that runs inside every member: a Sigma
// rule must fit the budgets every sensor applies (sigma/budget.h); STIX
// patterns are bounded by stix::ValidateObject (kMaxStixPatternDepth).
Status CheckDetectionContent(const NewObject& object) {
  if (object.type != "indicator" || object.json.find("\"sigma\"") == std::string::npos) return Ok();
  const auto parsed = nlohmann::json::parse(object.json, nullptr, false);
  const auto pattern_type = parsed.find("pattern_type");
  const auto pattern = parsed.find("pattern");
  if (pattern_type == parsed.end() || *pattern_type != "sigma" || pattern == parsed.end() || !pattern->is_string()) {
    return Ok();
  }
  if (auto checked = sigma::CheckRuleBudget(pattern->get_ref<const std::string&>()); !checked.ok()) {
    return Error::InvalidArgument(object.id +
                                  ": the Sigma rule in 'pattern' is over budget: " + checked.error().message());
  }
  return Ok();
}

struct Accepted {
  NewObject object;
  PostedFacts facts;
};

Result<Accepted> IntakeWithFacts(std::string_view text) {
  auto validated = stix::ValidateObject(text);
  if (!validated.ok()) return validated.error();
  Accepted accepted;
  NewObject& object = accepted.object;
  object.id = std::move(validated->id);
  object.type = std::move(validated->type);
  object.spec_version = std::move(validated->spec_version);
  object.version = stix::TaxiiVersion(*validated);
  object.tlp = GoverningTlp(validated->marking_refs);
  object.json = std::move(validated->canonical_json);
  DV_TRY(CheckDetectionContent(object));
  accepted.facts.created_by_ref = std::move(validated->created_by_ref);
  auto red_needs_recipients = [&]() {
    for (const auto& ref : validated->marking_refs) {
      if (!TlpFromMarkingId(ref)) {
        return Error::InvalidArgument(object.id + ": marking '" + ref +
                                      "' is not a TLP marking definition; an object with a marking the hub cannot "
                                      "enforce is TLP:RED and needs 'x_dannevirke_recipients' naming who may read it");
      }
    }
    return Error::InvalidArgument(object.id +
                                  ": a TLP:RED object needs 'x_dannevirke_recipients' naming who may read it");
  };
  // Only sightings and objects that name recipients are parsed a second time.
  const bool sighting = object.type == "sighting";
  if (!sighting && object.json.find("x_dannevirke_recipients") == std::string::npos) {
    if (object.tlp == Tlp::kRed) return red_needs_recipients();
    return accepted;
  }
  // Validated above, so within the depth limit.
  const auto parsed = nlohmann::json::parse(object.json, nullptr, false);
  if (!parsed.is_object()) return Error::Internal(object.id + ": a validated object did not parse again");
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
  if (object.tlp == Tlp::kRed && object.recipients.empty()) return red_needs_recipients();
  if (sighting) {
    if (const auto ref = parsed.find("sighting_of_ref"); ref != parsed.end() && ref->is_string()) {
      accepted.facts.sighting_of_ref = ref->get<std::string>();
    }
    accepted.facts.first_seen = TimeFieldOr(parsed, "first_seen");
    accepted.facts.last_seen = TimeFieldOr(parsed, "last_seen");
    if (const auto count = parsed.find("count"); count != parsed.end() && count->is_number_integer()) {
      accepted.facts.count = count->get<std::int64_t>();
    }
    // A block counted at a member's resolver or firewall (docs/protect.md,
    // "Counting blocks") is counts-only: nothing that could name a query, a
    // client or the member's own systems rides along with it.
    if (const auto block = parsed.find("x_dannevirke_block"); block != parsed.end()) {
      if (!block->is_boolean()) {
        return Error::InvalidArgument(object.id + ": property 'x_dannevirke_block' must be true or false");
      }
      if (block->get<bool>()) {
        for (const char* property : {"observed_data_refs", "where_sighted_refs"}) {
          if (parsed.contains(property)) {
            return Error::InvalidArgument(object.id + ": property '" + property +
                                          "' is not allowed on a block sighting (x_dannevirke_block: true), which "
                                          "carries only counts");
          }
        }
      }
    }
  }
  return accepted;
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
    auto intake = IntakeWithFacts(object.dump());
    if (intake.ok()) {
      intake->facts.index = object_idx;
      out.accepted.push_back(std::move(intake->object));
      out.facts.push_back(std::move(intake->facts));
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
  auto accepted = IntakeWithFacts(text);
  if (!accepted.ok()) return accepted.error();
  return std::move(accepted->object);
}

Status CheckPosting(const NewObject& object, const PostedFacts& facts, const PostingRules& rules) {
  auto fail = [&](std::string_view property, const std::string& problem) {
    return Error::InvalidArgument(object.id + ": property '" + std::string(property) + "': " + problem);
  };
  if (!facts.created_by_ref.empty() && facts.created_by_ref != rules.identity && !rules.for_federation) {
    return fail("created_by_ref", "'" + facts.created_by_ref + "' is not the poster's organisation ('" +
                                      rules.identity + "'); a member publishes only as itself");
  }
  if (object.type != "sighting") return Ok();
  const Timestamp latest(rules.now.unix_ms() + rules.clock_skew_ms);
  auto check_time = [&](std::string_view property, const std::optional<Timestamp>& at) -> Status {
    if (at && latest < *at) {
      return fail(property, at->ToRfc3339() + " lies in the future (more than " +
                                std::to_string(rules.clock_skew_ms / 1000) + " s after the hub's clock, " +
                                rules.now.ToRfc3339() + ")");
    }
    return Ok();
  };
  DV_TRY(check_time("first_seen", facts.first_seen));
  DV_TRY(check_time("last_seen", facts.last_seen));
  if (auto version = Timestamp::Parse(object.version); version.ok()) DV_TRY(check_time("modified", *version));
  if (facts.count && *facts.count > rules.max_sighting_count) {
    return fail("count", std::to_string(*facts.count) + " is more than the hub accepts in one sighting (" +
                             std::to_string(rules.max_sighting_count) + ")");
  }
  return Ok();
}

Result<EnvelopeIntake> IntakeEnvelope(std::string_view body) {
  // Before either reading: the slow one re-serialises elements recursively.
  // The envelope and its list add two levels; each element may use the full limit.
  if (auto depth = CheckJsonDepth(body, kMaxJsonDepth + 2); !depth.ok()) {
    return Error::InvalidArgument("the envelope is " + depth.error().message());
  }
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
  std::vector<std::optional<Result<Accepted>>> results(count);
  auto validate = [&](std::size_t begin, std::size_t end) {
    for (std::size_t idx = begin; idx < end; ++idx) results[idx].emplace(IntakeWithFacts(fast.elements[idx]));
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
  out.facts.reserve(count);
  std::size_t index = 0;
  for (const auto element : fast.objects) {
    auto& intake = *results[index];
    if (intake.ok()) {
      intake->facts.index = index;
      out.accepted.push_back(std::move(intake->object));
      out.facts.push_back(std::move(intake->facts));
    } else {
      out.failures.push_back(FailureFromDom(index, element, intake.error()));
    }
    ++index;
  }
  return out;
}

}  // namespace dv::hub
