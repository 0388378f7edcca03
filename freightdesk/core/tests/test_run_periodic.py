import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_every_periodic_job_imports_and_runs_on_an_empty_database(capsys, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the monthly driver report job writes last month's file
    call_command("run_periodic", verbosity=2)
    out = capsys.readouterr().out
    assert "freightdesk.followups.services.sweep: 0" in out
    assert "freightdesk.core.api.idempotency.purge_expired: 0" in out


def test_a_failing_job_does_not_stop_the_others(settings, capsys, caplog):
    settings.PERIODIC_JOBS = ["freightdesk.core.tests.test_run_periodic.boom", "freightdesk.followups.services.sweep"]
    call_command("run_periodic", verbosity=2)
    assert "freightdesk.followups.services.sweep: 0" in capsys.readouterr().out
    assert "periodic job freightdesk.core.tests.test_run_periodic.boom failed" in caplog.text


def boom():
    raise RuntimeError("gateway down")
