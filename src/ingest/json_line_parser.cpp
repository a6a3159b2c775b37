// SPDX-License-Identifier: Apache-2.0
#include "ingest/json_line_parser.h"

#include <simdjson.h>

#include <array>
#include <cstring>

#include "ingest/log_time.h"

namespace dv {
namespace {

namespace od = simdjson::ondemand;

// Time fields in order of preference; a lower index wins.
// EventTime is NXLog's (local time without a zone; read as UTC); the last is
// evtx_dump-style JSON's.
constexpr std::array<std::string_view, 10> kTimeFields = {"@timestamp",
                                                          "timestamp",
                                                          "time",
                                                          "TimeCreated",
                                                          "TimeCreated.SystemTime",
                                                          "UtcTime",
                                                          "winlog.time_created",
                                                          "event.created",
                                                          "EventTime",
                                                          "Event.System.TimeCreated.#attributes.SystemTime"};

int TimeFieldRank(std::string_view name) {
  for (std::size_t rank = 0; rank < kTimeFields.size(); ++rank) {
    if (kTimeFields[rank] == name) return static_cast<int>(rank);
  }
  return -1;
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimJsonSpace(std::string_view text) {
  while (!text.empty() && IsJsonSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsJsonSpace(text.back())) text.remove_suffix(1);
  return text;
}

// simdjson's on-demand API hands out number tokens unchecked; this is the
// JSON grammar for them: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view token) {
  std::size_t pos = 0;
  auto digits = [&] {
    const std::size_t start = pos;
    while (pos < token.size() && token[pos] >= '0' && token[pos] <= '9') ++pos;
    return pos - start;
  };
  if (pos < token.size() && token[pos] == '-') ++pos;
  if (pos < token.size() && token[pos] == '0') {
    ++pos;
  } else if (digits() == 0) {
    return false;
  }
  if (pos < token.size() && token[pos] == '.') {
    ++pos;
    if (digits() == 0) return false;
  }
  if (pos < token.size() && (token[pos] == 'e' || token[pos] == 'E')) {
    ++pos;
    if (pos < token.size() && (token[pos] == '+' || token[pos] == '-')) ++pos;
    if (digits() == 0) return false;
  }
  return pos == token.size();
}

}  // namespace

struct JsonLineParser::State {
  od::parser parser;
  std::string padded;  // the line followed by SIMDJSON_PADDING bytes
  std::string path;    // dotted name of the value being visited
  Event* event = nullptr;
  const char* failure = nullptr;  // our own reasons, beside simdjson's codes

  simdjson::error_code VisitValue(od::value value, int depth);
  simdjson::error_code VisitObject(od::object object, int depth);
  simdjson::error_code VisitArray(od::array array, int depth);
};

simdjson::error_code JsonLineParser::State::VisitObject(od::object object, int depth) {
  if (depth > kMaxDepth) {
    failure = "nested deeper than 64 levels";
    return simdjson::DEPTH_ERROR;
  }
  const std::size_t base = path.size();
  for (auto field_result : object) {
    od::field field;
    if (auto error = std::move(field_result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    path.resize(base);
    if (base != 0) path.push_back('.');
    path.append(key);
    if (auto error = VisitValue(field.value(), depth)) return error;
  }
  path.resize(base);
  return simdjson::SUCCESS;
}

simdjson::error_code JsonLineParser::State::VisitArray(od::array array, int depth) {
  if (depth > kMaxDepth) {
    failure = "nested deeper than 64 levels";
    return simdjson::DEPTH_ERROR;
  }
  for (auto element_result : array) {
    od::value element;
    if (auto error = std::move(element_result).get(element)) return error;
    if (auto error = VisitValue(element, depth)) return error;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code JsonLineParser::State::VisitValue(od::value value, int depth) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) return error;
      return VisitObject(object, depth + 1);
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) return error;
      const std::size_t base = path.size();
      auto error = VisitArray(array, depth + 1);
      path.resize(base);
      return error;
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return error;
      event->Add(path, text);
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      const std::string_view token = TrimJsonSpace(value.raw_json_token());
      if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
      event->Add(path, token);
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) return error;
      event->Add(path, flag ? "true" : "false");
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return error;
      if (!is_null) return simdjson::N_ATOM_ERROR;
      event->AddNull(path);
      return simdjson::SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

JsonLineParser::JsonLineParser() : state_(std::make_unique<State>()) {}
JsonLineParser::~JsonLineParser() = default;
JsonLineParser::JsonLineParser(JsonLineParser&&) noexcept = default;
JsonLineParser& JsonLineParser::operator=(JsonLineParser&&) noexcept = default;

Status JsonLineParser::ParseLine(std::string_view line, Event& event) {
  event.Clear();
  line = TrimJsonSpace(line);
  if (line.empty()) return Error::Parse("empty line");
  if (line.front() != '{') return Error::Parse("not a JSON object");
  State& state = *state_;
  if (line.back() != '}') return Error::Parse("truncated: the line does not end with '}'");
  state.padded.resize(line.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(state.padded.data(), line.data(), line.size());
  std::memset(state.padded.data() + line.size(), ' ', simdjson::SIMDJSON_PADDING);
  state.path.clear();
  state.event = &event;
  state.failure = nullptr;

  od::document document;
  simdjson::error_code error =
      state.parser.iterate(simdjson::padded_string_view(state.padded.data(), line.size(), state.padded.size()))
          .get(document);
  od::object root;
  if (!error) error = document.get_object().get(root);
  if (!error) error = state.VisitObject(root, 1);
  if (!error) {
    // On-demand parsing stops after the root object; text after it would
    // otherwise go unnoticed. After the walk, raw_json spans the root object
    // up to the next token: the whole line unless something follows.
    std::string_view whole;
    error = document.raw_json().get(whole);
    if (!error && TrimJsonSpace(whole).size() != line.size()) {
      state.failure = "trailing text after the JSON object";
      error = simdjson::TAPE_ERROR;
    }
  }
  if (error) {
    event.Clear();
    if (state.failure != nullptr) return Error::Parse(state.failure);
    if (error == simdjson::UTF8_ERROR) return Error::Parse("invalid UTF-8");
    return Error::Parse(std::string("invalid JSON: ") + simdjson::error_message(error));
  }

  int best_rank = static_cast<int>(kTimeFields.size());
  for (const EventField& field : event.fields()) {
    if (field.is_null || field.value.empty()) continue;
    const int rank = TimeFieldRank(field.name);
    if (rank < 0 || rank >= best_rank) continue;
    if (auto time = ParseLogTime(field.value)) {
      event.time = time;
      best_rank = rank;
    }
  }
  return Ok();
}

}  // namespace dv
