"""Every text and time that enters FreightDesk is checked here, once, by the same rules: API schemas
(`CleanModel`, `CleanSchema`, `IsoDateTime`), forms (`CleanForm`, `CleanModelForm`), services that take raw text
(`check_text`), and the phone platform's and telematics' events (`device_text`).

- Control characters (NUL, ESC, DEL, C1…; not tab and line ends) are refused with a field error: they
  would end up in SMS texts and PostgreSQL refuses NUL. A device (the PBX, telematics) cannot be asked to
  retype, so in what it sends they are removed instead (`device_text`).
- A lone surrogate (a JSON `"\\ud800"`: half of a character) is refused: it is not text.
- A text made only of invisible characters (zero-width spaces, joiners) is refused: a name nobody can read.
- A time without an offset is read in the company's zone (Asia/Shanghai); a bare date where a date-time
  is expected is refused; times outside `EARLIEST`..`LATEST` are refused (a deadline in year 9999 is a typo).
"""

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.models import ModelFormMetaclass
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from .worktime import TZ

ALLOWED_CONTROLS = frozenset("\t\n\r")
INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp", "Mn", "Me"})  # format, spaces, combining marks alone
EARLIEST = datetime(2000, 1, 1, tzinfo=TZ)
LATEST = datetime(2100, 1, 1, tzinfo=TZ)
DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
BARE_DATE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")
OFFSET_NOTE = "A time without an offset is read in Asia/Shanghai (+08:00); a bare date is refused."


# --- text ---------------------------------------------------------------------------------------
def _bad_character(value: str) -> str | None:
    """The first character that is not text (a control character or a lone surrogate), or None."""
    for ch in value:
        if ch in ALLOWED_CONTROLS:
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs"):
            return ch
    return None


def has_bad_character(value: str) -> bool:
    return _bad_character(value) is not None


def _invisible_only(value: str) -> bool:
    return bool(value) and all(ch.isspace() or unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in value)


def text_problem(value: str) -> tuple[str, str] | None:
    """(code, message) of what makes ``value`` unacceptable as text, or None."""
    bad = _bad_character(value)
    if bad is not None:
        if unicodedata.category(bad) == "Cs":
            return "surrogate", _("This text holds half a character (a lone surrogate); send valid Unicode.")
        return "control_character", _("This text holds a control character (U+%(code)s); remove it.") % {
            "code": f"{ord(bad):04X}"
        }
    if _invisible_only(value) and not value.isspace():
        return "invisible", _("This text has only invisible characters; write it out.")
    return None


def check_text(value: str, *, max_length: int | None = None, field: str | None = None) -> str:
    """``value`` unchanged when it is acceptable text within ``max_length``; else ValidationError (with the
    limit — nothing is cut). ``field`` names the field in the error."""
    problem = text_problem(value)
    if problem is None and max_length is not None and len(value) > max_length:
        problem = (
            "max_length",
            _("At most %(limit)d characters (this has %(count)d).") % {"limit": max_length, "count": len(value)},
        )
    if problem is None:
        return value
    error = ValidationError(problem[1], code=problem[0])
    raise ValidationError({field: [error]}) if field else error


def device_text(value: str) -> str:
    """What a device (PBX, telematics) sent, without control characters and lone surrogates: a device
    cannot retype, and the rest of its event is still worth keeping."""
    if _bad_character(value) is None:
        return value
    return "".join(ch for ch in value if ch in ALLOWED_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs"))


def validate_text(value) -> None:
    """Django validator: check_text without a length (the field has its own)."""
    if isinstance(value, str):
        check_text(value)


# --- time ---------------------------------------------------------------------------------------
def check_datetime(value: datetime) -> datetime:
    """Aware (a naive time is read in Asia/Shanghai) and within EARLIEST..LATEST; else ValidationError."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=TZ)
    if not EARLIEST <= value < LATEST:
        raise ValidationError(
            _("Enter a time between %(first)s and %(last)s.") % {"first": EARLIEST.year, "last": LATEST.year - 1},
            code="out_of_range",
        )
    return value


def parse_time(raw: str) -> datetime:
    """ISO 8601 text -> aware datetime by the rules above; ValidationError when it is not one."""
    if not isinstance(raw, str) or not DATETIME_TEXT.match(raw):
        raise ValidationError(
            _("Enter a date and a time, e.g. 2026-11-23T09:15:02+08:00."),
            code="invalid_datetime",
        )
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValidationError(_("Enter a date and a time, e.g. 2026-11-23T09:15:02+08:00."), code="invalid_datetime")
    return check_datetime(value)


# --- pydantic (ninja schemas) -------------------------------------------------------------------
def _pydantic(check, value):
    try:
        return check(value)
    except ValidationError as exc:
        raise PydanticCustomError("cleaning", "{message}", {"message": exc.messages[0], "code": exc.code}) from None


def _clean_value(value: Any) -> Any:
    """Every string in ``value`` (nested lists and objects too) checked as text."""
    if isinstance(value, str):
        _pydantic(check_text, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_value(key)
            _clean_value(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _clean_value(item)
    return value


class CleanModel(BaseModel):
    """Base of every API input shape: each text field is refused when it is not text (see above)."""

    @field_validator("*", mode="after")
    @classmethod
    def _text_only(cls, value):
        return _clean_value(value)


class CleanSchema(Schema):
    """CleanModel for ninja.Schema bodies and queries."""

    @field_validator("*", mode="after")
    @classmethod
    def _text_only(cls, value):
        return _clean_value(value)


IsoDateTime = Annotated[
    datetime,
    BeforeValidator(lambda value: _pydantic(parse_time, value)),
    WithJsonSchema({"type": "string", "format": "date-time", "description": OFFSET_NOTE}),
]
"""A date-time as ISO 8601 text (never a Unix number), a time without offset read in Asia/Shanghai."""

DeviceText = Annotated[str, AfterValidator(device_text)]
"""Text from a device: control characters removed (see device_text)."""


# --- forms --------------------------------------------------------------------------------------
class SharedFields(dict):
    """The fields of a form class whose instances never change them: a form takes them as they are instead of
    Django's deep copy of every field (its widgets, validators and messages) per form."""

    def __deepcopy__(self, memo):
        return dict(self)


def _clean_fields(form_class) -> None:
    """Put the rules above on every text and date-time field of a form class, once, when the class is made."""
    for field in form_class.base_fields.values():
        if isinstance(field, forms.CharField):
            if validate_text not in field.validators:
                field.validators.append(validate_text)
        elif isinstance(field, forms.DateTimeField) and not getattr(field.to_python, "strict", False):
            field.to_python = _datetime_to_python(field.to_python)
    if form_class.shared_fields and not isinstance(form_class.base_fields, SharedFields):
        form_class.base_fields = SharedFields(form_class.base_fields)


class CleanFormMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):
        form_class = super().__new__(mcs, name, bases, attrs)
        _clean_fields(form_class)
        return form_class


class CleanModelFormMetaclass(ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        form_class = super().__new__(mcs, name, bases, attrs)
        _clean_fields(form_class)
        return form_class


def _datetime_to_python(to_python):
    def strict(value):
        if isinstance(value, str) and BARE_DATE.match(value):
            raise ValidationError(_("Enter a date and a time, not only a date."), code="invalid_datetime")
        if isinstance(value, str):
            _bad = text_problem(value)
            if _bad:
                raise ValidationError(_bad[1], code=_bad[0])
        parsed = to_python(value)
        return check_datetime(parsed) if parsed is not None else None

    strict.strict = True
    return strict


class CleanForm(forms.Form, metaclass=CleanFormMetaclass):
    """A form whose text and date-time fields follow the rules above. ``shared_fields = True``: a form class
    whose instances never change their fields (no choices, querysets or labels set per form) shares them."""

    shared_fields = False


class CleanModelForm(forms.ModelForm, metaclass=CleanModelFormMetaclass):
    """CleanForm for model forms."""

    shared_fields = False
