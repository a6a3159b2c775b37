// SPDX-License-Identifier: Apache-2.0
#pragma once

// A personal-data breach beside the NIS2 clock (deadlines.h): GDPR
// Article 33 — notify the data protection authority (Datatilsynet) without
// undue delay and, where feasible, within 72 hours of becoming aware of the
// breach; a later notification must give the reasons for the delay
// (Art. 33(1)) — and the Article 34 decision whether to inform the data
// subjects, with its reason. The contents of a notification are those of
// Art. 33(3); a draft may leave them open, a submission may not.
//
// The 72 hours run from awareness of the *personal-data breach*, which may
// come later than awareness of the incident. Hours are exact durations.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "incident/deadlines.h"

namespace dv::incident {

// What Art. 33(3) asks a notification to describe.
struct BreachNotification {
  std::string nature;                        // (a) the nature of the breach
  std::string categories_of_subjects;        // (a) categories of data subjects concerned
  std::optional<long> approximate_subjects;  // (a) approximate number of data subjects
  std::string categories_of_records;         // (a) categories of personal data records concerned
  std::optional<long> approximate_records;   // (a) approximate number of records
  std::string contact;                       // (b) the data protection officer or another contact point
  std::string likely_consequences;           // (c)
  std::string measures;                      // (d) measures taken or proposed, to address and mitigate
  std::string reasons_for_delay;             // Art. 33(1), when notified after 72 hours
};

// The Art. 34 decision: inform the data subjects or not, and why.
struct SubjectsDecision {
  bool inform = false;
  // Why (for "not": Art. 34(3)(a)–(c), e.g. the data were encrypted).
  std::string reason;
  Timestamp decided_at;
};

struct BreachClock {
  Timestamp became_aware_at;  // of the personal-data breach
  Timestamp due;              // became_aware_at + 72 hours
  DeadlineState state = DeadlineState::kDue;
  std::optional<Timestamp> notified_at;
  bool late = false;              // notified (or still not notified) after `due`
  bool reasons_required = false;  // late: Art. 33(1) asks for the reasons for the delay
};

// The Art. 33 clock at `now`.
BreachClock ComputeBreachClock(Timestamp became_aware_at, std::optional<Timestamp> notified_at, Timestamp now);

// The Art. 33(3) fields a notification submitted at `at` still lacks, by
// name ("nature", "categories_of_subjects", …, and "reasons_for_delay" when
// `at` is after the 72 hours). Empty: it may be submitted.
std::vector<std::string> MissingForSubmission(const BreachNotification& notification, const BreachClock& clock,
                                              Timestamp at);

// kInvalidArgument naming the field when the reason is empty.
Status CheckSubjectsDecision(const SubjectsDecision& decision);

}  // namespace dv::incident
