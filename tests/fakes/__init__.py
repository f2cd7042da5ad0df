"""Test doubles of external services (the fake Jolpica API) and helpers to run them."""
