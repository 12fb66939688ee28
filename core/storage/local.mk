# core/storage
libcbcore_la_SOURCES +=
