// SPDX-License-Identifier: Apache-2.0
#pragma once

// TAXII 2.1 (OASIS, 2021) on the hub's HTTP server. Internal to the hub.
//
//   GET  /taxii2/                                          discovery
//   GET  /taxii2/dannevirke/                               API root
//   GET  /taxii2/dannevirke/collections/                   collections the caller may read or write
//   GET  /taxii2/dannevirke/collections/{id}/              one collection
//   GET  /taxii2/dannevirke/collections/{id}/objects/      envelope (added_after, limit, next, match[...])
//   POST /taxii2/dannevirke/collections/{id}/objects/      202 + status resource
//   GET  /taxii2/dannevirke/collections/{id}/objects/{oid}/          versions of one object
//   DELETE /taxii2/dannevirke/collections/{id}/objects/{oid}/        (producer's organisation only)
//   GET  /taxii2/dannevirke/collections/{id}/objects/{oid}/versions/ version list
//   GET  /taxii2/dannevirke/collections/{id}/manifest/     manifest
//   GET  /taxii2/dannevirke/status/{status-id}/            status of a POST
//
// Every response carries Content-Type application/taxii+json;version=2.1,
// errors included (the TAXII error message). Every request authenticates
// (Basic or Bearer, hub/auth.h); every object read obeys hub/access.h.

#include <cstddef>
#include <memory>
#include <string>

#include "store/store.h"

namespace dv::hub {

class Router;      // hub/router.h
class ApiContext;  // hub/api.h

struct TaxiiOptions {
  std::string title = "Dannevirke";
  std::size_t max_content_length = 10 * 1024 * 1024;
  int default_page = 100;
  int max_page = 1000;
  double requests_per_second = 50;  // per member, token bucket
  double burst = 200;
  // Posting rules for sightings (hub/stix_intake.h PostingRules, docs/stix.md):
  // times at most this far ahead of the hub's clock, counts at most this high,
  // and at most this many new sightings of one indicator per organisation per
  // hour (new versions of a sighting already stored do not count).
  std::int64_t clock_skew_seconds = 300;
  std::int64_t max_sighting_count = 1'000'000;
  std::int64_t max_new_sightings_per_indicator_hour = 1000;
  // New Sigma rules and regex/substring patterns (MATCHES, LIKE) one
  // organisation may publish per hour; coordinators are not limited. Shared
  // detection content runs inside other members (docs/security.md).
  std::int64_t max_new_detection_content_per_hour = 200;
};

// The TAXII endpoints. Register adds its routes to a server; the service
// (and `store`) must outlive that server. Thread-safe: the routes run on the
// server's worker threads.
class TaxiiService {
 public:
  // Authentication, the per-member rate limit and the audit of refusals come
  // from `context`, shared with the REST API.
  TaxiiService(ApiContext& context, TaxiiOptions options);
  ~TaxiiService();
  void Register(Router& server);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// True for request paths the TAXII error format applies to.
bool IsTaxiiPath(const std::string& path);
// Fills a TAXII error response (status, media type, body).
void SetTaxiiError(int http_status, const std::string& title, const std::string& description, std::string& body,
                   std::string& content_type);

}  // namespace dv::hub
