# core/cli
libcbcore_la_SOURCES +=
