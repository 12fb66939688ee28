# core/plugin
libcbcore_la_SOURCES +=
