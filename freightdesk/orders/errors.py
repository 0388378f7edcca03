"""The orders' domain errors: each refusal has a stable code (Saleor's `OrderErrorCode`); the API answers it
with the status of `core.api.errors.HTTP_STATUS`, the pages show its message."""

from enum import StrEnum

from freightdesk.core.errors import DomainError, NotAllowed


class OrderErrorCode(StrEnum):
    NO_RATE = "no_rate"  # no rate card for the route
    # review (核单)
    NOT_REVIEWABLE = "not_reviewable"
    CLAIMED = "claimed"
    BAD_OUTCOME = "bad_outcome"
    BAD_CALL_OUTCOME = "bad_call_outcome"
    NOTE_REQUIRED = "note_required"
    CALLBACK_REQUIRED = "callback_required"
    CALLBACK_PAST = "callback_past"
    BAD_VOID_REASON = "bad_void_reason"
    CALL_REQUIRED = "call_required"  # confirmed only after the customer was called
    RESTRICTED_UNCONFIRMED = "restricted_unconfirmed"  # restricted goods confirmed only with what the customer said
    # corrections (改单)
    NOT_CORRECTABLE = "not_correctable"
    BAD_CORRECTION = "bad_correction"
    PICKED_UP = "picked_up"  # too late to void or correct: the goods are on the road
    # the state machine (workflow.py)
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    STEP_INCOMPLETE = "step_incomplete"
    ORDER_CHANGED = "order_changed"


class ReviewInputError(DomainError):
    """The review request itself is incomplete or wrong (a missing reason, a bad correction): 422, not 409."""


class StepNotAllowed(NotAllowed):
    """The user's role may not take this step of the order's workflow."""


class StepIncomplete(DomainError):
    """A step called without a field it must fill: a programming error in the caller, never user input."""
