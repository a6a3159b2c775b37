// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading Sigma documents from YAML. A file may hold several documents
// (`---`): detection rules, correlation rules and filters. YAML's own quoting
// is resolved first (a double-quoted "\\" is one backslash); Sigma's
// wildcard escaping is applied later, when values are compiled.
//
// Errors name the file and line. A file with one bad document still yields
// its good ones. Pure apart from LoadRuleFile, which reads the file.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sigma/rule.h"

namespace dv::sigma {

struct LoadProblem {
  SourcePlace place;
  std::string message;
  bool fatal = true;  // false: a warning; the rule is still used
  std::string ToString() const;
};

struct LoadedDocuments {
  std::vector<Rule> rules;
  std::vector<LoadProblem> problems;
};

// Parses every document of `yaml`; `file` names it in places and messages.
LoadedDocuments ParseRuleDocuments(std::string_view yaml, const std::string& file);
LoadedDocuments LoadRuleFile(const std::string& path);
// Every *.yml / *.yaml file under `path` (a file or a directory, recursively,
// in sorted order).
LoadedDocuments LoadRuleTree(const std::string& path);

}  // namespace dv::sigma
