# vswitchd: see docs/architecture.md
# The Open_vSwitch database schema (owned by vsctl).
dist_pkgdata_DATA += vswitchd/vswitch.ovsschema
