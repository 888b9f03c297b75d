# vmm: see docs/architecture.md
