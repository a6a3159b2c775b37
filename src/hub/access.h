// SPDX-License-Identifier: Apache-2.0
#pragma once

// Who may see what: the TLP 2.0 rules of the hub, as pure functions that
// every read path (TAXII objects, manifest, versions, REST views, exports)
// calls. Writing them once is what keeps the paths consistent.
//
//   CLEAR, GREEN   everyone who may read the collection
//   AMBER          the collection's audience, and the producer's organisation
//   AMBER+STRICT   the producer's organisation only
//   RED            the organisations named as recipients, and the producer's
// An object without any marking gets the collection's default TLP; an object
// with a marking that is not TLP is RED (GoverningTlp, core/tlp.h: fail
// closed, never the default).
// Administrators and coordinators may read every collection, but the TLP of
// each object applies to them like to anyone else.
//
// Ownership (docs/stix.md): an object's producer is the organisation that
// posted its first version (Store::ObjectOwner). Only the producer, or a
// coordinator or administrator acting for the federation (audited), may add
// versions of it — and so revoke it — or give the verdict on it. A DELETE
// removes only the versions the caller's organisation posted, unless the
// caller acts for the federation.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/organisation.h"
#include "store/sharing.h"

namespace dv::hub {

struct Principal {
  Member member;
  Organisation organisation;
};

// True when the organisation belongs to the collection's audience.
bool InAudience(const Collection& collection, const Organisation& organisation);
bool CanReadCollection(const Principal& principal, const Collection& collection);
bool CanWriteCollection(const Principal& principal, const Collection& collection);
// The TLP that governs an object in a collection. Rows stored before marking
// handling failed closed (no stored TLP although the text has markings) are
// judged again from their text.
Tlp EffectiveTlp(const Collection& collection, const StoredObject& object);
// Includes CanReadCollection: an object in a collection the principal may not read is never visible.
bool CanSeeObject(const Principal& principal, const Collection& collection, const StoredObject& object);
// Coordinators and administrators act for the federation: they may version,
// revoke, delete and judge any organisation's objects (each such act audited).
bool ActsForFederation(const Principal& principal);
// True when the principal may add a version of an object whose producer is
// `owner` (nullopt: no version stored yet, so the poster becomes its producer).
bool CanVersionObject(const Principal& principal, const std::optional<std::string>& owner);
// True when the principal may delete this stored version: its organisation
// posted it, or it acts for the federation.
bool CanDeleteObject(const Principal& principal, const StoredObject& object);

// The member id that posted a stored version (StoredObject::posted_by without
// a "member:" prefix); empty when not recorded.
std::string_view PosterMemberId(const StoredObject& object);
// True when a sensor posted the version: `sensors` holds the ids of the
// members whose role is sensor. Only such sightings are measured evidence
// (sensor contact, confidence recovery); a person's sightings are shown only.
bool PostedBySensor(const StoredObject& object, const std::set<std::string>& sensors);

}  // namespace dv::hub
