"""One code -> HTTP status table (core/api/statuses.py): a code answers with the same status whichever app raises
it; bad input is 422, a role refused 403, a refused business rule 409."""

from freightdesk.core.api.statuses import HTTP_STATUS, REFUSED
from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.dispatch.errors import DispatchErrorCode
from freightdesk.orders.errors import OrderErrorCode, ReviewInputError
from freightdesk.tickets.steps import TicketInputError
from freightdesk.tracking.errors import TrackingErrorCode


def test_every_code_of_the_apps_answers_with_the_status_of_the_one_table():
    for enum in (OrderErrorCode, DispatchErrorCode, TrackingErrorCode):
        for code in enum:
            assert DomainError(code, "x").http_status == HTTP_STATUS.get(code.value, REFUSED), code
    assert set(HTTP_STATUS.values()) <= {403, 422, 429}  # anything else is the default 409


def test_bad_input_is_422_a_role_refused_403_and_a_rule_refused_409():
    assert ReviewInputError(OrderErrorCode.NOTE_REQUIRED, "x").http_status == 422
    assert TicketInputError("required", "x").http_status == 422
    assert NotAllowed(OrderErrorCode.ROLE_NOT_ALLOWED, "x").http_status == 403
    assert DomainError(OrderErrorCode.NOT_REVIEWABLE, "x").http_status == 409
    assert DomainError(DispatchErrorCode.NOT_CONFIRMED, "x").code == "not_confirmed"  # the API's code is the value
