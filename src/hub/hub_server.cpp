// SPDX-License-Identifier: Apache-2.0
#include "hub/hub_server.h"

#include <httplib.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "core/time.h"
#include "hub/api.h"
#include "hub/http_server.h"
#include "hub/module.h"
#include "hub/router.h"

namespace dv {

// Defined by the generated embedded-data file (cmake/embed.cmake).
std::string_view HubAssetFile(std::string_view name);

namespace {

using hub::Json;
using hub::SendError;
using hub::SendJson;

constexpr const char* kJson = "application/json";
// The dashboard loads only its own scripts, styles, images and API; it is
// never framed and never posts forms elsewhere.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'";

}  // namespace

std::string HubOpenApiDocument() {
  Json doc = Json::parse(HubAssetFile("openapi.json"));
  for (const hub::Module* module : hub::Modules()) {
    if (module->openapi_fragment.empty()) continue;
    const std::string_view text = HubAssetFile(module->openapi_fragment);
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

class HubServer::Impl {
 public:
  Impl(Store& store, HubOptions options)
      : store_(store),
        options_(std::move(options)),
        api_(store, options_.taxii.requests_per_second, options_.taxii.burst),
        taxii_(api_, options_.taxii) {
    Routes();
    http_ = std::make_unique<hub::HttpServer>(router_, ServerOptions());
  }

  Result<int> Bind() {
    // The modules are compiled in: a clash between them is the build's fault,
    // and such a hub does not start.
    if (auto modules = hub::CheckModules(hub::Modules(), HubAssetFile("openapi.json"), &HubAssetFile); !modules.ok())
      return modules.error();
    const bool tls = !options_.tls_cert.empty() || !options_.tls_key.empty();
    const bool loopback =
        options_.bind_address == "127.0.0.1" || options_.bind_address == "::1" || options_.bind_address == "localhost";
    if (!tls && !loopback) {
      return Error::InvalidArgument("plain HTTP is only for localhost; give --tls-cert and --tls-key to listen on " +
                                    options_.bind_address);
    }
    return http_->Bind();
  }

  Status Serve() { return http_->Serve(); }
  std::string HandleBytes(std::string_view request) { return http_->HandleBytes(request); }
  std::vector<std::pair<std::string, std::string>> RouteTable() const {
    std::vector<std::pair<std::string, std::string>> table;
    for (const auto& route : router_.routes()) table.emplace_back(route.method, route.pattern);
    return table;
  }
  void Stop() { http_->Stop(); }

 private:
  hub::HttpServer::Options ServerOptions() {
    hub::HttpServer::Options server;
    server.bind_address = options_.bind_address;
    server.port = options_.port;
    server.tls_cert = options_.tls_cert;
    server.tls_key = options_.tls_key;
    server.limits = options_.http;
    // Bodies larger than TAXII's max_content_length are refused before they are read (413).
    server.limits.max_body_bytes = options_.taxii.max_content_length;
    server.default_headers = {{"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"},
                              {"X-Frame-Options", "DENY"},
                              {"Cache-Control", "no-store"}};
    server.fallback = [this](const httplib::Request& req, httplib::Response& res) { Static(req, res); };
    server.error_body = [](const httplib::Request& req, httplib::Response& res, const std::string& message) {
      ErrorBody(req, res, message);
    };
    server.access_log = [this](const httplib::Request& req, const httplib::Response& res,
                               std::chrono::nanoseconds elapsed) { Log(req, res, elapsed); };
    server.refusals = [this](const std::string& address, std::size_t refused) {
      (void)store_.Audit("anonymous:" + address, "request.rate_limited", "address:" + address,
                         std::to_string(refused) + " requests refused by the per-address limit in the last minute");
    };
    return server;
  }

  // Error answers that no handler filled: the TAXII error format under
  // /taxii2/, the API's JSON error elsewhere.
  static void ErrorBody(const httplib::Request& req, httplib::Response& res, const std::string& message) {
    if (!res.body.empty()) return;
    if (hub::IsTaxiiPath(req.path)) {
      std::string body;
      std::string type;
      hub::SetTaxiiError(res.status, res.status == 413 ? "Payload too large" : "Error",
                         res.status == 404 ? "no TAXII resource at '" + req.path + "'" : message, body, type);
      res.set_content(body, type);
      return;
    }
    if (res.status == 404) return SendError(res, Error::NotFound(message));
    if (res.status == 401) return SendError(res, Error::Unauthorized(message));
    const int status = res.status;
    SendJson(res, status, {{"error", {{"kind", "http_" + std::to_string(status)}, {"message", message}}}});
  }

  void Routes() {
    router_.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      // A load balancer sends no request to an instance whose database is away.
      const int schema = store_.SchemaVersion();
      if (schema <= 0) res.set_header("Retry-After", std::to_string(hub::kUnavailableRetrySeconds));
      SendJson(res, schema > 0 ? 200 : 503,
               {{"status", schema > 0 ? "ok" : "unavailable"},
                {"version", options_.version},
                {"database", store_.BackendName()},
                {"schema_version", schema},
                {"time", Timestamp::Now().ToRfc3339()}});
    });
    router_.Get("/api/v1/openapi.json", [doc = HubOpenApiDocument()](const httplib::Request&, httplib::Response& res) {
      res.set_content(doc, kJson);
    });
    taxii_.Register(router_);
    for (const hub::Module* module : hub::Modules()) module->register_routes(router_, api_);
    const auto no_api = [](const httplib::Request& req, httplib::Response& res) {
      SendError(res, Error::NotFound("no API resource at '" + req.path + "'"));
    };
    router_.Get(R"(/api/.*)", no_api).Post(R"(/api/.*)", no_api).Put(R"(/api/.*)", no_api);
    router_.Patch(R"(/api/.*)", no_api).Delete(R"(/api/.*)", no_api);
  }

  // The dashboard's files under web_root (GET and HEAD only); anything else 404.
  void Static(const httplib::Request& req, httplib::Response& res) {
    if (req.method != "GET" && req.method != "HEAD") return;
    if (options_.web_root.empty() || !std::filesystem::is_directory(options_.web_root)) {
      if (req.path != "/") return;
      res.set_content(
          "<!doctype html><meta charset=utf-8><title>Dannevirke</title><p>The dashboard is not built "
          "(no web root). Run <code>npm run build</code> in web/. The API is at "
          "<a href=\"/api/v1/organisations\">/api/v1/organisations</a>.",
          "text/html; charset=utf-8");
      res.set_header("Content-Security-Policy", kContentSecurityPolicy);
      return;
    }
    auto file = StaticFile(req.path);
    if (!file) return;
    res.set_content(std::move(file->first), file->second);
    if (file->second.rfind("text/html", 0) == 0) {
      res.set_header("Content-Security-Policy", kContentSecurityPolicy);
      res.set_header("Cache-Control", "no-cache");
    } else {
      res.set_header("Cache-Control", "public, max-age=3600");
    }
  }

  // The bytes and media type of the file a path names under web_root; nullopt
  // for paths that leave it, hidden files, and files that are not there.
  std::optional<std::pair<std::string, std::string>> StaticFile(const std::string& path) const {
    if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) return std::nullopt;
    std::filesystem::path relative;
    std::size_t begin = 1;
    while (begin <= path.size()) {
      std::size_t end = path.find('/', begin);
      if (end == std::string::npos) end = path.size();
      const std::string segment = path.substr(begin, end - begin);
      if (!segment.empty()) {
        if (segment[0] == '.') return std::nullopt;  // "..", ".git", hidden files
        relative /= segment;
      }
      begin = end + 1;
    }
    std::filesystem::path file = std::filesystem::path(options_.web_root) / relative;
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) file /= "index.html";
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return std::make_pair(std::move(bytes), MediaType(file.extension().string()));
  }

  static std::string MediaType(const std::string& extension) {
    static const std::map<std::string, std::string> kTypes = {{".html", "text/html; charset=utf-8"},
                                                              {".js", "text/javascript; charset=utf-8"},
                                                              {".mjs", "text/javascript; charset=utf-8"},
                                                              {".css", "text/css; charset=utf-8"},
                                                              {".json", "application/json"},
                                                              {".svg", "image/svg+xml"},
                                                              {".png", "image/png"},
                                                              {".ico", "image/x-icon"},
                                                              {".woff2", "font/woff2"},
                                                              {".woff", "font/woff"},
                                                              {".txt", "text/plain; charset=utf-8"},
                                                              {".map", "application/json"},
                                                              {".webmanifest", "application/manifest+json"}};
    const auto it = kTypes.find(extension);
    return it == kTypes.end() ? "application/octet-stream" : it->second;
  }

  void Log(const httplib::Request& req, const httplib::Response& res, std::chrono::nanoseconds elapsed) {
    if (!options_.access_log) return;
    const Json line = {{"ts", Timestamp::Now().ToRfc3339()},
                       {"remote", req.remote_addr},
                       {"method", req.method},
                       {"path", hub::RedactedPath(req.path)},
                       {"status", res.status},
                       {"bytes", res.body.size()},
                       {"duration_ms", std::chrono::duration<double, std::milli>(elapsed).count()}};
    options_.access_log(line.dump(-1, ' ', false, Json::error_handler_t::replace));
  }

  Store& store_;
  HubOptions options_;
  hub::ApiContext api_;
  hub::TaxiiService taxii_;
  hub::Router router_;
  std::unique_ptr<hub::HttpServer> http_;
};

HubServer::HubServer(Store& store, HubOptions options) : impl_(std::make_unique<Impl>(store, std::move(options))) {}
HubServer::~HubServer() = default;
Result<int> HubServer::Bind() { return impl_->Bind(); }
Status HubServer::Serve() { return impl_->Serve(); }
void HubServer::Stop() { impl_->Stop(); }
std::string HubServer::HandleBytes(std::string_view request) { return impl_->HandleBytes(request); }
std::vector<std::pair<std::string, std::string>> HubServer::RouteTable() const { return impl_->RouteTable(); }

}  // namespace dv
