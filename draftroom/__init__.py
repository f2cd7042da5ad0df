"""draftroom: a real-time draft room server for fantasy Formula 1 leagues."""

__version__ = "0.1.0"
