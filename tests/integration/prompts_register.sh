#!/bin/bash
# [TTY] registration prompts (SPEC 4.12, 4.14; A-318..A-321):
# the email question (Enter skips, 'c' cancels), the terms of service
# (yes registers, no refuses) and the EFF question after TOS when an
# address is given.  script(1) gives certbot a terminal.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env
have_script || skip_all "script(1) not installed"

accounts() { find "$C/accounts" -name private_key.json 2>/dev/null | wc -l; }

new_dirs
tty_run '\ny\n' register
is "$RC" 0 "A-318 [TTY] Enter at the email prompt, yes to TOS: exit 0"
has_line "$OUT" "Enter email address or hit Enter to skip." "A-318 [TTY] email question"
has "$OUT" " (Enter 'c' to cancel): " "A-318 [TTY] input prompt suffix"
has_line "$OUT" "Please read the Terms of Service at: data:text/plain,Do%20what%20thou%20wilt" \
    "A-320 [TTY] TOS names the CA's terms"
has_line "$OUT" "You must agree in order to register with the ACME server. Do you agree?" \
    "A-320 [TTY] TOS question"
has "$OUT" "(Y)es/(N)o: " "A-320 [TTY] yes/no rendering"
has "$OUT" "Account registered." "A-318 [TTY] registered"
is "$(accounts)" 1 "A-318 [TTY] one account saved"
meta=$(cat "$C"/accounts/*/*/*/meta.json 2>/dev/null)
hasnt "$meta" "register_to_eff" "A-318 [TTY] no email: no EFF question, nothing pending"

new_dirs
tty_run 'c\n' register
is "$RC" 1 "A-318 [TTY] 'c' at the email prompt: exit 1"
has "$OUT" "Error getting email address." "A-318 [TTY] cancel message"
is "$(accounts)" 0 "A-318 [TTY] cancel saves no account"

new_dirs
tty_run '\nn\n' register
is "$RC" 1 "A-320 [TTY] no to TOS: exit 1"
has "$OUT" "Registration cannot proceed without accepting Terms of Service." \
    "A-320 [TTY] refusal message"
is "$(accounts)" 0 "A-320 [TTY] refusing TOS saves no account"

new_dirs
tty_run 'foo\n\ny\n' register
is "$RC" 0 "A-319 [TTY] an invalid address is asked again: exit 0"
# (the question is wrapped at 80 columns, as Certbot wraps its input
# prompts; compare with the lines joined)
has "$(tr '\n' ' ' <<<"$OUT")" "There is a problem with your email address. Enter email address or hit Enter to skip." \
    "A-319 [TTY] the second question says what was wrong"
is "$(accounts)" 1 "A-319 [TTY] registered after Enter at the second question"

new_dirs
tty_run 'y\ny\n' register -m a@x.test
is "$RC" 0 "A-321 [TTY] -m, yes to TOS and to the EFF question: exit 0"
has "$OUT" "Electronic Frontier Foundation" "A-321 [TTY] the EFF question is asked after TOS"
meta=$(cat "$C"/accounts/*/*/*/meta.json 2>/dev/null)
has "$meta" '"register_to_eff": "a@x.test"' "A-321 [TTY] meta.json keeps register_to_eff"
done_testing
