# SPDX-License-Identifier: Apache-2.0
# dv_vuln_bench: exposure matching at national scale against a nested-loop
# evaluation of the same data (see the source).
if(TARGET dv_vuln)
  add_executable(dv_vuln_bench ${CMAKE_CURRENT_SOURCE_DIR}/vuln_bench.cpp)
  target_link_libraries(dv_vuln_bench PRIVATE dv_vuln dv_warnings)
  target_compile_definitions(dv_vuln_bench PRIVATE DV_SHARED_DIR="${DV_SHARED_DIR}")
endif()
