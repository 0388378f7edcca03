"""The dispatch SMS's facts and its shortening rules (SPEC §6): what an order says, and the fixed ladder of
abbreviations the composer applies one after another until the message fits (see ``sms_composer``)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from freightdesk.messaging.templating import FREE

HONORIFICS = (("先生", "先"), ("小姐", "小"), ("女士", "女"))
PAYMENT_LONG = {"shipper_pays": "发货人现付", "consignee_pays": "收货人到付", "monthly": "月结"}
PAYMENT_SHORT = {"shipper_pays": "现付", "consignee_pays": "到付", "monthly": "月结"}
FEE_LONG = {"loading": "加装卸费", "pickup": "加提货费", "delivery": "加送货费", "other": "加其他费用"}
FEE_SHORT = {"loading": "装卸", "pickup": "提", "delivery": "送", "other": "杂"}
MUST_KEEP = ("serial", "shipper_phone", "consignee_phone", "quantity", "weight", "volume", "agent_id", "link", "token")
SPACED = ("shipper", "goods", "pickup", "destination", "consignee", "note")
RULES = ("honorifics", "payment", "fees", "places", "spaces", "note")
ELLIPSIS = "…"
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class OrderFacts:
    """What the message says about an order, already in SMS form (phones as national digits)."""

    serial: str
    shipper: str
    shipper_phone: str
    goods: str
    quantity: int
    weight: Decimal
    volume: Decimal
    pickup: str
    destination: str
    consignee: str
    consignee_phone: str
    payment: str
    fees: tuple[tuple[str, Decimal], ...] = ()
    note: str = ""
    agent_id: str = ""


@dataclass(slots=True)
class Composition:
    text: str  # what follows the signature
    signature: str
    length: int  # counted units, signature included
    segments: int
    encoding: str
    rules: tuple[str, ...]  # the shortening rules that were needed
    syntax: str = FREE
    params: dict | list | None = None  # provider template variables
    warnings: tuple[str, ...] = field(default=())

    @property
    def multipart(self) -> bool:
        return self.segments > 1


def number(value) -> str:
    """200.00 -> 200, 2.20 -> 2.2 (never scientific notation)."""
    text = str(value)
    if "E" in text or "e" in text:
        text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def fees_text(fees, words) -> str:
    """``fees`` as (kind, amount) with the amount already written as text (see ``number``)."""
    if not fees:
        return ""
    return ",".join([words.get(kind, words["other"]) + amount for kind, amount in fees])


def fee_amounts(facts: OrderFacts):
    return [(kind, number(amount)) for kind, amount in facts.fees] if facts.fees else ()


def base_values(facts: OrderFacts) -> dict[str, str]:
    """The order's fields as message text, unshortened; ``_fees`` keeps (kind, amount) for rule 3."""
    fees = fee_amounts(facts) if facts.fees else ()
    return {
        "serial": facts.serial,
        "shipper": facts.shipper,
        "shipper_phone": facts.shipper_phone,
        "goods": facts.goods,
        "quantity": str(facts.quantity),
        "weight": number(facts.weight),
        "volume": number(facts.volume),
        "pickup": facts.pickup,
        "destination": facts.destination,
        "consignee": facts.consignee,
        "consignee_phone": facts.consignee_phone,
        "payment": PAYMENT_LONG.get(facts.payment, facts.payment),
        "fees": fees_text(fees, FEE_LONG) if fees else "",
        "_fees": fees,
        "note": facts.note.strip(),
        "agent_id": facts.agent_id,
    }


def finish_values(values: dict[str, str]) -> dict[str, str]:
    values["route"] = values["pickup"] + "往" + values["destination"]
    fees, note = values["fees"], values["note"]
    values["extras"] = (fees + "," + note + "。") if fees and note else ((fees or note) + "。" if fees or note else "")
    return values


def no_space(text: str) -> str:
    """Rule 5 on one value: every space (and any other whitespace, e.g. the ideographic space) dropped."""
    return "".join(text.split())


def short_name(text: str) -> str:
    """Rules 1 and 5 on a person's name: 王先生 -> 王先."""
    return no_space(text.replace("先生", "先").replace("小姐", "小").replace("女士", "女"))


def abbreviate(text: str, table) -> str:
    for full, short in table:
        if full in text:
            text = text.replace(full, short)
    return text


def apply_rule(rule: str, values: dict, facts: OrderFacts, table) -> dict:
    v = dict(values)
    if rule == "honorifics":
        for key in ("shipper", "consignee"):
            for long, short in HONORIFICS:
                v[key] = v[key].replace(long, short)
    elif rule == "payment":
        v["payment"] = PAYMENT_SHORT.get(facts.payment, v["payment"])
    elif rule == "fees":
        v["fees"] = fees_text(fee_amounts(facts), FEE_SHORT)
    elif rule == "places":
        v["pickup"], v["destination"] = abbreviate(v["pickup"], table), abbreviate(v["destination"], table)
    elif rule == "spaces":
        for key in ("shipper", "goods", "pickup", "destination", "consignee", "note"):
            v[key] = "".join(v[key].split())
    return v
