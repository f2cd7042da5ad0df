"""Queries, one module per area."""
