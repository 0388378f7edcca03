"""The driver's link on tracking's side (SPEC §7): a driver's report through it (no password), and sending it
again. The link is issued with the dispatch (``dispatch.links``)."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.dispatch.links import issue_driver_link
from freightdesk.dispatch.models import DriverLink
from freightdesk.dispatch.order_messages import compose_driver_link
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.orders.models import Order, Status

from .models import Source
from .status import report_event
from .urging import driver_recipient

logger = logging.getLogger(__name__)


def link_for(token: str, now=None) -> DriverLink | None:
    """The live link for a token, or None (unknown or expired)."""
    now = now or timezone.now()
    link = DriverLink.objects.select_related("order", "driver").filter(token=token).first()
    if link is None or link.expires_at <= now:
        return None
    return link


def report_by_link(*, token: str, serial: str, type: str, note: str = "", address: str = "", now=None):
    """A driver's report through his link (no password). An expired link, or a link used for another
    order, is refused and logged; nothing changes."""
    now = now or timezone.now()
    link = link_for(token, now)
    if link is None:
        logger.warning("driver link refused: unknown or expired token from %s", address)
        raise DomainError("link_expired", _("This link has expired. Call the service desk to report."))
    if serial != link.order.serial:
        logger.warning("driver link %s used for another order %r from %s", link.pk, serial[:20], address)
        raise DomainError("link_other_order", _("This link belongs to another order."))
    driver = link.driver
    event = report_event(
        order=link.order,
        type=type,
        at=now,
        note=note,
        source=Source.DRIVER_LINK,
        by=getattr(driver, "user", None),
        by_label=(driver.name if driver else _("driver")),
        now=now,
    )
    DriverLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return event


def link_recipient(order: Order) -> tuple[str, str, str]:
    """(phone, name, role) of whoever got the order's link with the dispatch: the driver, or the fleet manager
    who passes it on; for an order dispatched before links went out with the dispatch, the driver."""
    sent = (
        Message.objects.filter(order=order, kind=MessageKind.DRIVER_LINK)
        .order_by("-id")
        .values_list("to", "recipient_name", "recipient_role")
        .first()
    )
    if sent:
        return sent
    return (*driver_recipient(order), "driver")


def send_driver_link(*, order: Order, agent, now=None, **_legacy) -> Message:
    """SMS the driver's link again (he lost it, or it expired): the live link, or a new one, in the same
    short message as after the dispatch (the ``driver_link`` template; the approved one on Aliyun/Tencent).
    (``url`` from callers of the old signature is ignored: the address comes from PUBLIC_BASE_URL.)"""
    now = now or timezone.now()
    status = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
    if status not in (Status.DISPATCHED, Status.PICKED_UP, Status.IN_TRANSIT):
        raise DomainError(
            "no_link_now",
            _(
                "Order %(serial)s is “%(status)s”: the driver's link is for a dispatched "
                "order that is not delivered yet."
            )
            % {"serial": order.serial, "status": Status(status).label},
        )
    to, name, role = link_recipient(order)
    with transaction.atomic():
        link = order.driver_links.filter(expires_at__gt=now).order_by("-created_at").first()
        if link is None:
            link = issue_driver_link(order=order, now=now)
        composition, provider_code = compose_driver_link(order=order, token=link.token)
        return queue_message(
            outgoing=Outgoing(
                to=to,
                text=composition.text,
                signature=composition.signature,
                role=role,
                name=name,
                template_code=provider_code,
                template_params=composition.params,
            ),
            kind=MessageKind.DRIVER_LINK,
            order=order,
            created_by=agent,
            now=now,
        )
