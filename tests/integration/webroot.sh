#!/bin/bash
# certonly --webroot against pebble, the challenge files served by a real
# nginx on 127.0.0.1:$HTTP_PORT.  SPEC 5.3, 3.3; acceptance A-129,
# A-243, A-244, A-246..A-250.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v nginx >/dev/null 2>&1 || skip_all "nginx not installed"
require_pebble_env

# ------------------------------------------------------------ nginx
# $T/www/<name> for server_name <name> (x.test, y.test, z.test use their
# own roots; anything else uses $T/www/default).
mkdir -p "$T/www/default" "$T/www/x" "$T/www/y" "$T/www/z" "$T/www/a" \
    "$T/www/b"
chmod -R 0755 "$T/www"
nginx_serve "$T/www/default" "    server {
        listen 127.0.0.1:$HTTP_PORT;
        server_name ~^(?<vh>[xyz])\.test\$;
        root $T/www/\$vh;
    }" || bail_out "nginx did not start"

access_log() { cat "$NG/logs/access.log" 2>/dev/null; }

# --------------------------------------------------------- A-243/A-244
# A fresh webroot: both directories are created and removed again.  The
# run happens under umask 077, so modes come from the plugin, not umask.
R=$T/www/default
old_umask=$(umask)
umask 077
run cbn certonly --webroot -w "$R" -d d1.test
umask "$old_umask"
is "$RC" 0 "A-243 certonly --webroot -w <root> -d d1.test exits 0" || show_run
ok "A-243 the lineage d1.test exists" test -s "$C/live/d1.test/fullchain.pem"
as_nobody=
[ "$(id -u)" = 0 ] && as_nobody=" to nginx running as nobody (so file 0644, dirs 0755 under umask 077)"
like "$(access_log)" '^d1\.test /\.well-known/acme-challenge/[A-Za-z0-9_-]+ 200 [0-9]+$' \
    "A-243 the challenge file was served (200) from the webroot$as_nobody"
# the body nginx sent is the key authorization: token.thumbprint(43)
line=$(grep -E '^d1\.test /\.well-known/acme-challenge/' "$NG/logs/access.log" | tail -n 1)
tok=${line#d1.test /.well-known/acme-challenge/}
tok=${tok%% *}
bytes=${line##* }
is "$bytes" "$(( ${#tok} + 1 + 43 ))" \
    "A-243 the served file is exactly the key authorization (token.thumbprint)"
[ "$(id -u)" = 0 ] || skip "not root: nginx cannot drop to nobody, so modes are not checked through it"
ok "A-244 created .well-known removed afterwards" test ! -e "$R/.well-known"
is "$(only_entries "$R")" "" "A-244 the webroot is left as it was"

# A-129: what is saved
conf=$C/renewal/d1.test.conf
has_line "$(cat "$conf")" "authenticator = webroot" "A-129 authenticator = webroot saved"
has_line "$(cat "$conf")" "webroot_path = $R," "A-129 webroot_path = <abs path>, (one-element list)"
has_line "$(cat "$conf")" "[[webroot_map]]" "A-129 a [[webroot_map]] subsection is saved"
has_line "$(cat "$conf")" "d1.test = $R" "A-129 [[webroot_map]] has d1.test = <abs path>"

# A-244: pre-existing directories and files are left alone
mkdir -p "$R/.well-known/acme-challenge"
echo keep >"$R/.well-known/acme-challenge/keep.txt"
run cbn certonly --webroot -w "$R" -d d2.test
is "$RC" 0 "A-244 webroot with an existing acme-challenge dir succeeds" || show_run
is "$(only_entries "$R/.well-known/acme-challenge")" "keep.txt" \
    "A-244 pre-existing dirs kept, other files untouched, token removed"
rm -rf "$R/.well-known"

# only .well-known exists: acme-challenge is created and removed
mkdir -p "$R/.well-known"
run cbn certonly --webroot -w "$R" -d d3.test
is "$RC" 0 "A-244 webroot with only .well-known succeeds" || show_run
is "$(only_entries "$R/.well-known")" "" \
    "A-244 created acme-challenge removed, pre-existing .well-known kept"
ok "A-244 pre-existing .well-known still there" test -d "$R/.well-known"
rm -rf "$R/.well-known"

# a symlink planted at the token's name is never written through: we
# cannot know the token in advance, so check the O_EXCL path indirectly:
# a dangling symlink in acme-challenge stays dangling after a run.
mkdir -p "$R/.well-known/acme-challenge"
ln -s "$T/nowhere" "$R/.well-known/acme-challenge/planted"
run cbn certonly --webroot -w "$R" -d d4.test
is "$RC" 0 "webroot run beside a planted symlink succeeds" || show_run
ok "the planted symlink target was not created" test ! -e "$T/nowhere"
rm -rf "$R/.well-known"

# ------------------------------------------------------------ A-246
# x.test and y.test must land in www/a, z.test in www/b: nginx serves
# x/y/z from www/x, www/y, www/z, so point those at a and b.
rmdir "$T/www/x" "$T/www/y" "$T/www/z"
ln -s a "$T/www/x"
ln -s a "$T/www/y"
ln -s b "$T/www/z"
A=$T/www/a B=$T/www/b
run cbn certonly --webroot -w "$A" -d x.test -d y.test -w "$B" -d z.test
is "$RC" 0 "A-246 -w /a -d x -d y -w /b -d z exits 0 (each name served from its root)" || show_run
conf=$C/renewal/x.test.conf
has_line "$(cat "$conf" 2>/dev/null)" "webroot_path = $A, $B" "A-246 webroot_path = /a, /b"
map=$(sed -n '/^\[\[webroot_map\]\]$/,/^\[/p' "$conf" 2>/dev/null)
has_line "$map" "x.test = $A" "A-246 [[webroot_map]] x.test = /a"
has_line "$map" "y.test = $A" "A-246 [[webroot_map]] y.test = /a"
has_line "$map" "z.test = $B" "A-246 [[webroot_map]] z.test = /b"

# renew restores webroot_path and [[webroot_map]] (SPEC 5.3): the names
# are served from the same roots again, and the conf keeps both
run cb renew --cert-name x.test --force-renewal
is "$RC" 0 "A-129 renew of a webroot lineage restores its map and succeeds" || show_run
ok "A-129 renew made version 2" test -s "$C/archive/x.test/cert2.pem"
has_line "$(cat "$conf" 2>/dev/null)" "webroot_path = $A, $B" "A-129 webroot_path kept by renew"
map=$(sed -n '/^\[\[webroot_map\]\]$/,/^\[/p' "$conf" 2>/dev/null)
has_line "$map" "z.test = $B" "A-129 [[webroot_map]] kept by renew"

# the same with the roots swapped must fail (so the mapping above is
# real); a fresh account, so pebble cannot reuse the valid authorizations
new_dirs
run cbn certonly --webroot -w "$B" -d x.test -w "$A" -d z.test --cert-name swapped
isnt "$RC" 0 "A-246 swapped roots fail validation (the mapping is positional)"

# ------------------------------------------------------------ A-247
run cbn certonly --webroot -d x.test -w "$A" -w "$B" -d y.test
is "$RC" 1 "A-247 a -d before the first of several -w exits 1"
has "$ERR" "If you specify multiple webroot paths, one of them must precede all" \
    "A-247 error names the rule" || show_run
v56 has "$ERR" "must precede all --domain and --ip-address flags" \
    "A-247 the rule names --domain and --ip-address [5.6]"

# ------------------------------------------------------------ A-248
new_dirs
run cbn certonly --webroot --webroot-map "{\"x.test,y.test\": \"$A\"}"
is "$RC" 0 "A-248 --webroot-map alone implies -d for its keys" || show_run
is "$(san_list "$C/live/x.test/cert.pem" | tr '\n' ' ')" "x.test y.test " \
    "A-248 lineage x.test holds x.test and y.test"
map=$(sed -n '/^\[\[webroot_map\]\]$/,/^\[/p' "$C/renewal/x.test.conf" 2>/dev/null)
has_line "$map" "x.test = $A" "A-248 [[webroot_map]] x.test saved"
has_line "$map" "y.test = $A" "A-248 [[webroot_map]] y.test saved"

# ------------------------------------------------------------ A-249
run cbn certonly --webroot -w /does/not/exist -d d1.test
is "$RC" 1 "A-249 -w /does/not/exist exits 1"
has "$ERR" "/does/not/exist does not exist or is not a directory" \
    "A-249 error: <path> does not exist or is not a directory" || show_run
run cbn certonly --webroot --webroot-map '{"d1.test": "/does/not/exist"}'
is "$RC" 1 "A-249 a --webroot-map path that does not exist exits 1"
has "$ERR" "/does/not/exist does not exist or is not a directory" \
    "A-249 --webroot-map path checked too"

# ------------------------------------------------------------ A-250
run cbn certonly --webroot -d d1.test
is "$RC" 1 "A-250 --webroot without -w exits 1 non-interactively"
# Certbot's prompt for a new webroot names no flag (SPEC A-250 expects
# --webroot-path; Certbot 2.1 and current sources do not show it).
has_line "$ERR" "Missing command line flag or config entry for this setting:" \
    "A-250 it is a missing-flag error" || show_run
has_line "$ERR" "Input the webroot for d1.test:" "A-250 ...for the webroot prompt"

# ------------------------------------------------------ prompt (TTY)
# No -w on a terminal: Certbot asks for the webroot; the answer is used
# and saved in [[webroot_map]].
if have_script; then
    new_dirs
    TTY_ARGS=(--http-01-port "$HTTP_PORT" --agree-tos
        --register-unsafely-without-email)
    tty_run "$T/www/default\n" certonly --webroot -d wi.test
    out=$OUT
    has "$out" "Input the webroot for wi.test:" "webroot asks for the webroot of an unmapped name (TTY)" ||
        diag "$out"
    has_line "$out" "Successfully received certificate." "the answered webroot is used (TTY)"
    map=$(sed -n '/^\[\[webroot_map\]\]$/,/^\[/p' "$C/renewal/wi.test.conf" 2>/dev/null)
    has_line "$map" "wi.test = $T/www/default" "A-129 the prompted webroot is saved in [[webroot_map]]"
else
    skip "script(1) not installed" 3
fi

done_testing
