"""PostgreSQL storage: Piccolo tables, the engine's pool, and small query functions."""
