# core/crypto: keys, CSRs, certificates
libcbcore_la_SOURCES += \
	core/crypto/key.c core/crypto/key.h \
	core/crypto/csr.c core/crypto/csr.h \
	core/crypto/cert.c core/crypto/cert.h
