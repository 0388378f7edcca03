"""Message templates in three syntaxes, parsed once into literal/variable pieces.

- free text (console, file, generic HTTP gateways): ``{serial}客{shipper}…`` — named fields;
- Aliyun SMS approved templates: ``${serial}客${shipper}…`` — named variables;
- Tencent Cloud SMS approved templates: ``{1}客{2}…`` — numbered variables, never two
  adjacent (the provider refuses them), mapped to field names in order.

A syntax error raises ``TemplateSyntaxError`` with a reason the admin form shows.
"""

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from string import Formatter

from django.utils.translation import gettext as _

# Every value a template may use; the composer fills the ones its message needs.
KNOWN_FIELDS = frozenset(
    {
        "serial",
        "shipper",
        "shipper_phone",
        "goods",
        "quantity",
        "weight",
        "volume",
        "pickup",
        "destination",
        "route",
        "extras",
        "consignee",
        "consignee_phone",
        "payment",
        "fees",
        "note",
        "agent_id",
        "waybill",
        "hours_late",
        "lateness",
        "due",
        "last4",
        "driver",
        "region",
        "link",
        "token",
    }
)
# The driver's link (SPEC §7): ``link`` is the whole address, for free text only; the providers refuse
# links inside variables, so their approved text holds the address and ``token`` fills its end.
LINK_FIELD, TOKEN_FIELD = "link", "token"

FREE, ALIYUN, TENCENT = "free", "aliyun", "tencent"
_ALIYUN_VAR = re.compile(r"\$\{([^{}]*)\}")
_TENCENT_VAR = re.compile(r"\{(\d+)\}")


class TemplateSyntaxError(ValueError):
    pass


class Blank(dict):
    """Values for rendering: a field the message does not fill renders empty."""

    def __missing__(self, key):
        return ""


@dataclass(frozen=True)
class Template:
    """Parsed template: ``pieces`` alternate literal text and field names (None for no field)."""

    syntax: str
    pieces: tuple[tuple[str, str | None], ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for _lit, name in self.pieces if name)

    @property
    def literal_length(self) -> int:
        return sum(len(lit) for lit, _name in self.pieces)

    @cached_property
    def renderer(self):
        """The template compiled once into a function of a values dict that holds every field (a Blank
        fills missing ones): literal pieces and ``v[name]`` joined in one call, about three times
        faster than ``str.format_map``. Literals and names enter the generated code only through
        ``repr``, so no template text can become code."""
        parts = []
        for literal, name in self.pieces:
            if literal:
                parts.append(repr(literal))
            if name:
                parts.append(f"v[{name!r}]")
        if not parts:
            return lambda v: ""
        if len(parts) == 1:
            return eval(f"lambda v: {parts[0]}")  # noqa: S307 - built from repr() of the template's pieces
        return eval(f"lambda v: ''.join(({', '.join(parts)},))")  # noqa: S307 - as above

    def render(self, values: dict[str, str]) -> str:
        blank = values if type(values) is Blank else Blank(values)
        try:
            return self.renderer(blank)
        except TypeError:  # a value that is not text (e.g. a number): written as str.format would
            return self.renderer(Blank({key: str(value) for key, value in blank.items()}))


def _check_known(names, known):
    unknown = [n for n in names if n not in known]
    if unknown:
        raise TemplateSyntaxError(
            _("Unknown variable %(names)s; known variables: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(sorted(known))}
        )


def _check_provider_fields(names) -> None:
    if LINK_FIELD in names:
        raise TemplateSyntaxError(
            _(
                "A link may not sit in a variable of an approved template (the provider refuses it): write the "
                "address in the template text and end it with the token variable, e.g. "
                "https://example.com/tracking/d/${token}/."
            )
        )


def check_token_address(template: Template, prefix: str) -> None:
    """Every ``token`` must end an address written in the text: ``…<prefix>`` right before it."""
    for literal, name in template.pieces:
        if name == TOKEN_FIELD and not (literal.endswith(prefix) and "://" in literal):
            raise TemplateSyntaxError(
                _(
                    "The token must follow the address of the driver's page in the text, e.g. "
                    "“https://example.com%(prefix)s” right before the token variable."
                )
                % {"prefix": prefix}
            )


def parse_free(body: str, known=KNOWN_FIELDS) -> Template:
    pieces = []
    try:
        parsed = list(Formatter().parse(body))
    except ValueError as exc:
        raise TemplateSyntaxError(
            _("Unbalanced braces: write a variable as {serial}; a literal brace as {{ or }}. (%(error)s)")
            % {"error": exc}
        ) from None
    for literal, name, spec, conversion in parsed:
        if name is not None and (spec or conversion):
            raise TemplateSyntaxError(_("“{%(name)s}” may not carry a format or conversion.") % {"name": name})
        if name == "":
            raise TemplateSyntaxError(_("An empty {} is not a variable; name it, e.g. {serial}."))
        pieces.append((literal, name))
    template = Template(FREE, tuple(pieces))
    _check_known(template.fields, known)
    return template


def parse_aliyun(body: str, known=KNOWN_FIELDS) -> Template:
    pieces, pos = [], 0
    for match in _ALIYUN_VAR.finditer(body):
        literal = body[pos : match.start()]
        if "${" in literal:
            raise TemplateSyntaxError(_("An unclosed ${ before “%(text)s”.") % {"text": match.group(0)})
        name = match.group(1).strip()
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise TemplateSyntaxError(_("“%(text)s” is not a valid variable name.") % {"text": match.group(0)})
        pieces.append((literal, name))
        pos = match.end()
    tail = body[pos:]
    if "${" in tail:
        raise TemplateSyntaxError(_("An unclosed ${ at the end of the template."))
    pieces.append((tail, None))
    template = Template(ALIYUN, tuple(pieces))
    _check_known(template.fields, known)
    _check_provider_fields(template.fields)
    return template


def parse_tencent(body: str, param_names: list[str], known=KNOWN_FIELDS) -> Template:
    """Numbered variables {1}..{n}; ``param_names[i-1]`` is the field that fills {i}."""
    pieces, pos, numbers = [], 0, []
    for match in _TENCENT_VAR.finditer(body):
        literal = body[pos : match.start()]
        if pieces and literal == "":
            raise TemplateSyntaxError(
                _("Variables {%(a)s} and {%(b)s} are adjacent; Tencent SMS needs text between variables.")
                % {"a": numbers[-1], "b": match.group(1)}
            )
        if "{" in literal or "}" in literal:
            raise TemplateSyntaxError(_("Stray brace in “%(text)s”; variables are {1}, {2}, …") % {"text": literal})
        number = int(match.group(1))
        numbers.append(number)
        pieces.append((literal, number))
        pos = match.end()
    tail = body[pos:]
    if "{" in tail or "}" in tail:
        raise TemplateSyntaxError(_("Stray brace in “%(text)s”; variables are {1}, {2}, …") % {"text": tail})
    if sorted(set(numbers)) != list(range(1, len(set(numbers)) + 1)):
        raise TemplateSyntaxError(_("Variables must be numbered {1}, {2}, … without gaps."))
    if len(set(numbers)) != len(param_names):
        raise TemplateSyntaxError(
            _("The template has %(n)s variables but %(m)s field names are listed.")
            % {"n": len(set(numbers)), "m": len(param_names)}
        )
    _check_known(param_names, known)
    _check_provider_fields(param_names)
    named = tuple((lit, param_names[num - 1]) for lit, num in pieces) + ((tail, None),)
    return Template(TENCENT, named)


def split_names(text: str) -> list[str]:
    return [n.strip() for n in (text or "").replace("，", ",").split(",") if n.strip()]


@lru_cache(maxsize=256)
def parse_cached(syntax: str, body: str, params: str = "") -> Template:
    """``body`` in ``syntax`` parsed (and its renderer compiled) once per process: a Template is immutable
    and keyed by its own text, so an edited template is a new key and is parsed afresh. ``params``: the
    Tencent field names as stored (comma-separated). A syntax error is raised each time, never cached."""
    if syntax == ALIYUN:
        return parse_aliyun(body)
    if syntax == TENCENT:
        return parse_tencent(body, split_names(params))
    return parse_free(body)
