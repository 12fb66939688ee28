# core/util: error convention, small containers, logging, display, HTTP
libcbcore_la_SOURCES += \
	core/util/err.c core/util/err.h \
	core/util/strvec.c core/util/strvec.h \
	core/util/interrupt.c core/util/interrupt.h \
	core/util/forkmap.c core/util/forkmap.h \
	core/util/tempfile.c core/util/tempfile.h \
	core/util/fdio.c core/util/fdio.h \
	core/util/pyrepr.c core/util/pyrepr.h
# core/util/log.c, display.c (cli room)
libcbcore_la_SOURCES += core/util/log.c core/util/log.h \
	core/util/display.c core/util/display.h \
	core/util/out_capture.c core/util/out_capture.h
check_PROGRAMS += tests/unit/test_out_capture
tests_unit_test_out_capture_SOURCES = tests/unit/test_out_capture.c
tests_unit_test_out_capture_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_out_capture_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_out_capture

check_PROGRAMS += tests/unit/test_forkmap
tests_unit_test_forkmap_SOURCES = tests/unit/test_forkmap.c
tests_unit_test_forkmap_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_forkmap_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_forkmap
# core/util/http.c (acme room)
libcbcore_la_SOURCES += core/util/http.c core/util/http.h \
	core/util/curl_lazy.c core/util/curl_lazy.h
