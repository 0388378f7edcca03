"""What running a follow-up of each kind means, registered by the app that owns the kind (from its
``AppConfig.ready()``), so the scheduler below them never imports them.

``on_due(kind, handler)``: ``handler(followup, now) -> bool`` runs inside the transaction that claimed the
follow-up; it writes what the owning app records when the time comes (a finding on the order's tracking record, a
reminder on a ticket) and answers whether the work was found done (the follow-up then closes itself). A kind with
no handler goes on the board when it falls due."""

from collections.abc import Callable
from datetime import datetime

OnDue = Callable[[object, datetime], bool]

_ON_DUE: dict[str, OnDue] = {}


def on_due(kind: str, handler: OnDue) -> None:
    _ON_DUE[str(kind)] = handler


def handler_for(kind: str) -> OnDue | None:
    return _ON_DUE.get(str(kind))
