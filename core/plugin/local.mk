# core/plugin: discovery (loader), the host services table, instances,
# the generic DNS-01 authenticator and option registration.
libcbcore_la_SOURCES += \
	core/plugin/loader.c core/plugin/loader.h \
	core/plugin/host.c core/plugin/host.h \
	core/plugin/instance.c core/plugin/instance.h \
	core/plugin/dns.c core/plugin/dns.h \
	core/plugin/options.c
