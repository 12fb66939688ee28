#!/bin/bash
# --debug-challenges (issue 3 item 11; SPEC 2.1): after the challenges are
# set up, Certbot shows what the CA will check (with -v: each URL and its
# expected value) and pauses only when it may interact; under -n it goes
# on and the certificate is issued.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env

run cbn certonly --standalone -d dbg.test --debug-challenges -v
is "$RC" 0 "--debug-challenges -n: issuance goes on without a pause" || show_run
has_line "$OUT" "Challenges loaded. Press continue to submit to CA." \
    "--debug-challenges announces the loaded challenges"
has_line "$OUT" "The following URLs should be accessible from the internet and return the value mentioned:" \
    "--debug-challenges -v introduces the URLs"
url=$(grep -E '^URL: http://dbg\.test/\.well-known/acme-challenge/[A-Za-z0-9_-]+$' "$T/last.out")
token=${url##*/}
isnt "$token" "" "--debug-challenges -v shows the challenge URL for dbg.test"
like "$OUT" "^Expected value: ${token}\\.[A-Za-z0-9_-]{43}\$" \
    "--debug-challenges -v shows the key authorization (token.thumbprint)"
ok "the certificate was issued" test -L "$C/live/dbg.test/cert.pem"

run cbn certonly --standalone -d dbg2.test --debug-challenges
is "$RC" 0 "--debug-challenges without -v exits 0"
has_line "$OUT" 'Pass "-v" for more info about challenges.' \
    "without -v it points at -v instead of listing values"
unlike "$OUT" '^URL: ' "without -v no URL is shown"
done_testing
