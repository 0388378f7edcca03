"""Parse and check the fields a workflow step fills in (SPEC §9): each bad value -> a specific message."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.network.models import Driver

from .models import MONEY_RESOLUTIONS, Department, ResolutionKind, ResponsibleKind, Ticket
from .workflow import Transition

TEXT_LIMITS = {
    "note": 500,
    "reply": 1000,
    "cause": 1000,
    "resolution_note": 1000,
    "feedback": 1000,
    "root_cause": 1000,
    "preventive_action": 1000,
    "penalty_note": 200,
}
CHOICES = {
    "department": Department,
    "responsible_kind": ResponsibleKind,
    "resolution_kind": ResolutionKind,
    "customer_notified_via": None,  # see NOTIFIED_VIA
}
NOTIFIED_VIA = {"sms": "SMS", "call": "call"}
PERCENT_FIELDS = frozenset({"penalty_percent", "head_penalty_percent", "delay_penalty_percent"})


class TicketInputError(DomainError):
    """A field of a ticket or of a step is missing or wrong (the API answers 422)."""


def compensation_cap() -> Decimal:
    """Above this a resolution's amount needs a manager's approval (settings FREIGHTDESK["COMPENSATION_CAP"])."""
    return Decimal(str(settings.FREIGHTDESK["COMPENSATION_CAP"]))


def clean_step(transition: Transition, ticket, data: dict) -> dict:
    """The model fields (and `note`) this step writes, parsed from `data`; TicketInputError on the first bad one."""
    out: dict = {}
    for name in transition.fields + transition.optional:
        raw = data.get(name)
        value = "" if raw is None else (raw.strip() if isinstance(raw, str) else raw)
        if value in ("", None):
            if name in transition.fields:
                raise TicketInputError(
                    "required", _("This step needs: %(field)s.") % {"field": _label(name)}, field=name
                )
            continue
        out[name] = _parse(name, value)
    _check_together(out, ticket)
    return out


def _label(name: str) -> str:
    try:
        return str(Ticket._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - "note" is not a model field
        return _("note")


def _parse(name: str, value):
    if name in TEXT_LIMITS:
        text = str(value)
        if len(text) > TEXT_LIMITS[name]:
            raise TicketInputError("too_long", _("At most %(n)d characters.") % {"n": TEXT_LIMITS[name]}, field=name)
        return text
    if name == "customer_notified_via":
        if value not in NOTIFIED_VIA:
            raise TicketInputError("invalid", _("Say how the customer was told: SMS or call."), field=name)
        return value
    if name in CHOICES:
        if value not in CHOICES[name].values:
            raise TicketInputError("invalid", _("“%(v)s” is not one of the choices.") % {"v": value}, field=name)
        return value
    return _parse_other(name, value)


def _parse_other(name: str, value):
    if name == "resolution_amount":
        return _amount(value, name)
    if name == "loss_amount":
        return _amount(value, name)
    if name == "department_responsible":
        return _flag(value, name)
    if name in PERCENT_FIELDS:
        try:
            number = int(str(value))
        except ValueError:
            number = -1
        if not 0 <= number <= 100:
            raise TicketInputError("invalid", _("A penalty is a whole percentage from 0 to 100."), field=name)
        return number
    if name == "responsible_driver":
        driver = Driver.objects.filter(pk=_int(value, name)).first()
        if driver is None:
            raise TicketInputError("invalid", _("No such driver."), field=name)
        return driver
    if name == "responsible_user":
        user = get_user_model().objects.filter(pk=_int(value, name), is_active=True).first()
        if user is None:
            raise TicketInputError("invalid", _("No such staff member."), field=name)
        return user
    raise TicketInputError("invalid", _("Unknown field."), field=name)


def _int(value, name) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise TicketInputError("invalid", _("Choose from the list."), field=name) from None


def _flag(value, name) -> bool:
    text = str(value).strip().lower()
    if text in ("1", "true", "on", "yes"):
        return True
    if text in ("0", "false", "off", "no"):
        return False
    raise TicketInputError("invalid", _("Answer yes or no."), field=name)


def _amount(value, field: str = "resolution_amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise TicketInputError("invalid", _("Enter an amount in yuan, e.g. 100.00."), field=field)
    if amount < 0:
        raise TicketInputError("negative", _("An amount cannot be negative."), field=field)
    if amount.as_tuple().exponent < -2 or amount >= Decimal("100000000"):
        raise TicketInputError("invalid", _("Enter an amount in yuan with at most two decimals."), field=field)
    return amount


def _check_together(out: dict, ticket) -> None:
    kind = out.get("resolution_kind")
    if kind in MONEY_RESOLUTIONS and "resolution_amount" not in out:
        raise TicketInputError("required", _("A discount or compensation needs its amount."), field="resolution_amount")
    if kind and kind not in MONEY_RESOLUTIONS:
        out.pop("resolution_amount", None)
    responsible = out.get("responsible_kind")
    if responsible == ResponsibleKind.DRIVER:
        out.setdefault("responsible_driver", ticket.driver)
        if out["responsible_driver"] is None:
            raise TicketInputError("required", _("Choose the driver responsible."), field="responsible_driver")
    if responsible in (ResponsibleKind.AGENT, ResponsibleKind.STAFF):
        if responsible == ResponsibleKind.AGENT:
            out.setdefault("responsible_user", ticket.agent)
        if out.get("responsible_user") is None:
            raise TicketInputError("required", _("Choose the person responsible."), field="responsible_user")
    if "customer_notified_via" in out and _penalty_due(ticket) and "penalty_percent" not in out:
        raise TicketInputError(
            "required", _("Record the penalty for the person responsible (0 if none)."), field="penalty_percent"
        )


def _penalty_due(ticket) -> bool:
    return ticket.responsible_kind in (ResponsibleKind.DRIVER, ResponsibleKind.AGENT, ResponsibleKind.STAFF)
