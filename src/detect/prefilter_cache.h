// SPDX-License-Identifier: Apache-2.0
#pragma once

// The engine's prefilter databases (Hyperscan literal sets), compiled or
// taken from a cache on disk. Compiling the ~22,000 literals of the SigmaHQ
// Windows rules takes about half a second; `scan` runs over a few EVTX files
// are shorter than that, so the compiled database is kept between runs.
//
// A cache file is named by the SHA-256 of everything the database is made
// from (Hyperscan's version, the literals and their ids, the flags), so a
// changed rule set never reads another set's database. A file that is
// missing, unreadable or that Hyperscan refuses (another version, another
// CPU) is compiled afresh and rewritten (mode 0600, written to a temporary
// name and renamed). The directory keeps the kKeptFiles most recent files.
// Trust: whoever can write the cache directory can change what the engine
// looks for, exactly as whoever can write the rules; keep it beside them,
// owned by the same user (it is created 0700). A directory that is not the
// user's, or that its group or others may write, is not used (the database
// is compiled); only a regular file under 256 MiB is read.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

struct hs_database;

namespace dv::detect {

inline constexpr std::size_t kKeptFiles = 4;

// The database of literals[id] for each id in `ids`, each reported on every
// occurrence; null for no ids. `cache_dir` empty: no cache. A cache that
// cannot be written is not an error (the database is still returned).
// `from_cache` (optional) tells whether the file was used.
Result<hs_database*> LiteralDatabase(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& ids,
                                     const std::string& cache_dir, bool* from_cache = nullptr);

}  // namespace dv::detect
