// SPDX-License-Identifier: Apache-2.0
#include "baseline/xccdf_import.h"

#include <expat.h>

#include <limits>
#include <map>

namespace dv::baseline {

namespace {

std::string_view LocalName(const XML_Char* name) {
  std::string_view full(name);
  const auto colon = full.rfind(':');
  return colon == std::string_view::npos ? full : full.substr(colon + 1);
}

std::string Attribute(const XML_Char** attributes, std::string_view wanted) {
  for (int idx = 0; attributes[idx] != nullptr; idx += 2) {
    if (LocalName(attributes[idx]) == wanted) return attributes[idx + 1];
  }
  return "";
}

struct RuleOutcome {
  std::string rule_id;
  std::string result;
};

struct ParseState {
  std::vector<std::string> stack;  // local names of open elements
  int test_results = 0;
  std::string test_result_id;
  std::string start_time;
  std::string end_time;
  std::string target;
  bool in_target = false;
  bool in_result = false;
  std::string current_rule;
  std::string text;
  std::vector<RuleOutcome> outcomes;
};

bool InsideTestResult(const ParseState& state) {
  for (const auto& name : state.stack) {
    if (name == "TestResult") return true;
  }
  return false;
}

void XMLCALL OnStart(void* user, const XML_Char* name, const XML_Char** attributes) {
  auto& state = *static_cast<ParseState*>(user);
  const std::string_view local = LocalName(name);
  if (local == "TestResult") {
    if (++state.test_results == 1) {
      state.test_result_id = Attribute(attributes, "id");
      state.start_time = Attribute(attributes, "start-time");
      state.end_time = Attribute(attributes, "end-time");
    }
  } else if (InsideTestResult(state)) {
    if (local == "target" && state.stack.back() == "TestResult" && state.test_results == 1) {
      state.in_target = true;
      state.text.clear();
    } else if (local == "rule-result") {
      state.current_rule = Attribute(attributes, "idref");
      state.outcomes.push_back({state.current_rule, ""});
    } else if (local == "result" && state.stack.back() == "rule-result") {
      state.in_result = true;
      state.text.clear();
    }
  }
  state.stack.emplace_back(local);
}

void XMLCALL OnEnd(void* user, const XML_Char* name) {
  auto& state = *static_cast<ParseState*>(user);
  const std::string_view local = LocalName(name);
  if (local == "target" && state.in_target) {
    state.target = state.text;
    state.in_target = false;
  } else if (local == "result" && state.in_result) {
    if (!state.outcomes.empty()) state.outcomes.back().result = state.text;
    state.in_result = false;
  }
  if (!state.stack.empty()) state.stack.pop_back();
}

void XMLCALL OnText(void* user, const XML_Char* text, int length) {
  auto& state = *static_cast<ParseState*>(user);
  if (state.in_target || state.in_result) state.text.append(text, static_cast<std::size_t>(length));
}

std::string Trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

struct Tally {
  int pass = 0;
  int fail = 0;
  std::vector<std::string> failed_rules;
};

}  // namespace

Result<XccdfImport> ImportXccdfResults(std::string_view xml, const Catalogue& catalogue,
                                       const XccdfImportOptions& options, std::string_view name) {
  if (xml.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return Error::InvalidArgument(std::string(name) + ": file too large");
  }
  ParseState state;
  XML_Parser parser = XML_ParserCreate(nullptr);
  if (parser == nullptr) return Error::Internal("expat: cannot create a parser");
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(parser, OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser, OnText);
  const XML_Status status = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  if (status != XML_STATUS_OK) {
    const std::string message = std::string(name) + ":" + std::to_string(XML_GetCurrentLineNumber(parser)) +
                                ": malformed XML: " + XML_ErrorString(XML_GetErrorCode(parser));
    XML_ParserFree(parser);
    return Error::Parse(message);
  }
  XML_ParserFree(parser);
  if (state.test_results == 0) {
    return Error::InvalidArgument(std::string(name) +
                                  ": no XCCDF TestResult element (run oscap xccdf eval with --results)");
  }

  XccdfImport import;
  import.test_result_id = state.test_result_id;
  import.target = Trim(state.target);
  const std::string& when = !state.end_time.empty() ? state.end_time : state.start_time;
  if (when.empty()) {
    import.collected = options.fallback_time;
  } else {
    // XCCDF times are xsd:dateTime; OpenSCAP writes them without a zone
    // ("2025-03-01T10:00:00"), which is read as UTC.
    std::string text = when;
    const bool has_zone = text.back() == 'Z' || (text.size() > 19 && (text[19] == '+' || text[19] == '-')) ||
                          (text.size() > 6 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-'));
    if (!has_zone) text += "Z";
    auto parsed = Timestamp::Parse(text);
    if (!parsed) {
      return Error::InvalidArgument(std::string(name) + ": TestResult " + state.test_result_id +
                                    ": end-time: " + parsed.error().message());
    }
    import.collected = *parsed;
  }

  std::map<std::size_t, Tally> by_requirement;
  for (auto& outcome : state.outcomes) {
    ++import.rule_results;
    const std::string result = Trim(outcome.result);
    const bool pass = result == "pass" || result == "fixed";
    const bool fail = result == "fail" || result == "error";
    if (!pass && !fail) {
      ++import.ignored;
      continue;
    }
    const auto requirement_ids = catalogue.RequirementsForXccdfRule(outcome.rule_id);
    if (requirement_ids.empty()) {
      ++import.unmapped;
      continue;
    }
    ++import.mapped;
    for (const auto& requirement_id : requirement_ids) {
      Tally& tally = by_requirement[*catalogue.RequirementIndex(requirement_id)];
      if (pass) {
        ++tally.pass;
      } else {
        ++tally.fail;
        tally.failed_rules.push_back(outcome.rule_id);
      }
    }
  }

  const std::string source = "xccdf:" + import.test_result_id + (import.target.empty() ? "" : "@" + import.target);
  for (const auto& [req_idx, tally] : by_requirement) {
    Evidence evidence;
    evidence.kind = EvidenceKind::kMeasured;
    evidence.source = source;
    evidence.collected = import.collected;
    evidence.valid_until = Timestamp(import.collected.unix_ms() + options.valid_days * 86'400'000);
    evidence.result = tally.fail == 0   ? EvidenceResult::kPass
                      : tally.pass == 0 ? EvidenceResult::kFail
                                        : EvidenceResult::kPartial;
    evidence.note = std::to_string(tally.pass) + " of " + std::to_string(tally.pass + tally.fail) + " rules passed";
    if (!tally.failed_rules.empty()) {
      evidence.note += "; failed: ";
      for (std::size_t rule_idx = 0; rule_idx < tally.failed_rules.size() && rule_idx < 10; ++rule_idx) {
        if (rule_idx > 0) evidence.note += ", ";
        evidence.note += tally.failed_rules[rule_idx];
      }
      if (tally.failed_rules.size() > 10) {
        evidence.note += " and " + std::to_string(tally.failed_rules.size() - 10) + " more";
      }
    }
    import.evidence.push_back({catalogue.requirements[req_idx].id, std::move(evidence)});
  }
  return import;
}

}  // namespace dv::baseline
