# The vs-vsctl command battery, run against whatever server and schema the
# calling test started (see vsctl-lib.sh).  Only columns that both our
# schema and Open vSwitch's have are used, so the same cases prove the two
# interchangeable.

run_vsctl_cases() {
    log "--help, --version"
    vs-vsctl --version | grep -q "vswitch" || fail "--version"
    vs-vsctl --help | grep -q "add-br BRIDGE" || fail "--help"
    log "init, bridges"
    vsok "" init
    vsok "" add-br br0
    vsok "" --may-exist add-br br0
    vsok "br0" list-br
    vsok "" br-exists br0
    $VSCTL --no-wait br-exists nobr; [ $? = 2 ] || fail "br-exists nobr: want exit 2"
    vsok "0" br-to-vlan br0
    vsok "br0" br-to-parent br0
    vserr "a bridge named br0 already exists" add-br br0
    vserr "no bridge named nobr" del-br nobr
    vsok "" --if-exists del-br nobr
    vserr "unknown command 'no-such-cmd'" no-such-cmd
    vserr "'add-br' command requires at least 1 arguments" add-br
    vserr "has no '--bogus' option" --bogus add-br br9

    log "fake bridges"
    vsok "" add-br br0.10 br0 10
    vsok "br0
br0.10" list-br
    vsok "br0" --real list-br
    vsok "br0.10" --fake list-br
    vsok "10" br-to-vlan br0.10
    vsok "br0" br-to-parent br0.10
    vserr "vlan must be between 0 and 4095" add-br br0.99 br0 4096
    vserr "parent bridge nobr does not exist" add-br brx nobr 5
    vserr "already exists with a different parent or VLAN" --may-exist add-br br0.10 br0 11

    log "external ids"
    vsok "" br-set-external-id br0 owner alice
    vsok "alice" br-get-external-id br0 owner
    vsok "owner=alice" br-get-external-id br0
    vsok "" br-set-external-id br0.10 role guest
    vsok "role=guest" br-get-external-id br0.10
    vsok "" br-set-external-id br0 owner
    vsok "" br-get-external-id br0

    log "ports and interfaces"
    vsok "" add-port br0 p1
    vsok "" add-port br0 p2 tag=5 -- set Interface p2 type=internal options:key=val
    vsok "" add-port br0.10 v1
    vsok "p1
p2" list-ports br0
    vsok "v1" list-ports br0.10
    vsok "br0" port-to-br p1
    vsok "br0.10" port-to-br v1
    vsok "br0.10" iface-to-br v1
    vsok "10" get Port v1 tag
    vsok "5" get Port p2 tag
    vsok "internal" get Interface p2 type
    vsok "val" get Interface p2 options:key
    vsok "p1
p2" list-ifaces br0
    vserr "a port named p1 already exists on bridge br0" add-port br0 p1
    vserr "a port named p1 already exists on bridge br0" add-port br0.10 p1
    vserr "but p1 is actually attached to bridge br0" --may-exist add-port br0.10 p1
    vsok "" --may-exist add-port br0 p1
    vserr "no bridge named nobr" add-port nobr p9
    vserr "because a bridge named br0 already exists" add-port br0.10 br0
    vserr "constraint violation" add-port br0 p9 tag=4096
    vserr "no port named nop" port-to-br nop
    vserr "no interface named noif" iface-to-br noif

    log "bonds"
    vsok "" add-bond br0 bond0 e1 e2 bond_mode=active-backup
    vsok "active-backup" get Port bond0 bond_mode
    vsok "br0" iface-to-br e2
    vserr "add-bond requires at least 2 interfaces" add-bond br0 bond1 e3
    vserr "an interface named e1 already exists" add-bond br0 bond1 e1 e3
    vsok "" add-bond-iface bond0 e3
    vsok "" --may-exist add-bond-iface bond0 e3
    vsok "e1
e2
e3
p1
p2" list-ifaces br0
    vsok "" del-bond-iface bond0 e3
    vsok "" del-bond-iface e2
    vserr "last interface of port bond0" del-bond-iface e1
    vserr "no interface named e9" del-bond-iface e9
    vsok "" --if-exists del-bond-iface e9

    log "del-port"
    vserr "local port for bridge br0" del-port br0 br0
    vserr "bridge br0.10 does not have a port p1" del-port br0.10 p1
    vserr "no port named nop" del-port nop
    vsok "" --if-exists del-port nop
    vsok "" del-port br0 p1
    vsok "" --with-iface del-port e1
    vsok "p2" list-ports br0
    vserr "no row \"p1\" in table Port" get Port p1 name

    log "controllers and fail mode"
    vsok "" set-controller br0 tcp:127.0.0.1:6653 punix:/tmp/x.sock
    vsok "punix:/tmp/x.sock
tcp:127.0.0.1:6653" get-controller br0
    vsok "punix:/tmp/x.sock
tcp:127.0.0.1:6653" get-controller br0.10
    vsok "" del-controller br0
    vsok "" get-controller br0
    vsok "" get-fail-mode br0
    vsok "" set-fail-mode br0 secure
    vsok "secure" get-fail-mode br0
    vsok "secure" get-fail-mode br0.10
    vserr "fail-mode must be \"standalone\" or \"secure\"" set-fail-mode br0 open
    vsok "" del-fail-mode br0
    vsok "" get-fail-mode br0

    log "managers and SSL"
    vsok "" set-manager ptcp:6640 punix:/tmp/m.sock
    vsok "ptcp:6640
punix:/tmp/m.sock" get-manager
    vsok "" del-manager
    vsok "" get-manager
    vsok "" get-ssl
    vsok "" set-ssl /k.pem /c.pem /ca.pem
    vsok "Private key: /k.pem
Certificate: /c.pem
CA Certificate: /ca.pem
Bootstrap: false" get-ssl
    vsok "" --bootstrap set-ssl /k2.pem /c2.pem /ca2.pem
    vsok "true" get SSL . bootstrap_ca_cert
    vsok "" del-ssl
    vsok "" get-ssl

    log "database commands: get, set, add, remove, clear"
    vsok "" set Port p2 trunks=1,2,3 other_config:a=1 other_config:b=2
    vsok "[1, 2, 3]" get Port p2 trunks
    vsok "{a=\"1\", b=\"2\"}" get Port p2 other_config
    vsok "\"2\"" get Port p2 other_config:b
    vserr "no key \"zz\" in Port record \"p2\" column other_config" get Port p2 other_config:zz
    vsok "" --if-exists get Port p2 other_config:zz
    vsok "" add Port p2 trunks 4 5
    vsok "[1, 2, 3, 4, 5]" get Port p2 trunks
    vsok "" remove Port p2 trunks 1 5
    vsok "[2, 3, 4]" get Port p2 trunks
    vsok "" remove Port p2 other_config a
    vsok "" remove Port p2 other_config b=9
    vsok "{b=\"2\"}" get Port p2 other_config
    vsok "" remove Port p2 other_config b=2
    vsok "{}" get Port p2 other_config
    # Column names as Open vSwitch's documentation spells them ("-" for "_").
    vsok "" set Port p2 other-config:c=3
    vsok "\"3\"" get Port p2 other_config:c
    vsok "{c=\"3\"}" get Port p2 other-config
    vsok "" remove Port p2 other-config c
    vsok "" clear Port p2 trunks
    vsok "[]" get Port p2 trunks
    vsok "" set Interface p2 'options:remote_ip="10.0.0.1"' 'external_ids:note="two words"'
    vsok "\"two words\"" get Interface p2 external_ids:note
    vserr "constraint violation: 4096 is not in the valid range 0 to 4095" set Port p2 tag=4096
    vserr "\"abc\" is not a valid integer" set Port p2 tag=abc
    vserr "constraint violation: bogus is not one of the allowed values" set Bridge br0 fail_mode=bogus
    vserr "Port does not contain a column whose name matches \"nosuch\"" set Port p2 nosuch=1
    vserr "unknown table \"Nosuch\"" list Nosuch
    vserr "no row \"p9\" in table Port" set Port p9 tag=1
    vsok "" --if-exists set Port p9 tag=1
    vserr "cannot be applied to column interfaces of table Port" clear Port p2 interfaces
    vserr "cannot modify read-only column _uuid" set Port p2 _uuid=00000000-0000-0000-0000-000000000000
    vserr "is not a valid UUID" set Port p2 qos=not-a-uuid

    log "create, destroy and @name references (one transaction)"
    _qos=$($VSCTL --no-wait -- --id=@q create QoS type=linux-htb other_config:max-rate=1000000 -- set Port p2 qos=@q) \
        || fail "create QoS"
    idl_uuid_ok "$_qos"
    vsok "$_qos" get Port p2 qos
    vsok "linux-htb" get QoS p2 type
    vsok "\"1000000\"" get QoS "$_qos" other_config:max-rate
    _short=$(echo "$_qos" | cut -c1-8)
    vsok "linux-htb" get QoS "$_short" type
    vserr "referenced but never created" set Port p2 qos=@nope
    vsok "" clear Port p2 qos -- destroy QoS "$_qos"
    vserr "no row" get QoS "$_qos" type
    vsok "" --if-exists destroy QoS "$_qos"
    _q2=$($VSCTL --no-wait create QoS type=linux-hfsc) || fail "create QoS"
    idl_uuid_ok "$_q2"
    vsok "linux-hfsc" get QoS "$_q2" type
    vsok "" destroy QoS "$_q2"
    vsok "" --bare --columns=_uuid list QoS
    $VSCTL --no-wait -- --id=@a create Manager target=ptcp:7001 -- --id=@b create Manager target=ptcp:7002 \
        -- add Open_vSwitch . manager_options @a @b >/dev/null || fail "two creates"
    vsok "ptcp:7001
ptcp:7002" get-manager
    vsok "" --all destroy Manager -- clear Open_vSwitch . manager_options
    vsok "" get-manager

    log "all-or-nothing: a failing command undoes the others"
    vserr "no bridge named nobr" add-br br7 -- add-port br7 p7 -- add-port nobr p8
    vsok "br0
br0.10" list-br
    vserr "a port named p2 already exists on bridge br0" add-port br0 p8 -- add-port br0 p2

    log "list and find, all output formats"
    vsok "name                : p2
tag                 : 5" --columns=name,tag list Port p2
    vsok "name   tag
------ ---
br0    []
br0.10 10
p2     5
v1     10" -f table --columns=name,tag list Port
    vsok "name,tag
p2,5" -f csv --columns=name,tag find Port tag=5
    vsok '{"data":[["p2",5]],"headings":["name","tag"]}' -f json --columns=name,tag find Port tag=5
    vsok "br0.10

v1" --bare --columns=name find Port tag=10
    vsok "p2" --bare --columns=name find Port 'tag<10'
    vsok "br0.10
v1" --bare --no-headings -f table --columns=name find Port 'tag>5'
    vsok "p2" -f table --no-headings --columns=name find Port 'tag!=10' 'tag>=0'
    vsok "p2" --bare --columns=name find Port 'tag<=5'
    vsok "p2" --bare --columns=name find Interface options:key=val
    vsok "" set Port p2 trunks=1,2
    vsok "1 2" --bare get Port p2 trunks
    vsok "p2" --bare --columns=name find Port 'trunks{>=}1'
    vsok "p2" --bare --columns=name find Port 'trunks{=}[1,2]'
    vsok "br0

br0.10

v1" --bare --columns=name find Port 'trunks{<}[1,2]'
    vsok "p2" --bare --columns=name find Port 'trunks{<=}[1,2,3]' 'trunks{>=}2'
    vsok "p2" --bare --columns=name find Port 'trunks{>}1'
    vsok "br0
br0.10
p2
v1" -f table --no-headings --columns=name find Port 'trunks{!=}[3]'
    vserr "argument does not end in" find Port tag
    vsok "br0\\nbr0.10" --oneline list-br

    log "wait-until (already true), comment, dry-run"
    vsok "" wait-until Port p2 tag=5
    vsok "" wait-until Bridge br0
    vsok "" comment hello -- set Port p2 tag=6
    vsok "6" get Port p2 tag
    vsok "" --dry-run set Port p2 tag=7
    vsok "6" get Port p2 tag
    vsok "" --dry-run add-br brdry
    vsok "br0
br0.10" list-br

    log "show"
    vsok "" set-controller br0 tcp:127.0.0.1:6653 -- set-manager ptcp:6640 -- set-fail-mode br0 secure
    vsok "" del-port br0.10 v1 -- set Port p2 trunks=[] other_config={}
    vsok "\"tcp:127.0.0.1:6653\"" get Controller br0 target
    _ovs=$($VSCTL --no-wait get Open_vSwitch . _uuid) || fail "get _uuid"
    vsok "$_ovs
    Manager \"ptcp:6640\"
    Bridge br0
        Controller \"tcp:127.0.0.1:6653\"
        fail_mode: secure
        Port br0
            Interface br0
                type: internal
        Port br0.10
            tag: 10
            Interface br0.10
                type: internal
        Port p2
            tag: 6
            Interface p2
                type: internal
                options: {key=val, remote_ip=\"10.0.0.1\"}" show

    log "integer ranges, emer-reset"
    vsok "" set Port p2 trunks=1-3,7 other_config:x=1 -- set Bridge br0 'other_config:hwaddr="00:11:22:33:44:55"' other_config:y=2 flood_vlans=10-11
    vsok "[1, 2, 3, 7]" get Port p2 trunks
    vsok "[10, 11]" get Bridge br0 flood_vlans
    vserr "range end 1 is less than range start 3" set Port p2 trunks=3-1
    vsok "[1, 2, 3, 7]" get Port p2 trunks
    vsok "" emer-reset
    vsok "" get-controller br0
    vsok "" get-manager
    vsok "" get-fail-mode br0
    vsok "{hwaddr=\"00:11:22:33:44:55\"}" get Bridge br0 other_config
    vsok "[]" get Bridge br0 flood_vlans
    vsok "{}" get Port p2 other_config
    vsok "[1, 2, 3, 7]" get Port p2 trunks
    vsok "" --bare --columns=_uuid list Controller
    vsok "" --bare --columns=_uuid list Manager

    log "bash completion offers commands and bridge names from the database"
    if command -v bash >/dev/null 2>&1; then
        _c=$(VS_DB="$DB" bash -c '. "$1"; vs-vsctl() { command vs-vsctl --db="$VS_DB" "$@"; }
             COMP_WORDS=(vs-vsctl "$2" "$3"); COMP_CWORD=2; _vs_vsctl; echo "${COMPREPLY[*]}"' \
             _ "$top_srcdir/utilities/completion/vs-vsctl" list-ports br)
        [ "$_c" = "br0 br0.10" ] || fail "completion of list-ports br: [$_c]"
        _c=$(bash -c '. "$1"; COMP_WORDS=(vs-vsctl add-b); COMP_CWORD=1; _vs_vsctl; echo "${COMPREPLY[*]}"' \
             _ "$top_srcdir/utilities/completion/vs-vsctl")
        [ "$_c" = "add-br add-bond add-bond-iface" ] || fail "completion of add-b: [$_c]"
    fi

    log "del-br removes the bridge, its fake bridges and all their ports"
    vsok "" add-port br0.10 v2
    vsok "" del-br br0
    vsok "" list-br
    for t in Bridge Port Interface; do
        vsok "" --bare --columns=_uuid list $t
    done
    vsok "" add-br br1 -- add-port br1 q1
    vsok "" del-br br1
    vsok "" list-br
}

idl_uuid_ok() {
    echo "$1" | grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' \
        || fail "not a uuid: [$1]"
}
