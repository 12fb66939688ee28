# core/crypto
libcbcore_la_SOURCES +=
