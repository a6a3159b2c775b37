// SPDX-License-Identifier: Apache-2.0
#pragma once

// Pieces every sub-command uses.

#include <memory>
#include <string>

#include "core/result.h"
#include "sigma/mapping.h"

namespace dv::cli {

// Prints "dannevirke: <kind>: <message>" to stderr; returns exit code 1.
int ReportError(const Error& error);

// An API token: `token` when given, else the first line of `token_file`,
// else $DANNEVIRKE_TOKEN; kInvalidArgument saying which to give otherwise.
Result<std::string> ReadToken(const std::string& token, const std::string& token_file);

// The field mapping in `path`, or null (the built-in mapping) when `path` is empty.
Result<std::unique_ptr<sigma::FieldMapping>> LoadMappingFile(const std::string& path);

}  // namespace dv::cli
