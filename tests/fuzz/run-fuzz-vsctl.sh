#!/bin/sh
# Old name, kept while ovsdb/automake.mk lists it in EXTRA_DIST: the same as
#   tests/fuzz/run-fuzz.sh vsctl-values [SECONDS]
exec "$(dirname "$0")/run-fuzz.sh" vsctl-values "$@"
