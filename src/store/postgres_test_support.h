// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test-only access to the PostgreSQL database named by DV_TEST_POSTGRES_URL
// (scripts/with-postgres.sh makes a throwaway one). Each test works in a
// schema of its own, dropped and created afresh, so that it starts from an
// empty database and nothing else in the database is touched.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv {

// DV_TEST_POSTGRES_URL, or "" when unset.
std::string PostgresTestUrl();

// Drops `schema` (a plain lowercase name) with everything in it, creates it
// empty, and returns `url` with search_path set to it: a store opened on the
// returned URL creates its tables there.
Result<std::string> FreshPostgresSchema(const std::string& url, std::string_view schema);

// One statement on a connection of the test's own (parameterised like the
// backend's); returns every row, each value as text or nullopt for NULL.
using PgTestRows = std::vector<std::vector<std::optional<std::string>>>;
Result<PgTestRows> PostgresTestQuery(const std::string& url, const std::string& sql,
                                     const std::vector<std::string>& params = {});

}  // namespace dv
