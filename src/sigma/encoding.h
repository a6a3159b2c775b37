// SPDX-License-Identifier: Apache-2.0
#pragma once

// The encoding modifiers of Sigma: base64, base64offset, utf16le/be, utf16
// (with byte order mark) and wide. Pure functions over bytes.

#include <string>
#include <string_view>
#include <vector>

#include "sigma/rule.h"

namespace dv::sigma {

std::string Base64Encode(std::string_view bytes);
// The three forms `bytes` takes inside a longer base64 text, depending on its
// offset modulo 3 (only the characters that do not depend on neighbours).
std::vector<std::string> Base64OffsetVariants(std::string_view bytes);
// UTF-8 → UTF-16 code units, little or big endian; invalid UTF-8 bytes are
// encoded as U+FFFD.
std::string Utf16Encode(std::string_view utf8, bool big_endian, bool with_bom);
// Applies one encoding modifier; base64offset yields three values, the others one.
std::vector<std::string> ApplyEncoding(Modifier modifier, std::string_view bytes);

}  // namespace dv::sigma
