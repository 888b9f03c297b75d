# vswitchd: see docs/architecture.md
