#!/bin/sh
# End to end: vs-testd started with --detach --pidfile --log-file in a
# private run directory, driven by vs-appctl: built-in commands, log levels
# at run time, log reopen, coverage, errors and exit codes, deferred
# replies, exit with cleanup, --monitor restarting after kill -9, and
# ovs-appctl (a peer we did not write) speaking the same protocol.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
TESTD="$top_builddir/tests/vs-testd"
[ -x "$TESTD" ] || fail "no $TESTD (build with make check)"
command -v vs-appctl >/dev/null || fail "vs-appctl not in PATH"

# The pid of a daemon run under --monitor is not ours to track; make sure
# it dies with the test whatever happens.
on_exit 'for f in "$VS_RUNDIR"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")"; done'

pidfile="$VS_RUNDIR/vs-testd.pid"
logfile="$VS_LOGDIR/vs-testd.log"

# --- Start detached: when the command returns, the daemon is ready. ---
"$TESTD" --detach --no-chdir --pidfile --log-file -vconsole:off \
    || fail "vs-testd --detach failed"
[ -f "$pidfile" ] || fail "no pidfile right after --detach returned"
pid=$(cat "$pidfile")
track_pid "$pid"
kill -0 "$pid" || fail "daemon $pid not running"
ctl="$VS_RUNDIR/vs-testd.$pid.ctl"
[ -S "$ctl" ] || fail "no control socket $ctl"

# A second instance refuses to start while the first holds the pidfile.
if "$TESTD" --detach --no-chdir --pidfile -vconsole:off 2>"$VS_TEST_DIR/second.err"; then
    fail "second instance started"
fi
grep -q "already running as pid $pid" "$VS_TEST_DIR/second.err" \
    || fail "second instance: $(cat "$VS_TEST_DIR/second.err")"

# --- Built-in commands, by daemon name and by socket path. ---
out=$(vs-appctl -t vs-testd list-commands) || fail "list-commands"
for c in list-commands help version exit vlog/list vlog/set vlog/reopen \
         coverage/show testd/echo testd/error; do
    echo "$out" | grep -q "^  $c " || fail "list-commands lacks $c: $out"
done
out=$(vs-appctl -t "$ctl" version) || fail "version by path"
[ "$out" = "vs-testd (vswitch) $(vs-appctl --version | awk '{print $3}')" ] \
    || fail "version: $out"
out=$(vs-appctl -t vs-testd testd/echo hello "two words" -x) || fail "echo"
[ "$out" = "hello two words -x" ] || fail "echo: $out"

# --- Log levels at run time. ---
out=$(vs-appctl -t vs-testd vlog/list) || fail "vlog/list"
echo "$out" | grep -Eq '^testd +OFF +OFF +INFO$' || fail "vlog/list: $out"
vs-appctl -t vs-testd testd/echo dbg-before >/dev/null
grep -q "echo debug" "$logfile" && fail "dbg logged before vlog/set"
vs-appctl -t vs-testd vlog/set testd:file:dbg >/dev/null || fail "vlog/set"
echo "$(vs-appctl -t vs-testd vlog/list)" | grep -Eq '^testd +OFF +OFF +DBG$' \
    || fail "vlog/list after set"
vs-appctl -t vs-testd testd/echo dbg-after >/dev/null
grep -q "|testd|DBG|echo debug: 1 arguments" "$logfile" \
    || fail "dbg not logged after vlog/set"
vs-appctl -t vs-testd vlog/set ANY:file:warn >/dev/null || fail "ANY:file:warn"
echo "$(vs-appctl -t vs-testd vlog/list)" | grep -Eq '^poll_loop +OFF +OFF +WARN$' \
    || fail "ANY did not reach poll_loop"
vs-appctl -t vs-testd vlog/set ANY:file:info >/dev/null

# Bad spec: error text on stderr, exit status 2.
vs-appctl -t vs-testd vlog/set nosuch:file:dbg 2>"$VS_TEST_DIR/err" && fail "bad spec accepted"
rc=$?
[ $rc = 2 ] || fail "bad spec: exit $rc"
grep -q 'unknown module, destination, or level "nosuch"' "$VS_TEST_DIR/err" \
    || fail "bad spec message: $(cat "$VS_TEST_DIR/err")"

# --- Log reopen after rotation. ---
mv "$logfile" "$logfile.1"
vs-appctl -t vs-testd testd/echo into-rotated >/dev/null
vs-appctl -t vs-testd vlog/reopen >/dev/null || fail "vlog/reopen"
vs-appctl -t vs-testd testd/echo into-new >/dev/null
grep -q "echo: into-rotated" "$logfile.1" || fail "old file lost a message"
grep -q "echo: into-new" "$logfile" || fail "reopened file lacks message"
grep -q "echo: into-new" "$logfile.1" && fail "message went to rotated file"

# --- Coverage counts what happened. ---
out=$(vs-appctl -t vs-testd coverage/show) || fail "coverage/show"
n=$(echo "$out" | awk '$1 == "testd_echo" {print $NF}')
[ "$n" = 5 ] || fail "testd_echo total '$n', want 5: $out"
echo "$out" | grep -q '^poll_block ' || fail "no poll_block counter"

# --- Errors and exit codes. ---
vs-appctl -t vs-testd testd/error "it broke" 2>"$VS_TEST_DIR/err" >/dev/null
rc=$?
[ $rc = 2 ] || fail "error reply: exit $rc"
grep -q "^it broke$" "$VS_TEST_DIR/err" || fail "error text: $(cat "$VS_TEST_DIR/err")"
vs-appctl -t vs-testd no/such 2>"$VS_TEST_DIR/err"
[ $? = 2 ] || fail "unknown command exit status"
grep -q '"no/such" is not a valid command' "$VS_TEST_DIR/err" || fail "unknown command text"
vs-appctl -t vs-testd version extra 2>"$VS_TEST_DIR/err"
[ $? = 2 ] || fail "too many arguments exit status"
vs-appctl -t nosuchdaemon version 2>"$VS_TEST_DIR/err"
[ $? = 1 ] || fail "missing daemon exit status"
grep -q 'cannot read pidfile.*No such file or directory' "$VS_TEST_DIR/err" \
    || fail "missing daemon text: $(cat "$VS_TEST_DIR/err")"
vs-appctl -t "$VS_RUNDIR/none.ctl" version 2>"$VS_TEST_DIR/err"
[ $? = 1 ] || fail "missing socket exit status"
grep -q "cannot connect to $VS_RUNDIR/none.ctl: No such file or directory" \
    "$VS_TEST_DIR/err" || fail "missing socket text: $(cat "$VS_TEST_DIR/err")"

# --- Deferred reply, with another client served meanwhile. ---
vs-appctl -t vs-testd testd/defer >"$VS_TEST_DIR/deferred" &
defer_pid=$!
out=$(vs-appctl -t vs-testd testd/echo meanwhile) || fail "echo during defer"
wait $defer_pid || fail "deferred command failed"
[ "$(cat "$VS_TEST_DIR/deferred")" = "deferred reply" ] || fail "deferred reply"

# --- A daemon that never answers: --timeout gives up with status 1, and
# the daemon keeps serving others (the abandoned request is cleaned up). ---
start=$(date +%s)
vs-appctl -T 1 -t vs-testd testd/hang 2>"$VS_TEST_DIR/err"
rc=$?
[ $rc = 1 ] || fail "timeout: exit $rc"
grep -q "timed out" "$VS_TEST_DIR/err" || fail "timeout text: $(cat "$VS_TEST_DIR/err")"
[ $(( $(date +%s) - start )) -le 4 ] || fail "timeout took too long"
vs-appctl -t vs-testd version >/dev/null || fail "daemon hurt by abandoned request"

# --- Garbage on the socket does not hurt the daemon. ---
if command -v socat >/dev/null; then
    printf '{"method": 5, "params": [], "id": 1}\n{{{{' | \
        socat -t 1 - "UNIX-CONNECT:$ctl" >/dev/null 2>&1
    printf '{"method": "version", "params": [1, 2], "id": 7}' | \
        socat -t 1 - "UNIX-CONNECT:$ctl" >"$VS_TEST_DIR/raw" 2>&1
    grep -q '"error"' "$VS_TEST_DIR/raw" || fail "non-string params: $(cat "$VS_TEST_DIR/raw")"
fi
# An oversized request (2 MiB) costs the sender its connection, nothing
# more; so do many clients that connect and leave without a word.
python3 - "$ctl" <<'PY' || fail "hostile clients script"
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
try:
    s.sendall(b'{"method": "testd/echo", "params": ["' + b'x' * (2 << 20) + b'"], "id": 1}')
    s.settimeout(5)
    assert s.recv(100) == b'', "server answered an oversized request"
except (BrokenPipeError, ConnectionResetError):
    pass
conns = []
for i in range(50):
    c = socket.socket(socket.AF_UNIX)
    c.connect(sys.argv[1])
    conns.append(c)
for c in conns:
    c.close()
PY
vs-appctl -t vs-testd version >/dev/null || fail "daemon hurt by garbage"
[ "$(vs-appctl -t vs-testd coverage/read-counter testd_echo)" = 6 ] \
    || fail "coverage/read-counter"

# --- A peer we did not write: ovs-appctl speaks the same protocol. ---
if command -v ovs-appctl >/dev/null; then
    out=$(ovs-appctl -t "$ctl" testd/echo from ovs) || fail "ovs-appctl"
    [ "$out" = "from ovs" ] || fail "ovs-appctl echo: $out"
fi

# --- exit: the daemon leaves, removing its pidfile and socket. ---
vs-appctl -t vs-testd exit || fail "exit"
wait_until 5 sh -c "! kill -0 $pid" || fail "daemon still running after exit"
[ -e "$pidfile" ] && fail "pidfile left behind"
[ -e "$ctl" ] && fail "control socket left behind"

# --- SIGTERM cleans up too. ---
"$TESTD" --detach --no-chdir --pidfile -vconsole:off || fail "restart"
pid=$(cat "$pidfile"); track_pid "$pid"
kill -TERM "$pid"
wait_until 5 sh -c "! kill -0 $pid" || fail "SIGTERM did not stop daemon"
[ -e "$pidfile" ] && fail "pidfile left after SIGTERM"
[ -e "$VS_RUNDIR/vs-testd.$pid.ctl" ] && fail "socket left after SIGTERM"

# --- --monitor restarts the daemon after kill -9 and after a crash. ---
ulimit -c 0                     # testd/crash aborts: no core files.
"$TESTD" --detach --monitor --no-chdir --pidfile --log-file -vconsole:off \
    || fail "start with --monitor"
pid1=$(cat "$pidfile")
monitor=$(ps -o ppid= -p "$pid1" | tr -d ' ')
[ -n "$monitor" ] && [ "$monitor" != 1 ] || fail "no monitor process"
on_exit "kill $monitor"         # Runs before the pidfile kill above.
vs-appctl -t vs-testd version >/dev/null || fail "monitored daemon answers"
kill -9 "$pid1"
new_pid() { [ -f "$pidfile" ] && p=$(cat "$pidfile") && [ "$p" != "$1" ] \
            && vs-appctl -t vs-testd version >/dev/null 2>&1; }
wait_until 10 new_pid "$pid1" || fail "not restarted after kill -9"
pid2=$(cat "$pidfile")
[ -e "$VS_RUNDIR/vs-testd.$pid1.ctl" ] && fail "dead daemon's socket left"
vs-appctl -t vs-testd testd/crash 2>/dev/null
wait_until 10 new_pid "$pid2" || fail "not restarted after crash"
pid3=$(cat "$pidfile")
grep -q "died, killed by signal 9" "$logfile" || fail "monitor did not log kill"
# exit is a clean stop: the monitor goes too.
[ "$(ps -o ppid= -p "$pid3" | tr -d ' ')" = "$monitor" ] || fail "new monitor?"
vs-appctl -t vs-testd exit || fail "exit monitored daemon"
wait_until 5 sh -c "! kill -0 $pid3 && ! kill -0 $monitor" \
    || fail "monitored daemon or monitor still running after exit"
[ -e "$pidfile" ] && fail "pidfile left after monitored exit"
pass
