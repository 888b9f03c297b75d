# datapath: see docs/architecture.md
