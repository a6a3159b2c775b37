// SPDX-License-Identifier: Apache-2.0
#pragma once

// FieldTable: which event fields can carry which observable, and how to take
// the observable out of the field's value. The default table is
// indicator_fields.json beside this file, compiled into the library; a site
// can load its own. Format (docs/indicators.md):
//
//   { "ip": ["SourceIp", …], "file-hash": [{"field": "Hashes", "parse": "sysmon-hashes"}, …], … }
//
// Classes: ip, domain-name, url, email-addr, file-hash, file-name,
// process-name, command-line, windows-registry-key, user-account. Keys that
// start with '_' are comments. Field names match ASCII case-insensitively.
// A table is immutable after parsing and safe to share between threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace dv {

enum class FieldClass : std::uint8_t {
  kIp,
  kDomain,
  kUrl,
  kEmail,
  kFileHash,
  kFileName,
  kProcessName,
  kCommandLine,
  kRegistryKey,
  kUserAccount,
};

enum class FieldParse : std::uint8_t {
  kValue,         // the whole value
  kBasename,      // after the last '/' or '\'
  kSysmonHashes,  // "MD5=…,SHA1=…,SHA256=…,IMPHASH=…": MD5, SHA1 and SHA256 are taken
  kUrlHost,       // the host part of a URL
  kList,          // items separated by ',', ';' or white space
};

struct FieldSpec {
  FieldClass field_class = FieldClass::kIp;
  FieldParse parse = FieldParse::kValue;
};

class FieldTable {
 public:
  // `source_name` is used in error messages ("fields.json: 'ip'[3]: …").
  static Result<FieldTable> Parse(std::string_view json, std::string_view source_name);
  static Result<FieldTable> Load(const std::string& path);
  // The table compiled into the library.
  static Result<FieldTable> Default();
  static std::string_view DefaultJson();

  // The specs for a field, by its ASCII-lower-cased name; null if none.
  const std::vector<FieldSpec>* Lookup(std::string_view lower_name) const;
  std::size_t size() const { return fields_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::vector<FieldSpec>, Hash, std::equal_to<>> fields_;
};

}  // namespace dv
