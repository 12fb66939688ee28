# core/storage
libcbcore_la_SOURCES += \
	core/storage/fsutil.c core/storage/fsutil.h \
	core/storage/configobj.c core/storage/configobj.h
