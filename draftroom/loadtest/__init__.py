"""``draftroom loadtest``: leagues of bots drafting over real websockets, with a bare baseline.

See ``docs/loadtest.md`` for what it measures, how, and the figures measured here.
"""
