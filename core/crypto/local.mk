# core/crypto: keys, CSRs, certificates
libcbcore_la_SOURCES += \
	core/crypto/key.c core/crypto/key.h \
	core/crypto/rsa_keygen.c core/crypto/rsa_keygen.h \
	core/crypto/csr.c core/crypto/csr.h \
	core/crypto/cert.c core/crypto/cert.h \
	core/crypto/x509_lite.c core/crypto/x509_lite.h \
	core/crypto/ocsp.c core/crypto/ocsp.h

check_PROGRAMS += tests/unit/test_key
tests_unit_test_key_SOURCES = tests/unit/test_key.c
tests_unit_test_key_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_key_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_key

check_PROGRAMS += tests/unit/test_csr
tests_unit_test_csr_SOURCES = tests/unit/test_csr.c
tests_unit_test_csr_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_csr_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_csr

check_PROGRAMS += tests/unit/test_cert
tests_unit_test_cert_SOURCES = tests/unit/test_cert.c tests/unit/test_acme_certgen.h
tests_unit_test_cert_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_cert_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_cert
