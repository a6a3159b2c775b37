// SPDX-License-Identifier: Apache-2.0
#include "cli/common.h"

#include <iostream>

namespace dv::cli {

int ReportError(const Error& error) {
  std::cerr << "dannevirke: " << error.ToString() << "\n";
  return 1;
}

Result<std::unique_ptr<sigma::FieldMapping>> LoadMappingFile(const std::string& path) {
  if (path.empty()) return std::unique_ptr<sigma::FieldMapping>();
  auto mapping = sigma::FieldMapping::LoadFile(path);
  if (!mapping.ok()) return mapping.error();
  return std::make_unique<sigma::FieldMapping>(std::move(mapping).value());
}

}  // namespace dv::cli
