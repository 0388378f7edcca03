"""Who makes a periodic report file (the monthly driver report, the weekly analysis): one runner at a time, even
with several periodic runners or a restart in the middle."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from .models import FileState, ReportFile


def claim_file(*, kind: str, report: str, period: date, now: datetime, retry: timedelta, stale: timedelta):
    """Take the period's file for this run: create it (the file kind's unique constraint lets one runner win), or
    take over one that is queued, failed ``retry`` ago, or running for ``stale`` (its runner died). A conditional
    UPDATE decides between concurrent runners. None: done, or another runner has it."""
    try:
        with transaction.atomic():
            return ReportFile.objects.create(
                kind=kind, report=report, period=period, state=FileState.RUNNING, created_at=now, started_at=now
            )
    except IntegrityError:
        taken = (
            ReportFile.objects.filter(kind=kind, period=period)
            .filter(
                Q(state=FileState.QUEUED)
                | Q(state=FileState.FAILED, started_at__lte=now - retry)
                | Q(state=FileState.FAILED, started_at__isnull=True)
                | Q(state=FileState.RUNNING, started_at__lte=now - stale)
            )
            .update(state=FileState.RUNNING, started_at=now, error="")
        )
        return ReportFile.objects.get(kind=kind, period=period) if taken else None


def write_claimed_file(report_file: ReportFile, *, now: datetime, path: str, content, notify) -> bool:
    """Write the claimed file (``content()`` makes its bytes) and mark it done, calling ``notify(report_file)`` in the
    same transaction (nobody told twice, nothing lost). A failure marks it failed (and is raised); a runner whose
    claim was taken over meanwhile deletes what it wrote. True when this runner finished the file."""
    claim = Q(pk=report_file.pk, state=FileState.RUNNING, started_at=now)
    try:
        name = report_file.file.storage.save(path, ContentFile(content()))
    except Exception as exc:
        ReportFile.objects.filter(claim).update(state=FileState.FAILED, error=str(exc)[:300])
        raise
    with transaction.atomic():
        finished = ReportFile.objects.filter(claim).update(state=FileState.DONE, file=name, finished_at=now)
        if finished:
            report_file.refresh_from_db()
            notify(report_file)
    if not finished:
        report_file.file.storage.delete(name)
    return bool(finished)
