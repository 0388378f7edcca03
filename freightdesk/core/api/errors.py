"""Every error the API answers, in one shape (API.md conventions).

Bad input -> 422 `{"errors": {"<field path>": ["<message>", ...]}}`, messages in the request's
language; a refused business rule (DomainError) -> the status of its code (`statuses.py`, one table) with `{"errors": ...}` when it
names a field, else `{"detail", "code"}`; 401/403/404 -> `{"detail", "code"}`.
"""

import json
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.parser import Parser

from freightdesk.core.errors import DomainError

NON_FIELD = "__all__"


def api_path(form_field: str | None, field_paths: Mapping[str, str] | None = None) -> str:
    """A form field's place in the API's JSON: `field_paths` maps the ones whose path differs."""
    if not form_field:
        return NON_FIELD
    return (field_paths or {}).get(form_field, form_field)


class ErrorsOut(Schema):
    """Field errors: the path of each bad field (e.g. `shipper.phone`, `extra_fees.0.amount`) -> messages."""

    errors: dict[str, list[str]]


class DetailOut(Schema):
    detail: str
    code: str


class ApiValidationError(Exception):
    """Bad input found after parsing (by a form or a check); answered 422 in the errors shape."""

    def __init__(self, errors: dict[str, list[str]], status: int = 422):
        super().__init__(errors)
        self.errors = errors
        self.status = status


class MalformedBody(ValueError):
    pass


class StrictJSONParser(Parser):
    """json.loads without NaN/Infinity, decimals kept exact; any failure is a malformed body (422)."""

    def parse_body(self, request: HttpRequest):
        try:
            return json.loads(request.body, parse_float=Decimal, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            raise MalformedBody(str(exc)) from exc


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


# --- pydantic errors -> messages people read --------------------------------------
def _shown(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:40] + "…"


def _too_long(err: dict) -> str:
    limit = (err.get("ctx") or {}).get("max_length", 0)
    value = err.get("input")
    shown = len(value) if isinstance(value, str) else 0
    return ngettext(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        limit,
    ) % {"limit_value": limit, "show_value": shown}


def _typed_message(kind: str) -> str | None:
    if kind in {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}:
        return _("Enter a whole number.")
    if kind.startswith(("decimal", "float")) or kind in {"finite_number", "number_type"}:
        return _("Enter a number.")
    if kind.startswith("datetime") or kind in {"timezone_aware", "timezone_naive"}:
        return _("Enter a valid date/time.")
    if kind.startswith("date"):
        return _("Enter a valid date.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind.startswith("string_type") or kind in {"string_unicode", "string_sub_type"}:
        return _("Enter a text.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Enter a JSON object.")
    if kind in {"list_type", "tuple_type"}:
        return _("Enter a list of values.")
    return None


def pydantic_message(err: dict) -> str:
    """One translated message for one pydantic error (the msgids are Django's where it has one)."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "cleaning":  # core.cleaning: the message is already the user's
        return str(ctx.get("message"))
    if kind == "missing":
        return _("This field is required.")
    if kind in {"enum", "literal_error"}:
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {
            "value": _shown(err.get("input"))
        }
    if kind == "string_too_long":
        return _too_long(err)
    if kind == "too_long":
        return _("Send at most %(max)s items.") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("This field is required.")
    if kind in {"greater_than", "greater_than_equal"}:
        limit = ctx.get("ge", ctx.get("gt"))
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": limit}
    if kind in {"less_than", "less_than_equal"}:
        limit = ctx.get("le", ctx.get("lt"))
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": limit}
    return _typed_message(kind) or _("Enter a valid value.")


def field_path(loc) -> str:
    """("body", "payload", "goods", "quantity") -> "goods.quantity"; ("query", "from") -> "from"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]  # the source and the body parameter's own name
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD


def add_error(errors: dict[str, list[str]], path: str, message: str) -> None:
    messages = errors.setdefault(path, [])
    if message not in messages:
        messages.append(message)


# --- the API class and its handlers ------------------------------------------------
BODY_TOO_LARGE = {
    "description": "The request body is larger than the server takes (DATA_UPLOAD_MAX_MEMORY_SIZE): "
    '`{"detail", "code": "body_too_large"}`.',
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DetailOut"}}},
}


class FreightDeskAPI(NinjaAPI):
    """NinjaAPI that keeps the offending input on validation errors, so messages can quote it, and documents the
    413 every operation with a body can answer (the body limit is Django's, before any route runs)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        with_body = [
            operation
            for operations in schema["paths"].values()
            for operation in operations.values()
            if isinstance(operation, dict) and "requestBody" in operation
        ]
        for operation in with_body:
            operation["responses"].setdefault(413, BODY_TOO_LARGE)
        if with_body:
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.setdefault("DetailOut", DetailOut.model_json_schema())
        return schema

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        errors = []
        for context in error_contexts:
            model = context.model
            for err in context.pydantic_validation_error.errors(include_url=False):
                loc = (model.__ninja_param_source__,) + model.__ninja_flatten_map_reverse__.get(err["loc"], err["loc"])
                errors.append({"type": err["type"], "loc": loc, "input": err.get("input"), "ctx": err.get("ctx")})
        return ValidationError(errors)


def _errors_response(api, request, errors: dict[str, list[str]], status: int = 422):
    return api.create_response(request, {"errors": errors}, status=status)


def _detail_response(api, request, detail: str, code: str, status: int):
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


def install_error_handlers(api: NinjaAPI, *, field_paths: Mapping[str, str] | None = None) -> None:
    """Answer every error in the API.md shapes; `field_paths` places a refused form field in the JSON."""

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            add_error(errors, field_path(err.get("loc", ())), pydantic_message(err))
        return _errors_response(api, request, errors)

    @api.exception_handler(ApiValidationError)
    def on_api_validation_error(request, exc: ApiValidationError):
        return _errors_response(api, request, exc.errors, exc.status)

    @api.exception_handler(DomainError)
    def on_domain_error(request, exc: DomainError):
        if exc.field:
            return _errors_response(api, request, {api_path(exc.field, field_paths): [exc.message]}, exc.http_status)
        return _detail_response(api, request, exc.message, exc.code, exc.http_status)

    @api.exception_handler(RequestDataTooBig)
    def on_body_too_large(request, exc):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        message = _("The request body is larger than %(limit)d KB.") % {"limit": limit}
        return _detail_response(api, request, message, "body_too_large", 413)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return _detail_response(api, request, _("Not found."), "not_found", 404)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        response = _detail_response(
            api, request, _("Send a valid API token: Authorization: Bearer <token>."), "unauthenticated", 401
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(AuthorizationError)
    def on_forbidden(request, exc):
        return _detail_response(api, request, _("This token does not allow that."), "forbidden", 403)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, MalformedBody):
            return _errors_response(api, request, {NON_FIELD: [_("The request body is not valid JSON.")]})
        return _detail_response(api, request, str(exc), "error", exc.status_code)
