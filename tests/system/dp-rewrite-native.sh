#!/bin/sh
# dp-rewrite.sh with the ports in native (driver) XDP mode.
DP_REWRITE_XDP_MODE=native exec sh "${top_srcdir:-$(dirname "$0")/../..}/tests/system/dp-rewrite.sh"
