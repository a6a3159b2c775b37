// SPDX-License-Identifier: Apache-2.0
#include "detect/indicators/indicator.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <thread>

#include "core/json_limits.h"
#include "core/memory.h"
#include "core/text.h"
#include "stix/pattern.h"

namespace dv {
namespace {

// Splits text into lines, calling fn(line_number, line) without the "\n".
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    ++line_number;
    fn(line_number, text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

// ---- STIX ----

struct StixContext {
  std::string_view source;
  const LoadOptions& options;
  LoadReport& report;
  std::vector<Indicator>& out;
  bool line_based = false;  // JSON lines: places keep the line number
};

void ReadStixObject(const nlohmann::json& object, const std::string& fallback_place, StixContext& context);

void ReadStixValue(const nlohmann::json& value, const std::string& place, StixContext& context) {
  if (value.is_array()) {
    context.out.reserve(context.out.size() + value.size());
    for (std::size_t object_idx = 0; object_idx < value.size(); ++object_idx) {
      ReadStixObject(value[object_idx], place + "[" + std::to_string(object_idx) + "]", context);
    }
  } else {
    ReadStixObject(value, place, context);
  }
}

void ReadStixObject(const nlohmann::json& object, const std::string& fallback_place, StixContext& context) {
  LoadReport& report = context.report;
  if (!object.is_object()) {
    report.Reject(fallback_place, "expected a STIX object");
    return;
  }
  const auto type = object.find("type");
  if (type == object.end() || !type->is_string()) {
    report.Reject(fallback_place, "object has no 'type'");
    return;
  }
  if (*type == "bundle") {
    const auto objects = object.find("objects");
    if (objects == object.end()) return;
    if (!objects->is_array()) {
      report.Reject(fallback_place, "bundle 'objects' is not an array");
      return;
    }
    ReadStixValue(*objects, fallback_place + " objects", context);
    return;
  }
  if (*type != "indicator") {
    ++report.ignored;
    return;
  }
  Indicator indicator;
  const auto id = object.find("id");
  std::string place = fallback_place;
  if (id != object.end() && id->is_string()) {
    indicator.id = id->get<std::string>();
    place = context.line_based ? fallback_place + " (" + indicator.id + ")"
                               : std::string(context.source) + ": " + indicator.id;
  }
  if (indicator.id.rfind("indicator--", 0) != 0) {
    report.Reject(place, "indicator has no id of the form indicator--<uuid>");
    return;
  }
  if (object.value("revoked", false) == true) {
    ++report.ignored;
    return;
  }
  const auto pattern = object.find("pattern");
  const auto pattern_type = object.find("pattern_type");
  if (pattern == object.end() || !pattern->is_string()) {
    report.Reject(place, "indicator has no 'pattern' string");
    return;
  }
  // STIX 2.0 indicators have no pattern_type; their patterns are STIX.
  const std::string type_name =
      pattern_type != object.end() && pattern_type->is_string() ? pattern_type->get<std::string>() : "stix";
  if (type_name != "stix") {
    report.Unsupported(place, "pattern_type '" + type_name + "' is not matched by the indicator index");
    return;
  }
  indicator.pattern = pattern->get<std::string>();
  auto parsed = ParseStixPattern(indicator.pattern);
  if (!parsed.ok()) {
    report.Reject(place, parsed.error().message());
    return;
  }
  if (auto name = object.find("name"); name != object.end() && name->is_string()) indicator.name = *name;
  for (const char* field : {"valid_from", "valid_until"}) {
    const auto value = object.find(field);
    if (value == object.end()) continue;
    auto time = value->is_string() ? Timestamp::Parse(value->get<std::string>())
                                   : Result<Timestamp>(Error::Parse("not a string"));
    if (!time.ok()) {
      report.Reject(place, std::string(field) + ": " + time.error().message());
      return;
    }
    (std::string_view(field) == "valid_from" ? indicator.valid_from : indicator.valid_until) = *time;
  }
  if (indicator.valid_from && indicator.valid_until && !(*indicator.valid_from < *indicator.valid_until)) {
    report.Reject(place, "valid_until must be later than valid_from");
    return;
  }
  if (const auto confidence = object.find("confidence"); confidence != object.end()) {
    if (!confidence->is_number_integer() || *confidence < 0 || *confidence > 100) {
      report.Reject(place, "confidence must be a whole number from 0 to 100");
      return;
    }
    indicator.confidence = confidence->get<int>();
  }
  // The same derivation as the hub (core/tlp.h ObjectTlp): every marking,
  // object level and granular; unknown or malformed markings count as RED.
  indicator.tlp = ObjectTlp(object);
  indicator.match_subdomains = context.options.match_subdomains;
  if (const auto subdomains = object.find("x_dannevirke_match_subdomains");
      subdomains != object.end() && subdomains->is_boolean()) {
    indicator.match_subdomains = subdomains->get<bool>();
  }
  indicator.source = place;
  context.out.push_back(std::move(indicator));
  ++report.loaded;
}

// ---- plain values ----

void AppendStixQuoted(std::string_view text, std::string& out) {
  out += '\'';
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
}

ObservableKind KindOfNetwork(const IpNetwork& network) {
  return network.address.v6 ? ObservableKind::kIpv6 : ObservableKind::kIpv4;
}

// Plain values are appended to one PlainText; its offsets are 32-bit, so a
// text that would pass 4 GiB is continued in a new one.
class PlainTextWriter {
 public:
  PlainTextWriter(std::string_view source, std::size_t expected_bytes) {
    Start(source, std::min<std::size_t>(expected_bytes, kMaxBytes));
  }

  // Appends `value` (refanged first when `refang`) and returns its offset.
  std::size_t Append(std::string_view value, bool refang) {
    if (text_->values.size() + value.size() > kMaxBytes) Start(text_->source, value.size());
    const std::size_t begin = text_->values.size();
    if (refang) {
      AppendRefanged(value, text_->values);
    } else {
      text_->values.append(value);
    }
    return begin;
  }
  void Truncate(std::size_t begin) { text_->values.resize(begin); }
  std::string_view ValueFrom(std::size_t begin) const { return std::string_view(text_->values).substr(begin); }
  const std::shared_ptr<PlainText>& text() const { return text_; }

 private:
  static constexpr std::size_t kMaxBytes = std::numeric_limits<std::uint32_t>::max();

  void Start(std::string_view source, std::size_t reserve) {
    text_ = std::make_shared<PlainText>();
    text_->source = source;
    text_->values.reserve(reserve);
    PrefaultForWriting(text_->values.data(), text_->values.capacity());
  }

  std::shared_ptr<PlainText> text_;
};

// Fills `indicator` (empty) for the plain value last appended to `writer`
// (from `value_begin`, already refanged) of kind `kind`; built in place so
// that a list's indicators are not moved. The caller truncates the text when
// this fails.
Status FillPlainIndicator(ObservableKind kind, const PlainTextWriter& writer, std::size_t value_begin, bool subdomains,
                          std::uint32_t line, Indicator& indicator) {
  std::string_view stored = writer.ValueFrom(value_begin);
  switch (kind) {
    case ObservableKind::kIpv4:
    case ObservableKind::kIpv6: {
      auto network = ParseIpNetwork(stored);
      if (!network || KindOfNetwork(*network) != kind) {
        return Error::InvalidArgument("'" + std::string(stored) + "' is not an " +
                                      (kind == ObservableKind::kIpv4 ? "IPv4" : "IPv6") + " address or range");
      }
      break;
    }
    case ObservableKind::kDomain:
      if (stored.substr(0, 2) == "*.") {
        stored.remove_prefix(2);
        value_begin += 2;
        subdomains = true;
      }
      if (!LooksLikeDomain(stored)) return Error::InvalidArgument("'" + std::string(stored) + "' is not a domain name");
      break;
    case ObservableKind::kMd5:
    case ObservableKind::kSha1:
    case ObservableKind::kSha256: {
      const std::size_t length = kind == ObservableKind::kMd5 ? 32 : kind == ObservableKind::kSha1 ? 40 : 64;
      if (stored.size() != length || !IsHexDigits(stored)) {
        return Error::InvalidArgument("'" + std::string(stored) + "' is not " + std::to_string(length) + " hex digits");
      }
      break;
    }
    case ObservableKind::kEmail:
      if (!LooksLikeEmail(stored)) {
        return Error::InvalidArgument("'" + std::string(stored) + "' is not an e-mail address");
      }
      break;
    default:
      if (stored.empty()) return Error::InvalidArgument("empty value");
      break;
  }
  indicator.match_subdomains = subdomains && kind == ObservableKind::kDomain;
  indicator.plain.emplace(PlainObservable{kind, line, static_cast<std::uint32_t>(value_begin),
                                          static_cast<std::uint32_t>(stored.size()), writer.text()});
  return Ok();
}

std::optional<ObservableKind> KindFromCsvType(std::string_view type_name, std::string_view value) {
  const std::string type = AsciiLower(TrimSpace(type_name));
  if (type.empty() || type == "auto") return GuessObservableKind(value);
  if (type == "ip" || type == "cidr" || type == "ip-addr" || type == "ipv4-addr" || type == "ipv6-addr" ||
      type == "ipv4" || type == "ipv6") {
    auto network = ParseIpNetwork(value);
    if (!network) return std::nullopt;
    const ObservableKind kind = KindOfNetwork(*network);
    if ((type == "ipv4-addr" || type == "ipv4") && kind != ObservableKind::kIpv4) return std::nullopt;
    if ((type == "ipv6-addr" || type == "ipv6") && kind != ObservableKind::kIpv6) return std::nullopt;
    return kind;
  }
  static const std::pair<std::string_view, ObservableKind> kNames[] = {
      {"domain-name", ObservableKind::kDomain},
      {"domain", ObservableKind::kDomain},
      {"hostname", ObservableKind::kDomain},
      {"url", ObservableKind::kUrl},
      {"email-addr", ObservableKind::kEmail},
      {"email", ObservableKind::kEmail},
      {"md5", ObservableKind::kMd5},
      {"sha1", ObservableKind::kSha1},
      {"sha-1", ObservableKind::kSha1},
      {"sha256", ObservableKind::kSha256},
      {"sha-256", ObservableKind::kSha256},
      {"file-name", ObservableKind::kFileName},
      {"filename", ObservableKind::kFileName},
      {"process-name", ObservableKind::kProcessName},
      {"command-line", ObservableKind::kCommandLine},
      {"windows-registry-key", ObservableKind::kRegistryKey},
      {"registry-key", ObservableKind::kRegistryKey},
      {"user-account", ObservableKind::kUserAccount},
      {"user", ObservableKind::kUserAccount},
  };
  for (const auto& [name, kind] : kNames) {
    if (name == type) return kind;
  }
  if (type == "hash") {
    auto kind = GuessObservableKind(value);
    if (kind == ObservableKind::kMd5 || kind == ObservableKind::kSha1 || kind == ObservableKind::kSha256) return kind;
  }
  return std::nullopt;
}

// RFC 4180 fields: commas separate, double quotes quote, "" is a quote.
std::vector<std::string> SplitCsv(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t at = 0; at < line.size(); ++at) {
    const char c = line[at];
    if (quoted) {
      if (c == '"' && at + 1 < line.size() && line[at + 1] == '"') {
        fields.back() += '"';
        ++at;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

// `first_line` is the number of the line `text` starts on, less one.
void ReadPlainList(std::string_view text, std::string_view source, const LoadOptions& options, LoadReport& report,
                   std::vector<Indicator>& out, std::size_t first_line = 0) {
  // Refanged values are never longer than their lines.
  PlainTextWriter writer(source, text.size());
  ForEachLine(text, [&](std::size_t line_in_text, std::string_view line) {
    const std::size_t line_number = first_line + line_in_text;
    line = TrimSpace(line);
    if (line.empty() || line[0] == '#') {
      if (!line.empty()) ++report.ignored;
      return;
    }
    const std::size_t value_begin = writer.Append(line, /*refang=*/true);
    auto kind = GuessObservableKind(writer.ValueFrom(value_begin));
    if (!kind) {
      writer.Truncate(value_begin);
      report.Reject(Place(source, line_number), "cannot tell the type of '" + std::string(line.substr(0, 80)) + "'");
      return;
    }
    Indicator& added = out.emplace_back();
    const auto line_idx = static_cast<std::uint32_t>(line_number);
    if (Status status = FillPlainIndicator(*kind, writer, value_begin, options.match_subdomains, line_idx, added);
        !status.ok()) {
      out.pop_back();
      writer.Truncate(value_begin);
      report.Reject(Place(source, line_number), status.error().message());
      return;
    }
    ++report.loaded;
  });
}

// A large list is read in two halves on two threads (split at a line), the
// second half into a vector of its own that is then moved after the first:
// the indicators, their order, line numbers and report are those of one pass.
constexpr std::size_t kParallelListBytes = std::size_t{4} << 20;

void ReadLargePlainList(std::string_view text, std::string_view source, const LoadOptions& options, LoadReport& report,
                        std::vector<Indicator>& out) {
  std::size_t split = text.find('\n', text.size() / 2);
  if (text.size() < kParallelListBytes || std::thread::hardware_concurrency() < 2 || split == std::string_view::npos) {
    ReadPlainList(text, source, options, report, out);
    return;
  }
  ++split;
  const std::string_view first = text.substr(0, split);
  const std::string_view second = text.substr(split);
  const auto first_lines = static_cast<std::size_t>(std::count(first.begin(), first.end(), '\n'));
  std::vector<Indicator> second_out;
  LoadReport second_report;
  // What the helper throws (out of memory) is thrown here, after the join;
  // the helper is joined however this thread leaves.
  std::exception_ptr helper_error;
  std::thread helper;
  try {
    helper = std::thread([&] {
      try {
        ReservePrefaulted(second_out, static_cast<std::size_t>(std::count(second.begin(), second.end(), '\n')) + 1);
        ReadPlainList(second, source, options, second_report, second_out, first_lines);
      } catch (...) {
        helper_error = std::current_exception();
      }
    });
  } catch (const std::system_error&) {  // no thread to be had: one pass
    ReadPlainList(text, source, options, report, out);
    return;
  }
  struct Joiner {
    std::thread& thread;
    ~Joiner() {
      if (thread.joinable()) thread.join();
    }
  } joiner{helper};
  ReadPlainList(first, source, options, report, out);
  helper.join();
  if (helper_error) std::rethrow_exception(helper_error);
  std::move(second_out.begin(), second_out.end(), std::back_inserter(out));
  report.loaded += second_report.loaded;
  report.ignored += second_report.ignored;
  report.unsupported += second_report.unsupported;
  report.rejected += second_report.rejected;
  for (auto& problem : second_report.rejections) KeepProblem(report.rejections, LoadReport::kMaxProblems, problem);
  for (auto& problem : second_report.unsupported_reasons)
    KeepProblem(report.unsupported_reasons, LoadReport::kMaxProblems, problem);
}

void ReadCsv(std::string_view text, std::string_view source, const LoadOptions& options, LoadReport& report,
             std::vector<Indicator>& out) {
  int type_col = -1, value_col = -1, id_col = -1, name_col = -1;
  bool header = false;
  PlainTextWriter writer(source, text.size());
  ForEachLine(text, [&](std::size_t line_number, std::string_view line) {
    line = TrimSpace(line);
    if (line.empty() || line[0] == '#') return;
    std::vector<std::string> fields = SplitCsv(line);
    if (!header) {
      header = true;
      for (std::size_t col = 0; col < fields.size(); ++col) {
        const std::string name = AsciiLower(TrimSpace(fields[col]));
        const int col_idx = static_cast<int>(col);
        if (name == "type") type_col = col_idx;
        if (name == "value") value_col = col_idx;
        if (name == "id") id_col = col_idx;
        if (name == "name") name_col = col_idx;
      }
      if (type_col < 0 || value_col < 0) {
        report.Reject(Place(source, line_number), "CSV header must name the columns 'type' and 'value'");
      }
      return;
    }
    if (type_col < 0 || value_col < 0) return;
    const auto column = [&](int col) -> std::string {
      return col >= 0 && static_cast<std::size_t>(col) < fields.size() ? std::string(TrimSpace(fields[col])) : "";
    };
    const std::string value = Refang(column(value_col));
    const std::string type = column(type_col);
    const std::string place = Place(source, line_number);
    if (value.empty()) {
      report.Reject(place, "empty value");
      return;
    }
    std::string_view domain_value = value;
    if (domain_value.rfind("*.", 0) == 0) domain_value.remove_prefix(2);
    auto kind = KindFromCsvType(type, domain_value);
    if (!kind) {
      report.Reject(place, type.empty() ? "cannot tell the type of '" + value.substr(0, 80) + "'"
                                        : "'" + value.substr(0, 80) + "' is not of type '" + type + "'");
      return;
    }
    Indicator& added = out.emplace_back();
    const std::size_t value_begin = writer.Append(value, /*refang=*/false);
    if (Status status = FillPlainIndicator(*kind, writer, value_begin, options.match_subdomains, 0, added);
        !status.ok()) {
      out.pop_back();
      writer.Truncate(value_begin);
      report.Reject(place, status.error().message());
      return;
    }
    added.id = column(id_col).empty() ? place : column(id_col);
    added.name = column(name_col);
    added.source = place;
    ++report.loaded;
  });
}

}  // namespace

void LoadReport::Reject(std::string place, std::string message) {
  ++rejected;
  KeepProblem(rejections, kMaxProblems, {std::move(place), std::move(message)});
}

void LoadReport::Unsupported(std::string place, std::string message) {
  ++unsupported;
  KeepProblem(unsupported_reasons, kMaxProblems, {std::move(place), std::move(message)});
}

std::string StixQuote(std::string_view text) {
  std::string out;
  AppendStixQuoted(text, out);
  return out;
}

std::string IndicatorPattern(const Indicator& indicator) {
  if (!indicator.plain || !indicator.pattern.empty()) return indicator.pattern;
  const std::string_view path = ObservableKindPath(indicator.plain->kind);
  std::string out;
  out.reserve(path.size() + indicator.plain->value_length + 8);
  out += '[';
  out += path;
  out += " = ";
  AppendStixQuoted(indicator.plain->value(), out);
  out += ']';
  return out;
}

std::string IndicatorId(const Indicator& indicator) {
  if (!indicator.id.empty() || !indicator.plain || indicator.plain->line == 0) return indicator.id;
  return Place(indicator.plain->text->source, indicator.plain->line);
}

std::string IndicatorSource(const Indicator& indicator) {
  return indicator.source.empty() ? IndicatorId(indicator) : indicator.source;
}

Result<Indicator> IndicatorFromValue(ObservableKind kind, std::string_view value) {
  value = TrimSpace(value);
  PlainTextWriter writer({}, value.size());
  const std::size_t value_begin = writer.Append(value, /*refang=*/false);
  Indicator indicator;
  DV_TRY(FillPlainIndicator(kind, writer, value_begin, false, 0, indicator));
  return indicator;
}

Result<std::vector<Indicator>> ParseIndicators(std::string_view text, std::string_view source_name,
                                               const LoadOptions& options, LoadReport* report) {
  LoadReport local;
  LoadReport& sink = report != nullptr ? *report : local;
  std::vector<Indicator> out;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  IndicatorFormat format = options.format;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (format == IndicatorFormat::kAuto) {
    const char lead = first == std::string_view::npos ? '\0' : text[first];
    if (lead == '{' || lead == '[') {
      format = IndicatorFormat::kStixJson;
      if (lead == '{' && !nlohmann::json::accept(text)) format = IndicatorFormat::kJsonLines;
    } else {
      std::string_view first_line = text.substr(first == std::string_view::npos ? text.size() : first);
      first_line = TrimSpace(first_line.substr(0, first_line.find('\n')));
      const std::string header = AsciiLower(first_line);
      const bool csv = header.rfind("type,value", 0) == 0 || header.rfind("value,type", 0) == 0 ||
                       header.rfind("\"type\",\"value\"", 0) == 0;
      format = csv ? IndicatorFormat::kCsv : IndicatorFormat::kPlainList;
    }
  }
  // Line formats hold at most one indicator a line: the vector is sized and
  // mapped once (growing it would move every indicator read so far, again
  // and again, into memory faulted in a page at a time).
  if (format != IndicatorFormat::kStixJson) {
    ReservePrefaulted(out, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  }
  switch (format) {
    case IndicatorFormat::kStixJson: {
      // Bundles nest: checked before parsing, as ReadStixValue recurses into them.
      if (auto depth = CheckJsonDepth(text, kMaxJsonDepth + 2); !depth.ok()) {
        return Error::Parse(std::string(source_name) + ": " + depth.error().message());
      }
      nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (document.is_discarded()) {
        return Error::Parse(std::string(source_name) + ": not a valid JSON document");
      }
      StixContext context{source_name, options, sink, out};
      ReadStixValue(document, std::string(source_name) + ":", context);
      break;
    }
    case IndicatorFormat::kJsonLines: {
      StixContext context{source_name, options, sink, out, /*line_based=*/true};
      ForEachLine(text, [&](std::size_t line_number, std::string_view line) {
        if (TrimSpace(line).empty()) return;
        if (auto depth = CheckJsonDepth(line, kMaxJsonDepth + 2); !depth.ok()) {
          sink.Reject(Place(source_name, line_number), depth.error().message());
          return;
        }
        nlohmann::json object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (object.is_discarded()) {
          sink.Reject(Place(source_name, line_number), "not a valid JSON object");
          return;
        }
        ReadStixValue(object, Place(source_name, line_number), context);
      });
      break;
    }
    case IndicatorFormat::kCsv:
      ReadCsv(text, source_name, options, sink, out);
      break;
    case IndicatorFormat::kAuto:
    case IndicatorFormat::kPlainList:
      ReadLargePlainList(text, source_name, options, sink, out);
      break;
  }
  return out;
}

Result<std::vector<Indicator>> LoadIndicatorFile(const std::string& path, const LoadOptions& options,
                                                 LoadReport* report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Io(path + ": cannot open indicator file");
  // A regular file is read in one piece into a string of its size; anything
  // else (a pipe) is read to its end.
  std::string text;
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::is_regular_file(path, size_error)
                                  ? std::filesystem::file_size(path, size_error)
                                  : std::uintmax_t{0};
  if (size > 0 && !size_error) {
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
  } else {
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = std::move(buffer).str();
  }
  if (in.bad()) return Error::Io(path + ": read failed");
  return ParseIndicators(text, path, options, report);
}

}  // namespace dv
