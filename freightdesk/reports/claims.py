"""Who makes a periodic report file (the monthly driver report, the weekly analysis): one runner at a time, even
with several periodic runners or a restart in the middle."""

from __future__ import annotations

from datetime import date, datetime, timedelta

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
