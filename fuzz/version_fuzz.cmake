# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_version_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/version_fuzz.cpp dv_vuln)
