# core/acme
libcbcore_la_SOURCES +=
