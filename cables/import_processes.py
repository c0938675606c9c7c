"""The processes of a parallel import (importing.import_in_processes), each importing one share at a time.

This module imports nothing of Django's at load: a process started by `spawn` unpickles `start` before
Django is set up, and `start` sets it up, on the database the importing process uses (a test database
included), before anything touches a model.
"""
from __future__ import annotations

_done = None  # bytes done, shared by all the processes (multiprocessing.Value)
_job = None


def start(database_name: str, done, job_id: int | None) -> None:
    global _done, _job
    import gc
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from django.db import connections

    connections["default"].settings_dict["NAME"] = database_name
    _done = done
    # Parsing makes many short-lived objects and no cycles worth collecting often: the collector's
    # default pace cost about 2% of the import's time, and Django's own objects need no rescanning.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    if job_id is not None:
        from cables.models import ImportJob

        _job = ImportJob.objects.get(pk=job_id)


def _advance(count: int) -> None:
    with _done.get_lock():
        _done.value += count


def import_share(share: tuple):
    from cables.importing import import_share

    return import_share(share, _job, _advance)
