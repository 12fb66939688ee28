# core/lifecycle
libcbcore_la_SOURCES +=
