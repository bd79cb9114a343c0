# SPDX-License-Identifier: Apache-2.0
# CPack pre-build script: strips the debug information from the static libraries in CPack's staging tree, as
# Debian's dh_strip does. CPACK_STRIP_FILES strips only executables and shared libraries, and the RelWithDebInfo
# libeventscope_core.a would otherwise make eventscope-dev some 45 MB (195 MB installed).
if(NOT CPACK_EVENTSCOPE_STRIP)
    return()
endif()
file(GLOB_RECURSE _archives LIST_DIRECTORIES false "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*.a")
foreach(_archive IN LISTS _archives)
    execute_process(COMMAND "${CPACK_EVENTSCOPE_STRIP}" --strip-debug "${_archive}" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "could not strip the debug information from ${_archive} (${_rc})")
    endif()
endforeach()
