#!/bin/sh
# dpif_operate() batches of flow puts (vs-dpctl add-flows): each flow gets
# its own result, and a duplicate (in the batch or already installed), a
# modify of an absent flow or an unparsable line does not keep the others
# out.  Run with BPF_MAP_UPDATE_BATCH and again one by one
# (VS_DP_NO_BATCH_UPDATE); a batch bigger than one update call (300 flows)
# with duplicates sprinkled in installs every distinct flow once.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/system/lib.sh"
. "$top_srcdir/tests/system/dp-lib.sh"
require_root
require_cmd vs-dpctl
bpffs_setup
DP=$(link_name db)
dp_create "$DP"
F=$VS_TEST_DIR/flows

n_flows() { vs-dpctl dump-flows "$DP" | grep -c "actions="; }

check_small() { # MODE
    vs-dpctl del-flows "$DP" || fail "del-flows"
    vs-dpctl add-flow "$DP" "in_port=1,eth_type=0x0800,nw_dst=10.0.0.9,actions=output:2" \
        || fail "add-flow"
    cat >"$F" <<'EOT'
in_port=1,eth_type=0x0800,nw_dst=10.0.0.1,actions=output:2
in_port=1,eth_type=0x0800,nw_dst=10.0.0.2,actions=output:3
in_port=1,eth_type=0x0800,nw_dst=10.0.0.1,actions=output:2
modify in_port=1,eth_type=0x0800,nw_dst=10.0.0.7,actions=output:2
in_port=1,eth_type=0x0800,nw_dst=10.0.0.9,actions=output:2
in_port=1,no_such_field=1,actions=output:2
in_port=2,tp_dst=80,nw_proto=6,eth_type=0x0800,actions=output:1
in_port=2,tp_dst=81,nw_proto=6,eth_type=0x0800,actions=output:1
in_port=1,eth_type=0x0800,nw_dst=10.0.0.3,actions=drop
EOT
    out=$(vs-dpctl add-flows "$DP" "$F"); rc=$?
    echo "$out" | sed 's/^/  /'
    [ $rc -ne 0 ] || fail "$1: add-flows with failures exited 0"
    expect() { # LINE RESULT
        echo "$out" | grep -qx "line $1: $2" || fail "$1: line $1 is not '$2'"
    }
    expect 1 ok; expect 2 ok; expect 3 "File exists"
    expect 4 "No such file or directory"; expect 5 "File exists"
    echo "$out" | grep -q "^line 6: .*no_such_field" || fail "$1: line 6 parsed"
    expect 7 ok; expect 8 ok; expect 9 ok
    n=$(n_flows)
    [ "$n" = 6 ] || fail "$1: $n megaflows, expected 6"
    vs-dpctl dump-flows "$DP" | grep -q "nw_dst=10.0.0.2.*actions=output:3" \
        || fail "$1: flow of line 2 missing"
    vs-dpctl dump-flows "$DP" | grep -q "tp_dst=81.*actions=output:1" \
        || fail "$1: flow of line 8 (new mask) missing"
    echo "PASS: $1: duplicates and failures do not keep the others out"
}

check_big() { # MODE
    vs-dpctl del-flows "$DP" || fail "del-flows"
    # 300 lines, every 7th a repeat of the one before: 258 distinct flows.
    awk 'BEGIN { for (i = 0; i < 300; i++) {
        j = (i % 7 == 6) ? i - 1 : i
        printf "in_port=1,eth_type=0x0800,nw_dst=10.1.%d.%d,actions=output:2\n",
               int(j / 256), j % 256 } }' >"$F"
    out=$(vs-dpctl add-flows "$DP" "$F")
    n_ok=$(echo "$out" | grep -c ": ok$")
    n_dup=$(echo "$out" | grep -c ": File exists$")
    n=$(n_flows)
    log "$1: $n_ok ok, $n_dup duplicates, $n megaflows"
    [ "$n_ok" = 258 ] && [ "$n_dup" = 42 ] && [ "$n" = 258 ] \
        || fail "$1: 300-flow batch: $n_ok ok, $n_dup duplicates, $n megaflows"
    echo "PASS: $1: a 300-flow batch with duplicates"
}

check_small batch
check_big batch
VS_DP_NO_BATCH_UPDATE=1 check_small one-by-one
VS_DP_NO_BATCH_UPDATE=1 check_big one-by-one
pass "dp-batch"
