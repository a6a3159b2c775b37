# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_json_stream_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/json_stream_fuzz.cpp dv_ingest)
