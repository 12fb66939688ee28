#!/bin/bash
# Pre, deploy and post hooks for certonly and renew: order, environment,
# directory hooks, dry runs, output reporting and start-up validation.
# SPEC 4.9, 4.6; acceptance A-136, A-175, A-176, A-180..A-197.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
: "${CB_SCRIPT_TIMEOUT:=600}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

export PEBBLE_AUTHZREUSE=0
require_pebble_env

# The probe hook: appends "<tag> RL=... RD=... FD=..." to $PROBE.
PROBE=$T/probe
HOOK=$T/hook.sh
cat >"$HOOK" <<EOF
#!/bin/sh
echo "\$1 RL=\${RENEWED_LINEAGE-unset} RD=\${RENEWED_DOMAINS-unset} FD=\${FAILED_DOMAINS-unset}" >>"$PROBE"
echo "ran \$1"
EOF
chmod 0755 "$HOOK"

probe_tags() { cut -d' ' -f1 "$PROBE" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
probe_line() { grep "^$1 " "$PROBE" | head -n 1; }
reset_probe() { : >"$PROBE"; }

make_due() {
    local f=$C/renewal/$1.conf
    { echo "renew_before_expiry = 100 years"; cat "$f"; } >"$f.tmp" &&
        mv "$f.tmp" "$f"
}

# dir_hook KIND NAME: an executable directory hook reporting "<kind>-dir-<name>"
dir_hook() {
    mkdir -p "$C/renewal-hooks/$1"
    printf '#!/bin/sh\n"%s" %s-dir-%s\n' "$HOOK" "$1" "$2" >"$C/renewal-hooks/$1/$2"
    chmod 0755 "$C/renewal-hooks/$1/$2"
}

# ------------------------------------------------------ certonly
reset_probe
run cbn certonly --standalone -d h1.test -d www.h1.test \
    --pre-hook "$HOOK pre" --post-hook "$HOOK post" --deploy-hook "$HOOK deploy"
is "$RC" 0 "A-180 certonly with hooks exits 0"
is "$(probe_tags)" "pre deploy post" "A-180 hook order pre, deploy, post"
is "$(probe_line deploy)" "deploy RL=$C/live/h1.test RD=h1.test www.h1.test FD=unset" \
    "A-181 deploy hook gets RENEWED_LINEAGE and RENEWED_DOMAINS"
v56 like "$(probe_line post)" " RD=h1.test www.h1.test FD=$" \
    "A-182 certonly post hook: RENEWED_DOMAINS and empty FAILED_DOMAINS [5.6]"
conf=$C/renewal/h1.test.conf
is "$(conf_get "$conf" pre_hook renewalparams)" "$HOOK pre" "A-130 pre_hook saved"
is "$(conf_get "$conf" renew_hook renewalparams)" "$HOOK deploy" \
    "A-130 deploy hook saved as renew_hook"

# A-183: failing issuance still runs the post hook, not the deploy hook
free_ports 1 || bail_out "no free port"
reset_probe
run cbn certonly --standalone -d h2.test --http-01-port "${FREE_PORTS[0]}" \
    --pre-hook "$HOOK pre" --post-hook "$HOOK post" --deploy-hook "$HOOK deploy"
is "$RC" 1 "A-183 failed issuance exits 1"
is "$(probe_tags)" "pre post" "A-183 post hook runs after a failure, deploy does not"

# A-184: nothing to do -> no hooks
reset_probe
run cbn certonly --standalone -d h1.test -d www.h1.test \
    --pre-hook "$HOOK pre" --post-hook "$HOOK post"
has_line "$OUT" "Certificate not yet due for renewal; no action taken." \
    "A-184 certonly keeps the lineage"
is "$(probe_tags)" "" "A-184 no hooks when certonly takes no action"
run cbn renew --pre-hook "$HOOK pre"
is "$(probe_tags)" "" "A-184 no hooks when renew finds nothing due"
has_line "$OUT" "No hooks were run." "A-184 summary says no hooks were run"

# ------------------------------------------------------ renew
# two due lineages sharing the stored hooks (h1 from above, h3 now)
run cbn certonly --standalone -d h3.test \
    --pre-hook "$HOOK pre" --post-hook "$HOOK post" --deploy-hook "$HOOK deploy"
make_due h1.test
make_due h3.test
reset_probe
run cbn renew
is "$RC" 0 "A-190 renew of two due lineages exits 0"
is "$(probe_tags)" "pre deploy deploy post" \
    "A-190 pre once, deploy per lineage, post once"
is "$(grep '^deploy ' "$PROBE" | sed 's/ RD=.*//' | tr '\n' ' ')" \
    "deploy RL=$C/live/h1.test deploy RL=$C/live/h3.test " \
    "A-190 each deploy hook has its own RENEWED_LINEAGE"
v56 like "$(probe_line post)" " RD=h1.test www.h1.test h3.test FD=$" \
    "A-191 renew post hook: RENEWED_DOMAINS of all renewed lineages [5.6]"
post_line=$(grep -n "^Hook 'post-hook'" "$T/last.out" | cut -d: -f1)
frame_line=$(grep -n -x -F -- "$FRAME" "$T/last.out" | tail -n 1 | cut -d: -f1)
if [ -n "$post_line" ] && [ -n "$frame_line" ] &&
   [ "$post_line" -gt "$frame_line" ]; then
    pass "A-190 post hook after the summary"
else
    fail "A-190 post hook after the summary" "$OUT"
fi

# A-191: FAILED_DOMAINS names the failing lineage
cp "$C/renewal/h3.test.conf" "$T/h3.conf.saved"
sed -i 's/^authenticator = .*/authenticator = nosuchplugin/' "$C/renewal/h3.test.conf"
reset_probe
run cbn renew --force-renewal
is "$RC" 1 "A-191 renew with one failing lineage exits 1"
v56 like "$(probe_line post)" " RD=h1.test www.h1.test FD=h3.test$" \
    "A-191 renew post hook: FAILED_DOMAINS of failed lineages [5.6]"
cp "$T/h3.conf.saved" "$C/renewal/h3.test.conf"

# A-192: hooks given to renew replace the stored ones and are saved
reset_probe
run cbn renew --force-renewal --cert-name h3.test --deploy-hook "$HOOK newdeploy"
is "$(probe_tags)" "pre newdeploy post" "A-192 renew uses the hook from the command line"
is "$(conf_get "$C/renewal/h3.test.conf" renew_hook renewalparams)" "$HOOK newdeploy" \
    "A-192 new deploy hook saved"
reset_probe
run cbn renew --force-renewal --cert-name h3.test
is "$(probe_tags)" "pre newdeploy post" "A-192 a bare renew uses the new hook"

# A-136: certonly re-issuance without hook flags drops stored hooks
run cbn certonly --standalone --force-renewal -d h3.test
is "$(conf_section_keys "$C/renewal/h3.test.conf" renewalparams | grep -c hook)" 0 \
    "A-136 certonly --force-renewal without hooks drops them from the conf"

# ---------------------------------------------------- dry run
reset_probe
run cbn renew --dry-run --cert-name h1.test
is "$RC" 0 "A-175 renew --dry-run exits 0"
is "$(probe_tags)" "pre post" "A-175 dry run runs pre and post hooks, not deploy"
like "$(cat "$L/letsencrypt.log")" "Dry run: skipping deploy hook command: $HOOK deploy" \
    "A-175 skipped deploy hook is logged"
reset_probe
run cbn renew --dry-run --cert-name h1.test --run-deploy-hooks
v56 is "$(probe_tags)" "pre deploy post" \
    "A-176 --run-deploy-hooks runs the deploy hook on a dry run [5.6]"
v56 like "$(probe_line deploy)" "^deploy RL=$C/live/h1.test " \
    "A-176 RENEWED_LINEAGE is the existing live dir [5.6]"

# ------------------------------------------------- directory hooks
new_dirs
reset_probe
run cbn register
for k in pre deploy post; do dir_hook "$k" 10-x; done
run cbn certonly --standalone -d d1.test \
    --pre-hook "$HOOK pre" --post-hook "$HOOK post" --deploy-hook "$HOOK deploy"
v56 is "$(probe_tags)" "pre-dir-10-x pre deploy-dir-10-x deploy post-dir-10-x post" \
    "A-185 directory hooks run before the CLI hook of each kind on certonly [5.6]"
reset_probe
run cbn renew --force-renewal
is "$(probe_tags)" "pre-dir-10-x pre deploy-dir-10-x deploy post-dir-10-x post" \
    "A-185 directory hooks run before the stored hooks on renew"

rm -f "$C"/renewal-hooks/{pre,deploy,post}/10-x
for n in b a B A 'z~'; do dir_hook pre "$n"; done
printf '#!/bin/sh\n"%s" pre-dir-noexec\n' "$HOOK" >"$C/renewal-hooks/pre/m-noexec"
mkdir -p "$C/renewal-hooks/pre/sub"
reset_probe
# certbot itself runs under a UTF-8 locale (set for the child only)
run timeout -k 5 "$CB_TIMEOUT" env LC_ALL=en_US.UTF-8 "${CERTBOT_CMD[@]}" \
    --server "$PEBBLE_DIR_URL" --no-verify-ssl --config-dir "$C" \
    --work-dir "$W" --logs-dir "$L" --http-01-port "$HTTP_PORT" \
    --no-random-sleep-on-renew -n renew --force-renewal
is "$(probe_tags)" "pre-dir-A pre-dir-B pre-dir-a pre-dir-b pre deploy post" \
    "A-186/A-187 byte order; '~', non-executables and subdirectories skipped"

reset_probe
run cbn renew --force-renewal --no-directory-hooks
is "$(probe_tags)" "pre deploy post" "A-188 --no-directory-hooks runs only the CLI/stored hooks"

reset_probe
run cbn renew --force-renewal --pre-hook "$C/renewal-hooks/pre/A"
is "$(grep -c '^pre-dir-A ' "$PROBE")" 1 "A-189 a CLI hook equal to a directory hook runs once"
rm -rf "$C/renewal-hooks/pre"/*

# -------------------------------------------- output and failures
new_dirs
cat >"$T/noisy.sh" <<'EOF'
#!/bin/sh
echo "out-$1"
echo "err-$1" >&2
exit 3
EOF
chmod 0755 "$T/noisy.sh"
run cbn certonly --standalone -d o1.test --pre-hook "$T/noisy.sh pre" \
    --deploy-hook "$T/noisy.sh deploy"
is "$RC" 0 "A-195 failing hooks do not fail the command"
has_line "$ERR" "Hook 'pre-hook' reported error code 3" "A-195 error code warned"
has "$OUT" "Hook 'deploy-hook' ran with output:
 out-deploy" "A-196 hook stdout shown indented by one space"
has "$ERR" "Hook 'deploy-hook' ran with error output:
 err-deploy" "A-196 hook stderr shown as a warning"

run cbn certonly --standalone -d o2.test --post-hook "echo a > $T/f; echo b >> $T/f"
is "$(tr '\n' ' ' <"$T/f")" "a b " "A-197 hooks run through /bin/sh -c"

# ---------------------------------------------------- validation
new_dirs
run cbn certonly --standalone -d v1.test --pre-hook nosuchcmd
is "$RC" 1 "A-193 unknown pre hook command exits 1"
has_line "$ERR" "Unable to find pre-hook command nosuchcmd in the PATH." \
    "A-193 message names the command"
like "$ERR" "^\(PATH is .*\)$" "A-193 message shows PATH"
v56 has_line "$ERR" "See also the --disable-hook-validation option." \
    "A-193 message points at --disable-hook-validation [5.6]"
ok "A-193 nothing was created" test ! -e "$C/renewal/v1.test.conf"
run cbn certonly --standalone -d v1.test --pre-hook nosuchcmd --disable-hook-validation
is "$RC" 0 "A-193 --disable-hook-validation proceeds"

touch "$T/nonexec"
chmod 0644 "$T/nonexec"
run cbn certonly --standalone -d v2.test --deploy-hook "$T/nonexec"
is "$RC" 1 "A-194 non-executable deploy hook exits 1"
has_line "$ERR" "$T/nonexec-hook command deploy exists, but is not executable." \
    "A-194 message"

done_testing
