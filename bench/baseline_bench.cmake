# SPDX-License-Identifier: Apache-2.0
if(TARGET dv_baseline)
  add_executable(dv_baseline_bench ${CMAKE_CURRENT_SOURCE_DIR}/baseline_bench.cpp)
  target_link_libraries(dv_baseline_bench PRIVATE dv_baseline dv_warnings)
endif()
