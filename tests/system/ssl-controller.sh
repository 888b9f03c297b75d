#!/bin/sh
# TLS everywhere, configured the way Open vSwitch users do it, with
# certificates made here by the openssl command:
#   (c) vs-ovsdb-server takes its key from the database
#       (--private-key=db:Open_vSwitch,SSL,private_key ...) and listens on a
#       pssl: Manager target: ovs-vsctl, ovsdb-client and vs-vsctl connect
#       with -p/-c/-C; an untrusted client and plain-TCP garbage are refused
#       and the server goes on; an ssl: Manager target connects out to a
#       TLS peer (tests/system/ssl-jsonrpc-peer.py) that queries it;
#   (a) vs-vswitchd applies the SSL row (set-ssl): a bridge's pssl:
#       controller listener serves the real ovs-ofctl and vs-ofctl;
#       untrusted clients and garbage are refused, the daemon goes on;
#   (b) an active ssl: controller (os-ken with TLS) connects
#       (is_connected=true) and installs flows that traffic follows; a
#       controller signed by another CA is not connected and the Controller
#       status says why;
#   (d) set-ssl --bootstrap: with the CA file missing, vs-vswitchd saves
#       the controller's CA from the first connection, then connects.
#   (e) the same files as command-line options: vs-ovsdb-server -p -c -C
#       with a pssl: remote, vs-vswitchd --private-key ... --config=FILE
#       with a pssl: controller listener (up from the start).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
. "$top_srcdir/tests/system/vsctl-lib.sh"
require_root
require_cmd vs-ovsdb-server vs-ovsdb-tool vs-vsctl vs-vswitchd vs-ofctl vs-dpctl \
    ovs-ofctl ovs-vsctl ovsdb-client openssl ss
NET=209

log "certificates: CAs ca and other-ca; switch, ctl (by ca); rogue (by other-ca)"
PKI=$VS_TEST_DIR/pki
mkdir -p "$PKI"
(
    set -e
    cd "$PKI"
    for ca in ca other-ca; do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout $ca.key -out $ca.pem -days 2 -subj "/CN=test-$ca"
    done
    for p in switch:ca ctl:ca rogue:other-ca; do
        n=${p%%:*} ca=${p#*:}
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout $n.key -out $n.csr -subj "/CN=test-$n"
        openssl x509 -req -in $n.csr -CA $ca.pem -CAkey $ca.key -CAcreateserial \
            -out $n.pem -days 2
    done
    # The controller sends its CA too, for switches that bootstrap it.
    cat ctl.pem ca.pem > ctl-chain.pem
) >"$VS_LOGDIR/openssl.out" 2>&1 || fail "openssl could not make certificates"
CTL_SSL="-p $PKI/ctl.key -c $PKI/ctl.pem -C $PKI/ca.pem"
ROGUE_SSL="-p $PKI/rogue.key -c $PKI/rogue.pem -C $PKI/other-ca.pem"

# free_port: a TCP port on 127.0.0.1 nothing listens on now.
free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
listening() { ss -Hltn "sport = :$1" | grep -q LISTEN; }
# garbage PORT: plain TCP junk, then an abrupt close, to a TLS port.
garbage() {
    /usr/bin/python3 - "$1" <<'EOF'
import socket, sys
for junk in (b"GET / HTTP/1.0\r\n\r\n", b"\x16\x03\x01\xff\xff" + b"\x00" * 4000, b""):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    s.sendall(junk)
    s.close()
EOF
}
# silent PORT: holds a TCP connection that never starts its handshake for
# 10 s, in the background (a slow client must not stall the others).
silent() {
    /usr/bin/python3 -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
time.sleep(10)' "$1" &
    track_pid $!
    sleep 0.3
}
alive() { kill -0 "$1" 2>/dev/null || fail "$2 died: $(tail -5 "$VS_LOGDIR/$3.out")"; }

log "(c) vs-ovsdb-server with its TLS files from the database"
vs-ovsdb-tool create "$VS_DBDIR/conf.db" "$top_srcdir/vswitchd/vswitch.ovsschema" \
    || fail "vs-ovsdb-tool create"
start_daemon ovsdb vs-ovsdb-server --remote="punix:$VS_RUNDIR/db.sock" \
    --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
    --private-key=db:Open_vSwitch,SSL,private_key \
    --certificate=db:Open_vSwitch,SSL,certificate \
    --bootstrap-ca-cert=db:Open_vSwitch,SSL,ca_cert \
    --unixctl="$VS_RUNDIR/ovsdb.ctl" "$VS_DBDIR/conf.db"
DB_PID=$DAEMON_PID
wait_until 10 ovsdb-client list-dbs "$DB" || fail "vs-ovsdb-server did not start"
# No vs-vswitchd yet: do not wait for it.
$VSCTL --no-wait init || fail "init"
$VSCTL --no-wait set-ssl "$PKI/switch.key" "$PKI/switch.pem" "$PKI/ca.pem" || fail "set-ssl"
out=$($VSCTL get-ssl)
[ "$out" = "Private key: $PKI/switch.key
Certificate: $PKI/switch.pem
CA Certificate: $PKI/ca.pem
Bootstrap: false" ] || fail "get-ssl: $out"
DBPORT=$(free_port)
$VSCTL --no-wait set-manager "pssl:$DBPORT:127.0.0.1" || fail "set-manager"
wait_until 10 listening "$DBPORT" || fail "no pssl:$DBPORT listener: $(tail "$VS_LOGDIR/ovsdb.out")"
SSLDB="ssl:127.0.0.1:$DBPORT"

out=$(ovs-vsctl --db="$SSLDB" $CTL_SSL --timeout=10 get-manager 2>&1) \
    || fail "ovs-vsctl over TLS: $out"
[ "$out" = "pssl:$DBPORT:127.0.0.1" ] || fail "ovs-vsctl get-manager over TLS: $out"
ovs-vsctl --db="$SSLDB" $CTL_SSL --timeout=10 show >/dev/null 2>&1 \
    || fail "ovs-vsctl show over TLS"
out=$(ovsdb-client $CTL_SSL list-dbs "$SSLDB" 2>&1) || fail "ovsdb-client over TLS: $out"
echo "$out" | grep -qx Open_vSwitch || fail "ovsdb-client list-dbs over TLS: $out"
out=$(vs-vsctl --db="$SSLDB" $CTL_SSL --timeout=10 get-ssl 2>&1) \
    || fail "vs-vsctl over TLS: $out"
echo "$out" | grep -q "Certificate: $PKI/switch.pem" || fail "vs-vsctl get-ssl over TLS: $out"
vs-vsctl --db="$SSLDB" $CTL_SSL --timeout=10 --no-wait set Open_vSwitch . \
    external_ids:tls=ok || fail "vs-vsctl write over TLS"
[ "$($VSCTL get Open_vSwitch . external_ids:tls)" = ok ] || fail "vs-vsctl write over TLS not seen"
vs-vsctl --db="$SSLDB" $CTL_SSL --timeout=10 show >/dev/null || fail "vs-vsctl show over TLS"
log "untrusted clients and garbage on the database's TLS port"
ovsdb-client $ROGUE_SSL list-dbs "$SSLDB" >/dev/null 2>&1 \
    && fail "ovsdb-client with an untrusted certificate got through"
vs-vsctl --db="$SSLDB" $ROGUE_SSL --timeout=3 show >/dev/null 2>&1 \
    && fail "vs-vsctl trusting another CA got through"
vs-vsctl --db="$SSLDB" --timeout=3 show >"$VS_LOGDIR/nossl.out" 2>&1 \
    && fail "vs-vsctl without TLS files got through"
garbage "$DBPORT" || fail "could not send garbage"
alive "$DB_PID" vs-ovsdb-server ovsdb
silent "$DBPORT"
out=$(ovsdb-client $CTL_SSL list-dbs "$SSLDB" 2>&1) || fail "ovsdb-client after garbage: $out"

log "an active ssl: manager: vs-ovsdb-server connects out to a TLS peer"
PEERPORT=$(free_port)
start_daemon ssl-peer /usr/bin/python3 "$top_srcdir/tests/system/ssl-jsonrpc-peer.py" \
    "$PEERPORT" "$PKI/ctl.key" "$PKI/ctl.pem" "$PKI/ca.pem"
wait_until 10 listening "$PEERPORT" || fail "TLS peer did not listen"
$VSCTL --no-wait set-manager "pssl:$DBPORT:127.0.0.1" "ssl:127.0.0.1:$PEERPORT" \
    || fail "set-manager ssl:"
wait_until 20 grep -q Open_vSwitch "$VS_LOGDIR/ssl-peer.out" \
    || fail "no list_dbs reply over the active ssl: remote: $(cat "$VS_LOGDIR/ssl-peer.out")"
$VSCTL --no-wait set-manager "pssl:$DBPORT:127.0.0.1" || fail "set-manager"

log "(a) vs-vswitchd: the SSL row configures a pssl: controller listener"
bpffs_setup
BR=$(link_name br)
on_exit "vs-dpctl del-dp $BR"
start_daemon vswitchd vs-vswitchd "$DB" --pidfile
VSW_PID=$DAEMON_PID
for i in 1 2; do host $i; done
$VSCTL add-br "$BR" -- add-port "$BR" "$(link_name p1)" -- add-port "$BR" "$(link_name p2)" \
    || fail "add-br"
dp_has_ports "$BR" 3 || wait_until 10 dp_has_ports "$BR" 3 || fail "datapath ports"
OFPORT=$(free_port)
$VSCTL set-controller "$BR" "pssl:$OFPORT:127.0.0.1" || fail "set-controller pssl"
wait_until 10 listening "$OFPORT" || fail "no pssl:$OFPORT listener: $(tail "$VS_LOGDIR/vswitchd.out")"
SWITCH="ssl:127.0.0.1:$OFPORT"
ovs-ofctl --private-key="$PKI/ctl.key" --certificate="$PKI/ctl.pem" --ca-cert="$PKI/ca.pem" \
    add-flow "$SWITCH" "priority=5,dl_type=0x0806,actions=drop" || fail "ovs-ofctl add-flow over TLS"
out=$(ovs-ofctl --private-key="$PKI/ctl.key" --certificate="$PKI/ctl.pem" \
      --ca-cert="$PKI/ca.pem" dump-flows "$SWITCH" 2>&1) || fail "ovs-ofctl dump-flows over TLS: $out"
echo "$out" | grep -q "priority=5,arp actions=drop" || fail "ovs-ofctl dump-flows over TLS: $out"
out=$(vs-ofctl $CTL_SSL dump-flows "$SWITCH" 2>&1) || fail "vs-ofctl dump-flows over TLS: $out"
echo "$out" | grep -q "priority=5,arp actions=drop" || fail "vs-ofctl dump-flows over TLS: $out"
vs-ofctl $CTL_SSL del-flows "$SWITCH" || fail "vs-ofctl del-flows over TLS"
log "untrusted OpenFlow clients and garbage on the bridge's TLS port"
ovs-ofctl --private-key="$PKI/rogue.key" --certificate="$PKI/rogue.pem" \
    --ca-cert="$PKI/other-ca.pem" dump-flows "$SWITCH" >/dev/null 2>&1 \
    && fail "ovs-ofctl with an untrusted certificate got through"
vs-ofctl -t 3 $ROGUE_SSL dump-flows "$SWITCH" >/dev/null 2>&1 \
    && fail "vs-ofctl trusting another CA got through"
vs-ofctl -t 3 dump-flows "$SWITCH" >/dev/null 2>&1 \
    && fail "vs-ofctl without TLS files got through"
garbage "$OFPORT" || fail "could not send garbage"
alive "$VSW_PID" vs-vswitchd vswitchd
silent "$OFPORT"
out=$(vs-ofctl $CTL_SSL dump-flows "$SWITCH" 2>&1) || fail "vs-ofctl after garbage: $out"

log "a big dump over TLS: 20000 flows through ovs-ofctl"
awk 'BEGIN { for (i = 0; i < 20000; i++)
    printf "priority=7,ip,nw_dst=10.%d.%d.%d,actions=drop\n", int(i / 65536) + 100, int(i / 256) % 256, i % 256 }' \
    >"$VS_TEST_DIR/flows.txt"
ovs-ofctl add-flows "unix:$VS_RUNDIR/$BR.mgmt" "$VS_TEST_DIR/flows.txt" || fail "add-flows"
t0=$(date +%s%N)
n=$(ovs-ofctl --private-key="$PKI/ctl.key" --certificate="$PKI/ctl.pem" --ca-cert="$PKI/ca.pem" \
    dump-flows "$SWITCH" | grep -c "priority=7,") || fail "dump-flows over TLS failed"
t1=$(date +%s%N)
[ "$n" = 20000 ] || fail "dump-flows over TLS: $n flows of 20000"
n=$(vs-ofctl $CTL_SSL dump-flows "$SWITCH" | grep -c "priority=7,") || fail "vs-ofctl dump over TLS"
[ "$n" = 20000 ] || fail "vs-ofctl dump-flows over TLS: $n flows of 20000"
log "20000 flows dumped over TLS by ovs-ofctl in $(( (t1 - t0) / 1000000 )) ms"
ovs-ofctl del-flows "unix:$VS_RUNDIR/$BR.mgmt" || fail "del-flows"

log "renewed files are used by new connections: the switch's identity becomes rogue's"
ofctl_ok() { ovs-ofctl --private-key="$PKI/ctl.key" --certificate="$PKI/ctl.pem" \
                 --ca-cert="$PKI/ca.pem" dump-flows "$SWITCH" >/dev/null 2>&1; }
ofctl_refused() { ! ofctl_ok; }
cp "$PKI/switch.key" "$PKI/switch.key.orig"
cp "$PKI/switch.pem" "$PKI/switch.pem.orig"
cp "$PKI/rogue.key" "$PKI/switch.key.new" && mv "$PKI/switch.key.new" "$PKI/switch.key"
cp "$PKI/rogue.pem" "$PKI/switch.pem.new" && mv "$PKI/switch.pem.new" "$PKI/switch.pem"
wait_until 10 ofctl_refused || fail "the switch still presents its old certificate"
mv "$PKI/switch.key.orig" "$PKI/switch.key"
mv "$PKI/switch.pem.orig" "$PKI/switch.pem"
wait_until 10 ofctl_ok || fail "the switch did not take its certificate back"

log "(b) an active ssl: controller: os-ken with TLS"
if ! /usr/bin/python3 -c 'import os_ken' 2>/dev/null; then
    skip "needs python3-os-ken for the ssl: controller part"
fi
. "$top_srcdir/tests/system/osken-lib.sh"
# osken_tls NAME KEY CERT CA PORT: os-ken with the learning app listening
# for TLS on 127.0.0.1:PORT; sets OSKEN_PID.
osken_tls() {
    start_daemon "$1" /usr/bin/python3 -m os_ken.cmd.manager \
        --ofp-listen-host 127.0.0.1 --ofp-ssl-listen-port "$5" \
        --ctl-privkey "$2" --ctl-cert "$3" --ca-certs "$4" "$(osken_app)"
    OSKEN_PID=$DAEMON_PID
    wait_until 30 listening "$5" || fail "os-ken ($1) did not listen on $5"
}
SW_VSCTL=$VSCTL
SW_OFCTL="vs-ofctl -O OpenFlow13"
SW_MGMT="unix:$VS_RUNDIR/$BR.mgmt"
m1=$(mac_of 1) m2=$(mac_of 2)
CPORT=$(free_port)
osken_tls osken "$PKI/ctl.key" "$PKI/ctl-chain.pem" "$PKI/ca.pem" "$CPORT"
$VSCTL set-fail-mode "$BR" secure -- set-controller "$BR" "ssl:127.0.0.1:$CPORT" \
    || fail "set-controller ssl"
CTRL_UUID=$($VSCTL get Bridge "$BR" controller | tr -d '[]')
wait_until 30 controller_connected || fail "ssl: controller not connected: $($VSCTL list Controller)"
wait_until 30 table_miss_to_controller || fail "no table-miss flow from os-ken: $(sw_flows)"
wait_until 15 ping_ok 1 2 || fail "h1 -> h2 through os-ken over TLS"
n12=$(app_flow_packets "$m1" "$m2")
[ -n "$n12" ] || fail "no app flow h1 -> h2: $(sw_flows)"
ns h1 ping -c 3 -i 0.2 -W 1 "10.$NET.0.2" >/dev/null || fail "h1 -> h2 again"
wait_until 10 flow_reached "$m1" "$m2" $((n12 + 3)) \
    || fail "h1->h2 flow counter did not grow from $n12: $(sw_flows)"
log "connected over TLS; the app's h1->h2 flow carried $(app_flow_packets "$m1" "$m2") packets"
# The replica lags the database a little: read it until the state shows.
wait_until 10 sh -c "$VSCTL get Controller $CTRL_UUID status:state | grep -q ACTIVE" \
    || fail "Controller status: $($VSCTL get Controller "$CTRL_UUID" status)"

log "a controller signed by another CA: not connected, the status says why"
RPORT=$(free_port)
osken_tls osken-rogue "$PKI/rogue.key" "$PKI/rogue.pem" "$PKI/ca.pem" "$RPORT"
$VSCTL set-controller "$BR" "ssl:127.0.0.1:$RPORT" || fail "set-controller rogue"
CTRL_UUID=$($VSCTL get Bridge "$BR" controller | tr -d '[]')
untrusted_reported() {
    $VSCTL get Controller "$CTRL_UUID" status:last_error 2>/dev/null | grep -q "not trusted"
}
wait_until 20 untrusted_reported \
    || fail "no reason in the status: $($VSCTL get Controller "$CTRL_UUID" status)"
[ "$($VSCTL get Controller "$CTRL_UUID" is_connected)" = false ] \
    || fail "connected to an untrusted controller"
log "status: $($VSCTL get Controller "$CTRL_UUID" status:last_error)"
alive "$VSW_PID" vs-vswitchd vswitchd

log "(d) set-ssl --bootstrap: the CA is saved from the first controller"
BOOT_CA="$VS_TEST_DIR/bootstrapped-ca.pem"
$VSCTL --bootstrap set-ssl "$PKI/switch.key" "$PKI/switch.pem" "$BOOT_CA" \
    -- set-controller "$BR" "ssl:127.0.0.1:$CPORT" || fail "set-ssl --bootstrap"
[ "$($VSCTL get-ssl | grep Bootstrap)" = "Bootstrap: true" ] || fail "get-ssl: $($VSCTL get-ssl)"
CTRL_UUID=$($VSCTL get Bridge "$BR" controller | tr -d '[]')
wait_until 20 test -s "$BOOT_CA" || fail "CA not bootstrapped: $(tail "$VS_LOGDIR/vswitchd.out")"
[ "$(openssl x509 -noout -fingerprint -in "$BOOT_CA")" = \
  "$(openssl x509 -noout -fingerprint -in "$PKI/ca.pem")" ] || fail "bootstrapped a different CA"
wait_until 30 controller_connected || fail "not connected after the bootstrap: $($VSCTL list Controller)"
$VSCTL del-ssl || fail "del-ssl"
[ -z "$($VSCTL get-ssl)" ] || fail "get-ssl after del-ssl: $($VSCTL get-ssl)"
alive "$VSW_PID" vs-vswitchd vswitchd
alive "$DB_PID" vs-ovsdb-server ovsdb

log "(e) TLS files as command-line options (no database row)"
vs-ovsdb-tool create "$VS_DBDIR/opt.db" "$top_srcdir/vswitchd/vswitch.ovsschema" \
    || fail "vs-ovsdb-tool create opt.db"
OPTDB=$(free_port)
start_daemon ovsdb-opt vs-ovsdb-server --remote="pssl:$OPTDB:127.0.0.1" \
    -p "$PKI/switch.key" -c "$PKI/switch.pem" -C "$PKI/ca.pem" \
    --unixctl="$VS_RUNDIR/ovsdb-opt.ctl" "$VS_DBDIR/opt.db"
wait_until 10 listening "$OPTDB" || fail "vs-ovsdb-server -p -c -C: no listener"
out=$(ovsdb-client $CTL_SSL list-dbs "ssl:127.0.0.1:$OPTDB" 2>&1) \
    || fail "ovsdb-client to vs-ovsdb-server -p -c -C: $out"
echo "$out" | grep -qx Open_vSwitch || fail "list-dbs: $out"
log "a 90 kB transaction (the most one argument holds) and its dump over TLS"
/usr/bin/python3 -c 'import json
ids = [["k%05d" % i, "v" * 30] for i in range(2000)]
print(json.dumps(["Open_vSwitch", {"op": "insert", "table": "Open_vSwitch",
                  "row": {"external_ids": ["map", ids]}}]))' >"$VS_TEST_DIR/big.json"
out=$(ovsdb-client $CTL_SSL transact "ssl:127.0.0.1:$OPTDB" "$(cat "$VS_TEST_DIR/big.json")" 2>&1) \
    || fail "big transact over TLS: $(echo "$out" | head -c 300)"
n=$(ovsdb-client $CTL_SSL -f json dump "ssl:127.0.0.1:$OPTDB" Open_vSwitch Open_vSwitch external_ids \
    | grep -o '"k[0-9]*"' | wc -l) || fail "big dump over TLS"
[ "$n" = 2000 ] || fail "dump over TLS: $n of 2000 keys"
BR2=$(link_name b2)
on_exit "vs-dpctl del-dp $BR2"
OPTOF=$(free_port)
printf '{"bridges": {"%s": {"controller": ["pssl:%s:127.0.0.1"], "ports": {}}}}\n' \
    "$BR2" "$OPTOF" >"$VS_TEST_DIR/vsw.json"
start_daemon vswitchd-opt vs-vswitchd --config="$VS_TEST_DIR/vsw.json" \
    --private-key="$PKI/switch.key" --certificate="$PKI/switch.pem" \
    --ca-cert="$PKI/ca.pem" --unixctl="$VS_RUNDIR/vsw-opt.ctl"
wait_until 20 listening "$OPTOF" || fail "vs-vswitchd --private-key ...: no pssl: listener: $(tail "$VS_LOGDIR/vswitchd-opt.out")"
out=$(vs-ofctl $CTL_SSL show "ssl:127.0.0.1:$OPTOF" 2>&1) || fail "vs-ofctl show: $out"
echo "$out" | grep -q "OFPT_FEATURES_REPLY.*dpid:" || fail "vs-ofctl show over TLS: $out"
grep -q "cannot listen" "$VS_LOGDIR/vswitchd-opt.out" \
    && fail "the options were applied after the listener: $(cat "$VS_LOGDIR/vswitchd-opt.out")"
pass
