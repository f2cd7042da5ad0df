"""Per-race drafts: storage (store), use cases (commands), snapshots and scheduling."""
