// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small text helpers shared by every subsystem.

#include <string>
#include <string_view>

namespace dv {

// Lower-cases ASCII and the Latin-1 letters of UTF-8 text (Æ→æ, Ø→ø, Å→å,
// É→é, …) for case-insensitive search of Danish names. Other bytes pass
// through unchanged, so invalid UTF-8 never fails.
std::string FoldForSearch(std::string_view text);

// Escapes `text` for inclusion in a JSON string (without the quotes).
std::string JsonEscape(std::string_view text);

}  // namespace dv
