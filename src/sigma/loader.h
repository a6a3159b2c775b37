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
#include "sigma/budget.h"
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
// Text over `budget` (size, YAML nesting: CheckRuleText) is refused before
// it is parsed, as one fatal problem; conditions over the budget's length
// or depth are fatal problems of their documents.
LoadedDocuments ParseRuleDocuments(std::string_view yaml, const std::string& file,
                                   const SigmaBudget& budget = SigmaBudget{});
// Only the budgets, for content offered to others (the hub's intake): the
// text's size and YAML nesting (CheckRuleText), then the length and
// parenthesis nesting of every detection's and filter's condition. Other
// problems are left to ParseRuleDocuments, which the sensors run. Errors
// (kInvalidArgument) name the limit, and the document's line for conditions.
Status CheckRuleBudget(std::string_view yaml, const SigmaBudget& budget = SigmaBudget{});

// A file larger than budget.max_document_bytes is refused without reading it.
LoadedDocuments LoadRuleFile(const std::string& path, const SigmaBudget& budget = SigmaBudget{});
// Every *.yml / *.yaml file under `path` (a file or a directory, recursively,
// in sorted order). `cache_dir` non-empty: a directory tree this program
// has parsed before, with the same budget and byte for byte the same files,
// is decoded from the cache there instead of parsed (sigma/document_cache.h;
// the trust rule of core/file_cache.h applies), and a tree parsed is stored.
// The documents and problems are the same either way.
LoadedDocuments LoadRuleTree(const std::string& path, const SigmaBudget& budget = SigmaBudget{},
                             const std::string& cache_dir = {});
// LoadRuleTree of each path, their documents and problems in path order.
LoadedDocuments LoadRuleTrees(const std::vector<std::string>& paths, const SigmaBudget& budget = SigmaBudget{},
                              const std::string& cache_dir = {});
// Moves the rules and problems of `from` after those of `to`.
void AppendDocuments(LoadedDocuments&& from, LoadedDocuments& to);

}  // namespace dv::sigma
