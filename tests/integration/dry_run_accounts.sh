#!/bin/bash
# A dry run against a second CA: with an account stored for server A,
# `certonly -n --dry-run --server B` registers on B without asking for the
# terms or an email (Certbot sets tos and register_unsafely_without_email
# when accounts exist) and succeeds; A's account is left alone.
# SPEC 4.8; acceptance A-173.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env
A_URL=$PEBBLE_DIR_URL A_HTTP=$HTTP_PORT
keep_C=$C keep_W=$W keep_L=$L
pebble_start || bail_out "cannot start a second pebble"
B_URL=$PEBBLE_DIR_URL B_HTTP=$HTTP_PORT
C=$keep_C W=$keep_W L=$keep_L
isnt "$B_URL" "$A_URL" "setup: two pebbles"

PEBBLE_DIR_URL=$A_URL HTTP_PORT=$A_HTTP
run cbn certonly --standalone -d a1.test
is "$RC" 0 "setup: an account and a lineage on server A" || show_run
host_a=$(sed 's#https://##; s#/.*##' <<<"$A_URL")
host_b=$(sed 's#https://##; s#/.*##' <<<"$B_URL")
acct_a=$(find "$C/accounts" -path "*$host_a*" -name regr.json | wc -l)

PEBBLE_DIR_URL=$B_URL HTTP_PORT=$B_HTTP
run cb -n certonly --dry-run --standalone -d d1.test
is "$RC" 0 "A-173 dry run on server B without --agree-tos or -m succeeds" || show_run
hasnt "$OUT$ERR" "Terms of Service" "A-173 ... without asking for the terms"
has "$OUT" "The dry run was successful." "A-173 ... and says the dry run worked"
is "$(find "$C/accounts" -path "*$host_b*" -name regr.json | wc -l)" 1 \
    "A-173 an account was registered on B"
regr=$(find "$C/accounts" -path "*$host_b*" -name regr.json | head -n 1)
hasnt "$(cat "$regr" 2>/dev/null)" "mailto:" "A-173 ... without contact"
is "$(find "$C/accounts" -path "*$host_a*" -name regr.json | wc -l)" "$acct_a" \
    "A-173 A's account is untouched"
ok "A-173 the dry run wrote no lineage" test ! -e "$C/renewal/d1.test.conf"

done_testing
