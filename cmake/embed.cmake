# SPDX-License-Identifier: Apache-2.0
# dv_embed(TARGET NAMESPACE NAME FILES...): compiles files into the target as
# `std::string_view NAMESPACE::NAME(std::string_view file_name)` lookups, so the
# binary runs from any directory without data files beside it.
function(dv_embed target ns fn)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${fn}_embedded.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} -DFN=${fn} "-DFILES=${ARGN}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake"
    DEPENDS ${ARGN} "${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake"
    COMMENT "Embedding ${fn}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
  # Data, not code: compiled on its own in unity builds.
  set_source_files_properties("${out}" PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()
