#!/bin/sh
# vs-ctl: first start creates conf.db from the schema, status/stop/restart
# follow the daemons' pidfiles, an older database is converted to the new
# schema with its data kept.  vs-vswitchd is replaced by a stand-in that
# only daemonizes (the real one is tested by its own suite).
. "$top_srcdir/tests/system/lib.sh"
require_cmd vs-ctl vs-vsctl
if command -v vs-ovsdb-server >/dev/null 2>&1; then
    SERVER=vs-ovsdb-server TOOL=vs-ovsdb-tool
else
    require_cmd ovsdb-server ovsdb-tool
    SERVER=ovsdb-server TOOL=ovsdb-tool
fi
export VS_PKGDATADIR="$VS_TEST_DIR/share"
mkdir -p "$VS_PKGDATADIR"
cp "$top_srcdir/vswitchd/vswitch.ovsschema" "$VS_PKGDATADIR/"

# Stand-in vs-vswitchd: writes its pidfile and idles (bounded: 300 s).
cat >"$VS_TEST_DIR/fake-vswitchd" <<'EOS'
#!/bin/sh
for a in "$@"; do case $a in --pidfile=*) pf=${a#*=};; esac; done
sleep 300 </dev/null >/dev/null 2>&1 &
echo $! >"$pf"
EOS
chmod +x "$VS_TEST_DIR/fake-vswitchd"

CTL="vs-ctl --ovsdb-server=$SERVER --ovsdb-tool=$TOOL --vswitchd=$VS_TEST_DIR/fake-vswitchd --datapath=xdp"
on_exit "$CTL stop"
VSCTL="vs-vsctl --no-wait --timeout=10"

log "status before start: not running, exit 3"
$CTL status >"$VS_TEST_DIR/st"; rc=$?
[ $rc = 3 ] || fail "status exit $rc, want 3"
grep -q "vs-ovsdb-server is not running" "$VS_TEST_DIR/st" || fail "status text"

log "first start creates conf.db"
$CTL start || fail "start"
[ -s "$VS_DBDIR/conf.db" ] || fail "no conf.db"
$CTL status || fail "status after start"
if [ "$SERVER" = vs-ovsdb-server ]; then
    vs-appctl -t vs-ovsdb-server version | grep -q vswitch \
        || fail "vs-appctl -t vs-ovsdb-server cannot reach the daemon vs-ctl started"
fi
$VSCTL add-br br0 || fail "vs-vsctl through the default socket"
[ "$($VSCTL get Open_vSwitch . db_version)" = '"1.0.0"' ] || fail "db_version not set"
$VSCTL get Open_vSwitch . ovs_version | grep -q . || fail "ovs_version not set"

log "start again is harmless; force-reload restarts only vs-vswitchd"
dbpid=$(cat "$VS_RUNDIR/vs-ovsdb-server.pid")
swpid=$(cat "$VS_RUNDIR/vs-vswitchd.pid")
$CTL start | grep -q "already running" || fail "second start"
$CTL force-reload || fail "force-reload"
[ "$(cat "$VS_RUNDIR/vs-ovsdb-server.pid")" = "$dbpid" ] || fail "force-reload restarted the database"
[ "$(cat "$VS_RUNDIR/vs-vswitchd.pid")" != "$swpid" ] || fail "force-reload kept vs-vswitchd"
kill -0 "$swpid" 2>/dev/null && fail "old vs-vswitchd still runs"

log "stop ends both; data survives restart"
$CTL stop || fail "stop"
kill -0 "$dbpid" 2>/dev/null && fail "database still runs"
$CTL status >/dev/null && fail "status 0 after stop"
$CTL restart || fail "restart"
[ "$($VSCTL list-br)" = br0 ] || fail "br0 lost across restart"
$CTL stop >/dev/null

log "an older database is converted to the installed schema"
python3 - "$VS_PKGDATADIR/vswitch.ovsschema" "$VS_TEST_DIR/old.ovsschema" <<'EOP' || fail "old schema"
import json, sys
s = json.load(open(sys.argv[1]))
s["version"] = "0.9.0"
del s["tables"]["Bridge"]["columns"]["rstp_enable"]
json.dump(s, open(sys.argv[2], "w"))
EOP
rm -f "$VS_DBDIR/conf.db"
$TOOL create "$VS_DBDIR/conf.db" "$VS_TEST_DIR/old.ovsschema" || fail "create old db"
$CTL --no-vswitchd start >"$VS_TEST_DIR/conv" || fail "start with old db"
grep -q "converting database" "$VS_TEST_DIR/conv" || fail "no conversion: $(cat "$VS_TEST_DIR/conv")"
[ "$($TOOL db-version "$VS_DBDIR/conf.db")" = 1.0.0 ] || fail "db not converted"
ls "$VS_DBDIR"/conf.db.backup0.9.0-* >/dev/null 2>&1 || fail "no backup"
$VSCTL add-br br9 -- set Bridge br9 rstp_enable=true || fail "new column unusable"

log "bad usage is refused"
$CTL --datapath=bogus start 2>/dev/null && fail "bogus datapath accepted"
$CTL frobnicate 2>/dev/null && fail "bogus command accepted"
pass
