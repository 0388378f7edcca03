"""Helpers for tests that prove behaviour under concurrency (real threads, real connections)."""

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def at_once(work: Callable, args: Sequence = (), *, times: int | None = None, timeout: float = 60) -> list:
    """Run `work(arg)` for each of `args` (or `work()` `times` times), each in its own thread, all released
    together; return the results in completion order. A thread's exception is re-raised here, after all
    have finished; each thread closes its own database connection."""
    calls = [(arg,) for arg in args] if times is None else [() for _ in range(times)]
    start = threading.Barrier(len(calls))
    lock = threading.Lock()
    results: list = []
    errors: list[BaseException] = []

    def run(call_args):
        try:
            start.wait(timeout)
            result = work(*call_args)
            with lock:
                results.append(result)
        except BaseException as error:  # noqa: BLE001 - re-raised below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call_args,)) for call_args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
