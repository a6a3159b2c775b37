// SPDX-License-Identifier: Apache-2.0
#include "hub/hub_server.h"

#include <httplib.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/time.h"
#include "hub/api.h"
#include "hub/api_modules.h"

namespace dv {

// Defined by the generated embedded-data file (cmake/embed.cmake).
std::string_view HubAssetFile(std::string_view name);

namespace {

using hub::CheckParams;
using hub::IntParam;
using hub::Json;
using hub::SendError;
using hub::SendJson;

constexpr const char* kJson = "application/json";

Json NullableString(const std::optional<std::string>& value) { return value ? Json(*value) : Json(); }

// The OpenAPI document: the base file with each module's fragment merged in.
std::string OpenApiDocument() {
  Json doc = Json::parse(HubAssetFile("openapi.json"));
  for (const char* module : {"indicators.json", "baseline.json", "risk.json", "vuln.json", "incident.json"}) {
    const std::string_view text = HubAssetFile(module);
    if (text.empty()) continue;
    const Json part = Json::parse(text);
    const Json paths = part.value("paths", Json::object());
    for (const auto& [path, item] : paths.items()) doc["paths"][path] = item;
    const Json components = part.value("components", Json::object());
    const Json schemas = components.value("schemas", Json::object());
    for (const auto& [name, schema] : schemas.items()) doc["components"]["schemas"][name] = schema;
  }
  return doc.dump();
}

}  // namespace

class HubServer::Impl {
 public:
  Impl(Store& store, HubOptions options)
      : store_(store),
        options_(std::move(options)),
        taxii_(store, options_.taxii),
        api_(store, options_.taxii.requests_per_second, options_.taxii.burst) {
    if (!options_.tls_cert.empty()) {
      tls_server_ = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(), options_.tls_key.c_str());
    }
    Routes();
  }

  // The TLS server when a certificate is configured, the plain one otherwise.
  httplib::Server& server() { return tls_server_ ? *tls_server_ : plain_server_; }

  Result<int> Bind() {
    if (tls_server_ && !tls_server_->is_valid()) {
      return Error::InvalidArgument("cannot use TLS certificate '" + options_.tls_cert + "' with key '" +
                                    options_.tls_key + "' (unreadable, or they do not match)");
    }
    const bool loopback =
        options_.bind_address == "127.0.0.1" || options_.bind_address == "::1" || options_.bind_address == "localhost";
    if (!tls_server_ && !loopback) {
      return Error::InvalidArgument("plain HTTP is only for localhost; give --tls-cert and --tls-key to listen on " +
                                    options_.bind_address);
    }
    if (options_.port == 0) {
      const int port = server().bind_to_any_port(options_.bind_address);
      if (port < 0) return Error::Io("cannot bind to " + options_.bind_address + " on any port");
      return port;
    }
    if (!server().bind_to_port(options_.bind_address, options_.port)) {
      return Error::Io("cannot listen on " + options_.bind_address + ":" + std::to_string(options_.port) +
                       " (in use, or not an address of this machine)");
    }
    return options_.port;
  }

  Status Serve() {
    serving_ = true;
    // A Stop() that came before Serve() wins: there is nothing to serve.
    const bool ok = stop_requested_ || server().listen_after_bind();
    serving_ = false;
    if (!ok) return Error::Io("the HTTP server stopped with an error");
    return Ok();
  }

  // Safe at any moment, also before Serve() has started listening: then it
  // waits until the server runs (or Serve() gives up) and stops it.
  void Stop() {
    stop_requested_ = true;
    while (serving_ && !server().is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server().stop();
  }

 private:
  void Routes() {
    // Small JSON answers must not wait for the client's delayed ACK (Nagle):
    // this tripled requests/s in bench/taxii_load_bench.
    server().set_tcp_nodelay(true);
    server().set_default_headers(
        {{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}, {"X-Frame-Options", "DENY"}});
    server().set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      request_start_ = std::chrono::steady_clock::now();
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server().set_logger([this](const httplib::Request& req, const httplib::Response& res) { Log(req, res); });
    server().set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unexpected failure";
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      SendError(res, Error::Internal(what));
    });
    // Bodies larger than TAXII's max_content_length are refused before they are read (413).
    server().set_payload_max_length(options_.taxii.max_content_length);
    taxii_.Register(server());
    server().set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (hub::IsTaxiiPath(req.path)) {
        std::string body;
        std::string type;
        hub::SetTaxiiError(res.status, res.status == 413 ? "Payload too large" : "Error",
                           res.status == 404 ? "no TAXII resource at '" + req.path + "'" : "the request failed", body,
                           type);
        res.set_content(body, type);
        return;
      }
      if (res.status == 404) {
        SendError(res, Error::NotFound("no resource at '" + req.path + "'"));
      } else {
        SendJson(res, res.status,
                 {{"error", {{"kind", "http_" + std::to_string(res.status)}, {"message", "request failed"}}}});
      }
    });

    server().Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      SendJson(res, 200,
               {{"status", "ok"},
                {"version", options_.version},
                {"database", store_.BackendName()},
                {"schema_version", store_.SchemaVersion()},
                {"time", Timestamp::Now().ToRfc3339()}});
    });
    server().Get("/api/v1/openapi.json", [doc = OpenApiDocument()](const httplib::Request&, httplib::Response& res) {
      res.set_content(doc, kJson);
    });
    hub::RegisterIndicatorApi(server(), api_);
    hub::RegisterBaselineApi(server(), api_);
    hub::RegisterRiskApi(server(), api_);
    hub::RegisterVulnApi(server(), api_);
    hub::RegisterIncidentApi(server(), api_);
    server().Get("/api/v1/organisations",
                 [this](const httplib::Request& req, httplib::Response& res) { ListOrganisations(req, res); });
    server().Get(R"(/api/v1/organisations/([^/]+))",
                 [this](const httplib::Request& req, httplib::Response& res) { GetOrganisation(req, res); });
    server().Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
      SendError(res, Error::NotFound("no API resource at '" + req.path + "'"));
    });

    if (!options_.web_root.empty() && std::filesystem::is_directory(options_.web_root)) {
      server().set_mount_point("/", options_.web_root);
    } else {
      server().Get("/", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(
            "<!doctype html><meta charset=utf-8><title>Dannevirke</title><p>The dashboard is not built "
            "(no web root at '" +
                options_.web_root +
                "'). Run <code>npm run build</code> in web/. The API is at "
                "<a href=\"/api/v1/organisations\">/api/v1/organisations</a>.",
            "text/html; charset=utf-8");
      });
    }
  }

  Result<Json> OrganisationJson(const Organisation& org) {
    Json json = {{"code", org.code},
                 {"name", org.name},
                 {"kind", OrgKindName(org.kind)},
                 {"region_code", NullableString(org.region_code)},
                 {"region_name", Json()},
                 {"population", org.population ? Json(*org.population) : Json()},
                 {"description", org.description},
                 {"operator", NullableString(org.operator_code)},
                 {"stix_id", org.StixId()}};
    if (org.region_code) {
      auto region = RegionName(*org.region_code);
      if (!region.ok()) return region.error();
      json["region_name"] = *region;
    }
    return json;
  }

  // The name of a region, or null when the code names no stored region.
  Result<Json> RegionName(const std::string& code) {
    auto region = store_.GetOrganisation(code);
    if (!region.ok()) {
      if (region.error().kind() == ErrorKind::kNotFound) return Json();
      return region.error();
    }
    return Json(region->name);
  }

  void ListOrganisations(const httplib::Request& req, httplib::Response& res) {
    if (auto status = CheckParams(req, {"kind", "region", "q", "limit", "offset"}); !status.ok()) {
      return SendError(res, status.error());
    }
    OrganisationQuery query;
    if (req.has_param("kind")) {
      auto kind = ParseOrgKind(req.get_param_value("kind"));
      if (!kind.ok()) return SendError(res, kind.error().WithContext("query parameter 'kind'"));
      query.kind = *kind;
    }
    if (req.has_param("region")) {
      const std::string region = req.get_param_value("region");
      if (!IsValidOrgCode(region) || region.size() != 4) {
        return SendError(res, Error::InvalidArgument("query parameter 'region' must be a 4-digit region code"));
      }
      query.region_code = region;
    }
    if (req.has_param("q")) query.text = req.get_param_value("q");
    auto limit = IntParam(req, "limit", 100);
    if (!limit.ok()) return SendError(res, limit.error());
    auto offset = IntParam(req, "offset", 0);
    if (!offset.ok()) return SendError(res, offset.error());
    query.limit = *limit;
    query.offset = *offset;
    auto page = store_.ListOrganisations(query);
    if (!page.ok()) return SendError(res, page.error());
    Json items = Json::array();
    for (const auto& org : page->items) {
      auto json = OrganisationJson(org);
      if (!json.ok()) return SendError(res, json.error());
      items.push_back(std::move(*json));
    }
    SendJson(res, 200,
             {{"items", std::move(items)}, {"total", page->total}, {"limit", query.limit}, {"offset", query.offset}});
  }

  void GetOrganisation(const httplib::Request& req, httplib::Response& res) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    const std::string code = req.matches[1];
    auto org = store_.GetOrganisation(code);
    if (!org.ok()) return SendError(res, org.error());
    auto json = OrganisationJson(*org);
    if (!json.ok()) return SendError(res, json.error());
    for (const auto direction : {EdgeDirection::kDependencies, EdgeDirection::kDependents}) {
      auto edges = store_.ListDependencies(code, direction);
      if (!edges.ok()) return SendError(res, edges.error());
      Json list = Json::array();
      for (const auto& view : *edges) {
        list.push_back({{"code", view.other_code},
                        {"name", view.other_name},
                        {"kind", OrgKindName(view.other_kind)},
                        {"relation", RelationName(view.edge.relation)},
                        {"strength", view.edge.strength},
                        {"illustrative", view.edge.illustrative},
                        {"note", view.edge.note}});
      }
      (*json)[direction == EdgeDirection::kDependencies ? "dependencies" : "dependents"] = std::move(list);
    }
    SendJson(res, 200, *json);
  }

  void Log(const httplib::Request& req, const httplib::Response& res) {
    if (!options_.access_log) return;
    const auto elapsed = std::chrono::steady_clock::now() - request_start_;
    const Json line = {{"ts", Timestamp::Now().ToRfc3339()},
                       {"remote", req.remote_addr},
                       {"method", req.method},
                       {"path", req.path},
                       {"status", res.status},
                       {"bytes", res.body.size()},
                       {"duration_ms", std::chrono::duration<double, std::milli>(elapsed).count()}};
    options_.access_log(line.dump());
  }

  // Set by the pre-routing handler on the worker thread that then logs.
  static thread_local std::chrono::steady_clock::time_point request_start_;

  std::atomic<bool> serving_{false};
  std::atomic<bool> stop_requested_{false};
  Store& store_;
  HubOptions options_;
  hub::TaxiiService taxii_;
  hub::ApiContext api_;
  httplib::Server plain_server_;
  std::unique_ptr<httplib::SSLServer> tls_server_;
};

thread_local std::chrono::steady_clock::time_point HubServer::Impl::request_start_;

HubServer::HubServer(Store& store, HubOptions options) : impl_(std::make_unique<Impl>(store, std::move(options))) {}
HubServer::~HubServer() = default;
Result<int> HubServer::Bind() { return impl_->Bind(); }
Status HubServer::Serve() { return impl_->Serve(); }
void HubServer::Stop() { impl_->Stop(); }

}  // namespace dv
