# SPDX-License-Identifier: Apache-2.0
# dv_risk_bench: weakest links on the demo federation and on a synthetic graph
# of 100,000 nodes and 1,000,000 edges; igraph (Debian libigraph-dev), when
# present, is timed beside it for a graph measure.
if(TARGET dv_risk AND TARGET dv_federation)
  add_executable(dv_risk_bench ${CMAKE_CURRENT_SOURCE_DIR}/risk_bench.cpp)
  target_link_libraries(dv_risk_bench PRIVATE dv_risk dv_federation Threads::Threads dv_warnings)
  pkg_check_modules(IGRAPH IMPORTED_TARGET igraph)
  if(IGRAPH_FOUND)
    target_link_libraries(dv_risk_bench PRIVATE PkgConfig::IGRAPH)
    target_compile_definitions(dv_risk_bench PRIVATE DV_HAVE_IGRAPH=1)
  endif()
endif()
