#!/bin/sh
# Every built plugin reaches nothing of the core (DESIGN 3.4): its
# undefined dynamic symbols must come from libc/libpthread or its own
# NEEDED libraries, never from the core; and it exports only
# certbot_plugin_desc.  TAP output.
set -u
: "${top_builddir:=.}"
dir="$top_builddir/tests/plugins"
core="$top_builddir/.libs/libcbcore.a"
n=0
failed=0

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}

not_ok() {
    n=$((n + 1))
    failed=1
    echo "not ok $n - $1"
}

# Prefixes of core functions, for when the core archive is not at hand.
core_re='^(cb_err_|config_|plugin_|lineage_|acme_|log_msg|log_|display_|http_|fs_|strvec_|cli_|configobj_|co_|renewal_conf_|account_|key_|csr_|cert_|select_|startup_|cmd_)'

core_syms=""
if [ -f "$core" ]; then
    core_syms=$(nm --defined-only -g "$core" 2>/dev/null |
        awk 'NF == 3 && $2 ~ /^[TDBR]$/ { print $3 }' | sort -u)
fi

count=0
for so in "$dir"/*.so; do
    [ -e "$so" ] || continue
    count=$((count + 1))
    name=$(basename "$so")
    undef=$(nm -D --undefined-only "$so" | awk '{ print $NF }' |
        sed 's/@.*//' | sort -u)
    bad=$(printf '%s\n' "$undef" | grep -E "$core_re" || true)
    if [ -n "$core_syms" ]; then
        for s in $undef; do
            if printf '%s\n' "$core_syms" | grep -qFx "$s"; then
                bad="$bad $s"
            fi
        done
    fi
    bad=$(echo $bad)
    if [ -z "$bad" ]; then
        ok "$name: no undefined core symbols"
    else
        not_ok "$name: undefined core symbols: $bad"
    fi
    exported=$(nm -D --defined-only "$so" | awk '{ print $NF }' |
        grep -vE '^(_init|_fini|_edata|_end|__bss_start)$' | sort -u)
    if [ "$exported" = "certbot_plugin_desc" ]; then
        ok "$name: exports only certbot_plugin_desc"
    else
        not_ok "$name: exports $(echo $exported)"
    fi
done

if [ "$count" -gt 0 ]; then
    ok "checked $count plugins in $dir"
else
    not_ok "no plugins found in $dir"
fi
echo "1..$n"
exit $failed
