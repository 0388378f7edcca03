"""Dispatch's domain errors: each refusal has a stable code; the API answers it with the status of
`core.api.errors.HTTP_STATUS`, the pages show its message."""

from enum import StrEnum


class DispatchErrorCode(StrEnum):
    NOT_CONFIRMED = "not_confirmed"  # only a confirmed order can be dispatched, once
    NOT_DISPATCHED = "not_dispatched"
    BAD_OUTCOME = "bad_outcome"
    BAD_RECIPIENT = "bad_recipient"
    NO_TEMPLATE = "no_template"
    NO_PROVIDER_TEMPLATE = "no_provider_template"
    NO_AGENT_ID = "no_agent_id"
    NO_DRIVER = "no_driver"
    NO_FLEET_MANAGER = "no_fleet_manager"
    NO_FLEET_MANAGER_PHONE = "no_fleet_manager_phone"
    NO_DEVELOPER_PHONE = "no_developer_phone"
    # who picks up (assignment)
    UNKNOWN_DRIVER = "unknown_driver"
    UNKNOWN_VEHICLE = "unknown_vehicle"
    NOT_ASSIGNABLE = "not_assignable"  # not dispatched, or picked up already
    NOT_DISPATCHED_TO_YOU = "not_dispatched_to_you"
    DRIVER_INACTIVE = "driver_inactive"
    DRIVER_OTHER_REGION = "driver_other_region"
    ASSIGNMENT_CHANGED = "assignment_changed"
