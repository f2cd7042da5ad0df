"""Every taskiq job, imported by the worker: each module registers its tasks on import."""

JOB_MODULES: list[str] = [
    "draftroom.tasks.sync",
    "draftroom.tasks.results",
    "draftroom.tasks.drafts",
    "draftroom.tasks.housekeeping",
    "draftroom.tasks.mail",
]


def import_all() -> None:
    """Import every job module so its tasks are registered on the broker."""
    import importlib

    for name in JOB_MODULES:
        importlib.import_module(name)


import_all()
