# ovsdb: see docs/architecture.md
