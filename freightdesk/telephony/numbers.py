"""The customer's side of a call as E.164, for matching (SPEC §2 caller-number display).

The platform presents numbers the way the trunk delivers them: mobiles with or without +86 or a
leading 0, landlines with their area code (021-88887777) or, for local callers, without it
(88887777), 400 service numbers. A local landline gets the company's own area code
(``TELEPHONY_AREA_CODE`` setting, env ``FREIGHTDESK_AREA_CODE``, default 21).
"""

import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError

from freightdesk.core.phones import normalize_phone

NUMBER_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{1,30}$")
WITHHELD = frozenset({"", "anonymous", "unknown", "private", "restricted", "withheld"})


def area_code() -> str:
    return str(settings.TELEPHONY_AREA_CODE).lstrip("0")


def is_number(raw: str) -> bool:
    """A dialable number (digits with + - ( ) and spaces), or a withheld caller id."""
    text = (raw or "").strip()
    return text.lower() in WITHHELD or bool(NUMBER_RE.match(text))


def to_e164(raw: str) -> str:
    """E.164 of a caller/callee number, or "" when it is withheld, internal (an extension) or not valid."""
    return _to_e164((raw or "").strip(), area_code())


@lru_cache(maxsize=8192)
def _to_e164(text: str, area: str) -> str:
    """Cached: phonenumbers parsing is the costliest step of taking an event, and callers call again."""
    if text.lower() in WITHHELD:
        return ""
    try:
        return normalize_phone(text)
    except ValidationError:
        pass
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) in (7, 8) and not digits.startswith(("0", "1")):
        try:
            return normalize_phone(f"0{area}{digits}")
        except ValidationError:
            return ""
    return ""
