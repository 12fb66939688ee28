# core/acme: base64url, JWS, the ACME client (client.h is the public header;
# session.h is shared by the client's files only)
libcbcore_la_SOURCES += \
	core/acme/b64.c core/acme/b64.h \
	core/acme/jws.c core/acme/jws.h \
	core/acme/client.h core/acme/session.h \
	core/acme/session.c core/acme/account.c \
	core/acme/order.c core/acme/authz.c
