"""One table: an error code -> the HTTP status the API answers it with (and the status a page is rendered
with). The codes are the apps' error-code enums (`orders.errors.OrderErrorCode`, `dispatch.errors`,
`tracking.errors`, …); a code not listed is a business rule that refused the request: 409."""

REFUSED = 409

HTTP_STATUS: dict[str, int] = {
    # Who may: the user's role does not allow it.
    "role_not_allowed": 403,
    "manager_approval_required": 403,
    "four_eyes": 403,  # who proposed a resolution may not approve it
    # The request is incomplete or wrong: a field to fix.
    "bad_call_outcome": 422,
    "bad_correction": 422,
    "bad_outcome": 422,
    "bad_void_reason": 422,
    "callback_past": 422,
    "callback_required": 422,
    "not_correctable": 422,
    "note_required": 422,
    "restricted_unconfirmed": 422,
    "step_incomplete": 422,
    "invalid": 422,
    "negative": 422,
    "required": 422,
    "too_long": 422,
    # Too much at once.
    "too_many_events": 429,
}


def status_for(code: str) -> int:
    return HTTP_STATUS.get(str(code), REFUSED)
