# lib: see docs/architecture.md
