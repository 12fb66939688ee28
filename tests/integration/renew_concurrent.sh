#!/bin/bash
# renew --max-concurrent-renewals (ours, not Certbot's; docs/performance.md):
# due lineages renewed several at a time make the same files and hook
# calls as one at a time: the pre hook once before the first renewal,
# the deploy hook once per lineage, the post hook once after the last, a
# failure reported like a sequential run's.  Standalone/manual/installer
# lineages keep the sequential path (covered by renew.sh and hooks.sh).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
: "${CB_SCRIPT_TIMEOUT:=300}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

export PEBBLE_AUTHZREUSE=0
command -v python3 >/dev/null 2>&1 ||
    skip_all "python3 (serves the webroot) not installed"
require_pebble_env

WR=$T/www
mkdir -p "$WR"
serve_webroot "$WR" || bail_out "webroot HTTP server did not start"

# The probe hook: "<tag> start <RENEWED_LINEAGE> <FAILED_DOMAINS>", then
# for deploy a 2 s pause, then "<tag> end".
PROBE=$T/probe
HOOK=$T/hook.sh
cat >"$HOOK" <<EOF
#!/bin/sh
echo "\$1 start \${RENEWED_LINEAGE-unset} FD=\${FAILED_DOMAINS-unset}" >>"$PROBE"
if [ "\$1" = deploy ]; then sleep 2; fi
echo "\$1 end" >>"$PROBE"
EOF
chmod 0755 "$HOOK"

N=4
# issue_set: fresh C/W/L holding webroot lineages c1..c$N
issue_set() {
    local i
    new_dirs
    for ((i = 1; i <= N; i++)); do
        run cbn certonly --webroot -w "$WR" -d "c$i.test" --cert-name "c$i"
        if [ "$RC" != 0 ]; then
            show_run
            bail_out "issuing c$i failed"
        fi
    done
}

# renew_all MAX: force-renew every lineage with the probe hooks
renew_all() {
    : >"$PROBE"
    run cbn renew --force-renewal --max-concurrent-renewals "$1" \
        --pre-hook "$HOOK pre" --deploy-hook "$HOOK deploy" \
        --post-hook "$HOOK post"
}

count() { grep -c "^$1" "$PROBE"; }

# the files of a config dir (archive/live/renewal), paths relative to it
tree_of() { (cd "$1" && find archive live renewal | LC_ALL=C sort); }

# --------------------------------------------------- one at a time
issue_set
SEQ_C=$C
renew_all 1
is "$RC" 0 "sequential renew (--max-concurrent-renewals 1) exits 0"
is "$(grep -c '^deploy start' "$PROBE")" "$N" "sequential: a deploy hook per lineage"
# strictly alternating start/end: nothing overlapped
is "$(grep '^deploy' "$PROBE" | cut -d' ' -f2 | uniq | wc -l)" "$((2 * N))" \
    "sequential: deploy hooks one after another"

# ------------------------------------------------ several at a time
issue_set
renew_all "$N"
is "$RC" 0 "concurrent renew exits 0"
is "$(head -n 1 "$PROBE" | cut -d' ' -f1-2)" "pre start" \
    "pre hook runs before the first renewal"
is "$(tail -n 1 "$PROBE")" "post end" "post hook runs after the last"
is "$(count 'pre start')" 1 "pre hook once"
is "$(count 'post start')" 1 "post hook once"
is "$(count 'deploy start')" "$N" "deploy hook once per lineage"
is "$(grep '^deploy start' "$PROBE" | cut -d' ' -f3 | LC_ALL=C sort | tr '\n' ' ')" \
    "$(for ((i = 1; i <= N; i++)); do printf '%s ' "$C/live/c$i"; done)" \
    "each deploy hook sees its own RENEWED_LINEAGE"
# the 2 s deploy hooks overlapped: a second one started before the first
# ended (one at a time they strictly alternate, as checked above)
first_end=$(grep -n '^deploy end' "$PROBE" | head -n 1 | cut -d: -f1)
starts_before=$(head -n "${first_end:-0}" "$PROBE" | grep -c '^deploy start')
ok "renewals ran at the same time (deploy hooks overlapped)" \
    test "$starts_before" -ge 2
has "$OUT" "Congratulations, all renewals succeeded" "success reported"
for ((i = 1; i <= N; i++)); do
    has "$OUT" "$C/live/c$i/fullchain.pem (success)" "c$i reported"
done
is "$(tree_of "$C")" "$(tree_of "$SEQ_C")" \
    "same archive/live/renewal files as one at a time"
ok_all=1
for ((i = 1; i <= N; i++)); do
    [ "$(readlink "$C/live/c$i/cert.pem")" = "../../archive/c$i/cert2.pem" ] &&
        [ "$(pubkey_of_cert "$C/live/c$i/cert.pem")" = \
          "$(pubkey_of_key "$C/live/c$i/privkey.pem")" ] &&
        cmp -s "$C/live/c$i/fullchain.pem" \
            <(cat "$C/live/c$i/cert.pem" "$C/live/c$i/chain.pem") ||
        ok_all=0
done
is "$ok_all" 1 "every lineage at version 2, key matches, fullchain = cert + chain"

# ------------------------------------------- one fails among several
# c2 renews with an account of its own that never validated c2.test: pebble
# may reuse an account's valid authorization (1 time in 100 even with
# PEBBLE_AUTHZREUSE=0), and then its broken webroot would never be used.
# Without --server, so each lineage's stored account applies.
issue_set
: >"$T/afile"
sed -i "s|$WR|$T/afile/www|g" "$C/renewal/c2.conf"
acct_c2=$(fresh_account) || bail_out "could not register a second account"
sed -i "s|^account = .*|account = $acct_c2|" "$C/renewal/c2.conf"
: >"$PROBE"
run timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" --no-verify-ssl \
    --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
    --no-random-sleep-on-renew -n renew --force-renewal \
    --max-concurrent-renewals "$N" --pre-hook "$HOOK pre" \
    --deploy-hook "$HOOK deploy" --post-hook "$HOOK post"
is "$RC" 1 "a failed renewal among concurrent ones exits 1"
has "$ERR" "$C/live/c2/fullchain.pem (failure)" "c2 reported as failed"
has "$OUT" "$C/live/c1/fullchain.pem (success)" "c1 still renewed"
is "$(count 'deploy start')" "$((N - 1))" "deploy hooks only for the renewed"
like "$(grep '^post start' "$PROBE")" "FD=c2\\.test$" \
    "post hook gets FAILED_DOMAINS of the failed lineage"
is "$(readlink "$C/live/c2/cert.pem")" "../../archive/c2/cert1.pem" \
    "the failed lineage is unchanged"
is "$(readlink "$C/live/c3/cert.pem")" "../../archive/c3/cert2.pem" \
    "the others moved to version 2"

done_testing
