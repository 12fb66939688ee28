# Built-in plugins: each builds <name>.so (a libtool module) that exports
# only certbot_plugin_desc and links nothing of the core.
plugin_LTLIBRARIES += standalone.la null.la

standalone_la_SOURCES = plugins-builtin/standalone/standalone.c
# The server runs on its own thread between perform and cleanup.
standalone_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS) -pthread
standalone_la_LDFLAGS = $(PLUGIN_LINK_FLAGS) -pthread

null_la_SOURCES = plugins-builtin/null/null.c
null_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)
null_la_LDFLAGS = $(PLUGIN_LINK_FLAGS)

# Tests find plugins through CERTBOT_PLUGIN_PATH=$(abs_top_builddir)/
# tests/plugins: a directory of symlinks to every built module, rebuilt
# whenever a module changes (so a removed plugin disappears too).
check_DATA = tests/plugins.stamp
tests/plugins.stamp: $(plugin_LTLIBRARIES)
	$(AM_V_GEN)rm -rf tests/plugins && $(MKDIR_P) tests/plugins && \
	for la in $(plugin_LTLIBRARIES); do \
	    n=`basename $$la .la`; \
	    ln -s "$(abs_top_builddir)/`dirname $$la`/.libs/$$n.so" \
	        "tests/plugins/$$n.so" || exit 1; \
	done && touch $@
CLEANFILES += tests/plugins.stamp
clean-local: clean-local-plugins
clean-local-plugins:
	-rm -rf tests/plugins
.PHONY: clean-local-plugins
