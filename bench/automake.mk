# bench: see docs/architecture.md
EXTRA_DIST += bench/ovsdb-bench.sh bench/ovsdb-bench.py
