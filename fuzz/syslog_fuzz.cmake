# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_syslog_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/syslog_fuzz.cpp dv_ingest)
