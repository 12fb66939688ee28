#!/bin/bash
# Start-up cost (issue 7, docs/performance.md): `certbot --version` alone
# answers before the plugins are loaded (each is a dlopen()), with the
# same output as the full path.  A broken plugin file shows which path
# ran: loading it prints a refusal on stderr.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

have_certbot || skip_all "certbot under test not found: $CERTBOT"
new_dirs
pdir=$T/plugins
mkdir -p "$pdir"
printf 'this is not an ELF file\n' >"$pdir/junk.so"

CERTBOT_PLUGIN_PATH=$pdir run certbot_bare --version
is "$RC" 0 "--version alone exits 0"
like "$OUT" '^certbot [0-9]+\.[0-9]+\.[0-9]+$' "--version alone prints 'certbot X.Y.Z'"
is "$ERR" "" "--version alone loads no plugin (the broken one is not reported)"
fast=$OUT

CERTBOT_PLUGIN_PATH=$pdir run certbot_bare --version --config-dir "$C" \
    --work-dir "$W" --logs-dir "$L"
is "$RC" 0 "--version with other arguments exits 0"
is "$OUT" "$fast" "... and prints the same"
has "$ERR" "junk.so: cannot load" "... having loaded the plugins (full path)"

done_testing
