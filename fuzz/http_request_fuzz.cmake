# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_http_request_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/http_request_fuzz.cpp dv_hub dv_federation dv_store)
