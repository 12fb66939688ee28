#!/bin/sh
# The out-of-tree proof (DESIGN 3.6, A-265): stage the SDK with
# "make install DESTDIR=...", build examples/dns-example with its own
# Makefile and pkg-config only, and load it with the already built core
# (tests/abi/plugin_probe links libcbcore; nothing is relinked).  Also
# shows the loader's message for a plugin whose NEEDED library is gone.
# TAP output.
set -u
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
CC=${CC:-cc}
MAKE=${MAKE:-make}
probe="$top_builddir/tests/abi/plugin_probe"
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

check() {
    if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2"; fi
}

T=$(mktemp -d "${TMPDIR:-/tmp}/cb-oot.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT INT TERM
stage="$T/stage"

# 1. Stage just the SDK: headers and the .pc file.
"$MAKE" -s -C "$top_builddir" install-sdkincHEADERS install-pkgconfigDATA \
    DESTDIR="$stage" >"$T/install.log" 2>&1
check $? "SDK staged with make install DESTDIR"
pc=$(find "$stage" -name certbot-plugin-1.pc | head -n 1)
if [ -z "$pc" ]; then
    not_ok "certbot-plugin-1.pc staged"
    sed 's/^/# /' "$T/install.log"
    echo "1..$n"
    exit 1
fi
ok "certbot-plugin-1.pc staged"
PKG_CONFIG_PATH="$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
PKG_CONFIG_SYSROOT_DIR="$stage"
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

ver=$(pkg-config --modversion certbot-plugin-1)
[ "$ver" = "1.0" ]
check $? "pkg-config reports ABI version 1.0 (got '$ver')"
cflags=$(pkg-config --cflags certbot-plugin-1)
case "$cflags" in
*"$stage"*certbot-1*) ok "cflags point into the staged SDK ($cflags)" ;;
*) not_ok "cflags point into the staged SDK ($cflags)" ;;
esac
[ -n "$(find "$stage" -path '*/certbot-1/certbot/plugin.h')" ]
check $? "certbot/plugin.h installed under certbot-1/"

# 2. Build the example out of tree, with its own Makefile.
mkdir -p "$T/build"
"$MAKE" -s -C "$T/build" -f "$top_srcdir/examples/dns-example/Makefile" \
    srcdir="$top_srcdir/examples/dns-example" CC="$CC" \
    CFLAGS="-O2 -Wall -Wextra -Werror" >"$T/build.log" 2>&1
rc=$?
check $rc "examples/dns-example builds against the staged SDK"
[ $rc -eq 0 ] || sed 's/^/# /' "$T/build.log"

# 3. The built core loads it.
out=$("$probe" "$T/build" 2>&1)
echo "$out" | sed 's/^/# /'
echo "$out" | grep -q "^dns-example	ok	$T/build/dns-example.so\$"
check $? "the core's loader loads dns-example.so (no relinking)"

# 3b. The certbot binary lists it (A-265), runs its code (--init
# --prepare call create and prepare) and shows its options in --help.
if [ -x "${CERTBOT:-}" ]; then
    mkdir -p "$T/c" "$T/w" "$T/l"
    out=$(CERTBOT_PLUGIN_PATH="$T/build" "$CERTBOT" plugins --init --prepare \
        --config-dir "$T/c" --work-dir "$T/w" --logs-dir "$T/l" 2>&1)
    echo "$out" | sed 's/^/# /'
    echo "$out" | grep -q '^\* dns-example$' &&
        echo "$out" | grep -q "^Entry point: dns-example = $T/build/dns-example.so\$"
    check $? "A-265: certbot plugins lists the out-of-tree plugin"
    echo "$out" | grep -q '^Initialized: <dns-example plugin instance>$' &&
        echo "$out" | grep -q '^Prep: True$'
    check $? "A-265: certbot creates and prepares the out-of-tree plugin"
    out=$(CERTBOT_PLUGIN_PATH="$T/build" "$CERTBOT" --help dns-example \
        --config-dir "$T/c" --work-dir "$T/w" --logs-dir "$T/l" 2>&1)
    echo "$out" | grep -q -- '--dns-example-credentials' &&
        echo "$out" | grep -q -- '--dns-example-propagation-seconds'
    check $? "A-265: --help dns-example shows its flags"
else
    not_ok "certbot binary built (CERTBOT=${CERTBOT:-unset})"
fi

# 4. A plugin whose NEEDED library disappeared.
mkdir -p "$T/gone" "$T/needs"
printf 'int cbgone_answer(void) { return 42; }\n' >"$T/gone/gone.c"
"$CC" -shared -fPIC -o "$T/gone/libcbgone.so" "$T/gone/gone.c" &&
cat >"$T/needs/needs-gone.c" <<'EOC' &&
#include <certbot/plugin.h>
int cbgone_answer(void);
static int c(const struct cb_host *h, struct cb_handle *hd, void **ctx)
{ (void)h; (void)hd; *ctx = 0; return cbgone_answer() == 42 ? CB_OK : CB_ERR_PLUGIN; }
static void d(void *ctx) { (void)ctx; }
static int p(void *ctx, const char *i, uint32_t *t, size_t *n)
{ (void)ctx; (void)i; t[0] = CB_CHALL_HTTP01; *n = 1; return CB_OK; }
static int x(void *ctx, const struct cb_challenge *const *ch, size_t n)
{ (void)ctx; (void)ch; (void)n; return CB_OK; }
static const struct cb_authenticator a = { .struct_size = sizeof(a),
    .get_chall_pref = p, .perform = x, .cleanup = x };
CB_PLUGIN_DEFINE(.name = "needs-gone", .description = "needs libcbgone",
                 .create = c, .destroy = d, .authenticator = &a);
EOC
"$CC" -std=c11 -shared -fPIC $cflags -o "$T/needs/needs-gone.so" \
    "$T/needs/needs-gone.c" -L"$T/gone" -lcbgone >"$T/needs.log" 2>&1
check $? "built a plugin linked against libcbgone.so"
rm -f "$T/gone/libcbgone.so"
out=$("$probe" "$T/needs" 2>&1)
echo "$out" | sed 's/^/# /'
echo "$out" | grep -q "^needs-gone	broken	plugin $T/needs/needs-gone.so: cannot load: .*libcbgone.so: cannot open shared object file.*; a library it needs may be missing (check with ldd)\$"
check $? "missing NEEDED library: 'cannot load: ...; a library it needs may be missing (check with ldd)'"

echo "1..$n"
exit $failed
