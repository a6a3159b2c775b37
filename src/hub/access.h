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
// An object without a TLP marking gets the collection's default TLP.
// Administrators and coordinators may read every collection, but the TLP of
// each object applies to them like to anyone else.

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
// The TLP that governs an object in a collection.
Tlp EffectiveTlp(const Collection& collection, const StoredObject& object);
// Includes CanReadCollection: an object in a collection the principal may not read is never visible.
bool CanSeeObject(const Principal& principal, const Collection& collection, const StoredObject& object);
// Only the producer's organisation (or an administrator) may delete an object.
bool CanDeleteObject(const Principal& principal, const StoredObject& object);

}  // namespace dv::hub
