"""Use cases. They take plain ids and values and publish through a Notifier."""
