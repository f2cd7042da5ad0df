"""Per-race drafts: use cases (commands), snapshots and scheduling."""
