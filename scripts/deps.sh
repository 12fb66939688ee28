# shellcheck shell=bash
# Sourced by scripts/test and scripts/demo: install what building and
# testing need, with apt-get, when running as root on a Debian-like system.
# "apt-get update" runs only when something is missing.

CB_DEPS=(
    # build
    build-essential autoconf automake libtool pkg-config
    libssl-dev libcurl4-openssl-dev libjansson-dev libltdl-dev libldns-dev
    # integration tests
    pebble openssl curl jq procps coreutils util-linux findutils python3
    libc-bin hostname
    # webroot/manual tests serve challenge files with a real web server
    nginx
    # dns-rfc2136 and the propagation check are tested against a real named
    bind9 bind9-utils bind9-dnsutils
    # tests/interop runs Python Certbot side by side with ours
    certbot
)

# missing_deps: prints the packages of CB_DEPS that are not installed
missing_deps() {
    local p
    for p in "${CB_DEPS[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
            grep -q 'install ok installed' || echo "$p"
    done
}

install_deps() {
    local missing
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "deps: not a Debian-like system; install these by hand if missing:" \
             "${CB_DEPS[*]}" >&2
        return 0
    fi
    missing=$(missing_deps | tr '\n' ' ')
    [ -z "${missing// /}" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "deps: missing packages (run as root to install them): $missing" >&2
        return 0
    fi
    echo "deps: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
}
