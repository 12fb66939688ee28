# core/cmd
libcbcore_la_SOURCES +=
