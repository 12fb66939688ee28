#!/bin/bash
# CLI surface without a CA: --version, --help, -h commands, help <verb>,
# argument errors, and the `plugins` verb.
# SPEC 1, 2, 5.1, 5.7; acceptance A-001, A-002, A-005, A-006, A-008, A-009,
# A-010, A-028, A-260, A-261, A-263.
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

have_certbot || skip_all "certbot under test not found: $CERTBOT"
new_dirs
DIRS=(--config-dir "$C" --work-dir "$W" --logs-dir "$L")

# ------------------------------------------------------------ --version
run certbot_bare --version "${DIRS[@]}"
is "$RC" 0 "A-001 --version exits 0"
like "$OUT" '^certbot [0-9]+\.[0-9]+\.[0-9]+$' "A-001 --version prints 'certbot X.Y.Z'"
is "$(wc -l <"$T/last.out")" 1 "A-001 --version prints exactly one line"
is "$ERR" "" "A-001 --version prints nothing on stderr"
ok "A-001 --version creates no config/work/logs dirs" \
    test ! -e "$C" -a ! -e "$W" -a ! -e "$L"
if [ "$CERTBOT" = "${top_builddir}/certbot" ] && [ -r "$top_builddir/config.h" ]; then
    pv=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")
    is "$OUT" "certbot $pv" "A-001 --version reports the configured version ($pv)"
fi

# --------------------------------------------------------------- --help
run certbot_bare --help "${DIRS[@]}"
is "$RC" 0 "A-002 --help exits 0"
for s in 'certbot [SUBCOMMAND] [options] [-d DOMAIN] [-d DOMAIN] ...' \
         'obtain, install, and renew certificates:' \
         'manage certificates:' \
         'manage your account:' \
         '-h all'; do
    has "$OUT" "$s" "A-002 --help shows '$s'"
done

# ------------------------------------------------------- -h commands
run certbot_bare -h commands "${DIRS[@]}"
is "$RC" 0 "A-005 -h commands exits 0"
for v in certificates certonly delete enhance install plugins reconfigure \
         register renew revoke rollback 'run \(default\)' show_account \
         unregister update_account; do
    case $v in
        reconfigure) v56 like "$OUT" "^${v}[[:space:]]+[A-Z]" "A-005 -h commands lists '$v' [5.6]" ;;
        *) like "$OUT" "^${v}[[:space:]]+[A-Z]" "A-005 -h commands lists '${v//\\/}'" ;;
    esac
done
v56 unlike "$OUT" '^update_symlinks' "A-005 -h commands no longer lists update_symlinks [5.6]"

# --------------------------------------------------- help VERB rewrite
run certbot_bare --help renew "${DIRS[@]}"
help_renew=$OUT
is "$RC" 0 "A-006 --help renew exits 0"
has "$OUT" "certbot renew [--cert-name CERTNAME] [options]" "A-006 --help renew shows the renew usage"
has "$OUT" "--pre-hook" "A-006 --help renew documents --pre-hook"
run certbot_bare help renew "${DIRS[@]}"
is "$RC" 0 "A-006 'help renew' exits 0"
is "$OUT" "$help_renew" "A-006 'help renew' prints the same as '--help renew'"

# ------------------------------------------------------ argument errors
run certbot_bare --bogus-flag "${DIRS[@]}"
is "$RC" 2 "A-008 unknown flag exits 2"
is "$(tail -n 1 "$T/last.err")" "certbot: error: unrecognized arguments: --bogus-flag" \
    "A-008 stderr ends with 'certbot: error: unrecognized arguments: --bogus-flag'"
is "$OUT" "" "A-008 nothing on stdout"
ok "A-008 nothing created in config/work/logs dirs" test ! -e "$C" -a ! -e "$W" -a ! -e "$L"

run certbot_bare update_symlinks "${DIRS[@]}"
v56 is "$RC" 2 "A-009 removed verb update_symlinks exits 2 [5.6]"
v56 like "$ERR" '^certbot: error: unrecognized arguments: update_symlinks$' \
    "A-009 update_symlinks is an unrecognized argument [5.6]"
rm -rf "$C" "$W" "$L"

run certbot_bare certonly --key-type failwhale "${DIRS[@]}"
is "$RC" 2 "A-010 --key-type failwhale exits 2"
like "$ERR" "invalid choice: 'failwhale'" "A-010 error names the invalid choice"
run certbot_bare certonly --elliptic-curve prime256v1 "${DIRS[@]}"
is "$RC" 2 "A-010 --elliptic-curve prime256v1 exits 2"
like "$ERR" "invalid choice: 'prime256v1'" "A-010 error names the invalid curve"
ok "A-010 rejected arguments leave no config/work/logs dirs" \
    test ! -e "$C/live" -a ! -e "$C/accounts"
rm -rf "$C" "$W" "$L"

# -------------------------------------------------------------- plugins
run certbot_bare plugins "${DIRS[@]}"
is "$RC" 0 "A-260 plugins exits 0" || show_run
has_line "$ERR" "Saving debug log to $L/letsencrypt.log" "A-028 plugins prints 'Saving debug log to' on stderr"
has_line "$OUT" "* standalone" "A-260 plugins lists '* standalone'"
# The webroot plugin arrives with issue 3; until its .so is built, the
# webroot checks are skipped (never when testing Python certbot).
have_webroot=1
if [ "$CERTBOT" != /usr/bin/certbot ] && [ -d "${CERTBOT_PLUGIN_PATH:-}" ] &&
    [ ! -e "$CERTBOT_PLUGIN_PATH/webroot.so" ]; then
    have_webroot=0
fi
if [ "$have_webroot" = 1 ]; then
    has_line "$OUT" "* webroot" "A-260 plugins lists '* webroot'"
else
    skip "webroot plugin not built yet (issue 3)"
fi
unlike "$OUT" '^\* (manual|null)$' "A-260 plugins hides manual and null"
# the standalone block: lines after "* standalone" up to the next blank line
sa_block=$(sed -n '/^\* standalone$/,/^$/p' "$T/last.out")
# Certbot wraps the listing at 80 columns: compare the unwrapped text.
unwrap_desc() {
    awk '/^Description: /{d=$0; w=1; next}
         w && /^(Interfaces|Entry point|Error): /{print d; w=0}
         w {d=d " " $0}'
}
sa_desc=$(printf '%s\n' "$sa_block" | unwrap_desc)
v56 has_line "$sa_desc" "Description: Runs an HTTP server locally which serves the necessary validation files under the /.well-known/acme-challenge/ request path. Suitable if there is no HTTP server already running. HTTP challenge only (wildcards not supported)." \
    "A-260 standalone Description: is the 5.6 text [5.6]"
like "$sa_block" '^Description: .+' "A-260 standalone block has a Description: line"
has_line "$sa_block" "Interfaces: Authenticator, Plugin" "A-260 standalone Interfaces: Authenticator, Plugin"
like "$sa_block" '^Entry point: .+' "A-260 standalone block has an Entry point: line"
wr_block=$(sed -n '/^\* webroot$/,/^$/p' "$T/last.out")
if [ "$have_webroot" = 1 ]; then
    wr_desc=$(printf '%s\n' "$wr_block" | unwrap_desc)
    v56 has_line "$wr_desc" "Description: Saves the necessary validation files to a .well-known/acme-challenge/ directory within the nominated webroot path. A separate HTTP server must be running and serving files from the webroot path. HTTP challenge only (wildcards not supported)." \
        "A-260 webroot Description: is the 5.6 text [5.6]"
    has_line "$wr_block" "Interfaces: Authenticator, Plugin" "A-260 webroot Interfaces: Authenticator, Plugin"
else
    skip "webroot plugin not built yet (issue 3)" 2
fi
is "$(grep -cxF -- "$FRAME" "$T/last.out")" 2 "A-260 plugins output is framed by two '- - -' lines"
like "$(sed -n '/^\* standalone$/{n;p}' "$T/last.out")" '^Description: ' \
    "A-260 Description: directly follows the '* name' line"

run certbot_bare plugins --authenticators "${DIRS[@]}"
is "$RC" 0 "A-261 plugins --authenticators exits 0"
has_line "$OUT" "* standalone" "A-261 --authenticators lists standalone"
run certbot_bare plugins --installers "${DIRS[@]}"
is "$RC" 0 "A-261 plugins --installers exits 0"
hasnt "$OUT" "* standalone" "A-261 --installers omits the authenticator-only standalone"
hasnt "$OUT" "* webroot" "A-261 --installers omits webroot"

# A-263: unprivileged, default (unwritable) dirs
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
    skip "A-263 needs root and setpriv to drop privileges" 2
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "${CERTBOT_CMD[0]}"; then
    skip "A-263 $CERTBOT is not executable by uid 65534" 2
else
    mkdir -p "$T/nobody-home"
    chown 65534:65534 "$T/nobody-home"
    run setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME="$T/nobody-home" TMPDIR="$T/nobody-home" \
        timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" plugins
    is "$RC" 0 "A-263 plugins as an unprivileged user with default dirs exits 0" || show_run
    has_line "$OUT" "* standalone" "A-263 ...and still lists standalone"
fi

done_testing
