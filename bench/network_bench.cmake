# SPDX-License-Identifier: Apache-2.0
# dv_network_bench: throughput of the network-telemetry readers — Suricata EVE,
# Zeek TSV, firewall key=value (see the source).
if(TARGET dv_ingest AND TARGET dv_sigma)
  add_executable(dv_network_bench ${CMAKE_CURRENT_SOURCE_DIR}/network_bench.cpp)
  target_include_directories(dv_network_bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(dv_network_bench PRIVATE dv_ingest dv_sigma dv_warnings)
endif()
