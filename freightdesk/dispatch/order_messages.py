"""An order's SMS texts built from the database: the editable template, the abbreviation table and the order's
facts fed to the pure composer (`sms_composer.py`) for the dispatch, urge, escalation and driver-link messages."""

from django.conf import settings
from django.utils.translation import gettext as _

from freightdesk.accounts.identity import agent_id_of
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import national_digits
from freightdesk.messaging.gateways import get_gateway
from freightdesk.messaging.models import MessageTemplate
from freightdesk.messaging.templating import FREE

from .errors import DispatchErrorCode
from .links import driver_link_url
from .models import PlaceAbbreviation
from .sms_composer import Composer, OrderFacts

DEFAULT_DISPATCH = (
    "{serial}客{shipper}{shipper_phone}{goods}{quantity}件{weight}公斤{volume}方{pickup}往{destination}"
    " 收货{consignee}{consignee_phone}{payment}。{extras}{agent_id}"
)
DEFAULT_DRIVER_LINK = "{serial}提货送达请点 {link}"  # as messaging's migration 0003 seeds it
DEFAULT_RECALL = "{serial}已改派其他司机,请勿提货,谢谢。{agent_id}"  # to the driver a reassignment replaces
DEFAULTS = {"dispatch": DEFAULT_DISPATCH, "driver_link": DEFAULT_DRIVER_LINK, "recall": DEFAULT_RECALL}


def order_facts(order, *, agent_id: str) -> OrderFacts:
    return OrderFacts(
        serial=order.serial,
        shipper=order.shipper_name,
        shipper_phone=national_digits(order.shipper_phone),
        goods=order.goods_name,
        quantity=order.quantity,
        weight=order.weight_kg,
        volume=order.volume_m3,
        pickup=order.pickup_address,
        destination=order.delivery_address,
        consignee=order.consignee_name,
        consignee_phone=national_digits(order.consignee_phone),
        payment=order.payment_method,
        fees=tuple((fee.kind, fee.amount) for fee in order.fees.all()),
        note=order.note,
        agent_id=agent_id,
    )


def abbreviations() -> list[tuple[str, str]]:
    return list(PlaceAbbreviation.objects.filter(active=True).values_list("full", "short"))


def composer_for(code: str = "dispatch", *, syntax: str | None = None) -> tuple[Composer, str]:
    """A composer for template ``code`` in the current gateway's syntax; also the provider template code."""
    syntax = syntax or get_gateway().syntax
    template = MessageTemplate.objects.filter(code=code).first()
    if template is None:
        if code not in DEFAULTS or syntax != FREE:
            raise DomainError(
                DispatchErrorCode.NO_TEMPLATE,
                _("There is no “%(code)s” message template: add it in Master data.") % {"code": code},
            )
        template = MessageTemplate(code=code, body=DEFAULTS[code])
    provider_code = template.provider_code(syntax)
    if syntax != FREE and not provider_code:
        raise DomainError(
            DispatchErrorCode.NO_PROVIDER_TEMPLATE,
            _("The “%(code)s” template has no approved %(provider)s template: enter it in Master data.")
            % {"code": code, "provider": syntax},
        )
    composer = Composer(
        template.parsed(syntax),
        signature=settings.SMS_SIGNATURE,
        abbreviations=abbreviations(),
        param_max=template.tencent_param_max if syntax == "tencent" else 0,
    )
    return composer, provider_code


def agent_id_for(agent) -> str:
    agent_id = agent_id_of(agent)
    if not agent_id:
        raise DomainError(
            DispatchErrorCode.NO_AGENT_ID,
            _(
                "Your account has no agent id (工号); every dispatch SMS is signed with "
                "it. Ask an administrator to set it in your staff profile."
            ),
        )
    return agent_id


def compose_for_order(code: str, *, order, agent, extra: dict | None = None, syntax: str | None = None):
    """Urge (催提货) and escalation (超时效) messages, SPEC §7/§9: the same machinery, their own templates.

    Returns (composition, provider template code) for ``messaging.services.queue_message``.
    """
    composer, provider_code = composer_for(code, syntax=syntax)
    return composer.compose(order_facts(order, agent_id=agent_id_for(agent)), extra), provider_code


def compose_driver_link(*, order, token: str, syntax: str | None = None):
    """The driver's link SMS (SPEC §7), sent right after the dispatch SMS: free text gets the whole address
    in ``{link}``; Aliyun and Tencent, which refuse links in variables, get the token in ``${token}`` at
    the end of the address their approved text holds. Returns (composition, provider template code)."""
    composer, provider_code = composer_for("driver_link", syntax=syntax)
    facts = order_facts(order, agent_id="")
    return composer.compose(facts, {"link": driver_link_url(token), "token": token}), provider_code
