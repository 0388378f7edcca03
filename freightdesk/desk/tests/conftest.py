"""Desk fixtures: the desk works on the operational apps' rows, so it takes their fixtures."""

from freightdesk.tickets.tests.conftest import late_order, manager, new_ticket, sla_policies, supervisor  # noqa: F401
from freightdesk.tracking.tests.conftest import at, dispatched, run_worker, take  # noqa: F401
