# bench: see docs/architecture.md
EXTRA_DIST += bench/vsctl-add-port.sh
