#!/bin/bash
# renew and certificates over many lineages decide the second half in a
# helper process (util/forkmap.h, docs/performance.md): what they print,
# log, write and exit with is exactly what one process prints, logs,
# writes and exits with.  CERTBOT_FORKMAP_MIN lowers the list size from
# which the helper starts (400 by default); CERTBOT_NO_FORKMAP turns it
# off.  The set mixes lineages not due, one due (renewed through the
# webroot), one broken conf and one with a bad link, in both halves.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
: "${CB_SCRIPT_TIMEOUT:=300}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

export PEBBLE_AUTHZREUSE=0
command -v python3 >/dev/null 2>&1 ||
    skip_all "python3 (clones lineages, serves the webroot) not installed"
CLONE=$top_srcdir/bench/clone-lineages
[ -f "$CLONE" ] || skip_all "bench/clone-lineages not found"
require_pebble_env

WR=$T/www
mkdir -p "$WR"
serve_webroot "$WR" || bail_out "webroot HTTP server did not start"

new_dirs
SEED_C=$C SEED_W=$W SEED_L=$L
run cbn certonly --webroot -w "$WR" -d seed.test --cert-name seed
[ "$RC" = 0 ] || { show_run; bail_out "issuing the seed lineage failed"; }

N=80
# make_set DIR [DUE]: N clones of the seed; #5 and #57 broken conf, #9
# and #60 a live link pointing nowhere, and lineage #DUE due.  The
# helper takes #41..#80: 40 results, more than one of its batches.
make_set() {
    local d=$1 due=${2:-}
    mkdir -p "$d/work" "$d/logs"
    python3 "$CLONE" "$SEED_C" seed "$d/conf" "$N" >/dev/null ||
        bail_out "clone-lineages failed"
    sed -i '/^cert = /d' "$d/conf/renewal/seed-00005.conf"
    sed -i '/^cert = /d' "$d/conf/renewal/seed-00057.conf"
    ln -sfn ../../archive/seed-00009/nothing1.pem \
        "$d/conf/live/seed-00009/chain.pem"
    ln -sfn ../../archive/seed-00060/nothing1.pem \
        "$d/conf/live/seed-00060/chain.pem"
    [ -z "$due" ] ||
        sed -i '1i renew_before_expiry = 100000 days' \
            "$d/conf/renewal/seed-000$due.conf"
}

# run_in DIR ENV... -- ARGS: certbot on DIR's set
run_in() {
    local d=$1
    shift
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    run env "${envs[@]}" timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" \
        --server "$PEBBLE_DIR_URL" --no-verify-ssl -n \
        --config-dir "$d/conf" --work-dir "$d/work" --logs-dir "$d/logs" \
        --no-random-sleep-on-renew "$@"
}

# log_messages FILE: the log's records without timestamps, without the
# helper's own line and the CA directory request (each process asks once)
log_messages() {
    awk '
        /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:,]+:[A-Z]+:/ {
            dir_reply = last_dir && /:Received response:/
            last_dir = /:Sending GET request to .*\/dir\.?$/ ||
                       /:GET .*\/dir -> HTTP/
            skip = last_dir || dir_reply || /:Deciding items .* in helper/
            sub(/^[0-9-]+ [0-9:,]+:/, "")
        }
        !skip' "$1"
}

# same_as_one_process VERB: the helper run and the one-process run of VERB
# on two identical sets (nothing due: no random ACME values in the logs)
# print, log and exit the same
same_as_one_process() {
    local verb=$1 one=$T/one.$1 two=$T/two.$1
    rm -rf "$one" "$two"
    make_set "$one"
    make_set "$two"
    run_in "$one" CERTBOT_NO_FORKMAP=1 -- "$verb"
    local rc1=$RC out1=$OUT err1=$ERR
    run_in "$two" CERTBOT_FORKMAP_MIN=4 -- "$verb"
    is "$RC" "$rc1" "$verb: exit code as one process ($rc1)"
    is "$OUT" "${out1//$one/$two}" "$verb: stdout as one process"
    is "$ERR" "${err1//$one/$two}" "$verb: stderr as one process"
    log_messages "$one/logs/letsencrypt.log" | sed "s#$one#DIR#g" \
        >"$T/log.one.$verb"
    log_messages "$two/logs/letsencrypt.log" | sed "s#$two#DIR#g" \
        >"$T/log.two.$verb"
    ok "$verb: log messages as one process, in the same order" \
        cmp -s "$T/log.one.$verb" "$T/log.two.$verb" ||
        diag "$(diff "$T/log.one.$verb" "$T/log.two.$verb" | head -20)"
    like "$(cat "$two/logs/letsencrypt.log")" "in helper process" \
        "$verb: the helper did decide part of the list"
}

same_as_one_process renew
# (the "Processing <path>" line wraps at 80 columns with a long $T)
has "$OUT" "/two.renew/conf/renewal/seed-00080.conf" \
    "renew: the last lineage was processed"
like "$ERR" "seed-00057.conf" \
    "renew: the broken conf in the second half is reported"
like "$OUT" "seed-00080/fullchain.pem expires on" \
    "renew: the second half is in the not-due report"

# Due lineages in both halves: the helper's (#54) renews in its turn,
# after the first half's (#3), each once.
D=$T/due
make_set "$D" 54
sed -i '1i renew_before_expiry = 100000 days' "$D/conf/renewal/seed-00003.conf"
for m in 1 4; do
    run_in "$D" CERTBOT_FORKMAP_MIN=4 -- renew --max-concurrent-renewals "$m"
    is "$RC" 1 "renew, $m at a time: exit 1 (the broken confs)"
    like "$OUT" "Congratulations, all renewals succeeded" \
        "renew, $m at a time: the due lineages renewed"
    is "$(grep -c '/live/seed-000[0-9]*/fullchain.pem (success)' <<<"$OUT")" 2 \
        "renew, $m at a time: two successes reported" ||
        { diag "$(tail -n 25 <<<"$OUT")"; diag "$ERR";
          diag "$(grep -n 'seed-00054\|seed-00003' "$D/logs/letsencrypt.log" | grep -v 'Processing\|expires on' | tail -n 40)"; }
done
ok "renew: the helper's due lineage #54 renewed twice (versions 2, 3)" \
    test -f "$D/conf/archive/seed-00054/cert3.pem"
ok "renew: the first half's due lineage #3 renewed twice" \
    test -f "$D/conf/archive/seed-00003/cert3.pem"
ok "renew: a lineage not due was not renewed" \
    test ! -e "$D/conf/archive/seed-00053/cert2.pem"

same_as_one_process certificates
like "$OUT" "Certificate Name: seed-00080" "certificates: the last lineage is listed"

# A CA that offers ARI.  This process decides its first confs as if the
# server had none while the helper fetches the directory, then hears it
# has: those decisions are made again, now asking.  Every lineage is
# asked exactly once, as by one process (the clones share one
# certificate, so the requests are counted, not told apart), with the
# same output.  Modes:
# future (nothing due), 500 (a warning per lineage, retry stored).
if free_ports 1; then
    ARI_PORT=${FREE_PORTS[0]}
    echo future >"$T/ari.mode"
    : >"$T/ari.log"
    ari_stub "$ARI_PORT" &
    cleanup_pid $!
    wait_http "http://127.0.0.1:$ARI_PORT/dir" 100 || diag "ARI stub did not start"
    for mode in future 500; do
        echo "$mode" >"$T/ari.mode"
        for how in one two; do
            d=$T/ari.$mode.$how
            rm -rf "$d"
            make_set "$d"
            sed -i "s#^server = .*#server = http://127.0.0.1:$ARI_PORT/dir#" \
                "$d"/conf/renewal/*.conf
        done
        : >"$T/ari.log"
        run_in "$T/ari.$mode.one" CERTBOT_NO_FORKMAP=1 -- renew
        rc1=$RC out1=$OUT err1=$ERR asked1=$(ari_requests)
        : >"$T/ari.log"
        run_in "$T/ari.$mode.two" CERTBOT_FORKMAP_MIN=4 -- renew
        asked2=$(ari_requests)
        ok "ARI $mode: one process asked for each good lineage ($asked1)" \
            test "$asked1" -ge 70
        is "$asked2" "$asked1" "ARI $mode: with the helper, each asked once too"
        is "$RC" "$rc1" "ARI $mode: exit code as one process"
        one=$T/ari.$mode.one two=$T/ari.$mode.two
        is "$OUT" "${out1//$one/$two}" "ARI $mode: stdout as one process"
        is "$ERR" "${err1//$one/$two}" "ARI $mode: stderr as one process"
        is "$(grep -l '^ari_retry_after' "$two"/conf/renewal/*.conf | wc -l)" \
            "$(grep -l '^ari_retry_after' "$one"/conf/renewal/*.conf | wc -l)" \
            "ARI $mode: the retry time stored in as many confs"
    done
    like "$err1" "An error occurred requesting ACME Renewal Information" \
        "ARI 500: the error is warned about"
else
    skip "no free port for the ARI stub" 13
fi

done_testing
