# core/util: error convention, small containers, logging, display, HTTP
libcbcore_la_SOURCES += \
	core/util/err.c core/util/err.h \
	core/util/strvec.c core/util/strvec.h \
	core/util/interrupt.c core/util/interrupt.h \
	core/util/pyrepr.c core/util/pyrepr.h
# core/util/log.c, display.c (cli room)
libcbcore_la_SOURCES += core/util/log.c core/util/log.h \
	core/util/display.c core/util/display.h
# core/util/http.c (acme room)
libcbcore_la_SOURCES += core/util/http.c core/util/http.h \
	core/util/curl_lazy.c core/util/curl_lazy.h
