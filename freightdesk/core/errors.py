"""Domain errors with a stable code (Saleor's error_codes): the API maps them to 4xx, views to messages."""

from django.core.exceptions import ValidationError

from .api.statuses import status_for


class DomainError(Exception):
    """A business rule refused the action. `code` is stable (each app's error-code enum); `message` is for
    people; the HTTP status comes from the one code -> status table (`core/api/statuses.py`)."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field

    @property
    def http_status(self) -> int:
        return status_for(self.code)


class NotAllowed(DomainError):
    """The user's role may not do this (its codes are 403 in the status table)."""


class BadInput(DomainError):
    """Bad input a service finds (a field no schema or form alone can judge): 422 on that field."""

    http_status = 422


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    """Flatten a Django ValidationError into {"field": ["message", ...]}."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}
