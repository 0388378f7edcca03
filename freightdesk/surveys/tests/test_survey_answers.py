"""SPEC §10 table 3: one answer per ticket, an expiring link, low scores open a follow-up for the supervisor."""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from freightdesk.followups.models import FollowUp
from freightdesk.messaging.models import Message
from freightdesk.surveys.models import Survey
from freightdesk.surveys.services import send_ticket_survey
from freightdesk.tickets.seeds import seed_sla_policies
from freightdesk.tickets.services import open_ticket

pytestmark = pytest.mark.django_db
GOOD = {"efficiency": "5", "attitude": "4", "solution": "5", "comment": "很好"}


@pytest.fixture
def survey(agent, demo):
    seed_sla_policies(django_apps)
    ticket = open_ticket(
        by=agent,
        category="inquiry",
        subcategory="other",
        channel="phone",
        description="查询到货时间",
        customer_phone="13800138000",
    )
    return send_ticket_survey(ticket=ticket)


def test_the_sms_carries_the_link_and_a_second_send_sends_nothing(survey):
    assert send_ticket_survey(ticket=survey.ticket) == survey
    sms = Message.objects.get(kind="survey")
    assert sms.to == "+8613800138000" and reverse("surveys:answer", args=[survey.token]) in sms.text


def test_the_customer_answers_once(client, survey):
    url = reverse("surveys:answer", args=[survey.token])
    assert client.get(url).status_code == 200
    response = client.post(url, GOOD, HTTP_ACCEPT_LANGUAGE="en")
    assert "Thank you for your answer" in response.content.decode()
    survey.refresh_from_db()
    assert (survey.efficiency, survey.attitude, survey.solution, survey.comment) == (5, 4, 5, "很好")
    again = client.post(url, {**GOOD, "efficiency": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 410 and "already been answered" in again.content.decode()
    survey.refresh_from_db()
    assert survey.efficiency == 5


def test_an_expired_link_stores_nothing(client, survey):
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("surveys:answer", args=[survey.token]), GOOD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410 and "expired" in response.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None and survey.efficiency is None


def test_an_unknown_link_is_a_friendly_404(client):
    response = client.get(reverse("surveys:answer", args=["nope"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "not valid" in response.content.decode()


def test_out_of_range_scores_are_refused(client, survey):
    response = client.post(reverse("surveys:answer", args=[survey.token]), {**GOOD, "attitude": "9"})
    assert response.status_code == 200 and response.context["form"].errors["attitude"]
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_a_low_score_opens_a_follow_up_for_the_supervisor(client, survey):
    client.post(reverse("surveys:answer", args=[survey.token]), {**GOOD, "solution": "1"})
    survey.refresh_from_db()
    callback = FollowUp.objects.get(kind="ticket_callback", subject_id=survey.ticket_id)
    assert survey.follow_up == callback and callback.owner == "supervisor" and callback.closed_at is None


def test_opening_an_answered_link_again_shows_the_friendly_page(client, survey):
    url = reverse("surveys:answer", args=[survey.token])
    client.post(url, GOOD)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 410 and "already been answered" in page.content.decode()
    assert 'name="efficiency"' not in page.content.decode()


def test_each_question_is_one_row_of_tappable_scores_and_a_missing_one_is_named(client, survey):
    """QA sweep: on a 390 px phone the radios stood in a column, each score under its button."""
    url = reverse("surveys:answer", args=[survey.token])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert page.count('<fieldset class="scores"') == 3
    assert page.count('<label class="score">') == 15  # five scores per question, each its own label

    response = client.post(url, {**GOOD, "attitude": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert '<fieldset class="scores invalid" id="id_attitude">' in html and "此项为必填项" in html
