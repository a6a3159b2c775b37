// SPDX-License-Identifier: Apache-2.0
#include "exercise/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/tlp.h"
#include "stix/pattern.h"

namespace dv::exercise {

namespace {

using Json = nlohmann::json;

// Raised inside the parser only; ParseScenario turns it into an Error.
struct Problem {
  int line;
  std::string place;
  std::string message;
};

int LineOf(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

class Reader {
 public:
  explicit Reader(const std::vector<Organisation>& organisations) {
    for (const auto& organisation : organisations) by_code_.emplace(organisation.code, &organisation);
  }

  [[noreturn]] static void Refuse(const YAML::Node& node, int fallback_line, const std::string& place,
                                  const std::string& message) {
    const int line = node ? LineOf(node) : 0;
    throw Problem{line > 0 ? line : fallback_line, place, message};
  }

  static void Fields(const YAML::Node& node, int line, const std::string& place,
                     std::initializer_list<std::string_view> allowed,
                     std::initializer_list<std::string_view> required) {
    if (!node || !node.IsMap()) Refuse(node, line, place, "expected a map of fields");
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Refuse(entry.first, line, place, "unknown field '" + key + "'");
      }
    }
    for (const auto key : required) {
      if (!node[std::string(key)]) Refuse(node, line, place, "field '" + std::string(key) + "' is missing");
    }
  }

  static std::string String(const YAML::Node& node, int line, const std::string& place) {
    if (!node || !node.IsScalar() || node.Scalar().empty()) Refuse(node, line, place, "expected a non-empty text");
    return node.Scalar();
  }

  static std::int64_t Integer(const YAML::Node& node, int line, const std::string& place, std::int64_t low,
                              std::int64_t high) {
    const std::string text = String(node, line, place);
    std::int64_t value = 0;
    bool digits = !text.empty() && text.size() <= 12;
    for (const char c : text) digits = digits && c >= '0' && c <= '9';
    if (digits) {
      for (const char c : text) value = value * 10 + (c - '0');
    }
    if (!digits || value < low || value > high) {
      Refuse(node, line, place,
             "'" + text + "' is not a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    }
    return value;
  }

  static Text LocalText(const YAML::Node& node, int line, const std::string& place) {
    Fields(node, line, place, {"da", "en"}, {"da", "en"});
    return {String(node["da"], line, place + ".da"), String(node["en"], line, place + ".en")};
  }

  static std::int64_t Offset(const YAML::Node& node, int line, const std::string& place) {
    const std::string text = String(node, line, place);
    auto offset = ParseOffset(text);
    if (!offset.ok()) Refuse(node, line, place, offset.error().message());
    return *offset;
  }

  // Organisation codes named by one participant entry.
  std::vector<std::string> Participant(const YAML::Node& node, const std::string& place) const {
    const int line = LineOf(node);
    Fields(node, line, place, {"member", "region", "kind"}, {});
    if (node.size() != 1) Refuse(node, line, place, "name exactly one of 'member', 'region' or 'kind'");
    std::vector<std::string> codes;
    if (node["member"]) {
      const std::string code = String(node["member"], line, place + ".member");
      if (!by_code_.count(code)) Refuse(node["member"], line, place + ".member", "no organisation '" + code + "'");
      codes.push_back(code);
    } else if (node["region"]) {
      const std::string region = String(node["region"], line, place + ".region");
      const auto found = by_code_.find(region);
      if (found == by_code_.end() || found->second->kind != OrgKind::kRegion) {
        Refuse(node["region"], line, place + ".region", "no region '" + region + "'");
      }
      for (const auto& [code, organisation] : by_code_) {
        if (organisation->kind == OrgKind::kMunicipality && organisation->region_code == region) codes.push_back(code);
      }
    } else {
      const std::string name = String(node["kind"], line, place + ".kind");
      auto kind = ParseOrgKind(name);
      if (!kind.ok()) Refuse(node["kind"], line, place + ".kind", kind.error().message());
      for (const auto& [code, organisation] : by_code_) {
        if (organisation->kind == *kind) codes.push_back(code);
      }
    }
    if (codes.empty()) Refuse(node, line, place, "names no organisation");
    return codes;
  }

  // A participant's code, or "participants" for all of them.
  static std::vector<std::string> Addressees(const YAML::Node& node, int line, const std::string& place,
                                             const std::vector<std::string>& participants) {
    std::vector<std::string> named;
    const auto one = [&](const YAML::Node& item, const std::string& item_place) {
      const std::string code = String(item, line, item_place);
      if (code == "participants") {
        named.insert(named.end(), participants.begin(), participants.end());
        return;
      }
      if (std::find(participants.begin(), participants.end(), code) == participants.end()) {
        Refuse(item, line, item_place, "'" + code + "' does not take part in this exercise");
      }
      named.push_back(code);
    };
    if (node && node.IsSequence()) {
      if (node.size() == 0) Refuse(node, line, place, "names nobody");
      for (std::size_t idx = 0; idx < node.size(); ++idx) one(node[idx], place + "[" + std::to_string(idx) + "]");
    } else {
      one(node, place);
    }
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    return named;
  }

 private:
  std::map<std::string, const Organisation*> by_code_;
};

bool IsCveId(std::string_view text) {
  if (text.size() < 13 || text.substr(0, 4) != "CVE-" || text[8] != '-') return false;
  for (std::size_t idx = 4; idx < text.size(); ++idx) {
    if (idx == 8) continue;
    if (text[idx] < '0' || text[idx] > '9') return false;
  }
  return text.size() - 9 <= 7;
}

Json TextJson(const Text& text) { return {{"da", text.da}, {"en", text.en}}; }

// Checks an inject's payload for its kind and returns it as JSON.
Json Payload(InjectKind kind, const YAML::Node& node, int line, const std::string& place,
             const std::vector<std::string>& participants, const std::map<std::string, InjectKind>& labels) {
  const auto participant = [&](const YAML::Node& item, const std::string& item_place) {
    const auto codes = Reader::Addressees(item, line, item_place, participants);
    if (codes.size() != 1) Reader::Refuse(item, line, item_place, "name one participant");
    return codes.front();
  };
  const auto cve = [&](const YAML::Node& item, const std::string& item_place) {
    const std::string id = Reader::String(item, line, item_place);
    if (!IsCveId(id)) Reader::Refuse(item, line, item_place, "'" + id + "' is not a CVE id (CVE-YYYY-NNNN)");
    return id;
  };
  Json out = Json::object();
  switch (kind) {
    case InjectKind::kIndicator: {
      Reader::Fields(node, line, place, {"pattern", "name", "tlp", "confidence", "valid_days"}, {"pattern", "name"});
      const std::string pattern = Reader::String(node["pattern"], line, place + ".pattern");
      if (auto parsed = ParseStixPattern(pattern); !parsed.ok()) {
        Reader::Refuse(node["pattern"], line, place + ".pattern", parsed.error().message());
      }
      out["pattern"] = pattern;
      out["name"] = Reader::String(node["name"], line, place + ".name");
      out["tlp"] = "GREEN";
      if (node["tlp"]) {
        const std::string tlp = Reader::String(node["tlp"], line, place + ".tlp");
        if (!ParseTlp(tlp)) Reader::Refuse(node["tlp"], line, place + ".tlp", "'" + tlp + "' is not a TLP 2.0 label");
        out["tlp"] = tlp;
      }
      out["confidence"] =
          node["confidence"] ? Reader::Integer(node["confidence"], line, place + ".confidence", 0, 100) : 80;
      out["valid_days"] =
          node["valid_days"] ? Reader::Integer(node["valid_days"], line, place + ".valid_days", 1, 3650) : 30;
      break;
    }
    case InjectKind::kSighting: {
      Reader::Fields(node, line, place, {"of", "by", "count"}, {"of", "by"});
      const std::string of = Reader::String(node["of"], line, place + ".of");
      const auto label = labels.find(of);
      if (label == labels.end() || label->second != InjectKind::kIndicator) {
        Reader::Refuse(node["of"], line, place + ".of", "no earlier indicator inject labelled '" + of + "'");
      }
      out["of"] = of;
      out["by"] = participant(node["by"], place + ".by");
      out["count"] = node["count"] ? Reader::Integer(node["count"], line, place + ".count", 1, 1000000) : 1;
      break;
    }
    case InjectKind::kKev:
      Reader::Fields(node, line, place, {"cve", "due_days"}, {"cve"});
      out["cve"] = cve(node["cve"], place + ".cve");
      out["due_days"] = node["due_days"] ? Reader::Integer(node["due_days"], line, place + ".due_days", 0, 365) : 21;
      break;
    case InjectKind::kExposure:
      Reader::Fields(node, line, place, {"cve", "member", "product"}, {"cve", "member", "product"});
      out["cve"] = cve(node["cve"], place + ".cve");
      out["member"] = participant(node["member"], place + ".member");
      out["product"] = Reader::String(node["product"], line, place + ".product");
      break;
    case InjectKind::kIncident: {
      Reader::Fields(node, line, place, {"member", "title", "severity"}, {"member", "title"});
      out["member"] = participant(node["member"], place + ".member");
      out["title"] = TextJson(Reader::LocalText(node["title"], line, place + ".title"));
      const std::string severity =
          node["severity"] ? Reader::String(node["severity"], line, place + ".severity") : "significant";
      if (severity != "significant" && severity != "not_significant") {
        Reader::Refuse(node["severity"], line, place + ".severity",
                       "'" + severity + "' must be significant or not_significant (NIS2 Art. 23(3))");
      }
      out["severity"] = severity;
      break;
    }
    case InjectKind::kGuidance:
    case InjectKind::kMessage:
      Reader::Fields(node, line, place, {"title", "body"}, {"title", "body"});
      out["title"] = TextJson(Reader::LocalText(node["title"], line, place + ".title"));
      out["body"] = TextJson(Reader::LocalText(node["body"], line, place + ".body"));
      break;
  }
  return out;
}

std::optional<InjectKind> ParseInjectKind(std::string_view name) {
  for (const auto kind : {InjectKind::kIndicator, InjectKind::kSighting, InjectKind::kKev, InjectKind::kExposure,
                          InjectKind::kIncident, InjectKind::kGuidance, InjectKind::kMessage}) {
    if (InjectKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

bool IsScenarioId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

Scenario Read(const YAML::Node& root, const std::vector<Organisation>& organisations) {
  const Reader reader(organisations);
  Reader::Fields(root, 1, "scenario", {"id", "title", "description", "participants", "injects", "expect"},
                 {"id", "title", "participants", "injects"});
  Scenario scenario;
  scenario.id = Reader::String(root["id"], 1, "id");
  if (!IsScenarioId(scenario.id)) {
    Reader::Refuse(root["id"], 1, "id",
                   "'" + scenario.id + "' must be lower-case letters, digits and '-' (at most 64)");
  }
  scenario.title = Reader::LocalText(root["title"], 1, "title");
  if (root["description"]) scenario.description = Reader::LocalText(root["description"], 1, "description");

  const YAML::Node participants = root["participants"];
  if (!participants.IsSequence() || participants.size() == 0) {
    Reader::Refuse(participants, 1, "participants", "expected a non-empty list");
  }
  for (std::size_t idx = 0; idx < participants.size(); ++idx) {
    for (auto& code : reader.Participant(participants[idx], "participants[" + std::to_string(idx) + "]")) {
      if (std::find(scenario.participants.begin(), scenario.participants.end(), code) == scenario.participants.end()) {
        scenario.participants.push_back(std::move(code));
      }
    }
  }

  const YAML::Node injects = root["injects"];
  if (!injects.IsSequence() || injects.size() == 0) Reader::Refuse(injects, 1, "injects", "expected a non-empty list");
  std::map<std::string, InjectKind> labels;
  std::map<std::string, std::size_t> label_index;       // label → position as written
  std::vector<std::pair<Inject, std::string>> written;  // with its label
  for (std::size_t idx = 0; idx < injects.size(); ++idx) {
    const YAML::Node node = injects[idx];
    const std::string place = "injects[" + std::to_string(idx) + "]";
    const int line = LineOf(node);
    Reader::Fields(node, line, place, {"at", "kind", "label", "to", "payload"}, {"at", "kind", "payload"});
    Inject inject;
    inject.line = line;
    inject.at_seconds = Reader::Offset(node["at"], line, place + ".at");
    const std::string kind_name = Reader::String(node["kind"], line, place + ".kind");
    const auto kind = ParseInjectKind(kind_name);
    if (!kind) {
      Reader::Refuse(node["kind"], line, place + ".kind",
                     "'" + kind_name + "' is not indicator, sighting, kev, exposure, incident, guidance or message");
    }
    inject.kind = *kind;
    if (node["to"]) inject.to = Reader::Addressees(node["to"], line, place + ".to", scenario.participants);
    if (!written.empty() && inject.at_seconds < written.back().first.at_seconds) {
      Reader::Refuse(node["at"], line, place + ".at", "injects must be written in time order");
    }
    inject.payload = Payload(inject.kind, node["payload"], line, place + ".payload", scenario.participants, labels);
    std::string label;
    if (node["label"]) {
      label = Reader::String(node["label"], line, place + ".label");
      if (labels.count(label))
        Reader::Refuse(node["label"], line, place + ".label", "label '" + label + "' is used twice");
      labels.emplace(label, inject.kind);
      label_index.emplace(label, idx);
    }
    scenario.length_seconds = std::max(scenario.length_seconds, inject.at_seconds);
    written.emplace_back(std::move(inject), std::move(label));
  }
  for (auto& [inject, label] : written) {
    inject.label = std::move(label);
    scenario.injects.push_back(std::move(inject));
  }

  if (const YAML::Node expect = root["expect"]) {
    if (!expect.IsSequence()) Reader::Refuse(expect, 1, "expect", "expected a list");
    for (std::size_t idx = 0; idx < expect.size(); ++idx) {
      const YAML::Node node = expect[idx];
      const std::string place = "expect[" + std::to_string(idx) + "]";
      const int line = LineOf(node);
      Reader::Fields(node, line, place, {"who", "what", "after", "within"}, {"who", "what", "within"});
      ExpectedAction action;
      action.line = line;
      action.who = Reader::Addressees(node["who"], line, place + ".who", scenario.participants);
      const std::string what = Reader::String(node["what"], line, place + ".what");
      const auto kind = ParseActionKind(what);
      if (!kind) {
        Reader::Refuse(node["what"], line, place + ".what",
                       "'" + what + "' is not acknowledge, decide, early_warning, notification or final_report");
      }
      action.what = *kind;
      std::int64_t start = 0;
      if (node["after"]) {
        const std::string after = Reader::String(node["after"], line, place + ".after");
        const auto found = label_index.find(after);
        if (found == label_index.end())
          Reader::Refuse(node["after"], line, place + ".after", "no inject labelled '" + after + "'");
        action.after_inject = static_cast<int>(found->second);
        start = scenario.injects[found->second].at_seconds;
      }
      action.within_seconds = Reader::Offset(node["within"], line, place + ".within");
      if (action.within_seconds == 0) Reader::Refuse(node["within"], line, place + ".within", "must be after +00:00");
      scenario.length_seconds = std::max(scenario.length_seconds, start + action.within_seconds);
      scenario.expect.push_back(std::move(action));
    }
  }
  return scenario;
}

}  // namespace

std::optional<ActionKind> ParseActionKind(std::string_view name) {
  for (const auto kind : {ActionKind::kAcknowledge, ActionKind::kDecide, ActionKind::kEarlyWarning,
                          ActionKind::kNotification, ActionKind::kFinalReport}) {
    if (ActionKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view InjectKindName(InjectKind kind) {
  switch (kind) {
    case InjectKind::kIndicator:
      return "indicator";
    case InjectKind::kSighting:
      return "sighting";
    case InjectKind::kKev:
      return "kev";
    case InjectKind::kExposure:
      return "exposure";
    case InjectKind::kIncident:
      return "incident";
    case InjectKind::kGuidance:
      return "guidance";
    case InjectKind::kMessage:
      return "message";
  }
  return "message";
}

std::string_view ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kAcknowledge:
      return "acknowledge";
    case ActionKind::kDecide:
      return "decide";
    case ActionKind::kEarlyWarning:
      return "early_warning";
    case ActionKind::kNotification:
      return "notification";
    case ActionKind::kFinalReport:
      return "final_report";
  }
  return "acknowledge";
}

Result<std::int64_t> ParseOffset(std::string_view text) {
  const auto refuse = [&] {
    return Error::InvalidArgument("'" + std::string(text) + "' is not a time after the start (+HH:MM or +HH:MM:SS)");
  };
  if (text.size() != 6 && text.size() != 9) return refuse();
  if (text[0] != '+' || text[3] != ':' || (text.size() == 9 && text[6] != ':')) return refuse();
  const auto two = [&](std::size_t at) -> int {
    const char a = text[at];
    const char b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    return (a - '0') * 10 + (b - '0');
  };
  const int hours = two(1);
  const int minutes = two(4);
  const int seconds = text.size() == 9 ? two(7) : 0;
  if (hours < 0 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return refuse();
  return std::int64_t{hours} * 3600 + minutes * 60 + seconds;
}

Result<Scenario> ParseScenario(std::string_view yaml_text, std::string_view file_name,
                               const std::vector<Organisation>& organisations) {
  const std::string name(file_name);
  constexpr std::size_t kMaxBytes = 4 * 1024 * 1024;
  if (yaml_text.size() > kMaxBytes) {
    return Error::InvalidArgument(name + ": larger than " + std::to_string(kMaxBytes / (1024 * 1024)) + " MiB");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& error) {
    return Error::Parse(name + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
  try {
    return Read(root, organisations);
  } catch (const Problem& problem) {
    return Error::InvalidArgument(name + ":" + std::to_string(problem.line) + ": " + problem.place + ": " +
                                  problem.message);
  } catch (const YAML::Exception& error) {
    return Error::InvalidArgument(name + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
}

}  // namespace dv::exercise
