// SPDX-License-Identifier: Apache-2.0
#include "stix/object.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <limits>
#include <utility>

#include "core/uuid.h"
#include "stix/json_spans.h"
#include "stix/pattern.h"

namespace dv::stix {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 19> kSdoTypes = {
    "attack-pattern", "campaign",      "course-of-action", "grouping", "identity",         "incident", "indicator",
    "infrastructure", "intrusion-set", "location",         "malware",  "malware-analysis", "note",     "observed-data",
    "opinion",        "report",        "threat-actor",     "tool",     "vulnerability"};
constexpr std::array<std::string_view, 2> kSroTypes = {"relationship", "sighting"};
constexpr std::array<std::string_view, 18> kScoTypes = {"artifact",
                                                        "autonomous-system",
                                                        "directory",
                                                        "domain-name",
                                                        "email-addr",
                                                        "email-message",
                                                        "file",
                                                        "ipv4-addr",
                                                        "ipv6-addr",
                                                        "mac-addr",
                                                        "mutex",
                                                        "network-traffic",
                                                        "process",
                                                        "software",
                                                        "url",
                                                        "user-account",
                                                        "windows-registry-key",
                                                        "x509-certificate"};
constexpr std::array<std::string_view, 3> kMetaTypes = {"marking-definition", "language-content",
                                                        "extension-definition"};
// The tlp_2_0 values of the TLP 2.0 extension, in the order of dv::Tlp.
constexpr std::array<std::string_view, 5> kTlp2Levels = {"clear", "green", "amber", "amber+strict", "red"};
// Common properties of SCOs; the rest of an SCO's properties are its own.
constexpr std::array<std::string_view, 6> kScoCommon = {
    "type", "id", "spec_version", "object_marking_refs", "granular_markings", "defanged"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string Quote(std::string_view text) {
  constexpr std::size_t kMaxShown = 120;
  if (text.size() > kMaxShown) return "'" + std::string(text.substr(0, kMaxShown)) + "…'";
  return "'" + std::string(text) + "'";
}

std::string Describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "a list";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    default:
      return "an unknown value";
  }
}

bool IsTypeName(std::string_view type) {
  if (type.size() < 3 || type.size() > 250) return false;
  return std::all_of(type.begin(), type.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// The kind of a type the specification (or the "x-" convention) defines;
// nullopt for types only an extension definition could give meaning to.
std::optional<ObjectKind> KnownKind(std::string_view type) {
  if (IsSdo(type)) return ObjectKind::kSdo;
  if (IsSro(type)) return ObjectKind::kSro;
  if (IsSco(type)) return ObjectKind::kSco;
  if (IsMeta(type)) return ObjectKind::kMeta;
  if (type.substr(0, 2) == "x-") return ObjectKind::kCustom;
  return std::nullopt;
}

// Checks the form "<type>--<UUID>" (STIX 2.1 §2.9). Every RFC 9562 UUID is
// accepted: the specification requires an RFC 4122 UUID and only recommends
// v4 for SDOs and SROs and v5 for SCOs (Dannevirke's own identities are v5).
std::optional<std::string> IdentifierProblem(std::string_view id) {
  const std::size_t sep = id.rfind("--");
  if (sep == std::string_view::npos || sep == 0) {
    return Quote(id) + " is not a STIX identifier (want <type>--<UUID>)";
  }
  const std::string_view type = id.substr(0, sep);
  if (!IsTypeName(type)) {
    return Quote(id) + " is not a STIX identifier: " + Quote(type) + " is not a type name (3 to 250 of a-z, 0-9, '-')";
  }
  auto uuid = Uuid::Parse(id.substr(sep + 2));
  if (!uuid.ok()) return Quote(id) + " is not a STIX identifier: " + uuid.error().message();
  if (uuid->IsNil()) return Quote(id) + " is not a STIX identifier: the nil UUID";
  const std::uint8_t variant = uuid->bytes()[8];
  if ((variant & 0xC0) != 0x80 || uuid->version() < 1 || uuid->version() > 8) {
    return Quote(id) + " is not a STIX identifier: " + Quote(id.substr(sep + 2)) +
           " is not an RFC 9562 UUID (version 1 to 8, variant 10xx)";
  }
  return std::nullopt;
}

std::string_view IdType(std::string_view id) { return id.substr(0, id.rfind("--")); }

// RFC 5646 language tag, structurally: 2–8 letters, then 1–8 alphanumerics per subtag.
bool IsLanguageTag(std::string_view tag) {
  std::size_t start = 0;
  bool first = true;
  while (start <= tag.size()) {
    std::size_t end = tag.find('-', start);
    if (end == std::string_view::npos) end = tag.size();
    const std::string_view part = tag.substr(start, end - start);
    if (part.empty() || part.size() > 8) return false;
    for (char c : part) {
      const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      const bool digit = c >= '0' && c <= '9';
      if (first ? !alpha : !(alpha || digit)) return false;
    }
    if (first && part.size() < 2) return false;
    first = false;
    start = end + 1;
  }
  return true;
}

bool IsPropertyName(std::string_view name) {
  if (name.empty() || name.size() > 250) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsIpAddress(std::string_view value, int family) {
  const std::size_t slash = value.find('/');
  const std::string address(value.substr(0, slash));
  if (slash != std::string_view::npos) {
    const std::string_view prefix = value.substr(slash + 1);
    const int max_prefix = family == AF_INET ? 32 : 128;
    if (prefix.empty() || prefix.size() > 3) return false;
    int bits = 0;
    for (char c : prefix) {
      if (c < '0' || c > '9') return false;
      bits = bits * 10 + (c - '0');
    }
    if (bits > max_prefix) return false;
  }
  std::array<unsigned char, 16> buffer{};
  return inet_pton(family, address.c_str(), buffer.data()) == 1;
}

bool IsMacAddress(std::string_view value) {
  if (value.size() != 17) return false;
  for (std::size_t pos = 0; pos < value.size(); ++pos) {
    const char c = value[pos];
    if (pos % 3 == 2) {
      if (c != ':') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

struct TypeSet {
  std::initializer_list<std::string_view> types;  // exact types allowed
  std::initializer_list<ObjectKind> kinds;        // or any type of these kinds
};

// Checks one object. Errors stop at the first problem.
class ObjectValidator {
 public:
  explicit ObjectValidator(const Json& object) : object_(object) {}

  Result<ValidatedObject> Run();

 private:
  Error Fail(std::string_view path, std::string_view problem) const {
    return Error::InvalidArgument(who_ + ": property '" + std::string(path) + "': " + std::string(problem));
  }
  Error Missing(std::string_view path, std::string_view condition = "") const {
    return Error::InvalidArgument(who_ + ": property '" + std::string(path) + "' is required" + std::string(condition));
  }
  Error WrongType(std::string_view path, std::string_view want, const Json& found) const {
    return Fail(path, "want " + std::string(want) + ", found " + Describe(found));
  }

  const Json* Find(std::string_view name) const {
    auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
  }
  bool Has(std::string_view name) const { return Find(name) != nullptr; }

  Status CheckType();
  Status CheckId();
  Status CheckTopLevelShape();
  Status CheckCommon();
  Status CheckExternalReferences();
  Status CheckGranularMarkings();
  Status CheckExtensions();
  Status WalkReferences(const Json& value, const std::string& path, int depth);
  Status CheckTypeSpecific();
  Status CheckSdo();
  Status CheckSro();
  Status CheckSco();
  Status CheckMarkingDefinition();
  Status CheckLanguageContent();
  Status CheckExtensionDefinition();
  Status DeriveTlp();

  // Property helpers; Optional* succeed when the property is absent.
  Status Require(std::initializer_list<std::string_view> names);
  Status RequireOneOf(std::initializer_list<std::string_view> names);
  Result<std::string> String(std::string_view name, bool required);
  Status OptionalBool(std::string_view name);
  Result<std::optional<std::int64_t>> Integer(std::string_view name, std::int64_t min, std::int64_t max, bool required);
  Result<std::optional<double>> Number(std::string_view name, double min, double max);
  Result<std::optional<Timestamp>> TimestampProp(std::string_view name, bool required);
  Status StringList(std::string_view name, bool required);
  Status Enum(std::string_view name, std::initializer_list<std::string_view> values, bool required);
  // Ordering of two optional timestamps: later >= earlier (or > when strict).
  Status Order(std::string_view earlier, std::string_view later, bool strict);
  Status RefTypes(std::string_view name, const TypeSet& allowed);
  Status IdentifierHasType(std::string_view path, std::string_view id, const TypeSet& allowed) const;

  const Json& object_;
  std::string who_ = "object";
  ValidatedObject out_;
};

Result<ValidatedObject> ObjectValidator::Run() {
  if (!object_.is_object()) return Error::InvalidArgument("object: want a JSON object, found " + Describe(object_));
  DV_TRY(CheckType());
  DV_TRY(CheckId());
  DV_TRY(CheckTopLevelShape());
  DV_TRY(CheckCommon());
  DV_TRY(WalkReferences(object_, "", 0));
  DV_TRY(CheckTypeSpecific());
  DV_TRY(DeriveTlp());
  std::sort(out_.references.begin(), out_.references.end());
  out_.references.erase(std::unique(out_.references.begin(), out_.references.end()), out_.references.end());
  if (out_.modified) {
    out_.version = *out_.modified;
  } else if (out_.created) {
    out_.version = *out_.created;
  } else {
    out_.version = Timestamp::Parse(kUnversionedVersion).value();
  }
  return std::move(out_);
}

Status ObjectValidator::CheckType() {
  const Json* type = Find("type");
  if (type == nullptr) return Missing("type");
  if (!type->is_string()) return WrongType("type", "a string", *type);
  out_.type = type->get<std::string>();
  if (!IsTypeName(out_.type)) {
    return Fail("type", Quote(out_.type) + " is not a type name (3 to 250 of a-z, 0-9, '-')");
  }
  return Ok();
}

Status ObjectValidator::CheckId() {
  const Json* id = Find("id");
  if (id == nullptr) return Missing("id");
  if (!id->is_string()) return WrongType("id", "a string", *id);
  const std::string& text = id->get_ref<const std::string&>();
  if (auto problem = IdentifierProblem(text)) return Fail("id", *problem);
  if (IdType(text) != out_.type) {
    return Fail("id", Quote(text) + " does not start with the object's type '" + out_.type + "--'");
  }
  out_.id = text;
  who_ = text;
  return Ok();
}

// Rules for every top-level property: names of a-z, A-Z, 0-9 and '_' (at
// most 250), no null values, no empty lists (STIX 2.1 §3).
Status ObjectValidator::CheckTopLevelShape() {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (!IsPropertyName(it.key())) {
      return Error::InvalidArgument(who_ + ": property " + Quote(it.key()) +
                                    " is not a property name (1 to 250 of a-z, A-Z, 0-9, '_')");
    }
    if (it->is_null()) return Fail(it.key(), "null is not allowed; omit the property instead");
    if (it->is_array() && it->empty()) return Fail(it.key(), "an empty list is not allowed; omit the property instead");
  }
  return Ok();
}

Status ObjectValidator::CheckCommon() {
  // The kind: a specified type, an "x-" custom type, or a type defined by an
  // extension definition whose extension_type says what it is.
  std::optional<ObjectKind> kind = KnownKind(out_.type);
  if (!kind) {
    if (const Json* extensions = Find("extensions"); extensions != nullptr && extensions->is_object()) {
      for (const auto& [key, extension] : extensions->items()) {
        if (key.rfind("extension-definition--", 0) != 0 || !extension.is_object()) continue;
        auto type = extension.find("extension_type");
        if (type == extension.end() || !type->is_string()) continue;
        if (*type == "new-sdo") kind = ObjectKind::kSdo;
        if (*type == "new-sro") kind = ObjectKind::kSro;
        if (*type == "new-sco") kind = ObjectKind::kSco;
      }
    }
    if (!kind) {
      return Fail("type", "unknown type " + Quote(out_.type) +
                              " (not defined by STIX 2.1; custom types start with 'x-' or are declared by an "
                              "extension with extension_type new-sdo, new-sco or new-sro)");
    }
  }
  out_.kind = *kind;
  const bool sco = out_.kind == ObjectKind::kSco;
  const bool custom = out_.kind == ObjectKind::kCustom;

  // spec_version: required except on SCOs, where "2.1" is implied.
  if (const Json* spec = Find("spec_version")) {
    if (!spec->is_string()) return WrongType("spec_version", "a string", *spec);
    if (*spec != "2.1") return Fail("spec_version", Quote(spec->get<std::string>()) + " is not supported (want '2.1')");
  } else if (!sco && !custom) {
    return Missing("spec_version");
  }
  out_.spec_version = "2.1";

  const bool needs_created = !sco && !custom;
  const bool needs_modified = needs_created && out_.type != "marking-definition";
  auto created = TimestampProp("created", needs_created);
  if (!created.ok()) return created.error();
  out_.created = *created;
  auto modified = TimestampProp("modified", needs_modified);
  if (!modified.ok()) return modified.error();
  out_.modified = *modified;
  if (out_.modified && !out_.created) return Missing("created");
  if (out_.modified && *out_.modified < *out_.created) {
    return Fail("modified", Quote(Find("modified")->get<std::string>()) + " is earlier than 'created' " +
                                Quote(Find("created")->get<std::string>()));
  }

  if (const Json* ref = Find("created_by_ref")) {
    if (!ref->is_string()) return WrongType("created_by_ref", "a string", *ref);
    out_.created_by_ref = ref->get<std::string>();
  }
  DV_TRY(OptionalBool("revoked"));
  if (const Json* revoked = Find("revoked")) out_.revoked = revoked->get<bool>();
  DV_TRY(OptionalBool("defanged"));
  DV_TRY(StringList("labels", false));
  auto confidence = Integer("confidence", 0, 100, false);
  if (!confidence.ok()) return confidence.error();
  auto lang = String("lang", false);
  if (!lang.ok()) return lang.error();
  if (Has("lang") && !IsLanguageTag(*lang)) return Fail("lang", Quote(*lang) + " is not an RFC 5646 language tag");
  DV_TRY(CheckExternalReferences());
  if (const Json* refs = Find("object_marking_refs"); refs != nullptr && !refs->is_array()) {
    return WrongType("object_marking_refs", "a list", *refs);
  }
  DV_TRY(CheckGranularMarkings());
  DV_TRY(CheckExtensions());
  return Ok();
}

Status ObjectValidator::CheckExternalReferences() {
  const Json* refs = Find("external_references");
  if (refs == nullptr) return Ok();
  if (!refs->is_array()) return WrongType("external_references", "a list", *refs);
  for (std::size_t ref_idx = 0; ref_idx < refs->size(); ++ref_idx) {
    const Json& ref = (*refs)[ref_idx];
    const std::string path = "external_references[" + std::to_string(ref_idx) + "]";
    if (!ref.is_object()) return WrongType(path, "an object", ref);
    auto source = ref.find("source_name");
    if (source == ref.end()) return Missing(path + ".source_name");
    if (!source->is_string()) return WrongType(path + ".source_name", "a string", *source);
    for (const char* name : {"description", "url", "external_id"}) {
      auto field = ref.find(name);
      if (field != ref.end() && !field->is_string()) return WrongType(path + "." + name, "a string", *field);
    }
    if (!ref.contains("description") && !ref.contains("url") && !ref.contains("external_id")) {
      return Fail(path, "needs at least one of description, url, external_id besides source_name");
    }
    if (auto hashes = ref.find("hashes"); hashes != ref.end()) {
      if (!hashes->is_object() || hashes->empty()) return WrongType(path + ".hashes", "a non-empty object", *hashes);
      for (const auto& [algorithm, digest] : hashes->items()) {
        if (!digest.is_string()) return WrongType(path + ".hashes." + algorithm, "a string", digest);
      }
    }
  }
  return Ok();
}

Status ObjectValidator::CheckGranularMarkings() {
  const Json* markings = Find("granular_markings");
  if (markings == nullptr) return Ok();
  if (!markings->is_array()) return WrongType("granular_markings", "a list", *markings);
  for (std::size_t marking_idx = 0; marking_idx < markings->size(); ++marking_idx) {
    const Json& marking = (*markings)[marking_idx];
    const std::string path = "granular_markings[" + std::to_string(marking_idx) + "]";
    if (!marking.is_object()) return WrongType(path, "an object", marking);
    auto selectors = marking.find("selectors");
    if (selectors == marking.end()) return Missing(path + ".selectors");
    if (!selectors->is_array() || selectors->empty()) {
      return WrongType(path + ".selectors", "a non-empty list", *selectors);
    }
    for (const Json& selector : *selectors) {
      if (!selector.is_string() || selector.get_ref<const std::string&>().empty()) {
        return Fail(path + ".selectors", "every selector must be a non-empty string");
      }
    }
    const bool has_ref = marking.contains("marking_ref");
    const bool has_lang = marking.contains("lang");
    if (has_ref == has_lang) return Fail(path, "needs exactly one of marking_ref and lang");
    if (has_lang) {
      const Json& lang = marking["lang"];
      if (!lang.is_string() || !IsLanguageTag(lang.get_ref<const std::string&>())) {
        return Fail(path + ".lang", "want an RFC 5646 language tag");
      }
    }
  }
  return Ok();
}

Status ObjectValidator::CheckExtensions() {
  const Json* extensions = Find("extensions");
  if (extensions == nullptr) return Ok();
  if (!extensions->is_object() || extensions->empty())
    return WrongType("extensions", "a non-empty object", *extensions);
  for (const auto& [key, extension] : extensions->items()) {
    const std::string path = "extensions." + key;
    if (!extension.is_object()) return WrongType(path, "an object", extension);
    if (key.rfind("extension-definition--", 0) == 0) {
      if (auto problem = IdentifierProblem(key)) return Fail(path, *problem);
      auto type = extension.find("extension_type");
      if (type != extension.end()) {
        static constexpr std::array<std::string_view, 5> kExtensionTypes = {
            "new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension"};
        if (!type->is_string() || !Contains(kExtensionTypes, type->get_ref<const std::string&>())) {
          return Fail(path + ".extension_type",
                      "want one of new-sdo, new-sco, new-sro, property-extension, toplevel-property-extension");
        }
      }
    } else if (!EndsWith(key, "-ext") || !IsTypeName(key)) {
      return Fail(path, "an extension key is an extension-definition id or a predefined name ending in '-ext'");
    }
  }
  return Ok();
}

// Every *_ref is an identifier and every *_refs a non-empty list of them, at
// any depth; they are collected for reference checks. The deprecated
// observed-data `objects` dictionary uses local keys as refs and is skipped.
Status ObjectValidator::WalkReferences(const Json& value, const std::string& path, int depth) {
  if (depth >= kMaxNestingDepth) {  // the object itself is depth 0 and the first of the levels
    return Fail(path, "nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
  }
  if (value.is_array()) {
    for (std::size_t item_idx = 0; item_idx < value.size(); ++item_idx) {
      DV_TRY(WalkReferences(value[item_idx], path + "[" + std::to_string(item_idx) + "]", depth + 1));
    }
    return Ok();
  }
  if (!value.is_object()) return Ok();
  for (const auto& [key, member] : value.items()) {
    const std::string member_path = path.empty() ? key : path + "." + key;
    if (depth == 0 && key == "objects" && out_.type == "observed-data") continue;
    if (EndsWith(key, "_ref")) {
      if (!member.is_string()) return WrongType(member_path, "an identifier string", member);
      const std::string& id = member.get_ref<const std::string&>();
      if (auto problem = IdentifierProblem(id)) return Fail(member_path, *problem);
      out_.references.push_back(id);
      if (key == "marking_ref" && IdType(id) != "marking-definition") {
        return Fail(member_path, Quote(id) + " is not a marking-definition id");
      }
      continue;
    }
    if (EndsWith(key, "_refs")) {
      if (!member.is_array() || member.empty())
        return WrongType(member_path, "a non-empty list of identifiers", member);
      for (std::size_t ref_idx = 0; ref_idx < member.size(); ++ref_idx) {
        const Json& ref = member[ref_idx];
        const std::string ref_path = member_path + "[" + std::to_string(ref_idx) + "]";
        if (!ref.is_string()) return WrongType(ref_path, "an identifier string", ref);
        const std::string& id = ref.get_ref<const std::string&>();
        if (auto problem = IdentifierProblem(id)) return Fail(ref_path, *problem);
        out_.references.push_back(id);
        if (depth == 0 && key == "object_marking_refs" && IdType(id) != "marking-definition") {
          return Fail(ref_path, Quote(id) + " is not a marking-definition id");
        }
      }
      continue;
    }
    DV_TRY(WalkReferences(member, member_path, depth + 1));
  }
  return Ok();
}

Status ObjectValidator::CheckTypeSpecific() {
  if (!out_.created_by_ref.empty()) DV_TRY(RefTypes("created_by_ref", {{"identity"}, {}}));
  switch (out_.kind) {
    case ObjectKind::kSdo:
      return CheckSdo();
    case ObjectKind::kSro:
      return CheckSro();
    case ObjectKind::kSco:
      return CheckSco();
    case ObjectKind::kMeta:
      if (out_.type == "marking-definition") return CheckMarkingDefinition();
      if (out_.type == "language-content") return CheckLanguageContent();
      return CheckExtensionDefinition();
    case ObjectKind::kCustom:
      return Ok();
  }
  return Ok();
}

Status ObjectValidator::CheckSdo() {
  const std::string& type = out_.type;
  static constexpr std::array<std::string_view, 11> kNamed = {
      "attack-pattern", "campaign", "course-of-action", "identity", "incident",     "infrastructure",
      "intrusion-set",  "report",   "threat-actor",     "tool",     "vulnerability"};
  if (Contains(kNamed, type)) {
    auto name = String("name", true);
    if (!name.ok()) return name.error();
  }
  for (const char* seen : {"campaign", "intrusion-set", "threat-actor", "infrastructure", "malware"}) {
    if (type == seen) DV_TRY(Order("first_seen", "last_seen", false));
  }
  if (type == "identity") {
    DV_TRY(StringList("sectors", false));
    DV_TRY(StringList("roles", false));
    return Ok();
  }
  if (type == "grouping") {
    auto context = String("context", true);
    if (!context.ok()) return context.error();
    return Require({"object_refs"});
  }
  if (type == "indicator") {
    auto pattern = String("pattern", true);
    if (!pattern.ok()) return pattern.error();
    auto pattern_type = String("pattern_type", true);
    if (!pattern_type.ok()) return pattern_type.error();
    auto valid_from = TimestampProp("valid_from", true);
    if (!valid_from.ok()) return valid_from.error();
    auto valid_until = TimestampProp("valid_until", false);
    if (!valid_until.ok()) return valid_until.error();
    if (*valid_until && !(**valid_until > **valid_from)) {
      return Fail("valid_until", Quote(Find("valid_until")->get<std::string>()) + " is not later than 'valid_from' " +
                                     Quote(Find("valid_from")->get<std::string>()));
    }
    if (Status status = ValidateIndicatorPattern(*pattern_type, *pattern); !status.ok()) {
      return Fail("pattern", status.error().message());
    }
    DV_TRY(StringList("indicator_types", false));
    return Ok();
  }
  if (type == "location") {
    auto latitude = Number("latitude", -90, 90);
    if (!latitude.ok()) return latitude.error();
    auto longitude = Number("longitude", -180, 180);
    if (!longitude.ok()) return longitude.error();
    if (latitude->has_value() != longitude->has_value()) {
      return latitude->has_value() ? Missing("longitude", " when latitude is given")
                                   : Missing("latitude", " when longitude is given");
    }
    auto precision = Number("precision", 0, std::numeric_limits<double>::max());
    if (!precision.ok()) return precision.error();
    if (precision->has_value() && !latitude->has_value()) return Missing("latitude", " when precision is given");
    if (!Has("region") && !Has("country") && !latitude->has_value()) {
      return Missing("region", " (or country, or latitude and longitude)");
    }
    return Ok();
  }
  if (type == "malware") {
    const Json* is_family = Find("is_family");
    if (is_family == nullptr) return Missing("is_family");
    if (!is_family->is_boolean()) return WrongType("is_family", "a boolean", *is_family);
    if (is_family->get<bool>() && !Has("name")) return Missing("name", " when is_family is true");
    auto name = String("name", false);
    if (!name.ok()) return name.error();
    DV_TRY(RefTypes("sample_refs", {{"file", "artifact"}, {}}));
    DV_TRY(RefTypes("operating_system_refs", {{"software"}, {}}));
    return Ok();
  }
  if (type == "malware-analysis") {
    auto product = String("product", true);
    if (!product.ok()) return product.error();
    DV_TRY(RequireOneOf({"result", "analysis_sco_refs"}));
    DV_TRY(Enum("result", {"malicious", "suspicious", "benign", "unknown"}, false));
    DV_TRY(RefTypes("host_vm_ref", {{"software"}, {}}));
    DV_TRY(RefTypes("operating_system_ref", {{"software"}, {}}));
    DV_TRY(RefTypes("installed_software_refs", {{"software"}, {}}));
    DV_TRY(RefTypes("sample_ref", {{"file", "artifact", "network-traffic"}, {}}));
    DV_TRY(RefTypes("analysis_sco_refs", {{}, {ObjectKind::kSco, ObjectKind::kCustom}}));
    return Order("analysis_started", "analysis_ended", false);
  }
  if (type == "note") {
    auto content = String("content", true);
    if (!content.ok()) return content.error();
    return Require({"object_refs"});
  }
  if (type == "observed-data") {
    auto first = TimestampProp("first_observed", true);
    if (!first.ok()) return first.error();
    auto last = TimestampProp("last_observed", true);
    if (!last.ok()) return last.error();
    DV_TRY(Order("first_observed", "last_observed", false));
    auto number = Integer("number_observed", 1, kMaxCount, true);
    if (!number.ok()) return number.error();
    if (Has("objects") && Has("object_refs")) return Fail("objects", "objects and object_refs are exclusive");
    DV_TRY(RequireOneOf({"object_refs", "objects"}));
    if (const Json* objects = Find("objects"); objects != nullptr && (!objects->is_object() || objects->empty())) {
      return WrongType("objects", "a non-empty object", *objects);
    }
    return RefTypes("object_refs", {{"relationship"}, {ObjectKind::kSco, ObjectKind::kCustom}});
  }
  if (type == "opinion") {
    DV_TRY(Enum("opinion", {"strongly-disagree", "disagree", "neutral", "agree", "strongly-agree"}, true));
    return Require({"object_refs"});
  }
  if (type == "report") {
    auto published = TimestampProp("published", true);
    if (!published.ok()) return published.error();
    return Require({"object_refs"});
  }
  return Ok();
}

Status ObjectValidator::CheckSro() {
  if (out_.type == "relationship") {
    auto relationship_type = String("relationship_type", true);
    if (!relationship_type.ok()) return relationship_type.error();
    const bool well_formed = std::all_of(relationship_type->begin(), relationship_type->end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    if (!well_formed) return Fail("relationship_type", Quote(*relationship_type) + " may only use a-z, 0-9 and '-'");
    DV_TRY(Require({"source_ref", "target_ref"}));
    const TypeSet endpoints{{}, {ObjectKind::kSdo, ObjectKind::kSco, ObjectKind::kCustom}};
    DV_TRY(RefTypes("source_ref", endpoints));
    DV_TRY(RefTypes("target_ref", endpoints));
    return Order("start_time", "stop_time", true);
  }
  if (out_.type == "sighting") {
    DV_TRY(Require({"sighting_of_ref"}));
    DV_TRY(RefTypes("sighting_of_ref", {{}, {ObjectKind::kSdo, ObjectKind::kCustom}}));
    DV_TRY(RefTypes("observed_data_refs", {{"observed-data"}, {}}));
    DV_TRY(RefTypes("where_sighted_refs", {{"identity", "location"}, {}}));
    auto count = Integer("count", 0, kMaxCount, false);
    if (!count.ok()) return count.error();
    auto first = TimestampProp("first_seen", false);
    if (!first.ok()) return first.error();
    auto last = TimestampProp("last_seen", false);
    if (!last.ok()) return last.error();
    DV_TRY(Order("first_seen", "last_seen", false));
    return OptionalBool("summary");
  }
  return Ok();  // a new-sro extension type: common properties only
}

Status ObjectValidator::CheckSco() {
  const std::string& type = out_.type;
  auto value_of = [&](std::string_view name) -> Result<std::string> { return String(name, true); };
  if (type == "ipv4-addr" || type == "ipv6-addr") {
    auto value = value_of("value");
    if (!value.ok()) return value.error();
    const bool v4 = type == "ipv4-addr";
    if (!IsIpAddress(*value, v4 ? AF_INET : AF_INET6)) {
      return Fail("value", Quote(*value) + (v4 ? " is not an IPv4 address or CIDR block"
                                               : " is not an IPv6 address or CIDR block"));
    }
    DV_TRY(RefTypes("resolves_to_refs", {{"mac-addr"}, {}}));
    return RefTypes("belongs_to_refs", {{"autonomous-system"}, {}});
  }
  if (type == "domain-name") {
    auto value = value_of("value");
    if (!value.ok()) return value.error();
    return RefTypes("resolves_to_refs", {{"ipv4-addr", "ipv6-addr", "domain-name"}, {}});
  }
  if (type == "url" || type == "mutex" || type == "directory" || type == "software") {
    const std::string_view key = type == "url" ? "value" : type == "directory" ? "path" : "name";
    auto value = value_of(key);
    return value.ok() ? Ok() : Status(value.error());
  }
  if (type == "email-addr") {
    auto value = value_of("value");
    if (!value.ok()) return value.error();
    return RefTypes("belongs_to_ref", {{"user-account"}, {}});
  }
  if (type == "mac-addr") {
    auto value = value_of("value");
    if (!value.ok()) return value.error();
    if (!IsMacAddress(*value))
      return Fail("value", Quote(*value) + " is not a lower-case, colon-delimited MAC-48 address");
    return Ok();
  }
  if (type == "autonomous-system") {
    auto number = Integer("number", 0, std::numeric_limits<std::uint32_t>::max(), true);
    return number.ok() ? Ok() : Status(number.error());
  }
  if (type == "artifact") {
    if (Has("payload_bin") && Has("url")) return Fail("url", "payload_bin and url are exclusive");
    return RequireOneOf({"payload_bin", "url"});
  }
  if (type == "email-message") {
    const Json* multipart = Find("is_multipart");
    if (multipart == nullptr) return Missing("is_multipart");
    if (!multipart->is_boolean()) return WrongType("is_multipart", "a boolean", *multipart);
    return Ok();
  }
  if (type == "file") {
    DV_TRY(RequireOneOf({"hashes", "name"}));
    if (const Json* hashes = Find("hashes"); hashes != nullptr && (!hashes->is_object() || hashes->empty())) {
      return WrongType("hashes", "a non-empty object", *hashes);
    }
    auto name = String("name", false);
    if (!name.ok()) return name.error();
    auto size = Integer("size", 0, std::numeric_limits<std::int64_t>::max(), false);
    if (!size.ok()) return size.error();
    DV_TRY(RefTypes("parent_directory_ref", {{"directory"}, {}}));
    DV_TRY(RefTypes("content_ref", {{"artifact"}, {}}));
    return RefTypes("contains_refs", {{}, {ObjectKind::kSco, ObjectKind::kCustom}});
  }
  if (type == "network-traffic") {
    DV_TRY(Require({"protocols"}));
    DV_TRY(StringList("protocols", true));
    DV_TRY(RequireOneOf({"src_ref", "dst_ref"}));
    const TypeSet endpoints{{"ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"}, {}};
    DV_TRY(RefTypes("src_ref", endpoints));
    DV_TRY(RefTypes("dst_ref", endpoints));
    for (const char* port : {"src_port", "dst_port"}) {
      auto value = Integer(port, 0, 65535, false);
      if (!value.ok()) return value.error();
    }
    DV_TRY(OptionalBool("is_active"));
    if (const Json* active = Find("is_active"); active != nullptr && active->get<bool>() && Has("end")) {
      return Fail("end", "must be absent while is_active is true");
    }
    auto start = TimestampProp("start", false);
    if (!start.ok()) return start.error();
    auto end = TimestampProp("end", false);
    if (!end.ok()) return end.error();
    DV_TRY(Order("start", "end", false));
    DV_TRY(RefTypes("src_payload_ref", {{"artifact"}, {}}));
    DV_TRY(RefTypes("dst_payload_ref", {{"artifact"}, {}}));
    DV_TRY(RefTypes("encapsulates_refs", {{"network-traffic"}, {}}));
    return RefTypes("encapsulated_by_ref", {{"network-traffic"}, {}});
  }
  // Objects that must say something beyond the common properties.
  if (type == "process" || type == "windows-registry-key" || type == "x509-certificate") {
    bool any = false;
    for (auto it = object_.begin(); it != object_.end(); ++it) any = any || !Contains(kScoCommon, it.key());
    if (!any) return Error::InvalidArgument(who_ + ": a " + type + " needs at least one property of its own");
  }
  if (type == "process") {
    auto pid = Integer("pid", 0, std::numeric_limits<std::int64_t>::max(), false);
    if (!pid.ok()) return pid.error();
    auto created_time = TimestampProp("created_time", false);
    if (!created_time.ok()) return created_time.error();
    DV_TRY(RefTypes("opened_connection_refs", {{"network-traffic"}, {}}));
    DV_TRY(RefTypes("creator_user_ref", {{"user-account"}, {}}));
    DV_TRY(RefTypes("image_ref", {{"file"}, {}}));
    DV_TRY(RefTypes("parent_ref", {{"process"}, {}}));
    return RefTypes("child_refs", {{"process"}, {}});
  }
  if (type == "windows-registry-key") {
    auto key = String("key", false);
    if (!key.ok()) return key.error();
    if (const Json* values = Find("values"); values != nullptr && !values->is_array()) {
      return WrongType("values", "a list", *values);
    }
    auto modified_time = TimestampProp("modified_time", false);
    if (!modified_time.ok()) return modified_time.error();
    auto subkeys = Integer("number_of_subkeys", 0, std::numeric_limits<std::int64_t>::max(), false);
    if (!subkeys.ok()) return subkeys.error();
    return RefTypes("creator_user_ref", {{"user-account"}, {}});
  }
  if (type == "user-account") {
    for (const char* flag : {"is_service_account", "is_privileged", "can_escalate_privs", "is_disabled"}) {
      DV_TRY(OptionalBool(flag));
    }
    for (const char* time : {"account_created", "account_expires", "credential_last_changed", "account_first_login",
                             "account_last_login"}) {
      auto value = TimestampProp(time, false);
      if (!value.ok()) return value.error();
    }
    return Ok();
  }
  return Ok();
}

Status ObjectValidator::CheckMarkingDefinition() {
  auto name = String("name", false);
  if (!name.ok()) return name.error();
  // References to the TLP ids are recognised in any case; the definitions themselves use the published form.
  if (TlpFromMarkingId(out_.id) &&
      std::any_of(out_.id.begin(), out_.id.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Fail("id", Quote(out_.id) + " is a TLP marking definition; its id is written in lower case");
  }
  const Json* extensions = Find("extensions");
  const Json* tlp2 = nullptr;
  if (extensions != nullptr) {
    auto it = extensions->find(kTlp2ExtensionId);
    if (it != extensions->end()) tlp2 = &*it;
  }
  if (extensions == nullptr) DV_TRY(Require({"definition_type", "definition"}));
  auto definition_type = String("definition_type", false);
  if (!definition_type.ok()) return definition_type.error();
  if (Has("definition_type") != Has("definition")) return Require({"definition_type", "definition"});
  if (const Json* definition = Find("definition")) {
    if (!definition->is_object()) return WrongType("definition", "an object", *definition);
    if (*definition_type == "tlp") {
      auto level = definition->find("tlp");
      if (level == definition->end()) return Missing("definition.tlp");
      std::optional<Tlp> tlp;
      if (*level == "white" || *level == "green" || *level == "amber" || *level == "red") {
        tlp = ParseTlp(level->get_ref<const std::string&>());
      }
      if (!tlp) {
        return Fail("definition.tlp", "want one of white, green, amber, red");
      }
      // STIX 2.1 §7.2.1.4: only the four predefined TLP 1.0 objects may exist.
      if (TlpFromMarkingId(out_.id) != tlp || out_.id == TlpMarkingId(*tlp)) {
        return Fail("id", Quote(out_.id) + " is not the predefined TLP 1.0 marking for " +
                              Quote(level->get_ref<const std::string&>()) +
                              " (only the four objects of STIX 2.1 section 7.2.1.4 may use definition_type 'tlp')");
      }
    } else if (*definition_type == "statement") {
      auto statement = definition->find("statement");
      if (statement == definition->end()) return Missing("definition.statement");
      if (!statement->is_string()) return WrongType("definition.statement", "a string", *statement);
    }
  }
  if (tlp2 != nullptr) {
    const std::string path = "extensions." + std::string(kTlp2ExtensionId);
    auto level = tlp2->find("tlp_2_0");
    if (level == tlp2->end()) return Missing(path + ".tlp_2_0");
    std::optional<Tlp> tlp;
    for (std::size_t level_idx = 0; level_idx < kTlp2Levels.size(); ++level_idx) {
      if (*level == kTlp2Levels[level_idx]) tlp = static_cast<Tlp>(level_idx);
    }
    if (!tlp) return Fail(path + ".tlp_2_0", "want one of clear, green, amber, amber+strict, red");
    if (out_.id != TlpMarkingId(*tlp)) {
      return Fail("id", Quote(out_.id) + " is not the published id of " + std::string(TlpName(*tlp)) + " (" +
                            Quote(TlpMarkingId(*tlp)) + ")");
    }
    if (Has("name") && *name != TlpName(*tlp)) return Fail("name", "want " + Quote(TlpName(*tlp)));
    auto type = tlp2->find("extension_type");
    if (type == tlp2->end() || *type != "property-extension") {
      return Fail(path + ".extension_type", "want 'property-extension'");
    }
  }
  // The published TLP ids may only carry their own definitions.
  if (auto tlp = TlpFromMarkingId(out_.id)) {
    const bool is_tlp2_id = out_.id == TlpMarkingId(*tlp);
    if (is_tlp2_id && tlp2 == nullptr) {
      return Fail("extensions", "the TLP 2.0 id " + Quote(out_.id) + " needs the TLP 2.0 extension");
    }
    if (!is_tlp2_id && *definition_type != "tlp") {
      return Fail("definition_type", "the TLP 1.0 id " + Quote(out_.id) + " needs definition_type 'tlp'");
    }
  }
  return Ok();
}

Status ObjectValidator::CheckLanguageContent() {
  DV_TRY(Require({"object_ref", "contents"}));
  auto object_modified = TimestampProp("object_modified", false);
  if (!object_modified.ok()) return object_modified.error();
  const Json* contents = Find("contents");
  if (!contents->is_object() || contents->empty()) return WrongType("contents", "a non-empty object", *contents);
  for (const auto& [lang, content] : contents->items()) {
    if (!IsLanguageTag(lang)) return Fail("contents", Quote(lang) + " is not an RFC 5646 language tag");
    if (!content.is_object()) return WrongType("contents." + lang, "an object", content);
  }
  return Ok();
}

Status ObjectValidator::CheckExtensionDefinition() {
  DV_TRY(Require({"created_by_ref"}));
  for (const char* name : {"name", "schema", "version"}) {
    auto value = String(name, true);
    if (!value.ok()) return value.error();
  }
  DV_TRY(StringList("extension_types", true));
  for (const Json& type : *Find("extension_types")) {
    static constexpr std::array<std::string_view, 5> kTypes = {"new-sdo", "new-sco", "new-sro", "property-extension",
                                                               "toplevel-property-extension"};
    if (!Contains(kTypes, type.get_ref<const std::string&>())) {
      return Fail("extension_types", Quote(type.get_ref<const std::string&>()) + " is not an extension type");
    }
  }
  return Ok();
}

Status ObjectValidator::DeriveTlp() {
  // Forms and types were checked by WalkReferences and CheckGranularMarkings;
  // the extraction is the one every TLP decision uses (core/tlp.h).
  auto refs = MarkingRefsOf(object_);
  if (!refs.ok()) return refs.error().WithContext(who_);
  for (std::string& ref : *refs) {
    if (std::find(out_.marking_refs.begin(), out_.marking_refs.end(), ref) == out_.marking_refs.end()) {
      out_.marking_refs.push_back(std::move(ref));
    }
  }
  for (const std::string& ref : out_.marking_refs) {
    if (auto tlp = TlpFromMarkingId(ref)) {
      if (!out_.tlp || *tlp > *out_.tlp) out_.tlp = tlp;
    }
  }
  return Ok();
}

Status ObjectValidator::Require(std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (!Has(name)) return Missing(name);
  }
  return Ok();
}

Status ObjectValidator::RequireOneOf(std::initializer_list<std::string_view> names) {
  std::string list;
  for (std::string_view name : names) {
    if (Has(name)) return Ok();
    list += list.empty() ? "" : " or ";
    list += name;
  }
  return Error::InvalidArgument(who_ + ": property '" + std::string(*names.begin()) + "' is required (one of " + list +
                                ")");
}

Result<std::string> ObjectValidator::String(std::string_view name, bool required) {
  const Json* value = Find(name);
  if (value == nullptr) {
    if (required) return Missing(name);
    return std::string();
  }
  if (!value->is_string()) return WrongType(name, "a string", *value);
  if (required && value->get_ref<const std::string&>().empty()) return Fail(name, "must not be empty");
  return value->get<std::string>();
}

Status ObjectValidator::OptionalBool(std::string_view name) {
  const Json* value = Find(name);
  if (value != nullptr && !value->is_boolean()) return WrongType(name, "a boolean", *value);
  return Ok();
}

Result<std::optional<std::int64_t>> ObjectValidator::Integer(std::string_view name, std::int64_t min, std::int64_t max,
                                                             bool required) {
  const Json* value = Find(name);
  if (value == nullptr) {
    if (required) return Missing(name);
    return std::optional<std::int64_t>();
  }
  const std::string range = " is out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")";
  if (value->is_number_unsigned()) {
    const auto number = value->get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(max) || static_cast<std::int64_t>(number) < min) {
      return Fail(name, value->dump() + range);
    }
    return std::optional<std::int64_t>(static_cast<std::int64_t>(number));
  }
  if (!value->is_number_integer()) return WrongType(name, "an integer", *value);
  const auto number = value->get<std::int64_t>();
  if (number < min || number > max) return Fail(name, value->dump() + range);
  return std::optional<std::int64_t>(number);
}

Result<std::optional<double>> ObjectValidator::Number(std::string_view name, double min, double max) {
  const Json* value = Find(name);
  if (value == nullptr) return std::optional<double>();
  if (!value->is_number()) return WrongType(name, "a number", *value);
  const double number = value->get<double>();
  if (!(number >= min && number <= max)) return Fail(name, value->dump() + " is out of range");
  return std::optional<double>(number);
}

Result<std::optional<Timestamp>> ObjectValidator::TimestampProp(std::string_view name, bool required) {
  const Json* value = Find(name);
  if (value == nullptr) {
    if (required) return Missing(name);
    return std::optional<Timestamp>();
  }
  if (!value->is_string()) return WrongType(name, "an RFC 3339 timestamp string", *value);
  const std::string& text = value->get_ref<const std::string&>();
  auto parsed = Timestamp::Parse(text);
  if (!parsed.ok()) return Fail(name, parsed.error().message());
  // STIX 2.1 §3.2: upper-case 'T', and UTC written as 'Z'.
  if (text[10] != 'T' || text.back() != 'Z') {
    return Fail(name, Quote(text) + " is not a STIX timestamp (want YYYY-MM-DDTHH:MM:SS[.s+]Z, in UTC)");
  }
  return std::optional<Timestamp>(*parsed);
}

Status ObjectValidator::StringList(std::string_view name, bool required) {
  const Json* value = Find(name);
  if (value == nullptr) return required ? Status(Missing(name)) : Ok();
  if (!value->is_array()) return WrongType(name, "a list of strings", *value);
  for (std::size_t item_idx = 0; item_idx < value->size(); ++item_idx) {
    const Json& item = (*value)[item_idx];
    if (!item.is_string()) {
      return WrongType(std::string(name) + "[" + std::to_string(item_idx) + "]", "a string", item);
    }
  }
  return Ok();
}

Status ObjectValidator::Enum(std::string_view name, std::initializer_list<std::string_view> values, bool required) {
  const Json* value = Find(name);
  if (value == nullptr) return required ? Status(Missing(name)) : Ok();
  std::string list;
  for (std::string_view allowed : values) {
    if (value->is_string() && value->get_ref<const std::string&>() == allowed) return Ok();
    list += list.empty() ? "" : ", ";
    list += allowed;
  }
  const std::string shown = value->is_string() ? Quote(value->get_ref<const std::string&>()) : value->dump();
  return Fail(name, shown + " is not one of " + list);
}

Status ObjectValidator::Order(std::string_view earlier, std::string_view later, bool strict) {
  auto first = TimestampProp(earlier, false);
  if (!first.ok()) return first.error();
  auto second = TimestampProp(later, false);
  if (!second.ok()) return second.error();
  if (!*first || !*second) return Ok();
  const bool wrong = strict ? !(**second > **first) : **second < **first;
  if (!wrong) return Ok();
  return Fail(later, Quote(Find(later)->get<std::string>()) + (strict ? " is not later than '" : " is earlier than '") +
                         std::string(earlier) + "' " + Quote(Find(earlier)->get<std::string>()));
}

Status ObjectValidator::IdentifierHasType(std::string_view path, std::string_view id, const TypeSet& allowed) const {
  const std::string_view type = IdType(id);
  for (std::string_view wanted : allowed.types) {
    if (type == wanted) return Ok();
  }
  std::optional<ObjectKind> kind = KnownKind(type);
  if (allowed.kinds.size() > 0) {
    if (!kind) return Ok();  // an extension-defined type: its kind is not known here
    for (ObjectKind wanted : allowed.kinds) {
      if (*kind == wanted) return Ok();
    }
  }
  std::string want;
  for (std::string_view wanted : allowed.types) want += (want.empty() ? "" : " or ") + std::string(wanted);
  for (ObjectKind wanted : allowed.kinds) {
    if (wanted == ObjectKind::kCustom) continue;
    std::string name(ObjectKindName(wanted));
    std::transform(name.begin(), name.end(), name.begin(), [](char c) { return static_cast<char>(c - 'a' + 'A'); });
    want += (want.empty() ? "an " : " or an ") + name;
  }
  return Fail(path, Quote(id) + " is of type '" + std::string(type) + "' (want " + want + ")");
}

Status ObjectValidator::RefTypes(std::string_view name, const TypeSet& allowed) {
  const Json* value = Find(name);
  if (value == nullptr) return Ok();
  // Forms were checked by WalkReferences.
  if (value->is_string()) return IdentifierHasType(name, value->get_ref<const std::string&>(), allowed);
  for (std::size_t ref_idx = 0; ref_idx < value->size(); ++ref_idx) {
    DV_TRY(IdentifierHasType(std::string(name) + "[" + std::to_string(ref_idx) + "]",
                             (*value)[ref_idx].get_ref<const std::string&>(), allowed));
  }
  return Ok();
}

// Builds the value from nlohmann's SAX events, as Json::parse does, and
// notes the first property name that appears twice in one object. Cheaper
// than Json::parse with a callback, which copies every key into a set.
class DomBuilder {
 public:
  explicit DomBuilder(Json& root) : root_(root) {}

  bool null() { return Put(nullptr) != nullptr; }
  bool boolean(bool value) { return Put(value) != nullptr; }
  bool number_integer(Json::number_integer_t value) { return Put(value) != nullptr; }
  bool number_unsigned(Json::number_unsigned_t value) { return Put(value) != nullptr; }
  bool number_float(Json::number_float_t value, const Json::string_t& /*text*/) { return Put(value) != nullptr; }
  bool string(Json::string_t& value) { return Put(std::move(value)) != nullptr; }
  bool binary(Json::binary_t& value) { return Put(Json::binary(std::move(value))) != nullptr; }
  bool start_object(std::size_t /*size*/) {
    open_.push_back(Put(Json::value_t::object));
    return true;
  }
  bool key(Json::string_t& name) {
    auto& members = open_.back()->get_ref<Json::object_t&>();
    auto [slot, inserted] = members.try_emplace(std::move(name));
    if (!inserted && duplicate_.empty()) duplicate_ = slot->first;
    member_ = &slot->second;
    return true;
  }
  bool end_object() {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*size*/) {
    open_.push_back(Put(Json::value_t::array));
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Json::exception& error) {
    error_ = error.what();
    return false;
  }

  const std::string& duplicate() const { return duplicate_; }
  const std::string& error() const { return error_; }

 private:
  // Places a value where the parser is (the root, the next list element or
  // the member whose key came last) and returns it.
  template <typename Value>
  Json* Put(Value&& value) {
    if (open_.empty()) {
      root_ = Json(std::forward<Value>(value));
      return &root_;
    }
    Json& parent = *open_.back();
    if (parent.is_array()) {
      auto& items = parent.get_ref<Json::array_t&>();
      items.emplace_back(std::forward<Value>(value));
      return &items.back();
    }
    *member_ = Json(std::forward<Value>(value));
    return member_;
  }

  Json& root_;
  std::vector<Json*> open_;  // the objects and lists being filled, innermost last
  Json* member_ = nullptr;
  std::string duplicate_;
  std::string error_;
};

// Parses JSON text, refusing duplicate property names (I-JSON, RFC 7493),
// which parsers resolve differently and which would let what the hub checked
// differ from what a client reads.
// `max_depth`: see core/json_limits.h; checked before parsing.
Result<Json> ParseJson(std::string_view text, int max_depth) {
  DV_TRY(CheckJsonDepth(text, max_depth));
  Json parsed;
  DomBuilder builder(parsed);
  std::string message;
  try {
    if (!Json::sax_parse(text.begin(), text.end(), &builder)) message = builder.error();
  } catch (const Json::exception& e) {
    message = e.what();
  }
  if (!message.empty()) {
    if (message.rfind("[json.exception.", 0) == 0) message.erase(0, message.find("] ") + 2);
    return Error::Parse("not JSON: " + message);
  }
  if (!builder.duplicate().empty()) return Error::Parse("duplicate property name " + Quote(builder.duplicate()));
  return parsed;
}

std::string_view TrimSpace(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string StringId(const Json& object) {
  if (!object.is_object()) return "";
  auto id = object.find("id");
  return id != object.end() && id->is_string() ? id->get<std::string>() : "";
}

Result<ValidatedObject> ValidateParsed(const Json& object, std::string canonical) {
  auto validated = ObjectValidator(object).Run();
  if (validated.ok()) validated->canonical_json = std::move(canonical);
  return validated;
}

}  // namespace

std::string_view ObjectKindName(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kSdo:
      return "sdo";
    case ObjectKind::kSro:
      return "sro";
    case ObjectKind::kSco:
      return "sco";
    case ObjectKind::kMeta:
      return "meta";
    case ObjectKind::kCustom:
      return "custom";
  }
  return "custom";
}

bool IsSdo(std::string_view type) { return Contains(kSdoTypes, type); }
bool IsSro(std::string_view type) { return Contains(kSroTypes, type); }
bool IsSco(std::string_view type) { return Contains(kScoTypes, type); }
bool IsMeta(std::string_view type) { return Contains(kMetaTypes, type); }

Result<ValidatedObject> ValidateObject(const nlohmann::json& object) {
  auto validated = ObjectValidator(object).Run();
  if (validated.ok()) validated->canonical_json = object.dump();
  return validated;
}

Result<ValidatedObject> ValidateObject(std::string_view text) {
  auto parsed = ParseJson(text, kMaxNestingDepth);
  if (!parsed.ok()) return Error::Parse("object: " + parsed.error().message());
  return ValidateParsed(*parsed, std::string(TrimSpace(text)));
}

Result<ValidatedBundle> ValidateBundle(std::string_view text) {
  // The bundle and its `objects` list add two levels above each object.
  auto parsed = ParseJson(text, kMaxNestingDepth + 2);
  if (!parsed.ok()) return Error::Parse("bundle: " + parsed.error().message());
  const Json& bundle = *parsed;
  if (!bundle.is_object()) return Error::InvalidArgument("bundle: want a JSON object, found " + Describe(bundle));
  auto type = bundle.find("type");
  if (type == bundle.end() || !type->is_string() || *type != "bundle") {
    return Error::InvalidArgument("bundle: property 'type': want 'bundle'");
  }
  auto id = bundle.find("id");
  if (id == bundle.end()) return Error::InvalidArgument("bundle: property 'id' is required");
  if (!id->is_string()) return Error::InvalidArgument("bundle: property 'id': want a string, found " + Describe(*id));
  const std::string& id_text = id->get_ref<const std::string&>();
  if (auto problem = IdentifierProblem(id_text)) return Error::InvalidArgument("bundle: property 'id': " + *problem);
  if (IdType(id_text) != "bundle") {
    return Error::InvalidArgument("bundle: property 'id': " + Quote(id_text) + " does not start with 'bundle--'");
  }
  ValidatedBundle out;
  out.id = id_text;
  auto objects = bundle.find("objects");
  if (objects == bundle.end()) return out;
  if (!objects->is_array()) {
    return Error::InvalidArgument(id_text + ": property 'objects': want a list, found " + Describe(*objects));
  }
  const auto found = TopLevelObjectSpans(text);
  const std::vector<std::string_view> spans = found.value_or(std::vector<std::string_view>());
  const bool have_spans = found && spans.size() == objects->size();
  out.entries.reserve(objects->size());
  for (std::size_t object_idx = 0; object_idx < objects->size(); ++object_idx) {
    const Json& object = (*objects)[object_idx];
    std::string canonical = have_spans ? std::string(spans[object_idx]) : object.dump();
    auto validated = ValidateParsed(object, std::move(canonical));
    if (!validated.ok()) validated = validated.error().WithContext("objects[" + std::to_string(object_idx) + "]");
    (validated.ok() ? out.valid_count : out.invalid_count) += 1;
    out.entries.push_back(BundleEntry{object_idx, StringId(object), std::move(validated)});
  }
  return out;
}

std::string TaxiiVersion(const ValidatedObject& object) { return object.version.ToRfc3339(); }

std::string TlpMarkingDefinitionJson(Tlp tlp) {
  nlohmann::ordered_json marking = {
      {"type", "marking-definition"},
      {"spec_version", "2.1"},
      {"id", TlpMarkingId(tlp)},
      {"created", "2022-10-01T00:00:00.000Z"},
      {"name", TlpName(tlp)},
      {"extensions",
       {{kTlp2ExtensionId,
         {{"extension_type", "property-extension"}, {"tlp_2_0", kTlp2Levels[static_cast<std::size_t>(tlp)]}}}}},
  };
  return marking.dump();
}

namespace {

void AddMarking(nlohmann::ordered_json& object, std::optional<Tlp> tlp) {
  if (tlp) object["object_marking_refs"] = {TlpMarkingId(*tlp)};
}

}  // namespace

Result<ValidatedObject> MakeSighting(const SightingSpec& spec) {
  const std::string id = spec.id.empty() ? "sighting--" + Uuid::V4().ToString() : spec.id;
  const std::string created = spec.created.ToRfc3339();
  nlohmann::ordered_json sighting = {{"type", "sighting"}, {"spec_version", "2.1"}, {"id", id}};
  if (!spec.created_by_ref.empty()) sighting["created_by_ref"] = spec.created_by_ref;
  sighting["created"] = created;
  sighting["modified"] = created;
  sighting["sighting_of_ref"] = spec.sighting_of_ref;
  if (spec.first_seen) sighting["first_seen"] = spec.first_seen->ToRfc3339();
  if (spec.last_seen) sighting["last_seen"] = spec.last_seen->ToRfc3339();
  if (spec.count) sighting["count"] = *spec.count;
  if (!spec.where_sighted_refs.empty()) sighting["where_sighted_refs"] = spec.where_sighted_refs;
  if (!spec.observed_data_refs.empty()) sighting["observed_data_refs"] = spec.observed_data_refs;
  if (!spec.description.empty()) sighting["description"] = spec.description;
  AddMarking(sighting, spec.tlp);
  return ValidateObject(std::string_view(sighting.dump()));
}

Result<ValidatedObject> MakeIdentity(const IdentitySpec& spec) {
  const std::string id = spec.id.empty() ? "identity--" + Uuid::V4().ToString() : spec.id;
  const std::string created = spec.created.ToRfc3339();
  nlohmann::ordered_json identity = {{"type", "identity"}, {"spec_version", "2.1"}, {"id", id},
                                     {"created", created}, {"modified", created},   {"name", spec.name}};
  if (!spec.description.empty()) identity["description"] = spec.description;
  identity["identity_class"] = "organization";
  if (!spec.sectors.empty()) identity["sectors"] = spec.sectors;
  if (!spec.contact_information.empty()) identity["contact_information"] = spec.contact_information;
  AddMarking(identity, spec.tlp);
  return ValidateObject(std::string_view(identity.dump()));
}

std::string_view SectorForOrgKind(OrgKind kind) {
  switch (kind) {
    case OrgKind::kMunicipality:
      return "government-local";
    case OrgKind::kRegion:
      return "government-regional";
    case OrgKind::kStateBody:
      return "government-national";
    case OrgKind::kHealth:
      return "healthcare";
    case OrgKind::kUtility:
      return "utilities";
    case OrgKind::kSharedSystem:
    case OrgKind::kSupplier:
      return "technology";
    case OrgKind::kOther:
      return "";
  }
  return "";
}

Result<ValidatedObject> MakeOrganisationIdentity(const Organisation& organisation, Timestamp created) {
  IdentitySpec spec;
  spec.id = organisation.StixId();
  spec.name = organisation.name;
  spec.description = organisation.description;
  if (const std::string_view sector = SectorForOrgKind(organisation.kind); !sector.empty()) {
    spec.sectors.emplace_back(sector);
  }
  spec.created = created;
  return MakeIdentity(spec);
}

}  // namespace dv::stix
