"""Phone numbers: parse, validate and normalise with `phonenumbers` (mainland mobile, landline with area code).

A number is stored in E.164 (`+8613800138000`, `+862188887777`); that is the key every
look-up uses, so "138 0013 8000", "+86 13800138000" and "8613800138000" are one number.
"""

from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "CN"
# What people write between the digits of a number; anything else (letters, emoji) is not a phone number,
# and is refused rather than dropped ("138abc00138000" is a typo, not 13800138000).
SEPARATORS = frozenset(" +-().\u3000")


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a Chinese (or international) phone number, or raise ValidationError."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    cleaned = "".join(ch for ch in text if ch.isdecimal() or ch == "+")
    if cleaned.strip("+") and any(not (ch.isdecimal() or ch in SEPARATORS) for ch in text):
        raise ValidationError(
            _("“%(value)s” is not a phone number: only digits, spaces and + - ( ) may be written.")
            % {"value": text[:40]},
            code="invalid",
        )
    if len(cleaned) < 5 or len(cleaned) > 20 or len(text) > 30:
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": text}, code="invalid")
    if cleaned.startswith("86") and len(cleaned) == 13:
        cleaned = "+" + cleaned
    e164 = _e164(cleaned)
    if e164 is _UNPARSEABLE:
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": text}, code="invalid")
    if e164 is _INVALID:
        raise ValidationError(
            _("“%(value)s” is not a valid phone number: a mobile has 11 digits, a landline needs its area code.")
            % {"value": text},
            code="invalid",
        )
    return e164


_UNPARSEABLE, _INVALID = object(), object()


@lru_cache(maxsize=8192)
def _e164(cleaned: str):
    """E.164 of digits (and +), or why not. Cached: callers repeat (returning customers, drivers), and
    `phonenumbers` spends ~0.1 ms per parse — a good share of taking an order."""
    try:
        number = phonenumbers.parse(cleaned, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return _UNPARSEABLE
    if not phonenumbers.is_valid_number(number):
        return _INVALID
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """The number as an agent dials it in China: 13800138000, 021-88887777."""
    if not e164:
        return ""
    if len(e164) == 14 and e164.startswith("+861"):  # a mainland mobile: no parsing needed (hot in lists)
        return e164[3:]
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def national_digits(e164: str) -> str:
    """The number as drivers dial it and SMS gateways take it, digits only: 13800138000, 02188887777."""
    return display_phone(e164).replace("-", "").replace(" ", "")


def last4(e164: str) -> str:
    return "".join(ch for ch in e164 if ch.isdigit())[-4:]


# What an SMS can reach: a mobile, or (outside China) a number the plan does not tell from one.
_TEXTABLE = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


@lru_cache(maxsize=8192)
def is_mobile(e164: str) -> bool:
    """Whether an SMS can reach ``e164``: its number type (phonenumbers' numbering plan) is a mobile, not a
    landline (021-88887777 takes calls, never texts)."""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in _TEXTABLE
