"""The orders' domain errors."""

from freightdesk.core.errors import DomainError


class ReviewInputError(DomainError):
    """The review request itself is incomplete or wrong (a missing reason, a bad correction): 422, not 409."""

    http_status = 422
