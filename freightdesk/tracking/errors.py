"""Tracking's domain errors: each refusal has a stable code; the API answers it with the status of
`core.api.errors.HTTP_STATUS`, the pages show its message."""

from enum import StrEnum


class TrackingErrorCode(StrEnum):
    # status reports (SPEC §7)
    BAD_EVENT = "bad_event"
    BAD_SOURCE = "bad_source"
    EVENT_IN_FUTURE = "event_in_future"
    OUT_OF_ORDER = "out_of_order"
    REASON_REQUIRED = "reason_required"
    IMPOSSIBLE_TRANSITION = "impossible_transition"
    CONFLICT = "conflict"  # the order changed meanwhile
    # the driver's own page
    BAD_POSITION = "bad_position"
    BAD_PHOTO = "bad_photo"
    PIECES_DIFFER = "pieces_differ"
    NOT_PICKED_UP = "not_picked_up"  # a delivery before the pickup
    NOT_ESCALATED = "not_escalated"  # the fleet manager's call on a delivery not escalated to him
    # the driver's link
    LINK_EXPIRED = "link_expired"
    LINK_OTHER_ORDER = "link_other_order"
    NO_LINK_NOW = "no_link_now"
    # follow-ups and the actions on them
    NOT_A_CHECK = "not_a_check"
    NOT_A_CALLBACK = "not_a_callback"
    ALREADY_HANDLED = "already_handled"
    BAD_OUTCOME = "bad_outcome"
    BAD_TEXT = "bad_text"
    NOTE_REQUIRED = "note_required"
    NO_DRIVER = "no_driver"
    NO_FLEET_MANAGER = "no_fleet_manager"
