# ofproto: see docs/architecture.md
