#!/usr/bin/env bash
# The out-of-tree plugin used for real: stage the SDK with "make install
# DESTDIR=", build examples/dns-example with nothing but its own Makefile
# and pkg-config, "make install DESTDIR=" it, point CERTBOT_PLUGIN_PATH at
# the installed plugin directory and obtain a certificate from pebble
# through a mock of the imaginary Example DNS API (tests/mocks/
# example_dns.py, which publishes the records in pebble-challtestsrv).
# A-265 (a third-party plugin is listed and used), A-279.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/mocks/mocklib.sh"

require_python3
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
command -v pkg-config >/dev/null 2>&1 || skip_all "pkg-config not installed"
pkg-config --exists jansson || skip_all "jansson's pkg-config file missing"
MAKE=${MAKE:-make}

# ----------------------------------------------------- 1. stage the SDK
stage=$T/stage
"$MAKE" -s -C "$top_builddir" install-sdkincHEADERS install-pkgconfigDATA \
    DESTDIR="$stage" >"$T/sdk.log" 2>&1
is "$?" 0 "SDK staged with make install DESTDIR" ||
    diag "$(tail -n 20 "$T/sdk.log")"
pc=$(find "$stage" -name certbot-plugin-1.pc | head -n 1)
[ -n "$pc" ] || bail_out "certbot-plugin-1.pc was not staged"
export PKG_CONFIG_PATH="$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export PKG_CONFIG_SYSROOT_DIR=$stage

# ------------------------------------- 2. build and install the example
mkdir -p "$T/build"
run "$MAKE" -C "$T/build" -f "$top_srcdir/examples/dns-example/Makefile" \
    srcdir="$top_srcdir/examples/dns-example" CC="${CC:-cc}" \
    CFLAGS="-O2 -Wall -Wextra -Werror"
is "$RC" 0 "examples/dns-example builds with its Makefile and pkg-config only" ||
    show_run
run "$MAKE" -C "$T/build" -f "$top_srcdir/examples/dns-example/Makefile" \
    srcdir="$top_srcdir/examples/dns-example" install DESTDIR="$T/inst"
is "$RC" 0 "make install DESTDIR= installs it" || show_run
so=$(find "$T/inst" -name dns-example.so | head -n 1)
plugindir=$(pkg-config --variable=plugindir certbot-plugin-1)
like "$so" "/certbot/plugins/dns-example\.so$" \
    "installed into pkg-config's plugindir ($plugindir)"
[ -n "$so" ] || bail_out "dns-example.so was not installed"
is "$(mode_of "$so")" 644 "installed mode 0644"
# Only the installed plugin directory: the build tree's plugins are not
# needed for this run.
export CERTBOT_PLUGIN_PATH=$(dirname "$so")

run certbot_bare plugins --config-dir "$T/pc" --work-dir "$T/pw" \
    --logs-dir "$T/pl"
has_line "$OUT" "* dns-example" "A-265 certbot plugins lists the installed plugin"
run certbot_bare --help dns-example
has "$OUT" "--dns-example-propagation-seconds" \
    "the core gave the dns table its propagation flag"

# --------------------------------------------- 3. a real issuance
# pebble reuses valid authorizations at random unless told not to: the
# renewal below must solve its challenges again.
export PEBBLE_AUTHZREUSE=0
require_pebble_env
TOKEN=ex-token-$RANDOM$RANDOM
mock_start ex example_dns.py --token "$TOKEN" ||
    bail_out "Example DNS mock did not start"
ST=$MOCK_DIR/ex.state.json
LOG=$MOCK_DIR/ex.log
jqs() { jq -r "$@" "$ST"; }
printf 'dns_example_api_token = %s\n' "$TOKEN" >"$T/ex.ini"
chmod 0600 "$T/ex.ini"
printf 'dns_example_api_token = wrong\n' >"$T/bad.ini"
chmod 0600 "$T/bad.ini"

run cbn certonly -a dns-example --dns-example-credentials "$T/ex.ini" \
    --dns-example-endpoint "https://127.0.0.1:$MOCK_PORT/v1" \
    --dns-example-propagation-seconds 0 -d ex.test -d '*.ex.test'
is "$RC" 0 "A-265 certonly -a dns-example obtains a certificate" || show_run
is "$(san_list "$C/live/ex.test/cert.pem" | tr '\n' ' ')" "*.ex.test ex.test " \
    "the certificate covers the wildcard and the base name"
is "$(jqs '[.created[] | "\(.type) \(.name)"] | unique | join(",")')" \
    "TXT _acme-challenge.ex.test" "two TXT records POSTed for _acme-challenge.ex.test"
is "$(jqs '.created | length')" 2 "one POST per challenge"
is "$(jqs '[.deleted[].content] | sort | join(",")')" \
    "$(jqs '[.created[].content] | sort | join(",")')" \
    "cleanup DELETEd exactly what was created"
is "$(jqs '.records | length')" 0 "no record left at the provider"
is "$(jq -r '.auth' "$LOG" | sort -u | tr '\n' ' ')" "bearer " \
    "every call carried the Bearer token"
RCONF=$C/renewal/ex.test.conf
is "$(conf_get "$RCONF" authenticator renewalparams)" dns-example \
    "renewal conf: authenticator = dns-example"
is "$(conf_get "$RCONF" dns_example_endpoint renewalparams)" \
    "https://127.0.0.1:$MOCK_PORT/v1" "renewal conf: the plugin's own option saved"
ok "the token is not in the renewal conf or the log" \
    bash -c "! grep -rqF -- '$TOKEN' '$C/renewal' '$L'"

# With an account that never validated these names: pebble reuses an
# account's valid authorization about 1 time in 100 even with
# PEBBLE_AUTHZREUSE=0, and then no record would be created.
acct=$(fresh_account) || bail_out "could not register a fresh account"
run cb renew --force-renewal --cert-name ex.test --account "$acct"
is "$RC" 0 "renew with the stored third-party plugin and options" || show_run
is "$(jqs '.created | length')" 4 "renew created two more records"
is "$(jqs '.records | length')" 0 "and removed them"
drop_account "$acct"

run cbn certonly -a dns-example --dns-example-credentials "$T/bad.ini" \
    --dns-example-endpoint "https://127.0.0.1:$MOCK_PORT/v1" \
    --dns-example-propagation-seconds 0 -d bad.ex.test
is "$RC" 1 "A-279 wrong token: exit 1"
has "$ERR" "Example DNS API returned HTTP 401 for POST _acme-challenge.bad.ex.test" \
    "A-279 wrong token: the plugin's message"

# ABI 1.1's credentials_require: Certbot's labelled message
printf '# no token\n' >"$T/empty.ini"
chmod 0600 "$T/empty.ini"
run cbn certonly -a dns-example --dns-example-credentials "$T/empty.ini" \
    --dns-example-endpoint "https://127.0.0.1:$MOCK_PORT/v1" \
    --dns-example-propagation-seconds 0 -d none.ex.test
is "$RC" 1 "A-271 no api token: exit 1"
has "$ERR" "Missing property in credentials configuration file $T/empty.ini:" \
    "A-271 Missing property ..."
has "$ERR" '* Property "dns_example_api_token" not found (should be Example API token).' \
    "A-271 ... naming the key and its label"

done_testing
