// SPDX-License-Identifier: Apache-2.0
#include "store/postgres_test_support.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

namespace dv {
namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Result<Connection> Connect(const std::string& url) {
  Connection conn(PQconnectdb(url.c_str()), &PQfinish);
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return Error::Io(std::string("test connection to PostgreSQL failed: ") +
                     (conn ? PQerrorMessage(conn.get()) : "out of memory"));
  }
  return conn;
}

}  // namespace

std::string PostgresTestUrl() {
  const char* url = std::getenv("DV_TEST_POSTGRES_URL");
  return url != nullptr ? std::string(url) : std::string();
}

Result<std::string> FreshPostgresSchema(const std::string& url, std::string_view schema) {
  for (char c : schema) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return Error::InvalidArgument("test schema names are [a-z_]+");
  }
  // A schema name cannot be a statement parameter; it is a constant of the tests.
  const std::string name(schema);
  auto dropped = PostgresTestQuery(url, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
  if (!dropped.ok()) return dropped.error();
  auto created = PostgresTestQuery(url, "CREATE SCHEMA " + name);
  if (!created.ok()) return created.error();
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name;
}

Result<PgTestRows> PostgresTestQuery(const std::string& url, const std::string& sql,
                                     const std::vector<std::string>& params) {
  auto conn = Connect(url);
  if (!conn.ok()) return conn.error();
  PQsetNoticeProcessor(
      conn->get(), [](void*, const char*) {}, nullptr);
  std::vector<const char*> values;
  for (const auto& param : params) values.push_back(param.c_str());
  std::unique_ptr<PGresult, decltype(&PQclear)> result(
      PQexecParams(conn->get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr,
                   0),
      &PQclear);
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Error::Io("test query '" + sql + "' failed: " + PQerrorMessage(conn->get()));
  }
  PgTestRows rows;
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    auto& values_out = rows.emplace_back();
    for (int col = 0; col < PQnfields(result.get()); ++col) {
      if (PQgetisnull(result.get(), row, col)) {
        values_out.emplace_back();
      } else {
        values_out.emplace_back(PQgetvalue(result.get(), row, col));
      }
    }
  }
  return rows;
}

}  // namespace dv
