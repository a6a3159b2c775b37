// SPDX-License-Identifier: Apache-2.0
#pragma once

// Package URLs ("pkg:type/namespace/name@version?qualifiers#subpath", the
// package-url specification). Components are stored percent-decoded; type is
// lower-cased, and namespace and name too for the types whose registries are
// case-insensitive (deb, rpm, npm, pypi, github, bitbucket, composer, apk,
// golang). Values are plain data; thread-safe to share.

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dv::vuln {

struct Purl {
  std::string type;
  std::string namespace_;  // may be empty; segments joined by '/'
  std::string name;
  std::string version;  // empty when none
  std::map<std::string, std::string> qualifiers;
  std::string subpath;

  // "pkg:type/namespace/name" without version, qualifiers or subpath: the
  // identity that the exposure index keys on.
  std::string PackageKey() const;
  // The canonical string form.
  std::string ToString() const;
  friend bool operator==(const Purl&, const Purl&) = default;
};

// Errors name the component and the reason ("purl: missing name").
Result<Purl> ParsePurl(std::string_view text);

// True when `candidate` names the same package as `pattern` (type, namespace,
// name) and, if `pattern` carries a version, the same version; qualifiers
// given in `pattern` must be present with the same value in `candidate`.
bool PurlMatches(const Purl& pattern, const Purl& candidate);

}  // namespace dv::vuln
