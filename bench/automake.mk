# bench: see docs/architecture.md
EXTRA_DIST += bench/ovsdb-bench.sh bench/ovsdb-bench.py bench/ovsdb-bench-client.c
EXTRA_DIST += bench/flow-hash.sh bench/flow-hash-bench.c
EXTRA_DIST += bench/vsctl-add-port.sh
EXTRA_DIST += bench/xdp-bench.sh bench/xdp-bench.bpf.c bench/xdp-pktgen.c
EXTRA_DIST += bench/json.sh bench/json-bench.c
EXTRA_DIST += bench/ofctl-add-flows.sh
EXTRA_DIST += bench/ovs-lib.sh bench/osken-ovs.sh
EXTRA_DIST += bench/openflow-bench.sh bench/flow-setup-gen.c
EXTRA_DIST += docs/performance.md
EXTRA_DIST += bench/dump-ab.sh
EXTRA_DIST += bench/vsctl-startup.sh
