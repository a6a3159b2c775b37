# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_cpe_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/cpe_fuzz.cpp dv_vuln)
