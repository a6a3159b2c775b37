// SPDX-License-Identifier: Apache-2.0
#include "sensor/suricata_rules.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace dv::sensor {
namespace {

constexpr std::array<std::string_view, 7> kActions = {"alert",     "pass",      "drop",      "reject",
                                                      "rejectsrc", "rejectdst", "rejectboth"};

// Length of the UTF-8 sequence at `pos`, or 0 when it is not valid UTF-8
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t Utf8Length(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = 0;
  std::uint32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1FU;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0FU;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07U;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t idx = 1; idx < length; ++idx) {
    const auto next = static_cast<unsigned char>(text[pos + idx]);
    if ((next & 0xC0U) != 0x80U) return 0;
    code = (code << 6) | (next & 0x3FU);
  }
  if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10FFFF ||
      (code >= 0xD800 && code <= 0xDFFF)) {
    return 0;
  }
  return length;
}

// The digits of the rule's `sid:` option, or empty.
std::string_view SidOf(std::string_view options) {
  std::size_t pos = 0;
  while ((pos = options.find("sid", pos)) != std::string_view::npos) {
    const bool starts_option =
        pos == 0 || options[pos - 1] == ';' || options[pos - 1] == ' ' || options[pos - 1] == '(';
    std::size_t cursor = pos + 3;
    pos = cursor;
    if (!starts_option) continue;
    while (cursor < options.size() && options[cursor] == ' ') ++cursor;
    if (cursor >= options.size() || options[cursor] != ':') continue;
    ++cursor;
    while (cursor < options.size() && options[cursor] == ' ') ++cursor;
    const std::size_t digits = cursor;
    while (cursor < options.size() && options[cursor] >= '0' && options[cursor] <= '9') ++cursor;
    if (cursor == digits || cursor - digits > 10) continue;
    while (cursor < options.size() && options[cursor] == ' ') ++cursor;
    if (cursor < options.size() && options[cursor] == ';') return options.substr(digits, cursor - digits);
  }
  return {};
}

// The options of a rule (the text inside its last parentheses), split at the
// semicolons outside quoted strings (a backslash escapes the next byte), as
// trimmed "name" / "value" pairs.
std::vector<std::pair<std::string_view, std::string_view>> OptionsOf(std::string_view options) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  const auto trim = [](std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
  };
  const auto add = [&](std::string_view option) {
    option = trim(option);
    if (option.empty()) return;
    const std::size_t colon = option.find(':');
    out.emplace_back(trim(option.substr(0, colon)),
                     colon == std::string_view::npos ? std::string_view() : trim(option.substr(colon + 1)));
  };
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t pos = 0; pos < options.size(); ++pos) {
    if (options[pos] == '\\') {
      ++pos;
    } else if (options[pos] == '"') {
      quoted = !quoted;
    } else if (options[pos] == ';' && !quoted) {
      add(options.substr(start, pos - start));
      start = pos + 1;
    }
  }
  add(options.substr(start));
  return out;
}

// Options that reach beyond inspecting traffic on the member's machine: run a
// script (lua, luajit), write files (filestore), or read and write files
// through datasets and reputation sets (save, load, state). A shared rule is
// another member's code running inside this member's Suricata.
std::optional<std::string> ReachesOutside(std::string_view name, std::string_view value) {
  if (name == "lua" || name == "luajit") return "runs a Lua script";
  if (name == "filestore") return "writes files to disk";
  if (name == "dataset" || name == "datarep") {
    for (const std::string_view file_option : {"save", "load", "state"}) {
      std::size_t pos = 0;
      while ((pos = value.find(file_option, pos)) != std::string_view::npos) {
        const bool starts = pos == 0 || value[pos - 1] == ',' || value[pos - 1] == ' ';
        pos += file_option.size();
        if (starts)
          return std::string("reads or writes a file through its ") + std::string(name) + " (" +
                 std::string(file_option) + ")";
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> ValidateSuricataRule(std::string_view rule) {
  if (rule.size() > kMaxSuricataRuleBytes) {
    return Error::Parse("rule is " + std::to_string(rule.size()) + " bytes, more than " +
                        std::to_string(kMaxSuricataRuleBytes));
  }
  for (std::size_t pos = 0; pos < rule.size();) {
    const auto byte = static_cast<unsigned char>(rule[pos]);
    if (byte < 0x20 || byte == 0x7F) {
      return Error::Parse("control byte 0x" + std::string(1, "0123456789abcdef"[byte >> 4]) +
                          std::string(1, "0123456789abcdef"[byte & 0xF]) + " at offset " + std::to_string(pos) +
                          " (a rule is one line of text)");
    }
    if (byte < 0x80) {
      ++pos;
      continue;
    }
    const std::size_t length = Utf8Length(rule, pos);
    if (length == 0) return Error::Parse("invalid UTF-8 at offset " + std::to_string(pos));
    pos += length;
  }
  while (!rule.empty() && rule.front() == ' ') rule.remove_prefix(1);
  while (!rule.empty() && rule.back() == ' ') rule.remove_suffix(1);
  const std::string_view action = rule.substr(0, rule.find(' '));
  if (action.size() == rule.size() || std::find(kActions.begin(), kActions.end(), action) == kActions.end()) {
    return Error::Parse(
        "does not start with a Suricata action (alert, pass, drop, reject, rejectsrc, rejectdst, "
        "rejectboth) and a space");
  }
  const std::size_t open = rule.find('(');
  if (open == std::string_view::npos || rule.back() != ')') {
    return Error::Parse("no options in parentheses at the end of the rule");
  }
  const std::string_view options = rule.substr(open + 1, rule.size() - open - 2);
  if (SidOf(options).empty()) return Error::Parse("no 'sid:<number>;' option");
  for (const auto& [name, value] : OptionsOf(options)) {
    if (auto reason = ReachesOutside(name, value)) {
      return Error::Parse("option '" + std::string(name) + "' " + *reason + ": not accepted in a shared rule");
    }
  }
  return std::string(rule);
}

SuricataRules BuildSuricataRules(std::vector<SuricataIndicator> indicators, Timestamp now) {
  std::sort(indicators.begin(), indicators.end(),
            [](const SuricataIndicator& a, const SuricataIndicator& b) { return a.id < b.id; });
  SuricataRules out;
  out.text =
      "# Suricata rules shared as STIX indicators, written by the Dannevirke sensor.\n"
      "# Replaced whole at every change; do not edit (edits are lost).\n";
  std::set<std::string, std::less<>> sids;
  for (const SuricataIndicator& indicator : indicators) {
    if (!indicator.valid_until.empty()) {
      auto until = Timestamp::Parse(indicator.valid_until);
      if (until.ok() && *until <= now) {
        ++out.expired;
        continue;
      }
    }
    // The id goes into the file too, on a comment line.
    const bool id_ok = indicator.id.starts_with("indicator--") && indicator.id.size() <= 64 &&
                       std::all_of(indicator.id.begin(), indicator.id.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
    if (!id_ok) {
      out.skipped.push_back("(an indicator): Suricata rule skipped: its id is not a STIX indicator id");
      continue;
    }
    auto rule = ValidateSuricataRule(indicator.pattern);
    if (!rule.ok()) {
      out.skipped.push_back(indicator.id + ": Suricata rule skipped: " + rule.error().message());
      continue;
    }
    const std::size_t open = rule->find('(');
    const std::string_view sid = SidOf(std::string_view(*rule).substr(open + 1, rule->size() - open - 2));
    if (!sids.emplace(sid).second) {
      out.skipped.push_back(indicator.id + ": Suricata rule skipped: sid " + std::string(sid) +
                            " is used by another shared rule");
      continue;
    }
    out.text += "# " + indicator.id + "\n" + *rule + "\n";
    ++out.rules;
  }
  return out;
}

}  // namespace dv::sensor
