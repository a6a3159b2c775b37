// SPDX-License-Identifier: Apache-2.0
#pragma once

// Indicators and how they are read: STIX 2.1 indicator objects (a bundle, an
// array of objects, one object, or JSON lines) and plain lists (one value per
// line with the type guessed, or CSV with a `type,value[,id,name]` header).
//
// Loading never fails for one bad entry: the entry is counted in the
// LoadReport with its place ("feed.txt:17", "feed.json: indicator--…") and
// skipped. Only a document that cannot be read at all (a missing file, a JSON
// document that does not parse) is an Error. Pure functions apart from
// LoadIndicatorFile; thread-safe.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/problem.h"
#include "core/result.h"
#include "core/time.h"
#include "core/tlp.h"
#include "detect/indicators/observable.h"

namespace dv {

// The text of the plain values read together (one list or CSV file, or one
// IndicatorFromValue): shared by their indicators, so that a million list
// lines are two buffers rather than millions of heap strings. Written only
// while they are read; immutable once shared.
struct PlainText {
  std::string source;  // the list's name: a list line's id is "<source>:<line>"
  std::string values;  // the values, refanged, one after another
};

// One value of a plain list, kept so that the index need not parse a STIX
// pattern for each of a million simple indicators.
struct PlainObservable {
  ObservableKind kind = ObservableKind::kIpv4;
  // The line in text->source for a list line (its id); 0 otherwise.
  std::uint32_t line = 0;
  std::uint32_t value_begin = 0;  // in text->values
  std::uint32_t value_length = 0;
  std::shared_ptr<const PlainText> text;  // never null

  // As given (refanged); CIDR ranges allowed for IP kinds. Lives as long as
  // any copy of this observable.
  std::string_view value() const { return {text->values.data() + value_begin, value_length}; }
};

// Plain values (list lines, CSV rows, IndicatorFromValue) carry no pattern,
// and list lines neither id nor source: a million of them would be millions
// of heap strings. IndicatorId, IndicatorPattern and IndicatorSource spell
// them when asked; read those rather than the fields.
struct Indicator {
  // STIX id, or the CSV id column; empty for a list line (IndicatorId gives
  // "<file>:<line>").
  std::string id;
  std::string name;  // may be empty
  // STIX pattern; empty when `plain` is set (IndicatorPattern spells it).
  std::string pattern;
  // When set, this is what the index matches.
  std::optional<PlainObservable> plain;
  // Where it was read: "feed.json: indicator--…", "feed.csv:12"; empty when
  // it is the id ("feed.txt:12" for a list line; IndicatorSource says so).
  std::string source;
  std::optional<Timestamp> valid_from;
  std::optional<Timestamp> valid_until;
  std::optional<int> confidence;  // 0–100
  std::optional<Tlp> tlp;         // GoverningTlp of all markings (unknown ones count as RED)
  // A domain value also matches its subdomains (evil.example → a.evil.example).
  bool match_subdomains = false;
};

// Counts of what loading and index building met. `problems` keeps the first
// kMaxProblems reasons in full; the counts are always complete.
struct LoadReport {
  static constexpr std::size_t kMaxProblems = 1000;

  std::size_t loaded = 0;       // indicators read
  std::size_t rejected = 0;     // malformed entries, skipped
  std::size_t unsupported = 0;  // well-formed, but outside what the index can match
  std::size_t ignored = 0;      // other STIX objects, revoked indicators, comments
  // Placed "feed.txt:17" or "feed.json: indicator--…", with what is wrong or
  // why it cannot be matched.
  std::vector<Problem> rejections;
  std::vector<Problem> unsupported_reasons;

  void Reject(std::string place, std::string message);
  void Unsupported(std::string place, std::string message);
};

enum class IndicatorFormat { kAuto, kStixJson, kJsonLines, kPlainList, kCsv };

struct LoadOptions {
  IndicatorFormat format = IndicatorFormat::kAuto;
  // Every domain indicator also matches its subdomains.
  bool match_subdomains = false;
};

// Reads indicators from `text`; `source_name` (usually the file name) starts
// every place in the report. kAuto: JSON when the text starts with '{' or '['
// (JSON lines when it does not parse as one document), CSV when the first line
// is a header starting "type,value", otherwise a plain list.
Result<std::vector<Indicator>> ParseIndicators(std::string_view text, std::string_view source_name,
                                               const LoadOptions& options, LoadReport* report);
Result<std::vector<Indicator>> LoadIndicatorFile(const std::string& path, const LoadOptions& options,
                                                 LoadReport* report);

// An indicator for one value of a known kind (CIDR ranges for IP kinds);
// Error when the value is not of that kind.
Result<Indicator> IndicatorFromValue(ObservableKind kind, std::string_view value);

// "'it\'s'": a STIX string literal.
std::string StixQuote(std::string_view text);

// The indicator's id: `id`, or for a list line "<file>:<line>".
std::string IndicatorId(const Indicator& indicator);
// The indicator's STIX pattern: `pattern`, or for a plain value its STIX
// spelling ("[ipv4-addr:value = '198.51.100.7']").
std::string IndicatorPattern(const Indicator& indicator);
// Where the indicator was read: `source`, or IndicatorId when that is empty.
std::string IndicatorSource(const Indicator& indicator);

}  // namespace dv
