# Debian's Open vSwitch (ovsdb-server + ovs-vswitchd) as a yardstick, in a
# private directory and its own network namespace, stopped at exit.
# Source after tests/system/lib.sh.
#
# ovs-vswitchd's userspace datapath owns a tap named "ovs-netdev": one per
# network namespace, so a second ovs-vswitchd (another test, another user of
# the machine) would fail to open its datapath.  Ours runs in namespace
# "$VS_T-ovs" (lib.sh `ns ovs CMD`), and ovs_add_bridge moves the ports there.
#
#   ovs_start DIR     starts both daemons with their files in DIR; sets
#                     OVSCTL (ovs-vsctl on that database) and exports
#                     OVS_RUNDIR etc. so ovs-ofctl/ovs-appctl find them
#   ovs_add_bridge BR PORT...  a datapath_type=netdev bridge (no kernel
#                     module needed) with the given root-namespace ports,
#                     which it moves into the OVS namespace
#   ovs_stop          deletes the bridges and stops both daemons

ovs_start() {
    require_cmd ovsdb-server ovsdb-tool ovs-vswitchd ovs-vsctl ovs-appctl
    OVS_DIR=$1
    mkdir -p "$OVS_DIR"
    export OVS_RUNDIR=$OVS_DIR OVS_LOGDIR=$OVS_DIR OVS_DBDIR=$OVS_DIR OVS_SYSCONFDIR=$OVS_DIR
    ovsdb-tool create "$OVS_DIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema \
        || fail "ovsdb-tool create"
    ovsdb-server "$OVS_DIR/conf.db" --remote="punix:$OVS_DIR/db.sock" \
        --pidfile="$OVS_DIR/ovsdb.pid" --unixctl="$OVS_DIR/ovsdb.ctl" --no-chdir \
        --log-file="$OVS_DIR/ovsdb.log" --detach || fail "ovsdb-server"
    OVS_DB_PID=$(cat "$OVS_DIR/ovsdb.pid")
    track_pid "$OVS_DB_PID"
    OVSCTL="ovs-vsctl --db=unix:$OVS_DIR/db.sock --timeout=20"
    $OVSCTL --no-wait init || fail "ovs-vsctl init"
    ns_add ovs
    ns ovs ovs-vswitchd "unix:$OVS_DIR/db.sock" --pidfile="$OVS_DIR/vswitchd.pid" \
        --unixctl="$OVS_DIR/vswitchd.ctl" --no-chdir \
        --log-file="$OVS_DIR/vswitchd.log" --detach || fail "ovs-vswitchd"
    OVS_VSWITCHD_PID=$(cat "$OVS_DIR/vswitchd.pid")
    track_pid "$OVS_VSWITCHD_PID"
    # Registered after the PIDs, so it runs before they are killed: the
    # bridges' tap devices go away with a clean exit.
    on_exit "ovs_stop"
}

ovs_add_bridge() {
    _br=$1; shift
    _args="add-br $_br -- set Bridge $_br datapath_type=netdev"
    for _p in "$@"; do
        ip link set "$_p" netns "$VS_T-ovs" || fail "move $_p to $VS_T-ovs"
        ip -n "$VS_T-ovs" link set "$_p" up
        _args="$_args -- add-port $_br $_p"
    done
    $OVSCTL $_args || fail "ovs-vsctl $_args"
}

ovs_stop() {
    [ -n "${OVS_VSWITCHD_PID:-}" ] || return 0
    for _b in $($OVSCTL list-br 2>/dev/null); do
        $OVSCTL del-br "$_b"
    done
    ovs-appctl -t "$OVS_DIR/vswitchd.ctl" exit --cleanup >/dev/null 2>&1
    ovs-appctl -t "$OVS_DIR/ovsdb.ctl" exit >/dev/null 2>&1
    for _i in 1 2 3 4 5 6 7 8 9 10; do
        kill -0 "$OVS_VSWITCHD_PID" 2>/dev/null || kill -0 "$OVS_DB_PID" 2>/dev/null || break
        sleep 0.2
    done
    kill "$OVS_VSWITCHD_PID" "$OVS_DB_PID" 2>/dev/null
    OVS_VSWITCHD_PID=
}
