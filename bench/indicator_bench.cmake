# SPDX-License-Identifier: Apache-2.0
if(TARGET dv_indicators)
  add_executable(dv_indicator_bench ${CMAKE_CURRENT_SOURCE_DIR}/indicator_bench.cpp)
  target_link_libraries(dv_indicator_bench PRIVATE dv_indicators PkgConfig::SIMDJSON Threads::Threads dv_warnings)
endif()
