"""Redis coordination: clients, locks with renewal, pub/sub wake-ups, rate limits."""
