#!/usr/bin/env bash
# PLACEHOLDER: replaced by the real test in this session.
. "$(dirname "$0")/lib.sh"
skip_all "not written yet"
