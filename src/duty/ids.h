// SPDX-License-Identifier: Apache-2.0
#pragma once

// The shape of the ids the duty model handles. They are opaque here: the
// hub's contacts, rotas, pools and policies give them meaning, and this
// library only checks their form so that a typo is refused where it is
// written. Pure; thread-safe.

#include <string>
#include <string_view>

namespace dv::duty {

// True for a participant (who can be on duty and be notified) or for the id
// of a rota, pool or policy:
//   - a local id of 1–64 characters of [a-z0-9-] ("anna-k", "soc-vagt");
//   - "member:<org>/<id>": a member's own object, with <org> a valid
//     organisation code (dv::IsValidOrgCode: "0101", "KOMBIT") and <id> a
//     local id as above ("member:0101/soc-vagt").
bool IsValidId(std::string_view text);

// The form IsValidId accepts, for messages.
inline constexpr std::string_view kIdForm = "[a-z0-9-]{1,64} or member:<org>/<id>";

// `text` in single quotes for an error message, cut to 80 bytes (with "…")
// so that a hostile value cannot flood a log line. Never used for secrets.
std::string Quoted(std::string_view text);

}  // namespace dv::duty
