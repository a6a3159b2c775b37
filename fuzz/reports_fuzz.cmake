# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_reports_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/reports_fuzz.cpp dv_reports)
