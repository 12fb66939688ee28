# Built-in plugins: each builds <name>.so (a libtool module) that exports
# only certbot_plugin_desc and links nothing of the core.
plugin_LTLIBRARIES += standalone.la null.la webroot.la manual.la

standalone_la_SOURCES = plugins-builtin/standalone/standalone.c
# The server runs on its own thread between perform and cleanup.
standalone_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS) -pthread
standalone_la_LDFLAGS = $(PLUGIN_LINK_FLAGS) -pthread

null_la_SOURCES = plugins-builtin/null/null.c
null_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
null_la_LDFLAGS = $(PLUGIN_LINK_FLAGS)

webroot_la_SOURCES = plugins-builtin/webroot/webroot.c
webroot_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS) $(JANSSON_CFLAGS)
webroot_la_LDFLAGS = $(PLUGIN_LINK_FLAGS)
webroot_la_LIBADD = $(JANSSON_LIBS)

manual_la_SOURCES = plugins-builtin/manual/manual.c
manual_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
manual_la_LDFLAGS = $(PLUGIN_LINK_FLAGS)

# Tests find plugins through CERTBOT_PLUGIN_PATH=$(abs_top_builddir)/
# tests/plugins: a directory of symlinks to every built module, rebuilt
# whenever a module changes (so a removed plugin disappears too).  The
# modes are tightened because, run as root, the loader refuses group- or
# world-writable plugins (whatever the builder's umask was).
check_DATA = tests/plugins.stamp
tests/plugins.stamp: $(plugin_LTLIBRARIES)
	$(AM_V_GEN)rm -rf tests/plugins && $(MKDIR_P) tests/plugins && \
	chmod 0755 tests/plugins && \
	for la in $(plugin_LTLIBRARIES); do \
	    n=`basename $$la .la`; \
	    case $$la in \
	    */*) so="$(abs_top_builddir)/$${la%/*}/.libs/$$n.so" ;; \
	    *) so="$(abs_top_builddir)/.libs/$$n.so" ;; \
	    esac; \
	    chmod go-w "$$so" && \
	    ln -s "$$so" "tests/plugins/$$n.so" || exit 1; \
	done && touch $@
CLEANFILES += tests/plugins.stamp
clean-local: clean-local-plugins
clean-local-plugins:
	-rm -rf tests/plugins
.PHONY: clean-local-plugins

# ---- tests of the built-in plugins and of the plugin ABI -------------
check_PROGRAMS += tests/unit/test_standalone
tests_unit_test_standalone_SOURCES = tests/unit/test_standalone.c
tests_unit_test_standalone_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_standalone_LDADD = $(UNIT_LINK) $(DL_LIBS)
TESTS += tests/unit/test_standalone

# webroot's -w/-d resolution lives in the core (core/cli/webroot_args.c)
check_PROGRAMS += tests/unit/test_webroot_args
tests_unit_test_webroot_args_SOURCES = tests/unit/test_webroot_args.c
tests_unit_test_webroot_args_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_webroot_args_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_webroot_args

# The ABI 1.0 layout, pinned against the frozen headers and the current.
check_PROGRAMS += tests/abi/test_layout10 tests/abi/test_layout
tests_abi_test_layout10_SOURCES = tests/abi/test_layout.c
tests_abi_test_layout10_CPPFLAGS = -D_GNU_SOURCE -DCB_LAYOUT_FROZEN \
	-I$(top_srcdir)/tests/abi/1.0 -I$(top_srcdir)/tests/unit
tests_abi_test_layout10_CFLAGS = $(AM_CFLAGS)
tests_abi_test_layout_SOURCES = tests/abi/test_layout.c
tests_abi_test_layout_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_abi_test_layout_CFLAGS = $(AM_CFLAGS)
TESTS += tests/abi/test_layout10 tests/abi/test_layout

# Fixture plugins: built into tests/abi/.libs (never tests/plugins), each
# named for what the loader must say about it.
ABI_FIXTURE_LDFLAGS = -module -avoid-version -shared -rpath /nowhere \
	$(SAN_LDFLAGS)
check_LTLIBRARIES += tests/abi/abi-valid.la tests/abi/abi-frozen10.la \
	tests/abi/abi-major.la tests/abi/abi-minor.la tests/abi/abi-nodesc.la \
	tests/abi/abi-badname.la tests/abi/abi-mismatch.la \
	tests/abi/abi-noops.la tests/abi/abi-undef.la tests/abi/abi-dns.la \
	tests/abi/http.la
tests_abi_abi_valid_la_SOURCES = tests/abi/fixtures/abi-valid.c
tests_abi_abi_valid_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_valid_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_frozen10_la_SOURCES = tests/abi/fixtures/abi-frozen10.c
# Only the frozen 1.0 headers: no sdk/include on the path.
tests_abi_abi_frozen10_la_CPPFLAGS = -I$(top_srcdir)/tests/abi/1.0
tests_abi_abi_frozen10_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_frozen10_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_major_la_SOURCES = tests/abi/fixtures/abi-major.c
tests_abi_abi_major_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_major_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_minor_la_SOURCES = tests/abi/fixtures/abi-minor.c
tests_abi_abi_minor_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_minor_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_nodesc_la_SOURCES = tests/abi/fixtures/abi-nodesc.c
tests_abi_abi_nodesc_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_nodesc_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_badname_la_SOURCES = tests/abi/fixtures/abi-badname.c
tests_abi_abi_badname_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_badname_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_mismatch_la_SOURCES = tests/abi/fixtures/abi-mismatch.c
tests_abi_abi_mismatch_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_mismatch_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_noops_la_SOURCES = tests/abi/fixtures/abi-noops.c
tests_abi_abi_noops_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_noops_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_undef_la_SOURCES = tests/abi/fixtures/abi-undef.c
tests_abi_abi_undef_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_undef_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_abi_abi_dns_la_SOURCES = tests/abi/fixtures/abi-dns.c
tests_abi_abi_dns_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_abi_dns_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
# Named "http" so its --http-01-port clashes with the core flag.
tests_abi_http_la_SOURCES = tests/abi/fixtures/http.c
tests_abi_http_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
tests_abi_http_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)

# The out-of-tree proof: stage the SDK, build examples/dns-example with its
# own Makefile, load it with plugin_probe (which links the core).
check_PROGRAMS += tests/abi/plugin_probe
tests_abi_plugin_probe_SOURCES = tests/abi/plugin_probe.c
tests_abi_plugin_probe_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_abi_plugin_probe_LDADD = $(UNIT_LINK)

TESTS += tests/abi/plugins-nm.sh tests/abi/out-of-tree.sh
EXTRA_DIST += tests/abi/plugins-nm.sh tests/abi/out-of-tree.sh \
	examples/dns-example/Makefile examples/dns-example/dns_example.c \
	examples/dns-example/README.md docs/plugin-abi.md \
	tests/abi/fixtures/common.h \
	tests/abi/1.0/certbot/abi.h tests/abi/1.0/certbot/authenticator.h \
	tests/abi/1.0/certbot/dns.h tests/abi/1.0/certbot/host.h \
	tests/abi/1.0/certbot/installer.h tests/abi/1.0/certbot/options.h \
	tests/abi/1.0/certbot/plugin.h tests/abi/1.0/certbot/status.h
