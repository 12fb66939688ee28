#!/bin/bash
# certonly --dry-run (SPEC 4.6): a simulated request persists nothing but
# the account, runs pre/post hooks but not deploy hooks, really performs
# challenges even when authorizations could be reused, and leaves an
# existing lineage untouched.  Acceptance A-170, A-174, A-175 (certonly).
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# pebble reuses valid authorizations: the dry run must deactivate them
export PEBBLE_AUTHZREUSE=100
require_pebble_env
new_dirs

PROBE=$T/probe
HOOK=$T/hook.sh
cat >"$HOOK" <<EOF2
#!/bin/sh
echo "\$1" >>"$PROBE"
EOF2
chmod 0755 "$HOOK"
probe_tags() { tr '\n' ' ' <"$PROBE" 2>/dev/null | sed 's/ $//'; }
: >"$PROBE"

# A-170 / A-175: a new name, simulated
run cbn certonly --standalone --dry-run -d d1.test \
    --pre-hook "$HOOK pre" --post-hook "$HOOK post" --deploy-hook "$HOOK deploy"
is "$RC" 0 "A-170 certonly --dry-run exits 0" || show_run
has_line "$OUT" "Simulating a certificate request for d1.test" \
    "A-170 dry run announces a simulated request" || show_run
has_line "$OUT" "The dry run was successful." "A-170 dry run succeeds"
hasnt "$OUT" "Successfully received certificate." "A-170 no certificate reported as saved"
for d in live archive renewal; do
    is "$(ls -A "$C/$d" 2>/dev/null | grep -v '^README$')" "" \
        "A-170 nothing in $d/ after a dry run"
done
is "$(ls "$C/keys" "$C/csr" 2>/dev/null)" "" "A-170 no key or CSR written"
is "$(account_dirs | wc -l)" 1 "A-170 the account is the only thing kept"
is "$(probe_tags)" "pre post" "A-175 certonly dry run runs pre and post hooks, not deploy"

# A-174: a second dry run for the same name deactivates the reusable
# authorization and answers a challenge again
run cbn certonly --standalone --dry-run -d d1.test -v
is "$RC" 0 "A-174 second dry run exits 0" || show_run
like "$(cat "$L/letsencrypt.log")" "Recreating order after authz deactivations" \
    "A-174 the order is recreated after deactivating valid authzs"

# an existing lineage: simulated renewal, nothing on disk changes
run cbn certonly --standalone -d d2.test
is "$RC" 0 "A-170 setup: real lineage d2.test" || show_run
before=$(cd "$C" && find archive live renewal -exec stat -c '%n %Y %s' {} + | sort)
sleep 1
: >"$PROBE"
run cbn certonly --standalone --dry-run -d d2.test \
    --pre-hook "$HOOK pre" --post-hook "$HOOK post" --deploy-hook "$HOOK deploy"
is "$RC" 0 "A-170 dry run on an existing lineage exits 0" || show_run
has_line "$OUT" "Simulating renewal of an existing certificate for d2.test" \
    "A-170 dry run of an existing lineage simulates a renewal" || show_run
after=$(cd "$C" && find archive live renewal -exec stat -c '%n %Y %s' {} + | sort)
is "$after" "$before" "A-170 archive, live and renewal unchanged (names, mtimes, sizes)"
is "$(probe_tags)" "pre post" "A-175 simulated renewal runs pre and post hooks, not deploy"
like "$(cat "$L/letsencrypt.log")" "Dry run: skipping deploy hook command: $HOOK deploy" \
    "A-175 the skipped deploy hook is logged"

done_testing
