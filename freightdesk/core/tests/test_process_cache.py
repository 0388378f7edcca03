"""A value kept in one process learns of another process's change through the shared cache's version."""

import pytest

from freightdesk.core.process_cache import ProcessCache

pytestmark = pytest.mark.django_db


def two_processes(builds: list, check_seconds: float = 0.0, max_age_seconds: float = 300.0):
    def build():
        builds.append(len(builds) + 1)
        return len(builds)

    make = dict(version_key="test:process-cache", build=build, check_seconds=check_seconds)
    return ProcessCache(**make, max_age_seconds=max_age_seconds), ProcessCache(**make, max_age_seconds=max_age_seconds)


def test_a_change_broadcast_by_one_process_makes_the_other_rebuild():
    builds = []
    web, worker = two_processes(builds)
    assert (web.get(), worker.get()) == (1, 2)
    assert (web.get(), worker.get()) == (1, 2)  # nothing changed: no rebuild
    web.invalidate()
    assert worker.get() == 3 and web.get() == 4


def test_forgetting_without_broadcast_rebuilds_only_here():
    builds = []
    web, worker = two_processes(builds)
    web.get(), worker.get()
    web.invalidate(broadcast=False)
    assert (web.get(), worker.get()) == (3, 2)


def test_between_checks_a_process_keeps_its_copy_without_asking(django_assert_num_queries):
    builds = []
    web, _worker = two_processes(builds, check_seconds=60)
    web.get()
    with django_assert_num_queries(0):  # the database cache is not read again within check_seconds
        assert web.get() == 1


def test_a_copy_older_than_its_maximum_age_is_rebuilt_even_without_a_broadcast():
    builds = []
    web, _worker = two_processes(builds, max_age_seconds=0)
    assert web.get() == 1 and web.get() == 2
