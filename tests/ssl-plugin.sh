#!/bin/sh
# TLS plugin (lib/stream-ssl-plugin.h): the programs do not link OpenSSL,
# each exports every function vs-stream-ssl.so calls back (else dlopen()
# fails only when TLS is first used), and without the plugin a program
# says so clearly.  No root; the only connection tried is to loopback
# port 1, and it stops before connecting.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/.." && pwd)/_build}"
b=$top_builddir
plugin=$b/lib/vs-stream-ssl.so
progs="utilities/vs-vsctl utilities/vs-ofctl vswitchd/vs-vswitchd ovsdb/vs-ovsdb-server"
status=0
fail() { echo "FAIL: $*"; status=1; }

[ -f "$plugin" ] || { echo "FAIL: $plugin not built"; exit 1; }
command -v nm >/dev/null || { echo "SKIP: no nm (binutils)"; exit 77; }

# What the plugin takes from the program: undefined and unversioned (libc
# and OpenSSL symbols carry a version); weak ones may stay unresolved.
# A sanitizer build adds unversioned symbols that its runtime library
# (libasan, libubsan: the plugin's own dependencies) defines: leave out
# whatever a library the plugin links provides.
libdefs=$(ldd "$plugin" | awk '$3 ~ /^\// { print $3 }' | while read -r lib; do
    nm -D --defined-only "$lib" 2>/dev/null | awk '{ sub(/@.*/, "", $3); print $3 }'
done | sort -u)
needs=$(nm -D --undefined-only "$plugin" | awk '$1 == "U" && $2 !~ /@/ { print $2 }' \
        | while read -r s; do echo "$libdefs" | grep -qx "$s" || echo "$s"; done)
[ -n "$needs" ] || fail "plugin needs nothing from the program?"
echo "$needs" | grep -qx vlog || fail "plugin does not log through the program?"

for p in $progs; do
    exe=$b/$p
    [ -x "$exe" ] || { fail "$exe not built"; continue; }
    if ldd "$exe" | grep -q 'libssl\|libcrypto'; then
        fail "$p links OpenSSL:" $(ldd "$exe" | grep 'ssl\|crypto')
    else
        echo "PASS: $p does not link libssl/libcrypto"
    fi
    has=$(nm -D --defined-only "$exe" | awk '{ print $3 }')
    missing=
    for s in $needs; do
        echo "$has" | grep -qx "$s" || missing="$missing $s"
    done
    if [ -n "$missing" ]; then
        fail "$p does not export$missing (add to lib/stream-ssl-host.syms and host_functions[] in lib/stream-ssl-loader.c)"
    else
        echo "PASS: $p exports the $(echo $needs | wc -w) functions the plugin calls"
    fi
done

# A missing plugin: a clear error naming the path, and no crash.
out=$(VS_PKGLIBDIR=/nonexistent-vs-plugin "$b/utilities/vs-ofctl" show ssl:127.0.0.1:1 2>&1)
rc=$?
case $out in
*"TLS support not found: /nonexistent-vs-plugin/vs-stream-ssl.so: "*) [ $rc = 1 ] && echo "PASS: missing plugin reported" || fail "missing plugin: exit $rc" ;;
*) fail "missing plugin not reported clearly: $out" ;;
esac

# Found next to the program in the build tree (no VS_PKGLIBDIR): ssl:
# without keys is "not configured", which only the plugin says.
out=$(env -u VS_PKGLIBDIR "$b/utilities/vs-ofctl" show ssl:127.0.0.1:1 2>&1)
case $out in
*"SSL needs a private key"*) echo "PASS: plugin found in the build tree" ;;
*) fail "plugin not found from the build tree: $out" ;;
esac
exit $status
