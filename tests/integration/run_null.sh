#!/bin/bash
# `run` with the null installer: a new certificate is installed, a forced
# renewal is reported as renewed, an up-to-date lineage is reinstalled,
# and the refusals (standalone without -i, IPs, --must-staple,
# --auto-hsts).  SPEC 1 (run row), 4.1 step 8, 4.18; acceptance A-106,
# A-107, A-108, A-259, A-291, A-292, A-293.
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env
new_dirs

# A-108: standalone and no installer means certonly was meant
run cbn run --standalone -d d1.test
is "$RC" 1 "A-108 run --standalone without -i exits 1"
has "$ERR" 'With the standalone plugin, you probably want to use the "certonly" command, eg:' \
    "A-108 run --standalone without -i suggests certonly" || show_run
has "$ERR" "certbot certonly --standalone" "A-108 the suggestion names the command"
ok "A-108 nothing obtained" test ! -e "$C/live/d1.test"

# A-291: --must-staple needs OCSP stapling, which null lacks
run cbn run -a standalone -i null --must-staple -d d1.test
is "$RC" 1 "A-291 run -i null --must-staple exits 1"
has "$ERR" "Must-Staple extension requested, but OCSP stapling is not supported by the selected installer (null)" \
    "A-291 --must-staple with null is refused" || show_run

# A-292: --auto-hsts preflight fails before anything is obtained
run cbn run -a standalone -i null --auto-hsts -d d1.test
is "$RC" 1 "A-292 run -i null --auto-hsts exits 1"
has "$ERR" "One or more of the requested enhancements are not supported by the selected installer" \
    "A-292 --auto-hsts preflight message" || show_run
ok "A-292 no certificate obtained after the preflight" test ! -e "$C/live/d1.test"

# A-293: IP identifiers cannot be installed
run cbn run -a standalone -i null --ip-address 127.0.0.1
is "$RC" 1 "A-293 run with an IP address exits 1"
has "$ERR" "installation of IP address certificate not supported" \
    "A-293 IP certificate installation refused" || show_run
is "$(ls "$C/renewal" 2>/dev/null)" "" "A-293 no lineage for the IP"

# A-106 / A-259: a new certificate installed with null; --hsts only logged
run cbn run -a standalone -i null --hsts -d d1.test -d www.d1.test
is "$RC" 0 "A-106 run -a standalone -i null exits 0" || show_run
has "$OUT" "Congratulations! You have successfully enabled HTTPS on https://d1.test and https://www.d1.test" \
    "A-106 new certificate: Congratulations naming both names" || show_run
has "$OUT" "Deploying certificate" "A-106 the certificate is deployed"
has "$OUT" "Successfully received certificate." "A-106 the new certificate is reported"
has "$ERR" "Option hsts is not supported by the selected installer. Skipping enhancement." \
    "A-292 --hsts with null is only logged" || show_run
is "$(conf_get "$C/renewal/d1.test.conf" installer renewalparams)" "null" \
    "A-259 renewal conf saves installer = null"
is "$(only_entries "$C/archive/d1.test")" "cert1.pem chain1.pem fullchain1.pem privkey1.pem" \
    "A-106 version 1 saved"

# A-106: a forced renewal is reported as renewed and installed
run cbn run -a standalone -i null --force-renewal -d d1.test -d www.d1.test
is "$RC" 0 "A-106 run --force-renewal exits 0" || show_run
has "$OUT" "Your existing certificate has been successfully renewed, and the new certificate has been installed." \
    "A-106 renewal: renewed-and-installed message" || show_run
hasnt "$OUT" "Congratulations" "A-106 renewal: no Congratulations line"
ok "A-106 renewal saved version 2" test -e "$C/archive/d1.test/cert2.pem"

# A-107: identical, not due: reinstalled without a new version
run cbn run -a standalone -i null -d d1.test -d www.d1.test
is "$RC" 0 "A-107 reinstall exits 0" || show_run
has "$OUT" "Deploying certificate" "A-107 the installer deploys the existing certificate" || show_run
has "$OUT" "Congratulations! You have successfully enabled HTTPS on https://d1.test and https://www.d1.test" \
    "A-107 reinstall reports HTTPS enabled"
ok "A-107 no new archive version" test ! -e "$C/archive/d1.test/cert3.pem"
hasnt "$OUT" "Successfully received certificate." "A-107 nothing obtained"

done_testing
