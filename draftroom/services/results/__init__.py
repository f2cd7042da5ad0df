"""Race results: ingestion of numbered revisions (ingest), checks of an incoming
classification and the drivers it names (incoming), the read side served to clients
(views) and its Redis cache (cache)."""
