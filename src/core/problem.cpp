// SPDX-License-Identifier: Apache-2.0
#include "core/problem.h"

#include <utility>

namespace dv {

std::string Problem::ToString() const {
  return place + ": " + (severity == Severity::kWarning ? "warning: " : "") + message;
}

std::string Place(std::string_view file, std::size_t line, std::string_view item) {
  std::string out(file);
  if (line > 0) out += ":" + std::to_string(line);
  if (!item.empty()) {
    out += ": ";
    out += item;
  }
  return out;
}

bool KeepProblem(std::vector<Problem>& kept, std::size_t max_kept, Problem problem) {
  if (kept.size() >= max_kept) return false;
  kept.push_back(std::move(problem));
  return true;
}

}  // namespace dv
