"""SPEC §11: a supervisor scores a call on five stages; agents see their own reviews only."""

import pytest
from django.urls import reverse

from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.quality.models import CallReview
from freightdesk.quality.selectors import averages_by_agent
from freightdesk.quality.services import review_call

pytestmark = pytest.mark.django_db
SCORES = {"greeting": 5, "entry": 4, "transformation": 3, "agreement": 4, "closing": 5}


def test_supervisor_scores_five_stages_and_the_average_feeds_the_report(user_for):
    review = review_call(
        reviewer=user_for("supervisor"),
        agent=user_for("agent"),
        scores=SCORES,
        checklist={"three_rings": True, "listened_without_interrupting": False},
        comments="开场白标准",
    )
    assert str(review.average) == "4.20" and review.mode == "phone"
    assert review.checklist == {"three_rings": True, "listened_without_interrupting": False}
    assert str(review.observation_rate) == "50.00"
    row = averages_by_agent()[0]
    assert row["agent__username"] == "8011" and row["reviews"] == 1 and float(row["average"]) == 4.2
    assert float(row["observation"]) == 50.0


def test_the_reports_read_the_five_stages_and_the_stage_average(user_for):
    """The reports app's call-review query (SPEC §12) still reads the fields it always read."""
    from datetime import timedelta

    from django.utils import timezone

    from freightdesk.core.periods import Period
    from freightdesk.reports.quality_queries import call_reviews

    review_call(
        reviewer=user_for("supervisor"),
        agent=user_for("agent"),
        scores=SCORES,
        mode="face_to_face",
        checklist={"eye_contact_smile": True},
    )
    period = Period(start=timezone.now() - timedelta(days=1), end=timezone.now() + timedelta(days=1))
    [row] = call_reviews(period=period)
    assert row["reviews"] == 1 and float(row["average"]) == 4.2 and row["greeting"] == 5


def test_face_to_face_service_has_its_own_observation_checklist(user_for):
    from freightdesk.quality.checklist import FACE_TO_FACE_CHECKLIST, PHONE_CHECKLIST

    assert {"professional_dress", "eye_contact_smile", "saw_customer_off"} <= set(FACE_TO_FACE_CHECKLIST)
    assert {"listened_without_interrupting", "repeated_request", "no_banned_words"} <= set(PHONE_CHECKLIST)
    review = review_call(
        reviewer=user_for("supervisor"),
        agent=user_for("agent"),
        scores=SCORES,
        mode="face_to_face",
        checklist={"eye_contact_smile": True, "posture": True, "saw_customer_off": False},
    )
    assert review.mode == "face_to_face" and str(review.observation_rate) == "66.67"
    none_observed = review_call(reviewer=user_for("supervisor"), agent=user_for("agent"), scores=SCORES)
    assert none_observed.checklist == {} and none_observed.observation_rate is None


@pytest.mark.parametrize(
    ("mode", "checklist", "code"),
    [
        ("phone", {"eye_contact_smile": True}, "not_on_checklist"),  # a face-to-face item on a phone review
        ("phone", {"bogus": True}, "not_on_checklist"),
        ("phone", {"three_rings": "yes"}, "invalid_item"),
        ("fax", {}, "invalid_mode"),
    ],
)
def test_items_off_the_checklist_are_refused_and_nothing_is_saved(user_for, mode, checklist, code):
    with pytest.raises(DomainError) as err:
        review_call(
            reviewer=user_for("supervisor"), agent=user_for("agent"), scores=SCORES, mode=mode, checklist=checklist
        )
    assert err.value.code == code and CallReview.objects.count() == 0


def test_only_supervisors_review_and_scores_must_be_1_to_5(user_for):
    with pytest.raises(NotAllowed):
        review_call(reviewer=user_for("agent"), agent=user_for("agent"), scores=SCORES)
    with pytest.raises(DomainError) as err:
        review_call(reviewer=user_for("supervisor"), agent=user_for("agent"), scores={**SCORES, "closing": 6})
    assert err.value.field == "closing" and CallReview.objects.count() == 0


def test_each_agent_sees_only_his_own_reviews(client, user_for):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.get(username="8012")
    review_call(reviewer=user_for("supervisor"), agent=user_for("agent"), scores=SCORES, comments="本人的点评")
    review_call(reviewer=user_for("supervisor"), agent=other, scores=SCORES, comments="别人的点评")
    client.force_login(user_for("agent"))
    page = client.get(reverse("quality:mine")).content.decode()
    assert "本人的点评" in page and "别人的点评" not in page
    assert client.get(reverse("quality:new")).status_code == 403


def test_the_review_form_saves_a_review(client, user_for):
    client.force_login(user_for("supervisor"))
    data = {
        **{k: str(v) for k, v in SCORES.items()},
        "agent": user_for("agent").pk,
        "mode": "phone",
        "obs_phone_agent_id": "met",
        "obs_phone_repeated_request": "not_met",
        "obs_phone_three_rings": "",
    }
    response = client.post(reverse("quality:new"), data)
    assert response.status_code == 302
    review = CallReview.objects.get()
    assert review.checklist == {"agent_id": True, "repeated_request": False} and review.observation_rate == 50


def test_the_form_scores_face_to_face_items_and_refuses_them_on_a_phone_review(client, user_for):
    client.force_login(user_for("supervisor"))
    data = {
        **{k: str(v) for k, v in SCORES.items()},
        "agent": user_for("agent").pk,
        "mode": "phone",
        "obs_face_to_face_posture": "met",
    }
    page = client.get(reverse("quality:new")).content.decode()
    assert 'name="obs_face_to_face_posture"' in page and 'name="obs_phone_three_rings"' in page
    refused = client.post(reverse("quality:new"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "Not on the Phone service checklist: posture" in refused.content.decode()
    assert not CallReview.objects.exists()
    assert client.post(reverse("quality:new"), {**data, "mode": "face_to_face"}).status_code == 302
    assert CallReview.objects.get().checklist == {"posture": True}


def test_the_agent_sees_which_items_he_missed(client, user_for):
    review_call(
        reviewer=user_for("supervisor"),
        agent=user_for("agent"),
        scores=SCORES,
        checklist={"agent_id": True, "repeated_request": False},
    )
    client.force_login(user_for("agent"))
    page = client.get(reverse("quality:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Repeated the request to show it was understood" in page and "50%" in page
    assert "Greeted with the agent id" not in page  # met: nothing to improve


def test_a_supervisor_reviews_a_call_from_the_ticket_page(client, user_for):
    from freightdesk.tickets.services import open_ticket

    ticket = open_ticket(
        by=user_for("agent"),
        category="suggestion",
        subcategory="general",
        channel="phone",
        description="希望增加夜间提货",
    )
    client.force_login(user_for("supervisor"))
    detail = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert f"/quality/new/?ticket={ticket.number}" in detail
    form = client.get(reverse("quality:new"), {"ticket": ticket.number}).context["form"]
    assert form.initial["agent"] == user_for("agent").pk
