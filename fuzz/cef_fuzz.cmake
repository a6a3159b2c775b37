# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_cef_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/cef_fuzz.cpp dv_ingest)
