# utilities: see docs/architecture.md
