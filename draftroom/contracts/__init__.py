"""The public contract's response shapes: one home shared by services and transports.

Services return these types, the REST routes document them (``@document_response``) and
the Socket.IO payloads use the same ones where the shapes are the same (the draft snapshot
is both ``GET /drafts/{id}`` and ``draft:state``). Most are ``TypedDict``s: the value stays a
plain dict (no cost on the pick and connect paths) while mypy checks every service against
the documented shape and the tests check every answer against it (tests/support/contract.py).

This package imports only the standard library, ``typing_extensions`` and pydantic (for
field descriptions); ``domain`` does not import it.
"""
