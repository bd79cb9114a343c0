# SPDX-License-Identifier: Apache-2.0
# Installs eventscope_core as the CMake package EventScope (component Development):
#   <prefix>/lib/libeventscope_core.a
#   <prefix>/include/eventscope/<subdir>/<header>.h       every header the core's CMakeLists.txt files list
#   <prefix>/lib/cmake/EventScope/EventScope{Config,ConfigVersion,Targets*}.cmake
# A project then writes `find_package(EventScope 0.1 REQUIRED)` and links `EventScope::core`.
#
# The headers include each other relative to core/ ("engine/engine.h"), so the imported target puts both
# include/ (for `#include <eventscope/engine/engine.h>`) and include/eventscope/ (for those internal includes) on
# the include path. Included from core/CMakeLists.txt after all its subdirectories added their sources.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(EVENTSCOPE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/EventScope"
    CACHE STRING "Where the EventScope CMake package files go, relative to the install prefix")
mark_as_advanced(EVENTSCOPE_INSTALL_CMAKEDIR)

# Every header listed in target_sources(eventscope_core …), keeping its path below core/.
get_target_property(_eventscope_core_sources eventscope_core SOURCES)
set(_eventscope_core_headers)
foreach(_source IN LISTS _eventscope_core_sources)
    if(_source MATCHES "\\.h$")
        cmake_path(ABSOLUTE_PATH _source BASE_DIRECTORY "${PROJECT_SOURCE_DIR}/core")
        list(APPEND _eventscope_core_headers "${_source}")
    endif()
endforeach()
target_sources(eventscope_core PUBLIC
    FILE_SET HEADERS BASE_DIRS "${PROJECT_SOURCE_DIR}/core" FILES ${_eventscope_core_headers})

set_target_properties(eventscope_core PROPERTIES EXPORT_NAME core)
install(TARGETS eventscope_core EXPORT EventScopeTargets
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT Development
    FILE_SET HEADERS DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/eventscope" COMPONENT Development
    INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" "${CMAKE_INSTALL_INCLUDEDIR}/eventscope")
install(EXPORT EventScopeTargets
    NAMESPACE EventScope::
    DESTINATION "${EVENTSCOPE_INSTALL_CMAKEDIR}"
    COMPONENT Development)

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/EventScopeConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/EventScopeConfig.cmake"
    INSTALL_DESTINATION "${EVENTSCOPE_INSTALL_CMAKEDIR}")
# 0.x: a minor release may break the API, so 0.1 accepts 0.1.y only (from 1.0 on: SameMajorVersion).
write_basic_package_version_file("${PROJECT_BINARY_DIR}/EventScopeConfigVersion.cmake"
    VERSION "${PROJECT_VERSION}"
    COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/EventScopeConfig.cmake" "${PROJECT_BINARY_DIR}/EventScopeConfigVersion.cmake"
    DESTINATION "${EVENTSCOPE_INSTALL_CMAKEDIR}"
    COMPONENT Development)
