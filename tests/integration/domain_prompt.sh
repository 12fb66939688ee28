#!/bin/bash
# The domain question when certonly/run get no -d (SPEC 4.1 step 3):
# under -n it fails naming --domains; on a TTY the free-text answer is
# split on commas and blanks, and bad names offer a re-entry.  A-324.
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env
new_dirs

run cbn certonly --standalone
is "$RC" 1 "A-324 certonly -n without -d exits 1"
has "$ERR" "Please enter the domain name(s) you would like on your certificate (comma and/or space separated)" \
    "A-324 -n: the error quotes the domain question" || show_run
has "$ERR" "(You can set this with the --domains flag)" \
    "A-324 -n: the error names --domains" || show_run

run cbn run -a standalone -i null
is "$RC" 1 "A-324 run -n without -d exits 1"
has "$ERR" "No names were found in your configuration files. Please enter the domain name(s)" \
    "A-324 run -n: the installer had no names, the question says so" || show_run
has "$ERR" "(You can set this with the --domains flag)" \
    "A-324 run -n: the error names --domains"

# ------------------------------------------------------ [TTY] prompts
if have_script; then
    TTY_ARGS=(--http-01-port "$HTTP_PORT" --agree-tos
        --register-unsafely-without-email)
    tty_run 'http://a.test\nn\n' certonly --standalone
    is "$RC" 1 "A-324 [TTY] invalid name, no re-entry: exit 1"
    has "$OUT" "One or more of the entered domain names was not valid:" \
        "A-324 [TTY] invalid name reported" || diag "$OUT"
    has "$OUT" "Would you like to re-enter the names?" \
        "A-324 [TTY] re-entry offered"

    tty_run 'a.test, b.test\n' certonly --standalone
    is "$RC" 0 "A-324 [TTY] answered names: exit 0" || diag "$OUT"
    has "$OUT" "Please enter the domain name(s) you would like on your certificate" \
        "A-324 [TTY] the question is asked"
    is "$(san_list "$C/live/a.test/cert.pem" | tr '\n' ' ')" "a.test b.test " \
        "A-324 [TTY] both answered names are on the certificate"
else
    skip "A-324 [TTY] prompts need script(1)" 5
fi

done_testing
