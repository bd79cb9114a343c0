# SPDX-License-Identifier: Apache-2.0
# Warnings and Qt defines shared by every EventScope target.

add_library(eventscope_settings INTERFACE)
target_compile_options(eventscope_settings INTERFACE -Wall -Wextra -Wpedantic)
target_compile_definitions(eventscope_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    EVENTSCOPE_VERSION="${PROJECT_VERSION}")

option(EVENTSCOPE_WERROR "Treat warnings as errors" OFF)
if(EVENTSCOPE_WERROR)
    target_compile_options(eventscope_settings INTERFACE -Werror)
endif()
