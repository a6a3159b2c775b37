# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_kv_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/kv_fuzz.cpp dv_ingest)
