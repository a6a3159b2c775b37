# SPDX-License-Identifier: Apache-2.0
# dv_detection_content_bench: sensor throughput with and without hostile shared content.
if(TARGET dv_sensor)
  add_executable(dv_detection_content_bench ${CMAKE_CURRENT_SOURCE_DIR}/detection_content_bench.cpp)
  target_link_libraries(dv_detection_content_bench PRIVATE dv_sensor nlohmann_json::nlohmann_json dv_warnings)
endif()
