// SPDX-License-Identifier: Apache-2.0
#include "detect/indicators/indicator_index.h"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <span>

#include "core/memory.h"
#include "core/regex_limits.h"
#include "core/text.h"
#include "stix/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace dv {
namespace {

// Key tags: the first byte of every key in the table. Exact values use the
// ObservableKind; the others mark derived keys.
constexpr char kTagIpv4Range = 32;  // + prefix length byte + masked address
constexpr char kTagIpv6Range = 33;
constexpr char kTagDomainSuffix = 34;  // + normalised parent domain
constexpr std::size_t kMaxConjunctions = 256;

char Tag(ObservableKind kind) { return static_cast<char>(kind); }
std::uint32_t KindBit(ObservableKind kind) {
  if (kind == ObservableKind::kIpv4 || kind == ObservableKind::kIpv6) {
    return (1u << static_cast<int>(ObservableKind::kIpv4)) | (1u << static_cast<int>(ObservableKind::kIpv6));
  }
  return 1u << static_cast<int>(kind);
}
std::string_view TrimSpaceAndQuotes(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '"')) {
    text.remove_suffix(1);
  }
  return text;
}

// An immutable hash table from byte-string keys to lists of atom ids, built
// in one go: entries are collected, sorted and grouped, then placed in an
// open-addressing table of group indexes. Each slot also holds the upper half
// of its key's hash, so that a lookup of an absent key (nearly every lookup)
// reads one slot and no group.
class KeyTable {
 public:
  static std::uint64_t HashOf(std::string_view key) { return std::hash<std::string_view>{}(key); }

  void Add(std::string_view key, std::uint32_t atom) {
    entries_.push_back(
        {HashOf(key), static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(key.size()), atom});
    arena_.append(key);
  }
  // Room for `keys` keys, so that adding them does not move the entries
  // again and again.
  void Reserve(std::size_t keys) { ReservePrefaulted(entries_, keys); }
  std::size_t Mark() const { return entries_.size(); }
  void Truncate(std::size_t mark) { entries_.resize(mark); }

  void Freeze() {
    std::sort(entries_.begin(), entries_.end(), [this](const Entry& a, const Entry& b) {
      if (a.hash != b.hash) return a.hash < b.hash;
      const int order = KeyOf(a).compare(KeyOf(b));
      if (order != 0) return order < 0;
      return a.atom < b.atom;
    });
    ReservePrefaulted(groups_, entries_.size() + 1);
    ReservePrefaulted(postings_, entries_.size());
    for (std::size_t entry_idx = 0; entry_idx < entries_.size(); ++entry_idx) {
      const Entry& entry = entries_[entry_idx];
      const bool new_group =
          groups_.empty() || groups_.back().hash != entry.hash || KeyOf(entries_[entry_idx - 1]) != KeyOf(entry);
      if (new_group) {
        groups_.push_back({entry.hash, entry.offset, entry.length, static_cast<std::uint32_t>(postings_.size())});
      } else if (postings_.back() == entry.atom) {
        continue;
      }
      postings_.push_back(entry.atom);
    }
    groups_.push_back({0, 0, 0, static_cast<std::uint32_t>(postings_.size())});  // sentinel
    std::size_t capacity = 16;
    while (capacity < groups_.size() * 2) capacity *= 2;
    ReservePrefaulted(slots_, capacity);
    slots_.assign(capacity, 0);
    mask_ = capacity - 1;
    for (std::uint32_t group_idx = 0; group_idx + 1 < groups_.size(); ++group_idx) {
      const std::uint64_t hash = groups_[group_idx].hash;
      std::size_t slot = hash & mask_;
      while (slots_[slot] != 0) slot = (slot + 1) & mask_;
      slots_[slot] = (hash & kFingerprintMask) | (group_idx + 1);
    }
    entries_.clear();
    entries_.shrink_to_fit();
  }

  // Asks the processor to fetch the slot where a key of hash `hash` starts,
  // so that several lookups can wait for memory at once.
  void Prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(slots_.data() + (hash & mask_));
  }

  // `hash` is HashOf(key).
  std::span<const std::uint32_t> Find(std::string_view key, std::uint64_t hash) const {
    if (slots_.empty()) return {};
    const std::uint64_t fingerprint = hash & kFingerprintMask;
    for (std::size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const std::uint64_t entry = slots_[slot];
      if (entry == 0) return {};
      if ((entry & kFingerprintMask) != fingerprint) continue;
      const std::uint32_t group_ref = static_cast<std::uint32_t>(entry);
      const Group& group = groups_[group_ref - 1];
      if (group.hash == hash && std::string_view(arena_.data() + group.offset, group.length) == key) {
        return {postings_.data() + group.post_begin, groups_[group_ref].post_begin - group.post_begin};
      }
    }
  }

 private:
  struct Entry {
    std::uint64_t hash;
    std::uint32_t offset;
    std::uint32_t length;
    std::uint32_t atom;
  };
  struct Group {
    std::uint64_t hash;
    std::uint32_t offset;
    std::uint32_t length;
    std::uint32_t post_begin;
  };
  static constexpr std::uint64_t kFingerprintMask = 0xffffffff00000000u;
  std::string_view KeyOf(const Entry& entry) const { return {arena_.data() + entry.offset, entry.length}; }

  std::vector<Entry> entries_;
  std::string arena_;
  std::vector<Group> groups_;
  std::vector<std::uint32_t> postings_;
  std::vector<std::uint64_t> slots_;  // upper hash half | group index + 1; 0: empty
  std::size_t mask_ = 0;
};

struct PcreEntry {
  pcre2_code* code = nullptr;
  std::uint32_t atom = 0;
  // Matches stopped by a limit (core/regex_limits.h); shared by every thread.
  std::unique_ptr<std::atomic<std::uint32_t>> stops = std::make_unique<std::atomic<std::uint32_t>>(0);
};

std::atomic<std::uint64_t> regex_stopped{0};

// Runs one PCRE2-only expression within the limits; a stopped match is no match.
bool LimitedMatch(const PcreEntry& entry, std::string_view text, pcre2_match_data* match_data) {
  if (entry.stops->load(std::memory_order_relaxed) >= kRegexStopsBeforeOff) return false;
  const int rc = pcre2_match(entry.code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, match_data,
                             LimitedMatchContext());
  if (StoppedByLimit(rc)) {
    entry.stops->fetch_add(1, std::memory_order_relaxed);
    regex_stopped.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return rc >= 0;
}

// The LIKE and MATCHES comparisons of one observable kind.
struct RegexSet {
  hs_database_t* database = nullptr;
  std::vector<std::uint32_t> hs_atoms;  // Hyperscan id → atom
  std::vector<PcreEntry> pcre;          // expressions Hyperscan cannot compile
};

std::string LikeToRegex(std::string_view like) {
  std::string out = "\\A";
  for (char c : like) {
    if (c == '%') {
      out += ".*";
    } else if (c == '_') {
      out += '.';
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += c;
    } else {
      static constexpr char kDigits[] = "0123456789abcdef";
      out += "\\x";
      out += kDigits[(static_cast<unsigned char>(c) >> 4) & 0xf];
      out += kDigits[static_cast<unsigned char>(c) & 0xf];
    }
  }
  out += "\\z";
  return out;
}

std::string PcreError(int code) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(code, buffer, sizeof(buffer));
  return reinterpret_cast<const char*>(buffer);
}

std::atomic<std::uint64_t> next_build_id{1};

}  // namespace

// ---- the compiled index ----

struct IndicatorIndexData {
  ~IndicatorIndexData() {
    for (RegexSet& set : regexes) {
      if (set.database != nullptr) hs_free_database(set.database);
      for (PcreEntry& entry : set.pcre) pcre2_code_free(entry.code);
    }
  }

  std::uint64_t build_id = 0;
  std::vector<Indicator> indicators;
  std::size_t matchable = 0;
  FieldTable fields;

  std::vector<ObservableKind> atom_kind;
  std::vector<std::uint32_t> atom_conj_begin;  // CSR: conjunctions an atom appears in un-negated
  std::vector<std::uint32_t> atom_conj;
  std::vector<std::uint32_t> conj_begin;  // CSR: literals (atom << 1 | negated)
  std::vector<std::uint32_t> conj_literals;
  std::vector<std::uint32_t> conj_indicator;

  KeyTable keys;
  std::vector<std::uint8_t> ipv4_prefixes;  // range prefix lengths in use, < 32
  std::vector<std::uint8_t> ipv6_prefixes;  // < 128
  bool has_suffixes = false;
  RegexSet regexes[kObservableKindCount];
};

struct IndicatorScratchData {
  ~IndicatorScratchData() {
    if (hs_scratch != nullptr) hs_free_scratch(hs_scratch);
    if (match_data != nullptr) pcre2_match_data_free(match_data);
  }

  struct Candidate {
    ObservableKind kind;
    std::uint32_t key_begin;  // in keys: tag byte + normalised value (IP: binary address)
    std::uint32_t key_length;
    std::string_view field;
    std::string_view raw;
  };

  std::uint64_t build_id = 0;
  std::uint32_t epoch = 0;
  std::vector<std::uint32_t> atom_epoch;
  std::vector<std::uint32_t> atom_source;
  std::vector<std::uint32_t> conj_epoch;
  std::vector<std::uint32_t> indicator_epoch;
  std::vector<std::uint32_t> hit_atoms;
  // A key looked up for a candidate: its exact value, or a masked address
  // or parent domain derived from it (in probe_keys).
  struct Probe {
    std::uint32_t candidate;
    std::uint32_t key_begin;
    std::uint32_t key_length;
    std::uint64_t hash;
  };

  std::vector<Candidate> candidates;
  std::string keys;
  std::vector<Probe> probes;
  std::string probe_keys;
  // Atoms the key table gave, in probe order, as (candidate, atom).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> key_hits;
  std::string lower_name;
  std::uint32_t kinds_present = 0;
  std::uint32_t current_candidate = 0;
  hs_scratch_t* hs_scratch = nullptr;
  pcre2_match_data* match_data = nullptr;

  void MarkHit(std::uint32_t atom) {
    if (atom_epoch[atom] == epoch) return;
    atom_epoch[atom] = epoch;
    atom_source[atom] = current_candidate;
    hit_atoms.push_back(atom);
  }
};

IndicatorScratch::IndicatorScratch() : state_(std::make_unique<IndicatorScratchData>()) {}
IndicatorScratch::~IndicatorScratch() = default;
IndicatorScratch::IndicatorScratch(IndicatorScratch&&) noexcept = default;
IndicatorScratch& IndicatorScratch::operator=(IndicatorScratch&&) noexcept = default;

namespace {

// ---- compiling indicators ----

struct RegexBuild {
  std::string expression;
  unsigned pcre_flags = 0;
  unsigned hs_flags = 0;
  std::uint32_t atom = 0;
};

struct Literal {
  std::uint32_t atom;
  bool negated;
};
using Conjunction = std::vector<Literal>;
using Dnf = std::vector<Conjunction>;

std::optional<ObservableKind> KindForPath(const StixObjectPath& path) {
  if (path.Is("ipv4-addr", {"value"})) return ObservableKind::kIpv4;
  if (path.Is("ipv6-addr", {"value"})) return ObservableKind::kIpv6;
  if (path.Is("domain-name", {"value"})) return ObservableKind::kDomain;
  if (path.Is("url", {"value"})) return ObservableKind::kUrl;
  if (path.Is("email-addr", {"value"})) return ObservableKind::kEmail;
  if (path.Is("email-message", {"from_ref", "value"}) || path.Is("email-message", {"sender_ref", "value"})) {
    return ObservableKind::kEmail;
  }
  if (path.object_type == "email-message" && path.steps.size() == 3 &&
      (path.steps[0].key == "to_refs" || path.steps[0].key == "cc_refs" || path.steps[0].key == "bcc_refs") &&
      path.steps[1].kind != StixPathStep::Kind::kKey && path.steps[2].kind == StixPathStep::Kind::kKey &&
      path.steps[2].key == "value") {
    return ObservableKind::kEmail;
  }
  if (path.object_type == "file" && path.steps.size() == 2 && path.steps[0].key == "hashes" &&
      path.steps[1].kind == StixPathStep::Kind::kKey) {
    std::string algorithm;
    for (char c : path.steps[1].key) algorithm += AsciiLower(c);
    if (algorithm == "md5") return ObservableKind::kMd5;
    if (algorithm == "sha-1" || algorithm == "sha1") return ObservableKind::kSha1;
    if (algorithm == "sha-256" || algorithm == "sha256") return ObservableKind::kSha256;
    return std::nullopt;
  }
  if (path.Is("file", {"name"})) return ObservableKind::kFileName;
  if (path.Is("process", {"name"}) || path.Is("process", {"image_ref", "name"})) return ObservableKind::kProcessName;
  if (path.Is("process", {"command_line"})) return ObservableKind::kCommandLine;
  if (path.Is("windows-registry-key", {"key"})) return ObservableKind::kRegistryKey;
  if (path.Is("user-account", {"user_id"}) || path.Is("user-account", {"account_login"})) {
    return ObservableKind::kUserAccount;
  }
  return std::nullopt;
}

class Builder {
 public:
  explicit Builder(IndicatorIndexData& impl) : impl_(impl) {}

  // Room for `indicators` indicators, most of them one value: the arrays are
  // sized once rather than grown (and moved) a million times over.
  void Reserve(std::size_t indicators) {
    ReservePrefaulted(atoms_, indicators);
    impl_.keys.Reserve(indicators);
    ReservePrefaulted(impl_.conj_begin, indicators + 1);
    ReservePrefaulted(impl_.conj_indicator, indicators);
    ReservePrefaulted(impl_.conj_literals, indicators);
  }

  // Compiles one indicator. An Error of kind kUnsupported means "valid but
  // not matchable"; any other kind means a malformed value.
  Status Compile(const Indicator& indicator, std::uint32_t indicator_idx) {
    const std::size_t key_mark = impl_.keys.Mark();
    const std::size_t atom_mark = atoms_.size();
    std::size_t regex_marks[kObservableKindCount];
    for (int kind = 0; kind < kObservableKindCount; ++kind) regex_marks[kind] = regexes_[kind].size();
    Status status = Ok();
    if (indicator.plain) {
      // One value: one atom, one conjunction, no expression tree.
      const std::uint32_t atom = NewAtom(indicator.plain->kind);
      status = AddValue(atom, indicator.plain->kind, indicator.plain->value(), indicator.match_subdomains);
      const Literal literal{atom, false};
      if (status.ok()) AddConjunction(indicator_idx, std::span(&literal, 1));
    } else {
      Result<Dnf> dnf = PatternDnf(indicator.pattern, indicator.match_subdomains);
      status = dnf.ok() ? CheckDnf(*dnf) : Status(dnf.error());
      if (status.ok()) {
        for (const Conjunction& conjunction : *dnf) AddConjunction(indicator_idx, conjunction);
      }
    }
    if (!status.ok()) {
      impl_.keys.Truncate(key_mark);
      atoms_.resize(atom_mark);
      for (int kind = 0; kind < kObservableKindCount; ++kind) regexes_[kind].resize(regex_marks[kind]);
    }
    return status;
  }

  Status Finish() {
    // Conjunctions are in CSR arrays already (AddConjunction); the atoms'
    // lists of the conjunctions they appear in un-negated follow from them.
    const std::size_t atom_count = atoms_.size();
    const std::size_t conj_count = impl_.conj_indicator.size();
    impl_.atom_kind = std::move(atoms_);
    impl_.conj_begin.push_back(static_cast<std::uint32_t>(impl_.conj_literals.size()));
    impl_.atom_conj_begin.assign(atom_count + 1, 0);
    for (const std::uint32_t literal : impl_.conj_literals) {
      if ((literal & 1) == 0) ++impl_.atom_conj_begin[(literal >> 1) + 1];
    }
    for (std::size_t atom = 0; atom < atom_count; ++atom) {
      impl_.atom_conj_begin[atom + 1] += impl_.atom_conj_begin[atom];
    }
    impl_.atom_conj.assign(impl_.atom_conj_begin.back(), 0);
    std::vector<std::uint32_t> fill(impl_.atom_conj_begin.begin(), impl_.atom_conj_begin.end() - 1);
    for (std::uint32_t conj_idx = 0; conj_idx < conj_count; ++conj_idx) {
      for (std::uint32_t lit = impl_.conj_begin[conj_idx]; lit < impl_.conj_begin[conj_idx + 1]; ++lit) {
        const std::uint32_t literal = impl_.conj_literals[lit];
        if ((literal & 1) == 0) impl_.atom_conj[fill[literal >> 1]++] = conj_idx;
      }
    }
    impl_.keys.Freeze();
    for (int prefix = 0; prefix < 128; ++prefix) {
      if (prefix < 32 && ipv4_prefixes_[prefix]) impl_.ipv4_prefixes.push_back(static_cast<std::uint8_t>(prefix));
      if (ipv6_prefixes_[prefix]) impl_.ipv6_prefixes.push_back(static_cast<std::uint8_t>(prefix));
    }
    for (int kind = 0; kind < kObservableKindCount; ++kind) DV_TRY(BuildRegexSet(regexes_[kind], impl_.regexes[kind]));
    return Ok();
  }

 private:
  void AddConjunction(std::uint32_t indicator_idx, std::span<const Literal> conjunction) {
    impl_.conj_begin.push_back(static_cast<std::uint32_t>(impl_.conj_literals.size()));
    impl_.conj_indicator.push_back(indicator_idx);
    for (const Literal& literal : conjunction) {
      impl_.conj_literals.push_back(literal.atom << 1 | (literal.negated ? 1u : 0u));
    }
  }

  Result<Dnf> PatternDnf(const std::string& text, bool subdomains) {
    auto pattern = ParseStixPattern(text);
    if (!pattern.ok()) return pattern.error();
    return ObservationDnf(pattern->root, subdomains);
  }

  Result<Dnf> ObservationDnf(const StixObservationExpression& expr, bool subdomains) {
    using Kind = StixObservationExpression::Kind;
    if (!expr.qualifiers.empty()) {
      static constexpr std::string_view kNames[] = {"WITHIN", "REPEATS", "START/STOP"};
      return Error::Unsupported("offset " + std::to_string(expr.qualifiers[0].offset) + ": qualifier " +
                                std::string(kNames[static_cast<int>(expr.qualifiers[0].kind)]) +
                                " needs correlation over time, which the indicator index does not do");
    }
    switch (expr.kind) {
      case Kind::kObservation:
        return ComparisonDnf(expr.comparison, subdomains);
      case Kind::kAnd:
        return Error::Unsupported("offset " + std::to_string(expr.operands[1].offset) +
                                  ": observations joined by AND need correlation across events");
      case Kind::kFollowedBy:
        return Error::Unsupported("offset " + std::to_string(expr.operands[1].offset) +
                                  ": FOLLOWEDBY needs correlation across events");
      case Kind::kOr: {
        Dnf out;
        for (const auto& operand : expr.operands) {
          auto part = ObservationDnf(operand, subdomains);
          if (!part.ok()) return part.error();
          for (auto& conjunction : *part) out.push_back(std::move(conjunction));
          if (out.size() > kMaxConjunctions) return TooManyAlternatives();
        }
        return out;
      }
    }
    return Error::Internal("unknown observation kind");
  }

  static Error TooManyAlternatives() {
    return Error::Unsupported("the pattern expands to more than " + std::to_string(kMaxConjunctions) + " alternatives");
  }

  Result<Dnf> ComparisonDnf(const StixComparisonExpression& expr, bool subdomains) {
    using Kind = StixComparisonExpression::Kind;
    if (expr.kind == Kind::kComparison) {
      auto literal = CompileComparison(expr.comparison, subdomains);
      if (!literal.ok()) return literal.error();
      return Dnf{{*literal}};
    }
    Dnf out;
    if (expr.kind == Kind::kOr) {
      for (const auto& operand : expr.operands) {
        auto part = ComparisonDnf(operand, subdomains);
        if (!part.ok()) return part.error();
        for (auto& conjunction : *part) out.push_back(std::move(conjunction));
        if (out.size() > kMaxConjunctions) return TooManyAlternatives();
      }
      return out;
    }
    out.push_back({});
    for (const auto& operand : expr.operands) {
      auto part = ComparisonDnf(operand, subdomains);
      if (!part.ok()) return part.error();
      if (out.size() * part->size() > kMaxConjunctions) return TooManyAlternatives();
      Dnf product;
      for (const Conjunction& left : out) {
        for (const Conjunction& right : *part) {
          Conjunction joined = left;
          joined.insert(joined.end(), right.begin(), right.end());
          product.push_back(std::move(joined));
        }
      }
      out = std::move(product);
    }
    return out;
  }

  static Status CheckDnf(const Dnf& dnf) {
    for (const Conjunction& conjunction : dnf) {
      bool positive = false;
      for (const Literal& literal : conjunction) positive = positive || !literal.negated;
      if (!positive) {
        return Error::Unsupported(
            "an alternative made only of negated comparisons (!=, NOT) would match nearly every event");
      }
    }
    return Ok();
  }

  Result<Literal> CompileComparison(const StixComparison& comparison, bool subdomains) {
    const std::string place = "offset " + std::to_string(comparison.offset) + ": ";
    auto kind = KindForPath(comparison.path);
    if (!kind) {
      return Error::Unsupported(place + "'" + comparison.path.ToString() +
                                "' is not among the observables the index matches");
    }
    bool negated = comparison.negated;
    for (const StixConstant& value : comparison.values) {
      if (value.type != StixConstantType::kString) {
        return Error::Unsupported(place + std::string(StixConstantTypeName(value.type)) +
                                  " constants are not matched; use a string");
      }
    }
    const bool ip = *kind == ObservableKind::kIpv4 || *kind == ObservableKind::kIpv6;
    const std::uint32_t atom = NewAtom(*kind);
    switch (comparison.op) {
      case StixOperator::kNotEqual:
        negated = !negated;
        [[fallthrough]];
      case StixOperator::kEqual:
      case StixOperator::kIn:
        for (const StixConstant& value : comparison.values) DV_TRY(AddValue(atom, *kind, value.text, subdomains));
        break;
      case StixOperator::kIsSubset:
        if (!ip) return Error::Unsupported(place + "ISSUBSET is matched only for IP addresses");
        DV_TRY(AddValue(atom, *kind, comparison.values[0].text, false));
        break;
      case StixOperator::kIsSuperset: {
        auto network = ip ? ParseIpNetwork(comparison.values[0].text) : std::nullopt;
        if (!network || network->prefix != static_cast<int>(network->address.size()) * 8) {
          return Error::Unsupported(place + "ISSUPERSET is matched only for a single IP address");
        }
        DV_TRY(AddValue(atom, *kind, comparison.values[0].text, false));
        break;
      }
      case StixOperator::kLike:
        DV_TRY(AddLike(atom, *kind, comparison.values[0].text, place));
        break;
      case StixOperator::kMatches:
        DV_TRY(AddRegex(atom, *kind, comparison.values[0].text, 0, place));
        break;
      case StixOperator::kExists:
        return Error::Unsupported(place + "EXISTS would match every event with the field");
      default:
        return Error::Unsupported(place + "ordering comparisons (" + std::string(StixOperatorName(comparison.op)) +
                                  ") are not matched");
    }
    return Literal{atom, negated};
  }

  std::uint32_t NewAtom(ObservableKind kind) {
    atoms_.push_back(kind);
    return static_cast<std::uint32_t>(atoms_.size() - 1);
  }

  Status AddValue(std::uint32_t atom, ObservableKind kind, std::string_view value, bool subdomains) {
    key_.clear();
    switch (kind) {
      case ObservableKind::kIpv4:
      case ObservableKind::kIpv6: {
        auto network = ParseIpNetwork(value);
        if (!network) {
          return Error::InvalidArgument("'" + std::string(value.substr(0, 80)) + "' is not an IP address or range");
        }
        const int bits = static_cast<int>(network->address.size()) * 8;
        if (network->prefix == bits) {
          key_ += network->address.v6 ? Tag(ObservableKind::kIpv6) : Tag(ObservableKind::kIpv4);
        } else {
          key_ += network->address.v6 ? kTagIpv6Range : kTagIpv4Range;
          key_ += static_cast<char>(network->prefix);
          (network->address.v6 ? ipv6_prefixes_ : ipv4_prefixes_)[network->prefix] = true;
        }
        key_.append(network->address.Bytes());
        impl_.keys.Add(key_, atom);
        return Ok();
      }
      case ObservableKind::kMd5:
      case ObservableKind::kSha1:
      case ObservableKind::kSha256: {
        const std::size_t length = kind == ObservableKind::kMd5 ? 32 : kind == ObservableKind::kSha1 ? 40 : 64;
        if (value.size() != length || !IsHexDigits(value)) {
          return Error::InvalidArgument("'" + std::string(value.substr(0, 80)) + "' is not a hash of " +
                                        std::to_string(length) + " hex digits");
        }
        break;
      }
      case ObservableKind::kDomain:
        if (value.substr(0, 2) == "*.") {
          value.remove_prefix(2);
          subdomains = true;
        }
        break;
      default:
        break;
    }
    key_ += Tag(kind);
    AppendNormalised(kind, value, key_);
    impl_.keys.Add(key_, atom);
    if (kind == ObservableKind::kDomain && subdomains) {
      key_[0] = kTagDomainSuffix;
      impl_.keys.Add(key_, atom);
      impl_.has_suffixes = true;
    }
    return Ok();
  }

  Status AddLike(std::uint32_t atom, ObservableKind kind, std::string_view like, const std::string& place) {
    std::string pattern;
    const bool ip = kind == ObservableKind::kIpv4 || kind == ObservableKind::kIpv6;
    if (ip) {
      pattern.assign(like);
    } else {
      AppendNormalised(kind, like, pattern);
    }
    if (pattern.find_first_of("%_") == std::string::npos && !ip) {
      key_.assign(1, Tag(kind));
      key_ += pattern;
      impl_.keys.Add(key_, atom);
      return Ok();
    }
    if (kind == ObservableKind::kDomain && pattern.size() > 2 && pattern.substr(0, 2) == "%." &&
        pattern.find_first_of("%_", 2) == std::string::npos) {
      key_.assign(1, kTagDomainSuffix);
      key_.append(pattern, 2);
      impl_.keys.Add(key_, atom);
      impl_.has_suffixes = true;
      return Ok();
    }
    return AddRegex(atom, kind, LikeToRegex(pattern), PCRE2_DOTALL, place);
  }

  Status AddRegex(std::uint32_t atom, ObservableKind kind, std::string expression, unsigned pcre_flags,
                  const std::string& place) {
    const bool caseless = IsCaseInsensitive(kind) && kind != ObservableKind::kIpv4 && kind != ObservableKind::kIpv6;
    if (caseless) pcre_flags |= PCRE2_CASELESS;
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expression.data()), expression.size(), pcre_flags,
                                     &error_code, &error_offset, nullptr);
    if (code == nullptr) {
      return Error::InvalidArgument(place + "expression does not compile at character " + std::to_string(error_offset) +
                                    ": " + PcreError(error_code));
    }
    pcre2_code_free(code);
    unsigned hs_flags = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
    if (pcre_flags & PCRE2_CASELESS) hs_flags |= HS_FLAG_CASELESS;
    if (pcre_flags & PCRE2_DOTALL) hs_flags |= HS_FLAG_DOTALL;
    regexes_[static_cast<int>(kind)].push_back({std::move(expression), pcre_flags, hs_flags, atom});
    return Ok();
  }

  static Status BuildRegexSet(std::vector<RegexBuild>& builds, RegexSet& set) {
    std::vector<const char*> expressions;
    std::vector<unsigned> flags;
    std::vector<unsigned> ids;
    std::vector<RegexBuild*> pcre_only;
    for (RegexBuild& build : builds) {
      bool hs_ok = build.expression.find('\0') == std::string::npos;
      if (hs_ok) {
        hs_expr_info_t* info = nullptr;
        hs_compile_error_t* error = nullptr;
        hs_ok = hs_expression_info(build.expression.c_str(), build.hs_flags, &info, &error) == HS_SUCCESS;
        if (info != nullptr) std::free(info);
        if (error != nullptr) hs_free_compile_error(error);
      }
      if (hs_ok) {
        expressions.push_back(build.expression.c_str());
        flags.push_back(build.hs_flags);
        ids.push_back(static_cast<unsigned>(set.hs_atoms.size()));
        set.hs_atoms.push_back(build.atom);
      } else {
        pcre_only.push_back(&build);
      }
    }
    if (!expressions.empty()) {
      hs_compile_error_t* error = nullptr;
      if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                           HS_MODE_BLOCK, nullptr, &set.database, &error) != HS_SUCCESS) {
        // The set as a whole is too large for Hyperscan: PCRE2 takes all of it.
        if (error != nullptr) hs_free_compile_error(error);
        set.database = nullptr;
        set.hs_atoms.clear();
        pcre_only.clear();
        for (RegexBuild& build : builds) pcre_only.push_back(&build);
      }
    }
    for (RegexBuild* build : pcre_only) {
      int error_code = 0;
      PCRE2_SIZE error_offset = 0;
      pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(build->expression.data()), build->expression.size(),
                                       build->pcre_flags, &error_code, &error_offset, nullptr);
      if (code == nullptr) return Error::Internal("expression stopped compiling: " + PcreError(error_code));
      pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
      set.pcre.push_back(PcreEntry{code, build->atom});
    }
    return Ok();
  }

  IndicatorIndexData& impl_;
  std::vector<ObservableKind> atoms_;
  std::vector<RegexBuild> regexes_[kObservableKindCount];
  bool ipv4_prefixes_[33] = {};
  bool ipv6_prefixes_[129] = {};
  std::string key_;
};

// ---- taking observables out of event fields ----

using State = IndicatorScratchData;

void Emit(State& state, ObservableKind kind, std::string_view field, std::string_view raw,
          std::string_view normalised_from) {
  const std::uint32_t begin = static_cast<std::uint32_t>(state.keys.size());
  state.keys += Tag(kind);
  AppendNormalised(kind, normalised_from, state.keys);
  state.candidates.push_back({kind, begin, static_cast<std::uint32_t>(state.keys.size() - begin), field, raw});
  state.kinds_present |= KindBit(kind);
}

void EmitHash(State& state, std::string_view field, std::string_view value, std::optional<ObservableKind> kind) {
  value = TrimSpaceAndQuotes(value);
  if (!IsHexDigits(value)) return;
  const ObservableKind by_length = value.size() == 32   ? ObservableKind::kMd5
                                   : value.size() == 40 ? ObservableKind::kSha1
                                   : value.size() == 64 ? ObservableKind::kSha256
                                                        : ObservableKind::kUrl;  // not a hash
  if (by_length == ObservableKind::kUrl || (kind && *kind != by_length)) return;
  Emit(state, by_length, field, value, value);
}

void EmitValue(State& state, FieldClass field_class, std::string_view field, std::string_view value) {
  value = TrimSpaceAndQuotes(value);
  if (value.empty() || value == "-") return;
  switch (field_class) {
    case FieldClass::kIp: {
      auto address = ParseIpLoose(value);
      if (!address) return;
      const std::uint32_t begin = static_cast<std::uint32_t>(state.keys.size());
      const ObservableKind kind = address->v6 ? ObservableKind::kIpv6 : ObservableKind::kIpv4;
      state.keys += Tag(kind);
      state.keys.append(address->Bytes());
      state.candidates.push_back({kind, begin, static_cast<std::uint32_t>(state.keys.size() - begin), field, value});
      state.kinds_present |= KindBit(kind);
      return;
    }
    case FieldClass::kDomain:
      if (ParseIp(value)) {
        EmitValue(state, FieldClass::kIp, field, value);
        return;
      }
      Emit(state, ObservableKind::kDomain, field, value, value);
      return;
    case FieldClass::kEmail: {
      const std::size_t open = value.rfind('<');
      const std::size_t close = value.rfind('>');
      if (open != std::string_view::npos && close != std::string_view::npos && open < close) {
        value = value.substr(open + 1, close - open - 1);
      }
      Emit(state, ObservableKind::kEmail, field, value, value);
      return;
    }
    case FieldClass::kFileHash:
      EmitHash(state, field, value, std::nullopt);
      return;
    case FieldClass::kUrl:
      Emit(state, ObservableKind::kUrl, field, value, value);
      return;
    case FieldClass::kFileName:
      Emit(state, ObservableKind::kFileName, field, value, value);
      return;
    case FieldClass::kProcessName:
      Emit(state, ObservableKind::kProcessName, field, value, value);
      return;
    case FieldClass::kCommandLine:
      Emit(state, ObservableKind::kCommandLine, field, value, value);
      return;
    case FieldClass::kRegistryKey:
      Emit(state, ObservableKind::kRegistryKey, field, value, value);
      return;
    case FieldClass::kUserAccount:
      Emit(state, ObservableKind::kUserAccount, field, value, value);
      return;
  }
}

bool EqualsUpper(std::string_view text, std::string_view upper) {
  if (text.size() != upper.size()) return false;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at] >= 'a' && text[at] <= 'z' ? static_cast<char>(text[at] - 32) : text[at];
    if (c != upper[at]) return false;
  }
  return true;
}

std::string_view UrlHost(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const std::size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string_view{} : rest.substr(1, close - 1);
  }
  return rest.substr(0, rest.find(':'));
}

void Extract(State& state, const FieldSpec& spec, std::string_view field, std::string_view value) {
  switch (spec.parse) {
    case FieldParse::kValue:
      EmitValue(state, spec.field_class, field, value);
      return;
    case FieldParse::kBasename: {
      const std::size_t slash = value.find_last_of("/\\");
      EmitValue(state, spec.field_class, field, slash == std::string_view::npos ? value : value.substr(slash + 1));
      return;
    }
    case FieldParse::kUrlHost: {
      const std::string_view host = UrlHost(value);
      if (!host.empty()) EmitValue(state, spec.field_class, field, host);
      return;
    }
    case FieldParse::kSysmonHashes:
      while (!value.empty()) {
        const std::size_t comma = value.find(',');
        const std::string_view item = value.substr(0, comma);
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos) {
          EmitHash(state, field, item, std::nullopt);
        } else {
          const std::string_view algorithm = TrimSpaceAndQuotes(item.substr(0, equals));
          const std::string_view digest = item.substr(equals + 1);
          if (EqualsUpper(algorithm, "MD5")) EmitHash(state, field, digest, ObservableKind::kMd5);
          if (EqualsUpper(algorithm, "SHA1")) EmitHash(state, field, digest, ObservableKind::kSha1);
          if (EqualsUpper(algorithm, "SHA256")) EmitHash(state, field, digest, ObservableKind::kSha256);
        }
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
      }
      return;
    case FieldParse::kList:
      while (!value.empty()) {
        const std::size_t end = value.find_first_of(",; \t");
        EmitValue(state, spec.field_class, field, value.substr(0, end));
        if (end == std::string_view::npos) break;
        value.remove_prefix(end + 1);
      }
      return;
  }
}

}  // namespace

// ---- IndicatorIndex ----

IndicatorIndex::IndicatorIndex(std::unique_ptr<IndicatorIndexData> impl) : impl_(std::move(impl)) {}
IndicatorIndex::IndicatorIndex(IndicatorIndex&&) noexcept = default;
IndicatorIndex& IndicatorIndex::operator=(IndicatorIndex&&) noexcept = default;
IndicatorIndex::~IndicatorIndex() = default;

const Indicator& IndicatorIndex::indicator(std::uint32_t idx) const { return impl_->indicators.at(idx); }
std::size_t IndicatorIndex::size() const { return impl_->indicators.size(); }
std::size_t IndicatorIndex::matchable() const { return impl_->matchable; }

Result<IndicatorIndex> IndicatorIndex::Build(std::vector<Indicator> indicators, const FieldTable& fields,
                                             LoadReport* report) {
  auto impl = std::make_unique<IndicatorIndexData>();
  impl->build_id = next_build_id.fetch_add(1);
  impl->fields = fields;
  Builder builder(*impl);
  builder.Reserve(indicators.size());
  for (std::uint32_t indicator_idx = 0; indicator_idx < indicators.size(); ++indicator_idx) {
    const Indicator& indicator = indicators[indicator_idx];
    Status status = builder.Compile(indicator, indicator_idx);
    if (status.ok()) {
      ++impl->matchable;
      continue;
    }
    if (report == nullptr) continue;
    const std::string place = IndicatorSource(indicator);
    if (status.error().kind() == ErrorKind::kUnsupported) {
      report->Unsupported(place, "not matched: " + status.error().message());
    } else {
      report->Reject(place, status.error().message());
    }
  }
  DV_TRY(builder.Finish());
  impl->indicators = std::move(indicators);
  return IndicatorIndex(std::move(impl));
}

void IndicatorIndex::Match(const Event& event, IndicatorScratch& scratch, std::vector<IndicatorHit>& hits) const {
  hits.clear();
  const IndicatorIndexData& impl = *impl_;
  State& state = *scratch.state_;
  if (state.build_id != impl.build_id) {
    state.build_id = impl.build_id;
    state.epoch = 0;
    state.atom_epoch.assign(impl.atom_kind.size(), 0);
    state.atom_source.assign(impl.atom_kind.size(), 0);
    state.conj_epoch.assign(impl.conj_indicator.size(), 0);
    state.indicator_epoch.assign(impl.indicators.size(), 0);
    for (const RegexSet& set : impl.regexes) {
      if (set.database != nullptr) hs_alloc_scratch(set.database, &state.hs_scratch);
    }
    if (state.match_data == nullptr) state.match_data = pcre2_match_data_create(1, nullptr);
  }
  if (++state.epoch == 0) {
    std::fill(state.atom_epoch.begin(), state.atom_epoch.end(), 0);
    std::fill(state.conj_epoch.begin(), state.conj_epoch.end(), 0);
    std::fill(state.indicator_epoch.begin(), state.indicator_epoch.end(), 0);
    state.epoch = 1;
  }
  state.candidates.clear();
  state.keys.clear();
  state.hit_atoms.clear();
  state.kinds_present = 0;

  for (const EventField& field : event.fields()) {
    if (field.is_null || field.value.empty()) continue;
    state.lower_name.resize(field.name.size());
    for (std::size_t at = 0; at < field.name.size(); ++at) state.lower_name[at] = AsciiLower(field.name[at]);
    const std::vector<FieldSpec>* specs = impl.fields.Lookup(state.lower_name);
    if (specs == nullptr) continue;
    for (const FieldSpec& spec : *specs) Extract(state, spec, field.name, field.value);
  }

  // Every key to look up first, each slot prefetched, then the lookups: the
  // table is far larger than the caches, and a dozen misses waited for at
  // once cost about as much as one.
  state.probes.clear();
  state.probe_keys.clear();
  auto add_probe = [&](std::uint32_t cand_idx, std::size_t key_begin) {
    const std::string_view key(state.probe_keys.data() + key_begin, state.probe_keys.size() - key_begin);
    const std::uint64_t hash = KeyTable::HashOf(key);
    impl.keys.Prefetch(hash);
    state.probes.push_back(
        {cand_idx, static_cast<std::uint32_t>(key_begin), static_cast<std::uint32_t>(key.size()), hash});
  };
  for (std::uint32_t cand_idx = 0; cand_idx < state.candidates.size(); ++cand_idx) {
    const State::Candidate& candidate = state.candidates[cand_idx];
    const std::string_view key(state.keys.data() + candidate.key_begin, candidate.key_length);
    std::size_t key_begin = state.probe_keys.size();
    state.probe_keys.append(key);
    add_probe(cand_idx, key_begin);
    const bool ipv4 = candidate.kind == ObservableKind::kIpv4;
    if (ipv4 || candidate.kind == ObservableKind::kIpv6) {
      IpAddress address;
      address.v6 = !ipv4;
      std::memcpy(address.bytes.data(), key.data() + 1, key.size() - 1);
      for (std::uint8_t prefix : ipv4 ? impl.ipv4_prefixes : impl.ipv6_prefixes) {
        const IpAddress masked = MaskIp(address, prefix);
        key_begin = state.probe_keys.size();
        state.probe_keys += ipv4 ? kTagIpv4Range : kTagIpv6Range;
        state.probe_keys += static_cast<char>(prefix);
        state.probe_keys.append(masked.Bytes());
        add_probe(cand_idx, key_begin);
      }
    } else if (candidate.kind == ObservableKind::kDomain && impl.has_suffixes) {
      std::string_view domain = key.substr(1);
      for (std::size_t dot = domain.find('.'); dot != std::string_view::npos; dot = domain.find('.')) {
        domain.remove_prefix(dot + 1);
        key_begin = state.probe_keys.size();
        state.probe_keys += kTagDomainSuffix;
        state.probe_keys.append(domain);
        add_probe(cand_idx, key_begin);
      }
    }
  }
  state.key_hits.clear();
  for (const State::Probe& probe : state.probes) {
    const std::string_view key(state.probe_keys.data() + probe.key_begin, probe.key_length);
    for (std::uint32_t atom : impl.keys.Find(key, probe.hash)) state.key_hits.emplace_back(probe.candidate, atom);
  }

  // Candidate by candidate, its key hits and then its expressions (LIKE,
  // MATCHES): atoms are marked in the same order as if each candidate were
  // looked up and scanned in turn, so a hit names the same field.
  std::size_t key_hit_idx = 0;
  for (std::uint32_t cand_idx = 0; cand_idx < state.candidates.size(); ++cand_idx) {
    const State::Candidate& candidate = state.candidates[cand_idx];
    state.current_candidate = cand_idx;
    for (; key_hit_idx < state.key_hits.size() && state.key_hits[key_hit_idx].first == cand_idx; ++key_hit_idx) {
      state.MarkHit(state.key_hits[key_hit_idx].second);
    }
    const std::string_view key(state.keys.data() + candidate.key_begin, candidate.key_length);
    const bool ipv4 = candidate.kind == ObservableKind::kIpv4;
    const RegexSet& regexes = impl.regexes[static_cast<int>(candidate.kind)];
    if (regexes.database == nullptr && regexes.pcre.empty()) continue;
    const std::string_view text = (ipv4 || candidate.kind == ObservableKind::kIpv6) ? candidate.raw : key.substr(1);
    if (regexes.database != nullptr) {
      struct Context {
        State* state;
        const std::vector<std::uint32_t>* atoms;
      } context{&state, &regexes.hs_atoms};
      hs_scan(
          regexes.database, text.data(), static_cast<unsigned>(text.size()), 0, state.hs_scratch,
          [](unsigned int id, unsigned long long, unsigned long long, unsigned int, void* raw_context) -> int {
            auto* ctx = static_cast<Context*>(raw_context);
            ctx->state->MarkHit((*ctx->atoms)[id]);
            return 0;
          },
          &context);
    }
    for (const PcreEntry& entry : regexes.pcre) {
      if (state.atom_epoch[entry.atom] == state.epoch) continue;
      if (LimitedMatch(entry, text, state.match_data)) state.MarkHit(entry.atom);
    }
  }

  for (std::size_t hit_idx = 0; hit_idx < state.hit_atoms.size(); ++hit_idx) {
    const std::uint32_t atom = state.hit_atoms[hit_idx];
    for (std::uint32_t link = impl.atom_conj_begin[atom]; link < impl.atom_conj_begin[atom + 1]; ++link) {
      const std::uint32_t conj_idx = impl.atom_conj[link];
      if (state.conj_epoch[conj_idx] == state.epoch) continue;
      state.conj_epoch[conj_idx] = state.epoch;
      bool holds = true;
      for (std::uint32_t lit = impl.conj_begin[conj_idx]; lit < impl.conj_begin[conj_idx + 1] && holds; ++lit) {
        const std::uint32_t literal = impl.conj_literals[lit];
        const std::uint32_t literal_atom = literal >> 1;
        const bool hit = state.atom_epoch[literal_atom] == state.epoch;
        if ((literal & 1) == 0) {
          holds = hit;
        } else {
          holds = !hit && (state.kinds_present & KindBit(impl.atom_kind[literal_atom])) != 0;
        }
      }
      if (!holds) continue;
      const std::uint32_t indicator_idx = impl.conj_indicator[conj_idx];
      if (state.indicator_epoch[indicator_idx] == state.epoch) continue;
      const Indicator& indicator = impl.indicators[indicator_idx];
      if (event.time) {
        if (indicator.valid_from && *event.time < *indicator.valid_from) continue;
        if (indicator.valid_until && !(*event.time < *indicator.valid_until)) continue;
      }
      state.indicator_epoch[indicator_idx] = state.epoch;
      const State::Candidate& source = state.candidates[state.atom_source[atom]];
      hits.push_back({indicator_idx, source.field, source.raw});
    }
  }
}

std::uint64_t IndicatorRegexMatchesStopped() { return regex_stopped.load(std::memory_order_relaxed); }

}  // namespace dv
