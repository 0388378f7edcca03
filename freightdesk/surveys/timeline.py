"""How the surveys' lines on the order timeline read in the reader's language (the row keeps the phone, the
scores and the comment; orders.timeline renders them at read time). Registered from SurveysConfig.ready()."""

from django.utils.translation import gettext_lazy

from freightdesk.core.phones import display_phone
from freightdesk.orders.timeline import register_kind


def _sent(params: dict) -> dict:
    return {**params, "phone": display_phone(params["phone"])}


def _low(params: dict) -> dict:
    comment = params["comment"]
    return {**params, "comment": f" — {comment}" if comment else ""}


def register() -> None:
    register_kind("survey_sent", gettext_lazy("satisfaction survey sent by SMS to %(phone)s"), _sent)
    # The three scores in the order the survey asks them (on time, attitude, result), 5 is best.
    register_kind(
        "low_satisfaction",
        gettext_lazy(
            "low satisfaction: %(efficiency)s/%(attitude)s/%(solution)s (on time/attitude/result, 5 is best)%(comment)s"
        ),
        _low,
    )
