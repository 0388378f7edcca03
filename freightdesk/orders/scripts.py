"""What the agent reads back to the caller (SPEC §3 confirmation and quote, §4 promise)."""

from django.utils.translation import gettext as _

from freightdesk.core.phones import display_phone
from freightdesk.network.pricing import Quote

PAYMENT_WORDS = {
    "shipper_pays": lambda: _("cash at pickup"),  # 现金支付
    "consignee_pays": lambda: _("paid by the consignee on delivery"),  # 到付
    "monthly": lambda: _("on your monthly account"),  # 月结
}


def _num(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def confirmation_script(data: dict, price: Quote) -> str:
    """Read-back of the details, the quote in the seed's words ("*至*，*方(件)，价格是*，现金支付，可以吗？")
    and the promise that the driver will call."""
    lines = [
        _("Let me read back your order: pickup contact %(name)s, phone %(phone)s, pickup at %(pickup)s.")
        % {
            "name": data["shipper_name"],
            "phone": display_phone(data["shipper_phone"]),
            "pickup": data["pickup_address"],
        },
        _(
            "Goods: %(goods)s, %(pieces)s pieces, %(weight)s kg, %(volume)s m³; deliver to %(consignee)s, "
            "phone %(cphone)s, at %(delivery)s."
        )
        % {
            "goods": data["goods_name"],
            "pieces": data["quantity"],
            "weight": _num(data["weight_kg"]),
            "volume": _num(data["volume_m3"]),
            "consignee": data["consignee_name"],
            "cphone": display_phone(data["consignee_phone"]),
            "delivery": data["delivery_address"],
        },
    ]
    if price.fees:
        lines.append(_("Extra charges: %(fees)s yuan, included in the price.") % {"fees": price.fees_total})
    if data.get("note"):
        lines.append(_("Your requirement: %(note)s.") % {"note": data["note"]})
    lines.append(
        _(
            "%(pickup)s to %(delivery)s, %(volume)s m³ (%(pieces)s pieces), the price is %(total)s yuan, %(payment)s, "
            "is that all right?"
        )
        % {
            "pickup": data["pickup_address"],
            "delivery": data["delivery_address"],
            "volume": _num(data["volume_m3"]),
            "pieces": data["quantity"],
            "total": price.total,
            "payment": PAYMENT_WORDS[data["payment_method"]](),
        }
    )
    lines.append(_("The driver will call you before the pickup. Thank you!"))
    return "\n".join(lines)


def web_order_script(data: dict, price: Quote, *, agent_id: str, company: str) -> str:
    """The seed's call for a web or platform order (3.2.3 与客户沟通: "不论有无问题,都要打电话"): the greeting with
    the agent id, the read-back and quote, and the seed's closing promise."""
    opening = _(
        "Hello %(name)s! This is %(company)s customer service, my agent id is %(agent_id)s. Thank you for choosing "
        "%(company)s. We have received the order you placed on our platform or website. To make sure the details "
        "are right, may I check them with you once more?"
    ) % {"name": data["shipper_name"], "company": company, "agent_id": agent_id or "—"}
    read_back = confirmation_script(data, price).split("\n")[:-1]  # the phone promise gives way to the seed's
    closing = _(
        "Thank you for your help. Our pickup staff will contact you soon; please keep your phone on. Thank you!"
    )
    return "\n".join([opening, *read_back, closing])
