"""Pure game rules: no I/O, no async, no framework imports (only stdlib and errors)."""
