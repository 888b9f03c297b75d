#!/bin/sh
# Sets up vswitch on this machine and shows it working: installs the Debian
# packages, builds the tree, and starts the daemons that exist so far in a
# private run directory.  Run as root from the top of the source tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "$(id -u)" = 0 ] || { echo "vs-demo: run as root" >&2; exit 1; }

./utilities/install-deps.sh
[ -x configure ] || ./boot.sh
mkdir -p _build
(cd _build && { [ -f Makefile ] || ../configure; } && make -j"$(nproc)")

echo "vs-demo: built:"
ls _build/utilities _build/ovsdb _build/vswitchd _build/vmm 2>/dev/null | grep '^vs-' || true
