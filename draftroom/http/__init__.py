"""REST: Quart blueprints, one per resource; thin layers over services."""
