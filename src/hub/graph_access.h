// SPDX-License-Identifier: Apache-2.0
#pragma once

// Who may see what of the dependency graph and of the baselines that feed the
// risk model: pure functions that every read path and analysis over the graph
// asks (GET /api/v1/graph, /api/v1/organisations/{code}, /api/v1/risk/…),
// so that they cannot drift apart (docs/risk_model.md, "The API").
//
//   an edge         coordinators and administrators: every edge; any other
//                   signed-in person: the edges of its own organisation (as
//                   dependent or dependency) and those whose dependent is not
//                   a municipality or region (national systems and their
//                   suppliers); anonymous clients and sensors: none
//   an edge's note  coordinators and administrators only
//   a baseline      its own organisation and coordinators (CanReadOrgRecords,
//                   the baseline API's rule); for anyone else the score is
//                   null and the risk model uses the kind's default instead
//
// Thread-safe (no state).

#include <string_view>

#include "core/organisation.h"
#include "hub/access.h"

namespace dv::hub {

// True for the people who may read the graph at all: signed in, not a sensor.
bool CanReadGraph(const Principal& principal);
// Whether `principal` may see the coupling of `dependent` (of
// `dependent_kind`) on `dependency`. False for sensors.
bool CanSeeEdge(const Principal& principal, std::string_view dependent, OrgKind dependent_kind,
                std::string_view dependency);
bool CanSeeEdgeNote(const Principal& principal);
// Whether `principal` may see `org_code`'s baseline score and what the risk
// model derives from it (security levels, initial probability).
bool CanSeeBaseline(const Principal& principal, std::string_view org_code);

}  // namespace dv::hub
