#!/bin/sh
# The syslog destination, for real: in a private mount namespace /dev is a
# fresh tmpfs whose /dev/log is a datagram socket this test reads, so
# messages reach "syslog" without touching the host's logger.  Checks the
# priority (facility and level) and the line, and that vlog/set turns
# syslog output on and off at run time.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
require_root
require_cmd unshare python3 mknod
TESTD="$top_builddir/tests/vs-testd"
[ -x "$TESTD" ] || fail "no $TESTD (build with make check)"

out="$VS_TEST_DIR/syslog.out"
ctl="$VS_RUNDIR/testd.ctl"
cat >"$VS_TEST_DIR/inner.sh" <<EOF_INNER
set -eu
mount --make-rprivate /
mount -t tmpfs vstest-dev /dev
mknod -m 666 /dev/null c 1 3
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
with open(sys.argv[1], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536) + b"\\n")
' "$out" &
rcv_pid=\$!
testd_pid=
trap 'kill \$rcv_pid \$testd_pid 2>/dev/null || true' EXIT
i=0; while [ ! -S /dev/log ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i+1)); done
"$TESTD" --unixctl="$ctl" -vconsole:off -vtestd:syslog:info &
testd_pid=\$!
i=0; while [ ! -S "$ctl" ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i+1)); done
vs-appctl -t "$ctl" testd/echo to-syslog-1 >/dev/null
vs-appctl -t "$ctl" vlog/set testd:syslog:off >/dev/null
vs-appctl -t "$ctl" testd/echo not-to-syslog >/dev/null
vs-appctl -t "$ctl" vlog/set testd:syslog:dbg facility:local0 >/dev/null
vs-appctl -t "$ctl" testd/echo to-syslog-2 >/dev/null
vs-appctl -t "$ctl" exit >/dev/null
wait \$testd_pid || true
sleep 0.3
EOF_INNER
timeout 60 unshare -m sh "$VS_TEST_DIR/inner.sh" || fail "namespace script failed"

[ -s "$out" ] || fail "nothing reached the syslog socket"
# daemon(3) * 8 + info(6) = 30; local0(16) * 8 + info = 134, + debug(7) = 135.
grep -a -q '^<30>.*vs-testd\[[0-9]*\]: [0-9]*|testd|INFO|echo: to-syslog-1' "$out" \
    || fail "first message: $(cat -v "$out")"
grep -a -q 'not-to-syslog' "$out" && fail "message logged with syslog off"
grep -a -q '^<134>.*|testd|INFO|echo: to-syslog-2' "$out" \
    || fail "local0 message: $(cat -v "$out")"
grep -a -q '^<135>.*|testd|DBG|echo debug: 1 arguments' "$out" \
    || fail "dbg message: $(cat -v "$out")"
pass
