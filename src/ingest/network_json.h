// SPDX-License-Identifier: Apache-2.0
#pragma once

// Network-sensor records among JSON lines: Suricata EVE and Zeek's JSON logs
// arrive as ordinary JSON lines (JsonLineParser flattens them); this step
// recognises them and adds what a field mapping cannot express. Renaming to
// the names Sigma rules and indicators use is data, in data/sigma/mapping.yml
// (the log sources keyed on `event.dataset`).
//
// Suricata EVE — a record with `event_type` and `src_ip` or `dest_ip`:
//   event.module = "suricata", event.dataset = "suricata.<event_type>"
//   url.full     = "http://" + http.hostname [":" http.http_port] + http.url
//                  (http records whose http.url is a path)
//   the time from `timestamp` when its zone is written "+0000" (EVE's form,
//   which RFC 3339 and so JsonLineParser do not accept)
// Zeek JSON — a record with `id.orig_h` and `id.resp_h`:
//   event.module = "zeek", event.dataset = "zeek.<log>", the log from
//   `_path` or else from the fields (conn_state → conn, query/qtype_name → dns,
//   server_name/cipher → ssl, method/uri/status_code → http, otherwise none)
//   url.full     = "http://" + host + uri (http records)
//   the time from `ts` in epoch seconds or ISO 8601
// Other events are left as they are. Pure; thread-safe.

#include "core/event.h"

namespace dv {

// Returns true when the event was an EVE or Zeek record.
bool CompleteNetworkJson(Event& event);

// Zeek's URL for an http record (also used for Zeek's TSV logs): adds
// url.full from host and uri when both are there and url.full is not.
void AddZeekHttpUrl(Event& event);

}  // namespace dv
