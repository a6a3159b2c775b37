// SPDX-License-Identifier: Apache-2.0
#include "cli/common.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace dv::cli {

int ReportError(const Error& error) {
  std::cerr << "dannevirke: " << error.ToString() << "\n";
  return 1;
}

Result<std::string> ReadToken(const std::string& token, const std::string& token_file) {
  if (!token.empty()) return token;
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in) return Error::Io("cannot read --token-file '" + token_file + "'");
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) return Error::InvalidArgument("--token-file '" + token_file + "' holds no token");
    return line;
  }
  if (const char* env = std::getenv("DANNEVIRKE_TOKEN"); env != nullptr && *env != '\0') return std::string(env);
  return Error::InvalidArgument("give --token, --token-file or DANNEVIRKE_TOKEN");
}

Result<std::unique_ptr<sigma::FieldMapping>> LoadMappingFile(const std::string& path) {
  if (path.empty()) return std::unique_ptr<sigma::FieldMapping>();
  auto mapping = sigma::FieldMapping::LoadFile(path);
  if (!mapping.ok()) return mapping.error();
  return std::make_unique<sigma::FieldMapping>(std::move(mapping).value());
}

}  // namespace dv::cli
