# core/cmd
libcbcore_la_SOURCES +=
libcbcore_la_SOURCES += core/cmd/cmd.h \
	core/cmd/certonly.c core/cmd/register.c core/cmd/certificates.c \
	core/cmd/unimplemented.c
libcbcore_la_SOURCES += core/cmd/plugins.c
libcbcore_la_SOURCES += core/cmd/revoke.c core/cmd/delete.c \
	core/cmd/update_account.c core/cmd/unregister.c core/cmd/show_account.c
libcbcore_la_SOURCES += core/cmd/certonly_csr.c core/cmd/certonly_csr.h
libcbcore_la_SOURCES += core/cmd/renew.c core/cmd/reconfigure.c
libcbcore_la_SOURCES += core/cmd/run.c core/cmd/certonly_flow.h
