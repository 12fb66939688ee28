#!/bin/bash
# Bad plugin files beside good ones: an ABI 2.0 plugin, a .so without a
# descriptor and a file that is not a shared object at all are each
# refused with a clear reason naming the file, while standalone keeps
# working for a real issuance; selecting a broken one fails with its
# reason.  DESIGN 3.3/3.7; issue 2 (ABI); SPEC A-264 (deviation: a broken
# file is recorded, not fatal to every command).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env
fixtures="${top_builddir:-.}/tests/abi/.libs"
[ -e "$fixtures/abi-major.so" ] || skip_all "ABI fixtures not built"
[ -d "${CERTBOT_PLUGIN_PATH:-}" ] || skip_all "no built plugin dir"

pdir="$T/plugins"
mkdir -p "$pdir"
chmod 0755 "$pdir"
for so in "$CERTBOT_PLUGIN_PATH"/*.so; do
    ln -s "$(readlink -f "$so")" "$pdir/${so##*/}"
done
ln -s "$(readlink -f "$fixtures/abi-major.so")" "$pdir/abi-major.so"
ln -s "$(readlink -f "$fixtures/abi-nodesc.so")" "$pdir/abi-nodesc.so"
printf 'this is not an ELF file\n' >"$pdir/junk.so"
chmod 0644 "$pdir/junk.so"
export CERTBOT_PLUGIN_PATH="$pdir"

run cbn certonly --standalone -d broken-ok.test
is "$RC" 0 "standalone issues a certificate next to broken plugins" || show_run
ok "the lineage exists" test -L "$C/live/broken-ok.test/fullchain.pem"
has "$ERR" "$pdir/abi-major.so: built for plugin ABI 2.0; this certbot provides ABI 1.1 (rebuild the plugin or install a matching package)" \
    "ABI 2.0 plugin refused naming the file and both versions"
has "$ERR" "$pdir/abi-nodesc.so: not a certbot plugin (no certbot_plugin_desc symbol)" \
    "a .so without a descriptor is refused with its reason"
has "$ERR" "$pdir/junk.so: cannot load: " \
    "a file that fails to dlopen is refused with its reason"
has "$ERR" "a library it needs may be missing (check with ldd)" \
    "the dlopen refusal tells how to investigate"

run cbn certonly -a abi-major -d broken-sel.test
is "$RC" 1 "selecting a broken plugin exits 1"
has "$ERR" "built for plugin ABI 2.0" "... and says why"
ok "... and writes no lineage" test ! -e "$C/live/broken-sel.test"

run certbot_bare plugins --config-dir "$C" --work-dir "$W" --logs-dir "$L"
is "$RC" 0 "plugins still lists with broken files present"
has_line "$OUT" "* standalone" "standalone is listed"
done_testing
