#!/bin/bash
# docs/compatibility.md is kept true: every subcommand of `-h commands`
# and every --dns-<name> selection flag of `--help all` has a row; what
# the table calls "not yet" really fails with a clear error naming it (a
# subcommand: "The <verb> subcommand is not implemented yet.", a plugin:
# "The requested <name> plugin does not appear to be installed"), and
# what it calls "same" for a subcommand is not that error.  Needs no CA.
# Issue 6 scope 4 and 6.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

have_certbot || skip_all "certbot under test not found: $CERTBOT"
DOC=$top_srcdir/docs/compatibility.md
[ -r "$DOC" ] || bail_out "no $DOC"
new_dirs

# row_state NAME: the State column of the table row whose first cell
# names NAME in backquotes (first match)
row_state() {
    awk -F'|' -v n="\`$1\`" 'index($2, n) { gsub(/^ +| +$/, "", $3); print $3; exit }' "$DOC"
}

ours() {
    timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" --config-dir "$C" \
        --work-dir "$W" --logs-dir "$L" -n \
        --server https://127.0.0.1:9/dir "$@"   # (a closed port: no network)
}

run ours -h commands
verbs=$(sed -nE 's/^([a-z_]+)( \(default\))?  +[A-Z].*/\1/p' <<<"$OUT")
ok "-h commands lists the verbs ($(wc -w <<<"$verbs"))" test "$(wc -w <<<"$verbs")" -ge 15
for v in $verbs; do
    st=$(row_state "$v")
    isnt "${st:-missing}" missing "compatibility.md has a row for the $v subcommand"
    case $st in
        "not yet")
            run ours "$v"
            is "$RC" 1 "$v (not yet): exits 1"
            has "$ERR" "The $v subcommand is not implemented yet." "$v (not yet): says so"
            ;;
        *)
            run ours "$v"
            hasnt "$ERR" "not implemented yet" "$v ($st): is implemented"
            ;;
    esac
done

run ours --help all
dns=$(grep -oE -- '--dns-[a-z0-9]+( |$)' <<<"$OUT" | sed 's/^--//; s/ $//' | sort -u)
ok "--help all lists the DNS selection flags ($(wc -w <<<"$dns"))" test "$(wc -w <<<"$dns")" -ge 13
for p in $dns; do
    line=$(grep -F -- "$p" "$DOC" | grep -E '^\| [^|]*'"$p"'[,| ]' | head -n 1)
    isnt "${line:-missing}" missing "compatibility.md has a row naming $p"
    run ours certonly --"$p" -d a.test --agree-tos
    if [[ $line == *"| not yet |"* ]]; then
        is "$RC" 1 "$p (not yet): certonly --$p exits 1"
        has "$ERR" "The requested $p plugin does not appear to be installed" \
            "$p (not yet): says the plugin is not installed"
    else
        hasnt "$ERR" "does not appear to be installed" "$p (${line:+listed}): is installed"
    fi
done

done_testing
